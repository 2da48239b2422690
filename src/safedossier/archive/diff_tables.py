"""The table half of a change report: committee members, hazards, activity records, population,
evidence files, injury and accident aggregates, narrative pages — compared by id, never by row."""

from __future__ import annotations

import difflib
import functools
import hashlib
import weakref
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from safedossier.analyse.stats import InjuryStats, YearRow, accident_stats, injury_stats
from safedossier.analyse.suppress import value
from safedossier.archive.changes import (
    AccidentDiff,
    CollectionDiff,
    ContentChange,
    CountDelta,
    EvidenceDiff,
    FieldChange,
    Hazard,
    HazardDiff,
    InjuryDiff,
    Item,
    ItemChange,
    Member,
    MemberDiff,
    PageChange,
    PageDiff,
    RecordDiff,
)
from safedossier.archive.diff_helpers import natural_key, plain, sorted_ids
from safedossier.format.model import Dossier
from safedossier.format.schema import TABLE_BY_NAME
from safedossier.format.validate import evidence_path

# --- tables ----------------------------------------------------------------------------------


def _frame(d: Dossier, name: str) -> pd.DataFrame:
    """Public schema columns of a table, indexed by id as text, values as comparable Python objects.

    Private and unknown extra columns are never read, so nothing here can leak into a report.
    """
    t = TABLE_BY_NAME[name]
    fields = [f for f in t.fields if not f.private and f.key != t.key]
    df = d.tables.get(name)
    if df is None or t.key not in df.columns:
        return pd.DataFrame({f.key: pd.Series(dtype=object) for f in fields},
                            index=pd.Index([], dtype=object))
    key = df[t.key]
    keys = key.astype("Int64").astype(str) if t.key == "year" else key.astype(object).where(key.notna(), "")
    keep = (keys != "") & (keys != "<NA>")
    out = pd.DataFrame(index=pd.Index(keys[keep].astype(str).to_numpy(), dtype=object))
    for f in fields:
        if f.key not in df.columns:
            out[f.key] = None
            continue
        s = df.loc[keep, f.key]
        if f.kind == "date":
            v = s.dt.strftime("%Y-%m-%d").astype(object).where(s.notna(), None)
        elif f.many:
            v = s.map(lambda x: tuple(x) if isinstance(x, (list, tuple)) and x else None)
        else:
            v = s.astype(object).where(s.notna(), None)
            if f.kind in ("text", "code", "ref"):
                v = v.map(lambda x: None if isinstance(x, str) and not x.strip() else x)
        out[f.key] = v.to_numpy()
    return out[~out.index.duplicated()]


def _value(df: pd.DataFrame, key: str, col: str) -> Any:
    """`plain(df.at[key, col])`, None when there is no such row or column, read from the frame's rows
    as plain dicts (made once per frame): `.at` took ~0.5 s a version on 2,000 evidence rows."""
    row = _rows(df).get(key)
    return None if row is None else row.get(col)


_ROWS: dict[int, tuple[weakref.ref[pd.DataFrame], dict[str, dict[str, Any]]]] = {}


def _rows(df: pd.DataFrame) -> dict[str, dict[str, Any]]:
    """A `_frame`'s rows (unique ids) as {id: {column: plain value}}, kept while the frame lives."""
    key = id(df)
    hit = _ROWS.get(key)
    if hit is not None and hit[0]() is df:
        return hit[1]
    cols = list(df.columns)
    rows = {str(k): {c: plain(v) for c, v in zip(cols, vals, strict=True)}
            for k, vals in zip(df.index, df.itertuples(index=False, name=None), strict=True)}

    def forget(ref: weakref.ref[pd.DataFrame]) -> None:
        if _ROWS.get(key, (None, None))[0] is ref:
            del _ROWS[key]

    _ROWS[key] = (weakref.ref(df, forget), rows)
    return rows


def _compare(a: pd.DataFrame, b: pd.DataFrame) -> tuple[list[str], list[str], dict[str, list[str]]]:
    """(added ids, removed ids, {common id: differing columns}) of two `_frame`s."""
    added = sorted_ids(b.index.difference(a.index))
    removed = sorted_ids(a.index.difference(b.index))
    common = a.index.intersection(b.index)
    cols = list(dict.fromkeys([*b.columns, *a.columns]))
    A = a.reindex(index=common, columns=cols)
    B = b.reindex(index=common, columns=cols)
    diff: dict[str, list[str]] = {}
    for c in cols:
        x, y = A[c], B[c]
        xn, yn = x.isna().to_numpy(), y.isna().to_numpy()
        ne = np.array([xv != yv for xv, yv in zip(x.to_numpy(), y.to_numpy(), strict=True)], dtype=bool) \
            if len(x) else np.zeros(0, dtype=bool)
        bad = ~(xn & yn) & (xn | yn | ne)
        for k in common[bad]:
            diff.setdefault(str(k), []).append(c)
    return added, removed, {k: diff[k] for k in sorted_ids(diff)}


def _field_changes(name: str, a: pd.DataFrame, b: pd.DataFrame, key: str, cols: list[str]) -> list[FieldChange]:
    t = TABLE_BY_NAME[name]
    out = []
    for c in cols:
        f = t.field(c)
        out.append(FieldChange(c, f.label if f else c, f.label_en if f else c,
                               _value(a, key, c), _value(b, key, c)))
    return out


def _group_names(d: Dossier) -> dict[str, str]:
    org = d.element("organisation")
    names = {str(g.get("id")): str(g.get("name", "")) for g in org.get("groups", [])}
    names["committee"] = str((org.get("committee") or {}).get("name") or "促进委员会")
    names["office"] = str((org.get("office") or {}).get("name") or "办公室")
    return names


def members_diff(old: Dossier, new: Dossier) -> MemberDiff:
    a, b = _frame(old, "members"), _frame(new, "members")
    added, removed, changed = _compare(a, b)

    def member(df: pd.DataFrame, d: Dossier, k: str) -> Member:
        group = str(_value(df, k, "group") or "")
        return Member(k, str(_value(df, k, "name") or ""), str(_value(df, k, "role") or ""), group,
                      _group_names(d).get(group, group), str(_value(df, k, "organisation") or ""))

    ended = [k for k, cols in changed.items()
             if "until" in cols and _value(a, k, "until") is None and _value(b, k, "until") is not None]
    out = MemberDiff(joined=[member(b, new, k) for k in added])
    out.left = [member(a, old, k) for k in removed] + [member(b, new, k) for k in ended]
    out.left.sort(key=lambda m: natural_key(m.id))
    for k, cols in changed.items():
        cols = [c for c in cols if not (c == "until" and k in ended)]
        if cols:
            out.changed.append(ItemChange(k, str(_value(b, k, "name") or ""), _field_changes("members", a, b, k, cols)))
    return out


def hazards_diff(old: Dossier, new: Dossier) -> HazardDiff:
    a, b = _frame(old, "hazards"), _frame(new, "hazards")
    added, removed, changed = _compare(a, b)

    def hazard(df: pd.DataFrame, k: str) -> Hazard:
        return Hazard(k, str(_value(df, k, "description") or ""), str(_value(df, k, "location") or ""),
                      str(_value(df, k, "level") or ""), _value(df, k, "closed"))

    closed_b = b["closed"].notna() if "closed" in b else pd.Series(False, index=b.index)
    closed_a = a["closed"].notna() if "closed" in a else pd.Series(False, index=a.index)
    now_closed = set(b.index[closed_b.to_numpy()])
    was_closed = set(a.index[closed_a.to_numpy()])
    closed = sorted_ids(now_closed - was_closed)
    common = set(a.index) & set(b.index)
    out = HazardDiff(found=[hazard(b, k) for k in added], removed=[hazard(a, k) for k in removed],
                     closed=[hazard(b, k) for k in closed],
                     still_open=[hazard(b, k) for k in sorted_ids(common - now_closed - was_closed)])
    for k, cols in changed.items():
        cols = [c for c in cols if not (c == "closed" and k in closed)]
        if cols:
            out.changed.append(ItemChange(k, str(_value(b, k, "description") or ""),
                                          _field_changes("hazards", a, b, k, cols)))
    return out


RECORD_TABLES = (("meetings", "date"), ("activities", "date"), ("trainings", "date"), ("drills", "date"),
                 ("inspections", "date"), ("actions", "raised"), ("accidents", "date"))

#: The column that names a record of each table in a change report ("YL01 消防疏散演练").
RECORD_TITLES = {"meetings": "title", "activities": "title", "trainings": "title", "drills": "scenario",
                 "inspections": "target", "actions": "issue", "accidents": "kind"}


def _years(old: Dossier, new: Dossier, *extra: Any) -> list[int]:
    years = set(old.years) | set(new.years)
    for e in extra:
        years |= {int(y) for y in e}
    return sorted(years)


def _year_counts(d: Dossier, name: str, col: str) -> pd.Series:
    df = d.tables.get(name)
    if df is None or col not in df.columns or df.empty:
        return pd.Series(dtype="int64")
    return df[col].dt.year.dropna().astype(int).value_counts()


def _deltas(old: pd.Series | dict[int, int], new: pd.Series | dict[int, int], years: list[int],
            category: str = "") -> list[CountDelta]:
    return [CountDelta(y, int(old.get(y, 0)), int(new.get(y, 0)), int(new.get(y, 0)) - int(old.get(y, 0)),
                       category) for y in years]


def records_diff(old: Dossier, new: Dossier) -> list[RecordDiff]:
    out = []
    for name, col in RECORD_TABLES:
        t = TABLE_BY_NAME[name]
        a, b = _frame(old, name), _frame(new, name)
        added, removed, changed = _compare(a, b)
        rec = RecordDiff(name, t.label, t.label_en, t.element, added, removed)
        if name == "actions" and "done" in b:
            done_b, done_a = set(b.index[b["done"].notna().to_numpy()]), set(a.index[a["done"].notna().to_numpy()])
            rec.completed = sorted_ids(done_b - done_a)
        title = RECORD_TITLES[name]
        for k, cols in changed.items():
            cols = [c for c in cols if not (c == "done" and k in rec.completed)]
            if cols:
                rec.changed.append(ItemChange(k, str(_value(b, k, title) or ""), _field_changes(name, a, b, k, cols)))
        co, cn = _year_counts(old, name, col), _year_counts(new, name, col)
        rec.by_year = _deltas(co, cn, _years(old, new, co.index, cn.index))
        out.append(rec)
    return out


def population_diff(old: Dossier, new: Dossier) -> CollectionDiff:
    t = TABLE_BY_NAME["population"]
    a, b = _frame(old, "population"), _frame(new, "population")
    added, removed, changed = _compare(a, b)
    out = CollectionDiff("population", t.label, t.label_en, [Item(k) for k in added], [Item(k) for k in removed])
    out.changed = [ItemChange(k, "", _field_changes("population", a, b, k, cols)) for k, cols in changed.items()]
    return out


@functools.lru_cache(maxsize=4096)
def _sha256_cached(path: str, size: int, mtime_ns: int) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


class EvidenceUnreadable(Exception):
    """An evidence file of a validated dossier cannot be read (its snapshot is gone, say): the
    comparison stops rather than report it as changed from or to nothing."""


def _sha256(root: Path, file: str | None) -> str:
    """Content hash of an evidence file, "" for a record without one; cached by size and mtime since
    archives hold large videos."""
    if not file:
        return ""
    path = evidence_path(root, file)
    try:
        if path is None:
            raise FileNotFoundError(file)
        st = path.stat()
        return _sha256_cached(str(path), st.st_size, st.st_mtime_ns)
    except OSError as exc:
        raise EvidenceUnreadable(f"佐证材料无法读取，无法比较：{root / 'evidence' / file}（{exc.strerror or exc}）"
                                 f" / cannot read evidence file {root / 'evidence' / file} to compare it") from exc


def evidence_diff(old: Dossier, new: Dossier) -> EvidenceDiff:
    a, b = _frame(old, "evidence"), _frame(new, "evidence")
    added, removed, changed = _compare(a, b)
    out = EvidenceDiff([Item(k, str(_value(b, k, "title") or "")) for k in added],
                       [Item(k, str(_value(a, k, "title") or "")) for k in removed])
    for k in sorted_ids(a.index.intersection(b.index)):
        ho, hn = _sha256(old.root, _value(a, k, "file")), _sha256(new.root, _value(b, k, "file"))
        if ho != hn:
            out.content_changed.append(ContentChange(k, str(_value(b, k, "title") or ""),
                                                     str(_value(b, k, "file") or ""), ho, hn))
    out.changed = [ItemChange(k, str(_value(b, k, "title") or ""), _field_changes("evidence", a, b, k, cols))
                   for k, cols in changed.items()]
    return out


def _crosstab_deltas(old: pd.DataFrame | None, new: pd.DataFrame | None, years: list[int],
                     codes: tuple[str, ...]) -> list[CountDelta]:
    """Non-zero differences of two category × year count tables, categories in code-list order."""
    if all(t is None or t.empty for t in (old, new)):
        return []
    present = {str(c) for t in (new, old) if t is not None for c in t.index}
    cats = [c for c in codes if c in present] + sorted(present.difference(codes))
    o = (old if old is not None else pd.DataFrame()).reindex(index=cats, columns=years, fill_value=0).fillna(0)
    n = (new if new is not None else pd.DataFrame()).reindex(index=cats, columns=years, fill_value=0).fillna(0)
    d = n - o
    out = []
    for cat in cats:
        for y in years:
            if d.at[cat, y] != 0:
                out.append(CountDelta(y, int(o.at[cat, y]), int(n.at[cat, y]), int(d.at[cat, y]), str(cat)))
    return out


def _codes(table: str, column: str) -> tuple[str, ...]:
    f = TABLE_BY_NAME[table].field(column)
    return f.codes if f else ()


def _shown(old: int | None, new: int | None, year: int, category: str = "") -> CountDelta:
    return CountDelta(year, old, new, None if old is None or new is None else new - old, category)


def _cause_cell(st: InjuryStats, cause: str, year: int) -> int | None | bool:
    """A published cause × year cell: an int, None when hidden, False when not published on its own."""
    tab = st.by_dim.get("cause")
    if st.total is None:  # fewer than 5 cases: nothing published
        return False
    if tab is None or tab.empty:
        return 0
    if year not in tab.columns or (cause not in tab.index and cause in st.merged.get("cause", ())):
        return False
    return value(tab.at[cause, year]) if cause in tab.index else 0


def injuries_diff(old: Dossier, new: Dossier) -> InjuryDiff:
    """Injury aggregates as both versions publish them: hidden cells stay hidden, none is worked out."""
    so, sn = injury_stats(old), injury_stats(new)
    years = _years(old, new)
    co, cn = {r.year: r for r in so.by_year}, {r.year: r for r in sn.by_year}
    zero = YearRow(0, 0, None, None, None, 0, None, 0, None)
    cases = [_shown(co.get(y, zero).cases, cn.get(y, zero).cases, y) for y in years]
    deaths = [_shown(co.get(y, zero).deaths, cn.get(y, zero).deaths, y) for y in years]
    present = {str(c) for st in (so, sn) for c in (st.by_dim.get("cause", pd.DataFrame()).index)}
    present |= {c for st in (so, sn) for c in st.merged.get("cause", ())}
    codes = _codes("injuries", "cause")
    by_cause = []
    for cat in [c for c in codes if c in present] + sorted(present.difference(codes)):
        for y in years:
            a, b = _cause_cell(so, cat, y), _cause_cell(sn, cat, y)
            if a is not False and b is not False and a != b:
                by_cause.append(_shown(a, b, y, cat))  # type: ignore[arg-type]
    return InjuryDiff(cases, deaths, by_cause, so.total, sn.total)


def accidents_diff(old: Dossier, new: Dossier) -> AccidentDiff:
    ro, ko = accident_stats(old)
    rn, kn = accident_stats(new)
    years = _years(old, new)
    out = AccidentDiff()
    for attr in ("count", "deaths", "injured"):
        setattr(out, attr, _deltas({r.year: getattr(r, attr) for r in ro},
                                   {r.year: getattr(r, attr) for r in rn}, years))
    out.by_kind = _crosstab_deltas(ko, kn, years, _codes("accidents", "kind"))
    return out


def pages_diff(old: Dossier, new: Dossier) -> PageDiff:
    op, np_ = {p.file: p for p in old.pages}, {p.file: p for p in new.pages}
    out = PageDiff([Item(f, np_[f].title) for f in sorted_ids(np_.keys() - op.keys())],
                   [Item(f, op[f].title) for f in sorted_ids(op.keys() - np_.keys())])
    for f in sorted_ids(op.keys() & np_.keys()):
        a, b = op[f], np_[f]
        if a.text != b.text or a.title != b.title:
            text = "\n".join(difflib.unified_diff(a.text.splitlines(), b.text.splitlines(),
                                                  f"a/{f}", f"b/{f}", lineterm=""))
            out.changed.append(PageChange(f, b.title, a.title, text))
    return out
