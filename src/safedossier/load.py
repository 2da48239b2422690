"""Read a dossier's files: YAML with line numbers, CSV in any office encoding, XLSX.

This is the only module that opens dossier files. It never raises on bad input: every problem goes
into the `Report` and the file is skipped or read as far as it safely can be. Sizes, YAML node counts
and XLSX expansion are bounded so hostile input ends in a diagnostic, not a hang.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import os
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from .diagnostics import Report
from .litter import is_litter
from .schema import ELEMENT_FILES, PAGES_DIR, TABLE_BY_NAME, Table

MAX_YAML_BYTES = 5 * 2**20
MAX_TABLE_BYTES = 256 * 2**20
MAX_PAGE_BYTES = 2 * 2**20
MAX_YAML_NODES = 200_000
MAX_YAML_DEPTH = 60
MAX_XLSX_UNPACKED = 512 * 2**20

Path_ = tuple[Any, ...]


@dataclass
class YamlDoc:
    """A parsed YAML document and the source line of every key path in it."""

    file: str
    data: Any
    lines: dict[Path_, int]

    def line(self, path: Path_) -> int | None:
        """Line of `path`, or of its nearest ancestor that has one."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), 1)


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


@dataclass
class Page:
    """A narrative Markdown page from dossier/pages/."""

    file: str
    slug: str
    title: str
    text: str


@dataclass
class Sources:
    """Everything read from a dossier directory, before validation."""

    root: Path
    yaml: dict[str, YamlDoc] = field(default_factory=dict)
    tables: dict[str, RawTable] = field(default_factory=dict)
    pages: list[Page] = field(default_factory=list)
    evidence_files: list[str] = field(default_factory=list)  # relative to evidence/
    site_config: dict[str, Any] = field(default_factory=dict)  # the dossier's optional mkdocs.yml
    files: list[str] = field(default_factory=list)  # every source file read (relative to root)


# --- YAML ------------------------------------------------------------------------------------

class _TooComplex(Exception):
    pass


# libyaml's parser when PyYAML has it (5× faster; same nodes, marks and errors), else the Python one.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml(path: Path, rel: str, report: Report) -> YamlDoc | None:
    """Parse one YAML document safely, keeping the line of every key for diagnostics."""
    text = _read_text(path, rel, report, MAX_YAML_BYTES)
    if text is None:
        return None
    loader = None
    try:
        loader = _Loader(text)
        node = loader.get_single_node()
        if node is None:
            return YamlDoc(rel, None, {(): 1})
        lines: dict[Path_, int] = {(): node.start_mark.line + 1}
        data = _construct(loader, node, (), lines, rel, report, [0])
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        report.error("yaml_syntax", rel, line, found=_first_line(text, line),
                     detail=exc.problem or str(exc).splitlines()[0])
        return None
    except (yaml.YAMLError, ValueError, TypeError, OverflowError) as exc:
        report.error("yaml_syntax", rel, None, detail=str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
        return None
    except (_TooComplex, RecursionError):
        report.error("yaml_too_complex", rel, None, limit=MAX_YAML_NODES, depth=MAX_YAML_DEPTH)
        return None
    finally:
        if loader is not None:
            loader.dispose()
    return YamlDoc(rel, data, lines)


_PLAIN_TAGS = {"tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"}


def _construct(loader: Any, node: yaml.Node, path: Path_, lines: dict[Path_, int],
               rel: str, report: Report, budget: list[int]) -> Any:
    """Build plain Python values from nodes; count visits so alias bombs stop early."""
    budget[0] += 1
    if budget[0] > MAX_YAML_NODES or len(path) > MAX_YAML_DEPTH:
        raise _TooComplex
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_object(node, deep=True)
    if node.tag not in _PLAIN_TAGS:  # e.g. !!python/object: refuse, never construct
        raise yaml.constructor.ConstructorError(None, None, f"unsupported tag {node.tag}", node.start_mark)
    if isinstance(node, yaml.SequenceNode):
        out = []
        for i, child in enumerate(node.value):
            lines[path + (i,)] = child.start_mark.line + 1
            out.append(_construct(loader, child, path + (i,), lines, rel, report, budget))
        return out
    if isinstance(node, yaml.MappingNode):
        loader.flatten_mapping(node)  # resolves `<<` merge keys like PyYAML does
        result: dict[Any, Any] = {}
        for knode, vnode in node.value:
            key = _construct(loader, knode, path, lines, rel, report, budget)
            if isinstance(key, (list, dict)):
                key = str(key)
            line = knode.start_mark.line + 1
            if key in result:
                report.error("yaml_duplicate_key", rel, line, str(key), key=key)
            lines[path + (key,)] = line
            result[key] = _construct(loader, vnode, path + (key,), lines, rel, report, budget)
        return result
    return None


def _first_line(text: str, line: int | None) -> str:
    if not line:
        return ""
    parts = text.splitlines()
    return parts[line - 1].strip() if 0 < line <= len(parts) else ""


# --- tables ----------------------------------------------------------------------------------

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
    if path.suffix.lower() == ".xlsx":
        grid = _read_xlsx(path, rel, report)
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
    data = _read_bytes(path, rel, report, MAX_TABLE_BYTES)
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


def _read_xlsx(path: Path, rel: str, report: Report) -> Grid | None:
    """First sheet of a workbook; refuses archives that would unpack beyond a sane size."""
    try:
        with zipfile.ZipFile(path) as zf:
            unpacked = sum(i.file_size for i in zf.infolist())
        if unpacked > MAX_XLSX_UNPACKED:
            report.error("file_too_large", rel, size=unpacked, limit=MAX_XLSX_UNPACKED)
            return None
        import openpyxl  # imported here: only dossiers with .xlsx tables pay for it

        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on corrupt files; all mean "unreadable"
        report.error("xlsx_error", rel, detail=f"{type(exc).__name__}: {str(exc)[:160]}")
        return None
    try:
        ws = wb.worksheets[0]
        header: list[str] = []
        body: list[list[str]] = []
        rows: list[int] = []
        for n, values in enumerate(ws.iter_rows(min_row=1, values_only=True), start=1):
            cells = [_cell_text(v) for v in values]
            if not header:
                if any(cells):
                    header = cells
                continue
            if any(cells):
                width = max(len(header), len(cells))
                body.append((cells + [""] * width)[:width])
                rows.append(n)
        width = max([len(header)] + [len(b) for b in body])
        header = header + [""] * (width - len(header))
        frame = pd.DataFrame([(b + [""] * width)[:width] for b in body], dtype=object)
        return header, frame.map(str.strip) if len(frame) else frame, np.asarray(rows, dtype=np.int64)
    except Exception as exc:
        report.error("xlsx_error", rel, detail=f"{type(exc).__name__}: {str(exc)[:160]}")
        return None
    finally:
        wb.close()


def _cell_text(value: Any) -> str:
    """Excel cell → text; date cells become ISO dates, whole floats lose their `.0`."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# --- files -----------------------------------------------------------------------------------

def _read_bytes(path: Path, rel: str, report: Report, limit: int) -> bytes | None:
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


def _read_text(path: Path, rel: str, report: Report, limit: int) -> str | None:
    data = _read_bytes(path, rel, report, limit)
    if data is None:
        return None
    if b"\x00" in data:
        report.error("binary_file", rel)
        return None
    decoded = decode(data)
    if decoded is None:
        report.error("encoding", rel)
        return None
    return decoded[0]


def _inside(path: Path, root: Path) -> bool:
    """True when `path` (links resolved) stays within `root`."""
    try:
        return Path(os.path.realpath(path)).is_relative_to(os.path.realpath(root))
    except (OSError, ValueError):
        return False


def _page_title(text: str, fallback: str) -> str:
    for line in text.splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return fallback


def load_sources(root: Path, report: Report) -> Sources:
    """Discover and read every dossier file below `root`; problems go into `report`."""
    src = Sources(root=root)
    ddir = root / "dossier"
    if not (ddir / "community.yml").is_file():
        report.error("file_missing", "dossier/community.yml")
    if ddir.is_dir():
        for p in sorted(ddir.iterdir()):
            rel = f"dossier/{p.name}"
            if p.is_dir() or is_litter(p.name):
                continue
            if p.suffix in (".yml", ".yaml"):
                if p.name not in ELEMENT_FILES and p.name != "community.yml":
                    report.error("unknown_element_file", rel, found=p.name)
                    continue
                if not _inside(p, root):
                    report.error("link_outside", rel, found=p.name)
                    continue
                doc = read_yaml(p, rel, report)
                src.files.append(rel)
                if doc is not None:
                    src.yaml[p.name] = doc
            elif not p.name.startswith("."):
                report.error("unknown_element_file", rel, found=p.name)
    pdir = root / PAGES_DIR
    if pdir.is_dir():
        for p in sorted(pdir.glob("*.md")):
            rel = f"{PAGES_DIR}/{p.name}"
            if not _inside(p, root):
                report.error("link_outside", rel, found=p.name)
                continue
            text = _read_text(p, rel, report, MAX_PAGE_BYTES)
            src.files.append(rel)
            if text is not None:
                src.pages.append(Page(rel, p.stem, _page_title(text, p.stem), text))
    _load_tables(root, src, report)
    _list_evidence(root, src)
    if (root / "mkdocs.yml").is_file():
        src.site_config = read_site_config(root / "mkdocs.yml", "mkdocs.yml", report)
        src.files.append("mkdocs.yml")
    return src


class _SiteConfigLoader(yaml.SafeLoader):
    """Safe loading that reads MkDocs' `!ENV` and `!!python/name:` tags as nothing, never as code."""


_SiteConfigLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def read_site_config(path: Path, rel: str, report: Report) -> dict[str, Any]:
    """The dossier's mkdocs.yml (only a few of its keys are honoured later)."""
    text = _read_text(path, rel, report, MAX_YAML_BYTES)
    if text is None:
        return {}
    try:
        data = yaml.load(text, Loader=_SiteConfigLoader)  # noqa: S506 - unknown tags become None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        report.error("yaml_syntax", rel, mark.line + 1 if mark else None, detail=exc.problem or "")
        return {}
    except (yaml.YAMLError, RecursionError, ValueError) as exc:
        report.error("yaml_syntax", rel, None, detail=type(exc).__name__)
        return {}
    if data is None:
        return {}
    if not isinstance(data, dict):
        report.error("yaml_not_mapping", rel, 1, found=type(data).__name__)
        return {}
    return data


def _load_tables(root: Path, src: Sources, report: Report) -> None:
    data = root / "data"
    if not data.is_dir():
        return
    found: dict[str, list[Path]] = {}
    for p in sorted(data.iterdir()):
        if p.suffix.lower() in (".csv", ".xlsx") and not (p.name.startswith(".") or is_litter(p.name)):
            found.setdefault(p.stem, []).append(p)
    for name, paths in found.items():
        if len(paths) > 1:
            report.error("both_csv_xlsx", f"data/{name}", found=", ".join(p.name for p in paths))
            src.files += [f"data/{p.name}" for p in paths]
            continue
        p = paths[0]
        rel = f"data/{p.name}"
        if name not in TABLE_BY_NAME:
            report.info("unknown_table", rel, found=p.name)
            continue
        if not _inside(p, root):
            report.error("link_outside", rel, found=p.name)
            continue
        table = read_table(p, rel, name, report)
        src.files.append(rel)
        if table is not None:
            src.tables[name] = table


def _list_evidence(root: Path, src: Sources) -> None:
    """Every regular file below evidence/ (links are not followed: they are checked on use)."""
    edir = root / "evidence"
    if not edir.is_dir():
        return
    for dirpath, dirnames, filenames in os.walk(edir, followlinks=False):
        dirnames.sort()
        for name in sorted(filenames):
            if name.startswith(".") or is_litter(name):
                continue
            full = Path(dirpath) / name
            src.evidence_files.append(full.relative_to(edir).as_posix())
