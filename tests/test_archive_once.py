"""An archive computes each version's statistics once: the site, the PDF and the change report of a
version read one result (`analyse.memo`), which is recomputed when its inputs change and freed with
its dossier (issue 17: an archive of large injury tables paid for them 2.5 times per version)."""

from __future__ import annotations

import gc
import weakref
from pathlib import Path
from typing import Any

import pytest
from conftest import make_repo

from safedossier.analyse import memo, stats
from safedossier.analyse.views import Views
from safedossier.archive.diff import diff_dossiers
from safedossier.archive.versions import build_archive
from safedossier.format.model import Dossier
from safedossier.format.validate import check


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
