"""Compare two validated dossiers for the annual review (评审与持续改进).

Reviewers ask what changed since the last submission: who joined or left the committee, which
hazards were closed, which indicators moved, which documents were replaced. Items are matched by
id (never by row position), so reordering a file is not a change. Injury records are compared only
as aggregates (cases and deaths per year, cases per cause): the report is published with the site,
and a record-level diff of injuries would leak health information (PIPL).

`diff_dossiers` builds a `DiffReport` of plain dataclasses; the renderers turn it into a terminal
report, a Markdown page for the site, JSON, or one home-page paragraph.
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
import hashlib
import html
import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from safedossier.analyse.stats import InjuryStats, YearRow, accident_stats, injury_stats
from safedossier.analyse.suppress import MARK, value
from safedossier.format.model import Dossier
from safedossier.format.schema import COMMUNITY, ELEMENTS, TABLE_BY_NAME, Field
from safedossier.format.validate import evidence_path

# --- the report ------------------------------------------------------------------------------


@dataclass
class FieldChange:
    """One value that differs. `old`/`new` are JSON values (None: absent or empty).

    `kind` is "changed" for a value, "added"/"removed" for an item of a nested list (then the
    other side is None and the present side is the item's short title).
    """

    path: str  # e.g. "committee.chair", "indicators[跌倒发生率].unit", "units[U03]"
    label: str  # Chinese label path from the schema, e.g. "促进委员会 · 主任"
    label_en: str
    old: Any
    new: Any
    kind: str = "changed"


@dataclass
class Item:
    """An added or removed item: its id and a readable name (never a private value)."""

    id: str
    name: str = ""


@dataclass
class ItemChange:
    """An item present in both versions whose fields differ."""

    id: str
    name: str
    changes: list[FieldChange] = field(default_factory=list)


@dataclass
class CollectionDiff:
    """A list with ids inside a YAML document (work groups, projects, plans …) or a keyed table."""

    key: str
    label: str
    label_en: str
    added: list[Item] = field(default_factory=list)
    removed: list[Item] = field(default_factory=list)
    changed: list[ItemChange] = field(default_factory=list)


@dataclass
class DocumentDiff:
    """The community profile (number 0) or one element's YAML document."""

    key: str  # "community" or the element slug
    number: int
    label: str
    label_en: str
    fields: list[FieldChange] = field(default_factory=list)  # everything that is not a collection
    collections: list[CollectionDiff] = field(default_factory=list)


@dataclass
class IndicatorChange:
    """A project indicator's baseline, target or actual value moved (the evaluation reviewers read)."""

    project: str
    project_name: str
    indicator: str
    unit: str
    kind: str  # baseline | target | actual
    old_year: int | None
    old: float | None
    new_year: int | None
    new: float | None


@dataclass
class Member:
    """A committee/office/work-group member; names of people acting in office are public."""

    id: str
    name: str
    role: str
    group: str  # `committee`, `office` or a group id
    group_name: str
    organisation: str


@dataclass
class MemberDiff:
    joined: list[Member] = field(default_factory=list)  # ids new in this version
    left: list[Member] = field(default_factory=list)  # ids dropped, or `until` newly set
    changed: list[ItemChange] = field(default_factory=list)


@dataclass
class Hazard:
    id: str
    description: str
    location: str
    level: str
    closed: str | None  # 销号日期, ISO


@dataclass
class HazardDiff:
    found: list[Hazard] = field(default_factory=list)  # in new, not in old
    closed: list[Hazard] = field(default_factory=list)  # 销号: closed date absent before, set now
    still_open: list[Hazard] = field(default_factory=list)  # open in both (not a change)
    removed: list[Hazard] = field(default_factory=list)
    changed: list[ItemChange] = field(default_factory=list)  # the 销号 itself is not repeated here


@dataclass
class CountDelta:
    """An aggregate in both versions: one year (and category, e.g. a cause)."""

    year: int
    old: int | None  # None: a count hidden by small-cell suppression (injuries only, see suppress.py)
    new: int | None
    delta: int | None
    category: str = ""


@dataclass
class RecordDiff:
    """A register compared by id: which records came and went, and counts per year."""

    table: str
    label: str
    label_en: str
    element: int
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)  # ids whose public fields differ
    by_year: list[CountDelta] = field(default_factory=list)
    completed: list[str] = field(default_factory=list)  # actions: done date newly set


@dataclass
class ContentChange:
    """An evidence file whose bytes differ (same id)."""

    id: str
    title: str
    file: str
    old_sha256: str
    new_sha256: str


@dataclass
class EvidenceDiff:
    added: list[Item] = field(default_factory=list)
    removed: list[Item] = field(default_factory=list)
    content_changed: list[ContentChange] = field(default_factory=list)
    changed: list[ItemChange] = field(default_factory=list)  # title, file, element … of the record


@dataclass
class InjuryDiff:
    """Aggregates only: no record, id or private column ever reaches this object."""

    cases: list[CountDelta] = field(default_factory=list)  # per year
    deaths: list[CountDelta] = field(default_factory=list)  # per year
    by_cause: list[CountDelta] = field(default_factory=list)  # per cause and year, non-zero only
    total_old: int | None = 0
    total_new: int | None = 0


@dataclass
class AccidentDiff:
    """Accident aggregates per year (record ids are in the `accidents` RecordDiff)."""

    count: list[CountDelta] = field(default_factory=list)
    deaths: list[CountDelta] = field(default_factory=list)
    injured: list[CountDelta] = field(default_factory=list)
    by_kind: list[CountDelta] = field(default_factory=list)  # non-zero only


@dataclass
class PageChange:
    file: str
    title: str
    old_title: str
    diff: str  # unified diff of the Markdown text


@dataclass
class PageDiff:
    added: list[Item] = field(default_factory=list)  # id: the file, name: the title
    removed: list[Item] = field(default_factory=list)
    changed: list[PageChange] = field(default_factory=list)


@dataclass
class Side:
    name: str
    cycle: list[int]


@dataclass
class DiffReport:
    """Everything that changed between two versions of a dossier."""

    old: Side
    new: Side
    documents: list[DocumentDiff]  # community profile, then the 12 element documents
    indicators: list[IndicatorChange]
    population: CollectionDiff
    members: MemberDiff
    hazards: HazardDiff
    records: list[RecordDiff]
    evidence: EvidenceDiff
    injuries: InjuryDiff
    accidents: AccidentDiff
    pages: PageDiff

    def document(self, key: str) -> DocumentDiff:
        return next(d for d in self.documents if d.key == key)

    def collection(self, document: str, key: str) -> CollectionDiff:
        return next(c for c in self.document(document).collections if c.key == key)

    def record(self, table: str) -> RecordDiff:
        return next(r for r in self.records if r.table == table)


# --- helpers ---------------------------------------------------------------------------------


def _natural(key: str) -> list[Any]:
    """Sort key so that H2 comes before H10."""
    return [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", key)]


def _sorted(keys: Any) -> list[str]:
    return sorted((str(k) for k in keys), key=_natural)


def _py(v: Any) -> Any:
    """A pandas/numpy/YAML value as a plain JSON value; empty text and missing values become None."""
    if v is None:
        return None
    if isinstance(v, (list, tuple)):
        return [_py(x) for x in v]
    if isinstance(v, dict):
        return {str(k): _py(x) for k, x in v.items()}
    if isinstance(v, str):
        return v if v.strip() else None
    if isinstance(v, pd.Timestamp):
        return None if pd.isna(v) else v.date().isoformat()
    try:
        if pd.isna(v):
            return None
    except (TypeError, ValueError):
        pass
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, np.integer):
        return int(v)
    if isinstance(v, np.floating):
        return float(v)
    return v


# --- YAML documents --------------------------------------------------------------------------


Labels = tuple[str, str]


def _sub(label: Labels, zh: str, en: str) -> Labels:
    return (f"{label[0]} · {zh}" if label[0] else zh, f"{label[1]} · {en}" if label[1] else en)


def _item_title(item: dict[str, Any]) -> str:
    parts = [str(item[k]) for k in ("id", "name", "title") if item.get(k) not in (None, "")]
    if not parts and "year" in item:
        parts = [str(item["year"])]
    return " ".join(parts)


def _item_key(old: list[Any], new: list[Any]) -> str | None:
    """How to match items of a list without ids: by name, else title, else position."""
    for cand in ("id", "name", "title"):
        ok = True
        for side in (old, new):
            vals = [it.get(cand) if isinstance(it, dict) else None for it in side]
            if any(v in (None, "") for v in vals) or len(set(map(str, vals))) != len(vals):
                ok = False
        if ok:
            return cand
    return None


def _diff_fields(old: dict[str, Any], new: dict[str, Any], fields: tuple[Field, ...], path: str,
                 label: Labels) -> list[FieldChange]:
    out: list[FieldChange] = []
    for f in fields:
        sub = f"{path}.{f.key}" if path else f.key
        out += _diff_value(old.get(f.key), new.get(f.key), f, sub, _sub(label, f.label, f.label_en))
    return out


def _diff_value(old: Any, new: Any, f: Field, path: str, label: Labels) -> list[FieldChange]:
    """Field by field for maps, item by item for lists, year by year for year maps."""
    if old == new:
        return []
    if f.kind == "map":
        return _diff_fields(old if isinstance(old, dict) else {}, new if isinstance(new, dict) else {},
                            f.fields, path, label)
    if f.kind == "list":
        return _diff_list(old if isinstance(old, list) else [], new if isinstance(new, list) else [],
                          f, path, label)
    if f.kind == "yearmap":
        o = old if isinstance(old, dict) else {}
        n = new if isinstance(new, dict) else {}
        return [FieldChange(f"{path}.{y}", *_sub(label, f"{y}年", str(y)), _py(o.get(y)), _py(n.get(y)))
                for y in sorted(set(o) | set(n)) if o.get(y) != n.get(y)]
    return [FieldChange(path, label[0], label[1], _py(old), _py(new))]


def _item_label(label: Labels, key: str, keyed: bool) -> Labels:
    """`工作组「G01」` for keyed items, `渠道第2项` for positional ones."""
    return ((f"{label[0]}「{key}」", f"{label[1]} [{key}]") if keyed
            else (f"{label[0]}第{key}项", f"{label[1]} item {key}"))


def _diff_list(old: list[Any], new: list[Any], f: Field, path: str, label: Labels) -> list[FieldChange]:
    key = _item_key(old, new)

    def keyed(items: list[Any]) -> dict[str, dict[str, Any]]:
        return {(str(it[key]) if key else str(i)): it for i, it in enumerate(items, start=1)
                if isinstance(it, dict)}

    om, nm = keyed(old), keyed(new)
    out: list[FieldChange] = []
    for k, item in nm.items():
        sub, p = _item_label(label, k, key is not None), f"{path}[{k}]"
        if k not in om:
            out.append(FieldChange(p, *sub, None, _item_title(item) or k, "added"))
        else:
            out += _diff_fields(om[k], item, f.fields, p, sub)
    for k, item in om.items():
        if k not in nm:
            out.append(FieldChange(f"{path}[{k}]", *_item_label(label, k, key is not None),
                                   _item_title(item) or k, None, "removed"))
    return out


_INDICATOR_VALUES = ("baseline", "target", "actual")


def _strip_indicator_values(project: dict[str, Any]) -> dict[str, Any]:
    """A project without indicator values, which `_indicator_changes` reports on their own."""
    inds = project.get("indicators")
    if not isinstance(inds, list):
        return project
    return {**project, "indicators": [{k: v for k, v in ind.items() if k not in _INDICATOR_VALUES}
                                      if isinstance(ind, dict) else ind for ind in inds]}


def _diff_collection(f: Field, old: list[Any], new: list[Any]) -> CollectionDiff:
    out = CollectionDiff(f.key, f.label, f.label_en)
    om = {str(it["id"]): it for it in old if isinstance(it, dict) and it.get("id") not in (None, "")}
    nm = {str(it["id"]): it for it in new if isinstance(it, dict) and it.get("id") not in (None, "")}
    strip = f.ids == "project"
    for k in _sorted(nm.keys() - om.keys()):
        out.added.append(Item(k, str(nm[k].get("name") or nm[k].get("title") or "")))
    for k in _sorted(om.keys() - nm.keys()):
        out.removed.append(Item(k, str(om[k].get("name") or om[k].get("title") or "")))
    for k in _sorted(om.keys() & nm.keys()):
        a, b = (_strip_indicator_values(om[k]), _strip_indicator_values(nm[k])) if strip else (om[k], nm[k])
        changes = _diff_fields(a, b, f.fields, "", ("", ""))
        if changes:
            out.changed.append(ItemChange(k, str(nm[k].get("name") or nm[k].get("title") or ""), changes))
    return out


def _diff_document(key: str, number: int, label: str, label_en: str, fields: tuple[Field, ...],
                   old: dict[str, Any], new: dict[str, Any]) -> DocumentDiff:
    doc = DocumentDiff(key, number, label, label_en)
    for f in fields:
        o, n = old.get(f.key), new.get(f.key)
        if f.kind == "list" and f.ids:
            doc.collections.append(_diff_collection(f, o if isinstance(o, list) else [],
                                                    n if isinstance(n, list) else []))
        else:
            doc.fields += _diff_value(o, n, f, f.key, (f.label, f.label_en))
    return doc


def _yv(v: Any) -> tuple[int | None, float | None] | None:
    if not isinstance(v, dict) or v.get("value") is None:
        return None
    y = v.get("year")
    return (int(y) if y is not None else None, float(v["value"]))


def _indicator_changes(old: Dossier, new: Dossier) -> list[IndicatorChange]:
    """Baseline, target and per-year actual values of indicators present in both versions."""
    op = {str(p.get("id")): p for p in old.element("projects").get("projects", [])}
    out: list[IndicatorChange] = []
    for p in sorted(new.element("projects").get("projects", []), key=lambda p: _natural(str(p.get("id")))):
        pid = str(p.get("id"))
        if pid not in op:
            continue
        oi = {str(i.get("name")): i for i in op[pid].get("indicators", []) or []}
        for ind in p.get("indicators", []) or []:
            name = str(ind.get("name"))
            if name not in oi:
                continue
            was = oi[name]
            base = dict(project=pid, project_name=str(p.get("name", "")), indicator=name,
                        unit=str(ind.get("unit") or ""))
            for kind in ("baseline", "target"):
                a, b = _yv(was.get(kind)), _yv(ind.get(kind))
                if a != b:
                    out.append(IndicatorChange(**base, kind=kind, old_year=a[0] if a else None,
                                               old=a[1] if a else None, new_year=b[0] if b else None,
                                               new=b[1] if b else None))
            oa, na = was.get("actual") or {}, ind.get("actual") or {}
            for y in sorted(set(oa) | set(na)):
                if oa.get(y) != na.get(y):
                    out.append(IndicatorChange(**base, kind="actual", old_year=int(y), old=_py(oa.get(y)),
                                               new_year=int(y), new=_py(na.get(y))))
    return out


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
    return _py(df.at[key, col]) if col in df.columns and key in df.index else None


def _compare(a: pd.DataFrame, b: pd.DataFrame) -> tuple[list[str], list[str], dict[str, list[str]]]:
    """(added ids, removed ids, {common id: differing columns}) of two `_frame`s."""
    added = _sorted(b.index.difference(a.index))
    removed = _sorted(a.index.difference(b.index))
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
    return added, removed, {k: diff[k] for k in _sorted(diff)}


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


def _members(old: Dossier, new: Dossier) -> MemberDiff:
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
    out.left.sort(key=lambda m: _natural(m.id))
    for k, cols in changed.items():
        cols = [c for c in cols if not (c == "until" and k in ended)]
        if cols:
            out.changed.append(ItemChange(k, str(_value(b, k, "name") or ""), _field_changes("members", a, b, k, cols)))
    return out


def _hazards(old: Dossier, new: Dossier) -> HazardDiff:
    a, b = _frame(old, "hazards"), _frame(new, "hazards")
    added, removed, changed = _compare(a, b)

    def hazard(df: pd.DataFrame, k: str) -> Hazard:
        return Hazard(k, str(_value(df, k, "description") or ""), str(_value(df, k, "location") or ""),
                      str(_value(df, k, "level") or ""), _value(df, k, "closed"))

    closed_b = b["closed"].notna() if "closed" in b else pd.Series(False, index=b.index)
    closed_a = a["closed"].notna() if "closed" in a else pd.Series(False, index=a.index)
    now_closed = set(b.index[closed_b.to_numpy()])
    was_closed = set(a.index[closed_a.to_numpy()])
    closed = _sorted(now_closed - was_closed)
    common = set(a.index) & set(b.index)
    out = HazardDiff(found=[hazard(b, k) for k in added], removed=[hazard(a, k) for k in removed],
                     closed=[hazard(b, k) for k in closed],
                     still_open=[hazard(b, k) for k in _sorted(common - now_closed - was_closed)])
    for k, cols in changed.items():
        cols = [c for c in cols if not (c == "closed" and k in closed)]
        if cols:
            out.changed.append(ItemChange(k, str(_value(b, k, "description") or ""),
                                          _field_changes("hazards", a, b, k, cols)))
    return out


RECORD_TABLES = (("meetings", "date"), ("activities", "date"), ("trainings", "date"), ("drills", "date"),
                 ("inspections", "date"), ("actions", "raised"), ("accidents", "date"))


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


def _records(old: Dossier, new: Dossier) -> list[RecordDiff]:
    out = []
    for name, col in RECORD_TABLES:
        t = TABLE_BY_NAME[name]
        a, b = _frame(old, name), _frame(new, name)
        added, removed, changed = _compare(a, b)
        rec = RecordDiff(name, t.label, t.label_en, t.element, added, removed)
        if name == "actions" and "done" in b:
            done_b, done_a = set(b.index[b["done"].notna().to_numpy()]), set(a.index[a["done"].notna().to_numpy()])
            rec.completed = _sorted(done_b - done_a)
        rec.changed = [k for k, cols in changed.items()
                       if [c for c in cols if not (c == "done" and k in rec.completed)]]
        co, cn = _year_counts(old, name, col), _year_counts(new, name, col)
        rec.by_year = _deltas(co, cn, _years(old, new, co.index, cn.index))
        out.append(rec)
    return out


def _population(old: Dossier, new: Dossier) -> CollectionDiff:
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


def _evidence(old: Dossier, new: Dossier) -> EvidenceDiff:
    a, b = _frame(old, "evidence"), _frame(new, "evidence")
    added, removed, changed = _compare(a, b)
    out = EvidenceDiff([Item(k, str(_value(b, k, "title") or "")) for k in added],
                       [Item(k, str(_value(a, k, "title") or "")) for k in removed])
    for k in _sorted(a.index.intersection(b.index)):
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


def _injuries(old: Dossier, new: Dossier) -> InjuryDiff:
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


def _accidents(old: Dossier, new: Dossier) -> AccidentDiff:
    ro, ko = accident_stats(old)
    rn, kn = accident_stats(new)
    years = _years(old, new)
    out = AccidentDiff()
    for attr in ("count", "deaths", "injured"):
        setattr(out, attr, _deltas({r.year: getattr(r, attr) for r in ro},
                                   {r.year: getattr(r, attr) for r in rn}, years))
    out.by_kind = _crosstab_deltas(ko, kn, years, _codes("accidents", "kind"))
    return out


def _pages(old: Dossier, new: Dossier) -> PageDiff:
    op, np_ = {p.file: p for p in old.pages}, {p.file: p for p in new.pages}
    out = PageDiff([Item(f, np_[f].title) for f in _sorted(np_.keys() - op.keys())],
                   [Item(f, op[f].title) for f in _sorted(op.keys() - np_.keys())])
    for f in _sorted(op.keys() & np_.keys()):
        a, b = op[f], np_[f]
        if a.text != b.text or a.title != b.title:
            text = "\n".join(difflib.unified_diff(a.text.splitlines(), b.text.splitlines(),
                                                  f"a/{f}", f"b/{f}", lineterm=""))
            out.changed.append(PageChange(f, b.title, a.title, text))
    return out


# --- public API ------------------------------------------------------------------------------


def diff_dossiers(old: Dossier, new: Dossier) -> DiffReport:
    """Compare two validated dossiers item by item, by id."""
    docs = [_diff_document("community", 0, "社区概况", "Community profile", COMMUNITY, old.community,
                           new.community)]
    for el in ELEMENTS:
        docs.append(_diff_document(el.slug, el.number, el.label, el.label_en, el.fields,
                                   old.element(el.slug), new.element(el.slug)))
    return DiffReport(
        old=Side(old.name, list(old.cycle)), new=Side(new.name, list(new.cycle)), documents=docs,
        indicators=_indicator_changes(old, new), population=_population(old, new),
        members=_members(old, new), hazards=_hazards(old, new), records=_records(old, new),
        evidence=_evidence(old, new), injuries=_injuries(old, new), accidents=_accidents(old, new),
        pages=_pages(old, new),
    )


def _collection_empty(c: CollectionDiff) -> bool:
    return not (c.added or c.removed or c.changed)


def _deltas_zero(rows: list[CountDelta]) -> bool:
    return all(r.delta == 0 or (r.delta is None and r.old == r.new) for r in rows)


def is_empty(report: DiffReport) -> bool:
    """True when nothing changed (hazards still open in both versions are not a change)."""
    r = report
    return (
        all(not d.fields and all(_collection_empty(c) for c in d.collections) for d in r.documents)
        and not r.indicators and _collection_empty(r.population)
        and not (r.members.joined or r.members.left or r.members.changed)
        and not (r.hazards.found or r.hazards.closed or r.hazards.removed or r.hazards.changed)
        and all(not (x.added or x.removed or x.changed or x.completed) and _deltas_zero(x.by_year)
                for x in r.records)
        and not (r.evidence.added or r.evidence.removed or r.evidence.content_changed or r.evidence.changed)
        and _deltas_zero(r.injuries.cases) and _deltas_zero(r.injuries.deaths) and not r.injuries.by_cause
        and _deltas_zero(r.accidents.count) and _deltas_zero(r.accidents.deaths)
        and _deltas_zero(r.accidents.injured) and not r.accidents.by_kind
        and not (r.pages.added or r.pages.removed or r.pages.changed)
    )


def to_json(report: DiffReport) -> str:
    """The report as JSON: dataclass field order (fixed), lists sorted by id, non-ASCII kept."""
    return json.dumps(dataclasses.asdict(report), ensure_ascii=False, indent=2, default=str)


# --- wording ---------------------------------------------------------------------------------

WORDS: dict[str, dict[str, str]] = {
    "zh": {
        "title": "本版变更", "report": "档案变更报告", "no_changes": "没有变化。", "empty": "（空）",
        "more_items": "……另有 {n} 项未列出，完整列表见站点的“本版变更”页",
        "yes": "是", "no": "否", "added": "新增", "removed": "删除", "changed": "修改",
        "summary_changed": "概述已修改", "list_added": "新增", "list_removed": "删除",
        "community": "社区概况", "element": "要素 {n}：{label}", "fields": "要素内容",
        "members": "成员", "joined": "新增成员", "left": "离任成员", "member_changed": "成员信息变更",
        "hazards": "隐患", "found": "新发现隐患", "closed": "销号", "still_open": "仍未销号",
        "closed_on": "销号日期", "completed": "新完成", "indicators": "评价指标数值",
        "year": "年份", "old": "上一版", "new": "本版", "delta": "变化", "count_by_year": "按年度统计",
        "injuries": "伤害记录（汇总）", "cases": "例数", "deaths": "死亡", "cause": "原因",
        "by_cause": "按原因", "accidents": "事故统计（汇总）", "accident_count": "起数",
        "injured": "受伤", "kind": "类型", "by_kind": "按类型",
        "evidence": "佐证材料", "content_changed": "文件内容更新", "pages": "叙述页面",
        "population": "人口", "year_suffix": "年", "ids": "{n} 项",
        "baseline": "基线", "target": "目标值", "actual": "实际值",
        "indicator_line": "项目 {project}「{project_name}」指标「{indicator}」：{what}",
        "prefix": "与上一版相比：", "nothing": "与上一版相比没有变化。", "sep": "、", "group_sep": "；",
        "end": "。", "colon": "：", "list_sep": "、",
    },
    "en": {
        "title": "Changes in this version", "report": "dossier change report", "no_changes": "No changes.",
        "more_items": "… and {n} more, listed in full on the site's page “Changes in this version”",
        "empty": "(empty)", "yes": "yes", "no": "no", "added": "Added", "removed": "Removed",
        "changed": "Changed", "summary_changed": "summary changed", "list_added": "added",
        "list_removed": "removed", "community": "Community profile", "element": "Element {n}: {label}",
        "fields": "Element content", "members": "Members", "joined": "Joined", "left": "Left",
        "member_changed": "Member details changed", "hazards": "Hazards", "found": "Newly found",
        "closed": "Closed", "still_open": "Still open", "closed_on": "closed", "completed": "Newly completed",
        "indicators": "Indicator values", "year": "Year", "old": "Previous", "new": "This version",
        "delta": "Change", "count_by_year": "By year", "injuries": "Injury records (aggregates)",
        "cases": "cases", "deaths": "deaths", "cause": "Cause", "by_cause": "By cause",
        "accidents": "Accident statistics (aggregates)", "accident_count": "accidents", "injured": "injured",
        "kind": "Kind", "by_kind": "By kind", "evidence": "Evidence", "content_changed": "File content changed",
        "pages": "Narrative pages", "population": "Population", "year_suffix": "", "ids": "{n} items",
        "baseline": "baseline", "target": "target", "actual": "actual",
        "indicator_line": "indicator {indicator} of project {project} ({project_name}): {what}",
        "prefix": "Compared with the previous version: ", "nothing": "No changes since the previous version.",
        "sep": ", ", "group_sep": "; ", "end": ".", "colon": ": ", "list_sep": ", ",
    },
}

SUMMARY_WORDS: dict[str, dict[str, str]] = {
    "zh": {
        "joined": "新增成员 {n} 人", "left": "离任 {n} 人", "member_changed": "成员信息变更 {n} 人",
        "found": "新发现隐患 {n} 项", "closed": "销号 {n} 项", "hazard_removed": "删除隐患 {n} 项",
        "hazard_changed": "隐患信息修改 {n} 项", "c_added": "{label}新增 {n} 项", "c_removed": "{label}删除 {n} 项",
        "c_changed": "{label}修改 {n} 项", "fields": "要素内容修改 {n} 处",
        "indicators": "评价指标数值变化 {n} 项", "r_added": "{label}新增 {n} 条", "r_removed": "{label}删除 {n} 条",
        "r_changed": "{label}修改 {n} 条", "completed": "完成措施 {n} 项",
        "population": "人口数据变化 {n} 个年度", "e_added": "佐证材料新增 {n} 份", "e_removed": "佐证材料删除 {n} 份",
        "e_content": "佐证材料内容更新 {n} 份", "e_changed": "佐证材料信息修改 {n} 份",
        "injuries": "伤害记录合计 {old} → {new} 例", "injury_mix": "伤害记录分布有变化",
        "p_added": "叙述页面新增 {n} 篇", "p_removed": "叙述页面删除 {n} 篇", "p_changed": "叙述页面修改 {n} 篇",
    },
    "en": {
        "joined": "{n} member{s} joined", "left": "{n} left", "member_changed": "{n} member{s} edited",
        "found": "{n} hazard{s} found", "closed": "{n} closed", "hazard_removed": "{n} hazard{s} removed",
        "hazard_changed": "{n} hazard{s} edited", "c_added": "{label}: {n} added", "c_removed": "{label}: {n} removed",
        "c_changed": "{label}: {n} changed", "fields": "{n} change{s} to element content",
        "indicators": "{n} indicator value{s} changed", "r_added": "{label}: {n} added",
        "r_removed": "{label}: {n} removed", "r_changed": "{label}: {n} changed",
        "completed": "{n} action{s} completed", "population": "population data changed for {n} year{s}",
        "e_added": "{n} evidence item{s} added", "e_removed": "{n} evidence item{s} removed",
        "e_content": "{n} evidence file{s} replaced", "e_changed": "{n} evidence record{s} edited",
        "injuries": "injury records {old} → {new} in total", "injury_mix": "injury distribution changed",
        "p_added": "{n} page{s} added", "p_removed": "{n} page{s} removed", "p_changed": "{n} page{s} changed",
    },
}


def _w(lang: str) -> dict[str, str]:
    return WORDS["en" if lang == "en" else "zh"]


def summary_paragraph(report: DiffReport, lang: str = "zh") -> str:
    """One paragraph of counts for the home page; it names no record, so it is safe anywhere."""
    w, s = _w(lang), SUMMARY_WORDS["en" if lang == "en" else "zh"]
    en = lang == "en"
    groups: list[list[str]] = []

    def add(*parts: tuple[str, int, dict[str, Any]]) -> None:
        got = [s[k].format(n=n, s="" if n == 1 else "s", **kw) for k, n, kw in parts if n]
        if got:
            groups.append(got)

    m, h = report.members, report.hazards
    add(("joined", len(m.joined), {}), ("left", len(m.left), {}), ("member_changed", len(m.changed), {}))
    add(("found", len(h.found), {}), ("closed", len(h.closed), {}), ("hazard_removed", len(h.removed), {}),
        ("hazard_changed", len(h.changed), {}))
    nfields = sum(len(d.fields) for d in report.documents)
    for d in report.documents:
        for c in d.collections:
            lab = {"label": c.label_en if en else c.label}
            add(("c_added", len(c.added), lab), ("c_removed", len(c.removed), lab),
                ("c_changed", len(c.changed), lab))
    add(("fields", nfields, {}), ("indicators", len(report.indicators), {}))
    for r in report.records:
        lab = {"label": r.label_en if en else r.label}
        add(("r_added", len(r.added), lab), ("r_removed", len(r.removed), lab), ("r_changed", len(r.changed), lab),
            ("completed", len(r.completed), {}))
    p = report.population
    add(("population", len({i.id for i in p.added + p.removed} | {c.id for c in p.changed}), {}))
    e = report.evidence
    add(("e_added", len(e.added), {}), ("e_removed", len(e.removed), {}),
        ("e_content", len(e.content_changed), {}), ("e_changed", len(e.changed), {}))
    inj = report.injuries
    if inj.total_old != inj.total_new:
        groups.append([s["injuries"].format(old=_n(inj.total_old), new=_n(inj.total_new))])
    elif inj.by_cause or not _deltas_zero(inj.cases) or not _deltas_zero(inj.deaths):
        groups.append([s["injury_mix"]])
    pg = report.pages
    add(("p_added", len(pg.added), {}), ("p_removed", len(pg.removed), {}), ("p_changed", len(pg.changed), {}))
    if not groups:
        return w["nothing"]
    return w["prefix"] + w["group_sep"].join(w["sep"].join(g) for g in groups) + w["end"]


# --- rendering: one block list, two output formats ---------------------------------------------


@dataclass
class _Block:
    kind: str  # h1 | h2 | h3 | p | li | table | code
    text: str = ""
    indent: int = 0  # li: nesting level; p: 1 inside a section
    headers: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)


def _fmt(v: Any, lang: str) -> str:
    w = _w(lang)
    if v is None:
        return w["empty"]
    if isinstance(v, bool):
        return w["yes"] if v else w["no"]
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() else f"{v:g}"
    if isinstance(v, (list, tuple)):
        return w["list_sep"].join(_fmt(x, lang) for x in v) if v else w["empty"]
    return str(v)


def _change_text(c: FieldChange, lang: str) -> str:
    w = _w(lang)
    label = c.label_en if lang == "en" else c.label
    if c.kind == "added":
        return f"{label}{w['colon']}{w['list_added']} {_fmt(c.new, lang)}"
    if c.kind == "removed":
        return f"{label}{w['colon']}{w['list_removed']} {_fmt(c.old, lang)}"
    if c.path.split(".")[-1] == "summary":
        return w["summary_changed"]
    if isinstance(c.old, list) or isinstance(c.new, list):
        o, n = c.old or [], c.new or []
        plus = [x for x in n if x not in o]
        minus = [x for x in o if x not in n]
        if plus or minus:
            parts = ([f"{w['list_added']} {_fmt(plus, lang)}"] if plus else []) + \
                    ([f"{w['list_removed']} {_fmt(minus, lang)}"] if minus else [])
            return f"{label}{w['colon']}{w['group_sep'].join(parts)}"
    return f"{label}{w['colon']}{_fmt(c.old, lang)} → {_fmt(c.new, lang)}"


def _short(sha: str, lang: str) -> str:
    return f"{sha[:12]}…" if sha else _w(lang)["empty"]


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _named(id_: str, name: str) -> str:
    return f"{id_} {name}".strip()


def _delta(n: int | None) -> str:
    return "—" if n is None else f"+{n}" if n > 0 else str(n)


def _n(n: int | None) -> str:
    """A count as published: hidden ones keep their mark."""
    return MARK if n is None else str(n)


def _item_change_blocks(verb: str, ch: ItemChange, lang: str) -> list[_Block]:
    out = [_Block("li", f"{verb} {_named(ch.id, ch.name)}")]
    out += [_Block("li", _change_text(c, lang), 1) for c in ch.changes]
    return out


def _collection_blocks(c: CollectionDiff, lang: str, label: str | None = None) -> list[_Block]:
    if _collection_empty(c):
        return []
    w = _w(lang)
    out = [_Block("h3", label or (_cap(c.label_en) if lang == "en" else c.label))]
    out += [_Block("li", f"{w['added']} {_named(i.id, i.name)}") for i in c.added]
    out += [_Block("li", f"{w['removed']} {_named(i.id, i.name)}") for i in c.removed]
    for ch in c.changed:
        out += _item_change_blocks(w["changed"], ch, lang)
    return out


def _member_text(m: Member, lang: str) -> str:
    detail = ("，" if lang != "en" else ", ").join(x for x in (m.role, m.group_name) if x)
    wrap = ("（", "）") if lang != "en" else (" (", ")")
    return f"{_named(m.id, m.name)}{wrap[0]}{detail}{wrap[1]}" if detail else _named(m.id, m.name)


def _hazard_text(h: Hazard, lang: str, closed: bool = False) -> str:
    sep = "，" if lang != "en" else ", "
    detail = sep.join(x for x in (h.level, h.location) if x)
    if closed and h.closed:
        detail += f"{sep}{_w(lang)['closed_on']} {h.closed}"
    wrap = ("（", "）") if lang != "en" else (" (", ")")
    return f"{_named(h.id, h.description)}{wrap[0]}{detail}{wrap[1]}" if detail else _named(h.id, h.description)


def _ids_line(label: str, ids: list[str], lang: str) -> _Block:
    w = _w(lang)
    return _Block("li", f"{label}（{len(ids)}）{w['colon']}{w['list_sep'].join(ids)}" if lang != "en"
                  else f"{label} ({len(ids)}){w['colon']}{w['list_sep'].join(ids)}")


def _count_table(rows: list[CountDelta], lang: str, first: str | None = None) -> _Block:
    w = _w(lang)
    head = ([first] if first else []) + [w["year"], w["old"], w["new"], w["delta"]]
    body = [([r.category] if first else []) + [str(r.year), _n(r.old), _n(r.new), _delta(r.delta)]
            for r in rows]
    return _Block("table", headers=head, rows=body)


def _indicator_text(c: IndicatorChange, lang: str) -> str:
    w = _w(lang)
    en = lang == "en"
    unit = f" {c.unit}" if c.unit else ""

    def at(year: int | None, kind: str) -> str:
        return f"{year} {w[kind]}" if en else f"{year}年{w[kind]}"

    if c.kind == "actual" or (c.old_year == c.new_year and c.old is not None and c.new is not None):
        what = f"{at(c.new_year, c.kind)} {_fmt(c.old, lang)} → {_fmt(c.new, lang)}{unit}"
    else:
        def yv(year: int | None, value: float | None) -> str:
            if value is None:
                return w["empty"]
            return f"{_fmt(value, lang)}{unit} ({year})" if en else f"{_fmt(value, lang)}{unit}（{year}年）"
        what = f"{w[c.kind]} {yv(c.old_year, c.old)} → {yv(c.new_year, c.new)}"
    return w["indicator_line"].format(project=c.project, project_name=c.project_name,
                                      indicator=c.indicator, what=what)


def _record_blocks(r: RecordDiff, lang: str) -> list[_Block]:
    w = _w(lang)
    out: list[_Block] = []
    if r.added:
        out.append(_ids_line(w["added"], r.added, lang))
    if r.removed:
        out.append(_ids_line(w["removed"], r.removed, lang))
    if r.changed:
        out.append(_ids_line(w["changed"], r.changed, lang))
    if r.completed:
        out.append(_ids_line(w["completed"], r.completed, lang))
    if not _deltas_zero(r.by_year):
        out.append(_Block("p", w["count_by_year"], 1))
        out.append(_count_table(r.by_year, lang))
    return [_Block("h3", _cap(r.label_en) if lang == "en" else r.label), *out] if out else []


def _injury_blocks(inj: InjuryDiff, lang: str) -> list[_Block]:
    if _deltas_zero(inj.cases) and _deltas_zero(inj.deaths) and not inj.by_cause:
        return []
    w = _w(lang)
    deaths = {d.year: d for d in inj.deaths}
    head = [w["year"], f"{w['old']} {w['cases']}", f"{w['new']} {w['cases']}", w["delta"],
            f"{w['old']} {w['deaths']}", f"{w['new']} {w['deaths']}", w["delta"]]
    rows = [[str(c.year), _n(c.old), _n(c.new), _delta(c.delta), _n(deaths[c.year].old),
             _n(deaths[c.year].new), _delta(deaths[c.year].delta)] for c in inj.cases]
    out = [_Block("h3", w["injuries"]), _Block("table", headers=head, rows=rows)]
    if inj.by_cause:
        out += [_Block("p", w["by_cause"], 1), _count_table(inj.by_cause, lang, w["cause"])]
    return out


def _accident_blocks(acc: AccidentDiff, lang: str) -> list[_Block]:
    if all(_deltas_zero(x) for x in (acc.count, acc.deaths, acc.injured)) and not acc.by_kind:
        return []
    w = _w(lang)
    head = [w["year"]] + [f"{side} {what}" for what in (w["accident_count"], w["deaths"], w["injured"])
                          for side in (w["old"], w["new"])]
    rows = [[str(c.year), str(c.old), str(c.new), str(d.old), str(d.new), str(i.old), str(i.new)]
            for c, d, i in zip(acc.count, acc.deaths, acc.injured, strict=True)]
    out = [_Block("h3", w["accidents"]), _Block("table", headers=head, rows=rows)]
    if acc.by_kind:
        out += [_Block("p", w["by_kind"], 1), _count_table(acc.by_kind, lang, w["kind"])]
    return out


def _document_blocks(d: DocumentDiff, lang: str) -> list[_Block]:
    out = [_Block("li", _change_text(c, lang)) for c in d.fields]
    for c in d.collections:
        out += _collection_blocks(c, lang)
    return out


def _blocks(report: DiffReport, lang: str) -> list[_Block]:
    w = _w(lang)
    en = lang == "en"
    out = [_Block("h1", w["title"])]
    if is_empty(report):
        out.append(_Block("p", w["no_changes"]))
        return out
    out.append(_Block("p", summary_paragraph(report, lang)))
    records = {r.table: r for r in report.records}
    for d in report.documents:
        body = _document_blocks(d, lang)
        if d.number == 0:
            body += _collection_blocks(report.population, lang, w["population"])
        if d.key == "organisation":
            m = report.members
            if m.joined or m.left or m.changed:
                body.append(_Block("h3", w["members"]))
                body += [_Block("li", f"{w['joined']} {_member_text(x, lang)}") for x in m.joined]
                body += [_Block("li", f"{w['left']} {_member_text(x, lang)}") for x in m.left]
                for ch in m.changed:
                    body += _item_change_blocks(w["member_changed"], ch, lang)
        if d.key == "risk":
            h = report.hazards
            if h.found or h.closed or h.removed or h.changed:
                body.append(_Block("h3", w["hazards"]))
                body += [_Block("li", f"{w['found']} {_hazard_text(x, lang)}") for x in h.found]
                body += [_Block("li", f"{w['closed']} {_hazard_text(x, lang, True)}") for x in h.closed]
                body += [_Block("li", f"{w['removed']} {_hazard_text(x, lang)}") for x in h.removed]
                for ch in h.changed:
                    body += _item_change_blocks(w["changed"], ch, lang)
                if h.still_open:
                    body.append(_ids_line(w["still_open"], [x.id for x in h.still_open], lang))
        if d.key == "projects" and report.indicators:
            body.append(_Block("h3", w["indicators"]))
            body += [_Block("li", _indicator_text(c, lang)) for c in report.indicators]
        if d.key == "records":
            body += _injury_blocks(report.injuries, lang)
            body += _accident_blocks(report.accidents, lang)
        if d.key == "archive":
            e = report.evidence
            if e.added or e.removed or e.content_changed or e.changed:
                body.append(_Block("h3", w["evidence"]))
                body += [_Block("li", f"{w['added']} {_named(i.id, i.name)}") for i in e.added]
                body += [_Block("li", f"{w['removed']} {_named(i.id, i.name)}") for i in e.removed]
                for c in e.content_changed:
                    hashes = f"sha256 {_short(c.old_sha256, lang)} → {_short(c.new_sha256, lang)}"
                    body.append(_Block("li", f"{w['content_changed']} {_named(c.id, c.title)}"
                                       + (f"（{hashes}）" if not en else f" ({hashes})")))
                for ch in e.changed:
                    body += _item_change_blocks(w["changed"], ch, lang)
        for r in report.records:
            if TABLE_BY_NAME[r.table].element == d.number and d.number:
                body += _record_blocks(records[r.table], lang)
        if body:
            title = w["community"] if d.number == 0 else w["element"].format(
                n=d.number, label=d.label_en if en else d.label)
            out.append(_Block("h2", title))
            out += body
    pg = report.pages
    if pg.added or pg.removed or pg.changed:
        out.append(_Block("h2", w["pages"]))
        out += [_Block("li", f"{w['added']} {i.name}（{i.id}）" if not en else f"{w['added']} {i.name} ({i.id})")
                for i in pg.added]
        out += [_Block("li", f"{w['removed']} {i.name}（{i.id}）" if not en else f"{w['removed']} {i.name} ({i.id})")
                for i in pg.removed]
        for c in pg.changed:
            title = c.title if c.title == c.old_title else f"{c.old_title} → {c.title}"
            out.append(_Block("h3", f"{w['changed']} {title}（{c.file}）" if not en
                              else f"{w['changed']} {title} ({c.file})"))
            out.append(_Block("code", c.diff))
    return out


# --- Markdown --------------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#!|~])")


def md_escape(value: Any, line_start: bool = True) -> str:
    """Dossier text as inert inline Markdown: no HTML, no Markdown syntax, no line breaks.

    Markdown specials are backslash-escaped first and `& < >` entity-escaped after, so an entity
    is never broken by a backslash. `line_start=False` (table cells) keeps a leading `+2` as is.
    """
    text = re.sub(r"\s*[\r\n]+\s*", " ", str(value)).strip()
    text = _MD_SPECIAL.sub(r"\\\1", text)
    if not line_start:
        return html.escape(text, quote=False)
    text = re.sub(r"^(\d+)([.)])", r"\1\\\2", text)  # "1. x" must not start a list
    text = re.sub(r"^([-+=>])", r"\\\1", text)  # nor "- x", a setext rule or a quote
    return html.escape(text, quote=False)


def _fence(text: str) -> str:
    """A backtick fence longer than any backtick run in `text`, so the text cannot close it."""
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    return "`" * max(3, longest + 1)


PAPER_MAX_ITEMS = 100  # items per list in the PDF's appendix; 13,000 lines on paper help nobody


def _capped(blocks: list[_Block], max_items: int, lang: str) -> list[_Block]:
    """At most `max_items` top-level list items per run of items (with their sub-items), then one
    item saying how many were left out."""
    out: list[_Block] = []
    shown = skipped = 0
    for b in [*blocks, _Block("end")]:
        if b.kind != "li":
            if skipped:
                out.append(_Block("li", _w(lang)["more_items"].format(n=skipped)))
            shown = skipped = 0
            if b.kind != "end":
                out.append(b)
            continue
        if b.indent == 0:
            if shown < max_items:
                shown += 1
            else:
                skipped += 1
        if not skipped:
            out.append(b)
    return out


def render_markdown(report: DiffReport, lang: str = "zh", max_items: int | None = None) -> str:
    """The "本版变更" page of the site: every dossier value escaped, page diffs fenced.

    `max_items` caps each list (the PDF's appendix: a summary on paper, the site has every item).
    """
    lines: list[str] = []
    blocks = _blocks(report, lang)
    for b in _capped(blocks, max_items, lang) if max_items is not None else blocks:
        if b.kind in ("h1", "h2", "h3"):
            lines += ["", "#" * int(b.kind[1]) + " " + md_escape(b.text), ""]
        elif b.kind == "p":
            lines += ["", md_escape(b.text), ""]
        elif b.kind == "li":
            lines.append("    " * b.indent + "- " + md_escape(b.text))
        elif b.kind == "table":
            lines += ["", "| " + " | ".join(md_escape(h, False) for h in b.headers) + " |",
                      "|" + "|".join("---" for _ in b.headers) + "|"]
            lines += ["| " + " | ".join(md_escape(c, False) for c in row) + " |" for row in b.rows]
            lines.append("")
        elif b.kind == "code":
            fence = _fence(b.text)
            lines += ["", f"{fence}diff", b.text, fence, ""]
    text = "\n".join(lines).strip("\n")
    return re.sub(r"\n{3,}", "\n\n", text) + "\n"


# --- terminal --------------------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _clean(text: str) -> str:
    """No control characters (ANSI escapes in a dossier value must not drive the terminal)."""
    return _CONTROL.sub("?", text)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def render_text(report: DiffReport, lang: str = "zh") -> str:
    """A readable terminal report of the same content as the Markdown page."""
    w = _w(lang)
    out: list[str] = []
    for b in _blocks(report, lang):
        text = _clean(re.sub(r"\s*[\r\n]+\s*", " ", b.text)) if b.kind != "code" else b.text
        if b.kind == "h1":
            head = f"{w['title']}：{report.old.name} → {report.new.name}" if lang != "en" else \
                f"{w['title']}: {report.old.name} → {report.new.name}"
            head = _clean(head)
            out += [head, "=" * _width(head)]
        elif b.kind == "h2":
            out += ["", f"【{text}】" if lang != "en" else f"[{text}]"]
        elif b.kind == "h3":
            out += ["", f"  {text}"]
        elif b.kind == "p":
            out.append("  " * (b.indent + 1) + text)
        elif b.kind == "li":
            out.append("    " + "  " * b.indent + ("- " if b.indent else "· ") + text)
        elif b.kind == "table":
            rows = [[_clean(c) for c in r] for r in [b.headers, *b.rows]]
            widths = [max(_width(r[i]) for r in rows) for i in range(len(b.headers))]
            out += ["    " + "  ".join(_pad(c, widths[i]) for i, c in enumerate(r)).rstrip() for r in rows]
        elif b.kind == "code":
            out += ["      " + _clean(line) for line in b.text.splitlines()]
    return "\n".join(out) + "\n"


__all__ = [
    "PAPER_MAX_ITEMS", "DiffReport", "diff_dossiers", "is_empty", "md_escape", "render_markdown", "render_text",
    "summary_paragraph", "to_json",
]
