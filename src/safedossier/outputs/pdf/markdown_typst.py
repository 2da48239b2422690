"""Convert the Markdown a committee office writes into Typst markup for the PDF dossier.

Narrative pages and ``summary:`` prose are written by hand, mostly in Chinese, and must never be able
to break (or inject code into) the Typst document they are pasted into.  So the pipeline is:

1. python-markdown renders the Markdown to HTML, with raw HTML switched off so that ``<script>`` and
   friends stay visible, escaped text;
2. the stdlib ``HTMLParser`` turns that HTML into a tiny tree;
3. the tree is walked into Typst markup.  All user text goes through :func:`escape_typst` and all
   values passed to Typst functions go through :func:`typst_string`, so the result compiles whatever
   the input was.

Formatting such as emphasis, code and links is emitted as function calls (``#strong[...]``,
``#raw("...")``) rather than Typst's ``*...*`` shorthand, which Typst ignores between CJK characters.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import quote

import markdown

__all__ = ["escape_typst", "markdown_to_typst", "typst_string"]

ImageResolver = Callable[[str], str | None]

# Characters with a meaning somewhere in Typst markup.  Escaping them everywhere is simpler and safer
# than tracking where they would matter (``-`` makes dashes and minus signs mid-line, ``/`` starts
# comments, ``'``/``"`` become smart quotes, ``<``/``@`` make labels and references, ...).
_MARKUP_SPECIALS = frozenset("\\#$*_`<>@[]/=-+~'\"")
# Everything Typst (and Python) treats as a line break; all are folded into "\n" up front.
_LINE_BREAKS = re.compile("\r\n|[\r\x0b\x0c\x85\u2028\u2029]")
_SOFT_BREAK = re.compile(r"[ \t]*\n[ \t\n]*")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
_ALIGN = re.compile(r"text-align:\s*(left|center|right)")
_LANG = re.compile(r"^[A-Za-z0-9_+#.-]{1,32}$")

_BLOCK_TAGS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "pre", "blockquote",
                         "table", "hr", "div"})
_VOID_TAGS = frozenset({"br", "hr", "img"})
# Typst gives up on deeply nested quotes/lists ("maximum show rule depth exceeded" at ~16 quotes), so
# containers nested deeper than this are flattened to their plain text.
_MAX_DEPTH = 8
_MISSING_IMAGE = "图片"
_ADMONITION_BOX = "#block(stroke: 0.5pt + luma(150), inset: 8pt, radius: 3pt, width: 100%)"


def _clean(text: str) -> str:
    """Normalise line breaks and drop control characters and lone surrogates.

    Control characters would otherwise reach the PDF, and python-markdown uses STX/ETX internally as
    placeholder markers, so letting them through from the source would confuse it.
    """
    text = _LINE_BREAKS.sub("\n", text)
    return "".join(
        ch for ch in text
        if ch in "\t\n" or unicodedata.category(ch) not in ("Cc", "Cs")
    )


def _is_wide(ch: str) -> bool:
    """True for CJK characters and full-width punctuation, between which a line break is no space."""
    return bool(ch) and unicodedata.east_asian_width(ch) in ("W", "F")


def _escape(text: str, before: str = "", after: str = "") -> str:
    """Escape ``text`` for markup; ``before``/``after`` are the neighbouring characters, if known.

    Line breaks inside the text are folded into one space (none between two CJK characters, where
    Chinese wants no gap) because a raw newline could end a heading or a list item early.
    """
    text = _clean(text)

    def soft_break(match: re.Match[str]) -> str:
        prev = match.string[match.start() - 1] if match.start() else before[-1:]
        nxt = match.string[match.end()] if match.end() < len(match.string) else after[:1]
        return "" if _is_wide(prev) and _is_wide(nxt) else " "

    text = _SOFT_BREAK.sub(soft_break, text).replace("\t", " ")
    out: list[str] = []
    for i, ch in enumerate(text):
        if ch in _MARKUP_SPECIALS:
            out.append("\\" + ch)
        elif i == 0 and ch in ".(":
            out.append("\\" + ch)  # right after `#strong[x]` or `#raw("x")` it would extend the call
        elif ch == "." and text[i - 1].isdigit() and not text[i + 1 : i + 2].strip():
            out.append("\\.")  # "1. " at the start of a line would become a numbered list
        else:
            out.append(ch)
    return "".join(out)


def escape_typst(text: str) -> str:
    """Return ``text`` as Typst markup that displays it literally (on one line)."""
    return _escape(text)


def typst_string(value: str) -> str:
    """Return ``value`` as a Typst string literal, e.g. for ``link()`` or ``image()`` arguments."""
    body = (
        _clean(value)
        .replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\n")
        .replace("\t", "\\t")
    )
    return f'"{body}"'


# --- HTML -> tree -------------------------------------------------------------------------------


@dataclass
class _Node:
    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[_Node | str] = field(default_factory=list)

    def text(self) -> str:
        """All text below this node, for code, fallbacks and unknown tags."""
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)


class _TreeBuilder(HTMLParser):
    """Build a ``_Node`` tree; tolerant of unclosed tags, which python-markdown should not emit."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Node("root")
        self._stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = _Node(tag, {k: v or "" for k, v in attrs})
        self._stack[-1].children.append(node)
        if tag not in _VOID_TAGS:
            self._stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._stack[-1].children.append(_Node(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self._stack) - 1, 0, -1):
            if self._stack[i].tag == tag:
                del self._stack[i:]
                return

    def handle_data(self, data: str) -> None:
        children = self._stack[-1].children
        if children and isinstance(children[-1], str):
            children[-1] += data
        else:
            children.append(data)


def _html_tree(text: str) -> _Node:
    """Render Markdown to HTML (raw HTML disabled) and parse it into a tree."""
    md = markdown.Markdown(extensions=["tables", "admonition", "sane_lists", "fenced_code"])
    # python-markdown passes raw HTML through untouched; with these two processors gone it is plain
    # text instead, which python-markdown escapes and we print literally.
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    builder = _TreeBuilder()
    builder.feed(md.convert(text))
    builder.close()
    return builder.root


# --- tree -> Typst ------------------------------------------------------------------------------


def _safe_href(href: str) -> str | None:
    """Return the link target if it is http(s), mailto or relative, else None; non-ASCII is %-encoded.

    Whitespace and control characters are ignored when reading the scheme, as browsers do, so
    ``java\\tscript:`` does not slip through; ``//host`` is refused because in a PDF it resolves
    against ``file:`` (a network share on Windows).
    """
    href = "".join(ch for ch in href if not ch.isspace() and unicodedata.category(ch)[0] != "C")
    probe = href.replace("\\", "/")
    if not href or probe.startswith("//"):
        return None
    match = _SCHEME.match(probe)
    if match and match.group(1).lower() not in _SAFE_SCHEMES:
        return None
    # PDF link targets are ASCII; percent-encode the rest (e.g. Chinese file names), keeping any
    # existing %XX escapes and URL punctuation as they are.
    return quote(href, safe="/:?#[]@!$&'()*+,;=%~")


def _is_url(src: str) -> bool:
    """True if an image source names a URL (``https:``, ``data:``, ``//host``) rather than a path.

    One-letter schemes are Windows drive letters, so they count as paths.
    """
    src = src.strip().replace("\\", "/")
    match = _SCHEME.match(src)
    return src.startswith("//") or bool(match and len(match.group(1)) > 1)


def _indent(text: str, width: int) -> str:
    """Indent every line but the first, so a multi-line body stays inside its list item."""
    pad = " " * width
    return "\n".join(line if i == 0 or not line else pad + line for i, line in enumerate(text.split("\n")))


class _Renderer:
    def __init__(self, heading_offset: int, resolve_image: ImageResolver | None) -> None:
        self.heading_offset = heading_offset
        self.resolve_image = resolve_image
        self.depth = 0

    # blocks

    def blocks(self, node: _Node) -> list[str]:
        """Render a container's children as blocks; runs of loose inline content form a paragraph."""
        rendered: list[str] = []
        run = _Node("run")

        def flush() -> None:
            if run.children and (para := self.inline(run)):
                rendered.append(para)
            run.children.clear()

        for child in node.children:
            if isinstance(child, _Node) and child.tag in _BLOCK_TAGS:
                flush()
                if block := self.block(child):
                    rendered.append(block)
            else:
                run.children.append(child)
        flush()
        return rendered

    def block(self, node: _Node) -> str:
        tag = node.tag
        if tag == "p":
            return self.inline(node)
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            level = min(6, max(1, int(tag[1]) + self.heading_offset))
            return f"{'=' * level} {self.inline(node)}".rstrip()
        if tag == "hr":
            return "#line(length: 100%)"
        if tag == "pre":
            return self.code_block(node)
        if tag not in ("ul", "ol", "blockquote", "table", "div"):
            return "\n\n".join(self.blocks(node))
        if self.depth >= _MAX_DEPTH:
            return _escape(node.text().strip())
        self.depth += 1
        try:
            if tag in ("ul", "ol"):
                return self.list_block(node)
            if tag == "blockquote":
                return "#quote(block: true)[\n" + "\n\n".join(self.blocks(node)) + "\n]"
            if tag == "table":
                return self.table(node)
            if "admonition" in node.attrs.get("class", "").split():
                return self.admonition(node)
            return "\n\n".join(self.blocks(node))
        finally:
            self.depth -= 1

    def code_block(self, node: _Node) -> str:
        code = node.text()
        code = code[:-1] if code.endswith("\n") else code
        args = [typst_string(code), "block: true"]
        for child in node.children:
            if isinstance(child, _Node) and child.tag == "code":
                for cls in child.attrs.get("class", "").split():
                    lang = cls.removeprefix("language-")
                    if cls.startswith("language-") and _LANG.match(lang):
                        args.append(f"lang: {typst_string(lang)}")
        return f"#raw({', '.join(args)})"

    def list_block(self, node: _Node) -> str:
        ordered = node.tag == "ol"
        start = node.attrs.get("start", "1")
        number = int(start) if ordered and re.fullmatch(r"\d{1,9}", start) else 1
        items = []
        for li in node.children:
            if not isinstance(li, _Node) or li.tag != "li":
                continue
            marker = f"{number}. " if ordered else "- "
            number += 1
            loose = any(isinstance(c, _Node) and c.tag == "p" for c in li.children)
            body = ("\n\n" if loose else "\n").join(self.blocks(li))
            items.append((marker + _indent(body, len(marker))).rstrip())
        return "\n".join(items)

    def table(self, node: _Node) -> str:
        header: list[_Node] = []
        rows: list[list[_Node]] = []
        stack = [(node, False)]
        while stack:  # rows in document order; <thead> rows become the repeating header
            current, in_head = stack.pop(0)
            for child in current.children:
                if not isinstance(child, _Node):
                    continue
                if child.tag == "tr":
                    cells = [c for c in child.children if isinstance(c, _Node) and c.tag in ("th", "td")]
                    if in_head and not header:
                        header = cells
                    else:
                        rows.append(cells)
                elif child.tag in ("thead", "tbody", "tfoot"):
                    stack.append((child, child.tag == "thead"))
        columns = max([len(header), *(len(r) for r in rows)], default=0) or 1

        def cells(row: list[_Node], head: bool) -> list[str]:
            out = [f"[#strong[{self.inline(c)}]]" if head else f"[{self.inline(c)}]" for c in row]
            return out + ["[]"] * (columns - len(out))

        lines = [f"  columns: {columns},"]
        aligns = [_ALIGN.search(c.attrs.get("style", "")) for c in (header or (rows[0] if rows else []))]
        if any(aligns):
            names = [m.group(1) if m else "left" for m in aligns] + ["left"] * (columns - len(aligns))
            lines.append(f"  align: ({', '.join(names)},),")
        if header:
            lines.append(f"  table.header({', '.join(cells(header, True))}),")
        lines += [f"  {', '.join(cells(row, False))}," for row in rows]
        return "#table(\n" + "\n".join(lines) + "\n)"

    def admonition(self, node: _Node) -> str:
        title = ""
        body = _Node("body")
        for child in node.children:
            if isinstance(child, _Node) and "admonition-title" in child.attrs.get("class", "").split():
                title = self.inline(child)
            else:
                body.children.append(child)
        blocks = self.blocks(body)
        first = next((c for c in body.children if isinstance(c, _Node)), None)
        if title:
            # A title followed by a paragraph sits on the line above it; before a list or table it
            # gets a paragraph of its own.
            joiner = " \\\n" if blocks and first is not None and first.tag == "p" else "\n\n"
            blocks = [f"#strong[{title}]" + (joiner + blocks[0] if blocks else "")] + blocks[1:]
        return f"{_ADMONITION_BOX}[\n" + "\n\n".join(blocks) + "\n]"

    # inline

    def inline(self, node: _Node) -> str:
        """Render a node's children as one line of inline markup."""
        out: list[str] = []
        self.inline_into(node, out)
        return "".join(out).strip(" \n")

    def inline_into(self, node: _Node, out: list[str]) -> None:
        children = node.children
        for i, child in enumerate(children):
            if isinstance(child, str):
                before = _last_char(children[i - 1]) if i else ""
                after = _first_char(children[i + 1]) if i + 1 < len(children) else ""
                out.append(_escape(child, before, after))
            elif self.depth >= _MAX_DEPTH:
                out.append(_escape(child.text()))
            else:
                self.depth += 1
                try:
                    self.inline_node(child, out)
                finally:
                    self.depth -= 1

    def inline_node(self, node: _Node, out: list[str]) -> None:
        tag = node.tag
        if tag in ("strong", "b"):
            out.append(f"#strong[{self.inline(node)}]")
        elif tag in ("em", "i"):
            out.append(f"#emph[{self.inline(node)}]")
        elif tag == "code":
            out.append(f"#raw({typst_string(node.text())})")
        elif tag == "br":
            out.append("#linebreak()")
        elif tag == "a":
            href = _safe_href(node.attrs.get("href", ""))
            if href is None:
                self.inline_into(node, out)  # unsafe or empty target: keep the words, drop the link
            else:
                out.append(f"#link({typst_string(href)})[{self.inline(node)}]")
        elif tag == "img":
            self.image(node, out)
        else:
            self.inline_into(node, out)

    def image(self, node: _Node, out: list[str]) -> None:
        src, alt = node.attrs.get("src", "").strip(), node.attrs.get("alt", "")
        path = None
        if self.resolve_image is not None and src and not _is_url(src):
            path = self.resolve_image(src)
        if not path or _is_url(path):
            out.append(_escape(f"[{alt or _MISSING_IMAGE}]"))
            return
        alt_arg = f", alt: {typst_string(alt)}" if alt else ""
        # box() keeps small images inline; large ones are still scaled down to the text width.
        out.append(f"#box(image({typst_string(path)}{alt_arg}))")


def _first_char(child: _Node | str) -> str:
    text = child if isinstance(child, str) else child.text()
    return text[:1]


def _last_char(child: _Node | str) -> str:
    text = child if isinstance(child, str) else child.text()
    return text[-1:]


def _plain_paragraphs(text: str) -> str:
    """Fallback when python-markdown itself gives up: every blank-line-separated chunk as text."""
    paras = (_escape(chunk.strip()) for chunk in re.split(r"\n[ \t]*\n", _clean(text)))
    return "\n\n".join(p for p in paras if p)


def markdown_to_typst(
    text: str,
    *,
    heading_offset: int = 0,
    resolve_image: ImageResolver | None = None,
) -> str:
    """Convert Markdown to Typst markup that compiles whatever the input.

    ``heading_offset`` pushes headings down (``#`` becomes level 1 + offset, capped at 6) so a page's
    own headings nest under the dossier's.  ``resolve_image`` maps an image's relative source to a
    path Typst's ``image()`` can open, or None to print ``[alt]`` instead; it is never asked about
    URLs, and without it no image is embedded.
    """
    try:
        tree = _html_tree(_clean(text))
    except RecursionError:  # pathologically deep nesting
        body = _plain_paragraphs(text)
    else:
        body = "\n\n".join(_Renderer(heading_offset, resolve_image).blocks(tree))
    return body + "\n" if body else ""
