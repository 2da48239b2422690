"""`dossier diff` checks its two dossiers on two cores (`safedossier.forked`): what it says must be
exactly what one process says, whatever happens to the child."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest
from conftest import copy_example, edit

from safedossier.cli import main
from safedossier.forked import Forked
from safedossier.format import tablecache


def _die_in_child(parent: int) -> str:
    if os.getpid() != parent:
        os.kill(os.getpid(), signal.SIGKILL)
    return f"computed in {os.getpid()}"


def test_a_child_that_dies_is_computed_here() -> None:
    with Forked(_die_in_child, os.getpid()) as job:
        assert job.result() == f"computed in {os.getpid()}"


def test_what_the_child_raises_is_raised_here() -> None:
    with Forked(int, "十二") as job, pytest.raises(ValueError, match="十二"):
        job.result()


def test_the_child_really_computes_it() -> None:
    with Forked(os.getpid) as job:
        assert job.result() != os.getpid()


def test_a_parallel_diff_says_what_a_sequential_one_says(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    """The report, byte for byte, with and without the second process; and the old version's tables,
    checked by the child, are in the cache afterwards (its writer thread finished before it exited)."""
    old, new = copy_example(tmp_path / "old"), copy_example(tmp_path / "new")
    edit(new / "data/actions.csv", "清理杂物，纳入物业日常巡查", "清理杂物和电动车，纳入物业日常巡查")
    monkeypatch.setenv("SAFEDOSSIER_CACHE", str(tmp_path / "one"))
    assert main(["check", str(new)]) == 0
    monkeypatch.setenv("SAFEDOSSIER_CACHE", str(tmp_path / "cache"))
    assert main(["diff", str(old), str(new), "--format", "json"]) == 0
    parallel = capsys.readouterr().out
    one, both = (sorted(p.name for p in (tmp_path / c / tablecache.KIND).rglob("*") if p.is_file())
                 for c in ("one", "cache"))
    assert len(both) == len(one) + 1 and set(one) < set(both)  # + the old actions table, the child's
    monkeypatch.setenv("SAFEDOSSIER_CACHE", "off")
    monkeypatch.setattr("safedossier.forked.os.fork", _no_fork, raising=True)
    assert main(["diff", str(old), str(new), "--format", "json"]) == 0
    assert capsys.readouterr().out == parallel and "A-2025-02" in parallel


def _no_fork() -> int:
    raise OSError("no fork in this test")


def test_a_broken_old_version_is_still_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old, new = copy_example(tmp_path / "old"), copy_example(tmp_path / "new")
    (old / "dossier/community.yml").write_text("name: [\n", encoding="utf-8")
    assert main(["diff", str(old), str(new)]) == 1
    err = capsys.readouterr().err
    assert f"{old}：档案有错误，无法比较" in err and "dossier/community.yml" in err


def test_the_old_sides_statistics_come_back_from_the_child(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    """The child checks and counts the old version; this process counts only the new one."""
    from safedossier.analyse import stats

    old, new = copy_example(tmp_path / "old"), copy_example(tmp_path / "new")
    computed: list[int] = []
    real = stats.population
    monkeypatch.setattr(stats, "population", lambda d: computed.append(os.getpid()) or real(d))
    monkeypatch.setenv("SAFEDOSSIER_CACHE", "off")
    assert main(["diff", str(old), str(new), "--format", "json"]) == 0
    assert computed.count(os.getpid()) == 1
    capsys.readouterr()
