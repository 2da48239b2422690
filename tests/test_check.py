"""`dossier check`: each kind of problem gives a diagnostic with file, line/row, field and exit 1."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from conftest import REPO, edit, find, run_check

from safedossier.cli import main


def line_of(path: Path, needle: str) -> int:
    """1-based line of the first line containing `needle` (what an editor shows)."""
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return n
    raise AssertionError(f"{needle!r} not in {path}")


def only(report: dict, code: str) -> dict:
    hits = find(report, code)
    assert len(hits) == 1, (code, report["diagnostics"])
    return hits[0]


def test_starter_is_clean(starter: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rc, rep = run_check(starter, capsys)
    assert rc == 0
    assert rep["counts"] == {"error": 0, "warning": 0, "info": 0}


def test_yaml_syntax_error_has_line(starter: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = starter / "dossier/02-participation.yml"
    edit(f, "- name: 街道公众号", "- name: [街道公众号")
    rc, rep = run_check(starter, capsys)
    d = only(rep, "yaml_syntax")
    assert rc == 1 and d["file"] == "dossier/02-participation.yml"
    assert d["line"] is not None and d["line"] >= line_of(f, "[街道公众号")


def test_required_yaml_field(starter: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = starter / "dossier/11-corrective.yml"
    f.write_text("procedure: ''\n", encoding="utf-8")
    rc, rep = run_check(starter, capsys)
    d = only(rep, "required")
    assert (rc, d["file"], d["line"], d["field"]) == (1, "dossier/11-corrective.yml", 1, "procedure")


def test_type_and_range_in_yaml(starter: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = starter / "dossier/12-review.yml"
    edit(f, "score: 85", "score: 185")
    edit(starter / "dossier/02-participation.yml", "people: 20", "people: 二十")
    rc, rep = run_check(starter, capsys)
    r = only(rep, "range")
    assert (r["file"], r["line"], r["field"], r["found"]) == (
        "dossier/12-review.yml", line_of(f, "score: 185"), "reviews[0].score", "185")
    t = only(rep, "type")
    assert t["field"] == "volunteers.people" and t["found"] == "二十" and rc == 1


def test_code_list_in_table_row(starter: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(starter / "data/injuries.csv", "非机动车车祸", "飞来横祸")
    rc, rep = run_check(starter, capsys)
    d = only(rep, "code")
    # header is row 1; SH002 is the second record → spreadsheet row 3
    assert (rc, d["file"], d["line"], d["field"], d["found"]) == (1, "data/injuries.csv", 3, "cause", "飞来横祸")
    assert "跌倒/坠落" in d["expected"]


def test_alias_is_accepted(starter: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(starter / "data/injuries.csv", "学校与公共场所", "学校和公共场所")
    rc, rep = run_check(starter, capsys)
    assert rc == 0 and rep["counts"]["error"] == 0


def test_duplicate_id_in_table(starter: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = starter / "data/injuries.csv"
    edit(f, "SH003,", "SH001,")
    rc, rep = run_check(starter, capsys)
    d = only(rep, "duplicate_id")
    assert (rc, d["line"], d["field"], d["found"]) == (1, 4, "id", "SH001")


def test_duplicate_id_in_yaml(starter: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = starter / "dossier/01-organisation.yml"
    edit(f, "id: G02", "id: G01")
    rc, rep = run_check(starter, capsys)
    d = only(rep, "duplicate_id")
    second = [n for n, line in enumerate(f.read_text(encoding="utf-8").splitlines(), 1) if "id: G01" in line][1]
    assert (rc, d["file"], d["line"], d["field"]) == (1, "dossier/01-organisation.yml", second, "groups[1].id")


def test_dangling_reference_across_files(starter: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = starter / "dossier/01-organisation.yml"
    edit(f, "chair: M01", "chair: M99")
    edit(starter / "data/drills.csv", ",YA01,", ",YA09,")
    rc, rep = run_check(starter, capsys)
    ds = {(d["file"], d["line"], d["field"], d["found"]) for d in find(rep, "dangling_ref")}
    assert ds == {("dossier/01-organisation.yml", line_of(f, "chair: M99"), "committee.chair", "M99"),
                  ("data/drills.csv", 2, "plan", "YA09")}
    assert rc == 1


def test_list_cell_with_fullwidth_semicolon(starter: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(starter / "data/inspections.csv", ",H01,", ",H01；H77,")
    rc, rep = run_check(starter, capsys)
    d = only(rep, "dangling_ref")
    assert (rc, d["found"], d["line"]) == (1, "H77", 2)


def test_impossible_date_and_outside_cycle(starter: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(starter / "data/trainings.csv", "2025-05-12", "2025-02-30")
    edit(starter / "data/drills.csv", "2025-06-20", "2019/6/20")
    rc, rep = run_check(starter, capsys)
    bad = only(rep, "date_invalid")
    assert (bad["file"], bad["line"], bad["field"]) == ("data/trainings.csv", 2, "date")
    out = only(rep, "date_outside_cycle")  # a warning: the cycle is what the dossier covers (issue 12 §1)
    assert (out["severity"], out["file"], out["line"], out["found"]) == ("warning", "data/drills.csv", 2, "2019/6/20")
    assert rc == 1


def test_date_forms_accepted(starter: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(starter / "data/trainings.csv", "2025-05-12", "2025年5月12日")
    edit(starter / "data/drills.csv", "2025-06-20", "2025/6/20")
    rc, rep = run_check(starter, capsys)
    assert rc == 0, rep


def test_closed_before_found(starter: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(starter / "data/hazards.csv", "2025-04-25", "2025-03-01")
    rc, rep = run_check(starter, capsys)
    d = only(rep, "date_order")  # FORMAT.md states no order of dates: a warning (issue 12 §1)
    assert (rc, d["severity"], d["field"], d["line"]) == (0, "warning", "closed", 2)


def test_evidence_missing_twice_outside(starter: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ev = starter / "data/evidence.csv"
    with ev.open("a", encoding="utf-8") as fh:
        fh.write("E03,缺失,1,2025-01-01,01-organisation/nope.pdf,文件,\n")
        fh.write("E04,重复,1,2025-01-01,01-organisation/committee.txt,文件,\n")
        fh.write("E05,越界,1,2025-01-01,../data/injuries.csv,文件,\n")
        fh.write("E06,绝对,1,2025-01-01,/etc/passwd,文件,\n")
        fh.write("E07,链接,1,2025-01-01,03-risk/link.txt,文件,\n")
    os.symlink(starter / "data/injuries.csv", starter / "evidence/03-risk/link.txt")
    rc, rep = run_check(starter, capsys)
    assert [(d["line"], d["found"]) for d in find(rep, "evidence_missing")] == [(4, "01-organisation/nope.pdf")]
    assert [(d["line"], d["field"]) for d in find(rep, "evidence_twice")] == [(5, "file")]
    assert sorted(d["line"] for d in find(rep, "evidence_outside")) == [6, 7, 8]
    assert rc == 1


def test_unlisted_evidence_is_a_warning(starter: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (starter / "evidence/extra.png").write_bytes(b"\x89PNG")
    rc, rep = run_check(starter, capsys)
    assert rc == 0 and [d["file"] for d in find(rep, "evidence_unlisted")] == ["evidence/extra.png"]


def test_csv_and_xlsx_both_present(starter: Path, capsys: pytest.CaptureFixture[str]) -> None:
    wb = openpyxl.Workbook()
    wb.active.append(["编号", "日期"])
    wb.save(starter / "data/drills.xlsx")
    rc, rep = run_check(starter, capsys)
    d = only(rep, "both_csv_xlsx")
    assert rc == 1 and d["file"] == "data/drills" and "drills.xlsx" in d["found"]
    assert not find(rep, "table_missing")


def test_unknown_element_file(starter: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (starter / "dossier/01-organization.yml").write_text("a: 1\n", encoding="utf-8")
    rc, rep = run_check(starter, capsys)
    d = only(rep, "unknown_element_file")  # FORMAT.md forbids no extra file: a warning (issue 12 §1)
    assert (rc, d["severity"], d["file"]) == (0, "warning", "dossier/01-organization.yml")
    (starter / "dossier/01-organisation.yml").unlink()  # the misspelt name still fails as a missing element
    rc, rep = run_check(starter, capsys)
    assert rc == 1 and find(rep, "file_missing")[0]["file"] == "dossier/01-organisation.yml"


def test_missing_required_column(starter: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(starter / "data/accidents.csv", "死亡人数", "死者")
    rc, rep = run_check(starter, capsys)
    d = only(rep, "column_missing")
    assert (rc, d["file"], d["line"], d["field"]) == (1, "data/accidents.csv", 1, "deaths")


def test_gb18030_and_bom_and_english_headers(starter: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = starter / "data/trainings.csv"
    f.write_bytes(f.read_text(encoding="utf-8").encode("gb18030"))
    m = starter / "data/members.csv"
    text = m.read_text(encoding="utf-8").replace("编号,姓名,单位", "id,name,organisation")
    m.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    rc, rep = run_check(starter, capsys)
    assert rc == 0, rep["diagnostics"]


def test_xlsx_table_with_date_cells(starter: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import datetime as dt

    src = starter / "data/drills.csv"
    rows = [line.split(",") for line in src.read_text(encoding="utf-8").splitlines()]
    src.unlink()
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(rows[0])
    ws.append([dt.datetime(2025, 6, 20) if i == 1 else v for i, v in enumerate(rows[1])])
    ws.append([None] * len(rows[0]))
    ws.append(["YL02", dt.datetime(2025, 7, 1), "YA01", "演练", "", 10, "", ""])
    ws.append(["YL02", "2025-13-01", "YA01", "演练", "", "十", "", ""])
    wb.save(starter / "data/drills.xlsx")
    rc, rep = run_check(starter, capsys)
    assert rc == 1
    assert {(d["code"], d["line"], d["field"]) for d in rep["diagnostics"] if d["severity"] == "error"} == {
        ("duplicate_id", 5, "id"), ("date_invalid", 5, "date"), ("type", 5, "participants")}


def test_warnings_for_what_a_reviewer_would_miss(starter: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(starter / "data/members.csv", ",G02", ",G01")  # the G02 leader moves: G02 is left empty
    edit(starter / "dossier/05-projects.yml", "  indicators:", "  old_indicators:")
    inj = starter / "data/injuries.csv"
    inj.write_text(inj.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    rc, rep = run_check(starter, capsys)
    assert rc == 0
    assert "G02" in only(rep, "group_without_members")["message"]
    assert find(rep, "project_without_indicators")
    assert [d["file"] for d in find(rep, "year_without")] == ["data/injuries.csv"]
    assert rep["counts"]["warning"] == 3


def test_private_numbers_in_free_text(starter: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(starter / "data/hazards.csv", "楼道堆放杂物", "楼道堆放杂物，联系人13812345678")
    edit(starter / "dossier/10-archive.yml", "街道办事处档案室", "档案室 11010519491231002X")
    rc, rep = run_check(starter, capsys)
    hits = {(d["file"], d["field"], d["found"]) for d in find(rep, "private_text")}
    assert hits == {("data/hazards.csv", "description", "13812345678"),
                    ("dossier/10-archive.yml", "location", "11010519491231002X")}
    assert rc == 1


def test_english_messages(starter: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(starter / "data/injuries.csv", "非机动车车祸", "飞来横祸")
    rc, rep = run_check(starter, capsys, lang="en")
    assert only(rep, "code")["message"] == "not in the code list"


def test_text_output_and_exit_codes(starter: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(starter / "data/injuries.csv", ",35,", ",150,")
    assert main(["check", str(starter)]) == 1
    err = capsys.readouterr().err
    assert "错误 data/injuries.csv 第 3 行 [年龄]：数值超出范围（发现：150；应为：0 到 120 之间）" in err
    with pytest.raises(SystemExit) as exc:
        main(["check", "--format", "xml"])
    assert exc.value.code == 2


def test_check_writes_nothing(starter: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = {p: p.stat().st_mtime_ns for p in starter.rglob("*")}
    run_check(starter, capsys)
    assert {p: p.stat().st_mtime_ns for p in starter.rglob("*")} == before


def test_console_script_no_traceback_on_garbage(tmp_path: Path) -> None:
    d = tmp_path / "g"
    (d / "dossier").mkdir(parents=True)
    (d / "data").mkdir()
    (d / "dossier/community.yml").write_bytes(b"\xff\xfe\x00garbage")
    (d / "data/injuries.csv").write_bytes(os.urandom(4096))
    (d / "data/hazards.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    (d / "dossier/03-risk.yml").write_text("a: &a [*a, *a]\nb: {{{{", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "safedossier.cli", "check", str(d)],
                          capture_output=True, text=True, cwd=REPO, timeout=60)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr and "错误" in proc.stderr


def test_version_and_help() -> None:
    proc = subprocess.run([sys.executable, "-m", "safedossier.cli", "--version"], capture_output=True, text=True)
    assert proc.returncode == 0 and proc.stdout.startswith("dossier ")


def test_windows_litter_in_evidence_is_ignored(starter: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (starter / "evidence/Thumbs.db").write_bytes(b"\0\1")
    (starter / "evidence/01-organisation/desktop.ini").write_text("[.ShellClassInfo]\n", encoding="utf-8")
    rc, rep = run_check(starter, capsys)
    assert rc == 0 and rep["counts"]["warning"] == 0


def test_missing_directory_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["check", str(tmp_path / "nowhere")])
    assert exc.value.code == 2


def test_unquoted_impossible_yaml_date_is_reported_at_its_line(starter: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """YAML reads 2025-13-01 as a timestamp and fails: the field's line, not a file-wide syntax error."""
    yml = starter / "dossier/01-organisation.yml"
    text = yml.read_text(encoding="utf-8")
    old = next(w for w in text.split() if w.startswith("'20") and w.count("-") == 2)  # '2025-01-10'
    bad = old[1:6] + "13" + old[8:-1]  # unquoted 2025-13-10
    yml.write_text(text.replace(old, bad, 1), encoding="utf-8")
    rc, rep = run_check(starter, capsys)
    hits = [d for d in rep["diagnostics"] if d.get("found") == bad]
    assert hits and hits[0]["file"] == "dossier/01-organisation.yml", rep
    assert hits[0]["line"] == line_of(yml, bad) and hits[0]["field"].endswith("established")
    assert not [d for d in rep["diagnostics"] if d["code"] == "yaml_syntax"]
