"""Browser tests: Playwright driving Debian's chromium against sites served on 127.0.0.1."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import REPO, edit, make_repo, serving

from safedossier.format.schema import ELEMENTS
from safedossier.outputs.site.build import build

CHROMIUM = "/usr/bin/chromium"  # Debian's package, never a downloaded browser
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed"),
]
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@functools.cache
def _server(directory: str) -> str:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=directory))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{httpd.server_address[1]}"


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    out = tmp_path_factory.mktemp("browser") / "site"
    res = build(REPO, out)
    assert res.ok, res.messages
    return _server(str(out))


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


class Watch:
    """Console errors, dialogs and every request a page makes."""

    def __init__(self, page: object) -> None:
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        page.on("response", lambda r: r.status >= 400 and self.errors.append(f"{r.status} {r.url}"))

    def external(self) -> list[str]:
        return [u for u in self.requests if not u.startswith(("http://127.0.0.1", "data:", "blob:"))]


def test_every_element_reachable_from_navigation(browser: object, site_url: str) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    watch = Watch(page)
    page.goto(site_url + "/")
    page.locator(".md-tabs__link", has_text="十二要素").first.click()  # the twelve elements are a tab
    for el in ELEMENTS:
        link = page.locator("nav.md-nav--primary a.md-nav__link", has_text=el.label).first
        link.click()
        page.wait_for_load_state()
        assert el.label in page.locator("h1").first.inner_text()
        assert page.url.endswith(f"/elements/{el.filename[:-4]}/")
    assert watch.errors == []
    assert watch.external() == []
    page.close()


def test_chinese_search_returns_results(browser: object, site_url: str) -> None:
    page = browser.new_page()
    watch = Watch(page)
    page.goto(site_url + "/")
    page.locator("label.md-search__icon, .md-search__input").first.click()
    box = page.locator("input.md-search__input")
    box.fill("")
    page.keyboard.type("跌倒")
    page.keyboard.press("End")  # Material listens to key-ups; CJK typing sends none
    results = page.locator(".md-search-result__item")
    results.first.wait_for(timeout=15000)
    assert results.count() > 0
    meta = page.locator(".md-search-result__meta").inner_text()
    assert "键入以开始搜索" not in meta
    assert watch.errors == [] and watch.external() == []
    page.close()


def test_chart_and_its_table_are_visible(browser: object, site_url: str) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    watch = Watch(page)
    page.goto(site_url + "/statistics/")
    pair = page.locator(".sd-chart", has=page.locator("img[alt='按原因']"))
    img = pair.locator("img")
    img.scroll_into_view_if_needed()
    assert img.is_visible()
    assert page.evaluate("(el) => el.naturalWidth > 100 && el.complete", img.element_handle())
    table = pair.locator("table").first  # the counts; the year-over-year table follows, folded
    assert table.is_visible() and "跌倒/坠落" in table.inner_text()
    assert watch.errors == [] and watch.external() == []
    page.close()


def test_phone_width_layout(browser: object, site_url: str) -> None:
    page = browser.new_page(viewport={"width": 375, "height": 740}, is_mobile=True)
    page.goto(site_url + "/elements/03-risk/")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 380  # wide tables scroll inside their box, the page does not
    page.close()


def test_hostile_dossier_runs_no_script(browser: object, starter: Path, tmp_path: Path) -> None:
    evil = "<img src=x onerror=alert(1)><script>alert(2)</script>"
    edit(starter / "dossier/01-organisation.yml", "summary: 街道成立安全社区促进委员会，下设办公室和工作组。",
         f"summary: '{evil} [点我](javascript:alert(3))'")
    edit(starter / "data/hazards.csv", "楼道堆放杂物", evil)
    edit(starter / "dossier/pages/work-report.md", "## 主要做法", f"## 主要做法\n\n{evil}\n\n<svg onload=alert(4)>")
    out = tmp_path / "site"
    assert build(starter, out).ok
    url = _server(str(out))
    page = browser.new_page()
    watch = Watch(page)
    for path in ("/", "/elements/01-organisation/", "/elements/03-risk/", "/pages/work-report/"):
        page.goto(url + path)
        page.wait_for_timeout(300)
        for a in page.locator("a").all():
            href = a.get_attribute("href") or ""
            assert not href.strip().lower().startswith("javascript:")
    assert watch.dialogs == []
    assert not [u for u in watch.requests if u.endswith("/x")]  # <img src=x> was never an image
    page.close()


def test_serve_rebuilds_on_change(browser: object, starter: Path) -> None:
    with serving(starter, interval=0.3) as port:
        page = browser.new_page()
        page.goto(f"http://127.0.0.1:{port}/elements/11-corrective/")
        assert "检查和评审发现的问题" in page.inner_text("article")
        edit(starter / "dossier/11-corrective.yml", "检查和评审发现的问题", "巡查中发现的问题")
        page.wait_for_function("() => document.body.innerText.includes('巡查中发现的问题')", timeout=60000)
        page.close()


def test_version_selector_keeps_the_page(browser: object, tmp_path: Path) -> None:
    from safedossier.archive.versions import build_archive

    repo = make_repo(tmp_path / "repo")
    site = tmp_path / "site"
    assert build_archive(repo, site).ok
    url = _server(str(site))
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    watch = Watch(page)
    page.goto(url + "/")
    page.wait_for_url("**/2025/")  # the root redirects to the latest tag
    page.goto(url + "/2024/elements/03-risk/")
    selector = page.locator(".md-version__current")
    selector.wait_for()
    assert selector.inner_text() == "2024年度提交稿"
    page.locator(".md-version").hover()
    entries = page.locator(".md-version__link")
    assert entries.all_inner_texts() == ["2025（草稿）", "2025年度提交稿", "2024年度提交稿", "2023年度提交稿"]
    assert page.locator("[data-md-component=outdated]").is_visible()  # 2024 is an older submission
    page.locator(".md-version__link", has_text="2023年度提交稿").click()
    page.wait_for_url("**/2023/elements/03-risk/")
    assert "事故与伤害风险辨识及其评价" in page.locator("h1").first.inner_text()
    page.goto(url + "/2025/statistics/")
    page.locator(".md-version__current").wait_for()
    assert not page.locator("[data-md-component=outdated]").is_visible()
    assert watch.errors == [] and watch.external() == []
    page.close()


# --- the site read from disk (issue 13 §5) ----------------------------------------------------

@pytest.fixture(scope="module")
def offline_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from safedossier.outputs.site.render import RenderOptions

    out = tmp_path_factory.mktemp("offline") / "site"
    res = build(REPO, out, RenderOptions(offline=True))
    assert res.ok, res.messages
    return out


def _local(watch: Watch) -> list[str]:
    """Requests that left the disk (a CDN shim, a font): none may."""
    return [u for u in watch.requests if not u.startswith(("file://", "data:", "blob:", "about:"))]


def test_offline_site_navigates_from_home_to_every_element(browser: object, offline_site: Path) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    watch = Watch(page)
    home = (offline_site / "index.html").as_uri()
    for el in ELEMENTS:
        page.goto(home)
        page.locator(".md-tabs__link", has_text="十二要素").first.click()  # the elements' tab
        page.wait_for_load_state()
        page.locator("nav.md-nav--primary a.md-nav__link", has_text=el.label).first.click()
        page.wait_for_load_state()
        assert page.url.endswith(f"/elements/{el.filename[:-4]}.html"), page.url  # a page, not a folder listing
        assert el.label in page.locator("h1").first.inner_text()
        assert page.locator(".md-footer__link--next, .md-footer__link--prev").count() > 0  # previous/next
    assert watch.errors == [] and _local(watch) == []
    page.close()


def test_offline_id_search_ranks_the_register_first(browser: object, offline_site: Path) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    watch = Watch(page)
    page.goto((offline_site / "index.html").as_uri())
    for query, register in (("H-2025-007", "03-risk"), ("H-2024-003", "03-risk"), ("JC-2025-03", "08-monitoring"),
                            ("YL-2025-02", "07-emergency"), ("A-2023-07", "11-corrective")):
        page.locator("label.md-search__icon, .md-search__input").first.click()
        page.locator("input.md-search__input").fill("")
        page.keyboard.type(query)
        page.keyboard.press("End")
        first = page.locator(".md-search-result__item").first
        first.wait_for(timeout=15000)
        page.wait_for_timeout(300)  # results settle as the query is typed
        hrefs = page.locator(".md-search-result__item a").evaluate_all("els => els.map(e => e.href)")
        anchor = "rec-" + query.lower()
        assert hrefs[0].split("?")[0].endswith(f"/elements/{register}.html"), (query, hrefs[:3])
        assert any(h.endswith("#" + anchor) for h in hrefs[:2]), (query, hrefs[:3])
        page.keyboard.press("Escape")
    first_hit = hrefs[1] if hrefs[1].endswith("#rec-a-2023-07") else hrefs[0]
    page.goto(first_hit)
    assert page.locator("#rec-a-2023-07").count() == 1  # the row the entry names exists
    assert watch.errors == [] and _local(watch) == []
    page.close()


def test_register_readable_on_a_phone(browser: object, offline_site: Path) -> None:
    page = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True)
    page.goto((offline_site / "elements/03-risk.html").as_uri() + "#rec-h-2025-007")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # the page never scrolls sideways
    cell = page.locator("#rec-h-2025-007").locator("xpath=ancestor::td")
    box = cell.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
    wrap = cell.locator("xpath=ancestor::div[contains(@class,'md-typeset__scrollwrap')]")
    wrap.evaluate("el => { el.scrollLeft = el.scrollWidth }")  # to the last columns (整改期限, 状态 …)
    page.wait_for_timeout(100)
    moved = cell.bounding_box()
    assert moved is not None and abs(moved["x"] - box["x"]) < 2  # the id column stays in view
    assert cell.is_visible()
    page.close()


CHECKLIST = "table:has(th:text-is('应有的佐证'))"


def test_evidence_checklist_is_cards_on_a_phone_and_a_table_elsewhere(browser: object, offline_site: Path) -> None:
    """Issue 13 §3/§5: at 390 px every checklist row is a card that fits the screen (nothing scrolls or is
    cut off, each value named by its column); on a desktop and on paper it stays a table."""
    page = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True)
    for el in ELEMENTS:
        page.goto((offline_site / f"elements/{el.filename[:-4]}.html").as_uri())
        table = page.locator(CHECKLIST)
        assert table.count() == 1, el.number
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, el.number
        assert table.evaluate("t => t.scrollWidth <= t.clientWidth + 1"), el.number  # no sideways scroll
        for cell in table.locator("td").all():
            box = cell.bounding_box()
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390, (el.number, cell.inner_text())
    page.goto((offline_site / "elements/04-goals.html").as_uri())
    card = page.locator(CHECKLIST).locator("tr", has_text="每项规划或计划的文本")
    named = "c => getComputedStyle(c.querySelector('.sd-cell-name'), '::before').content + c.innerText"
    assert [c.evaluate(named) for c in card.locator("td").all()[1:]] == [
        '"已有："2/4', '"现有佐证："E010 事故与伤害预防目标分解表、E011 清溪街道安全社区建设规划（2023—2025年）、'
        'E012 2024年年度安全社区工作计划', '"缺口："JH2023、JH2025']
    head = page.locator(CHECKLIST).locator("thead").bounding_box()
    assert head is not None and head["height"] <= 1  # the header row is no card (kept for screen readers)
    page.close()
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.goto((offline_site / "elements/04-goals.html").as_uri())
    table = page.locator(CHECKLIST)
    for media in ("screen", "print"):
        page.emulate_media(media=media)
        assert table.evaluate("t => getComputedStyle(t.querySelector('tr')).display") == "table-row", media
        assert table.locator("th").first.is_visible() and not table.locator(".sd-cell-name").first.is_visible()
    page.close()


def test_wide_register_fits_a_desktop_and_paper(browser: object, offline_site: Path, tmp_path: Path) -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.goto((offline_site / "elements/03-risk.html").as_uri())
    table = page.locator("table", has=page.locator("#rec-h-2025-007"))
    wrap = table.locator("xpath=ancestor::div[contains(@class,'md-typeset__scrollwrap')]")
    assert wrap.evaluate("el => el.scrollWidth <= el.clientWidth + 1")  # every column shows, none scrolled away
    page.emulate_media(media="print")
    assert wrap.evaluate("el => el.scrollWidth <= el.clientWidth + 1")
    page.pdf(path=str(tmp_path / "register.pdf"), format="A4")
    assert (tmp_path / "register.pdf").stat().st_size > 10_000
    page.close()


def test_dark_mode_toggles(browser: object, offline_site: Path) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900}, color_scheme="light")
    page.goto((offline_site / "index.html").as_uri())
    body = page.locator("body")
    assert body.get_attribute("data-md-color-scheme") == "default"
    light = page.evaluate("getComputedStyle(document.body).backgroundColor")
    toggle = page.locator("form[data-md-component=palette] label:visible").first
    assert toggle.get_attribute("title") == "切换到深色模式"
    toggle.click()
    assert body.get_attribute("data-md-color-scheme") == "slate"
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") != light
    page.reload()  # the choice is kept
    assert page.locator("body").get_attribute("data-md-color-scheme") == "slate"
    page.close()


def test_permalinks_and_404_in_chinese(offline_site: Path) -> None:
    risk = (offline_site / "elements/03-risk.html").read_text(encoding="utf-8")
    assert 'title="永久链接"' in risk and "Permanent link" not in risk
    assert "404 - 页面不存在" in (offline_site / "404.html").read_text(encoding="utf-8")


def test_offline_archive_opens_from_disk(browser: object, tmp_path: Path) -> None:
    from safedossier.archive.versions import build_archive

    repo = make_repo(tmp_path / "repo")
    site = tmp_path / "site"
    assert build_archive(repo, site, offline=True).ok
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    watch = Watch(page)
    page.goto((site / "index.html").as_uri())
    page.wait_for_url("**/2025/index.html")  # the root sends a reader to the newest tag's page
    page.goto((site / "2024/elements/03-risk.html").as_uri())
    outdated = page.locator("[data-md-component=outdated-offline] a")
    assert outdated.is_visible()
    outdated.click()
    page.wait_for_url("**/2025/index.html")  # "查看最新版本" is a page, not a folder listing
    assert "安全社区" in page.locator("h1").first.inner_text()
    assert _local(watch) == []
    page.close()


def _tone(path: Path, seconds: float = 0.5) -> None:
    """A short real WAV file (Chromium plays it), written with the standard library."""
    import math
    import struct
    import wave

    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(8000)
        w.writeframes(b"".join(struct.pack("<h", int(8000 * math.sin(i / 8))) for i in range(int(8000 * seconds))))


@pytest.mark.parametrize("offline", [False, True])
def test_recorded_evidence_plays_in_the_gallery(browser: object, starter: Path, tmp_path: Path,
                                                 offline: bool) -> None:
    from safedossier.outputs.site.render import RenderOptions

    _tone(starter / "evidence/07-emergency/drill-briefing.wav")
    (starter / "evidence/07-emergency/drill.mp4").write_bytes(b"\x00\x00\x00\x18ftypmp42")  # a stub: markup only
    with (starter / "data/evidence.csv").open("a", encoding="utf-8") as fh:
        fh.write("E03,演练讲评录音,7,2025-06-20,07-emergency/drill-briefing.wav,音像,\n"
                 "E04,演练视频,7,2025-06-20,07-emergency/drill.mp4,音像,\n")
    out = tmp_path / "site"
    assert build(starter, out, RenderOptions(offline=offline)).ok
    page = browser.new_page()
    watch = Watch(page)
    if offline:
        page.goto((out / "evidence.html").as_uri())
    else:
        page.goto(_server(str(out)) + "/evidence/")
    audio = page.locator("#ev-e03 audio[controls]")
    audio.wait_for()
    page.wait_for_function("() => document.querySelector('#ev-e03 audio').readyState >= 1", timeout=10000)
    assert abs(page.evaluate("document.querySelector('#ev-e03 audio').duration") - 0.5) < 0.05
    video = page.locator("#ev-e04 video[controls]")
    assert video.get_attribute("preload") == "metadata"  # its first frame is the poster
    assert page.evaluate("document.querySelector('#ev-e04 video').src").endswith("/evidence/07-emergency/drill.mp4")
    assert "演练讲评录音" in page.locator("#ev-e03 figcaption").inner_text()
    assert [e for e in watch.errors if "drill.mp4" not in e] == [] and watch.external() == [] if not offline \
        else _local(watch) == []
    page.close()
