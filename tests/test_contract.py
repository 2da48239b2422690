"""The format contract holds both ways: what FORMAT.md allows checks clean, and what it leaves free
stays free (a constraint FORMAT.md does not state is at most a warning or a note)."""

from __future__ import annotations

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

    from safedossier.validate import check

    edit(starter / "data/drills.csv", "2025-06-20", "2025-13-20")
    m = starter / "data/members.csv"
    m.write_text(m.read_text(encoding="utf-8").replace("编号,姓名", "id,name", 1), encoding="utf-8")
    edit(m, "主任,committee,,", "主任,committee,2025-02-30,")
    lines = {d.file: d.render("zh") for d in check(starter).diagnostics if d.code == "date_invalid"}
    assert "第 2 行 [日期]" in lines["data/drills.csv"]  # the file's own header, not the key `date`
    rc, rep = run_check(starter, capsys)
    (d,) = find(rep, "date_invalid", "data/drills.csv")
    assert (d["field"], d["column"]) == ("date", "日期")  # JSON keeps the key for programs
