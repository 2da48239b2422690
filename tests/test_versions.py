"""The versioned archive, on real git repositories made in temporary directories."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest
from conftest import edit, git, make_repo

from safedossier.archive.versions import build_archive, list_versions
from safedossier.format.starter import write_starter


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


def test_broken_tag_fails_the_archive_unless_keep_going(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Issue 11 class 2: a tag that cannot be built is never dropped silently."""
    from safedossier.cli import main

    repo = make_repo(tmp_path / "r")
    site = tmp_path / "site"
    assert build_archive(repo, site, draft=False).ok
    before = (site / "versions.json").read_bytes()
    edit(repo / "dossier/12-review.yml", "score: 85", "score: [坏")
    git(repo, "commit", "-q", "-am", "broken", date="2026-01-05T10:00:00+08:00")
    git(repo, "tag", "v2026", date="2026-01-05T10:00:00+08:00")
    git(repo, "checkout", "-q", "v2025", "--", "dossier/12-review.yml")

    res = build_archive(repo, site, draft=False)
    assert not res.ok and [v.version.name for v in res.failed] == ["2026"]
    assert "2026" in res.messages[-1] and "archive not written" in res.messages[-1]
    assert (site / "versions.json").read_bytes() == before  # nothing swapped in: the previous archive stays
    assert not list(tmp_path.glob(".site.build-*"))

    capsys.readouterr()
    assert main(["build", str(repo), "--archive", "--no-draft", "-o", str(site)]) == 1
    err = capsys.readouterr().err
    assert "v2026" in err and "yaml" in err.lower() and "原有归档保持不变" in err

    res = build_archive(repo, site, draft=False, keep_going=True)
    assert res.ok
    assert [v.version.name for v in res.failed] == ["2026"]
    assert any(d.code == "yaml_syntax" for d in res.failed[0].diagnostics)
    names = [v["version"] for v in json.loads((site / "versions.json").read_text())]
    assert names == ["2025", "2024", "2023"]
    assert main(["build", str(repo), "--archive", "--no-draft", "--keep-going", "-o", str(site)]) == 0
    err = capsys.readouterr().err
    summary = err[err.index("WARNING: incomplete archive"):]
    assert "1 version(s)" in summary and "v2026 → 2026" in summary and "12-review.yml" in summary


def test_starter_gitignore_keeps_scanned_evidence_pdfs(tmp_path: Path) -> None:
    """Issue 11 class 2: `dossier init` ignores only the tool's own outputs, so a scanned PDF under
    evidence/ is committed and the tag that lists it builds."""
    repo = tmp_path / "d"
    write_starter(repo, year=2025)
    git(repo, "init", "-q", "-b", "main")
    scan = repo / "evidence/01-organisation/scan.pdf"
    scan.write_bytes(b"%PDF-1.4\n% a scanned notice\n%%EOF\n")
    edit(repo / "data/evidence.csv", "01-organisation/committee.txt", "01-organisation/scan.pdf")
    (repo / "site").mkdir()
    (repo / "site/index.html").write_text("built", encoding="utf-8")
    (repo / "dossier-draft.pdf").write_bytes(b"%PDF-1.4\n")
    (repo / "dossier-v2025.pdf").write_bytes(b"%PDF-1.4\n")
    (repo / "evidence/01-organisation/dossier-old.pdf").write_bytes(b"%PDF-1.4\n")
    git(repo, "add", "-A")
    tracked = set(git(repo, "ls-files").split())
    assert {"evidence/01-organisation/scan.pdf", "evidence/01-organisation/dossier-old.pdf"} <= tracked
    assert not {"site/index.html", "dossier-draft.pdf", "dossier-v2025.pdf"} & tracked
    git(repo, "commit", "-q", "-m", "2025", date="2025-12-20T10:00:00+08:00")
    git(repo, "tag", "v2025")
    res = build_archive(repo, tmp_path / "out", draft=False)
    assert res.ok and not res.failed and res.built == ["2025"]


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


def _text(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html)


def _pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return "".join("".join(p.extract_text() for p in PdfReader(str(path)).pages).split())


EVIDENCE_CHANGE = ("佐证材料内容更新", "文件内容更新", "sha256")


def test_archive_reports_only_real_evidence_changes(tmp_path: Path) -> None:
    """Issue 11 class 6: the snapshot of the version before stays until the next one is compared.
    (Also: an archive with PDFs builds and links one per version.)"""
    repo = make_repo(tmp_path / "r")  # three tags, evidence files never change
    site = tmp_path / "site"
    res = build_archive(repo, site, draft=False, pdf=True)
    assert res.ok and all(not v.messages for v in res.versions), [(v.version.name, v.messages) for v in res.versions]
    for name in ("2024", "2025"):
        changes = _text((site / name / "changes/index.html").read_text(encoding="utf-8"))
        home = _text((site / name / "index.html").read_text(encoding="utf-8"))
        assert "新成员" in changes and "与上一版相比" in home  # there is a report, about members only
        for word in EVIDENCE_CHANGE:
            assert word not in changes and word not in home, (name, word)
    for name in ("2023", "2024", "2025"):  # the PDFs are built and linked
        pdf = site / name / f"dossier-{name}.pdf"
        assert pdf.is_file() and pdf.read_bytes().startswith(b"%PDF")
        assert f'href="dossier-{name}.pdf"' in (site / name / "index.html").read_text(encoding="utf-8")
    pdf = _pdf_text(site / "2025/dossier-2025.pdf")
    assert "本版变更" in pdf and "新成员2025" in pdf
    assert "佐证材料内容更新" not in pdf and "文件内容更新" not in pdf

    old = (repo / "evidence/01-organisation/committee.txt").read_bytes()
    new = "关于成立安全社区促进委员会的通知（修订）\n".encode()
    (repo / "evidence/01-organisation/committee.txt").write_bytes(new)
    git(repo, "commit", "-q", "-am", "revised notice", date="2026-01-05T10:00:00+08:00")
    git(repo, "tag", "v2026", date="2026-01-05T10:00:00+08:00")
    # 2024 is reused (its snapshot is read again to compare 2025 with it), 2025 is now outdated
    res = build_archive(repo, site, draft=False, pdf=True)
    assert res.ok and sorted(res.built) == ["2025", "2026"], [(v.version.name, v.messages) for v in res.versions]
    changes = _text((site / "2025/changes/index.html").read_text(encoding="utf-8"))
    assert "新成员2025" in changes and not any(word in changes for word in EVIDENCE_CHANGE)
    digests = [hashlib.sha256(b).hexdigest()[:12] for b in (old, new)]
    changes = _text((site / "2026/changes/index.html").read_text(encoding="utf-8"))
    assert changes.count("文件内容更新") == 1
    assert f"文件内容更新 E01 成立促进委员会的通知（sha256 {digests[0]}… → {digests[1]}…）" in changes
    assert "E02" not in changes and "（空）" not in changes
    assert "佐证材料内容更新 1 份" in _text((site / "2026/index.html").read_text(encoding="utf-8"))
    pdf = _pdf_text(site / "2026/dossier-2026.pdf")
    assert pdf.count("文件内容更新") == 1 and digests[0] in pdf and digests[1] in pdf


def test_unreadable_evidence_is_an_error_not_an_empty_digest(pair_dirs: tuple[Path, Path]) -> None:
    from safedossier.archive.diff import diff_dossiers
    from safedossier.archive.diff_tables import EvidenceUnreadable
    from safedossier.format.validate import check

    a, b = (check(p).dossier for p in pair_dirs)
    assert a is not None and b is not None
    (pair_dirs[0] / "evidence/03-risk/diagnosis.txt").unlink()  # the old version's snapshot is gone
    with pytest.raises(EvidenceUnreadable, match="diagnosis.txt"):
        diff_dossiers(a, b)


@pytest.fixture
def pair_dirs(tmp_path: Path) -> tuple[Path, Path]:
    write_starter(tmp_path / "a", year=2025)
    write_starter(tmp_path / "b", year=2025)
    return tmp_path / "a", tmp_path / "b"
