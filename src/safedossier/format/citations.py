"""Where the dossier cites its evidence, read from the schema (every `ref="evidence"` field).

One walk serves `dossier check` (evidence of another element, or dated far from the record) and the
outputs' "cited by" lists, so both see the same citations.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pandas as pd

from safedossier.format.context import dotted
from safedossier.format.model import Dossier
from safedossier.format.schema import ELEMENTS, TABLES, Field

#: Evidence dated more than this many days before a record's start or after its end is "far from it".
#: A photo, minutes or a sign-in sheet is made within days of its event; a season (about three months)
#: apart means the file belongs to another event (a June flood-drill photo behind a November fire drill).
MAX_DAYS = 90

TITLE_KEYS = ("title", "scenario", "name", "target", "issue")
Span = tuple[dt.date, dt.date]
LineOf = Callable[[str, tuple[Any, ...]], int | None]  # (file, YAML path) → line


@dataclass(frozen=True)
class Citation:
    """One record (table row, YAML list item, or an element document itself) citing one evidence id."""

    evidence: str
    element: int  # the element the citing record belongs to
    where: str  # table name, YAML list key ("projects"), or "" for the element's own `evidence:`
    record: str  # the record's id ("YL-2024-05", "P01", "2024" for a yearly plan, "" for the element)
    title: str
    file: str
    line: int | None
    field: str
    span: Span | None  # the record's date (or start–end); None when it has none


def as_date(value: Any) -> dt.date | None:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    try:
        ts = pd.Timestamp(value)
    except (ValueError, TypeError):
        return None
    return None if pd.isna(ts) else ts.date()


def _title(item: Any) -> str:
    for key in TITLE_KEYS:
        value = item.get(key)
        if value is not None and not (isinstance(value, float) and pd.isna(value)) and str(value).strip():
            return str(value)
    return ""


def _item_span(item: dict[str, Any]) -> Span | None:
    start, end = as_date(item.get("start")), as_date(item.get("end"))
    if start or end:
        return (start or end, end or start)  # type: ignore[return-value]
    if (day := as_date(item.get("date"))) is not None:
        return day, day
    year = item.get("year")
    if isinstance(year, int) and not isinstance(year, bool):
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    return None


def _ids(value: Any) -> list[str]:
    return [str(v) for v in value if v] if isinstance(value, list) else []


def citations(d: Dossier, line_of: LineOf | None = None) -> Iterator[Citation]:
    """Every (record, evidence id) pair, tables first, then the element documents in order."""
    for t in TABLES:
        refs = [f.key for f in t.fields if f.ref == "evidence"]
        df = d.tables.get(t.name)
        if df is None or not refs:
            continue
        rows = df.attrs.get("rows")
        file = str(df.attrs.get("file", f"data/{t.name}.csv"))
        for i, rec in enumerate(df.to_dict("records")):
            day = as_date(rec.get("date"))
            for key in refs:
                for ev in _ids(rec.get(key)):
                    yield Citation(ev, t.element, t.name, str(rec.get("id") or ""), _title(rec), file,
                                   int(rows[i]) if rows is not None else None, key,
                                   (day, day) if day else None)
    for el in ELEMENTS:
        doc = d.element(el.slug)
        file = f"dossier/{el.filename}"
        yield from _walk(doc, el.fields, el.number, file, (), line_of)


def _walk(doc: dict[str, Any], fields: tuple[Field, ...], element: int, file: str, path: tuple[Any, ...],
          line_of: LineOf | None) -> Iterator[Citation]:
    for f in fields:
        value = doc.get(f.key)
        if f.ref == "evidence" and not path:  # the element's own list
            for ev in _ids(value):
                yield Citation(ev, element, "", "", "", file, line_of(file, (f.key,)) if line_of else None,
                               f.key, None)
        elif f.kind == "list" and f.fields and isinstance(value, list):
            refs = [g.key for g in f.fields if g.ref == "evidence"]
            for i, item in enumerate(value):
                if not isinstance(item, dict):
                    continue
                rid = str(item.get("id") or item.get("year") or i + 1)
                for key in refs:
                    at = path + (f.key, i, key)
                    for ev in _ids(item.get(key)):
                        yield Citation(ev, element, f.key, rid, _title(item), file,
                                       line_of(file, at) if line_of else None,
                                       dotted((f.key, rid, key)), _item_span(item))


def days_apart(day: dt.date, span: Span) -> int:
    """Days from `day` to the nearest end of `span` (0 inside it)."""
    start, end = span
    return (start - day).days if day < start else (day - end).days if day > end else 0


__all__ = ["MAX_DAYS", "Citation", "as_date", "citations", "days_apart"]
