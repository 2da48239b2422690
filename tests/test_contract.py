"""The format contract holds both ways: what FORMAT.md allows checks clean, and what it leaves free
stays free (a constraint FORMAT.md does not state is at most a warning or a note)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import find, run_check


def test_report_source_is_free_text(starter: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """报告来源 is free text in FORMAT.md: a hospital's short name is no error, only a note per value."""
    inj = starter / "data/injuries.csv"
    lines = inj.read_text(encoding="utf-8").splitlines()
    lines[1:] = [line.rsplit(",", 1)[0] + ",镇卫生院" for line in lines[1:]]
    inj.write_text("\n".join(lines) + "\n", encoding="utf-8")
    rc, rep = run_check(starter, capsys)
    assert rc == 0 and not find(rep, "dangling_ref")
    (note,) = find(rep, "unlinked_ref")
    assert (note["severity"], note["line"], note["field"], note["found"]) == ("info", 2, "source", "镇卫生院")
    assert f"共 {len(lines) - 1} 行" in note["message"]


def test_columns_are_named_as_the_file_names_them(starter: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from conftest import edit

    from safedossier.format.validate import check

    edit(starter / "data/drills.csv", "2025-06-20", "2025-13-20")
    m = starter / "data/members.csv"
    m.write_text(m.read_text(encoding="utf-8").replace("编号,姓名", "id,name", 1), encoding="utf-8")
    edit(m, "主任,committee,,", "主任,committee,2025-02-30,")
    lines = {d.file: d.render("zh") for d in check(starter).diagnostics if d.code == "date_invalid"}
    assert "第 2 行 [日期]" in lines["data/drills.csv"]  # the file's own header, not the key `date`
    rc, rep = run_check(starter, capsys)
    (d,) = find(rep, "date_invalid", "data/drills.csv")
    assert (d["field"], d["column"]) == ("date", "日期")  # JSON keeps the key for programs


@pytest.mark.parametrize(("text", "line", "zh", "en"), [
    # a full-width colon: libyaml notices on the next line; the message points at the key
    ("name: 示例街道\ntarget：省级安全社区\ncycle: {start: 2025, end: 2025}\n", 2, "全角冒号", "full-width colon"),
    ("name: 示例街道\ntarget：省级安全社区\n", 2, "全角冒号", "full-width colon"),  # ... also at the end
    ('name: "示例街道\n', 1, "引号或括号没有闭合", "end of stream"),  # never past the last line
    ("name: 示例街道\nunits:\n\t- {id: U01}\n", 3, "制表符", "cannot start any token"),
])
def test_yaml_syntax_errors_say_where_and_why(starter: Path, capsys: pytest.CaptureFixture[str],
                                              text: str, line: int, zh: str, en: str) -> None:
    (starter / "dossier/community.yml").write_text(text, encoding="utf-8")
    rc, rep = run_check(starter, capsys)
    (d,) = find(rep, "yaml_syntax")
    assert (rc, d["file"], d["line"]) == (1, "dossier/community.yml", line)
    assert zh in d["message_zh"] and en in d["message_en"]
    words = re.sub(r"“[^”]*”|YAML", "", d["message_zh"])  # quoted keys are the file's own words
    assert not re.search(r"[A-Za-z]", words), d["message_zh"]  # no English parser text in Chinese


def test_a_character_the_pdf_fonts_lack_is_found_by_check(starter: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from conftest import edit

    edit(starter / "data/hazards.csv", "楼道堆放杂物", "楼道堆放杂物🔥")
    rc, rep = run_check(starter, capsys)
    (d,) = find(rep, "no_glyph")
    assert (rc, d["severity"], d["file"], d["line"], d["field"], d["column"]) == (
        0, "warning", "data/hazards.csv", 2, "description", "隐患描述")
    assert "U+1F525" in d["message"] and "第 7 个字符" in d["message"]


def test_every_character_check_takes_for_drawable_is_in_the_installed_fonts() -> None:
    """`glyphcheck` skips opening the fonts for the characters it is sure of; a wrong range there
    (U+201B ‛ was in one) would let a PDF fail on a character `check` never named."""
    from safedossier.format.glyphcheck import _SURE, ignorable
    from safedossier.outputs.pdf.fonts import FontError, font_set

    try:
        covered = font_set().covered
    except FontError:
        pytest.skip("no Noto CJK SC fonts here")
    sure = [chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF and _SURE.fullmatch(chr(c))]
    missing = [f"U+{ord(c):04X}" for c in sure if ord(c) not in covered and not ignorable(c) and c not in "\n\r\t"]
    assert len(sure) > 21_000 and not missing, missing


def test_a_folder_that_is_no_dossier_says_so_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "notes.txt").write_text("会议记录", encoding="utf-8")
    rc, rep = run_check(tmp_path, capsys)
    assert rc == 1 and [d["code"] for d in rep["diagnostics"]] == ["not_a_dossier"]
    assert "dossier init" in rep["diagnostics"][0]["expected"]
