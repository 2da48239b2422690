"""Cell values and widths shared by the workbook and the document."""

from __future__ import annotations

import datetime as dt
import unicodedata
from typing import Any

import pandas as pd

from safedossier.analyse.views import Cell
from safedossier.trust.targets import OFFICE_MARKER

#: the fixed moment written into every office file's properties: the same commit gives the same bytes
EPOCH = dt.datetime(2000, 1, 1)
CREATOR = "safedossier"
MARKER = OFFICE_MARKER  # in the keywords of every file we write: `trust.targets` recognises our own by it


def text_width(text: str) -> int:
    """Columns a text takes on screen: East Asian wide and fullwidth characters count two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def column_width(values: list[str], low: int = 6, high: int = 60) -> float:
    """An Excel column width fitting the widest line of `values` (plus a little padding), bounded."""
    widest = max((text_width(line) for v in values for line in str(v).splitlines()), default=0)
    return float(min(high, max(low, widest + 2)))


def plain(value: Any, yes: str = "是", no: str = "否") -> Any:
    """A value as a cell holds it: dates as `datetime.date`, lists joined, `Cell`s as their text,
    missing values as None; numbers stay numbers."""
    if isinstance(value, Cell):
        value = value.value
    if isinstance(value, list | tuple):
        return "；".join(str(x) for x in value) or None
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, float) and pd.isna(value):
        return None
    if isinstance(value, pd.Timestamp | dt.datetime):
        return value.date()
    if isinstance(value, bool):
        return yes if value else no
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def shown(value: Any) -> str:
    """A cell's text as a reader sees it (for widths and for Word tables)."""
    v = plain(value)
    if v is None:
        return ""
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)
