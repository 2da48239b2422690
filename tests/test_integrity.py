"""Integrity: manifest and `dossier verify`, reproducible builds, read-only sources."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import edit
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safedossier.cli import main
from safedossier.outputs.site.build import build


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


DANGEROUS = (".", "..", "dossier", "data", "evidence", "mkdocs.yml", "data/x", "dossier/pages/new",
             "evidence/01-organisation", "overrides", "link-data", "link-root", "link-up/d", ".gitignore")


def test_no_command_writes_into_the_dossier(starter: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    for name, to in {"link-data": "data", "link-root": ".", "link-up": ".."}.items():
        (tmp_path / name).symlink_to(starter / to)
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
        monkeypatch.chdir(starter)  # then every command with an -o into, at or above the sources
        for rel in DANGEROUS:
            out = str(tmp_path / rel) if rel.startswith("link-") else rel
            for argv in (["build", "-o", out], ["build", "--archive", "-o", out], ["build", "--project", out],
                         ["pdf", "-o", out], ["schema", "-o", out], ["init", out], ["init", out, "--force"]):
                assert main(argv) == 2, argv
        assert "Traceback" not in capsys.readouterr().err
    finally:
        for p, mode in modes.items():
            p.chmod(mode)
    assert tree(starter) == before
    assert {p: p.stat().st_mtime_ns for p in starter.rglob("*")} == mtimes
    assert sorted(p.name for p in starter.iterdir()) == [".gitignore", "data", "dossier", "evidence", "mkdocs.yml"]


def test_interrupted_build_leaves_the_previous_site(starter: Path, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    import safedossier.outputs.site.build as site_module

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


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(parts=st.lists(st.sampled_from([".", "..", "dossier", "data", "evidence", "pages", ".git", "x", "site",
                                       "link-data", "link-up", "link-git", "prev", "other"]), min_size=1, max_size=3),
       argv=st.sampled_from([["build", "-o"], ["build", "--archive", "-o"], ["build", "--project"],
                             ["pdf", "-o"], ["schema", "-o"], ["init"], ["init", "--force"]]))
def test_no_output_path_changes_a_source(starter: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                         capsys: pytest.CaptureFixture[str], parts: list[str],
                                         argv: list[str]) -> None:
    """Any -o (symlinks, `..`, `.git`, earlier outputs, foreign folders), run through the real CLI:
    the sources stay byte-identical, and the command either exits 2 or wrote only where it was allowed
    (builds and PDFs judged allowed are not run here: a handful of real ones are above)."""
    from safedossier.trust.targets import STAMP, OutputError, judge

    if not (starter / ".git").exists():
        subprocess.run(["git", "init", "-q", str(starter)], check=True)
        (tmp_path / "prev").mkdir()
        (tmp_path / "prev" / STAMP).write_text('{"tool": "safedossier", "kind": "site"}', encoding="utf-8")
        (tmp_path / "other").mkdir()
        (tmp_path / "other" / "keep.txt").write_text("keep", encoding="utf-8")
        for name, to in {"link-data": "data", "link-up": "..", "link-git": ".git"}.items():
            (starter / name).symlink_to(to)
    sources = {k: v for k, v in tree(starter).items() if k.split("/")[0] in ("mkdocs.yml", "dossier", "data",
                                                                               "evidence", ".gitignore")}
    rel = str(Path(*parts))
    monkeypatch.chdir(starter)
    kind = {"build": "archive" if "--archive" in argv else "project" if "--project" in argv else "site",
            "pdf": "pdf", "schema": "text", "init": "dossier"}[argv[0]]
    try:
        judge(Path(rel), kind, starter, force="--force" in argv)
        allowed = True
    except OutputError:
        allowed = False
    if allowed and argv[0] in ("build", "pdf"):
        return
    full = [*argv, rel] if argv[0] == "init" and len(argv) == 1 else (
        ["init", rel, "--force"] if argv[0] == "init" else [*argv, rel])
    rc = main(full)
    assert rc == (0 if allowed else 2), (full, capsys.readouterr().err)
    assert "Traceback" not in capsys.readouterr().err
    assert {k: v for k, v in tree(starter).items() if k in sources} == sources
    assert (tmp_path / "other" / "keep.txt").read_text(encoding="utf-8") == "keep"
