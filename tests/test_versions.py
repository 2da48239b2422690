"""The versioned archive, on real git repositories made in temporary directories."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import edit, git, make_repo

from safedossier.init import write_starter
from safedossier.versions import build_archive, list_versions


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_repo(tmp_path_factory.mktemp("repo") / "dossier")


def state(repo: Path) -> tuple[str, str, str]:
    return git(repo, "status", "--porcelain"), git(repo, "rev-parse", "HEAD"), git(repo, "ls-files", "-s")


def test_versions_listed_newest_first(repo: Path) -> None:
    names = [(v.name, v.title, v.ref) for v in list_versions(repo)]
    assert names[0][0] == "draft" and names[0][2] is None
    assert names[1:] == [("2025", "2025年度提交稿", "v2025"), ("2024", "2024年度提交稿", "v2024"),
                         ("2023", "2023年度提交稿", "v2023")]


def test_archive_of_three_tags_and_a_draft(repo: Path, tmp_path: Path) -> None:
    edit(repo / "dossier/11-corrective.yml", "（2025）", "（草稿修改）")
    before = state(repo)
    site = tmp_path / "site"
    res = build_archive(repo, site)
    assert res.ok, [(v.version.name, v.messages, [d.render() for d in v.diagnostics if d.severity == "error"])
                    for v in res.versions]
    assert state(repo) == before  # working tree, index and branch untouched
    assert sorted(res.built) == ["2023", "2024", "2025", "draft"]
    versions = json.loads((site / "versions.json").read_text(encoding="utf-8"))
    assert versions == [
        {"version": "draft", "title": "2025（草稿）", "aliases": []},
        {"version": "2025", "title": "2025年度提交稿", "aliases": ["latest"]},
        {"version": "2024", "title": "2024年度提交稿", "aliases": []},
        {"version": "2023", "title": "2023年度提交稿", "aliases": []},
    ]
    redirect = (site / "index.html").read_text(encoding="utf-8")
    assert 'http-equiv="refresh" content="0; url=2025/"' in redirect
    for name in ("draft", "2025", "2024", "2023"):
        index = (site / name / "index.html").read_text(encoding="utf-8")
        config = json.loads(index.split('id="__config"')[1].split(">", 1)[1].split("</script>")[0])
        assert config["version"]["provider"] == "mike"
        assert (site / name / "changes" / "index.html").is_file()
        outdated = "这是以前提交的版本" in index
        assert outdated == (name in ("2024", "2023")), name
    # each version shows its own content
    assert "（草稿修改）" in (site / "draft/elements/11-corrective/index.html").read_text(encoding="utf-8")
    assert "（2024）" in (site / "2024/elements/11-corrective/index.html").read_text(encoding="utf-8")
    changes = (site / "2024/changes/index.html").read_text(encoding="utf-8")
    assert "新成员2024" in changes and "2023年度提交稿" in changes
    first = (site / "2023/changes/index.html").read_text(encoding="utf-8")
    assert "第一个版本" in first

    # second run: only the draft changed → only the draft is rebuilt
    edit(repo / "dossier/11-corrective.yml", "（草稿修改）", "（草稿再改）")
    again = build_archive(repo, site)
    assert again.ok
    assert again.built == ["draft"] and sorted(again.reused) == ["2023", "2024", "2025"]
    assert "（草稿再改）" in (site / "draft/elements/11-corrective/index.html").read_text(encoding="utf-8")
    edit(repo / "dossier/11-corrective.yml", "（草稿再改）", "（2025）")
    assert state(repo)[0] == ""


def test_broken_tag_is_skipped_not_fatal(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r")
    edit(repo / "dossier/12-review.yml", "score: 85", "score: [坏")
    git(repo, "commit", "-q", "-am", "broken", date="2026-01-05T10:00:00+08:00")
    git(repo, "tag", "v2026", date="2026-01-05T10:00:00+08:00")
    git(repo, "checkout", "-q", "v2025", "--", "dossier/12-review.yml")
    res = build_archive(repo, tmp_path / "site", draft=False)
    assert res.ok
    skipped = [v for v in res.versions if v.skipped]
    assert [v.version.name for v in skipped] == ["2026"]
    assert any(d.code == "yaml_syntax" for d in skipped[0].diagnostics)
    names = [v["version"] for v in json.loads((tmp_path / "site/versions.json").read_text())]
    assert names == ["2025", "2024", "2023"]


def test_not_a_repository(tmp_path: Path) -> None:
    write_starter(tmp_path / "d", year=2025)
    res = build_archive(tmp_path / "d", tmp_path / "site")
    assert not res.ok and "git" in res.messages[0]
    assert not (tmp_path / "site").exists()


def test_pdf_of_a_version_with_change_appendix_and_manifest(repo: Path, tmp_path: Path) -> None:
    from pypdf import PdfReader

    from safedossier.cli import main

    out = tmp_path / "v2024.pdf"
    assert main(["pdf", str(repo), "--version", "v2024", "-o", str(out)]) == 0
    reader = PdfReader(str(out))
    text = "".join(p.extract_text() for p in reader.pages)
    text = "".join(text.split())  # extraction puts spaces between digits and Chinese
    assert "2024年度提交稿" in text and "本版变更" in text and "新成员2024" in text
    assert "（2024）" in text  # the tagged content, not the working tree's
    manifest = json.loads(reader.attachments["manifest.json"][0])
    assert manifest["commit"] == git(repo, "rev-parse", "v2024^{commit}").strip()
    assert main(["verify", str(out), "v2024", "--repo", str(repo)]) == 0
    assert main(["verify", str(out), "v2025", "--repo", str(repo)]) == 1


def test_archive_with_pdfs_links_them(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r")
    site = tmp_path / "site"
    res = build_archive(repo, site, pdf=True, draft=False)
    assert res.ok and all(not v.messages for v in res.versions), [v.messages for v in res.versions]
    for name in ("2023", "2024", "2025"):
        pdf = site / name / f"dossier-{name}.pdf"
        assert pdf.is_file() and pdf.read_bytes().startswith(b"%PDF")
        assert f'href="dossier-{name}.pdf"' in (site / name / "index.html").read_text(encoding="utf-8")


def test_draft_pdf_has_the_changes_since_the_newest_tag(tmp_path: Path) -> None:
    from pypdf import PdfReader

    from safedossier.cli import main

    repo = make_repo(tmp_path / "r")
    edit(repo / "dossier/11-corrective.yml", "（2025）", "（草稿）")
    out = tmp_path / "draft.pdf"
    assert main(["pdf", str(repo), "-o", str(out)]) == 0
    text = "".join("".join(p.extract_text() for p in PdfReader(str(out)).pages).split())
    assert "2025（草稿）" in text and "附录" in text and "（2025）→" in text.replace("\n", "")
    manifest = json.loads(PdfReader(str(out)).attachments["manifest.json"][0])
    assert manifest["commit"] == "working tree"
