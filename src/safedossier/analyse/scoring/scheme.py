"""Scoring schemes as data: load and validate a scheme YAML (contract: shared SCORING.md).

Schemes are written by other people (a province's official form, a city's rules), so a scheme file is
untrusted input like every other dossier file: each problem is a diagnostic with file, line and field,
and a scheme with errors is not used. Points and factors are kept as `Decimal` (from their decimal
spelling) so that 0.8 × 0.7 is 0.56 and a total of exactly 100 passes a `min_total: 100`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from decimal import Decimal
from importlib import resources
from pathlib import Path, PurePosixPath
from typing import Any

from safedossier.format.diagnostics import Report
from safedossier.format.load import YamlDoc, read_yaml

TOP_KEYS = ("id", "name", "name_en", "source", "parts", "grades", "verdicts", "items")
ITEM_KEYS = ("id", "element", "title", "title_en", "parts", "hint", "hint_en")
VERDICT_KEYS = ("name", "name_en", "min_total", "no_zero_item")
LABELS = {  # key → (zh, en) for `required` diagnostics
    "id": ("编号", "id"), "name": ("名称", "name"), "source": ("来源（文件名称、文号或整理依据）", "source"),
    "parts": ("评分部分及分值，如 {有无: 0.8}", "parts and their points, e.g. {有无: 0.8}"),
    "grades": ("等级及系数，如 {a: 1.0}", "grades and factors, e.g. {a: 1.0}"),
    "verdicts": ("结论列表", "a list of verdicts"), "items": ("项目列表", "a list of items"),
    "element": ("要素序号 1–12", "an element number 1–12"), "title": ("项目名称", "item title"),
}
SHIPPED_DIR = "schemes"


@dataclass(frozen=True)
class Verdict:
    """One verdict rule; conditions left out always hold."""

    name: str
    min_total: Decimal | None = None
    no_zero_item: bool = False
    name_en: str = ""


@dataclass(frozen=True)
class Item:
    """One item of the form: its element(s), title and parts (name → points)."""

    id: str
    elements: tuple[int, ...]
    title: str
    parts: dict[str, Decimal]
    hint: str = ""
    title_en: str = ""
    hint_en: str = ""
    line: int | None = None

    @property
    def element(self) -> int:
        """The element whose subtotal the item counts in (the first one listed)."""
        return self.elements[0]

    @property
    def max(self) -> Decimal:
        return sum(self.parts.values(), Decimal(0))


@dataclass(frozen=True)
class Scheme:
    """A validated scheme: every item has parts, every factor is within 0–1."""

    id: str
    name: str
    source: str
    parts: dict[str, Decimal]
    grades: dict[str, Decimal]
    verdicts: tuple[Verdict, ...]
    items: tuple[Item, ...]
    file: str
    name_en: str = ""
    by_id: dict[str, Item] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self.by_id.update({i.id: i for i in self.items})

    @property
    def max(self) -> Decimal:
        return sum((i.max for i in self.items), Decimal(0))


# --- values -----------------------------------------------------------------------------------

def dotted(path: tuple[Any, ...]) -> str:
    out = ""
    for p in path:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out


class Checker:
    """Field checks on one YAML document that report where a value is wrong."""

    def __init__(self, doc: YamlDoc, report: Report) -> None:
        self.doc, self.report, self.ok = doc, report, True

    def error(self, code: str, path: tuple[Any, ...], found: object = "", name: str | None = None,
              **params: Any) -> None:
        """An error at `path` (its line), shown as the field `name` (default: `path` dotted)."""
        self.ok = False
        self.report.error(code, self.doc.file, self.doc.line(path), dotted(path) if name is None else name,
                          found, **params)

    def type_error(self, path: tuple[Any, ...], value: Any, zh: str, en: str) -> None:
        shown = type(value).__name__ if isinstance(value, (dict, list)) else value
        self.error("type", path, shown, type_zh=zh, type_en=en)

    def unknown_keys(self, data: dict[Any, Any], known: tuple[str, ...], path: tuple[Any, ...]) -> None:
        for key in data:
            if key not in known:
                self.report.info("unknown_key", self.doc.file, self.doc.line(path + (key,)),
                                 dotted(path + (key,)), key=key)

    def required(self, data: dict[Any, Any], key: str, path: tuple[Any, ...]) -> Any:
        value = data.get(key)
        if value is None or value == "" or value == [] or value == {}:
            zh, en = LABELS.get(key, (key, key))
            self.error("required", path + (key,), label=zh, label_en=en)
            return None
        return value

    def text(self, value: Any, path: tuple[Any, ...]) -> str | None:
        """A string; a whole number is accepted as its digits (`id: 1`), a decimal is not (1.10 ≠ 1.1)."""
        if isinstance(value, str) and value.strip():
            return value.strip()
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        self.type_error(path, value, "文本（小数形式的编号请加引号，如 \"1.10\"）", 'text (quote a dotted id: "1.10")')
        return None

    def key(self, key: Any, path: tuple[Any, ...]) -> str | None:
        return self.text(key, path)

    def number(self, value: Any, path: tuple[Any, ...], lo: Decimal | None = None,
               hi: Decimal | None = None) -> Decimal | None:
        """A number kept exactly as written (`Decimal(str(0.8))` is 0.8), within lo–hi when given."""
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
            self.type_error(path, value, "数字", "a number")
            return None
        num = Decimal(str(value))
        if not num.is_finite():
            self.type_error(path, value, "有限的数字", "a finite number")
            return None
        if (lo is not None and num < lo) or (hi is not None and num > hi):
            self.error("range", path, value, min=lo, max=hi)
            return None
        return num

    def points(self, value: Any, path: tuple[Any, ...]) -> Decimal | None:
        num = self.number(value, path)
        if num is not None and num <= 0:
            self.error("scheme_points", path, value)
            return None
        return num

    def mapping(self, value: Any, path: tuple[Any, ...]) -> dict[Any, Any] | None:
        if isinstance(value, dict):
            return value
        self.type_error(path, value, "“键: 值”映射", "a mapping")
        return None


def parse_parts(ck: Checker, value: Any, path: tuple[Any, ...]) -> dict[str, Decimal]:
    """Part name → points (more than 0)."""
    data = ck.mapping(value, path)
    out: dict[str, Decimal] = {}
    for k, v in (data or {}).items():
        name = ck.key(k, path + (k,))
        points = ck.points(v, path + (k,))
        if name is not None and points is not None:
            out[name] = points
    return out


# --- a scheme ---------------------------------------------------------------------------------

def parse_scheme(doc: YamlDoc, report: Report) -> Scheme | None:
    """A `Scheme` from a parsed YAML document, or None when it has errors (all of them reported)."""
    ck = Checker(doc, report)
    data = doc.data
    if not isinstance(data, dict):
        report.error("yaml_not_mapping", doc.file, doc.line(()), found=type(data).__name__)
        return None
    ck.unknown_keys(data, TOP_KEYS, ())
    sid = _opt_text(ck, data, "id", required=True)
    name = _opt_text(ck, data, "name", required=True)
    source = _opt_text(ck, data, "source", required=True)
    name_en = _opt_text(ck, data, "name_en") or ""
    raw_parts = ck.required(data, "parts", ())
    parts = parse_parts(ck, raw_parts, ("parts",)) if raw_parts is not None else {}
    grades = _grades(ck, ck.required(data, "grades", ()))
    verdicts = _verdicts(ck, ck.required(data, "verdicts", ()))
    items = _items(ck, ck.required(data, "items", ()), parts)
    if not ck.ok or sid is None or name is None or source is None:
        return None
    return Scheme(sid, name, source, parts, grades, verdicts, items, doc.file, name_en)


def _grades(ck: Checker, value: Any) -> dict[str, Decimal]:
    """Grade name → factor between 0 and 1."""
    data = ck.mapping(value, ("grades",)) if value is not None else None
    out: dict[str, Decimal] = {}
    for k, v in (data or {}).items():
        name = ck.key(k, ("grades", k))
        factor = ck.number(v, ("grades", k), Decimal(0), Decimal(1))
        if name is not None and factor is not None:
            out[name] = factor
    return out


def _opt_text(ck: Checker, data: dict[Any, Any], key: str, required: bool = False,
              path: tuple[Any, ...] = ()) -> str | None:
    value = ck.required(data, key, path) if required else data.get(key)
    if value is None or (not required and value == ""):
        return None
    return ck.text(value, path + (key,))


def _verdicts(ck: Checker, value: Any) -> tuple[Verdict, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        ck.type_error(("verdicts",), value, "列表", "a list")
        return ()
    out = []
    for i, v in enumerate(value):
        path = ("verdicts", i)
        if not isinstance(v, dict):
            ck.type_error(path, v, "“键: 值”映射，如 {name: 通过, min_total: 100}", "a mapping, e.g. {name: pass}")
            continue
        ck.unknown_keys(v, VERDICT_KEYS, path)
        name = _opt_text(ck, v, "name", required=True, path=path)
        mt = v.get("min_total")
        min_total = ck.number(mt, path + ("min_total",)) if mt is not None else None
        nz = v.get("no_zero_item", False)
        if not isinstance(nz, bool):
            ck.type_error(path + ("no_zero_item",), nz, "true 或 false", "true or false")
            nz = False
        if name is not None:
            out.append(Verdict(name, min_total, nz, _opt_text(ck, v, "name_en", path=path) or ""))
    if out and (out[-1].min_total is not None or out[-1].no_zero_item):
        ck.report.warn("scheme_no_fallback", ck.doc.file, ck.doc.line(("verdicts", len(value) - 1)),
                       "verdicts", found=out[-1].name)
    return tuple(out)


def _items(ck: Checker, value: Any, default_parts: dict[str, Decimal]) -> tuple[Item, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        ck.type_error(("items",), value, "列表", "a list")
        return ()
    out: list[Item] = []
    first: dict[str, int | None] = {}
    for i, v in enumerate(value):
        path = ("items", i)
        if not isinstance(v, dict):
            ck.type_error(path, v, "“键: 值”映射（id、element、title …）", "a mapping (id, element, title …)")
            continue
        ck.unknown_keys(v, ITEM_KEYS, path)
        iid = _opt_text(ck, v, "id", required=True, path=path)
        if iid is not None and iid in first:
            ck.error("duplicate_id", path + ("id",), iid, first=first[iid])
            continue
        if iid is not None:
            first[iid] = ck.doc.line(path + ("id",))
        elements = _elements(ck, ck.required(v, "element", path), path + ("element",))
        title = _opt_text(ck, v, "title", required=True, path=path)
        parts = parse_parts(ck, v["parts"], path + ("parts",)) if v.get("parts") is not None else default_parts
        if iid is None or elements is None or title is None:
            continue
        out.append(Item(iid, elements, title, dict(parts), _opt_text(ck, v, "hint", path=path) or "",
                        _opt_text(ck, v, "title_en", path=path) or "",
                        _opt_text(ck, v, "hint_en", path=path) or "", first[iid]))
    return tuple(out)


def _elements(ck: Checker, value: Any, path: tuple[Any, ...]) -> tuple[int, ...] | None:
    if value is None:
        return None
    values = value if isinstance(value, list) else [value]
    out = []
    for j, e in enumerate(values):
        p = path + (j,) if isinstance(value, list) else path
        if isinstance(e, bool) or not isinstance(e, int):
            ck.type_error(p, e, "要素序号 1–12 或其列表", "an element number 1–12, or a list of them")
        elif not 1 <= e <= 12:
            ck.error("range", p, e, min=1, max=12)
        else:
            out.append(e)
    return tuple(out) if out and len(out) == len(values) else None


# --- where a scheme comes from ------------------------------------------------------------------

def shipped_ids() -> list[str]:
    """Ids of the schemes the tool ships (file stem = id)."""
    folder = resources.files(__package__).joinpath(SHIPPED_DIR)
    return sorted(p.name[:-4] for p in folder.iterdir() if p.name.endswith(".yml"))


def shipped_path(sid: str) -> Path:
    return Path(str(resources.files(__package__).joinpath(SHIPPED_DIR, f"{sid}.yml")))


def load_shipped(sid: str, report: Report) -> Scheme | None:
    doc = read_yaml(shipped_path(sid), f"safedossier/scoring/schemes/{sid}.yml", report)
    return parse_scheme(doc, report) if doc is not None else None


def is_path(ref: str) -> bool:
    """`schemes/x.yml` names a file; `aqt9001-self` names a shipped scheme."""
    return "/" in ref or "\\" in ref or ref.endswith((".yml", ".yaml"))


def resolve_scheme(root: Path, ref: str, report: Report, file: str, line: int | None,
                   fld: str = "scheme") -> tuple[Scheme | None, YamlDoc | None]:
    """The scheme a self-assessment names, and the dossier's scheme document it was read from (None for
    a shipped scheme). A path that leaves the dossier is refused before anything is opened."""
    ids = "、".join(shipped_ids())
    if not is_path(ref):
        if ref not in shipped_ids():
            report.error("scheme_unknown", file, line, fld, found=ref, ids=ids)
            return None, None
        return load_shipped(ref, report), None
    text = ref.replace("\\", "/").strip()
    pure = PurePosixPath(text)
    full = root.joinpath(*pure.parts)
    if pure.is_absolute() or text[1:2] == ":" or ".." in pure.parts or "\x00" in text or not _inside(full, root):
        report.error("scheme_outside", file, line, fld, found=ref)
        return None, None
    if not full.is_file():
        report.error("scheme_missing", file, line, fld, found=ref, ids=ids)
        return None, None
    doc = read_yaml(full, pure.as_posix(), report)
    return (parse_scheme(doc, report) if doc is not None else None), doc


def _inside(path: Path, root: Path) -> bool:
    try:
        return Path(os.path.realpath(path)).is_relative_to(os.path.realpath(root))
    except (OSError, ValueError):
        return False
