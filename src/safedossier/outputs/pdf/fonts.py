"""The PDF's fonts: find the Noto CJK SC faces, know what they can draw, and cut them to the document.

Typst reads every font file it uses into memory whole. A Noto CJK collection is 20–27 MB and the PDF
uses four or five faces, so the fonts alone cost ~100 MB of peak memory for a document that needs
perhaps 2,000 of their 65,000 glyphs. HarfBuzz's subsetter (`uharfbuzz`) cuts each face down to the
characters of the document in ~50 ms; Typst then loads ~0.5 MB per face. The subsets keep the faces'
names, metrics and layout tables, and are made from the same input in the same way every time, so the
PDF stays byte-identical.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

SERIF, SANS, MONO = "Noto Serif CJK SC", "Noto Sans CJK SC", "Noto Sans Mono CJK SC"
FAMILIES = (SERIF, SANS, MONO)

# Characters Typst may set that the document source does not spell out: smart quotes, dashes and
# ellipses (General Punctuation), CJK punctuation and full-width forms, list markers and arrows.
ALWAYS = (*range(0x20, 0x7F), *range(0xA0, 0x100), *range(0x2000, 0x2070), *range(0x2190, 0x2200),
          *range(0x25A0, 0x2600), *range(0x3000, 0x3040), *range(0xFF00, 0xFFF0))


class FontError(Exception):
    """The SC fonts are missing or unreadable; `messages` as in `PdfError`."""

    def __init__(self, messages: list[tuple[str, str]]) -> None:
        self.messages = messages
        super().__init__("\n".join(f"{f}: {t}" for f, t in messages))


@dataclass(frozen=True)
class Face:
    path: Path
    index: int  # face number inside a .ttc collection
    family: str
    bold: bool


@dataclass(frozen=True)
class FontSet:
    """The faces Typst may use, and the code points every regular and bold face can draw."""

    faces: tuple[Face, ...]
    families: tuple[str, ...]
    covered: frozenset[int]


def _candidate_files() -> list[Path]:
    """Font files that may hold the SC families: fontconfig first, matplotlib's font list after."""
    files: list[Path] = []
    if shutil.which("fc-list"):
        for fam in FAMILIES:
            try:
                out = subprocess.run(["fc-list", "-f", "%{file}\n", fam], capture_output=True, text=True,
                                     timeout=30, check=False).stdout
            except (OSError, subprocess.SubprocessError):
                continue
            files += [Path(line) for line in out.splitlines() if line.strip()]
    if not files:  # no fontconfig (Windows, macOS): matplotlib knows the system's fonts
        from matplotlib import font_manager

        for fam in FAMILIES:
            for weight in ("normal", "bold"):
                try:
                    files.append(Path(font_manager.findfont(
                        font_manager.FontProperties(family=fam, weight=weight), fallback_to_default=False)))
                except ValueError:
                    pass
    return sorted(set(files))


def _faces(path: Path) -> Iterable[tuple[int, Any]]:
    """(index, HarfBuzz face) for every face of a font file (a .ttc holds several)."""
    import uharfbuzz as hb

    try:
        blob = hb.Blob.from_file_path(str(path))
        first = hb.Face(blob, 0)
        count = first.count
    except (OSError, RuntimeError, ValueError):  # unreadable: just not a candidate
        return
    for i in range(count):
        face = first if i == 0 else hb.Face(blob, i)
        if face.glyph_count:
            yield i, face


@cache
def font_set() -> FontSet:
    """Find the Noto CJK SC faces and read their character maps (once per process, ~0.02 s)."""
    import uharfbuzz as hb

    faces: list[Face] = []
    by_weight: dict[bool, set[int]] = {}
    for path in _candidate_files():
        for index, face in _faces(path):
            fam = face.get_name(hb.OTNameIdPredefined.FONT_FAMILY) or ""
            if fam not in FAMILIES:
                continue
            style = face.get_name(hb.OTNameIdPredefined.FONT_SUBFAMILY) or ""
            bold = "bold" in style.lower()
            if any(f.family == fam and f.bold == bold for f in faces):
                continue  # the same face from a second file: the first one found is used
            faces.append(Face(path, index, fam, bold))
            if fam != MONO:  # body text and headings fall back between serif and sans only
                by_weight.setdefault(bold, set()).update(face.unicodes)
    families = {f.family for f in faces}
    if SANS not in families and SERIF not in families:
        raise FontError([("fonts", "未找到 Noto Sans/Serif CJK SC 字体（Debian/Ubuntu：apt install fonts-noto-cjk）/ "
                                   "the Noto CJK SC fonts are not installed (apt install fonts-noto-cjk)")])
    # A character must be drawable in every weight used (regular text and bold headings).
    covered = set.intersection(*by_weight.values()) if by_weight else set()
    return FontSet(tuple(faces), tuple(f for f in FAMILIES if f in families), frozenset(covered))


def subset_fonts(faces: Iterable[Face], text: str, folder: Path) -> Path:
    """Write each face cut down to the characters of `text` (plus `ALWAYS`) into `folder`.

    One font file is mapped at a time: the collections are 20–27 MB each and subsetting touches most
    of their outlines, so holding them all would cost what subsetting saves.
    """
    import uharfbuzz as hb

    folder.mkdir(parents=True, exist_ok=True)
    wanted = {ord(ch) for ch in set(text)} | set(ALWAYS)
    for n, f in enumerate(faces):
        inp = hb.SubsetInput()
        inp.unicode_set.update(wanted)
        cut = hb.subset(hb.Face(hb.Blob.from_file_path(str(f.path)), f.index), inp)
        if cut is None:
            raise FontError([(str(f.path), f"无法裁剪字体 / cannot subset the font face {f.family}")])
        name = f"{n}-{f.family.replace(' ', '')}-{'Bold' if f.bold else 'Regular'}.otf"
        (folder / name).write_bytes(cut.blob.data)
        del cut
    return folder


__all__ = ["FAMILIES", "MONO", "SANS", "SERIF", "Face", "FontError", "FontSet", "font_set", "subset_fonts"]
