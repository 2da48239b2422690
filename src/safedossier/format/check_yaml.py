"""Check the YAML documents (community.yml, the twelve elements) field by field against the schema."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import numpy as np

from safedossier.format.context import (
    DATE_RE,
    FALSE_WORDS,
    MAX_TEXT,
    TRUE_WORDS,
    TYPE_NAMES,
    Context,
    Ref,
    as_year,
    dotted,
    say,
)
from safedossier.format.load import YamlDoc
from safedossier.format.schema import (
    ALIASES,
    Field,
)

# --- YAML documents --------------------------------------------------------------------------

def check_doc(doc: YamlDoc, fields: tuple[Field, ...], ctx: Context) -> dict[str, Any]:
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
            ctx.report.info("unknown_key", doc.file, doc.line(path + (key,)), dotted(path + (key,)),
                            key=key)
    for f in fields:
        value = data.get(f.key)
        norm = _check_value(value, f, path + (f.key,), doc, ctx)
        if norm is not None:
            out[f.key] = norm
    return out


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value == [] or value == {}


def _check_value(value: Any, f: Field, path: tuple[Any, ...], doc: YamlDoc, ctx: Context) -> Any:
    """Check one YAML value against its field; return it normalised, or None when unusable."""
    line, name = doc.line(path), dotted(path)
    if _empty(value):
        if f.required:
            say(ctx.report, f)("required", doc.file, line, name, label=f.label, label_en=f.label_en)
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
                    _type_error(item, f, doc.file, doc.line(ipath), dotted(ipath), ctx)
                    continue
                norm = _check_map(item, f.fields, ipath, doc, ctx)
                if f.ids and isinstance(norm.get("id"), str):
                    ctx.define(f.ids, norm["id"], doc.file, doc.line(ipath + ("id",)), dotted(ipath + ("id",)))
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
    say(ctx.report, f)("type", file, line, name, found=_show(value), type_zh=zh, type_en=en)
    return str(value) if f.loose and not isinstance(value, (dict, list)) else None


def _show(value: Any) -> str:
    if isinstance(value, (dict, list)):
        return type(value).__name__
    return str(value)


def _check_scalar(value: Any, f: Field, path: tuple[Any, ...], doc: YamlDoc, ctx: Context) -> Any:
    line, name, file = doc.line(path), dotted(path), doc.file
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
            say(ctx.report, f)("range", file, line, name, found=value, min=f.min, max=f.max)
        return num
    if f.kind == "year":
        year = as_year(value)
        if year is None:
            return _type_error(value, f, file, line, name, ctx)
        return year
    if f.kind == "date":
        date = _date(value)
        if date is None:
            say(ctx.report, f)("date_invalid", file, line, name, found=value)
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
            year, num = as_year(k), _number(v, integer=False)
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


def check_dates_in_cycle(ctx: Context) -> None:
    if not ctx.cycle:
        return
    start, end = ctx.cycle
    for file, line, name, date in ctx.dated:
        if not start <= date.year <= end:  # FORMAT.md: the cycle is what the dossier covers, not a bound
            ctx.report.warn("date_outside_cycle", file, line, name, found=date.isoformat(),
                            start=start, end=end)
