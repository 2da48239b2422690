"""Read a dossier's files: YAML with line numbers, CSV in any office encoding, XLSX.

This is the only module that opens dossier files. It never raises on bad input: every problem goes
into the `Report` and the file is skipped or read as far as it safely can be. Sizes, YAML node counts
and XLSX expansion are bounded so hostile input ends in a diagnostic, not a hang.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from safedossier.format import tablecache
from safedossier.format.diagnostics import Report
from safedossier.format.litter import is_litter
from safedossier.format.schema import ELEMENT_FILES, OPTIONAL_FILES, PAGES_DIR, TABLE_BY_NAME
from safedossier.format.spreadsheet import WORKBOOK_SUFFIXES
from safedossier.format.tableread import RawTable, decode, read_bytes, read_table

MAX_YAML_BYTES = 5 * 2**20
MAX_PAGE_BYTES = 2 * 2**20
MAX_YAML_NODES = 200_000
MAX_YAML_DEPTH = 60

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
        if "nesting depth" in str(exc.problem):  # libyaml ≥ 0.2.5 stops deep nesting itself
            report.error("yaml_too_complex", rel, None, limit=MAX_YAML_NODES, depth=MAX_YAML_DEPTH)
            return None
        _syntax_error(exc, text, rel, report)
        return None
    except (yaml.YAMLError, ValueError, TypeError, OverflowError) as exc:
        detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        report.error("yaml_syntax", rel, None, detail=detail, detail_zh=detail)
        return None
    except (_TooComplex, RecursionError):
        report.error("yaml_too_complex", rel, None, limit=MAX_YAML_NODES, depth=MAX_YAML_DEPTH)
        return None
    finally:
        if loader is not None:
            loader.dispose()
    return YamlDoc(rel, data, lines)


def strings_of(data: Any, path: Path_ = ()) -> list[tuple[Path_, str]]:
    """Every string of a parsed YAML document with its key path (for `YamlDoc.line`)."""
    if isinstance(data, str):
        return [(path, data)]
    if isinstance(data, dict):
        return [x for k, v in data.items() for x in strings_of(v, path + (k,))]
    if isinstance(data, list):
        return [x for i, v in enumerate(data) for x in strings_of(v, path + (i,))]
    return []


_PLAIN_TAGS = {"tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"}


def _construct(loader: Any, node: yaml.Node, path: Path_, lines: dict[Path_, int],
               rel: str, report: Report, budget: list[int]) -> Any:
    """Build plain Python values from nodes; count visits so alias bombs stop early."""
    budget[0] += 1
    if budget[0] > MAX_YAML_NODES or len(path) > MAX_YAML_DEPTH:
        raise _TooComplex
    if isinstance(node, yaml.ScalarNode):
        try:
            return loader.construct_object(node, deep=True)
        except (ValueError, OverflowError):
            if node.tag != "tag:yaml.org,2002:timestamp":
                raise
            # 2025-13-01 looks like a date but is none: keep the text, so the field's own check
            # reports it at its line ("not a valid date") instead of the whole file failing
            return node.value
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


def _syntax_error(exc: yaml.YAMLError, text: str, rel: str, report: Report) -> None:
    from safedossier.format.yamlerrors import explain

    why = explain(exc, text)
    report.error("yaml_syntax", rel, why.line, found=why.found, detail=why.detail_en, detail_zh=why.detail_zh)


# --- files -----------------------------------------------------------------------------------

def _read_text(path: Path, rel: str, report: Report, limit: int) -> str | None:
    data = read_bytes(path, rel, report, limit)
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
    """True when `path` (links resolved) stays within `root`. Callers pass the file's own folder: a
    page linked to `../../data/injuries.csv` or `.git/config` would otherwise be published."""
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
                # FORMAT.md forbids no other files: a stray one is a warning (a misspelt element file
                # still fails as the element's missing file)
                if p.name not in ELEMENT_FILES and p.name not in ("community.yml", *OPTIONAL_FILES):
                    report.warn("unknown_element_file", rel, found=p.name)
                    continue
                if not _inside(p, p.parent):
                    report.error("link_outside", rel, found=p.name)
                    continue
                doc = read_yaml(p, rel, report)
                src.files.append(rel)
                if doc is not None:
                    src.yaml[p.name] = doc
            elif not p.name.startswith("."):
                report.warn("unknown_element_file", rel, found=p.name)
    pdir = root / PAGES_DIR
    if pdir.is_dir():
        for p in sorted(pdir.glob("*.md")):
            rel = f"{PAGES_DIR}/{p.name}"
            if not _inside(p, p.parent):
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
        _syntax_error(exc, text, rel, report)
        return {}
    except (yaml.YAMLError, RecursionError, ValueError) as exc:
        report.error("yaml_syntax", rel, None, detail=type(exc).__name__, detail_zh=type(exc).__name__)
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
    community = src.yaml.get("community.yml")
    cycle = tablecache.declared_cycle(community.data) if community is not None else None
    for p in sorted(data.iterdir()):
        if p.suffix.lower() in (".csv", *WORKBOOK_SUFFIXES) and not (p.name.startswith(".") or is_litter(p.name)):
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
        if not _inside(p, p.parent):
            report.error("link_outside", rel, found=p.name)
            continue
        table = _read_table(p, rel, name, report, cycle)
        src.files.append(rel)
        if table is not None:
            src.tables[name] = table


def _read_table(path: Path, rel: str, name: str, report: Report, cycle: tuple[int, int] | None) -> RawTable | None:
    """`read_table`, or what it and the table's check did the last time these bytes were read
    (`tablecache`: only when community.yml states the cycle, which the check depends on)."""
    if cycle is None or not tablecache.disk.enabled() or path.suffix.lower() != ".csv":
        return read_table(path, rel, name, report)
    try:
        data = path.read_bytes() if path.is_file() and path.stat().st_size <= tablecache.MAX_FILE_BYTES else None
    except OSError:
        data = None
    if data is None:
        return read_table(path, rel, name, report)
    key = tablecache.table_key(data, name, cycle)
    entry = tablecache.load(key)
    if entry is not None:
        tablecache.replay(entry.read_calls, report)
        report.headers[rel] = entry.headers
        return RawTable(name, rel, pd.DataFrame(), entry.frame.attrs.get("rows"), [], cached=entry, cache_key=key)
    rec = tablecache.Recorder()
    table = read_table(path, rel, name, rec)
    tablecache.replay(rec.calls, report)
    report.headers.update(rec.headers)
    if table is not None:
        table.cache_key, table.read_calls = key, rec.calls
    return table


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
