"""Check a loaded dossier against the schema and turn it into a typed `Dossier`.

YAML documents are walked field by field (they are small); tables are checked column by column with
pandas so a 50,000-row injury table stays fast. References are collected on the way and resolved at
the end, once every id space is known.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import numpy as np
import pandas as pd

from safedossier.analyse.scoring.assess import check_self_assessment
from safedossier.format.diagnostics import Diagnostic, Report
from safedossier.format.glyphcheck import check_glyphs
from safedossier.format.load import Sources, YamlDoc, load_sources, strings_of
from safedossier.format.model import Dossier
from safedossier.format.schema import (
    ALIASES,
    COMMUNITY,
    DATE_ORDER,
    ELEMENT_FILES,
    ELEMENTS,
    NAMESPACES,
    TABLES,
    Field,
    Table,
)
from safedossier.format.tableread import RawTable
from safedossier.trust import privacy
from safedossier.trust.siteconfig import check_site_config

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


def _say(rep: Report, f: Field) -> Any:
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
    community = _check_doc(community_doc, COMMUNITY, ctx) if community_doc else {}
    elements: dict[str, dict[str, Any]] = {}
    for el in ELEMENTS:
        doc = src.yaml.get(el.filename)
        if doc is None:
            if f"dossier/{el.filename}" not in src.files:
                report.error("file_missing", f"dossier/{el.filename}")
            continue
        elements[el.slug] = _check_doc(doc, el.fields, ctx)
    tables: dict[str, pd.DataFrame] = {}
    for t in TABLES:
        raw = src.tables.get(t.name)
        if raw is None:
            if not t.optional and not any(f.startswith(f"data/{t.name}.") for f in src.files):
                report.warn("table_missing", f"data/{t.name}.csv", table=t.name, label=t.label,
                            label_en=t.label_en)
            continue
        tables[t.name] = _check_table(raw, t, ctx)
    _check_dates_in_cycle(ctx)
    _resolve(ctx, _unreadable_namespaces(src))
    check_self_assessment(src, ctx.ids, report)  # after _resolve: every id space is known
    _check_evidence(src, tables, ctx)
    _check_private_text(src, community, elements, tables, ctx)
    check_glyphs(src, tables, report)
    dossier = Dossier(
        root=src.root, community=community, cycle=ctx.cycle or (0, 0), elements=elements,
        tables=tables, table_files={n: r.file for n, r in src.tables.items()}, pages=src.pages,
        files=sorted(src.files), site_config=check_site_config(src.root, src.site_config, report),
    )
    _check_private_values(src, dossier, ctx)
    _warn_gaps(dossier, ctx)
    return dossier


# --- cycle -----------------------------------------------------------------------------------

def _cycle(doc: YamlDoc | None, src: Sources, report: Report) -> tuple[int, int] | None:
    """The dossier's cycle; inferred from injury dates (with a warning) when community.yml has none."""
    cyc = doc.data.get("cycle") if doc and isinstance(doc.data, dict) else None
    if isinstance(cyc, dict):
        start, end = _as_year(cyc.get("start")), _as_year(cyc.get("end"))
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


def _as_year(v: Any) -> int | None:
    if isinstance(v, bool):
        return None
    if isinstance(v, int) and 1900 <= v <= 2100:
        return v
    if isinstance(v, str) and re.fullmatch(r"\d{4}\s*年?", v.strip()):  # 2024 or 2024年
        return _as_year(int(v.strip().rstrip("年")))
    return None


# --- YAML documents --------------------------------------------------------------------------

def _check_doc(doc: YamlDoc, fields: tuple[Field, ...], ctx: Context) -> dict[str, Any]:
    if doc.data is None:
        doc.data = {}
    if not isinstance(doc.data, dict):
        ctx.report.error("yaml_not_mapping", doc.file, doc.line(()), found=type(doc.data).__name__)
        return {}
    return _check_map(doc.data, fields, (), doc, ctx)


def _check_map(data: dict[Any, Any], fields: tuple[Field, ...], path: tuple[Any, ...],
               doc: YamlDoc, ctx: Context) -> dict[str, Any]:
    known = {f.key for f in fields}
    out: dict[str, Any] = {}
    for key in data:
        if key not in known:
            ctx.report.info("unknown_key", doc.file, doc.line(path + (key,)), _dotted(path + (key,)),
                            key=key)
    for f in fields:
        value = data.get(f.key)
        norm = _check_value(value, f, path + (f.key,), doc, ctx)
        if norm is not None:
            out[f.key] = norm
    return out


def _dotted(path: tuple[Any, ...]) -> str:
    out = ""
    for p in path:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value == [] or value == {}


def _check_value(value: Any, f: Field, path: tuple[Any, ...], doc: YamlDoc, ctx: Context) -> Any:
    """Check one YAML value against its field; return it normalised, or None when unusable."""
    line, name = doc.line(path), _dotted(path)
    if _empty(value):
        if f.required:
            _say(ctx.report, f)("required", doc.file, line, name, label=f.label, label_en=f.label_en)
        return None
    if f.kind == "map":
        if not isinstance(value, dict):
            return _type_error(value, f, doc.file, line, name, ctx)
        return _check_map(value, f.fields, path, doc, ctx)
    if f.kind == "list" or f.many:
        items = value if isinstance(value, list) else None
        if items is None:
            if f.kind == "list" or isinstance(value, dict):
                return _type_error(value, f, doc.file, line, name, ctx)
            items = [value]  # a single scalar where a list is expected: accept it as one item
        out = []
        for i, item in enumerate(items):
            ipath = path + (i,) if isinstance(value, list) else path
            if f.kind == "list":
                if not isinstance(item, dict):
                    _type_error(item, f, doc.file, doc.line(ipath), _dotted(ipath), ctx)
                    continue
                norm = _check_map(item, f.fields, ipath, doc, ctx)
                if f.ids and isinstance(norm.get("id"), str):
                    ctx.define(f.ids, norm["id"], doc.file, doc.line(ipath + ("id",)), _dotted(ipath + ("id",)))
                    if isinstance(norm.get("name"), str):
                        ctx.names.setdefault(f.ids, {}).setdefault(norm["name"], norm["id"])
                out.append(norm)
            else:
                norm = _check_scalar(item, f, ipath, doc, ctx)
                if norm is not None:
                    out.append(norm)
        return out
    return _check_scalar(value, f, path, doc, ctx)


def _type_error(value: Any, f: Field, file: str, line: int | None, name: str, ctx: Context) -> Any:
    """Report a value of the wrong kind; a loose scalar is kept as the text it was written as."""
    zh, en = TYPE_NAMES.get(f.kind, TYPE_NAMES["text"])
    _say(ctx.report, f)("type", file, line, name, found=_show(value), type_zh=zh, type_en=en)
    return str(value) if f.loose and not isinstance(value, (dict, list)) else None


def _show(value: Any) -> str:
    if isinstance(value, (dict, list)):
        return type(value).__name__
    return str(value)


def _check_scalar(value: Any, f: Field, path: tuple[Any, ...], doc: YamlDoc, ctx: Context) -> Any:
    line, name, file = doc.line(path), _dotted(path), doc.file
    if isinstance(value, (dict, list)) and f.kind != "yearmap":
        return _type_error(value, f, file, line, name, ctx)
    if f.kind == "text":
        text = str(value)
        if len(text) > MAX_TEXT:
            ctx.report.error("too_long", file, line, name, found=text[:40], length=len(text), limit=MAX_TEXT)
            return None
        return text
    if f.kind in ("int", "number"):
        num = _number(value, integer=f.kind == "int")
        if num is None:
            return _type_error(value, f, file, line, name, ctx)
        if (f.min is not None and num < f.min) or (f.max is not None and num > f.max):
            _say(ctx.report, f)("range", file, line, name, found=value, min=f.min, max=f.max)
        return num
    if f.kind == "year":
        year = _as_year(value)
        if year is None:
            return _type_error(value, f, file, line, name, ctx)
        return year
    if f.kind == "date":
        date = _date(value)
        if date is None:
            _say(ctx.report, f)("date_invalid", file, line, name, found=value)
            return str(value) if f.loose else None
        if f.in_cycle:
            ctx.dated.append((file, line, name, date))
        return date.isoformat()
    if f.kind == "code":
        text = ALIASES.get(str(value).strip(), str(value).strip())
        if text not in f.codes:
            ctx.report.error("code", file, line, name, found=value, allowed="、".join(f.codes))
            return None
        return text
    if f.kind == "bool":
        return _bool(value, f, file, line, name, ctx)
    if f.kind == "ref":
        text = str(value).strip()
        ctx.refs.append(Ref(f.ref, file, name, [text], [line], f.ref_extra))
        return text
    if f.kind == "yearmap":
        if not isinstance(value, dict):
            return _type_error(value, f, file, line, name, ctx)
        out: dict[int, float] = {}
        for k, v in value.items():
            year, num = _as_year(k), _number(v, integer=False)
            if year is None or num is None:
                ctx.report.error("type", file, doc.line(path + (k,)), f"{name}.{k}", found=f"{k}: {v}",
                                 type_zh="年份: 数值", type_en="year: number")
                continue
            out[year] = num
        return out
    return value


def _number(value: Any, integer: bool) -> float | int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)) and not (isinstance(value, float) and not np.isfinite(value)):
        if integer and isinstance(value, float):
            return int(value) if value.is_integer() else None
        return value
    if isinstance(value, str):
        try:
            num = float(value.replace(",", "").strip())
        except ValueError:
            return None
        if not np.isfinite(num):
            return None
        if integer:
            return int(num) if num.is_integer() else None
        return num
    return None


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    m = re.match(DATE_RE, str(value).strip())
    if not m:
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def _bool(value: Any, f: Field, file: str, line: int | None, name: str, ctx: Context) -> bool | None:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    return _type_error(value, f, file, line, name, ctx)


def _check_dates_in_cycle(ctx: Context) -> None:
    if not ctx.cycle:
        return
    start, end = ctx.cycle
    for file, line, name, date in ctx.dated:
        if not start <= date.year <= end:  # FORMAT.md: the cycle is what the dossier covers, not a bound
            ctx.report.warn("date_outside_cycle", file, line, name, found=date.isoformat(),
                            start=start, end=end)


# --- tables ----------------------------------------------------------------------------------

def parse_dates(s: pd.Series) -> pd.Series:
    """Vectorised date parsing of the accepted forms; NaT where a date is malformed or impossible.

    ISO dates take pandas' C fast path; only the other forms go through the regular expression.
    """
    s = s.astype(str)
    iso = pd.to_datetime(s, format="%Y-%m-%d", errors="coerce")
    rest = iso.isna() & (s != "")
    if rest.any():
        parts = s[rest].str.extract(DATE_RE).apply(pd.to_numeric, errors="coerce")
        other = pd.to_datetime(pd.DataFrame({"year": parts[0], "month": parts[1], "day": parts[2]}),
                               errors="coerce")
        iso = iso.where(~rest, other)
    return iso


def _check_table(raw: RawTable, t: Table, ctx: Context) -> pd.DataFrame:
    """Check every column of a table; return it with typed columns (bad cells become missing)."""
    df, rows, rep = raw.df, np.asarray(raw.rows, dtype=np.int64), ctx.report
    out = pd.DataFrame(index=df.index)
    for col in raw.unknown_columns:
        rep.info("unknown_column", raw.file, 1, col, column=col)
    for f in t.fields:
        if f.key not in df.columns:
            if f.required:
                _say(rep, f)("column_missing", raw.file, 1, f.key, column=f.key, label=f.label)
            continue
        s = df[f.key]
        lengths = s.str.len().to_numpy()
        for i in np.flatnonzero(lengths > MAX_CELL):
            rep.error("too_long", raw.file, int(rows[i]), f.key, found=s.iloc[i][:40], length=int(lengths[i]),
                      limit=MAX_CELL)
        if (lengths > MAX_CELL).any():
            s = s.where(lengths <= MAX_CELL, "")
        empty = (s == "").to_numpy()
        if f.required:
            say = _say(rep, f)
            for r in rows[empty]:
                say("required", raw.file, int(r), f.key, label=f.label, label_en=f.label_en)
        out[f.key] = _check_column(s, empty, f, raw, rows, ctx)
    for col in raw.unknown_columns:  # kept, never rendered
        out[col] = df[col]
    if t.key in out.columns and t.ids:
        _check_ids(df[t.key], rows, raw.file, t, ctx)
    elif t.key == "year" and "year" in out.columns:
        _check_ids(df["year"], rows, raw.file, t, ctx)
    for early, late in DATE_ORDER.get(t.name, ()):
        if early in out.columns and late in out.columns:
            bad = (out[late] < out[early]).to_numpy()
            for i in np.flatnonzero(bad):  # FORMAT.md states no order of dates: a warning
                rep.warn("date_order", raw.file, int(rows[i]), late, found=out[late].iloc[i].date(),
                         other=early, other_value=out[early].iloc[i].date())
    out.attrs["rows"] = rows
    out.attrs["file"] = raw.file
    return out


def _check_column(s: pd.Series, empty: np.ndarray, f: Field, raw: RawTable, rows: np.ndarray,
                  ctx: Context) -> pd.Series:
    rep, file = ctx.report, raw.file
    present = ~empty

    say = _say(rep, f)

    def flag(bad: np.ndarray, code: str, **params: Any) -> None:
        for i in np.flatnonzero(bad):
            say(code, file, int(rows[i]), f.key, found=s.iloc[i], **params)

    type_zh, type_en = TYPE_NAMES.get(f.kind, TYPE_NAMES["text"])
    if f.kind in ("int", "number", "year"):
        digits = s.str.replace(",", "", regex=False)
        if f.kind == "year":
            digits = digits.str.replace(r"^(\d{4})\s*年$", r"\1", regex=True)  # 2024年
        num = pd.to_numeric(digits.where(present, None), errors="coerce")
        num = num.astype(float)  # one dtype, whatever the digits were (huge integers become floats)
        bad = present & num.isna().to_numpy()
        if f.kind in ("int", "year"):
            # a whole number an integer column can hold exactly (beyond 2**53 digits are lost)
            bad |= present & ~np.isnan(num.to_numpy()) & ((num.fillna(0) % 1 != 0) | (num.abs() > 2**53)).to_numpy()
        if f.kind == "year":
            bad |= present & ((num < 1900) | (num > 2100)).to_numpy()
        flag(bad, "type", type_zh=type_zh, type_en=type_en)
        ok = num.where(~bad)
        lo = f.min if f.min is not None else -np.inf
        hi = f.max if f.max is not None else np.inf
        flag(((ok < lo) | (ok > hi)).to_numpy(), "range", min=f.min, max=f.max)
        return ok.astype("Int64") if f.kind != "number" else ok.astype(float)
    if f.kind == "date":
        dates = parse_dates(s)
        bad = present & dates.isna().to_numpy()
        flag(bad, "date_invalid")
        if f.in_cycle and ctx.cycle:  # a warning: FORMAT.md makes the cycle what is covered, not a bound
            years = dates.dt.year
            outside = ((years < ctx.cycle[0]) | (years > ctx.cycle[1])).to_numpy()
            for i in np.flatnonzero(outside):
                rep.warn("date_outside_cycle", file, int(rows[i]), f.key, found=s.iloc[i],
                         start=ctx.cycle[0], end=ctx.cycle[1])
        return dates
    if f.kind == "code":
        used = {a: c for a, c in ALIASES.items() if c in f.codes}
        present_aliases = {v: used[v] for v in s.unique() if v in used} if used else {}
        canon = s.replace(present_aliases) if present_aliases else s
        bad = present & ~canon.isin(f.codes).to_numpy()
        flag(bad, "code", allowed="、".join(f.codes))
        return canon.where(~bad & present, None)
    if f.kind == "bool":
        low = s.str.lower()
        truth = low.isin(TRUE_WORDS)
        bad = present & ~(truth | low.isin(FALSE_WORDS)).to_numpy()
        flag(bad, "type", type_zh=type_zh, type_en=type_en)
        return truth
    if f.kind == "ref":
        if f.many:
            lists = s.map(lambda v: [x for x in LIST_SEP.split(v) if x] if v else [])
            flat = lists.explode().dropna()
            pos = s.index.get_indexer(flat.index)
            ctx.refs.append(Ref(f.ref, file, f.key, flat.astype(str).tolist(),
                                [int(r) for r in rows[pos]], f.ref_extra, f.soft))
            return lists
        ctx.refs.append(Ref(f.ref, file, f.key, s[present].tolist(),
                            [int(r) for r in rows[present]], f.ref_extra, f.soft))
        return s.where(present, None)
    return s


def _check_ids(s: pd.Series, rows: np.ndarray, file: str, t: Table, ctx: Context) -> None:
    present = s != ""
    dup = (s.duplicated(keep="first") & present).to_numpy()
    if dup.any():
        first_row = {}
        for v, r in zip(s.to_numpy(), rows, strict=False):
            first_row.setdefault(v, int(r))
        for i in np.flatnonzero(dup):
            ctx.report.error("duplicate_id", file, int(rows[i]), t.key, found=s.iloc[i],
                             first=first_row[s.iloc[i]])
    if t.ids in REFERENCED:  # ids nobody refers to (injuries) need no look-up table
        space = ctx.ids.setdefault(t.ids, {})
        for v, r in zip(s[present].to_numpy(), rows[present.to_numpy()], strict=False):
            space.setdefault(v, (file, int(r)))


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
        real, real_base = os.path.realpath(full), os.path.realpath(base)
    except (OSError, ValueError):
        return None
    if not Path(real).is_relative_to(real_base):
        return None
    return full


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


# --- free text must not carry personal numbers ------------------------------------------------

def _check_private_text(src: Sources, community: dict[str, Any], elements: dict[str, Any],
                        tables: dict[str, pd.DataFrame], ctx: Context) -> None:
    office_phone = privacy.digits_of(str((community.get("office") or {}).get("phone", "")))
    allowed = frozenset({office_phone}) if office_phone else frozenset()

    def flag(text: str, file: str, line: int | None, fld: str) -> None:
        for kind, hit in privacy.find_personal_numbers(text, allowed):
            what = ("身份证号码", "an ID-card number") if kind == "id_number" else ("手机号码", "a mobile number")
            ctx.report.error("private_text", file, line, fld, found=hit, what=what[0], what_en=what[1])

    for name, doc in src.yaml.items():
        for path, text in strings_of(doc.data):
            if name == "community.yml" and path == ("office", "phone"):
                continue
            flag(text, doc.file, doc.line(path), _dotted(path))
    for page in src.pages:
        for n, line in enumerate(page.text.splitlines(), start=1):
            flag(line, page.file, n, "")
    for t in TABLES:
        df = tables.get(t.name)
        if df is None:
            continue
        for f in t.fields:
            if f.private or f.kind != "text" or f.key not in df.columns or f.key == "id":
                continue
            col = df[f.key].astype(str)
            if not _LONG_NUMBER.search("\n".join(col)):  # one C-speed pass over the whole column
                continue
            maybe = col.str.contains(_LONG_NUMBER, regex=True).to_numpy()
            for i in np.flatnonzero(maybe):
                flag(col.iloc[i], df.attrs["file"], int(df.attrs["rows"][i]), f.key)


def _check_private_values(src: Sources, d: Dossier, ctx: Context) -> None:
    """An injured person's name, ID, phone or address typed into any public field: the build's
    privacy guard would refuse it, so say where it is now (numbers that look like one are errors
    of `_check_private_text` already)."""
    from safedossier.trust.guard import Guard, mask

    guard = Guard(d)
    if not guard.has_values:
        return

    def flag(text: str, file: str, line: int | None, fld: str) -> None:
        for lk in guard.scan_text(text, file):
            if lk.source and not (lk.kind != "name" and privacy.find_personal_numbers(lk.value)):
                what = {"name": ("姓名", "a name"), "id_number": ("身份证号码", "an ID-card number"),
                        "phone": ("电话号码", "a phone number"), "address": ("住址", "an address")}[lk.kind]
                ctx.report.warn("private_value", file, line, fld, found=mask(lk.value), what=what[0],
                                what_en=what[1], source=lk.source)

    for doc in src.yaml.values():
        for path, text in strings_of(doc.data):
            flag(text, doc.file, doc.line(path), _dotted(path))
    for page in src.pages:
        for n, line in enumerate(page.text.splitlines(), start=1):
            flag(line, page.file, n, "")
    for name, df in d.tables.items():
        for key in d.public_columns(name):
            col = df[key]
            if pd.api.types.is_datetime64_any_dtype(col) or pd.api.types.is_numeric_dtype(col):
                continue
            texts = col.fillna("").astype(str).to_numpy()
            if not guard.scan_text("\x00".join(pd.unique(texts)), ""):  # one pass; rows only on a hit
                continue
            for i, text in enumerate(texts):
                if text:
                    flag(text, df.attrs["file"], int(df.attrs["rows"][i]), key)


_LONG_NUMBER = re.compile(r"\d{11}|\d{3}[ -]\d{4}[ -]\d{4}|\d{17}[\dXx]")


# --- what a reviewer would miss ---------------------------------------------------------------

YEARLY = (("injuries", "date", "伤害记录", "injury records"), ("trainings", "date", "宣传培训活动", "trainings"),
          ("drills", "date", "应急演练", "drills"), ("inspections", "date", "检查记录", "inspections"),
          ("meetings", "date", "会议记录", "meetings"))


def _warn_gaps(d: Dossier, ctx: Context) -> None:
    rep = ctx.report
    if ctx.cycle:
        for name, col, what, what_en in YEARLY:
            df = d.tables.get(name)
            if df is None or col not in df.columns:
                continue
            have = set(df[col].dt.year.dropna().astype(int))
            for y in d.years:
                if y not in have:
                    rep.warn("year_without", df.attrs["file"], None, col, year=y, what=what, what_en=what_en)
        pop = d.tables.get("population")
        if pop is not None and "year" in pop.columns:
            have = set(pop["year"].dropna().astype(int))
            for y in d.years:
                if y not in have:
                    rep.warn("population_year_missing", pop.attrs["file"], None, "year", year=y)
    _warn_population_sums(d, rep)
    org = d.element("organisation")
    org_file = "dossier/" + ELEMENTS[0].filename
    members = d.tables.get("members")
    member_groups = set(members["group"].dropna()) if members is not None and "group" in members else set()
    projects = d.element("projects").get("projects", [])
    project_groups = {p.get("group") for p in projects}
    for g in org.get("groups", []):
        gid, gname = g.get("id", ""), g.get("name", "")
        if members is not None and gid not in member_groups and gname not in member_groups:
            rep.warn("group_without_members", org_file, None, "groups", id=gid, name=gname)
        if g.get("kind") == "专项":
            if not g.get("area"):
                rep.warn("group_without_area", org_file, None, f"groups.{gid}.area", found=gid)
            if gid not in project_groups and gname not in project_groups:
                rep.warn("group_without_project", org_file, None, "groups", id=gid, name=gname)
    for p in projects:
        if not p.get("indicators"):
            rep.warn("project_without_indicators", "dossier/" + ELEMENT_FILES_BY_SLUG["projects"], None,
                     "projects", id=p.get("id", ""), name=p.get("name", ""))
    for p in d.element("emergency").get("plans", []):
        if not p.get("revised"):
            rep.warn("plan_without_revision", "dossier/" + ELEMENT_FILES_BY_SLUG["emergency"], None,
                     "plans", id=p.get("id", ""), name=p.get("name", ""))


ELEMENT_FILES_BY_SLUG = {e.slug: fn for fn, e in ELEMENT_FILES.items()}


def _warn_population_sums(d: Dossier, rep: Report) -> None:
    pop = d.tables.get("population")
    if pop is None or "total" not in pop.columns:
        return
    checks = ((("male", "female"), "男女人数", "male and female"),
              (("age_0_14", "age_15_59", "age_60_plus"), "各年龄组人数", "age groups"))
    for cols, what, what_en in checks:
        if not all(c in pop.columns for c in cols):
            continue
        parts = pop[list(cols)]
        total = parts.sum(axis=1, min_count=len(cols))
        bad = (total.notna() & pop["total"].notna() & (total != pop["total"])).to_numpy()
        for i in np.flatnonzero(bad):
            rep.warn("population_sum", pop.attrs["file"], int(pop.attrs["rows"][i]), "total",
                     found=int(pop["total"].iloc[i]), what=what, what_en=what_en,
                     sum=int(total.iloc[i]), total=int(pop["total"].iloc[i]))


__all__ = ["CheckResult", "check", "evidence_path", "parse_dates", "validate"]
