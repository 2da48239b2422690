"""`dossier export xlsx`: the registers and statistics tables as one styled workbook.

One sheet per register, header row frozen, filters on, dates as date cells, widths fitted to Chinese
text (xlsxwriter's `autofit()` counts a CJK character as one Latin width, so widths are counted here),
open and overdue rows filled. The bytes depend only on the dossier: document properties are fixed and
xlsxwriter stamps its zip members with a constant date.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import xlsxwriter

from safedossier.analyse.views import Views
from safedossier.outputs.office.cells import CREATOR, EPOCH, MARKER, column_width, plain, shown
from safedossier.outputs.office.sheets import Sheet, all_sheets

FILLS = {"": None, "open": "#FFF4CE", "overdue": "#F8D7DA"}
FONT = "等线"  # Excel's default Chinese UI font (WPS substitutes its own): CJK text never falls back to a serif


class _Formats:
    """One format object per (kind, fill), created on first use."""

    def __init__(self, wb: Any) -> None:
        self.wb, self.cache = wb, {}

    def get(self, kind: str, fill: str) -> Any:
        if (kind, fill) not in self.cache:
            props: dict[str, Any] = {"font_name": FONT, "font_size": 10, "valign": "top"}
            if kind == "date":
                props["num_format"] = "yyyy-mm-dd"
            elif kind == "head":
                props.update(bold=True, bg_color="#DDEBE7", bottom=1, text_wrap=True)
            if FILLS.get(fill):
                props["bg_color"] = FILLS[fill]
            self.cache[(kind, fill)] = self.wb.add_format(props)
        return self.cache[(kind, fill)]


def set_properties(wb: Any, title: str) -> None:
    """Fixed document properties: the file records no time, user or machine."""
    wb.set_properties({"title": title, "author": CREATOR, "company": "", "created": EPOCH,
                       "keywords": MARKER, "comments": ""})


def _write_sheet(wb: Any, fmts: _Formats, sheet: Sheet) -> None:
    ws = wb.add_worksheet(sheet.name)
    n = len(sheet.header)
    for c, head in enumerate(sheet.header):
        ws.write_string(0, c, head, fmts.get("head", ""))
    for r, (row, mark) in enumerate(zip(sheet.rows, sheet.marks or [""] * len(sheet.rows), strict=True), 1):
        for c, raw in enumerate(row):
            value = plain(raw)
            if value is None:
                ws.write_blank(r, c, None, fmts.get("text", mark))
            elif isinstance(value, dt.date):
                ws.write_datetime(r, c, dt.datetime.combine(value, dt.time()), fmts.get("date", mark))
            elif isinstance(value, int | float) and not isinstance(value, bool):
                ws.write_number(r, c, value, fmts.get("text", mark))
            else:
                ws.write_string(r, c, str(value), fmts.get("text", mark))
    for c in range(n):
        values = [sheet.header[c], *(shown(row[c]) for row in sheet.rows)]
        ws.set_column(c, c, column_width(values))
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, max(len(sheet.rows), 1), max(n - 1, 0))


def workbook_bytes(v: Views, title: str) -> bytes:
    """The whole workbook of one dossier version, as bytes (nothing is written to disk)."""
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_numbers": False,
                                   "strings_to_formulas": False, "strings_to_urls": False})
    set_properties(wb, title)
    fmts = _Formats(wb)
    for sheet in all_sheets(v):
        _write_sheet(wb, fmts, sheet)
    wb.close()
    return buf.getvalue()
