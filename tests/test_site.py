"""`dossier build`: the reviewer site from real MkDocs builds of the example and of hand-made dossiers."""

from __future__ import annotations

import csv
import hashlib
import html
import re
from collections import Counter
from pathlib import Path

import pytest
from conftest import REPO, edit

from safedossier.cli import main
from safedossier.format.schema import ELEMENTS
from safedossier.outputs.site.build import build


def tree_hash(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def text_of(page: Path) -> str:
    """Visible text of an HTML page, roughly: tags removed, entities decoded."""
    raw = page.read_text(encoding="utf-8")
    raw = re.sub(r"<script.*?</script>", "", raw, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", raw))


@pytest.fixture(scope="session")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("example") / "site"
    before = tree_hash(REPO / "dossier") | tree_hash(REPO / "data") | tree_hash(REPO / "evidence")
    res = build(REPO, out)
    assert res.ok, res.messages
    after = tree_hash(REPO / "dossier") | tree_hash(REPO / "data") | tree_hash(REPO / "evidence")
    assert before == after  # the build never writes into the dossier
    return out


def test_every_page_is_built(example_site: Path) -> None:
    for el in ELEMENTS:
        page = example_site / "elements" / el.filename[:-4] / "index.html"
        assert page.is_file(), page
        assert el.label in text_of(page)
    for rel in ("index.html", "statistics/index.html", "evidence/index.html",
                "pages/work-report/index.html", "assessment/index.html", "isccc/index.html", "sitemap.xml",
                "search/search_index.json"):
        assert (example_site / rel).is_file(), rel
    assert not (example_site / "format").exists()  # the format documentation is not for reviewers


def test_home_has_profile_figures_and_readiness(example_site: Path) -> None:
    text = text_of(example_site / "index.html")
    assert "清溪街道" in text and "2023–2025" in text and "全国安全社区" in text
    assert "要素完备情况" in text
    # one readiness badge per element
    raw = (example_site / "index.html").read_text(encoding="utf-8")
    assert len(re.findall(r'class="sd-badge sd-(complete|partial|missing)"', raw)) == 12


def test_hazard_register_marks_states(example_site: Path) -> None:
    raw = (example_site / "elements/03-risk/index.html").read_text(encoding="utf-8")
    with (REPO / "data").glob("hazards.*").__next__().open("rb"):
        pass
    assert "sd-hz-overdue" in raw and "sd-hz-closed" in raw and "sd-hz-supervised" in raw


def test_charts_are_svg_with_tables(example_site: Path) -> None:
    charts = sorted((example_site / "assets/charts").glob("*.svg"))
    assert len(charts) >= 8
    for c in charts:
        head = c.read_text(encoding="utf-8")[:400]
        assert "<svg" in head
    raw = (example_site / "statistics/index.html").read_text(encoding="utf-8")
    assert raw.count('class="sd-chart"') >= 8 and raw.count("<table>") >= 9


def test_no_external_urls_in_pages(example_site: Path) -> None:
    for page in example_site.rglob("*.html"):
        raw = page.read_text(encoding="utf-8")
        # resources the browser would fetch by itself (links a reader may click are fine)
        for url in re.findall(r'(?:\bsrc="|<link[^>]*href=")(https?:[^"]+|//[^"]+)"', raw):
            pytest.fail(f"{page}: external resource {url}")


def private_values() -> dict[str, set[str]]:
    with (REPO / "data/injuries.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    return {k: {r[k] for r in rows if r.get(k)} for k in ("name", "id_number", "phone")}


def test_private_columns_never_published(example_site: Path) -> None:
    values = private_values()
    assert len(values["name"]) > 1000 and len(values["id_number"]) > 1000 and len(values["phone"]) > 1000
    numbers = values["id_number"] | values["phone"]
    names = values["name"]
    for f in example_site.rglob("*"):
        if not f.is_file() or f.suffix in (".png", ".jpg", ".pdf", ".woff2", ".woff"):
            continue
        text = f.read_bytes().decode("utf-8", "ignore")
        found_numbers = set(re.findall(r"\d{11}|\d{17}[\dX]", text)) & numbers
        assert not found_numbers, (f, list(found_numbers)[:3])
        if f.suffix in (".html", ".json"):
            hits = {n for n in names if len(n) >= 3 and n in text}
            assert not hits, (f, list(hits)[:3])


def test_failed_build_writes_nothing(starter: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    assert build(starter, out).ok
    before = tree_hash(out)
    edit(starter / "data/injuries.csv", ",35,", ",150,")
    res = build(starter, out)
    assert not res.ok and any(d.code == "range" for d in res.diagnostics)
    assert tree_hash(out) == before  # the previous site is untouched
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary leftovers
    assert main(["build", str(starter), "-o", str(tmp_path / "other")]) == 1
    assert not (tmp_path / "other").exists()


def test_hostile_text_is_inert(starter: Path, tmp_path: Path) -> None:
    evil = '<img src=x onerror=alert(1)><script>alert(2)</script>[x](javascript:alert(3))'
    edit(starter / "dossier/01-organisation.yml", "summary: 街道成立安全社区促进委员会，下设办公室和工作组。",
         f"summary: '{evil}'")
    edit(starter / "data/trainings.csv", "老年人防跌倒讲座", evil.replace(",", " "))
    edit(starter / "dossier/pages/work-report.md", "## 主要做法", f"## 主要做法\n\n{evil}\n")
    out = tmp_path / "site"
    res = build(starter, out)
    assert res.ok, res.messages
    for page in out.rglob("*.html"):
        raw = page.read_text(encoding="utf-8")
        assert not re.search(r"<[a-z][^>]*\son\w+\s*=", raw, re.I), page  # no event handler attribute
        assert "<script>alert" not in raw, page
        assert not re.search(r"(?:href|src)\s*=\s*[\"']?\s*javascript:", raw, re.I), page
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in (out / "elements/01-organisation/index.html").read_text()


def test_dossier_mkdocs_yml_is_honoured(starter: Path, tmp_path: Path) -> None:
    (starter / "overrides").mkdir()
    (starter / "overrides/extra.css").write_text(".md-header { outline: 3px solid red; }\n", encoding="utf-8")
    (starter / "mkdocs.yml").write_text(
        "site_name: 东风街道档案\ntheme:\n  name: material\n  palette: {primary: indigo}\n"
        "extra_css: [overrides/extra.css]\nhooks: [evil.py]\nplugins: [evil]\n"
        "markdown_extensions:\n  - pymdownx.emoji:\n      emoji_index: !!python/name:material.extensions.emoji.twemoji\n",
        encoding="utf-8")
    out = tmp_path / "site"
    res = build(starter, out)
    assert res.ok, res.messages
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "<title>东风街道档案</title>" in index
    assert 'data-md-color-primary="indigo"' in index
    css = list((out / "assets/custom").glob("*extra.css"))
    assert css and "3px solid red" in css[0].read_text()


def test_english_catalog(starter: Path, tmp_path: Path) -> None:
    (starter / "mkdocs.yml").write_text("site_name: Example\nextra:\n  dossier:\n    lang: en\n", encoding="utf-8")
    out = tmp_path / "site"
    assert build(starter, out).ok
    text = text_of(out / "index.html")
    assert "Readiness of the elements" in text and "要素完备情况" not in text
    assert 'lang="en"' in (out / "index.html").read_text(encoding="utf-8")


def _statistics_table(page: Path, caption_heading: str) -> list[list[str]]:
    """Rows of the first table after a heading on the statistics page."""
    raw = page.read_text(encoding="utf-8")
    start = raw.index(caption_heading)
    table = raw[raw.index("<table>", start): raw.index("</table>", start)]
    rows = re.findall(r"<tr>(.*?)</tr>", table, flags=re.S)
    return [[html.unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", r, re.S)]
            for r in rows]


def test_statistics_match_an_independent_count(starter: Path, tmp_path: Path) -> None:
    """A hand-made injury table: the site's figures equal a count done here with Counter."""
    header = "编号,发生日期,性别,年龄,原因,地点,严重程度,结局\n"
    rows = [
        ("A1", "2025-01-03", "女", 81, "跌倒/坠落", "家中", "轻度", "处理后离院"),
        ("A2", "2025-02-11", "男", 34, "机动车车祸", "公路/街道", "中度", "住院"),
        ("A3", "2025-03-05", "女", 67, "跌倒/坠落", "公路/街道", "重度", "死亡"),
        ("A4", "2025-03-19", "男", 9, "跌倒/坠落", "学校和公共场所", "轻度", "处理后离院"),
        ("A5", "2025-06-30", "男", 45, "刀/锐器伤", "家中", "轻度", "处理后离院"),
        ("A6", "2025-07-02", "女", 15, "非机动车车祸", "公路/街道", "中度", "住院"),
        ("A7", "2025-08-08", "女", 14, "溺水", "其他", "重度", "住院"),
        ("A8", "2025-12-31", "男", 60, "跌倒/坠落", "家中", "轻度", "处理后离院"),
    ]
    # five of each, so that no group is under 5 and every figure is published (suppression: test_suppression)
    rows = [(f"{r[0]}{k}", *r[1:]) for r in rows for k in range(5)]
    (starter / "data/injuries.csv").write_text(
        header + "".join(",".join(map(str, r)) + "\n" for r in rows), encoding="utf-8")
    out = tmp_path / "site"
    res = build(starter, out)
    assert res.ok, res.messages
    page = out / "statistics/index.html"
    overview = _statistics_table(page, 'id="overview"')
    # year, cases, population, rate, change, deaths, death rate, hospitalised, share
    row = overview[1]
    n, pop = len(rows), 50000
    deaths = sum(r[7] == "死亡" for r in rows)
    hosp = sum(r[7] == "住院" for r in rows)
    assert row[:4] == ["2025", str(n), str(pop), f"{n / pop * 1000:.2f}"]
    assert row[5:] == [str(deaths), f"{deaths / pop * 100000:.2f}", str(hosp), f"{hosp / n * 100:.1f}%"]
    causes = Counter(r[4] for r in rows)
    # counts carry their share beside them, "20（50.0%）" (test_figures.py checks the shares)
    by_cause = {r[0]: r[1].split("（")[0] for r in _statistics_table(page, 'id="by-cause"')[1:]}
    assert by_cause == {c: str(k) for c, k in causes.items()}
    ages = Counter("0-14岁" if r[3] <= 14 else "15-59岁" if r[3] <= 59 else "60岁及以上" for r in rows)
    by_age = {r[0]: r[1].split("（")[0] for r in _statistics_table(page, 'id="by-age-group"')[1:]}
    assert by_age == {a: str(k) for a, k in ages.items()}
    places = Counter("学校与公共场所" if r[5] == "学校和公共场所" else r[5] for r in rows)
    assert {r[0]: r[1].split("（")[0] for r in _statistics_table(page, 'id="by-place"')[1:]} == {
        p: str(k) for p, k in places.items()}
    cross = _statistics_table(page, 'id="cause-by-age"')
    pairs = Counter((r[4], "0-14岁" if r[3] <= 14 else "15-59岁" if r[3] <= 59 else "60岁及以上") for r in rows)
    assert {(r[0], a): int(c.split("（")[0]) for r in cross[1:] for a, c in zip(cross[0][1:-1], r[1:-1], strict=True)
            } == {(c, a): pairs.get((c, a), 0) for c in causes for a in ages}
    assert cross[0][-1] == "合计" and {r[0]: r[-1].split("（")[0] for r in cross[1:]} == by_cause


def test_readiness_reports_what_is_lacking(starter: Path, tmp_path: Path) -> None:
    (starter / "data/drills.csv").unlink()
    edit(starter / "dossier/07-emergency.yml", "  revised: '2025-02-01'\n", "")
    out = tmp_path / "site"
    res = build(starter, out)
    assert res.ok, res.messages
    text = text_of(out / "elements/07-emergency/index.html")
    assert "要素完备情况：缺失" in text
    assert "1 个应急预案没有修订日期：YA01" in text and "2025 年没有应急演练" in text
    home = (out / "index.html").read_text(encoding="utf-8")
    row = re.search(r"7\. 应急预案和响应</a></td>\s*<td>(.*?)</td>", home, re.S)
    assert row and "sd-missing" in row.group(1)
