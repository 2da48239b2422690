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

from safedossier.format.diagnostics import Report
from safedossier.format.schema import TABLE_BY_NAME, Table
from safedossier.format.spreadsheet import INVISIBLE, WORKBOOK_SUFFIXES

# UTF-8 bytes of the blanks offices paste without seeing them: NBSP, ideographic space, zero widths
INVISIBLE_BYTES = re.compile(b"\xc2\xa0|\xe3\x80\x80|\xe2\x80[\x8b-\x8d]|\xef\xbb\xbf|\xe2\x81\xa0")
TOTAL_WORDS = {"合计", "总计", "小计", "共计", "总数", "合計", "總計", "total", "sum"}
# Every cell `_drop_total_rows` takes for a total holds one of these, blanks allowed in between
_TOTAL_CHARS = "计計数mMlL"
_TOTAL_HINT = re.compile("|".join(r"\s*".join(map(re.escape, w)) for w in sorted(TOTAL_WORDS)), re.IGNORECASE)

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
    cached: Any = None  # a `tablecache.Entry` when this table's check was served from the cache
    cache_key: str = ""  # where its check is kept (see `tablecache`), "" when it is not
    read_calls: list[list[Any]] = field(default_factory=list)  # what reading it reported


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
    header, body, rows, header_row = grid
    if not header or all(h == "" for h in header):
        report.error("empty_table", rel, 1)
        return None
    schema = TABLE_BY_NAME.get(name)
    names = header_map(schema)
    header, body, rows = _find_header(header, body, rows, header_row, names, rel, report)
    body, rows = _drop_total_rows(body, rows, rel, report)
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


Grid = tuple[list[str], pd.DataFrame, np.ndarray, int]  # header, cells as text, their rows, header row


def _find_header(header: list[str], body: pd.DataFrame, rows: np.ndarray, header_row: int,
                 names: dict[str, str], rel: str, report: Report) -> tuple[list[str], pd.DataFrame, np.ndarray]:
    """The row that names the columns, when a title (清溪街道伤害监测登记表) or a row of merged group
    headings (基本信息 | 伤害情况) stands above it: the first of the top rows that names the most
    columns. A heading merged down over both rows (编号) is found in the row above."""
    def known(cells: list[str]) -> int:
        return sum(_norm_header(c) in names for c in cells if c)

    top = [header] + [[str(v) for v in body.iloc[i]] for i in range(min(3, len(body)))]
    scores = [known(r) for r in top]
    best = max(range(len(top)), key=lambda i: (scores[i], -i))
    if best == 0 or scores[best] < 2 or scores[best] <= scores[0]:
        return header, body, rows
    chosen = list(top[best])
    for i, cell in enumerate(chosen):
        if not cell:
            above = next((r[i] for r in reversed(top[:best]) if i < len(r) and _norm_header(r[i]) in names), "")
            chosen[i] = above
    skipped = [header_row] + [int(r) for r in rows[:best - 1]]
    report.info("header_rows_skipped", rel, skipped[0], rows="、".join(map(str, skipped)),
                header=int(rows[best - 1]))
    return chosen, body.iloc[best:].reset_index(drop=True), rows[best:]


def _drop_total_rows(body: pd.DataFrame, rows: np.ndarray, rel: str,
                     report: Report) -> tuple[pd.DataFrame, np.ndarray]:
    """A 合计 / 总计 row under the records is an error at its row, and is not read as a record."""
    if not len(body):
        return body, rows
    lead = body.iloc[:, : min(3, body.shape[1])]
    texts = ["\n".join(map(str, lead[c].tolist())) for c in lead.columns]
    if not any(_may_hold_total(t) and _TOTAL_HINT.search(t) for t in texts):
        return body, rows  # one C-speed pass per column: no cell can be a total word
    flat = lead.apply(lambda col: col.str.replace(r"\s+", "", regex=True).str.lower())
    hit = flat.isin(TOTAL_WORDS) | flat.apply(lambda col: col.str.match(r"^(合计|总计|小计)[:：（(]"))
    mask = hit.to_numpy().any(axis=1)
    if not mask.any():
        return body, rows
    for i in np.flatnonzero(mask):
        word = next(v for v in lead.iloc[i] if v and (v.replace(" ", "").lower() in TOTAL_WORDS
                                                     or re.match(r"^(合计|总计|小计)", v)))
        report.error("total_row", rel, int(rows[i]), found=word)
    keep = ~mask
    return body[keep].reset_index(drop=True), rows[keep]


def _read_csv(path: Path, rel: str, report: Report) -> Grid | None:
    data = read_bytes(path, rel, report, MAX_TABLE_BYTES)
    if data is None:
        return None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):  # Excel's "Unicode text"
        try:
            data = codecs.BOM_UTF8 + data.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError:
            report.error("encoding", rel)
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
    sep = _separator(body_bytes)
    try:
        # bytes straight to the C parser: much faster than a decoded StringIO on 50k-row tables
        frame = pd.read_csv(io.BytesIO(body_bytes), encoding=decoded[1], dtype=str, keep_default_na=False,
                            na_filter=False, header=None, skip_blank_lines=False, engine="c", sep=sep)
    except pd.errors.EmptyDataError:
        report.error("empty_table", rel, 1)
        return None
    except (pd.errors.ParserError, ValueError, csv.Error, OverflowError, UnicodeDecodeError) as exc:
        text = str(exc)
        line = re.search(r"line (\d+)", text)
        wide = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", text)
        if wide:  # pandas' English message, said in the office's words
            report.error("too_many_cells", rel, int(wide.group(2)), expected=int(wide.group(1)),
                         saw=int(wide.group(3)))
        else:
            report.error("csv_syntax", rel, int(line.group(1)) if line else None,
                         detail=text.strip().splitlines()[-1][:200])
        return None
    if frame.iloc[:, -1].isna().any():  # short rows (a short row lacks the last cell at least)
        frame = frame.fillna("")
    if _padded(body_bytes) or (sep == "\t"):  # only pay for stripping when some cell is padded
        frame = frame.apply(lambda col: col.str.strip())
    if _invisible(body_bytes) or (decoded[1] == "gb18030" and b"\xa1\xa1" in body_bytes):
        frame = frame.apply(lambda col: col.str.replace(INVISIBLE, "", regex=True).str.strip())
    blank = _blank_rows(frame)
    header = [str(v) for v in frame.iloc[0]]
    keep = ~blank[1:]
    body = frame.iloc[1:][keep].reset_index(drop=True)
    rows = np.flatnonzero(keep) + 2
    return header, body, rows, 1


def _separator(data: bytes) -> str:
    """`,` unless the header line has more tabs or semicolons (Excel's "Unicode text" is tab-separated,
    European locales write `;`)."""
    first = data.split(b"\n", 1)[0]
    counts = {",": first.count(b","), "\t": first.count(b"\t"), ";": first.count(b";")}
    best = max(counts, key=lambda k: counts[k])
    return best if counts[best] > counts[","] else ","


def _may_hold_total(text: str) -> bool:
    """Every total word holds one of 计 計 数, the m of sum or the l of total: a test at memchr speed
    that spares the ids and dates of a column `_TOTAL_HINT` (~30 ms on a 50,000-row table)."""
    return any(ch in text for ch in _TOTAL_CHARS)


def _blank_rows(frame: pd.DataFrame) -> np.ndarray:
    """Rows whose every cell is empty; only rows with an empty first cell are looked at in full."""
    blank = (frame.iloc[:, 0] == "").to_numpy(dtype=bool, copy=True)
    if blank.any():
        blank[blank] = (frame[blank] == "").to_numpy().all(axis=1)
    return blank


# `INVISIBLE_BYTES` one lead byte at a time: a pattern that starts with one literal byte is searched
# for that byte first (4 ms on a 50,000-row table), the alternation of all of them reads every byte
# (47 ms), and so does a two-byte `in` test (8 ms).
_INVISIBLE_PARTS = tuple(re.compile(p) for p in (b"\xc2\xa0", b"\xe3\x80\x80", b"\xe2(?:\x80[\x8b-\x8d]|\x81\xa0)",
                                                  b"\xef\xbb\xbf"))


def _invisible(data: bytes) -> bool:
    """`INVISIBLE_BYTES.search(data)`, sooner."""
    return any(p.search(data) for p in _INVISIBLE_PARTS)


def _padded(data: bytes) -> bool:
    """Whether any cell may start or end with blanks (a file without a space or tab has none)."""
    if b" " not in data:  # one byte: memchr speed; each two-byte test below reads every byte
        return b"\t" in data
    return (b"\t" in data or b" ," in data or b", " in data or b" \n" in data or b" \r" in data
            or b"\n " in data or b' "' in data or b'" ' in data or data.startswith(b" ") or data.endswith(b" "))


def _read_workbook(path: Path, rel: str, name: str, report: Report) -> Grid | None:
    """The sheet of a workbook that holds the table: the first visible one with cells.

    Hidden sheets (often an older copy) are never read. Another visible sheet whose header names this
    table's columns too (one sheet per year) is an error: reading only one would silently drop records.
    """
    from safedossier.format.spreadsheet import WorkbookError, read_workbook, unpacked_size

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
    return header, frame, rows, sheet.row_number(first)


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
