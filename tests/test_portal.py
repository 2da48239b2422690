"""`dossier portal build`: communities built here in parallel, or handed over as built artefacts,
assembled into one portal whose figures are each community's own summary."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import REPO, edit

from safedossier.cli import main
from safedossier.format.starter import write_starter
from safedossier.format.validate import check
from safedossier.trust.guard import Guard


class Rows(HTMLParser):
    """The communities table: data-community → the cells' text."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: dict[str, list[str]] = {}
        self._row: str | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "tr" and a.get("data-community"):
            self._row = str(a["data-community"])
            self.rows[self._row] = []
        elif tag == "td" and self._row:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "td" and self._row and self._cell is not None:
            self.rows[self._row].append("".join(self._cell).strip())
            self._cell = None
        elif tag == "tr":
            self._row = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def community(path: Path, name: str, region: str) -> Path:
    write_starter(path, year=2025)
    edit(path / "dossier/community.yml", "name: 示例街道", f"name: {name}")
    edit(path / "dossier/community.yml", "某市", region)
    return path


@pytest.fixture
def three(tmp_path: Path) -> list[Path]:
    a = community(tmp_path / "dongfeng", "东风街道", "甲市")
    b = community(tmp_path / "xishan", "西山镇", "乙市")
    c = community(tmp_path / "nanhu-src", "南湖街道", "甲市")
    # the third arrives as an artefact, built by another process in another folder (as a CI job would)
    proc = subprocess.run([sys.executable, "-m", "safedossier.cli", "build", str(c), "-o", str(tmp_path / "nanhu")],
                          capture_output=True, text=True, cwd=REPO, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return [a, b, tmp_path / "nanhu"]


def table(portal: Path) -> dict[str, list[str]]:
    p = Rows()
    p.feed((portal / "index.html").read_text(encoding="utf-8"))
    return p.rows


def test_portal_lists_every_community_with_its_own_figures(three: list[Path], tmp_path: Path) -> None:
    out = tmp_path / "portal"
    assert main(["portal", "build", *map(str, three), "-o", str(out), "-j", "2"]) == 0
    rows = table(out)
    assert set(rows) == {"dongfeng", "xishan", "nanhu"}
    for slug in rows:
        summary = json.loads((out / "c" / slug / "summary.json").read_text(encoding="utf-8"))
        cells = rows[slug]
        assert cells[0] == summary["community"]["name"]
        complete = sum(v == "complete" for v in summary["readiness"].values())
        assert cells[5] == f"{complete}/12"
        last = [y for y in summary["injuries"] if y["rate"] is not None][-1]
        assert cells[8] == f"{last['rate']}（{last['year']}）"
        assert (cells[10], cells[11]) == (str(summary["hazards"]["open"]), str(summary["hazards"]["overdue"]))
        assert (out / "c" / slug / "index.html").is_file()  # each community's own site is linked
    listed = json.loads((out / "portal.json").read_text(encoding="utf-8"))
    assert {x["community"] for x in listed} == set(rows)
    region = re.findall(r'href="(regions/\d+\.html)">([^<]+)<', (out / "index.html").read_text(encoding="utf-8"))
    pages = {name: page for page, name in region}
    assert set(table_of(out / pages["某省 甲市"])) == {"dongfeng", "nanhu"}


def table_of(page: Path) -> dict[str, list[str]]:
    p = Rows()
    p.feed(page.read_text(encoding="utf-8"))
    return p.rows


def test_a_broken_community_is_reported_and_the_others_published(three: list[Path], tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    (three[1] / "dossier/10-archive.yml").write_text("name: [\n", encoding="utf-8")
    out = tmp_path / "portal"
    assert main(["portal", "build", *map(str, three), "-o", str(out), "-j", "2"]) == 1
    err = capsys.readouterr().err
    assert "xishan" in err and "YAML" in err and "1 个社区未能发布" in err
    assert set(table(out)) == {"dongfeng", "nanhu"}


def test_an_unchanged_community_is_not_built_again(three: list[Path], tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "portal"
    assert main(["portal", "build", str(three[0]), str(three[1]), "-o", str(out), "-j", "1"]) == 0
    capsys.readouterr()
    edit(three[1] / "dossier/11-corrective.yml", "完成后验证。", "完成后复查验证。")
    assert main(["portal", "build", str(three[0]), str(three[1]), "-o", str(out), "-j", "1"]) == 0
    err = capsys.readouterr().err
    assert re.search(r"dongfeng\s+沿用", err) and re.search(r"xishan\s+已发布", err)


def test_no_private_value_in_any_portal_file(tmp_path: Path) -> None:
    from test_privacy import with_private

    a = with_private(community(tmp_path / "dongfeng", "东风街道", "甲市"))
    out = tmp_path / "portal"
    assert main(["portal", "build", str(a), "-o", str(out), "-j", "1"]) == 0
    d = check(a).dossier
    assert d is not None
    assert Guard(d).scan_dir(out) == []  # the injury table's names, IDs, phones: nowhere in the portal


def test_the_portal_never_replaces_a_dossier(three: list[Path], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["portal", "build", str(three[0]), "-o", str(three[0] / "data")]) == 2
    assert (three[0] / "data/injuries.csv").is_file()


@pytest.mark.browser
@pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="Debian's chromium is not installed")
def test_browser_sorts_the_table_and_searches_every_community(three: list[Path], tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright
    from test_browser import CHROMIUM, Watch, _server

    edit(three[1] / "dossier/03-risk.yml", "summary:", "summary: 西山镇水库堤坝巡查。", count=1) \
        if "summary:" in (three[1] / "dossier/03-risk.yml").read_text(encoding="utf-8") else \
        (three[1] / "dossier/03-risk.yml").write_text(
            (three[1] / "dossier/03-risk.yml").read_text(encoding="utf-8") + "summary: 西山镇水库堤坝巡查。\n",
            encoding="utf-8")
    out = tmp_path / "portal"
    assert main(["portal", "build", *map(str, three), "-o", str(out), "-j", "2"]) == 0
    url = _server(str(out))
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        page = b.new_page(viewport={"width": 1280, "height": 900})
        watch = Watch(page)
        page.goto(url + "/index.html")
        names = lambda: page.locator("#communities tbody tr td:first-child").all_inner_texts()  # noqa: E731
        page.locator("#communities th", has_text="社区 / community").click()
        ascending = names()
        assert ascending == sorted(ascending, key=lambda s: s.encode("gb18030"))  # pinyin-ish order
        page.locator("#communities th", has_text="社区 / community").click()
        assert names() == ascending[::-1]
        page.fill("#search", "水库堤坝")
        page.locator("#results li a").first.wait_for()
        hits = page.locator("#results li a").all_inner_texts()
        assert hits and all(h.startswith("西山镇") for h in hits)
        page.locator("#results li a").first.click()
        page.wait_for_url("**/c/xishan/**")
        assert "水库堤坝" in page.inner_text("body")
        assert watch.errors == [] and watch.external() == []
        # the same search from a USB stick: the index is plain scripts loaded on demand
        disk = b.new_page()
        disk.goto((out / "index.html").as_uri())
        disk.fill("#search", "水库堤坝")
        disk.locator("#results li a").first.wait_for()
        assert all(h.startswith("西山镇") for h in disk.locator("#results li a").all_inner_texts())
        disk.fill("#search", "没有这个词语")
        disk.wait_for_function("document.getElementById('results').textContent.includes('没有结果')")
        b.close()


def test_an_unchanged_repository_is_not_listed_again(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from conftest import make_repo

    repo = make_repo(tmp_path / "qingxi")
    out = tmp_path / "portal"
    assert main(["portal", "build", str(repo), "-o", str(out), "-j", "1"]) == 0
    assert (out / "c/qingxi/versions.json").is_file() and (out / "c/qingxi/2025/summary.json").is_file()
    capsys.readouterr()
    assert main(["portal", "build", str(repo), "-o", str(out), "-j", "1"]) == 0
    assert re.search(r"qingxi\s+沿用", capsys.readouterr().err)
    edit(repo / "dossier/11-corrective.yml", "完成后验证。", "完成后复查。")  # the draft changed
    assert main(["portal", "build", str(repo), "-o", str(out), "-j", "1"]) == 0
    assert re.search(r"qingxi\s+已发布", capsys.readouterr().err)
