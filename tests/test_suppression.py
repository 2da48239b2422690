"""Issue 11, class 5: no hidden injury count can be worked back from what the site publishes.

The checker here is independent of `suppress.pinned`: it brute-forces, for every hidden cell of a
published table, the values it can take given the table's published cells, its published row totals
(合计) and column totals (the year totals of the overview, or the other tables' 合计), each hidden
cell being an integer ≥ 1 (zeros are shown).
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from safedossier.analyse.suppress import MARK, SMALL, groups, hidden_years, protect
from safedossier.cli import main
from safedossier.outputs.site.build import build

HIDDEN = (MARK, "<5")  # "<5": how the cells were hidden before
HEADER = "编号,发生日期,性别,年龄,原因,地点,严重程度,结局\n"


def _rows() -> list[tuple]:
    """16 drownings in 2025: 6 aged 0-14, 7 aged 15-59, 3 aged 60+; plus enough other cases."""
    rows: list[tuple] = []
    n = 0

    def add(k: int, age: int, cause: str, place: str = "家中", sev: str = "轻度", out: str = "处理后离院",
            date: str = "2025-05-01", sex: str = "男") -> None:
        nonlocal n
        for _ in range(k):
            n += 1
            rows.append((f"A{n}", date, sex, age, cause, place, sev, out))

    add(6, 9, "溺水", place="其他")
    add(4, 40, "溺水", sex="女")
    add(3, 40, "溺水", out="住院")
    add(3, 70, "溺水", out="死亡", sev="重度")
    add(9, 8, "跌倒/坠落", sex="女")
    add(2, 12, "跌倒/坠落", out="住院")
    add(12, 30, "跌倒/坠落")
    add(14, 75, "跌倒/坠落", sex="女")
    add(1, 80, "跌倒/坠落", out="死亡", sev="重度", sex="女")
    add(8, 35, "机动车车祸", place="公路/街道", sev="中度")
    add(3, 66, "机动车车祸", place="公路/街道", out="住院")
    add(2, 10, "机动车车祸", place="公路/街道")
    add(2, 50, "烧烫伤")
    return rows


def _table(page: str, anchor: str) -> list[list[str]]:
    start = page.index(anchor)
    t = page[page.index("<table>", start): page.index("</table>", start)]
    return [[html.unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", r, re.S)]
            for r in re.findall(r"<tr>(.*?)</tr>", t, re.S)]


def _built(starter: Path, tmp_path: Path) -> tuple[Path, str]:
    (starter / "data/injuries.csv").write_text(
        HEADER + "".join(",".join(map(str, r)) + "\n" for r in _rows()), encoding="utf-8")
    out = tmp_path / "site"
    res = build(starter, out)
    assert res.ok, res.messages
    return out, (out / "statistics/index.html").read_text(encoding="utf-8")


def _solve(hid: list[tuple[int, int]], rr: list[int], cc: list[int], avoid: tuple[int, int] | None = None
           ) -> list[int] | None:
    """Values ≥ 1 for the hidden cells that fill every row and column exactly (depth-first, pruned);
    with `avoid = (k, x)`, one in which hidden cell k is not x."""
    left_r = [sum(1 for i, _ in hid if i == r) for r in range(len(rr))]
    left_c = [sum(1 for _, j in hid if j == c) for c in range(len(cc))]
    if any(rr[r] < left_r[r] or (left_r[r] == 0 and rr[r]) for r in range(len(rr))) or \
            any(cc[c] < left_c[c] or (left_c[c] == 0 and cc[c]) for c in range(len(cc))):
        return None
    out: list[int] = []

    def go(k: int) -> bool:
        if k == len(hid):
            return not any(rr) and not any(cc)
        i, j = hid[k]
        left_r[i] -= 1
        left_c[j] -= 1
        hi = min(rr[i] - left_r[i], cc[j] - left_c[j])
        options = [rr[i]] if left_r[i] == 0 else [cc[j]] if left_c[j] == 0 else range(1, hi + 1)
        for x in options:
            if x < 1 or x > hi or (avoid is not None and avoid[0] == k and x == avoid[1]):
                continue
            rr[i] -= x
            cc[j] -= x
            out.append(x)
            if go(k + 1):
                return True
            out.pop()
            rr[i] += x
            cc[j] += x
        left_r[i] += 1
        left_c[j] += 1
        return False

    return out if go(0) else None


def recoverable(cells: list[list[int | None]], row_tot: list[int], col_tot: list[int]) -> list[tuple[int, int, int]]:
    """Hidden cells (None) whose value the published cells and totals determine: (row, column, value).

    Independent of `suppress.pinned`: finds one solution, then for each hidden cell searches for another
    solution in which that cell differs.
    """
    hid = [(i, j) for i, r in enumerate(cells) for j, v in enumerate(r) if v is None]
    rr = [row_tot[i] - sum(v for v in r if v is not None) for i, r in enumerate(cells)]
    cc = [col_tot[j] - sum(r[j] for r in cells if r[j] is not None) for j in range(len(col_tot))]
    first = _solve(hid, list(rr), list(cc))
    assert first is not None, "the published numbers contradict each other"
    return [(i, j, first[k]) for k, (i, j) in enumerate(hid) if _solve(hid, list(rr), list(cc), (k, first[k])) is None]


def _count(cell: str) -> int:
    """A published count; its share may follow it: "16（30.2%）"."""
    return int(cell.split("（")[0])


def _numbers(rows: list[list[str]]) -> list[list[int | None]]:
    return [[None if c in HIDDEN else _count(c) for c in r] for r in rows]


def _assert_safe(cells: list[list[int | None]], row_tot: list[int], col_tot: list[int], what: str) -> None:
    assert not recoverable(cells, row_tot, col_tot), f"{what}: hidden cells (row, column, value) given back"


def test_no_hidden_cell_can_be_worked_back(starter: Path, tmp_path: Path) -> None:
    """Drowning 60+ = 3 next to its row total 16 and the age totals: today 16 − 6 − 7 = 3 gives it back."""
    _, page = _built(starter, tmp_path)
    overview = _table(page, 'id="overview"')
    year_total = [int(overview[1][1])]  # one year, 2025: its case count
    totals = {}
    for anchor in DIM_ANCHORS:
        rows = _table(page, anchor)[1:]
        body = _numbers([r[1:-1] for r in rows])
        row_tot = [_count(r[-1]) for r in rows]
        _assert_safe(body, row_tot, year_total, anchor)
        totals[anchor] = {r[0]: _count(r[-1]) for r in rows}
    cross = _table(page, 'id="cause-by-age"')
    width = len(cross[0]) - (cross[0][-1] == "合计")
    ages = cross[0][1:width]
    body = _numbers([r[1:width] for r in cross[1:]])
    assert any(v is None for r in body for v in r)  # there is something to protect here
    # the margins a reader takes from the other tables, not from this one
    row_tot = [totals['id="by-cause"'][r[0]] for r in cross[1:]]
    col_tot = [totals['id="by-age-group"'][a] for a in ages]
    _assert_safe(body, row_tot, col_tot, "cause × age")
    drown = next(r for r in cross[1:] if r[0] == "溺水")
    assert drown[ages.index("60岁及以上") + 1] == MARK


DIM_ANCHORS = tuple(f'id="by-{d}"' for d in ("sex", "age-group", "occupation", "cause", "nature", "body-part",
                                               "intent", "place", "activity", "severity", "outcome"))


def _published_counts(page: str) -> list[str]:
    out = []
    for anchor in ('id="overview"', *DIM_ANCHORS, 'id="cause-by-age"'):
        if anchor not in page:
            continue  # a dimension the records do not fill has only 不清楚: its table is still there
        rows = _table(page, anchor)[1:]
        cols = [1, 5, 7] if anchor == 'id="overview"' else range(1, len(rows[0]))
        out += [r[c].split("（")[0] for r in rows for c in cols]
    for anchor in ('id="rate-by-sex"', 'id="rate-by-age"'):
        out += [r[2] for r in _table(page, anchor)[1:]]
    return out


def test_no_count_of_1_to_4_is_published_on_site_pdf_or_home(starter: Path, tmp_path: Path) -> None:
    out, page = _built(starter, tmp_path)
    counts = _published_counts(page)
    assert counts and all(c == MARK or int(c) == 0 or int(c) >= SMALL for c in counts), counts
    # the overview: deaths (4) and their rate are hidden; a rate would give the count back
    row = _table(page, 'id="overview"')[1]
    assert row[5] == MARK and row[6] == MARK
    # children: no 0-14 cell of 1–4 (2 hospitalised falls aged 12, 2 car crashes aged 10)
    cross = _table(page, 'id="cause-by-age"')
    kids = cross[0].index("0-14岁")
    assert all(r[kids] in (MARK, "0") or _count(r[kids]) >= SMALL for r in cross[1:])
    # the PDF shows the same tables as text
    pdf = tmp_path / "d.pdf"
    assert main(["pdf", str(out.parent / "d"), "-o", str(pdf)]) == 0
    text = "\n".join(p.extract_text() for p in PdfReader(pdf).pages)
    chapter = text[text.rindex("伤害总体情况"): text.rindex("\n事故\n")]  # the statistics chapter's tables
    lines = [x.split() for x in chapter.splitlines() if not x.startswith(("第 ", "示例街道"))]
    assert any(x[0] == "溺水" and MARK in x for x in lines)
    assert not [x for x in lines if any(tok in ("1", "2", "3", "4") for tok in x)], lines


def test_per_year_cause_by_age_tables_give_nothing_back(starter: Path, tmp_path: Path) -> None:
    """Two years: each year's cause × age table, against that year's published cause and age cells
    (its margins), and the dimension tables' year columns against their totals, leave no hidden
    cell determined; a margin hidden in the cause × year table never appears in a year's table."""
    from conftest import edit

    edit(starter / "dossier/community.yml", "  start: 2025", "  start: 2024")
    with (starter / "data/population.csv").open("a", encoding="utf-8") as fh:
        fh.write("2024,50000,25000,25000,6000,34000,10000\n")
    rows = _rows() + [(f"B{i}", "2024-03-01", *r[2:]) for i, r in enumerate(_rows()) if i % 3]
    (starter / "data/injuries.csv").write_text(
        HEADER + "".join(",".join(map(str, r)) + "\n" for r in rows), encoding="utf-8")
    res = build(starter, tmp_path / "site")
    assert res.ok, res.messages
    page = (tmp_path / "site/statistics/index.html").read_text(encoding="utf-8")
    overview = _table(page, 'id="overview"')
    year_tot = {r[0]: int(r[1]) for r in overview[1:]}
    cells: dict[str, dict[str, dict[str, str]]] = {}
    for anchor in DIM_ANCHORS:
        tab = _table(page, anchor)
        head = tab[0]
        _assert_safe(_numbers([r[1:-1] for r in tab[1:]]), [_count(r[-1]) for r in tab[1:]],
                     [year_tot[y] for y in head[1:-1]], anchor)
        cells[anchor] = {y: {r[0]: r[k] for r in tab[1:]} for k, y in enumerate(head) if k and y != "合计"}
    checked = 0
    for year in ("2024", "2025"):
        cross = _table(page, f'id="cause-by-age-{year}"')
        ages, body = cross[0][1:-1], cross[1:]
        by_cause, by_age = cells['id="by-cause"'][year], cells['id="by-age-group"'][year]
        for r in body:  # a row's total is the cause's published cell of that year, or a merged group
            if r[0] in by_cause and by_cause[r[0]] != MARK:
                assert _count(r[-1]) == _count(by_cause[r[0]])
            else:
                assert r[0] == "其他"
        col_tot = [_count(by_age[a]) if a in by_age and by_age[a] != MARK else None for a in ages]
        assert None not in col_tot, "a hidden age margin is shown in a year's table"
        _assert_safe(_numbers([r[1:-1] for r in body]), [_count(r[-1]) for r in body], col_tot, year)
        checked += sum(c == MARK for r in body for c in r)
    assert checked  # something was protected
    # no pooled table beside them: a pooled cell less the other years' cells would give one back
    assert "<table>" not in page[page.index('id="cause-by-age"'):page.index('id="cause-by-age-2024"')]
    counts = _published_counts(page)
    assert all(c == MARK or int(c) == 0 or int(c) >= SMALL for c in counts), counts


@st.composite
def tables(draw: st.DrawFn) -> np.ndarray:
    m, n = draw(st.integers(2, 4)), draw(st.integers(2, 3))
    return np.array(draw(st.lists(st.lists(st.sampled_from([0, 1, 2, 3, 4, 5, 6, 9, 12]), min_size=n,
                                                    max_size=n), min_size=m, max_size=m)))


@settings(max_examples=60, deadline=None)
@given(tables())
def test_protect_leaves_no_cell_recoverable(v: np.ndarray) -> None:
    hidden = protect(v)
    if hidden is None:  # only the totals are published: nothing to recover
        return
    # every count of 1–4 is hidden, no zero is
    assert {(i, j) for i, j in zip(*np.nonzero((v > 0) & (v < SMALL)), strict=True)} <= hidden
    assert not any(v[c] == 0 for c in hidden)
    m, n = v.shape
    for line in [[(i, j) for j in range(n)] for i in range(m)] + [[(i, j) for i in range(m)] for j in range(n)]:
        assert sum(c in hidden for c in line) != 1
    cells = [[None if (i, j) in hidden else int(v[i, j]) for j in range(n)] for i in range(m)]
    _assert_safe(cells, v.sum(axis=1).tolist(), v.sum(axis=0).tolist(), str(v.tolist()))


def test_the_checker_finds_what_subtraction_and_bounds_give_back() -> None:
    """The checker itself: a lone hidden cell in a row, and two hidden 1s in a row of total 2."""
    assert recoverable([[None, 5], [5, 5]], [6, 10], [6, 10]) == [(0, 0, 1)]
    assert recoverable([[None, None], [None, None]], [2, 9], [5, 6]) == [(0, 0, 1), (0, 1, 1), (1, 0, 4), (1, 1, 5)]
    assert recoverable([[None, None], [None, None]], [6, 9], [7, 8]) == []


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(st.integers(2020, 2026), st.integers(0, 12), min_size=1, max_size=6))
def test_hidden_years_cannot_be_worked_back_from_the_grand_total(totals: dict[int, int]) -> None:
    """The overview publishes each year's cases and the total: hidden years come two or more at a time,
    together ≥ 5 and not all 1s (else each is 1), so none follows from the others."""
    hid = hidden_years(totals)
    if hid is None:  # nothing per year is published: only allowed when no choice of years protects them
        small = [y for y, x in totals.items() if x > 0]
        assert sum(totals[y] for y in small) == len(small) or len(small) < 2 or sum(totals.values()) < SMALL
        return
    assert {y for y, x in totals.items() if 0 < x < SMALL} <= set(hid)
    if hid and sum(totals.values()) >= SMALL:
        k = sum(totals[y] for y in hid)
        assert len(hid) >= 2 and k >= SMALL and k > len(hid)


def test_one_case_a_year_is_never_published_by_year() -> None:
    """Found by the property test above: five years of one case each, hidden together, summed to 5 —
    and a hidden year is ≥ 1, so each was 1 again."""
    assert hidden_years({2021: 1, 2022: 1, 2023: 1, 2024: 1, 2025: 1}) is None
    assert hidden_years({2021: 1, 2022: 1, 2023: 1, 2024: 1, 2025: 2}) == [2021, 2022, 2023, 2024, 2025]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 9), min_size=1, max_size=8))
def test_merged_groups_are_never_small(counts: list[int]) -> None:
    """Every category total a table shows (its 合计) is 0 or ≥ 5, so no total ever needs hiding."""
    cats = pd.Series(counts, index=[f"c{i}" for i in range(len(counts))])
    mapping = groups(cats, "其他")
    shown = cats.groupby(cats.index.map(mapping)).sum()
    if cats.sum() >= SMALL:
        assert all(x == 0 or x >= SMALL for x in shown), (counts, mapping)
