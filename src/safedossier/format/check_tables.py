"""Check tables column by column with pandas (a 50,000-row injury table stays fast): required
cells, types, ranges, code lists, dates, ids, references."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from safedossier.format.context import (
    DATE_RE,
    FALSE_WORDS,
    LIST_SEP,
    MAX_CELL,
    REFERENCED,
    TRUE_WORDS,
    TYPE_NAMES,
    Context,
    Ref,
    say,
)
from safedossier.format.schema import (
    ALIASES,
    DATE_ORDER,
    Field,
    Table,
)
from safedossier.format.tableread import RawTable

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


def check_table(raw: RawTable, t: Table, ctx: Context) -> pd.DataFrame:
    """Check every column of a table; return it with typed columns (bad cells become missing)."""
    df, rows, rep = raw.df, np.asarray(raw.rows, dtype=np.int64), ctx.report
    out = pd.DataFrame(index=df.index)
    for col in raw.unknown_columns:
        rep.info("unknown_column", raw.file, 1, col, column=col)
    for f in t.fields:
        if f.key not in df.columns:
            if f.required:
                say(rep, f)("column_missing", raw.file, 1, f.key, column=f.key, label=f.label)
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
            tell = say(rep, f)
            for r in rows[empty]:
                tell("required", raw.file, int(r), f.key, label=f.label, label_en=f.label_en)
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

    tell = say(rep, f)

    def flag(bad: np.ndarray, code: str, **params: Any) -> None:
        for i in np.flatnonzero(bad):
            tell(code, file, int(rows[i]), f.key, found=s.iloc[i], **params)

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
