"""The privacy guard: after a build, look for personal data in everything that was written.

It reads every file of the output, every byte (see `extract`: any file's bytes as text, zip
members, PDF text and metadata, image metadata, decoded escapes and URLs) and every file name, and
searches for (1) the values of the private injury columns — names, ID-card numbers and phones in any
spelling (see `privacy`), addresses whatever their spacing or width — (2) any ID-card number (18
digits with a valid check character, 15 digits with a valid birth date), (3) any mobile number,
except the office's published phone, and (4) images that carry a GPS location.

A name found in the output is a leak wherever it stands, unless it is a committee member's (members
act in office and are public) or a word of the tool's own templates. A two-character name is decided
per occurrence by the dictionary: 周平 inside 每周平均 is part of the words 每周 and 平均, not a name;
周平家门口 has 周平 standing on its own, and that is the leak — even if the same paste shows up in
the dossier's "public" text, which is where leaks come from.
A hit names the source file, row and field the value came from, and the evidence row of an evidence
file that holds it (the office must redact that file).
"""

from __future__ import annotations

import hashlib
import re
import weakref
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd

from safedossier.format.model import Dossier
from safedossier.format.schema import TABLE_BY_NAME
from safedossier.trust import extract, privacy

CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_SPACE = re.compile(r"\s+")
_CONTEXT = 24  # characters each side the dictionary looks at to decide a two-character name

_WHAT = {"name": ("姓名", "a name"), "id_number": ("身份证号码", "an ID-card number"),
         "phone": ("电话号码", "a phone number"), "address": ("住址", "an address"),
         "location": ("GPS 位置信息", "a GPS location")}


@dataclass(frozen=True)
class Leak:
    output: str  # file written, relative to the output directory
    kind: str  # name | id_number | phone | address | location
    value: str
    source: str  # "data/injuries.csv 第 12 行 [name]" or "" for a number found by its pattern
    where: str = ""  # inside the file: "p. 3", "metadata", "file name", a zip member
    evidence: str = ""  # "data/evidence.csv 第 5 行" when the file is published evidence

    def render(self, lang: str = "zh") -> str:
        what = _WHAT[self.kind]
        masked = f" {mask(self.value)}" if self.value else ""
        zh = lang == "zh"
        where = _where(self.where, zh)
        if zh:
            src = f"，来自 {self.source}" if self.source else ""
            ev = f"；佐证材料 {self.evidence}，请遮盖后再发布" if self.evidence else ""
            return f"错误 {self.output}{where}：发布内容中含有个人信息（{what[0]}{masked}{src}）{ev}"
        src = f", from {self.source}" if self.source else ""
        ev = f"; evidence {self.evidence}: redact it before publishing" if self.evidence else ""
        return f"error {self.output}{where}: published output contains personal data ({what[1]}{masked}{src}){ev}"


def _where(where: str, zh: bool) -> str:
    if not where:
        return ""
    parts = []
    for p in where.split("!"):
        if p.startswith("p. "):
            parts.append(f" 第 {p[3:]} 页" if zh else f" page {p[3:]}")
        elif p in ("metadata", "file name", extract.GPS):
            parts.append({"metadata": (" 元数据", " metadata"), "file name": (" 文件名", " file name"),
                          extract.GPS: (" 图片元数据", " image metadata")}[p][0 if zh else 1])
        else:
            parts.append(f" 中的 {p}" if zh else f" member {p}")
    return "".join(parts)


def mask(value: str) -> str:
    """Show enough to find the record, not enough to republish the value in a log."""
    if len(value) <= 2:
        return value[0] + "*"
    return value[:3] + "*" * (len(value) - 5) + value[-2:] if len(value) > 6 else value[0] + "*" * (len(value) - 1)


def _words(text: str) -> str:
    """Text as compared with names and addresses: normalised, no whitespace at all."""
    return _SPACE.sub("", privacy.normalise(text))


def words_of(values: list[str]) -> list[str]:
    """`[_words(v) for v in values]` in three passes over the joined values, not three calls per value
    (an archive's newest version has 500,000 names). NUL joins them: normalisation neither makes nor
    removes one, nor composes across it, and it is no whitespace."""
    joined = "\0".join(values)
    out = _words(joined).split("\0") if joined.count("\0") == len(values) - 1 else []
    return out if len(out) == len(values) else [_words(v) for v in values]


class Guard:
    """Built once per dossier; `scan_text` / `scan_bytes` / `scan_dir` can then be called on any output."""

    def __init__(self, d: Dossier, others: tuple[Dossier, ...] = ()) -> None:
        """`others`: dossiers the output may also quote (the previous version, in a change report)."""
        idx = _private_index(d)
        self.names, self.addresses, self.numbers = idx.names, idx.addresses, idx.numbers
        self.prefixes, self.first, self.long_run = idx.prefixes, idx.first, idx.long_run
        self.number_sources = idx.number_sources
        self.members: set[str] = set()
        for x in (d, *others):
            members = x.table("members")
            if "name" in members:
                self.members |= {_words(m) for m in members["name"].dropna().astype(str)}
        self.member_lengths = sorted({len(m) for m in self.members})
        office = str((d.community.get("office") or {}).get("phone", ""))
        self.allowed = frozenset({privacy.digits_of(office)}) if office else frozenset()
        self.evidence = _evidence_rows(d)
        self.not_names = not_names(d)

    def _number_source(self, kind: str, src: object) -> str:
        """A number's source: "" for one found by its pattern, else the row it came from."""
        if src == "" or kind not in self.number_sources:
            return str(src)
        sources = self.number_sources[kind]
        return f"{sources.file} 第 {int(src)} 行 [{kind}]" if src is not None else f"{sources.file} [{kind}]"

    @property
    def has_values(self) -> bool:
        """True when the injury table holds any private value to look for."""
        return bool(self.prefixes or self.numbers.by_digits)

    # --- text --------------------------------------------------------------------------------

    def scan_text(self, text: str, output: str, where: str = "", numbers: bool = True) -> list[Leak]:
        """Leaks in one text; `numbers=False` searches it for names and addresses only."""
        leaks: list[Leak] = []
        ev = self.evidence.get(output, "")
        norm = privacy.normalise(text)
        runs = privacy.digit_runs(norm) if self.long_run.search(norm) else ()  # most texts: no such run
        for run in runs:
            # markup with its tags removed (`numbers` False) joins table cells into runs nobody wrote:
            # there only the injury table's own long numbers count (a phone split by `<code>` tags)
            found = {d: (k, s) for k, d, s in self.numbers.find(run) if numbers or len(d) >= 11}
            kind = privacy.pattern_kind(run) if numbers else None
            if kind is not None and privacy.digits_of(run.digits) not in self.allowed:
                found.setdefault(run.digits, (kind, ""))
            for digits, (k, src) in found.items():
                if privacy.digits_of(digits) not in self.allowed:
                    leaks.append(Leak(output, k, digits, self._number_source(k, src), where, ev))
        if self.prefixes:
            words = _words(text)
            for phrase in self.not_names:  # declared by the office: 早晚高峰 holds no person 高峰
                if phrase in words:
                    words = words.replace(phrase, "\0" * len(phrase))
            for value in self._find_words(words):
                if value in self.names:
                    leaks.append(Leak(output, "name", value, self.names[value], where, ev))
                if value in self.addresses:
                    leaks.append(Leak(output, "address", value, self.addresses[value], where, ev))
        return leaks

    def _find_words(self, text: str) -> set[str]:
        """Names and addresses of the injury table that occur in `text` (already `_words`)."""
        found: set[str] = set()
        prefixes = self.prefixes
        for m in self.first.finditer(text):  # C-speed: only where a name or an address could begin
            i = m.start()
            lengths = prefixes.get(text[i:i + 2])
            if lengths is None:
                continue
            for n in lengths:
                value = text[i:i + n]
                if len(value) == n and value not in found and self._is_leak(text, i, value):
                    found.add(value)
        return found

    def _is_leak(self, text: str, i: int, value: str) -> bool:
        if value in self.addresses:
            return True  # an injured person's address is never published, whoever else writes it
        if value not in self.names or value in _tool_words() or self._member_at(text, i, len(value)):
            return False
        return len(value) > 2 or _stands_alone(text, i)

    def _member_at(self, text: str, i: int, n: int) -> bool:
        """True when the name at `i` is (part of) a committee member's name written there: 冯超 in 冯超天."""
        for m in self.member_lengths:
            if m >= n and any(text[s:s + m] in self.members for s in range(max(0, i + n - m), i + 1)):
                return True
        return False

    # --- files -------------------------------------------------------------------------------

    def scan_bytes(self, data: bytes, output: str) -> list[Leak]:
        """Leaks in one file written as `output` (its name included), by every text it carries."""
        leaks = self.scan_text(extract.decoded(output), output, "file name")
        for where, text, numbers in extract.texts(data):
            if where.endswith(extract.GPS):
                leaks.append(Leak(output, "location", "", "", where, self.evidence.get(output, "")))
            elif text:
                leaks += self.scan_text(text, output, where, numbers)
        return _unique(leaks)

    def scan_dir(self, root: Path, label: str = "") -> list[Leak]:
        """Every file below `root`, every byte; `label` prefixes the names in messages ("PDF")."""
        leaks: list[Leak] = []
        for p in sorted(root.rglob("*")):
            rel = p.relative_to(root).as_posix()
            leaks += self.scan_output(rel, None if p.is_symlink() or not p.is_file() else p.read_bytes(), label)
        return leaks

    def scan_output(self, rel: str, data: bytes | None, label: str = "") -> list[Leak]:
        """One entry of an output: its name, and its bytes unless `data` is None (a folder, a link)."""
        name = f"{label}: {rel}" if label else rel
        if data is None or hashlib.sha256(data).digest() in package_files():
            # the theme's own bytes (Material's scripts are half of a site): nothing of the dossier
            # is in them; the name is still the build's to check
            return _unique(self.scan_text(extract.decoded(rel), name, "file name"))
        found = self.scan_bytes(data, rel)
        return [Leak(name, lk.kind, lk.value, lk.source, lk.where, lk.evidence) for lk in found]

    def fingerprint(self) -> str:
        """What decides whether a text is a leak (values looked for, members, office phone, declared phrases):
        an output checked under the same fingerprint needs no second look (`serve` relies on it)."""
        parts = (sorted(self.names), sorted(self.addresses), sorted(self.numbers.by_digits),
                 sorted(self.members), sorted(self.allowed), self.not_names)
        return hashlib.sha256(repr(parts).encode()).hexdigest()


class _Index:
    """The private values of one injury table as the guard searches for them (built once per table:
    `check` and the build's scan of the site share it)."""

    def __init__(self, d: Dossier) -> None:
        inj = d.table("injuries")
        file = d.table_files.get("injuries", "data/injuries.csv")
        rows = inj.attrs.get("rows")
        values: dict[str, dict[str, str]] = {}  # kind → value → source of its first row
        for f in TABLE_BY_NAME["injuries"].fields:
            if not f.private or f.key not in inj.columns:
                continue
            col = inj[f.key].fillna("").astype(str).str.strip()
            col = pd.Series(words_of(col.tolist()), index=col.index) if f.key in ("name", "address") else col
            keep = (col.str.len() >= (2 if f.key == "name" else 6)).to_numpy()
            first = keep & ~col.duplicated().to_numpy()
            where = rows[first].tolist() if rows is not None else [None] * int(first.sum())
            values[f.key] = _Sources(zip(col.to_numpy()[first].tolist(), where, strict=True), file, f.key)
        self.names = values.get("name", {})
        self.addresses = values.get("address", {})
        # sources stay row numbers here (`_Sources.raw`): formatted only for a leak found
        self.numbers = privacy.NumberIndex.of_columns(
            (k, list(values[k]), [r for _, r in values[k].raw()]) for k in ("id_number", "phone") if k in values)
        self.number_sources = {k: v for k, v in values.items() if k in ("id_number", "phone")}
        # the first two characters of every name / address → the lengths to try from there
        self.prefixes: dict[str, set[int]] = {}
        for value in (*self.names, *self.addresses):
            self.prefixes.setdefault(value[:2], set()).add(len(value))
        firsts = sorted({p[0] for p in self.prefixes})
        self.first = re.compile("[" + "".join(re.escape(c) for c in firsts) + "]" if firsts else "(?!)")
        # A text can hold a leaked number only where some digit run is at least this long: every
        # digit of a run is within 3 characters of the next (`privacy._RUN`), so this C-speed search
        # finds every text worth splitting into runs (and some that are not).
        k = min([11, *self.numbers.lengths])
        self.long_run = re.compile(rf"[0-9Xx](?:[^0-9]{{0,3}}[0-9Xx]){{{k - 1}}}")


class _Sources(dict):  # type: ignore[type-arg]
    """value → "data/injuries.csv 第 12 行 [name]", formatted when asked (200,000 f-strings per
    check otherwise, for the few a leak report names)."""

    def __init__(self, items: Iterable[tuple[str, int | None]], file: str, key: str) -> None:
        super().__init__(items)
        self.file, self.key = file, key

    def __getitem__(self, value: str) -> str:
        row = super().__getitem__(value)
        return f"{self.file} 第 {int(row)} 行 [{self.key}]" if row is not None else f"{self.file} [{self.key}]"

    def items(self) -> Iterator[tuple[str, str]]:  # type: ignore[override]
        return ((v, self[v]) for v in self)

    def raw(self) -> Iterator[tuple[str, int | None]]:
        return iter(dict.items(self))

    def source(self, value: str) -> str:
        return self[value]


_INDEXES: dict[int, tuple[weakref.ref[pd.DataFrame] | None, _Index]] = {}


def _private_index(d: Dossier) -> _Index:
    """The index of `d`'s injury table, reused while that very table object is alive."""
    inj = d.tables.get("injuries")
    if inj is None:
        return _Index(d)
    hit = _INDEXES.get(id(inj))
    if hit is not None and hit[0] is not None and hit[0]() is inj:
        return hit[1]
    idx = _Index(d)
    key = id(inj)
    # dropped the moment its table is freed: an archive's previous version (500,000 names and
    # numbers) must not stay in memory through the next version's check
    def forget(ref: weakref.ref[pd.DataFrame]) -> None:
        if _INDEXES.get(key, (None, None))[0] is ref:
            del _INDEXES[key]

    _INDEXES[key] = (weakref.ref(inj, forget), idx)
    return idx


@cache
def package_files() -> frozenset[bytes]:
    """SHA-256 of every file MkDocs copies verbatim from the installed themes (Material's and ours)."""
    from importlib import resources

    digests: set[bytes] = set()
    for package, folder in (("material", "templates/assets"), ("safedossier", "theme")):  # not the 13k icons
        with resources.as_file(resources.files(package).joinpath(folder)) as root:
            for f in Path(root).rglob("*"):
                if f.is_file() and f.suffix not in (".html", ".py", ".pyc"):  # templates are rendered, not copied
                    digests.add(hashlib.sha256(f.read_bytes()).digest())
    return frozenset(digests)


def _unique(leaks: Iterable[Leak]) -> list[Leak]:
    seen: dict[tuple[str, str, str], Leak] = {}
    for lk in leaks:
        seen.setdefault((lk.kind, lk.value, lk.where.split("!")[0] if lk.where != "file name" else lk.where), lk)
    return list(seen.values())


def _stands_alone(text: str, i: int) -> bool:
    """True when the dictionary does not join the two characters at `i` with their neighbours."""
    a = i
    while a > max(0, i - _CONTEXT) and CJK.match(text[a - 1]):
        a -= 1
    b = i + 2
    while b < min(len(text), i + 2 + _CONTEXT) and CJK.match(text[b]):
        b += 1
    return _stands_alone_in(text[a:b], i - a)


@cache
def _stands_alone_in(run: str, i: int) -> bool:
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    starts = {start for _, start, _ in jieba.tokenize(run, HMM=False)} | {len(run)}
    return i in starts and i + 2 in starts


@cache
def _tool_words() -> str:
    """The tool's own words (message catalogs, templates): a name that is one of them is not news."""
    from importlib import resources

    from safedossier.i18n import catalog

    parts = [str(v) for v in catalog("zh").values()] + [str(v) for v in catalog("en").values()]
    templates = resources.files("safedossier").joinpath("templates")
    with resources.as_file(templates) as tdir:
        parts += [p.read_text(encoding="utf-8") for p in sorted(Path(tdir).rglob("*.j2"))]
    return _words("\n".join(parts))


def declared_phrases(community: Any) -> list[tuple[int, str, str]]:
    """community.yml `privacy.not_names` as (index, phrase as written, phrase as compared): phrases the
    office declares hold no name although an injured person's two-character name is inside them
    (早晚高峰 when someone is called 高峰). The one reading of that key, for the guard and `check`."""
    privacy_ = community.get("privacy") if isinstance(community, dict) else None
    listed = privacy_.get("not_names") if isinstance(privacy_, dict) else None
    return [(i, p, _words(p)) for i, p in enumerate(listed if isinstance(listed, list) else [])
            if isinstance(p, str)]


def not_names(d: Dossier) -> tuple[str, ...]:
    """The declared phrases the guard masks, longest first. A phrase must be longer than the name it
    holds (`check` refuses one that is itself a name), so a 高峰 standing on its own is still found."""
    phrases = {w for _, _, w in declared_phrases(d.community)}
    return tuple(sorted((p for p in phrases if len(p) >= 3), key=len, reverse=True))


def _evidence_rows(d: Dossier) -> dict[str, str]:
    """Published path of each evidence file → its row in the evidence table."""
    ev = d.tables.get("evidence")
    if ev is None or "file" not in ev.columns:
        return {}
    file, rows = d.table_files.get("evidence", "data/evidence.csv"), ev.attrs.get("rows")
    out: dict[str, str] = {}
    for i, value in enumerate(ev["file"].fillna("").astype(str)):
        rel = "evidence/" + value.replace("\\", "/").lstrip("/")
        where = f"{file} 第 {int(rows[i])} 行" if rows is not None else file
        out[rel] = where
        if rel.lower().endswith(".svg"):
            out[rel + ".txt"] = where
    return out
