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
    table = pair.locator("table")
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
