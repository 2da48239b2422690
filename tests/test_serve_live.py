"""`dossier serve` rebuilds only what an edit changed — real server, real files, a copy of the example.

What is served after edits must be byte for byte what a full `dossier build` of the same files
writes (search index included), files an edit does not touch must stay as they were (same inode,
same time), and the guard and the diagnostics must work as on a full build.
"""

from __future__ import annotations

import http.client
import json
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import copy_example, edit, serving

from safedossier.outputs.site.build import build

PAGE = "/elements/11-corrective/"
YAML_VALUE = "周期内共提出措施32项"  # in dossier/11-corrective.yml, shown on PAGE
CSV_VALUE = "排水沟堵塞"  # a cell of data/actions.csv, shown on PAGE
INJURED = "魏海强"  # a name in data/injuries.csv: never published
# what an edit of 11-corrective.yml or actions.csv may rewrite; every other file must stay as it was
TOUCHED = {"elements/11-corrective/index.html", "timeline/index.html",  # the 建设历程 lists every action
           "search/search_index.json", "manifest.json", "summary.json"}


def get(port: int, path: str) -> str:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path)
        return conn.getresponse().read().decode("utf-8")
    finally:
        conn.close()


def wait_for(cond: object, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if cond():  # type: ignore[operator]
            return
        time.sleep(0.1)
    raise AssertionError("timed out waiting for the served site to change")


@pytest.fixture
def example(tmp_path: Path) -> Path:
    root = tmp_path / "example"
    copy_example(root)
    return root


@pytest.fixture
def live(example: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[int, Path]]:
    """The example served; yields (port, the folder the server serves)."""
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp))
    with serving(example) as port:
        sites = list(tmp.glob("dossier-serve-*/site"))
        assert len(sites) == 1, sites
        yield port, sites[0]


def files_of(site: Path) -> dict[str, tuple[int, int]]:
    return {p.relative_to(site).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
            for p in site.rglob("*") if p.is_file() and not p.name.startswith(".")}


def test_edits_reach_the_page_and_only_the_files_they_change(live: tuple[int, Path], example: Path,
                                                              tmp_path: Path) -> None:
    port, site = live
    before = files_of(site)
    assert "statistics/index.html" in before and "elements/01-organisation/index.html" in before
    edit(example / "dossier/11-corrective.yml", YAML_VALUE, YAML_VALUE + "（已更新）")
    wait_for(lambda: YAML_VALUE + "（已更新）" in get(port, PAGE))
    edit(example / "data/actions.csv", CSV_VALUE, CSV_VALUE + "并积水")
    wait_for(lambda: CSV_VALUE + "并积水" in get(port, PAGE))
    after = files_of(site)
    assert after.keys() == before.keys()
    untouched = {rel for rel in before if rel not in TOUCHED}
    assert {rel for rel in untouched if after[rel] != before[rel]} == set()
    assert all(after[rel] != before[rel] for rel in TOUCHED)
    # an injury recoded: the statistics (kept between rebuilds while their tables are the same) follow
    stats_page = get(port, "/statistics/")
    edit(example / "data/injuries.csv", ",机动车车祸,公路/街道,", ",跌倒/坠落,公路/街道,", count=40)
    wait_for(lambda: get(port, "/statistics/") != stats_page)  # the next build is served
    assert files_of(site)["statistics/index.html"] != after["statistics/index.html"]
    # what is served is what a full build of the same files writes: every page in the search index
    full = tmp_path / "full"
    assert build(example, full).ok
    fresh = {p.relative_to(full).as_posix(): p.read_bytes() for p in full.rglob("*")
             if p.is_file() and p.name != ".safedossier-output"}  # the marker of a build's output
    assert fresh.keys() == after.keys()
    assert [rel for rel in sorted(fresh) if (site / rel).read_bytes() != fresh[rel]] == []
    index = json.loads(get(port, "/search/search_index.json"))
    pages = {doc["location"].split("#")[0] for doc in index["docs"]}
    html_pages = {rel[:-len("index.html")] for rel in after if rel.endswith("index.html")}
    assert pages == html_pages
    assert any(CSV_VALUE in doc["text"].replace("\u200b", "") for doc in index["docs"])


def test_a_private_value_typed_in_is_never_served(live: tuple[int, Path], example: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    port, site = live
    err: list[str] = []

    def failed(n: int) -> bool:
        err.append(capsys.readouterr().err)
        return "".join(err).count("build failed") >= n

    edit(example / "dossier/11-corrective.yml", YAML_VALUE, f"{YAML_VALUE}，{INJURED}家门口的排水沟")
    wait_for(lambda: failed(1))
    # another edit while the name is still there: the page that holds it is checked again, not let through
    edit(example / "data/actions.csv", CSV_VALUE, CSV_VALUE + "并积水")
    wait_for(lambda: failed(2))
    for path in (PAGE, "/", "/search/search_index.json"):
        assert INJURED not in get(port, path)
    assert not [p for p in site.rglob("*") if p.is_file() and INJURED.encode() in p.read_bytes()]
    assert "发布内容中含有个人信息" in "".join(err)  # the guard's own words, in the terminal
    assert "privacy guard" in get(port, PAGE)  # the page says it is not the latest, without the value
    edit(example / "dossier/11-corrective.yml", f"，{INJURED}家门口的排水沟", "")
    wait_for(lambda: CSV_VALUE + "并积水" in get(port, PAGE))
    assert "sd-serve-problem" not in get(port, PAGE)


def test_an_invalid_edit_shows_its_diagnostics_until_it_is_fixed(live: tuple[int, Path], example: Path) -> None:
    port, _ = live
    path = example / "dossier/11-corrective.yml"
    good = path.read_text(encoding="utf-8")
    path.write_text(good.replace("summary: |", "summary: [未闭合", 1), encoding="utf-8")
    wait_for(lambda: "sd-serve-problem" in get(port, PAGE))
    page = get(port, PAGE)
    assert "11-corrective.yml" in page and "YAML" in page  # the diagnostic itself, not only "failed"
    assert "sd-serve-problem" in get(port, "/statistics/")  # on every page: none pretends all is well
    path.write_text(good.replace(YAML_VALUE, YAML_VALUE + "（已修正）"), encoding="utf-8")
    wait_for(lambda: YAML_VALUE + "（已修正）" in get(port, PAGE))
    assert "sd-serve-problem" not in get(port, PAGE)


def test_a_dossier_invalid_from_the_start_serves_its_diagnostics(example: Path) -> None:
    (example / "dossier/community.yml").write_text("name: [\n", encoding="utf-8")
    with serving(example) as port:
        page = get(port, "/")
        assert "sd-serve-problem" in page and "community.yml" in page
