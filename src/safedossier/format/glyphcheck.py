"""`dossier check` finds the characters the PDF's fonts cannot draw, where they are typed.

The submission PDF embeds only the Noto CJK SC faces; an emoji in a hazard description would stop
`dossier pdf` long after the office typed it. Checking here names the file, row or line and column.
Most dossiers hold only characters the fonts surely have (ASCII, CJK punctuation, the 20,902 basic
ideographs, full-width forms), so the fonts are opened only when some other character appears.
"""

from __future__ import annotations

import re
import unicodedata

import pandas as pd

from safedossier.format.diagnostics import Report
from safedossier.format.load import Sources, strings_of
from safedossier.format.schema import TABLES

# Characters Noto Sans/Serif CJK SC draw in every weight, so the fonts need not be opened for them:
# ASCII, Latin-1, the punctuation offices type (‰ ′ ″ ※ “ ” …), ℃ №, Roman and circled numerals,
# arrows, CJK punctuation, the 20,902 basic ideographs, full-width forms. `test_contract` holds
# every one of them against the installed fonts (U+201B ‛, once in a range here, is not there).
_SURE = re.compile("[\x20-\x7e\n\r\t\u00a0-\u00ff\u2010-\u2016\u2018-\u201a\u201c-\u201e\u2020-\u2022"
                   "\u2025-\u2027\u2030\u2032\u2033\u203b\u2103\u2116\u2160-\u216b\u2190-\u2193\u2460-\u249b"
                   "\u3000-\u303f\u4e00-\u9fa5\uff01-\uff5e]+")


def ignorable(ch: str) -> bool:
    """Characters that need no glyph: controls, format characters, line separators, selectors."""
    cp = ord(ch)
    return (unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Zl", "Zp") or 0xFE00 <= cp <= 0xFE0F
            or 0xE0100 <= cp <= 0xE01EF)


def check_glyphs(src: Sources, tables: dict[str, pd.DataFrame], report: Report) -> None:
    """A warning for every place a character the PDF fonts lack is written (published text only)."""
    yaml_texts = [(doc, path, text) for doc in src.yaml.values() for path, text in strings_of(doc.data)]
    columns = [(t, f.key, tables[t.name][f.key]) for t in TABLES if t.name in tables
               for f in t.fields if not f.private and f.key in tables[t.name].columns
               and pd.api.types.is_string_dtype(tables[t.name][f.key])]
    chars: set[str] = set()
    for _, _, text in yaml_texts:
        chars.update(_SURE.sub("", text))
    for page in src.pages:
        chars.update(_SURE.sub("", page.text))
    for _, _, col in columns:
        chars.update(_SURE.sub("", "".join(col.dropna().unique())))
    chars = {c for c in chars if not ignorable(c)}
    if not chars:
        return
    from safedossier.outputs.pdf.fonts import FontError, font_set

    try:
        covered = font_set().covered
    except FontError:
        return  # no fonts here: `dossier pdf` says so itself
    missing = {c for c in chars if ord(c) not in covered}
    for doc, path, text in yaml_texts:
        for ch in sorted(missing & set(text)):
            report.warn("no_glyph", doc.file, doc.line(path), ".".join(map(str, path)), found=_around(text, ch),
                        char=f"U+{ord(ch):04X}", at=_column(text, ch))
    for page in src.pages:
        for n, line in enumerate(page.text.splitlines(), start=1):
            for ch in sorted(missing & set(line)):
                report.warn("no_glyph", page.file, n, "", found=_around(line, ch), char=f"U+{ord(ch):04X}",
                            at=_column(line, ch))
    for t, key, col in columns:
        df = tables[t.name]
        text = col.fillna("")
        for ch in sorted(missing):
            hits = text.str.contains(ch, regex=False).to_numpy()
            for i in hits.nonzero()[0]:
                report.warn("no_glyph", df.attrs["file"], int(df.attrs["rows"][i]), key,
                            found=_around(text.iloc[i], ch), char=f"U+{ord(ch):04X}", at=_column(text.iloc[i], ch))


def _column(text: str, ch: str) -> int:
    """1-based position of `ch` in its line, as an editor counts characters."""
    line = next((ln for ln in text.splitlines() if ch in ln), text)
    return line.index(ch) + 1


def _around(text: str, ch: str) -> str:
    line = next((ln for ln in text.splitlines() if ch in ln), text)
    i = line.index(ch)
    return line[max(0, i - 15): i + 15]

