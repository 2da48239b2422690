"""Integrity: manifest and `dossier verify`, reproducible builds, read-only sources."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import edit

from safedossier.cli import main
from safedossier.site import build


def tree(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_manifest_lists_every_source_with_its_hash(starter: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    assert build(starter, out).ok
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    paths = {e["path"]: e for e in manifest["files"]}
    assert "dossier/community.yml" in paths and "data/injuries.csv" in paths
    assert "evidence/01-organisation/committee.txt" in paths and "dossier/pages/work-report.md" in paths
    entry = paths["data/injuries.csv"]
    data = (starter / "data/injuries.csv").read_bytes()
    assert entry == {"path": "data/injuries.csv", "sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
    assert manifest["commit"] == "working tree" and manifest["tool"] == "safedossier"


def test_verify_reports_changed_missing_and_extra(starter: Path, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "site"
    assert build(starter, out).ok
    assert main(["verify", str(out), str(starter)]) == 0
    edit(starter / "data/trainings.csv", "60", "61")
    (starter / "evidence/03-risk/diagnosis.txt").unlink()
    (starter / "dossier/pages/new.md").write_text("# 新页面\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["verify", str(out), str(starter)]) == 1
    err = capsys.readouterr().err
    assert "data/trainings.csv：内容不一致" in err
    assert "evidence/03-risk/diagnosis.txt：来源中缺少此文件" in err
    assert "dossier/pages/new.md：来源中多出此文件" in err


def test_verify_against_a_git_ref(starter: Path, tmp_path: Path) -> None:
    run = lambda *a: subprocess.run(["git", "-C", str(starter), *a], check=True, capture_output=True)  # noqa: E731
    run("init", "-q")
    run("add", "-A")
    run("-c", "user.name=o", "-c", "user.email=o@x.invalid", "commit", "-qm", "v")
    run("tag", "v2025")
    out = tmp_path / "site"
    assert build(starter, out).ok
    head = subprocess.run(["git", "-C", str(starter), "rev-parse", "HEAD"], capture_output=True, text=True).stdout
    assert json.loads((out / "manifest.json").read_text())["commit"] == head.strip()
    assert main(["verify", str(out), "v2025", "--repo", str(starter)]) == 0
    edit(starter / "data/trainings.csv", "60", "61")  # the working tree differs, the tag does not
    assert main(["verify", str(out), "v2025", "--repo", str(starter)]) == 0
    assert main(["verify", str(out), str(starter)]) == 1


def test_two_builds_are_byte_identical(starter: Path, tmp_path: Path) -> None:
    a, b = tmp_path / "a" / "site", tmp_path / "b" / "elsewhere"
    assert build(starter, a).ok
    assert build(starter, b).ok
    assert tree(a) == tree(b)


def test_no_command_writes_into_the_dossier(starter: Path, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    before = tree(starter)
    mtimes = {p: p.stat().st_mtime_ns for p in starter.rglob("*")}
    modes = {p: p.stat().st_mode for p in [starter, *starter.rglob("*")]}
    for p in modes:  # a read-only copy (root ignores the bits; the hashes are the real check)
        p.chmod(p.stat().st_mode & ~0o222)
    try:
        other = tmp_path / "other"
        shutil.copytree(starter, other)
        assert main(["check", str(starter)]) == 0
        assert main(["build", str(starter), "-o", str(tmp_path / "site")]) == 0
        assert main(["verify", str(tmp_path / "site"), str(starter)]) == 0
        assert main(["pdf", str(starter), "-o", str(tmp_path / "d.pdf")]) == 0
        assert main(["diff", str(starter), str(other)]) == 0
        assert main(["schema", "-o", str(tmp_path / "format.md")]) == 0
        assert main(["init", str(tmp_path / "new")]) == 0
    finally:
        for p, mode in modes.items():
            p.chmod(mode)
    assert tree(starter) == before
    assert {p: p.stat().st_mtime_ns for p in starter.rglob("*")} == mtimes
    assert sorted(p.name for p in starter.iterdir()) == [".gitignore", "data", "dossier", "evidence", "mkdocs.yml"]


def test_interrupted_build_leaves_the_previous_site(starter: Path, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    import safedossier.site as site_module

    out = tmp_path / "site"
    assert build(starter, out).ok
    before = tree(out)
    edit(starter / "dossier/11-corrective.yml", "完成后验证。", "完成后复查。")

    def interrupted(*args: object, **kwargs: object) -> list[str]:
        raise KeyboardInterrupt  # Ctrl-C in the middle of MkDocs

    monkeypatch.setattr(site_module, "mkdocs_build", interrupted)
    with pytest.raises(KeyboardInterrupt):
        build(starter, out)
    assert tree(out) == before
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".")]  # no half-built leftovers
