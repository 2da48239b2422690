"""The WordprocessingML python-docx has no API for: East Asian fonts, bookmarks and internal links,
repeated table header rows, a PAGE field, and a zip whose bytes do not depend on the clock."""

from __future__ import annotations

import io
import zipfile
from typing import Any

from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

# the faces the PDF uses (fonts-noto-cjk): LibreOffice finds them by name, where 宋体 fell back to the
# Japanese Noto face; Word and WPS without them substitute their own Chinese face (w:lang zh-CN)
BODY_FONT, HEAD_FONT, LATIN_FONT = "Noto Serif CJK SC", "Noto Sans CJK SC", "Times New Roman"


def east_asian(rpr_parent: Any, font: str, latin: str = LATIN_FONT) -> None:
    """Set all four font slots on an element holding `w:rPr` (a run, a style, the document defaults):
    `font.name` alone fills ascii/hAnsi only and leaves Chinese text to Word's fallback."""
    rpr = rpr_parent.get_or_add_rPr() if hasattr(rpr_parent, "get_or_add_rPr") else rpr_parent
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr, value in (("w:ascii", latin), ("w:hAnsi", latin), ("w:cs", latin), ("w:eastAsia", font)):
        fonts.set(qn(attr), value)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)  # a theme font would win over the names


def set_defaults(doc: Any) -> None:
    """Document defaults, every paragraph and character style: Chinese text in 宋体/黑体, lang zh-CN."""
    styles = doc.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    rpr_default = defaults.find(qn("w:rPrDefault"))
    rpr = rpr_default.find(qn("w:rPr"))
    east_asian(rpr, BODY_FONT)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    for style in doc.styles:
        if style.type in (WD_STYLE_TYPE.PARAGRAPH, WD_STYLE_TYPE.CHARACTER, WD_STYLE_TYPE.TABLE):
            east_asian(style.element, HEAD_FONT if style.name.startswith(("Heading", "Title")) else BODY_FONT)


def bookmark(paragraph: Any, name: str, n: int) -> None:
    """Wrap a paragraph's content in a bookmark an internal hyperlink can point at."""
    start, end = OxmlElement("w:bookmarkStart"), OxmlElement("w:bookmarkEnd")
    start.set(qn("w:id"), str(n))
    start.set(qn("w:name"), name)
    end.set(qn("w:id"), str(n))
    p = paragraph._p
    p.insert(1 if p.pPr is not None else 0, start)
    p.append(end)


def internal_link(paragraph: Any, text: str, anchor: str) -> None:
    """A run of `text` that jumps to bookmark `anchor` (Ctrl+click in Word, a link in the PDF)."""
    link = OxmlElement("w:hyperlink")
    link.set(qn("w:anchor"), anchor)
    link.set(qn("w:history"), "1")
    run = OxmlElement("w:r")
    rpr = OxmlElement("w:rPr")
    style = OxmlElement("w:rStyle")
    style.set(qn("w:val"), "Hyperlink")
    rpr.append(style)
    east_asian(rpr, BODY_FONT)
    color = OxmlElement("w:color")
    color.set(qn("w:val"), "00695C")
    rpr.append(color)
    run.append(rpr)
    t = OxmlElement("w:t")
    t.text = text
    t.set(qn("xml:space"), "preserve")
    run.append(t)
    link.append(run)
    paragraph._p.append(link)


def repeat_header(row: Any) -> None:
    """Mark a table row as the header Word and LibreOffice repeat at the top of every page."""
    trpr = row._tr.get_or_add_trPr()
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    trpr.append(flag)
    no_split = OxmlElement("w:cantSplit")
    trpr.append(no_split)


def page_number(paragraph: Any) -> None:
    """A PAGE field: every reader fills in the page number itself."""
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = "1"
    run.append(t)
    field.append(run)
    paragraph._p.append(field)


def stable_zip(data: bytes) -> bytes:
    """The same members in a fixed order with a fixed date: python-docx stamps them with now."""
    src = zipfile.ZipFile(io.BytesIO(data))
    names = src.namelist()
    order = sorted(names, key=lambda n: (n != "[Content_Types].xml", n))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in order:
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            dst.writestr(info, src.read(name))
    return out.getvalue()
