"""Check a loaded dossier against the schema and turn it into a typed `Dossier`.

YAML documents are walked field by field (they are small); tables are checked column by column with
pandas so a 50,000-row injury table stays fast. References are collected on the way and resolved at
the end, once every id space is known.
"""

from __future__ import annotations

import functools
import os
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import pandas as pd

from safedossier.analyse.scoring.assess import check_self_assessment
from safedossier.format import tablecache
from safedossier.format.check_citations import check_citations
from safedossier.format.check_gaps import warn_gaps
from safedossier.format.check_private import check_private_text, check_private_values
from safedossier.format.check_stages import check_stages
from safedossier.format.check_tables import check_table, parse_dates
from safedossier.format.check_yaml import check_dates_in_cycle, check_doc
from safedossier.format.context import Context, as_year
from safedossier.format.diagnostics import Diagnostic, Report
from safedossier.format.glyphcheck import check_glyphs
from safedossier.format.load import Sources, YamlDoc, load_sources
from safedossier.format.model import Dossier
from safedossier.format.schema import (
    COMMUNITY,
    ELEMENTS,
    NAMESPACES,
    TABLES,
    Table,
)
from safedossier.format.tableread import RawTable
from safedossier.trust.siteconfig import check_site_config


@dataclass
class CheckResult:
    """The outcome of `check`: all diagnostics, and the dossier when there were no errors."""

    diagnostics: list[Diagnostic]
    dossier: Dossier | None

    @property
    def errors(self) -> int:
        from safedossier.format.diagnostics import counts

        return counts(self.diagnostics)["error"]


def check(root: Path) -> CheckResult:
    """Load and validate the dossier at `root`. Never raises on bad input; never writes."""
    report = Report()
    if not (root / "dossier").is_dir() and not (root / "data").is_dir():
        report.error("not_a_dossier", ".", found=str(root))  # one clear line, not 24 missing files
        return CheckResult(report.finish(), None)
    src = load_sources(root, report)
    dossier = validate(src, report)
    diags = report.finish()
    has_error = any(d.severity == "error" for d in diags)
    return CheckResult(diags, None if has_error else dossier)


def validate(src: Sources, report: Report) -> Dossier:
    ctx = Context(report)
    community_doc = src.yaml.get("community.yml")
    ctx.cycle = _cycle(community_doc, src, report)
    community = check_doc(community_doc, COMMUNITY, ctx) if community_doc else {}
    elements: dict[str, dict[str, Any]] = {}
    for el in ELEMENTS:
        doc = src.yaml.get(el.filename)
        if doc is None:
            if f"dossier/{el.filename}" not in src.files:
                report.error("file_missing", f"dossier/{el.filename}")
            continue
        elements[el.slug] = check_doc(doc, el.fields, ctx)
    tables: dict[str, pd.DataFrame] = {}
    for t in TABLES:
        raw = src.tables.get(t.name)
        if raw is None:
            if not t.optional and not any(f.startswith(f"data/{t.name}.") for f in src.files):
                report.warn("table_missing", f"data/{t.name}.csv", table=t.name, label=t.label,
                            label_en=t.label_en)
            continue
        tables[t.name] = _check_table(raw, t, ctx)
    check_dates_in_cycle(ctx)
    _resolve(ctx, _unreadable_namespaces(src))
    check_self_assessment(src, ctx.ids, report)  # after _resolve: every id space is known
    _check_evidence(src, tables, ctx)
    check_private_text(src, community, elements, tables, ctx)
    check_glyphs(src, tables, report)
    dossier = Dossier(
        root=src.root, community=community, cycle=ctx.cycle or (0, 0), elements=elements,
        tables=tables, table_files={n: r.file for n, r in src.tables.items()}, pages=src.pages,
        files=sorted(src.files), site_config=check_site_config(src.root, src.site_config, report),
    )
    check_private_values(src, dossier, ctx)
    warn_gaps(dossier, ctx)
    check_citations(dossier, src, report)
    check_stages(community, src, report)
    return dossier


def _check_table(raw: RawTable, t: Table, ctx: Context) -> pd.DataFrame:
    """`check_table`, served from (or kept in) `tablecache` when the table came with a key."""
    if raw.cached is not None:
        tablecache.merge_check(raw.cached, ctx)
        return raw.cached.frame
    if not raw.cache_key or ctx.cycle is None:
        return check_table(raw, t, ctx)
    sub = Context(tablecache.Recorder(), cycle=ctx.cycle)
    frame = check_table(raw, t, sub)
    ids, refs = tablecache.context_parts(sub)
    entry = tablecache.Entry(frame, raw.read_calls, sub.report.calls, ctx.report.headers.get(raw.file, {}), ids, refs)
    tablecache.merge_check(entry, ctx)
    tablecache.store(raw.cache_key, entry)
    return frame


# --- cycle -----------------------------------------------------------------------------------

def _cycle(doc: YamlDoc | None, src: Sources, report: Report) -> tuple[int, int] | None:
    """The dossier's cycle; inferred from injury dates (with a warning) when community.yml has none."""
    cyc = doc.data.get("cycle") if doc and isinstance(doc.data, dict) else None
    if isinstance(cyc, dict):
        start, end = as_year(cyc.get("start")), as_year(cyc.get("end"))
        if start and end:
            if end < start:
                report.error("cycle_order", doc.file, doc.line(("cycle",)), "cycle",
                             found=f"{start}–{end}")
                return None
            return start, end
        return None  # the field check reports what is wrong with it
    inj = src.tables.get("injuries")
    if doc is None or inj is None or "date" not in inj.df.columns:
        return None
    years = parse_dates(inj.df["date"]).dt.year.dropna()
    if years.empty:
        return None
    start, end = int(years.min()), int(years.max())
    report.warn("cycle_missing", doc.file, doc.line(()), "cycle", start=start, end=end)
    return start, end


def _unreadable_namespaces(src: Sources) -> set[str]:
    """Id spaces whose defining file could not be read: references into them are not judged."""
    broken: set[str] = set()
    for el in ELEMENTS:
        if f"dossier/{el.filename}" in src.files and el.filename not in src.yaml:
            broken |= {f.ids for f in el.fields if f.ids}
    if "dossier/community.yml" in src.files and "community.yml" not in src.yaml:
        broken.add("unit")
    for t in TABLES:
        if t.ids and t.name not in src.tables and any(f.startswith(f"data/{t.name}.") for f in src.files):
            broken.add(t.ids)
    return broken


def _resolve(ctx: Context, skip: set[str]) -> None:
    """Every reference must name an id (or, for YAML-defined items, a name) that exists."""
    for ref in ctx.refs:
        if ref.ns in skip:
            continue
        ids = ctx.ids.get(ref.ns, {})
        names = ctx.names.get(ref.ns, {})
        ns = NAMESPACES[ref.ns]
        unlinked: dict[str, tuple[int | None, int]] = {}  # soft refs: value → (first line, count)
        for value, line in zip(ref.values, ref.lines, strict=False):
            if value in ids or value in names or value in ref.extra:
                continue
            if ref.soft:
                first, n = unlinked.get(value, (line, 0))
                unlinked[value] = (first, n + 1)
                continue
            ctx.report.error("dangling_ref", ref.file, line, ref.field, found=value, ns=ns.label,
                             ns_en=ns.label_en)
        for value, (line, n) in unlinked.items():
            ctx.report.info("unlinked_ref", ref.file, line, ref.field, found=value, ns=ns.label,
                            ns_en=ns.label_en, count=n)


# --- evidence --------------------------------------------------------------------------------

def evidence_path(root: Path, file: str) -> Path | None:
    """The evidence file a table row names, or None when the path would leave `evidence/`."""
    text = file.replace("\\", "/").strip()
    pure = PurePosixPath(text)
    if (not text or pure.is_absolute() or re.match(r"^[A-Za-z]:", text) or ".." in pure.parts
            or "\x00" in text):
        return None
    base = root / "evidence"
    full = base.joinpath(*pure.parts)
    try:
        real, real_base = os.path.realpath(full), _realpath(str(base))
    except (OSError, ValueError):
        return None
    if not Path(real).is_relative_to(real_base):
        return None
    return full


@functools.lru_cache(maxsize=64)
def _realpath(folder: str) -> str:
    """The evidence folder's real path, once per process and not once per row. Only the folder's: a
    file's own path is resolved every time, and a folder later swapped for a link elsewhere only
    makes every file of it look outside (refused), never lets one through."""
    return os.path.realpath(folder)


def _check_evidence(src: Sources, tables: dict[str, pd.DataFrame], ctx: Context) -> None:
    ev = tables.get("evidence")
    if ev is None or "file" not in ev.columns:
        return
    file, rows = ev.attrs["file"], ev.attrs["rows"]
    seen: dict[str, int] = {}
    for i, value in enumerate(ev["file"].to_numpy()):
        row = int(rows[i])
        if not value:
            continue
        path = evidence_path(src.root, value)
        if path is None:
            ctx.report.error("evidence_outside", file, row, "file", found=value)
            continue
        key = path.relative_to(src.root / "evidence").as_posix()
        if key in seen:
            ctx.report.error("evidence_twice", file, row, "file", found=value, first=seen[key])
            continue
        seen[key] = row
        if not path.is_file():
            ctx.report.error("evidence_missing", file, row, "file", found=value)
    for rel in src.evidence_files:
        if rel not in seen:
            ctx.report.warn("evidence_unlisted", f"evidence/{rel}", found=rel)


__all__ = ["CheckResult", "check", "evidence_path", "validate"]
