"""The office's self-assessment, `dossier/self-assessment.yml`: read and check it against its scheme.

`check_self_assessment` is what `dossier check` runs (from `validate.validate`, once every id space is
known, so evidence and member ids resolve); `load_assessment` is what `dossier score` runs on a dossier
that already passed the check.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from safedossier.analyse.scoring.scheme import Checker, Scheme, resolve_scheme
from safedossier.format.diagnostics import Report
from safedossier.format.load import Sources, YamlDoc, read_yaml
from safedossier.format.schema import NAMESPACES

NAME = "self-assessment.yml"
FILE = f"dossier/{NAME}"
KEYS = ("scheme", "date", "assessors", "items")
ITEM_KEYS = ("note", "evidence")  # besides the item's part names
REF_TABLES = {"evidence": "evidence", "member": "members"}  # namespace → the table defining it
_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")


@dataclass(frozen=True)
class Given:
    """One item as the office graded it: part → grade (parts left out are not assessed)."""

    grades: dict[str, str]
    note: str = ""
    evidence: tuple[str, ...] = ()
    line: int | None = None


@dataclass(frozen=True)
class Assessment:
    scheme: Scheme
    date: str
    assessors: tuple[str, ...]
    items: dict[str, Given]
    file: str = FILE

    def not_graded(self) -> int:
        """Parts of the scheme's items that have no grade yet."""
        return sum(1 for it in self.scheme.items for p in it.parts
                   if p not in (self.items.get(it.id) or Given({})).grades)


def check_self_assessment(src: Sources, ids: Mapping[str, Mapping[str, Any]], report: Report) -> Assessment | None:
    """Check the dossier's self-assessment (if it has one) and the scheme it names. A scheme file inside
    the dossier becomes one of its sources (in the manifest, scanned for personal data like the rest)."""
    doc = src.yaml.get(NAME)
    if doc is None:
        return None
    skip = {ns for ns, t in REF_TABLES.items()
            if t not in src.tables and any(f.startswith(f"data/{t}.") for f in src.files)}
    assessment, scheme_doc = parse_assessment(doc, src.root, report, ids, skip)
    if scheme_doc is not None and scheme_doc.file not in src.files:
        src.files.append(scheme_doc.file)
        src.yaml[scheme_doc.file] = scheme_doc
    if assessment is not None:
        from safedossier.analyse.scoring.agree import check_review_scores  # it scores: imports this module

        check_review_scores(src, assessment, report)
    if assessment is not None and assessment.not_graded():
        report.info("score_incomplete", doc.file, doc.line(("items",)), "items",
                    count=assessment.not_graded(), items=len(assessment.scheme.items))
    return assessment


def load_assessment(root: Path, report: Report) -> Assessment | None:
    """The self-assessment of a dossier that passed `dossier check` (references are not looked up again)."""
    path = root / FILE
    if not path.is_file():
        report.error("self_assessment_missing", FILE)
        return None
    doc = read_yaml(path, FILE, report)
    return parse_assessment(doc, root, report, None, set())[0] if doc is not None else None


def parse_assessment(doc: YamlDoc, root: Path, report: Report, ids: Mapping[str, Mapping[str, Any]] | None,
                     skip: set[str]) -> tuple[Assessment | None, YamlDoc | None]:
    """The checked assessment (None on errors) and the dossier's scheme document it was scored on."""
    ck = Checker(doc, report)
    data = {} if doc.data is None else doc.data
    if not isinstance(data, dict):
        report.error("yaml_not_mapping", doc.file, doc.line(()), found=type(data).__name__)
        return None, None
    ck.unknown_keys(data, KEYS, ())
    scheme, scheme_doc = None, None
    ref = ck.required(data, "scheme", ())
    if ref is not None and (ref := ck.text(ref, ("scheme",))) is not None:
        scheme, scheme_doc = resolve_scheme(root, ref, report, doc.file, doc.line(("scheme",)))
        if scheme is None:
            ck.ok = False
    date = _date(ck, ck.required(data, "date", ()))
    assessors = _refs(ck, data.get("assessors"), ("assessors",), "member", ids, skip)
    items = _items(ck, data.get("items"), scheme, ids, skip)
    if not ck.ok or scheme is None or date is None:
        return None, scheme_doc
    return Assessment(scheme, date, assessors, items, doc.file), scheme_doc


def _date(ck: Checker, value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    m = _DATE.fullmatch(str(value).strip())
    try:
        if m:
            return dt.date(*map(int, m.groups())).isoformat()
    except ValueError:  # 2025-02-30
        pass
    ck.error("date_invalid", ("date",), value)
    return None


def _refs(ck: Checker, value: Any, path: tuple[Any, ...], ns: str, ids: Mapping[str, Mapping[str, Any]] | None,
          skip: set[str]) -> tuple[str, ...]:
    """A list of ids (a single id is accepted as a list of one); each must exist in `ns`."""
    if value is None or value == "":
        return ()
    if isinstance(value, dict):
        ck.type_error(path, value, "编号列表，如 [E001, E002]", "a list of ids, e.g. [E001, E002]")
        return ()
    values = value if isinstance(value, list) else [value]
    out = []
    for i, v in enumerate(values):
        p = path + (i,) if isinstance(value, list) else path
        text = ck.text(v, p)
        if text is None:
            continue
        if ids is not None and ns not in skip and text not in ids.get(ns, {}):
            space = NAMESPACES[ns]
            ck.error("dangling_ref", p, text, ns=space.label, ns_en=space.label_en)
        out.append(text)
    return tuple(out)


def _items(ck: Checker, value: Any, scheme: Scheme | None, ids: Mapping[str, Mapping[str, Any]] | None,
           skip: set[str]) -> dict[str, Given]:
    if value is None:
        return {}
    data = ck.mapping(value, ("items",))
    out: dict[str, Given] = {}
    first: dict[str, int | None] = {}
    for key, v in (data or {}).items():
        path = ("items", key)
        iid = ck.key(key, path)
        if iid is None:
            continue
        if iid in first:
            ck.error("duplicate_id", path, iid, name=f"items.{iid}", first=first[iid])
            continue
        first[iid] = ck.doc.line(path)
        item = scheme.by_id.get(iid) if scheme else None
        if scheme is not None and item is None:
            ck.error("score_unknown_item", path, iid, scheme=scheme.id,
                     example="、".join(i.id for i in scheme.items[:3]))
        if v is None:
            continue
        if not isinstance(v, dict):
            ck.type_error(path, v, "“部分: 等级”映射，如 {有无: a, 痕迹: b}", "a mapping part: grade, e.g. {有无: a}")
            continue
        grades: dict[str, str] = {}
        for part, grade in v.items():
            if part in ITEM_KEYS:
                continue
            ppath = path + (part,)
            if item is not None and part not in item.parts:
                ck.error("score_unknown_part", ppath, part, item=iid,
                         allowed="、".join([*item.parts, *ITEM_KEYS]))
                continue
            if grade is None or grade == "" or scheme is None:
                continue  # not assessed yet
            name = _grade(grade, scheme)
            if name is None:
                ck.error("score_unknown_grade", ppath, grade, allowed="、".join(scheme.grades))
                continue
            grades[str(part)] = name
        note = v.get("note")
        if note is not None and not isinstance(note, str):
            ck.type_error(path + ("note",), note, "文本", "text")
        evidence = _refs(ck, v.get("evidence"), path + ("evidence",), "evidence", ids, skip)
        out[iid] = Given(grades, note if isinstance(note, str) else "", evidence, first[iid])
    return out


def _grade(value: Any, scheme: Scheme) -> str | None:
    """The scheme's grade a value names: exactly, or by a case-insensitive match (A for a)."""
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        return None
    text = str(value).strip()
    if text in scheme.grades:
        return text
    folded = [g for g in scheme.grades if g.casefold() == text.casefold()]
    return folded[0] if len(folded) == 1 else None


__all__ = ["FILE", "Assessment", "Given", "check_self_assessment", "load_assessment"]
