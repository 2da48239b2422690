"""Small-cell suppression of published injury counts, such that no hidden cell can be worked back.

Every table of counts built from injury records goes through here before any output sees it. The
rules, and the attack each one prevents:

1. **Primary suppression.** A count of 1–4 is never published (`SMALL = 5`): a reader who knows the
   community could otherwise tell who the 2 drowned children of 2024 were. Zeros are published: a
   0 says "nobody", which discloses no one; hiding zeros would make tables unreadable. (A 0 can still
   tell that *all* of a group share an attribute, e.g. every 60+ case was a fall; that is a group
   statement, not a person, and is accepted.)
2. **One mark for every hidden cell.** Hidden cells all read `MARK`, whether they are 1–4 or hidden
   to protect another. A `<5` on primary cells only would tell a reader that the other hidden cells
   are ≥ 5, and a row 1 + 5 = 6 would give the 1 back. The reader learns only "hidden, ≥ 1" (zeros
   are shown, so a hidden cell is not 0).
3. **Coarsening of the margins.** The same margins appear in several tables (a cause's total is the
   合计 of cause × year and the row total of cause × age; a year's total is the column total of all
   seven dimension × year tables and a row of the overview). If a margin could be hidden, one table
   could free it and another pin it. So margins are never hidden: categories whose total is 1–4 are
   merged (into 其他, age groups into a joint band, e.g. "0-14岁、15-59岁"), and years whose total
   is 1–4 are hidden in the overview together with enough other years (at least two, at least 5
   cases, not all 1s, so the published grand total does not give one back) and shown as one joint
   column in the dimension tables. With every margin published and the same grouping used in
   every table, each table's hidden cells are constrained only by that table's own rows and columns.
4. **Complementary suppression.** In a table whose margins are published, a row or column with
   exactly one hidden cell gives it back by subtraction (16 − 6 − 7 = 3). So while some line holds
   exactly one hidden cell, the smallest non-zero published cell of that line is hidden as well. That
   is not enough on its own (two hidden cells of value 1 in a row of known total 2 are both 1), so
   `pinned` then computes exactly which hidden cells the published numbers still determine, and
   more cells are hidden until none is. If no choice helps, only the table's totals are published.
5. **Children** (0–14) get the same threshold and the same complementary protection; a 0–14 band
   with fewer than 5 cases never appears on its own, because rule 3 merges it with the next band.
6. **Derived figures.** Rates, shares and year-over-year changes are computed from published counts
   only; a figure that needs a hidden count is hidden too (a rate per 1,000 and the published
   population give the count back).

`pinned` is exact for one table with published margins: the cells that agree with every published
number form a transportation polytope, integral and of the network kind, so a hidden cell can take
another value iff it lies on a cycle of hidden cells along which ±1 keeps every hidden cell ≥ 1.

Not covered: differencing two versions of an archive against each other (each version is protected
on its own data), and integer bounds from combining two dimension × year tables on one year (they
narrow a cell's range, they do not pin it except on degenerate data).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable

import numpy as np
import pandas as pd

from safedossier.analyse.mark import MARK  # noqa: E402, F401 - re-exported

SMALL = 5

Cell = tuple[int, int]


def is_small(v: int) -> bool:
    return 0 < v < SMALL


def _can_move(v: np.ndarray, hidden: set[Cell], e: Cell, up: bool) -> bool:
    """Whether hidden cell `e` can go up (or down) by 1 while everything published stays as shown.

    Walks an alternating cycle through the other hidden cells: from a column node to a row node the
    cell moves against `e`, from a row node to a column node with it. A cell that goes down must be
    ≥ 2, since a reader knows a hidden cell is ≥ 1.
    """
    i, j = e
    if not up and v[i, j] < 2:
        return False
    by_row: dict[int, list[int]] = {}
    by_col: dict[int, list[int]] = {}
    for r, c in hidden:
        if (r, c) != e:
            by_row.setdefault(r, []).append(c)
            by_col.setdefault(c, []).append(r)
    # nodes: ("c", j) and ("r", i); start at e's column, reach e's row
    seen = {("c", j)}
    todo = deque([("c", j)])
    while todo:
        kind, k = todo.popleft()
        if kind == "c":
            for r in by_col.get(k, []):
                # col → row: this cell moves against e (down when e goes up)
                if (up and v[r, k] < 2) or ("r", r) in seen:
                    continue
                if r == i:
                    return True
                seen.add(("r", r))
                todo.append(("r", r))
        else:
            for c in by_row.get(k, []):
                # row → col: this cell moves with e (down when e goes down)
                if (not up and v[k, c] < 2) or ("c", c) in seen:
                    continue
                seen.add(("c", c))
                todo.append(("c", c))
    return False


def pinned(values: np.ndarray, hidden: Iterable[Cell]) -> set[Cell]:
    """Hidden cells whose value follows from the published cells and the row and column totals."""
    hid = set(hidden)
    return {e for e in hid if not (_can_move(values, hid, e, True) or _can_move(values, hid, e, False))}


def _lines(shape: tuple[int, int]) -> list[list[Cell]]:
    m, n = shape
    return [[(i, j) for j in range(n)] for i in range(m)] + [[(i, j) for i in range(m)] for j in range(n)]


def protect(values: np.ndarray) -> set[Cell] | None:
    """Cells to hide in a table of counts whose row and column totals are published.

    Returns None when no pattern of hidden cells protects the table: then only its totals may be shown.
    """
    v = np.asarray(values, dtype=int)
    hidden = {(int(i), int(j)) for i, j in zip(*np.nonzero((v > 0) & (v < SMALL)), strict=True)}
    lines = _lines(v.shape)
    while True:
        grew = False
        for line in lines:
            if sum(c in hidden for c in line) == 1:
                free = [c for c in line if c not in hidden and v[c] > 0]
                if free:  # never empty: the line's total exceeds its one hidden cell
                    hidden.add(min(free, key=lambda c: (v[c], c)))
                    grew = True
        if grew:
            continue
        stuck = pinned(v, hidden)
        if not stuck:
            return hidden
        e = min(stuck)
        near = [c for c in lines[e[0]] + lines[v.shape[0] + e[1]] if c not in hidden and v[c] > 0]
        rest = [(int(i), int(j)) for i, j in zip(*np.nonzero(v > 0), strict=True) if (i, j) not in hidden]
        pool = [c for c in near if v[c] >= 2] or near or rest
        if not pool:
            return None
        hidden.add(min(pool, key=lambda c: (v[c], c)))


def publish(counts: pd.DataFrame) -> pd.DataFrame:
    """The table as it may be published: hidden cells read MARK, a 合计 column of the row totals.

    The row totals, and the column totals, must be publishable (≥ 5 or 0): see `groups`.
    """
    v = counts.to_numpy(dtype=int)
    total = counts.sum(axis=1).astype(int)
    hidden = protect(v)
    if hidden is None:
        return pd.DataFrame({"合计": total}).astype(object)
    out = counts.astype(object).copy()
    for i, j in hidden:
        out.iat[i, j] = MARK
    out["合计"] = total.astype(object)
    return out


def groups(totals: pd.Series, label: str | None = None) -> dict[str, str]:
    """Category → published group, such that every group's total is 0 or ≥ 5 (rule 3).

    Small categories merge into `label` (joined names when None); while that group is still small,
    the smallest other category joins it. The order of `totals` is kept, the merged group comes last.
    """
    tot = {str(k): int(x) for k, x in totals.items()}
    merged = [k for k, x in tot.items() if is_small(x)]
    if merged and label is not None and label in tot and label not in merged:
        merged.append(label)
    while merged and sum(tot[k] for k in merged) < SMALL:
        rest = [k for k in tot if k not in merged and tot[k] > 0]
        if not rest:
            break
        merged.append(min(rest, key=lambda k: (tot[k], list(tot).index(k))))
    name = label if label is not None else "、".join(k for k in tot if k in merged)
    return {k: (name if k in merged else k) for k in tot}


def hidden_years(totals: dict[int, int]) -> list[int] | None:
    """Years whose case count may not be published (rule 3): none, or ≥ 2 with ≥ 5 cases, not all 1s
    (a hidden year is known to be ≥ 1, since zeros are shown: five hidden 1s summing to 5 give each
    back). None when no choice protects them — then no per-year figure may be published at all."""
    hid = [y for y, x in totals.items() if is_small(x)]
    while hid:
        k = sum(totals[y] for y in hid)
        if len(hid) >= 2 and k >= SMALL and k > len(hid):
            break
        rest = [y for y in totals if y not in hid and totals[y] > 0]
        if not rest:
            return None
        hid.append(min(rest, key=lambda y: (totals[y], y)))
    return sorted(hid)


def value(cell: object) -> int | None:
    """A published cell as a number, None when hidden."""
    return None if cell == MARK else int(cell)  # type: ignore[call-overload]
