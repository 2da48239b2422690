"""Dossier text as inert Markdown: what every value from a dossier passes through on its way into a
page. Nothing an office types may become HTML, a script link, an attribute, page metadata or a
request to another site; see SECURITY.md, promise 2.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

import pandas as pd
from markupsafe import Markup

from safedossier.analyse.views import fmt_num
from safedossier.i18n import catalog

# --- values --------------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|~])")
# C0 controls but tab and newline: browsers drop some of them inside URLs, and \x02/\x03 delimit
# Python-Markdown's own placeholders.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
# A scheme that runs script or carries a document, letters possibly split by whitespace (browsers
# remove tabs and newlines inside URLs). Matched anywhere in prose, not only where a link is parsed.
_BAD_SCHEME = re.compile("(" + "|".join(r"\s*".join(w) for w in ("javascript", "vbscript", "livescript", "data"))
                         + r")(\s*):", re.I)


def esc(value: Any) -> Markup:
    """Any dossier value as inert inline Markdown text (no HTML, no Markdown syntax, no line breaks)."""
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NaT:
        return Markup("—")
    if isinstance(value, pd.Timestamp):
        return Markup(value.date().isoformat())
    if isinstance(value, bool):
        return Markup("是" if value else "否")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (list, tuple)):
        return Markup("、".join(str(esc(v)) for v in value)) if value else Markup("—")
    text = html.escape(_CONTROL.sub("", str(value)), quote=True)
    text = _MD_SPECIAL.sub(r"\\\1", text)
    return Markup(re.sub(r"\s*\n\s*", " ", text).strip() or "—")


def prose(text: Any) -> Markup:
    """Markdown written by the office (summaries, narrative pages) that can carry no HTML or script.

    Raw HTML (and so autolinks) shows as text; every `{` becomes an entity, so
    attr_list can add no attribute (`{: onclick=…}`, `{: href=…}`, `{: style=…}` overlays); every
    javascript:/vbscript:/data: scheme anywhere gets a zero-width space before its colon, so no
    link, image or reference definition can use it however the Markdown around it is parsed.
    """
    if not text:
        return Markup("")
    out = html.escape(_CONTROL.sub("", str(text)), quote=False)  # `<script>` shows as text
    out = _BAD_SCHEME.sub(lambda m: m.group(1) + m.group(2) + "\u200b:", out)
    out = _no_remote_images(out)
    # Every `{`, code spans included: where a code span ends is Markdown's call (a blank line or an
    # escaped backtick ends it early), and a span we guessed wrong would let attr_list read the rest.
    # Inside real code spans the brace then shows as `&#123;`, a cosmetic price.
    return Markup(out.replace("{", "&#123;"))


_ADDRESS = r"\s*<?\s*(?:[A-Za-z][A-Za-z0-9+.\-]*:|//|\\\\)"  # a scheme, `//host`, `\\host`
_REF_DEF = re.compile(r"(?m)^ {0,3}\[((?:[^\]\\]|\\.)+)\]:(" + _ADDRESS + r")")
_INLINE_IMAGE = re.compile(r"!(\[(?:[^\]\\]|\\.)*\]\((?=" + _ADDRESS + r"))")
_REF_IMAGE = re.compile(r"!(\[((?:[^\]\\]|\\.)*)\](?:\s?\[((?:[^\]\\]|\\.)*)\])?)")


def _no_remote_images(text: str) -> str:
    """Images from other sites become plain links: a reader's browser would fetch them (a tracking
    pixel that tells every reviewer's address to someone else). Images inside the site stay."""
    text = _INLINE_IMAGE.sub(r"\1", text)
    remote = {m.group(1).strip().lower() for m in _REF_DEF.finditer(text) if not m.group(2).strip().lower()
              .startswith("data:")}
    if not remote:
        return text

    def one(m: re.Match[str]) -> str:
        ref = (m.group(3) or m.group(2) or "").strip().lower()
        return m.group(1) if ref in remote else m.group(0)
    return _REF_IMAGE.sub(one, text)


def nav_title(text: Any) -> str:
    """A title for mkdocs.yml's nav: Material prints nav titles unescaped (and `striptags` in
    <title> decodes entities), so markup characters become their full-width forms."""
    plain = " ".join(_CONTROL.sub("", str(text)).split())
    return plain.translate(str.maketrans({"<": "＜", ">": "＞", "&": "＆", '"': "＂"})) or "—"


def table(headers: list[str], rows: list[list[Any]], align: str = "") -> Markup:
    """A Markdown pipe table; cells are escaped unless they are Markup (links, badges)."""
    if not rows:
        return Markup("")
    def cell(v: Any) -> str:
        return str(v) if isinstance(v, Markup) else str(esc(v))
    head = "| " + " | ".join(cell(h) for h in headers) + " |"
    sep = "|" + "|".join(("---:" if a == "r" else "---") for a in (align or "l" * len(headers)).ljust(
        len(headers), "l")) + "|"
    body = ["| " + " | ".join(cell(v) for v in r) + " |" for r in rows]
    return Markup("\n".join([head, sep, *body]))


def frame_table(df: pd.DataFrame, first: str, lang: str) -> Markup:
    """A DataFrame (categories × years) as a Markdown table with a leading category column."""
    if df is None or df.empty:
        return Markup("")
    t = catalog(lang)
    headers = [first] + [t["total"] if str(c) == "合计" else str(c) for c in df.columns]
    rows = [[idx] + [fmt_num(v) if not isinstance(v, str) else v for v in row]
            for idx, row in zip(df.index, df.to_numpy().tolist(), strict=True)]
    return table(headers, rows, "l" + "r" * len(df.columns))


GENERATED = ("assets/custom/", "assets/thumbs/", "assets/charts/", "assets/dossier.css",
             "evidence/", "search/")  # paths the build writes itself: no override may sit there


def unused_path(path: Path) -> Path:
    """`path`, or `name.2.ext`, `name.3.ext` … when another evidence file already published there."""
    n = 2
    candidate = path
    while candidate.exists():
        candidate = path.with_name(f"{path.stem}.{n}{path.suffix}")
        n += 1
    return candidate


def write_page(path: Path, text: str) -> None:
    """A Markdown page that starts with a blank line: MkDocs reads metadata (`---` YAML, or bare
    `key: value` lines) only at the very top, and Material prints it unescaped — a narrative page
    beginning `template: redirect.html` / `location: x",alert(1),"` ran script. None of our pages
    sets metadata, so none may."""
    path.write_text(text if text.startswith("\n") else "\n" + text, encoding="utf-8")
