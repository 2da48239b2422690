"""The privacy guard: after a build, look for personal data in everything that was written.

It searches the output for (1) the values of the private injury columns (names, ID-card numbers,
phones, addresses), (2) any checksum-valid 18-character ID-card number and (3) any 11-digit mobile
number, except the office's published phone. Names of three or more characters are flagged wherever
they appear unless they belong to a committee member (members act in office and are public); a
two-character name only when nothing public explains it (周平 inside 每周平均 is not a person).
A hit names the source file, row and field the value came from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from . import privacy
from .model import Dossier
from .schema import TABLE_BY_NAME

SCANNED_SUFFIXES = {".html", ".htm", ".json", ".xml", ".svg", ".txt", ".md", ".js", ".css", ".typ", ".csv"}
SVG_GEOMETRY = re.compile(r'\s(?:d|points|transform|viewBox|x|y|x1|x2|y1|y2|width|height|style|clip-path)="[^"]*"')
CJK_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]{2,}")


@dataclass(frozen=True)
class Leak:
    output: str  # file written, relative to the output directory
    kind: str  # name | id_number | phone | address
    value: str
    source: str  # "data/injuries.csv 第 12 行 [name]" or "" for a number found by its pattern

    def render(self, lang: str = "zh") -> str:
        what = {"name": ("姓名", "a name"), "id_number": ("身份证号码", "an ID-card number"),
                "phone": ("电话号码", "a phone number"), "address": ("住址", "an address")}[self.kind]
        masked = _mask(self.value)
        if lang == "zh":
            src = f"，来自 {self.source}" if self.source else ""
            return f"错误 {self.output}：发布内容中含有个人信息（{what[0]} {masked}{src}）"
        src = f", from {self.source}" if self.source else ""
        return f"error {self.output}: published output contains personal data ({what[1]} {masked}{src})"


def _mask(value: str) -> str:
    """Show enough to find the record, not enough to republish the value in a log."""
    if len(value) <= 2:
        return value[0] + "*"
    return value[:3] + "*" * (len(value) - 5) + value[-2:] if len(value) > 6 else value[0] + "*" * (len(value) - 1)


class Guard:
    """Built once per dossier; `scan_text` / `scan_dir` can then be called on any output."""

    def __init__(self, d: Dossier, others: tuple[Dossier, ...] = ()) -> None:
        """`others`: dossiers whose public text the output may also quote (the previous version,
        in a change report)."""
        inj = d.table("injuries")
        file = d.table_files.get("injuries", "data/injuries.csv")
        rows = inj.attrs.get("rows")
        self.values: dict[str, dict[str, str]] = {}  # kind → value → source
        for f in TABLE_BY_NAME["injuries"].fields:
            if not f.private or f.key not in inj.columns:
                continue
            col = inj[f.key].astype(str).str.strip()
            keep = (col.str.len() >= (2 if f.key == "name" else 6)).to_numpy()
            first = keep & ~col.duplicated().to_numpy()
            where = rows[first] if rows is not None else [None] * int(first.sum())
            seen = {v: (f"{file} 第 {int(r)} 行 [{f.key}]" if r is not None else f"{file} [{f.key}]")
                    for v, r in zip(col.to_numpy()[first], where, strict=True)}
            self.values[f.key] = seen
        self.names = self.values.get("name", {})
        self.max_name = max((len(n) for n in self.names), default=0)
        self.public = "\n".join(_public_text(x) for x in (d, *others))
        self.members: set[str] = set()
        for x in (d, *others):
            members = x.table("members")
            self.members |= set(members["name"].dropna().astype(str)) if "name" in members else set()
        office = str((d.community.get("office") or {}).get("phone", ""))
        self.allowed = frozenset({privacy.digits_of(office)}) if office else frozenset()

    def scan_text(self, text: str, output: str) -> list[Leak]:
        text = text.replace("\u200b", "")  # search indexes separate segmented words with it
        leaks: list[Leak] = []
        for kind, hit in privacy.find_personal_numbers(text, self.allowed):
            digits = re.sub(r"\D", "", hit) if kind == "phone" else hit
            src = self.values.get(kind, {}).get(digits, "") or self.values.get(kind, {}).get(hit, "")
            leaks.append(Leak(output, kind, hit, src))
        for value, src in self.values.get("address", {}).items():
            if value in text and value not in self.public:
                leaks.append(Leak(output, "address", value, src))
        if self.names:
            found: set[str] = set()
            for run in CJK_RUN.findall(text):
                for n in range(2, min(self.max_name, len(run)) + 1):
                    for i in range(len(run) - n + 1):
                        word = run[i:i + n]
                        if word in self.names and word not in found:
                            found.add(word)
            for word in sorted(found):
                # a committee member acting in office may be named; a two-character name may just be
                # a word (周平 in 每周平均) unless nothing public explains it
                if word in self.members or (len(word) == 2 and word in self.public):
                    continue
                leaks.append(Leak(output, "name", word, self.names[word]))
        return leaks

    def scan_dir(self, root: Path) -> list[Leak]:
        leaks: list[Leak] = []
        for p in sorted(root.rglob("*")):
            if p.is_file() and p.suffix.lower() in SCANNED_SUFFIXES:
                text = p.read_bytes().decode("utf-8", "ignore")
                if p.suffix.lower() == ".svg":  # path data is numbers, not text a reader sees
                    text = SVG_GEOMETRY.sub("", text)
                leaks += self.scan_text(text, p.relative_to(root).as_posix())
        return leaks


def _public_text(d: Dossier) -> str:
    """All text the dossier publishes on purpose (YAML, public table columns, pages), joined."""
    parts: list[str] = []

    def walk(x: object) -> None:
        if isinstance(x, dict):
            for v in x.values():
                walk(v)
        elif isinstance(x, list):
            for v in x:
                walk(v)
        elif x is not None:
            parts.append(str(x))

    walk(d.community)
    walk(d.elements)
    for name, df in d.tables.items():
        for key in d.public_columns(name):
            col = df[key]
            if not pd.api.types.is_datetime64_any_dtype(col):
                parts.append("\n".join(map(str, col.dropna().astype(str).unique())))
    parts += [p.text for p in d.pages]
    from importlib import resources

    from .i18n import catalog

    parts += list(catalog("zh").values()) + list(catalog("en").values())
    templates = resources.files("safedossier").joinpath("templates")
    with resources.as_file(templates) as tdir:
        parts += [p.read_text(encoding="utf-8") for p in sorted(Path(tdir).rglob("*.j2"))]
    return "\n".join(parts)
