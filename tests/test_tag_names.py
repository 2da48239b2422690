"""Issue 11 class 8: every git tag either builds into a folder of its own or is skipped with a message."""

from __future__ import annotations

import functools
import json
import subprocess
import unicodedata
from pathlib import Path

import pytest
from conftest import edit, git, make_repo
from hypothesis import given, settings
from hypothesis import strategies as st

from safedossier.archive.versions import build_archive


@functools.cache
def git_valid(tag: str) -> bool:
    return subprocess.run(["git", "check-ref-format", f"refs/tags/{tag}"], capture_output=True).returncode == 0


def fold(name: str) -> str:
    return unicodedata.normalize("NFC", name).casefold()


# Characters that make names collide or look like something else: separators, case, dots,
# v-prefixes, CJK, a decomposed é, and the reserved words themselves.
PIECES = st.sampled_from(["v", "V", "2025", "1", "+", "-", ".", "_", "/", "年", "é", "e\u0301", "draft",
                          "latest", "assets", "search", "versions.json", "index.html", "con", "x", "X",
                          "@", "#", "%", "v2025", "a" * 70])
TAGS = st.lists(st.lists(PIECES, min_size=1, max_size=5).map("".join), min_size=1, max_size=8)

RESERVED = {"draft", "latest", "assets", "search", "versions.json", "index.html"}


@settings(max_examples=150, deadline=None)
@given(TAGS)
def test_version_names_are_injective_safe_and_never_reserved(raw: list[str]) -> None:
    from safedossier.archive.tagnames import version_names

    tags = {t for t in raw if git_valid(t)}
    names = version_names(tags)
    assert set(names) == tags
    assert len({fold(n) for n in names.values()}) == len(tags)  # even on Windows and macOS
    for tag, name in names.items():
        assert name and "/" not in name and "\\" not in name and not name.startswith(".")
        assert fold(name) not in RESERVED, (tag, name)
        assert len(name.encode()) < 255
    # a name that is plain and unique is kept, so published links stay put
    if "v2025" in tags and not {t for t in tags if fold(t.removeprefix("v")) == "2025"} - {"v2025"}:
        assert names["v2025"] == "2025"


# separators that become alike, the working tree's folder, the archive's own file, case-folding,
# CJK, and a name longer than any readable folder name should be
ODD = ["v2025+1", "v2025-1", "draft", "versions.json", "vX", "v2024", "vx", "v2025年", "x" * 150]


def test_odd_tags_each_build_into_their_own_folder_or_are_skipped_by_name(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r")  # v2023, v2024, v2025
    git(repo, "tag", "-d", "v2025")
    git(repo, "tag", "-d", "v2023")
    commits = [git(repo, "rev-parse", f"HEAD~{n}").strip() for n in (0, 1, 2)]  # 2025, 2024, 2023
    for n, tag in enumerate(ODD):
        if tag != "v2024":
            git(repo, "tag", tag, commits[n % 3])
    git(repo, "tag", "vblob", git(repo, "hash-object", "-w", "mkdocs.yml").strip())
    git(repo, "tag", "vtree", "HEAD^{tree}")
    edit(repo / "dossier/11-corrective.yml", "（2025）", "（工作区草稿）")
    site = tmp_path / "site"

    res = build_archive(repo, site, pattern="*")
    assert not res.ok and not site.exists()  # two tags cannot be built: nothing is published
    assert "vblob" in res.messages[-1] or "vtree" in res.messages[-1]

    res = build_archive(repo, site, pattern="*", keep_going=True)
    assert res.ok
    failed = {vr.version.ref: " ".join(vr.messages) for vr in res.failed}
    assert set(failed) == {"vblob", "vtree"}
    assert all(f"tag {tag} does not point at a commit" in msg and "不指向提交" in msg for tag, msg in failed.items())
    published = {vr.version.ref: vr.version.name for vr in res.versions if not vr.skipped}
    assert set(published) == {*ODD, None}
    assert len({fold(n) for n in published.values()}) == len(published)
    entries = json.loads((site / "versions.json").read_text(encoding="utf-8"))
    assert sorted(e["version"] for e in entries) == sorted(published.values())
    for tag, name in published.items():
        assert (site / name / "index.html").is_file(), (tag, name)
    assert published["v2025-1"] == "2025-1" and published["v2025+1"] != "2025-1"
    assert published[None] == "draft" and published["draft"] != "draft"
    assert "（工作区草稿）" in (site / "draft/elements/11-corrective/index.html").read_text(encoding="utf-8")
    assert "（工作区草稿）" not in (site / published["draft"] / "elements/11-corrective/index.html").read_text(
        encoding="utf-8")
    # the archive's own files are the archive's, not a tag's
    assert isinstance(entries, list) and (site / "index.html").read_text(encoding="utf-8").startswith("<!doctype")
    assert published["v2025年"] == "2025年" and published["vX"] != published["vx"]
    assert fold(published["vX"]) != fold(published["vx"]) and len(published["x" * 150]) < 80


@pytest.mark.parametrize("cmd", [["--keep-going"], []])
def test_cli_names_each_skipped_tag(tmp_path: Path, capsys: pytest.CaptureFixture[str], cmd: list[str]) -> None:
    from safedossier.cli import main

    repo = make_repo(tmp_path / "r")
    git(repo, "tag", "vblob", git(repo, "hash-object", "-w", "mkdocs.yml").strip())
    capsys.readouterr()
    rc = main(["build", str(repo), "--archive", "--no-draft", "-o", str(tmp_path / "site"), *cmd])
    err = capsys.readouterr().err
    assert "tag vblob does not point at a commit" in err
    if cmd:
        assert rc == 0 and "WARNING: incomplete archive, 1 version(s)" in err and "vblob → vblob" in err
    else:
        assert rc == 1 and "archive not written: version vblob" in err and not (tmp_path / "site").exists()
