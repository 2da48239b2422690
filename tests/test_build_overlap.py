"""`dossier build` with MkDocs warmed up (and the charts drawn) in a forked child (`mkchild.py`):
the very site an in-process build writes, a fallback when the child fails, no process left behind."""

from __future__ import annotations

import multiprocessing
import os
from pathlib import Path

import pytest
from conftest import copy_example

from safedossier.cli import main
from safedossier.outputs import charts
from safedossier.outputs.site import build as site_build
from safedossier.outputs.site import mkrun
from safedossier.outputs.site.build import build
from safedossier.outputs.site.mkchild import MkDocsChild

pytestmark = pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="needs fork")


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture
def example(tmp_path: Path) -> Path:
    return copy_example(tmp_path / "example")


@pytest.fixture
def cold(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Each call: an empty chart cache (on disk and in memory), so every chart is drawn afresh."""
    def fresh(name: str) -> None:
        monkeypatch.setenv("SAFEDOSSIER_CACHE", str(tmp_path / f"cache-{name}"))
        monkeypatch.setattr(charts, "_MEMO", {})
    return fresh


@pytest.fixture(scope="module")
def in_process(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """The example's site as an in-process build writes it, cold (built once for the module)."""
    root = tmp_path_factory.mktemp("in-process")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SAFEDOSSIER_CACHE", str(root / "cache"))
        mp.setattr(charts, "_MEMO", {})
        res = build(copy_example(root / "example"), root / "site")
    assert res.ok, res.messages
    return _tree(root / "site")


def _no_children() -> None:
    assert multiprocessing.active_children() == []


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def test_cli_build_through_the_child_writes_the_in_process_site(
        example: Path, tmp_path: Path, cold, in_process: dict[str, bytes], monkeypatch: pytest.MonkeyPatch) -> None:
    cold("child")
    started: list[MkDocsChild] = []
    init = MkDocsChild.__init__

    def start(self: MkDocsChild) -> None:
        init(self)
        started.append(self)
        # from here on a chart drawn in this process fails: the child draws every one of them
        monkeypatch.setitem(charts.DRAW, "bars", _fail)
        monkeypatch.setitem(charts.DRAW, "barh", _fail)

    monkeypatch.setattr(MkDocsChild, "__init__", start)
    assert main(["build", str(example), "-o", str(tmp_path / "site-child")]) == 0
    assert started and started[0]._charts > 0  # the charts were asked of the child
    assert started[0].segmented  # and the record titles segmented there
    assert _tree(tmp_path / "site-child") == in_process
    _no_children()


def _fail(*args: object) -> str:
    raise AssertionError("drawn in the parent")


def test_a_dead_child_falls_back_to_an_in_process_build(
        example: Path, tmp_path: Path, cold, in_process: dict[str, bytes]) -> None:
    cold("dead")
    with MkDocsChild() as mk:
        pid = mk._proc.pid
        mk._proc.kill()
        res = build(example, tmp_path / "site-dead", mkdocs=mk)
    assert res.ok, res.messages
    assert _tree(tmp_path / "site-dead") == in_process
    assert _gone(pid)
    _no_children()


def test_a_child_that_fails_to_draw_or_build_falls_back(
        example: Path, tmp_path: Path, cold, in_process: dict[str, bytes], monkeypatch: pytest.MonkeyPatch) -> None:
    """What the child raises (a chart, MkDocs itself) is redone in the parent, with the same result."""
    cold("failing")
    draw = dict(charts.DRAW)

    def broken(*args: object, **kwargs: object) -> list[str]:
        raise RuntimeError("child broke")

    monkeypatch.setitem(charts.DRAW, "bars", _fail)
    monkeypatch.setitem(charts.DRAW, "barh", _fail)
    monkeypatch.setattr(mkrun, "mkdocs_build", broken)  # what the child calls; build.py keeps its own
    with MkDocsChild() as mk:  # the child inherits the broken functions, the parent gets the real ones back
        charts.DRAW.update(draw)
        monkeypatch.setattr(mkrun, "mkdocs_build", site_build.mkdocs_build)
        res = build(example, tmp_path / "site-failing", mkdocs=mk)
    assert res.ok, res.messages
    assert _tree(tmp_path / "site-failing") == in_process
    _no_children()


def test_mkdocs_warnings_from_the_child_fail_the_build(example: Path, tmp_path: Path, cold,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Strict mode holds in the child: a page linking nowhere is a failed build, nothing written."""
    cold("strict")
    render = site_build.render_project

    def broken_link(*args: object, **kwargs: object) -> Path:
        cfg = render(*args, **kwargs)
        with (cfg.parent / "docs" / "index.md").open("a", encoding="utf-8") as fh:
            fh.write("\n[缺失](missing.md)\n")
        return cfg

    monkeypatch.setattr(site_build, "render_project", broken_link)
    with MkDocsChild() as mk:
        res = build(example, tmp_path / "site-strict", mkdocs=mk)
    assert not res.ok and any("missing.md" in m for m in res.messages), res.messages
    assert not (tmp_path / "site-strict").exists()
    _no_children()


def test_an_interrupted_build_leaves_no_process(example: Path, tmp_path: Path, cold,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    cold("interrupted")

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(site_build, "render_project", interrupted)
    with pytest.raises(KeyboardInterrupt), MkDocsChild() as mk:
        pid = mk._proc.pid
        build(example, tmp_path / "site-interrupted", mkdocs=mk)
    assert _gone(pid)
    assert not (tmp_path / "site-interrupted").exists()
    _no_children()
