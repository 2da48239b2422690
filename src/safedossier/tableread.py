"""Read one table file (`data/<name>.csv` or a workbook) into string cells with the row numbers a
spreadsheet user sees.

CSV comes in the encodings offices save (UTF-8, UTF-8 with BOM, GB18030/GBK); workbooks are read by
`spreadsheet.py`. Headers may be English keys or Chinese labels in any order; they are renamed to the
schema's keys here, and the file's own spelling is kept for diagnostics.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .diagnostics import Report
from .schema import TABLE_BY_NAME, Table
from .spreadsheet import WORKBOOK_SUFFIXES

MAX_TABLE_BYTES = 256 * 2**20
MAX_XLSX_UNPACKED = 512 * 2**20


@dataclass
class RawTable:
    """A table's cells as stripped strings, columns renamed to schema keys.

    `rows` holds, for each DataFrame row, the row number a spreadsheet user sees (header = row 1).
    """

    name: str
    file: str
    df: pd.DataFrame
    rows: np.ndarray
    unknown_columns: list[str] = field(default_factory=list)


# --- reading ---------------------------------------------------------------------------------

def decode(data: bytes) -> tuple[str, str] | None:
    """Decode CSV bytes as an office wrote them: UTF-8 (with or without BOM), else GB18030."""
    if data.startswith(codecs.BOM_UTF8):
        encodings = ("utf-8",)
        data = data[len(codecs.BOM_UTF8):]
    else:
        encodings = ("utf-8", "gb18030")
    for enc in encodings:
        try:
            return data.decode(enc), enc
        except UnicodeDecodeError:
            continue
    return None


def _mixed_line(data: bytes) -> int | None:
    """The first line whose encoding differs from the file's first non-ASCII line (UTF-8 vs not):
    the sign of rows pasted in from another file."""
    first: bool | None = None
    for n, line in enumerate(data.split(b"\n"), start=1):
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
            utf8 = True
        except UnicodeDecodeError:
            utf8 = False
        if first is None:
            first = utf8
        elif utf8 != first:
            return n
    return None


def header_map(table: Table | None) -> dict[str, str]:
    """Accepted header spellings (key, Chinese label, English label; case-insensitive) → key."""
    out: dict[str, str] = {}
    if table is None:
        return out
    for f in table.fields:
        for name in (f.key, f.label, f.label_en):
            out[_norm_header(name)] = f.key
    return out


def _norm_header(name: str) -> str:
    return re.sub(r"\s+", "", str(name)).replace("（", "(").replace("）", ")").lower()


def read_table(path: Path, rel: str, name: str, report: Report) -> RawTable | None:
    """Read `data/<name>.csv|xlsx` into string cells with spreadsheet row numbers."""
    if path.suffix.lower() in WORKBOOK_SUFFIXES:
        grid = _read_workbook(path, rel, name, report)
    else:
        grid = _read_csv(path, rel, report)
    if grid is None:
        return None
    header, body, rows = grid
    if not header or all(h == "" for h in header):
        report.error("empty_table", rel, 1)
        return None
    schema = TABLE_BY_NAME.get(name)
    names = header_map(schema)
    columns: list[str] = []
    unknown: list[str] = []
    for i, raw in enumerate(header):
        key = names.get(_norm_header(raw), raw.strip()) or f"_{i + 1}"  # a column without a header
        if key in columns:
            report.error("duplicate_column", rel, 1, key, found=raw, column=key)
            key = f"{key}#{len(columns)}"
        elif schema is not None and schema.field(key) is None and key:
            unknown.append(key)
        columns.append(key)
    report.headers[rel] = {k: h.strip() for k, h in zip(columns, header, strict=True) if h.strip()}
    if len(body):
        df = body
        df.columns = columns
    else:
        df = pd.DataFrame({c: pd.Series(dtype=str) for c in columns})
    for i, raw in enumerate(header):  # trailing separators: header-less, empty columns are no news
        key = f"_{i + 1}"
        if not raw.strip() and key in df.columns and (df[key] == "").all():
            df = df.drop(columns=key)
            if key in unknown:
                unknown.remove(key)
    return RawTable(name, rel, df, rows, unknown)


Grid = tuple[list[str], pd.DataFrame, np.ndarray]  # header, cells as strings, spreadsheet rows


def _read_csv(path: Path, rel: str, report: Report) -> Grid | None:
    data = read_bytes(path, rel, report, MAX_TABLE_BYTES)
    if data is None:
        return None
    if b"\x00" in data[:65536] or b"\x00" in data[-65536:]:
        report.error("binary_file", rel)
        return None
    decoded = decode(data)
    mixed = _mixed_line(data) if decoded is None or decoded[1] == "gb18030" else None
    if mixed:
        report.error("mixed_encoding", rel, mixed)
        return None
    if decoded is None:
        report.error("encoding", rel)
        return None
    if b"\x00" in data:
        report.error("binary_file", rel)
        return None
    body_bytes = data[len(codecs.BOM_UTF8):] if data.startswith(codecs.BOM_UTF8) else data
    try:
        # bytes straight to the C parser: much faster than a decoded StringIO on 50k-row tables
        frame = pd.read_csv(io.BytesIO(body_bytes), encoding=decoded[1], dtype=str, keep_default_na=False,
                            na_filter=False, header=None, skip_blank_lines=False, engine="c")
    except pd.errors.EmptyDataError:
        report.error("empty_table", rel, 1)
        return None
    except (pd.errors.ParserError, ValueError, csv.Error, OverflowError, UnicodeDecodeError) as exc:
        m = re.search(r"line (\d+)", str(exc))
        report.error("csv_syntax", rel, int(m.group(1)) if m else None,
                     detail=str(exc).strip().splitlines()[-1][:200])
        return None
    if frame.isna().to_numpy().any():  # short rows
        frame = frame.fillna("")
    if _padded(body_bytes):  # only pay for stripping when some cell is padded
        frame = frame.apply(lambda col: col.str.strip())
    blank = (frame == "").to_numpy().all(axis=1)
    header = [str(v) for v in frame.iloc[0]]
    keep = ~blank[1:]
    body = frame.iloc[1:][keep].reset_index(drop=True)
    rows = np.flatnonzero(keep) + 2
    return header, body, rows


def _padded(data: bytes) -> bool:
    """Whether any cell may start or end with blanks (substring tests run at memchr speed)."""
    return (b"\t" in data or b" ," in data or b", " in data or b" \n" in data or b" \r" in data
            or b"\n " in data or data.startswith(b" ") or data.endswith(b" "))


def _read_workbook(path: Path, rel: str, name: str, report: Report) -> Grid | None:
    """The sheet of a workbook that holds the table: the first visible one with cells.

    Hidden sheets (often an older copy) are never read. Another visible sheet whose header names this
    table's columns too (one sheet per year) is an error: reading only one would silently drop records.
    """
    from .spreadsheet import WorkbookError, read_workbook, unpacked_size

    try:
        unpacked = unpacked_size(path)
        if unpacked > MAX_XLSX_UNPACKED:
            report.error("file_too_large", rel, size=unpacked, limit=MAX_XLSX_UNPACKED)
            return None
        wb = read_workbook(path)
    except (WorkbookError, zipfile.BadZipFile, OSError) as exc:
        report.error("xlsx_error", rel, detail=str(exc)[:200])
        return None
    sheets = [s for s in wb.sheets if any(any(r) for r in s.cells)]
    if wb.hidden:
        report.info("hidden_sheets", rel, sheets="、".join(wb.hidden))
    if not sheets:
        report.error("empty_table", rel, 1)
        return None
    sheet, others = sheets[0], sheets[1:]
    names = header_map(TABLE_BY_NAME.get(name))
    mine = {names.get(_norm_header(h)) for h in _first_row(sheet)} - {None}
    alike = [o.name for o in others if len(mine & {names.get(_norm_header(h)) for h in _first_row(o)}) >= 2]
    if alike:
        report.error("several_sheets", rel, sheet.first_row, sheets="、".join([sheet.name, *alike]))
        return None
    if len(wb.sheets) + len(wb.hidden) > 1:
        report.info("sheet_read", rel, sheet=sheet.name)
    width = max(len(r) for r in sheet.cells)
    cells = [r + [""] * (width - len(r)) for r in sheet.cells]
    first = next(i for i, r in enumerate(cells) if any(r))
    header = cells[first]
    keep = [i for i in range(first + 1, len(cells)) if any(cells[i])]
    for ref in sheet.blank_formulas:
        col, row = _split_ref(ref)
        i = col - sheet.first_col
        raw = header[i] if 0 <= i < width else ""
        report.error("formula_without_value", rel, row, names.get(_norm_header(raw), raw), cell=ref)
    frame = pd.DataFrame([cells[i] for i in keep], dtype=str)  # the dtype CSV cells get
    rows = np.asarray([sheet.row_number(i) for i in keep], dtype=np.int64)
    return header, frame, rows


def _first_row(sheet: Any) -> list[str]:
    return next((r for r in sheet.cells if any(r)), [])


def _split_ref(ref: str) -> tuple[int, int]:
    """`AB12` → (27, 12): 0-based column index, row number."""
    m = re.fullmatch(r"([A-Z]+)(\d+)", ref)
    if not m:
        return -1, 0
    col = 0
    for ch in m.group(1):
        col = col * 26 + ord(ch) - 64
    return col - 1, int(m.group(2))


def read_bytes(path: Path, rel: str, report: Report, limit: int) -> bytes | None:
    try:
        if not path.is_file():
            report.error("file_unreadable", rel, detail="not a regular file")
            return None
        size = path.stat().st_size
        if size > limit:
            report.error("file_too_large", rel, size=size, limit=limit)
            return None
        return path.read_bytes()
    except OSError as exc:
        report.error("file_unreadable", rel, detail=exc.strerror or str(exc))
        return None
