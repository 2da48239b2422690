"""What every check of a dossier shares: the report, the id spaces filled so far, the references
waiting to be resolved, and the words for types."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from safedossier.format.diagnostics import Report
from safedossier.format.schema import (
    ELEMENTS,
    TABLES,
    Field,
)

TYPE_NAMES = {
    "text": ("文本", "text"), "int": ("整数", "a whole number"), "number": ("数字", "a number"),
    "date": ("日期 YYYY-MM-DD", "a date YYYY-MM-DD"), "year": ("四位年份", "a four-digit year"),
    "bool": ("是 或 否", "是 or 否"), "ref": ("编号", "an id"), "map": ("“键: 值”映射", "a mapping"),
    "list": ("列表", "a list"), "yearmap": ("“年份: 数值”映射", "a mapping year: value"),
}
TRUE_WORDS = {"是", "y", "yes", "true", "1", "√", "✓"}
FALSE_WORDS = {"否", "n", "no", "false", "0", "×"}
def _refs(fields: tuple[Field, ...]) -> set[str]:
    return {f.ref for f in fields if f.ref} | {r for f in fields for r in _refs(f.fields)}


REFERENCED = _refs(tuple(f for t in TABLES for f in t.fields)) | _refs(
    tuple(f for el in ELEMENTS for f in el.fields))  # id spaces something points into
MAX_CELL = 20_000  # characters in one table cell
MAX_TEXT = 200_000  # characters in one YAML text value
LIST_SEP = re.compile(r"\s*[;；]\s*")
DATE_RE = (r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
           r"(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$")


def say(rep: Report, f: Field) -> Any:
    """How a broken constraint of `f` is reported: an error, or a warning when FORMAT.md does not
    state that constraint (`Field.loose`)."""
    return rep.warn if f.loose else rep.error


@dataclass
class Ref:
    """References waiting to be resolved: values of one field, with where each came from."""

    ns: str
    file: str
    field: str
    values: list[str]
    lines: list[int | None]
    extra: tuple[str, ...] = ()
    soft: bool = False  # free text: what names nothing is a note, once per value


@dataclass
class Context:
    report: Report
    cycle: tuple[int, int] | None = None
    ids: dict[str, dict[str, tuple[str, int | None]]] = field(default_factory=dict)
    names: dict[str, dict[str, str]] = field(default_factory=dict)  # ns → item name → id
    refs: list[Ref] = field(default_factory=list)
    dated: list[tuple[str, int | None, str, dt.date]] = field(default_factory=list)  # in-cycle YAML dates

    def define(self, ns: str, value: str, file: str, line: int | None, fld: str) -> None:
        space = self.ids.setdefault(ns, {})
        if value in space:
            first = space[value]
            self.report.error("duplicate_id", file, line, fld, found=value, first=first[1])
        else:
            space[value] = (file, line)


def dotted(path: tuple[Any, ...]) -> str:
    out = ""
    for p in path:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out


def as_year(v: Any) -> int | None:
    if isinstance(v, bool):
        return None
    if isinstance(v, int) and 1900 <= v <= 2100:
        return v
    if isinstance(v, str) and re.fullmatch(r"\d{4}\s*年?", v.strip()):  # 2024 or 2024年
        return as_year(int(v.strip().rstrip("年")))
    return None
