"""Issue 11, classes 3 and 4(a): nothing inside a dossier runs on the building machine or in a
reader's browser, and the theme layer publishes only style sheets, images and fonts."""

from __future__ import annotations

import hashlib
import html
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import edit, find, run_check
from hypothesis import example, given, settings
from hypothesis import strategies as st

from safedossier.outputs.site.build import build

ACTIVE = {".html", ".htm", ".xhtml", ".xht", ".xml", ".svg", ".js", ".mjs", ".xsl"}
MARK = "DOSSIER-ACTIVE-7f3a"
SUMMARY = "summary: 街道成立安全社区促进委员会，下设办公室和工作组。"


def _site_files(site: Path) -> list[Path]:
    return [p for p in site.rglob("*") if p.is_file()]


class _Attrs(HTMLParser):
    """Every (tag, attribute, value) of a page, values decoded as a browser decodes them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.attrs: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.attrs += [(tag, k.lower(), v or "") for k, v in attrs]


def _attrs(markup: str) -> list[tuple[str, str, str]]:
    p = _Attrs()
    p.feed(markup)
    return p.attrs


def _scheme(url: str) -> str:
    """The scheme a browser sees: leading C0/space stripped, tabs and newlines removed anywhere."""
    url = re.sub(r"[\t\n\r]", "", url).lstrip("".join(map(chr, range(0x21))))
    m = re.match(r"([a-zA-Z][a-zA-Z0-9+.-]*):", url)
    return m.group(1).lower() if m else ""


def _script_problems(markup: str) -> list[str]:
    bad = []
    for tag, k, v in _attrs(markup):
        table_align = k == "style" and re.fullmatch(r"text-align: (?:left|right|center);", v)
        if k.startswith("on") or k in ("srcdoc", "formaction") or (k == "style" and not table_align):
            bad.append(f"<{tag} {k}={v!r}>")
        if k in ("href", "src", "action", "xlink:href", "data") and _scheme(v) in ("javascript", "vbscript", "data"):
            bad.append(f"<{tag} {k}={v!r}>")
    return bad + re.findall(r"<script>alert|<img src=x", markup)


def _article(page: Path) -> str:
    raw = page.read_text(encoding="utf-8")
    return raw[raw.index("<article"):raw.index("</article>")]


# --- 3(a) templates from the dossier never run -------------------------------------------------

def test_dossier_templates_are_never_rendered(starter: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    marker = tmp_path / "ran"
    payload = "{{ lipsum.__globals__['os'].popen('touch " + str(marker) + "; id').read() }}"
    (starter / "overrides/partials").mkdir(parents=True)
    (starter / "overrides/main.html").write_text(
        '{% extends "base.html" %}{% block content %}' + payload + "{{ super() }}{% endblock %}", encoding="utf-8")
    (starter / "overrides/partials/footer.html").write_text(payload, encoding="utf-8")
    (starter / "overrides/.icons/material").mkdir(parents=True)  # Material `{% include %}`s its icons
    (starter / "overrides/.icons/material/library.svg").write_text(payload, encoding="utf-8")
    site = tmp_path / "site"
    res = build(starter, site)
    assert not marker.exists()  # no command ran on the building machine
    assert res.ok, res.messages
    for page in site.rglob("*.html"):
        assert "uid=" not in page.read_text(encoding="utf-8"), page
    rc, report = run_check(starter, capsys)  # the office is told its templates are not used
    assert rc == 0 and find(report, "overrides_skipped", "overrides/main.html")


# --- 3(b) site settings are plain text -----------------------------------------------------------

HOSTILE_YML = """\
site_name: "<script>alert(1)</script>"
site_author: '"><script>alert(2)</script>'
copyright: "<img src=x onerror=alert(3)>"
site_url: 'https://x.org/"><script>alert(4)</script>'
site_description: '"><script>alert(5)</script>'
theme:
  palette: {primary: '"><script>alert(6)</script>', accent: amber}
  logo: '"><script>alert(7)</script>'
  favicon: 'javascript:alert(8)'
  icon: {logo: '../../main'}
  features: ['"><script>alert(9)</script>']
"""


def test_site_settings_cannot_inject_markup(starter: Path, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    (starter / "mkdocs.yml").write_text(HOSTILE_YML, encoding="utf-8")
    rc, report = run_check(starter, capsys)
    assert rc == 1
    errors = {(d["line"], d["field"]) for d in report["diagnostics"]
              if d["file"] == "mkdocs.yml" and d["severity"] == "error"}
    assert {(1, "site_name"), (2, "site_author"), (3, "copyright"), (4, "site_url"), (5, "site_description"),
            (8, "theme.logo"), (9, "theme.favicon")} <= errors
    name = next(d for d in report["diagnostics"] if d["field"] == "site_name")
    assert "HTML" in name["message_zh"] and "HTML" in name["message_en"]
    assert not build(starter, tmp_path / "refused").ok and not (tmp_path / "refused").exists()
    # colours, icons and features that are not Material's own are dropped (warned), never printed
    (starter / "mkdocs.yml").write_text("site_name: 东风街道 & 档案\n" + HOSTILE_YML.split("\n", 5)[5]
                                        .replace("  logo: '\"><script>alert(7)</script>'\n", "")
                                        .replace("  favicon: 'javascript:alert(8)'\n", ""), encoding="utf-8")
    # the community's own name reaches the default site name too
    edit(starter / "dossier/community.yml", "name: 示例街道", "name: 示例<img src=x onerror=alert(10)>街道")
    site = tmp_path / "site"
    res = build(starter, site)
    assert res.ok, res.messages
    for page in site.rglob("*.html"):
        raw = page.read_text(encoding="utf-8")
        assert "<script>alert" not in raw and "<img src=x" not in raw, page
    assert "<title>东风街道 & 档案</title>" in (site / "index.html").read_text(encoding="utf-8")


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(list("<>\"'&=/ ;:\t\n\x00\x1fa街") + ["script", "onload"]), max_size=20)
       .map("".join))
def test_site_text_is_refused_or_plain(text: str) -> None:
    from safedossier.format.diagnostics import Report
    from safedossier.trust.siteconfig import check_site_config

    report = Report()
    keys = ("site_name", "site_author", "copyright", "site_description")
    out = check_site_config(Path("/nonexistent"), dict.fromkeys(keys, text), report)
    for key in keys:
        value = out.get(key)
        assert value is None or not re.search(r"[<>\"\x00-\x1f]", value)
        assert value is not None or not text.strip() or any(d.field == key for d in report.items)


# --- 3(c) office Markdown cannot make script, attributes or overlays -----------------------------

HOSTILE_MD = [
    '[a](y){: href="javascript:alert(11)" onclick="alert(12)" }',
    '点我\n{: onclick="alert(13)" style="position:fixed;top:0;left:0;width:100%;height:100%" }',
    "[tab](java\tscript:alert(14))", "[ent](&#106;avascript:alert(15))", "[ctl](\x01javascript:alert(16))",
    "[nl](<java\nscript:alert(17)>)", "<javascript:alert(18)>", "[ref]: javascript:alert(19)\n\n[r][ref]",
    "[ref2]:\n  vbscript:alert(20)\n\n[r2][ref2]", "![img](javascript:alert(21))",
    "![d](data:text/html;base64,PHNjcmlwdD5hbGVydCgyMik8L3NjcmlwdD4=)", "![i](x){ onerror=alert(23) }",
    "## 标题 {#x onclick=alert(24)}", "<img src=x onerror=alert(25)>", "<svg onload=alert(26)>",
    "[x](JaVaScRiPt&colon;alert(27))", "\\{: onclick=alert(28)}", "`code`{: onclick=alert(29)}",
    "\x02wzxhzdk:0\x03", "[b](  javascript:alert(30) 'title')",
]


def _md_html(text: str) -> str:
    """Office Markdown through prose() and Python-Markdown with the site's own extensions."""
    import markdown

    from safedossier.outputs.site.markdown_safe import prose

    return markdown.markdown(str(prose(text)), extensions=["tables", "admonition", "attr_list", "md_in_html",
                                                           "toc", "pymdownx.details"])


@settings(max_examples=120, deadline=None)
# found by this test: a backtick that Markdown does not pair (a blank line ends the paragraph) once
# hid an attribute list from the sanitiser's own idea of where code spans are
@example(["`", '[a](y){: href="javascript:alert(11)" onclick="alert(12)" }', "\n\n", "`"])
@example(["\\`", "[a](y){: onclick=alert(13)}", "\\`"])
@given(st.lists(st.sampled_from(HOSTILE_MD + ["普通文字", "\n\n", " ", "{", "}", "`", "\\", "[", "]", "(", ")"]),
                max_size=8))
def test_prose_never_yields_script_or_attributes(parts: list[str]) -> None:
    out = _md_html("".join(parts))
    assert _script_problems(out) == []


def test_hostile_pages_and_summaries_are_inert(starter: Path, tmp_path: Path) -> None:
    hostile = "\n\n".join(HOSTILE_MD)
    edit(starter / "dossier/pages/work-report.md", "## 主要做法", f"## 主要做法\n\n{hostile}\n")
    (starter / "dossier/pages/evil.md").write_text(
        "# &lt;/title&gt;&lt;script&gt;alert(31)&lt;/script&gt;<img src=x onerror=alert(32)>\n\n正文\n",
        encoding="utf-8")
    summary = HOSTILE_MD[0].replace('"', "'")
    edit(starter / "dossier/01-organisation.yml", SUMMARY, f'summary: "{summary} [c](\\x01javascript:alert(33))"')
    site = tmp_path / "site"
    res = build(starter, site)
    assert res.ok, res.messages
    for page in ("pages/work-report/index.html", "pages/evil/index.html", "elements/01-organisation/index.html"):
        assert _script_problems(_article(site / page)) == [], page
    for page in site.rglob("*.html"):  # page titles reach the navigation and <title> of every page
        raw = page.read_text(encoding="utf-8")
        assert "<script>alert" not in raw and "<img src=x" not in raw, page
    text = html.unescape(re.sub(r"<[^>]+>", "", _article(site / "pages/work-report/index.html")))
    assert "{: onclick=" in text.replace("\u200b", "")  # shown as the text the office wrote


# --- 3(d) no active document is served from the dossier ----------------------------------------

def _active_dossier(starter: Path) -> Path:
    (starter / "overrides/img").mkdir(parents=True)
    for name in ("evil.svg", "page.html", "x.xhtml", "code.js", "feed.xml", "img/inner.svg"):
        (starter / "overrides" / name).write_text(f"<svg onload=alert(40)>{MARK}</svg>", encoding="utf-8")
    (starter / "overrides/site.css").write_text(".md-header { outline: 2px solid red }\n", encoding="utf-8")
    rows = []
    for i, name in enumerate(("report.html", "report.htm", "page.xhtml", "data.xml", "logo.svg", "app.js",
                              "m.mjs", "style.css", "noext")):
        (starter / "evidence/01-organisation" / name).write_text(
            f"<html><body><script>alert(41)</script>{MARK}</body></html>", encoding="utf-8")
        rows.append(f"E9{i},活动材料{i},1,2025-05-01,01-organisation/{name},文件,\n")
    with (starter / "data/evidence.csv").open("a", encoding="utf-8") as fh:
        fh.writelines(rows)
    return starter


def test_no_active_document_is_served(starter: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    res = build(_active_dossier(starter), site)
    assert res.ok, res.messages
    served = [p.relative_to(site).as_posix() for p in _site_files(site)
              if p.suffix.lower() in ACTIVE and MARK.encode() in p.read_bytes()]
    assert served == []
    assert "outline: 2px solid red" in (site / "site.css").read_text(encoding="utf-8")  # CSS still published
    listed = (site / "evidence/index.html").read_text(encoding="utf-8")
    assert "01-organisation/report.html.txt" in listed and "01-organisation/report.pdf" not in listed
    assert (site / "evidence/01-organisation/report.html.txt").is_file()


# --- 4(a) nothing private is published through the theme ----------------------------------------

PRIVATE = [("A1", "2025-01-03", "女", 81, "跌倒/坠落", "家中", "轻度", "处理后离院", "欧阳秀英", "11010519491231002X",
            "13812345678", "东风路8号3单元")]


def test_theme_never_publishes_private_data(starter: Path, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    import pandas as pd

    cols = ["编号", "发生日期", "性别", "年龄", "原因", "地点", "严重程度", "结局", "姓名", "身份证号", "电话", "住址"]
    (starter / "data/injuries.csv").unlink()
    book = starter / "data/injuries.xlsx"
    pd.DataFrame(PRIVATE, columns=cols).to_excel(book, index=False)
    (starter / "overrides/fonts").mkdir(parents=True)
    shutil.copyfile(book, starter / "overrides/backup.xlsx")  # a stray copy next to the logo
    shutil.copyfile(book, starter / "overrides/fonts/brand.woff2.xlsx")
    (starter / "overrides/style.css").symlink_to("../data/injuries.xlsx")
    (starter / "overrides/remote.css").write_text('@import "https://evil.example/x.css";\n', encoding="utf-8")
    (starter / "overrides/ok.css").write_text(".md-header { color: red }\n", encoding="utf-8")
    (starter / "mkdocs.yml").write_text("site_name: 档案\nextra_css:\n  - data/injuries.xlsx\n  - ../x.css\n"
                                        "  - overrides/remote.css\ntheme:\n  logo: data/injuries.xlsx\n",
                                        encoding="utf-8")
    rc, report = run_check(starter, capsys)
    assert rc == 1
    bad = {(d["line"], d["field"], d["code"]) for d in report["diagnostics"] if d["file"] == "mkdocs.yml"}
    assert {(3, "extra_css.0", "site_file"), (4, "extra_css.1", "site_file"), (5, "extra_css.2", "site_css"),
            (7, "theme.logo", "site_file")} <= bad
    assert {d["file"] for d in find(report, "overrides_skipped")} >= {
        "overrides/backup.xlsx", "overrides/style.css", "overrides/remote.css"}
    (starter / "mkdocs.yml").write_text("site_name: 档案\nextra_css: [overrides/ok.css]\n", encoding="utf-8")
    site = tmp_path / "site"
    res = build(starter, site)
    assert res.ok, res.messages
    secret = hashlib.sha256(book.read_bytes()).hexdigest()
    for p in _site_files(site):
        data = p.read_bytes()
        assert hashlib.sha256(data).hexdigest() != secret, p
        assert p.suffix.lower() not in (".xlsx", ".csv"), p
        assert "欧阳秀英".encode() not in data and b"11010519491231002X" not in data, p
    assert (site / "ok.css").is_file()


# --- in a real browser -----------------------------------------------------------------------------

@pytest.mark.browser
@pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="Debian's chromium is not installed")
def test_hostile_dossier_fires_no_dialog_in_chromium(starter: Path, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright
    from test_browser import ARGS, CHROMIUM, Watch, _server

    _active_dossier(starter)
    edit(starter / "dossier/pages/work-report.md", "## 主要做法", "## 主要做法\n\n" + "\n\n".join(HOSTILE_MD) + "\n")
    (starter / "mkdocs.yml").write_text("site_name: 档案\nextra:\n  dossier:\n    announcement: "
                                        "'<img src=x onerror=alert(50)>年度提交稿'\n", encoding="utf-8")
    site = tmp_path / "site"
    assert build(starter, site).ok
    url = _server(str(site))
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        watch = Watch(page)
        page.goto(url + "/pages/work-report/")
        banner = page.locator(".md-banner").all_inner_texts()
        protocols = page.eval_on_selector_all("a[href], img[src]", "els => els.map(e => (e.href || e.src)"
                                              ".split(':')[0])")
        for i in range(page.locator("article a").count()):  # follow every link the office wrote
            page.goto(url + "/pages/work-report/")
            link = page.locator("article a").nth(i)
            if link.is_visible():
                link.click(timeout=2000)
                page.wait_for_load_state()
        for path in ("/evil.svg", "/img/inner.svg", "/page.html", "/evidence/01-organisation/report.html.txt",
                     "/evidence/01-organisation/logo.svg.txt", "/evidence/01-organisation/page.xhtml.txt"):
            page.goto(url + path)
            page.wait_for_timeout(100)
        browser.close()
    assert watch.dialogs == []
    assert set(protocols) <= {"http"}, set(protocols)
    assert any("<img src=x onerror=alert(50)>年度提交稿" in b for b in banner)  # the banner, as text
