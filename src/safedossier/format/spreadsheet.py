"""Read workbooks as Excel and WPS save them: .xlsx, .xlsm, .xls, .xlsb, .ods and WPS's .et.

python-calamine (Rust) reads every cell the file holds: it ignores a stale `<dimension>` (openpyxl's
read-only mode stopped there and lost rows), knows the zh-CN built-in date formats (ids 27–36 and
50–58, `2024年3月5日`) and reports which sheets are hidden. What it cannot tell — a formula saved
without its computed value — is looked up in the sheet's XML, because such a cell reads as empty and
an empty optional cell is a silent wrong figure.

Which sheet holds the table is decided in `load.py`; this module only returns the visible sheets.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# Characters that change a code without showing: zero widths, word joiner, BOM (stripped from cells;
# NBSP and the ideographic space are whitespace to str.strip already)
INVISIBLE = re.compile("[\u200b-\u200d\u2060\ufeff]")
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods", ".et")
ZIP_SUFFIXES = (".xlsx", ".xlsm", ".xlsb", ".ods")


class WorkbookError(Exception):
    """The file is not a workbook calamine can read (the message is calamine's)."""


@dataclass
class Sheet:
    name: str
    cells: list[list[str]]  # the used area, as text
    first_row: int  # spreadsheet row number of cells[0] (1-based)
    first_col: int  # column index of cells[i][0] (0-based; 0 is column A)
    blank_formulas: list[str] = field(default_factory=list)  # cell refs of formulas with no value

    def row_number(self, i: int) -> int:
        return self.first_row + i


@dataclass
class Workbook:
    sheets: list[Sheet]  # visible worksheets, in the workbook's order
    hidden: list[str]  # names of hidden or very hidden sheets (never read)


def unpacked_size(path: Path) -> int:
    """Bytes a zip-based workbook would unpack to (0 for the OLE formats .xls/.et)."""
    if path.suffix.lower() not in ZIP_SUFFIXES:
        return 0
    with zipfile.ZipFile(path) as zf:
        return sum(i.file_size for i in zf.infolist())


def read_workbook(path: Path) -> Workbook:
    """All visible worksheets of `path`; raises WorkbookError when it cannot be read."""
    import python_calamine as pc  # imported here: only dossiers with workbooks pay for it

    try:
        with path.open("rb") as fh:  # from a file object calamine sniffs the format: .et is BIFF too
            wb = pc.CalamineWorkbook.from_filelike(fh)
            try:
                visible, hidden = [], []
                for meta in wb.sheets_metadata:
                    if meta.typ != pc.SheetTypeEnum.WorkSheet:
                        continue  # chart sheets, macro sheets: no table
                    if meta.visible != pc.SheetVisibleEnum.Visible:
                        hidden.append(meta.name)
                        continue
                    ws = wb.get_sheet_by_name(meta.name)
                    rows = ws.to_python(skip_empty_area=True)
                    start = ws.start or (0, 0)
                    visible.append(Sheet(meta.name, [[cell_text(v) for v in r] for r in rows],
                                         start[0] + 1, start[1]))
            finally:
                wb.close()
    except (pc.CalamineError, OSError, ValueError, TypeError) as exc:
        raise WorkbookError(f"{type(exc).__name__}: {str(exc)[:160]}") from exc
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        blanks = _formulas_without_values(path)
        for s in visible:
            s.blank_formulas = blanks.get(s.name, [])
    return Workbook(visible, hidden)


def cell_text(value: Any) -> str:
    """A cell as text: date cells become ISO dates, whole numbers lose their `.0`."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return str(int(value))
    return INVISIBLE.sub("", str(value)).strip()


_SHEET = re.compile(rb'<sheet\b[^>]*?name="([^"]*)"[^>]*?r:id="([^"]+)"')
_REL = re.compile(rb'<Relationship\b[^>]*?Id="([^"]+)"[^>]*?Target="([^"]+)"')
_REL_ALT = re.compile(rb'<Relationship\b[^>]*?Target="([^"]+)"[^>]*?Id="([^"]+)"')
_CELL = re.compile(rb'<c\b([^>]*?)(?:/>|>(.*?)</c>)', re.S)
_REF = re.compile(rb'\br="([A-Z]+\d+)"')
_VALUE = re.compile(rb"<v>[^<]")  # openpyxl writes an empty `<v />` for a formula it did not compute


def _formulas_without_values(path: Path) -> dict[str, list[str]]:
    """Sheet name → refs of cells that hold a formula but no cached value (`<f>` without `<v>`).

    Files written by scripts (openpyxl, pandas) never store values; Excel and WPS always do. A quick
    byte search skips sheets that have no formulas at all.
    """
    out: dict[str, list[str]] = {}
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
            book = zf.read("xl/workbook.xml")
            rels_data = zf.read("xl/_rels/workbook.xml.rels") if "xl/_rels/workbook.xml.rels" in names else b""
            rels = {i: t for i, t in _REL.findall(rels_data)}
            rels.update({i: t for t, i in _REL_ALT.findall(rels_data)})
            for name, rid in _SHEET.findall(book):
                target = rels.get(rid, b"").decode()
                part = target.lstrip("/") if target.startswith("/") else "xl/" + target
                if part not in names:
                    continue
                xml = zf.read(part)
                if b"<f" not in xml:
                    continue
                refs = [m.group(1).decode() for c in _CELL.finditer(xml)
                        if (body := c.group(2)) and b"<f" in body and not _VALUE.search(body)
                        and (m := _REF.search(c.group(1)))]
                if refs:
                    out[_unescape(name.decode("utf-8", "replace"))] = refs
    except (zipfile.BadZipFile, KeyError, OSError):
        return out
    return out


def _unescape(text: str) -> str:
    import html

    return html.unescape(text)
