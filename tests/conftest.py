"""Shared fixtures: a fresh starter dossier per test, and a way to run `dossier check`."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import settings

from safedossier.cli import main
from safedossier.format.starter import write_starter

REPO = Path(__file__).resolve().parents[1]

# CI runs the property tests on the same examples every time, so a red run is the change's doing and
# can be repeated; local runs (and `pytest -m nightly`) keep drawing new examples and find new bugs.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")
STARTER_YEAR = 2025


@pytest.fixture(scope="session")
def _starter_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("starter") / "dossier"
    assert write_starter(path, year=STARTER_YEAR) is None
    return path


@pytest.fixture
def starter(_starter_template: Path, tmp_path: Path) -> Path:
    """A valid starter dossier (cycle 2025) the test may break."""
    path = tmp_path / "d"
    shutil.copytree(_starter_template, path)
    return path


def run_check(path: Path, capsys: pytest.CaptureFixture[str], lang: str = "zh") -> tuple[int, dict]:
    """Run `dossier check --format json` in-process: (exit code, parsed report)."""
    capsys.readouterr()
    rc = main(["check", str(path), "--format", "json", "--lang", lang])
    out = capsys.readouterr().out
    return rc, json.loads(out)


def find(report: dict, code: str, file: str | None = None) -> list[dict]:
    """Diagnostics of one code (optionally in one file)."""
    return [d for d in report["diagnostics"] if d["code"] == code and (file is None or d["file"] == file)]


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    """Replace text in a dossier file, failing loudly when the text is not there."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def git(repo: Path, *args: str, date: str | None = None) -> str:
    env = dict(os.environ, GIT_AUTHOR_NAME="办公室", GIT_AUTHOR_EMAIL="office@example.invalid",
               GIT_COMMITTER_NAME="办公室", GIT_COMMITTER_EMAIL="office@example.invalid")
    if date:
        env.update(GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date)
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True,
                          env=env).stdout


EXAMPLE_PARTS = ("data", "dossier", "evidence", "overrides")  # with mkdocs.yml: the example dossier


def copy_example(root: Path) -> Path:
    """A copy of the repository's example dossier (mkdocs.yml names the logo and CSS in overrides/)."""
    import shutil

    for name in EXAMPLE_PARTS:
        shutil.copytree(REPO / name, root / name)
    shutil.copy2(REPO / "mkdocs.yml", root / "mkdocs.yml")
    return root


def make_repo(path: Path) -> Path:
    """A git repository with three yearly submissions tagged v2023, v2024, v2025 (annotated, titled)."""
    write_starter(path, year=2025)
    git(path, "init", "-q", "-b", "main")
    for n, year in enumerate((2023, 2024, 2025)):
        if n:
            edit(path / "dossier/11-corrective.yml", f"（{year - 1}）", f"（{year}）")
        else:
            edit(path / "dossier/11-corrective.yml", "完成后验证。", f"完成后验证。（{year}）")
        with (path / "data/members.csv").open("a", encoding="utf-8") as fh:
            fh.write(f"M{year},新成员{year},示例街道办事处,干事,委员,committee,{2025}-03-01,\n")
        git(path, "add", "-A")
        git(path, "commit", "-q", "-m", f"{year} submission", date=f"{year}-12-20T10:00:00+08:00")
        git(path, "tag", "-a", f"v{year}", "-m", f"{year}年度提交稿", date=f"{year}-12-20T10:00:00+08:00")
    return path


@contextmanager
def serving(root: Path, interval: float = 0.2) -> Iterator[int]:
    """`dossier serve` of `root` in a thread on a free port of 127.0.0.1; yields the port."""
    from safedossier.outputs.site.serve import serve

    ports: list[int] = []
    stop = threading.Event()
    t = threading.Thread(target=serve, kwargs=dict(root=root, port=0, interval=interval,
                                                   on_ready=ports.append, stop=stop), daemon=True)
    t.start()
    deadline = time.monotonic() + 60
    while not ports and time.monotonic() < deadline:
        time.sleep(0.05)
    assert ports, "serve did not start"
    try:
        yield ports[0]
    finally:
        stop.set()
        t.join(timeout=20)
