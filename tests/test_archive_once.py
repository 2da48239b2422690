"""An archive computes each version's statistics once: the site, the PDF and the change report of a
version read one result (`analyse.memo`), which is recomputed when its inputs change and freed with
its dossier (issue 17: an archive of large injury tables paid for them 2.5 times per version). And
`dossier build --archive` has one MkDocs child take every version's snapshot, draw its charts and
build its site while the parent renders and privacy-checks: the very archive an in-process build writes."""

from __future__ import annotations

import gc
import multiprocessing
import weakref
from pathlib import Path
from typing import Any

import pytest
from conftest import make_repo

from safedossier.analyse import memo, stats
from safedossier.analyse.views import Views
from safedossier.archive import snapshot
from safedossier.archive.diff import diff_dossiers
from safedossier.archive.versions import build_archive
from safedossier.cli import main
from safedossier.format.model import Dossier
from safedossier.format.validate import check
from safedossier.outputs import charts
from safedossier.outputs.site.mkchild import MkDocsChild


def _load(path: Path) -> Dossier:
    d = check(path).dossier
    assert d is not None
    return d


@pytest.fixture
def computations(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the injury statistics actually computed: `age_groups` runs once in each computation."""
    calls: list[int] = []
    real = stats.age_groups

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(stats, "age_groups", counted)
    return calls


def test_archive_computes_injury_statistics_once_per_version(tmp_path: Path, computations: list[int]) -> None:
    repo = make_repo(tmp_path / "repo")
    res = build_archive(repo, tmp_path / "site", draft=False)
    assert res.ok and sorted(res.built) == ["2023", "2024", "2025"]
    # each version's site and its change report against the version before share one computation
    assert len(computations) == 3
    changes = (tmp_path / "site/2024/changes/index.html").read_text(encoding="utf-8")
    assert "2023年度提交稿" in changes


def test_change_report_reads_the_statistics_the_site_shows(starter: Path, computations: list[int]) -> None:
    old, new = _load(starter), _load(starter)
    diff_dossiers(old, new)
    assert len(computations) == 2
    assert Views(new).inj is stats.injury_stats(new)
    assert Views(old).statistics()["acc_rows"] is stats.accident_stats(old)[0]
    assert len(computations) == 2


def test_swapped_table_or_cycle_is_computed_again(starter: Path) -> None:
    d = _load(starter)
    first = stats.injury_stats(d)
    assert first.total
    d.tables["injuries"] = d.tables["injuries"].iloc[:0]
    assert stats.injury_stats(d).total == 0
    d.cycle = (d.cycle[0] - 1, d.cycle[1])
    assert stats.injury_stats(d).years == d.years != first.years


def test_results_are_freed_with_their_dossier(starter: Path) -> None:
    d = _load(starter)
    result = weakref.ref(stats.injury_stats(d))
    key = id(d)
    assert key in memo._MEMO and result() is not None
    del d
    gc.collect()
    assert result() is None and key not in memo._MEMO


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _fail(*args: object) -> str:
    raise AssertionError("drawn in the parent")


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="needs fork")
def test_cli_archive_through_one_child_writes_the_in_process_archive(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = make_repo(tmp_path / "repo")
    monkeypatch.setenv("SAFEDOSSIER_CACHE", str(tmp_path / "cache-in-process"))
    monkeypatch.setattr(charts, "_MEMO", {})
    assert build_archive(repo, tmp_path / "in-process", draft=False).ok
    in_process = _tree(tmp_path / "in-process")

    monkeypatch.setenv("SAFEDOSSIER_CACHE", str(tmp_path / "cache-child"))  # every chart drawn afresh
    monkeypatch.setattr(charts, "_MEMO", {})
    started: list[MkDocsChild] = []
    init = MkDocsChild.__init__

    def start(self: MkDocsChild, persistent: bool = False) -> None:
        init(self, persistent)
        started.append(self)
        monkeypatch.setitem(charts.DRAW, "bars", _fail)  # from here on the child draws every chart
        monkeypatch.setitem(charts.DRAW, "barh", _fail)
        monkeypatch.setattr(snapshot, "snapshot", _fail)  # and takes every snapshot: no git from here

    monkeypatch.setattr(MkDocsChild, "__init__", start)
    assert main(["build", str(repo), "--archive", "--no-draft", "-o", str(tmp_path / "child")]) == 0
    assert len(started) == 1 and started[0]._charts > 0  # one child for the three versions
    assert started[0].segmented  # the last version's record titles were segmented there
    assert _tree(tmp_path / "child") == in_process
    assert multiprocessing.active_children() == []


def test_the_guards_index_is_freed_with_its_table(starter: Path) -> None:
    """The privacy guard's index of a version's injury table goes with that table, not when the next
    version builds its own (an archive would hold two 500,000-row indexes at once)."""
    from safedossier.trust import guard

    d = _load(starter)
    guard.Guard(d)
    key = id(d.tables["injuries"])
    assert key in guard._INDEXES
    del d
    gc.collect()
    assert key not in guard._INDEXES


def test_evidence_is_parsed_once_per_content_and_never_stale(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every version of an archive scans the same evidence: a PDF's text is extracted once per
    distinct bytes, and a PDF that differs in one word gives that word."""
    import typst

    from safedossier.trust import extract

    def pdf(word: str) -> bytes:
        (tmp_path / "e.typ").write_text(f"#set text(font: \"Noto Sans CJK SC\")\n入户走访记录 {word}\n", encoding="utf-8")
        return typst.compile(str(tmp_path / "e.typ"))

    parsed: list[bytes] = []
    real = extract._pdf_texts

    def counting(data: bytes) -> Any:
        parsed.append(data)
        return real(data)

    monkeypatch.setattr(extract, "_pdf_texts", counting)
    first, other = pdf("张三丰"), pdf("李四光")
    texts = ["".join(t for _, t, _ in extract.texts(first)) for _ in range(3)]
    assert len(parsed) == 1 and all("张三丰" in t for t in texts)
    again = "".join(t for _, t, _ in extract.texts(other))
    assert len(parsed) == 2 and "李四光" in again and "张三丰" not in again
