"""Characters of the Typst source that the PDF fonts cannot draw, named by the dossier file holding them.

Typst would print an empty box for such a character; `prepare` stops instead, with the file and the
text around it (`dossier check` warns of the same characters earlier, where they are typed).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from safedossier.format.glyphcheck import ignorable
from safedossier.format.model import Dossier
from safedossier.format.schema import ELEMENTS
from safedossier.outputs.pdf.fonts import FontSet

if TYPE_CHECKING:
    from safedossier.outputs.pdf.document import PdfOptions

def _strings(data: Any) -> Iterator[str]:
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for k, v in data.items():
            yield from _strings(k)
            yield from _strings(v)
    elif isinstance(data, (list, tuple)):
        for v in data:
            yield from _strings(v)


def _sources(d: Dossier, opts: PdfOptions) -> Iterator[tuple[str, str]]:
    """(file, text) for every piece of dossier text that can reach the PDF."""
    for s in _strings(d.community):
        yield "dossier/community.yml", s
    for el in ELEMENTS:
        for s in _strings(d.elements.get(el.slug) or {}):
            yield f"dossier/{el.filename}", s
    for name, df in sorted(d.tables.items()):
        cols = d.public_columns(name)
        file = d.table_files.get(name, f"data/{name}")
        for c in cols:
            for v in df[c].tolist():
                yield from ((file, s) for s in _strings(v))
    for p in d.pages:
        yield p.file, p.text
    if opts.version or opts.commit:
        yield "--version", f"{opts.version} {opts.commit}"
    if opts.changes_md:
        yield "changes", opts.changes_md


def _snippet(text: str, ch: str) -> str:
    """The line of `text` holding `ch`, shortened around it."""
    line = next(ln for ln in text.splitlines() or [text] if ch in ln) if "\n" in text else text
    i = line.index(ch)
    start, end = max(0, i - 30), min(len(line), i + 30)
    return ("…" if start else "") + line[start:end].strip() + ("…" if end < len(line) else "")


def missing_glyphs(d: Dossier, opts: PdfOptions, source: str, fs: FontSet) -> list[tuple[str, str]]:
    """(file, message) for every character of the Typst source the fonts cannot draw."""
    bad = {ch for ch in set(source) if ord(ch) not in fs.covered and not ignorable(ch)}
    if not bad:
        return []
    out: list[tuple[str, str]] = []
    seen: set[tuple[str, str]] = set()
    found: set[str] = set()
    for file, text in _sources(d, opts):
        for ch in sorted(bad & set(text)):
            snip = _snippet(text, ch)
            if (file, snip) in seen:
                continue
            seen.add((file, snip))
            found.add(ch)
            out.append((file, f"字体中没有字符 U+{ord(ch):04X}：“{snip}” / "
                              f"no glyph for U+{ord(ch):04X} in the PDF fonts: “{snip}”"))
    for ch in sorted(bad - found):  # from our own strings, or produced while converting Markdown
        out.append(("main.typ", f"字体中没有字符 U+{ord(ch):04X}：“{_snippet(source, ch)}” / "
                                f"no glyph for U+{ord(ch):04X} in the PDF fonts"))
    return out
