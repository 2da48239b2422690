"""Compare two validated dossiers for the annual review (评审与持续改进).

Reviewers ask what changed since the last submission: who joined or left the committee, which
hazards were closed, which indicators moved, which documents were replaced. Items are matched by
id (never by row position), so reordering a file is not a change. Injury records are compared only
as aggregates (cases and deaths per year, cases per cause): the report is published with the site,
and a record-level diff of injuries would leak health information (PIPL).

`diff_dossiers` builds a `DiffReport` (`changes.py`); `changes_render.py` turns it into a terminal
report, a Markdown page for the site, or one home-page paragraph.
"""

from __future__ import annotations

from typing import Any

from safedossier.archive.changes import (
    CollectionDiff,
    DiffReport,
    DocumentDiff,
    FieldChange,
    IndicatorChange,
    Item,
    ItemChange,
    Side,
)
from safedossier.archive.diff_helpers import natural_key, plain, sorted_ids
from safedossier.archive.diff_tables import (
    accidents_diff,
    evidence_diff,
    hazards_diff,
    injuries_diff,
    members_diff,
    pages_diff,
    population_diff,
    records_diff,
)
from safedossier.format.model import Dossier
from safedossier.format.schema import COMMUNITY, ELEMENTS, Field

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
        return [FieldChange(f"{path}.{y}", *_sub(label, f"{y}年", str(y)), plain(o.get(y)), plain(n.get(y)))
                for y in sorted(set(o) | set(n)) if o.get(y) != n.get(y)]
    return [FieldChange(path, label[0], label[1], plain(old), plain(new))]


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
    for k in sorted_ids(nm.keys() - om.keys()):
        out.added.append(Item(k, str(nm[k].get("name") or nm[k].get("title") or "")))
    for k in sorted_ids(om.keys() - nm.keys()):
        out.removed.append(Item(k, str(om[k].get("name") or om[k].get("title") or "")))
    for k in sorted_ids(om.keys() & nm.keys()):
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
    for p in sorted(new.element("projects").get("projects", []), key=lambda p: natural_key(str(p.get("id")))):
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
                    out.append(IndicatorChange(**base, kind="actual", old_year=int(y), old=plain(oa.get(y)),
                                               new_year=int(y), new=plain(na.get(y))))
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
        indicators=_indicator_changes(old, new), population=population_diff(old, new),
        members=members_diff(old, new), hazards=hazards_diff(old, new), records=records_diff(old, new),
        evidence=evidence_diff(old, new), injuries=injuries_diff(old, new), accidents=accidents_diff(old, new),
        pages=pages_diff(old, new),
    )
