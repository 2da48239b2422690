"""Markdown → Typst: the markup has the expected shape, it compiles, and the PDF shows the words.

Every feature test compiles its output with the real Typst compiler and reads the text back out of
the PDF with pypdf, because markup that merely looks right can still fail to compile or swallow
text (e.g. ``#raw("x").y`` or an unescaped ``<label>``).
"""

from __future__ import annotations

import io
import json
import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest
import typst
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from safedossier.outputs.pdf.markdown_typst import escape_typst, markdown_to_typst, typst_string


def _has_cjk_font() -> bool:
    if shutil.which("fc-list") is None:
        return False
    listing = subprocess.run(["fc-list"], capture_output=True, text=True, check=False).stdout
    return "noto sans cjk" in listing.lower()


HAS_CJK_FONT = _has_cjk_font()
PREAMBLE = '#set text(lang: "zh", region: "cn")\n' + (
    '#set text(font: ("Noto Sans CJK SC",))\n' if HAS_CJK_FONT else ""
)


def compile_pdf(markup: str, directory: Path) -> bytes:
    """Write ``markup`` to a .typ file in ``directory`` and compile it to PDF bytes."""
    source = directory / "doc.typ"
    source.write_text(PREAMBLE + markup, encoding="utf-8")
    return typst.compile(str(source))


def pdf_text(pdf: bytes) -> str:
    """All text of the PDF with whitespace removed (line wrapping differs from the source)."""
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return re.sub(r"\s+", "", text)


def render(source: str, directory: Path, **kwargs: object) -> tuple[str, str]:
    """Convert, compile and extract: (Typst markup, visible text of the PDF)."""
    markup = markdown_to_typst(source, **kwargs)  # type: ignore[arg-type]
    return markup, pdf_text(compile_pdf(markup, directory))


def assert_shows(visible: str, *expected: str) -> None:
    """Each expected string appears in the PDF text (whitespace-insensitive)."""
    if not HAS_CJK_FONT and any(not s.isascii() for s in expected):
        pytest.skip("no CJK font installed: Chinese text cannot be extracted from the PDF")
    for s in expected:
        assert re.sub(r"\s+", "", s) in visible, f"{s!r} not in PDF text {visible!r}"


def tiny_png(path: Path) -> None:
    """Write a 2×2 red PNG without needing an imaging library."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\xff\x00\x00" * 2 for _ in range(2))
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


# --- escaping ----------------------------------------------------------------------------------


def test_escape_typst_escapes_every_markup_character() -> None:
    assert escape_typst('#let x = $1$ *a* _b_ `c` <l> @r [d] \\ / ~ + - \' "') == (
        '\\#let x \\= \\$1\\$ \\*a\\* \\_b\\_ \\`c\\` \\<l\\> \\@r \\[d\\] \\\\ \\/ \\~ \\+ \\- \\\' \\"'
    )
    assert escape_typst("普通的中文，没有特殊字符。") == "普通的中文，没有特殊字符。"


def test_escape_typst_defuses_line_start_markers_and_folds_newlines() -> None:
    assert escape_typst("1. 第一") == "1\\. 第一"
    assert escape_typst("= 标题") == "\\= 标题"
    assert escape_typst("3.14 元") == "3.14 元"  # only "digits + dot + space" is an enum marker
    # A newline could end a heading or list item early: it becomes a space, or nothing in CJK text.
    assert escape_typst("第一行\n第二行") == "第一行第二行"
    assert escape_typst("first\r\nsecond\u2028- third") == "first second \\- third"


def test_escape_typst_drops_control_characters_and_lone_surrogates() -> None:
    assert escape_typst("a\x00b\x02c\x1bd\ud800e") == "abcde"


def test_typst_string_round_trips_through_typst(tmp_path: Path) -> None:
    value = 'C:\\路径\\"引号" \\u{41} #x $y$ \n第二行\t制表'
    (tmp_path / "q.typ").write_text(f"#metadata({typst_string(value)}) <m>\n", encoding="utf-8")
    result = typst.query(str(tmp_path / "q.typ"), "<m>", field="value", one=True)
    assert json.loads(result) == value


# --- features ----------------------------------------------------------------------------------


def test_headings_are_shifted_and_capped(tmp_path: Path) -> None:
    markup, visible = render("# 一级标题\n\n## 二级标题\n\n###### 六级标题", tmp_path, heading_offset=1)
    assert markup == "== 一级标题\n\n=== 二级标题\n\n====== 六级标题\n"
    assert_shows(visible, "一级标题", "二级标题", "六级标题")
    assert markdown_to_typst("# 标题").startswith("= 标题")


def test_paragraphs_and_line_breaks(tmp_path: Path) -> None:
    source = "第一段第一行\n第一段第二行。\n\n第二段，硬换行  \n下一行。"
    markup, visible = render(source, tmp_path)
    assert markup == "第一段第一行第一段第二行。\n\n第二段，硬换行#linebreak() 下一行。\n"
    assert_shows(visible, "第一段第一行第一段第二行。", "第二段，硬换行", "下一行。")


def test_strong_emphasis_and_inline_code(tmp_path: Path) -> None:
    source = "这是**重点**和*强调*，代码 `a<b` 与 ``x`y``。**粗**.后缀 `f`(参数)"
    markup, visible = render(source, tmp_path)
    assert "#strong[重点]" in markup
    assert "#emph[强调]" in markup
    assert '#raw("a<b")' in markup
    assert '#raw("x`y")' in markup
    # "." or "(" right after a call would continue the Typst expression, so they are escaped.
    assert "#strong[粗]\\.后缀" in markup
    assert '#raw("f")\\(参数)' in markup
    assert_shows(visible, "这是重点和强调，代码a<b与x`y。粗.后缀f(参数)")


def test_fenced_and_indented_code_blocks(tmp_path: Path) -> None:
    source = '```python\nprint("```")  # 注释\nx = "\\\\"\n```\n\n说明：\n\n    缩进代码 `反引号`\n'
    markup, visible = render(source, tmp_path)
    assert '#raw("print(\\"```\\")  # 注释\\nx = \\"\\\\\\\\\\"", block: true, lang: "python")' in markup
    assert '#raw("缩进代码 `反引号`", block: true)' in markup
    assert_shows(visible, 'print("```")#注释', 'x="\\\\"', "缩进代码`反引号`")


def test_bullet_ordered_and_nested_lists(tmp_path: Path) -> None:
    source = "- 甲项\n- 乙项\n    - 乙一\n    - 乙二\n\n3. 第三\n4. 第四\n"
    markup, visible = render(source, tmp_path)
    assert "- 甲项\n- 乙项\n  - 乙一\n  - 乙二" in markup
    assert "3. 第三\n4. 第四" in markup
    assert_shows(visible, "甲项", "乙一", "3.第三", "4.第四")


def test_loose_list_items_keep_their_paragraphs_inside(tmp_path: Path) -> None:
    markup, visible = render("1. 第一段\n\n    续段\n\n2. 下一项\n", tmp_path)
    assert "1. 第一段\n\n   续段" in markup
    assert_shows(visible, "1.第一段续段2.下一项")


def test_table_has_repeating_header(tmp_path: Path) -> None:
    rows = "\n".join(f"| 社区{i} | {i * 10} |" for i in range(80))
    source = f"| 名称 | 人数 |\n|:---|---:|\n{rows}\n| 缺格 |\n"
    markup, _ = render(source, tmp_path)
    assert markup.startswith("#table(\n  columns: 2,\n  align: (left, right,),\n")
    assert "  table.header([#strong[名称]], [#strong[人数]]),\n  [社区0], [0],\n" in markup
    assert "[缺格], []," in markup  # short rows are padded
    reader = PdfReader(io.BytesIO(compile_pdf(markup, tmp_path)))
    assert len(reader.pages) > 1
    if HAS_CJK_FONT:
        for page in reader.pages:  # table.header repeats on every page
            assert "名称" in page.extract_text()


def test_safe_links_are_links_and_others_plain_text(tmp_path: Path) -> None:
    source = (
        "[官网](https://example.org/a?b=1) [邮件](mailto:office@example.org) [附件](../files/附件.pdf) "
        "[坏](javascript:alert(1)) [数据](data:text/html,x) [vb](VBScript:x) [制表](java\tscript:x) "
        "[共享](//evil/share)"
    )
    markup, visible = render(source, tmp_path)
    assert '#link("https://example.org/a?b=1")[官网]' in markup
    assert '#link("mailto:office@example.org")[邮件]' in markup
    assert '#link("../files/%E9%99%84%E4%BB%B6.pdf")[附件]' in markup  # PDF URIs are ASCII
    for word in ("坏", "数据", "vb", "制表", "共享"):
        assert f"[{word}]" not in markup and word in markup
    assert "javascript" not in markup.lower() and "data:" not in markup
    assert_shows(visible, "官网", "邮件", "附件", "坏", "共享")
    uris = [
        annot.get_object()["/A"]["/URI"]
        for page in PdfReader(io.BytesIO(compile_pdf(markup, tmp_path))).pages
        for annot in page.get("/Annots", [])
    ]
    assert sorted(uris) == ["../files/%E9%99%84%E4%BB%B6.pdf", "https://example.org/a?b=1", "mailto:office@example.org"]


def test_images_use_the_resolver_and_never_urls(tmp_path: Path) -> None:
    tiny_png(tmp_path / "fig.png")
    asked: list[str] = []

    def resolve(src: str) -> str | None:
        asked.append(src)
        return "fig.png" if src == "images/现场.png" else None

    source = "![现场照片](images/现场.png) ![缺失](nope.png) ![远程](https://x.org/a.png) ![内嵌](data:image/png;base64,AA)"
    markup, visible = render(source, tmp_path, resolve_image=resolve)
    assert asked == ["images/现场.png", "nope.png"]
    assert '#box(image("fig.png", alt: "现场照片"))' in markup
    assert "\\[缺失\\] \\[远程\\] \\[内嵌\\]" in markup
    assert_shows(visible, "[缺失][远程][内嵌]")
    page = PdfReader(io.BytesIO(compile_pdf(markup, tmp_path))).pages[0]
    assert len(page["/Resources"]["/XObject"]) == 1
    # Without a resolver nothing is embedded, only the alt text.
    assert markdown_to_typst("![示意图](fig.png)") == "\\[示意图\\]\n"


def test_blockquote_and_horizontal_rule(tmp_path: Path) -> None:
    markup, visible = render("> 引用第一句\n> 引用第二句\n>\n> - 列表\n\n---\n\n正文", tmp_path)
    assert markup == "#quote(block: true)[\n引用第一句引用第二句\n\n- 列表\n]\n\n#line(length: 100%)\n\n正文\n"
    assert_shows(visible, "引用第一句引用第二句", "列表", "正文")


def test_admonition_is_a_titled_box(tmp_path: Path) -> None:
    source = '!!! note "说明"\n    本页数据截至**年底**。\n\n    第二段。\n\n!!! warning ""\n    - 无标题\n'
    markup, visible = render(source, tmp_path)
    assert (
        "#block(stroke: 0.5pt + luma(150), inset: 8pt, radius: 3pt, width: 100%)[\n"
        "#strong[说明] \\\n本页数据截至#strong[年底]。\n\n第二段。\n]"
    ) in markup
    assert "width: 100%)[\n- 无标题\n]" in markup
    assert_shows(visible, "说明本页数据截至年底。第二段。", "无标题")


# --- hostile input -----------------------------------------------------------------------------


def test_hostile_input_is_shown_literally(tmp_path: Path) -> None:
    source = (
        "<script>alert(1)</script>\n\n"
        "图片 <img src=x onerror=alert(1)> 结束\n\n"
        '代码 #import "x": * 与 $x^2$ 与 @ref 与 <label> 与 \\\\server\\share 与 #{1/0}\n\n'
        "[点我](javascript:alert(document.cookie))\n\n"
        "// 不是注释 /* 也不是 */ ] [ = - + ~\n\n"
        "<div>\n**仍是文本**\n</div>\n"
    )
    markup, visible = render(source, tmp_path)
    assert "<script>" not in markup and "\\<script\\>" in markup
    assert "\\<img src\\=x onerror\\=alert(1)\\>" in markup
    assert "\\#import" in markup and not re.search(r"(?<!\\)#(import|link)", markup)
    assert_shows(
        visible,
        "<script>alert(1)</script>",
        "<imgsrc=xonerror=alert(1)>",
        '代码#import"x":*与$x^2$与@ref与<label>与\\server\\share与#{1/0}',
        "点我",
        "//不是注释/*也不是*/][=-+~",
        "<div>仍是文本</div>",
    )


def test_control_characters_and_markdown_placeholders_compile(tmp_path: Path) -> None:
    source = "a\x00b\x02wzxhzdk:0\x03c \ud800 \x1b[31m红\u2028= 行\ufeff"
    markup, visible = render(source, tmp_path)
    assert "\x00" not in markup and "\x02" not in markup and "\ud800" not in markup
    assert_shows(visible, "abwzxhzdk:0c", "[31m红")


def test_deep_nesting_still_compiles(tmp_path: Path) -> None:
    quotes = ">" * 40 + " 深层引用"
    lists = "\n".join("    " * i + f"- 第{i}层" for i in range(30))
    admonitions = "".join("    " * i + "!!! note\n" for i in range(12)) + "    " * 12 + "最深"
    _, visible = render("\n\n".join([quotes, lists, admonitions]), tmp_path)
    assert_shows(visible, "深层引用", "第0层", "第29层", "最深")


def test_input_too_deep_for_python_markdown_falls_back_to_plain_text(tmp_path: Path) -> None:
    source = "\n".join("    " * i + f"- 第{i}层" for i in range(260)) + "\n\n末段 #x"
    markup, visible = render(source, tmp_path)  # python-markdown raises RecursionError here
    assert markup.startswith("\\- 第0层 \\- 第1层")
    assert markup.endswith("\n\n末段 \\#x\n")
    assert_shows(visible, "-第0层-第1层", "-第259层", "末段#x")


# --- properties --------------------------------------------------------------------------------

TOKENS = [
    "# ", "## ", "\n", "\n\n", "- ", "1. ", "* ", "> ", "    ", "**", "*", "_", "`", "```", "~~~",
    "| a | b |\n|---|---|\n", "|", "---", "!!! note \"说明\"\n    ", "[", "](", ")", "![", "<", ">",
    "<script>", "<img src=x onerror=alert(1)>", "javascript:", "https://x.org", "#", "$", "@",
    "\\", "/", "//", "/*", "*/", "=", "+", "~", "'", '"', ".", "(", "&amp;", "&#0;", "中文", "，",
    "\t", "\r", "\x00", "\u2028",
]
markdownish = st.lists(st.one_of(st.sampled_from(TOKENS), st.text(max_size=4)), max_size=30).map("".join)
# Text whose PDF rendering must equal the input: printable ASCII (minus "...", which Typst turns
# into an ellipsis) plus, when the font is there, some Chinese.
literal_alphabet = st.characters(min_codepoint=0x21, max_codepoint=0x7E)
if HAS_CJK_FONT:
    literal_alphabet = st.one_of(literal_alphabet, st.sampled_from("安全社区档案，。（）《》“”、"))
literal_text = st.text(literal_alphabet, min_size=1, max_size=40).filter(lambda s: "..." not in s)


class Scratch:
    """Compiles each example from a fresh .typ file with one shared compiler (fonts load once).

    A new file name per example matters: a ``typst.Compiler`` re-reading a file rewritten moments
    earlier can see stale or half-old content.
    """

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.compiler = typst.Compiler(root=str(directory))
        self.count = 0

    def write(self, markup: str) -> Path:
        self.count += 1
        path = self.directory / f"example{self.count}.typ"
        path.write_text(PREAMBLE + markup, encoding="utf-8")
        return path

    def compile(self, markup: str) -> bytes:
        return self.compiler.compile(input=str(self.write(markup)))


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Scratch:
    return Scratch(tmp_path_factory.mktemp("prop"))


@settings(max_examples=200, deadline=None)
@given(source=markdownish, offset=st.integers(min_value=-2, max_value=7))
def test_any_markdown_compiles(scratch: Scratch, source: str, offset: int) -> None:
    markup = markdown_to_typst(source, heading_offset=offset, resolve_image=lambda src: None)
    inline = escape_typst(source)
    # The same escaped text in every context it is used in: heading, list item, cell, call bodies.
    contexts = f"= {inline}\n\n- {inline}\n\n#table(columns: 1, [{inline}])\n\n#strong[{inline}]{inline}\n"
    assert scratch.compile(markup + "\n" + contexts)[:5] == b"%PDF-"


@settings(max_examples=100, deadline=None)
@given(text=literal_text)
def test_escaped_text_and_strings_round_trip(scratch: Scratch, text: str) -> None:
    assert pdf_text(scratch.compile(escape_typst(text))) == re.sub(r"\s+", "", text)
    path = scratch.write(f"#metadata({typst_string(text)}) <m>\n")
    value = typst.query(str(path), "<m>", field="value", one=True, ignore_system_fonts=True)
    assert json.loads(value) == text
