"""Shared fixtures: a fresh starter dossier per test, and a way to run `dossier check`."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from safedossier.cli import main
from safedossier.init import write_starter

REPO = Path(__file__).resolve().parents[1]
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
