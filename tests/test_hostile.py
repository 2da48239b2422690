"""Hostile and careless input ends in a diagnostic, within bounded time and memory, never a traceback."""

from __future__ import annotations

import os
import resource
import zipfile
from pathlib import Path

import pytest
from conftest import edit, find, run_check

from safedossier.format.validate import check


def codes(root: Path) -> set[tuple[str, str]]:
    return {(d.file, d.code) for d in check(root).diagnostics}


def test_zip_bomb_xlsx_is_refused_unread(starter: Path) -> None:
    (starter / "data/drills.csv").unlink()
    with zipfile.ZipFile(starter / "data/drills.xlsx", "w", zipfile.ZIP_DEFLATED) as zf:
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
            block = b"\0" * (1 << 20)
            for _ in range(600):  # 600 MB unpacked, about 600 KB on disk
                fh.write(block)
    assert (starter / "data/drills.xlsx").stat().st_size < 5 * 2**20
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    assert ("data/drills.xlsx", "file_too_large") in codes(starter)
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 200_000  # KiB: never unpacked


def test_huge_file_posing_as_csv(starter: Path) -> None:
    with (starter / "data/accidents.csv").open("r+b") as fh:
        fh.truncate(300 * 2**20)  # sparse: 300 MB of NUL bytes
    assert ("data/accidents.csv", "file_too_large") in codes(starter)


def test_binary_file_posing_as_csv(starter: Path) -> None:
    (starter / "data/accidents.csv").write_bytes(os.urandom(2**20) + b"\0")
    assert ("data/accidents.csv", "binary_file") in codes(starter)


def test_nul_bytes_in_yaml_and_csv(starter: Path) -> None:
    edit(starter / "data/meetings.csv", "安全社区建设启动会", "启动\x00会")
    p = starter / "dossier/10-archive.yml"
    p.write_bytes(p.read_bytes().replace("档案室".encode(), b"\x00"))
    got = codes(starter)
    assert ("data/meetings.csv", "binary_file") in got and ("dossier/10-archive.yml", "binary_file") in got


def test_mixed_encodings_are_named(starter: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = starter / "data/trainings.csv"
    gbk = f.read_text(encoding="utf-8").encode("gb18030")
    f.write_bytes(gbk + "PX02,2025-06-01,防溺水宣传,宣传活动,学生,30,,\n".encode())
    rc, rep = run_check(starter, capsys)
    d = find(rep, "mixed_encoding")
    assert rc == 1 and [(x["file"], x["line"]) for x in d] == [("data/trainings.csv", 3)]


def test_huge_cell_and_text(starter: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(starter / "data/hazards.csv", "楼道堆放杂物", "杂" * 50_000)
    (starter / "dossier/11-corrective.yml").write_text("procedure: " + "长" * 300_000 + "\n", encoding="utf-8")
    rc, rep = run_check(starter, capsys)
    got = {(d["file"], d["line"], d["field"]) for d in find(rep, "too_long")}
    assert got == {("data/hazards.csv", 2, "description"), ("dossier/11-corrective.yml", 1, "procedure")}
    assert rc == 1


def test_absolute_and_linked_evidence_paths(starter: Path, tmp_path: Path) -> None:
    outside = tmp_path / "secret.txt"
    outside.write_text("secret", encoding="utf-8")
    os.symlink(outside, starter / "evidence/01-organisation/link.txt")
    os.symlink(tmp_path, starter / "evidence/dirlink")
    with (starter / "data/evidence.csv").open("a", encoding="utf-8") as fh:
        fh.write(f"E03,绝对路径,1,2025-01-01,{outside},文件,\n")
        fh.write("E04,链接,1,2025-01-01,01-organisation/link.txt,文件,\n")
        fh.write("E05,目录链接,1,2025-01-01,dirlink/secret.txt,文件,\n")
        fh.write("E06,反斜杠,1,2025-01-01,..\\..\\data\\injuries.csv,文件,\n")
    lines = sorted(d.line for d in check(starter).diagnostics if d.code == "evidence_outside")
    assert lines == [4, 5, 6, 7]


def test_symlinked_element_file_leading_out(starter: Path, tmp_path: Path) -> None:
    target = tmp_path / "elsewhere.yml"
    target.write_text("procedure: 外部文件\n", encoding="utf-8")
    (starter / "dossier/11-corrective.yml").unlink()
    os.symlink(target, starter / "dossier/11-corrective.yml")
    assert ("dossier/11-corrective.yml", "link_outside") in codes(starter)


def test_svg_evidence_is_never_served_as_svg(starter: Path, tmp_path: Path) -> None:
    from safedossier.outputs.site.build import build

    (starter / "evidence/01-organisation/logo.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', encoding="utf-8")
    with (starter / "data/evidence.csv").open("a", encoding="utf-8") as fh:
        fh.write("E03,标志,1,2025-01-01,01-organisation/logo.svg,照片,\n")
    out = tmp_path / "site"
    res = build(starter, out)
    assert res.ok, res.messages
    assert not list((out / "evidence").rglob("*.svg"))
    assert (out / "evidence/01-organisation/logo.svg.txt").is_file()  # served as text, never rendered
    assert "logo.svg.txt" in (out / "evidence/index.html").read_text(encoding="utf-8")


def test_huge_numbers_in_integer_columns(starter: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Found by the nightly fuzzing run: a 30-digit population once broke the integer conversion."""
    edit(starter / "data/population.csv", "50000,25000", "999999999999999999999999999999,25000")
    edit(starter / "data/injuries.csv", ",72,", ",1e400,")
    rc, rep = run_check(starter, capsys)
    got = {(d["file"], d["line"], d["field"]) for d in find(rep, "type")}
    assert got == {("data/population.csv", 2, "total"), ("data/injuries.csv", 2, "age")}
    assert rc == 1
