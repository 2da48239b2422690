"""Workbooks as Excel, WPS and LibreOffice save them: every record is read, or the check stops and says why.

Each case was a silent wrong figure once (a hidden old sheet read instead of the data, rows lost after
a stale `<dimension>`, one sheet of three read, `.xls` ignored, zh-CN date cells read as numbers,
formulas without values read as empty). The reference is always the same records as plain CSV.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from conftest import find, run_check

from safedossier.format.validate import check

FIXTURES = Path(__file__).parent / "fixtures"


def records() -> list[list[str]]:
    with (FIXTURES / "injuries.csv").open(encoding="utf-8") as fh:
        return list(csv.reader(fh))


def expected_table(tmp: Path, starter: Path) -> pd.DataFrame:
    """The injury table as read from the CSV fixture: what every workbook must give."""
    ref = tmp / "ref"
    shutil.copytree(starter, ref)
    for other in (ref / "data").glob("injuries.*"):
        other.unlink()
    shutil.copy(FIXTURES / "injuries.csv", ref / "data/injuries.csv")
    d = check(ref).dossier
    assert d is not None
    return d.table("injuries")


def read_injuries(starter: Path) -> pd.DataFrame:
    result = check(starter)
    assert result.dossier is not None, [d.render("en") for d in result.errors]
    return result.dossier.table("injuries")


def same(a: pd.DataFrame, b: pd.DataFrame) -> None:
    cols = [c for c in a.columns if c in b.columns]
    pd.testing.assert_frame_equal(a[cols].reset_index(drop=True), b[cols].reset_index(drop=True),
                                  check_dtype=False)
    assert list(a.attrs["rows"]) == list(b.attrs["rows"])  # the row numbers a user sees


def workbook(rows: list[list[str]], title: str = "Sheet") -> openpyxl.Workbook:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    fill(ws, rows)
    return wb


def fill(ws: openpyxl.worksheet.worksheet.Worksheet, rows: list[list[str]]) -> None:
    ws.append(rows[0])
    for r in rows[1:]:
        ws.append([dt.datetime.strptime(v, "%Y-%m-%d") if i == 1 else int(v) if i == 3 else v
                   for i, v in enumerate(r)])
        ws.cell(ws.max_row, 2).number_format = "yyyy-mm-dd"


def rewrite(path: Path, part: str, fn: object) -> None:
    """Change one XML part inside an .xlsx, as another program would have written it."""
    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info.filename)
            out.writestr(info, fn(data) if info.filename == part else data)  # type: ignore[operator]
    tmp.replace(path)


@pytest.fixture
def xlsx_dossier(starter: Path) -> Path:
    (starter / "data/injuries.csv").unlink()
    return starter


def test_hidden_old_sheet_is_not_read(xlsx_dossier: Path, tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    rows = records()
    wb = workbook(rows[:2], "旧")  # an older copy, hidden, first in the workbook
    new = wb.create_sheet("2025年")
    fill(new, rows)
    wb["旧"].sheet_state = "hidden"
    wb.active = 1
    wb.save(xlsx_dossier / "data/injuries.xlsx")
    same(read_injuries(xlsx_dossier), expected_table(tmp_path, xlsx_dossier))
    rc, rep = run_check(xlsx_dossier, capsys)
    assert rc == 0
    assert [d["message"] for d in find(rep, "hidden_sheets")] == ["忽略隐藏的工作表：旧"]
    assert [d["message"] for d in find(rep, "sheet_read")] == ["读取工作表“2025年”"]


def test_stale_dimension_loses_no_rows(xlsx_dossier: Path, tmp_path: Path) -> None:
    path = xlsx_dossier / "data/injuries.xlsx"
    workbook(records()).save(path)
    rewrite(path, "xl/worksheets/sheet1.xml", lambda x: re.sub(rb'<dimension ref="[^"]+"', b'<dimension ref="A1:O10"', x))
    got = read_injuries(xlsx_dossier)
    assert len(got) == len(records()) - 1 == 30
    same(got, expected_table(tmp_path, xlsx_dossier))


def test_one_sheet_per_year_stops_with_the_sheet_names(xlsx_dossier: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    rows = records()
    wb = workbook([rows[0]] + rows[1:10], "2024年")
    fill(wb.create_sheet("2025年"), [rows[0]] + rows[10:])
    wb.save(xlsx_dossier / "data/injuries.xlsx")
    rc, rep = run_check(xlsx_dossier, capsys)
    (d,) = find(rep, "several_sheets")
    assert rc == 1 and d["file"] == "data/injuries.xlsx"
    assert "2024年、2025年" in d["message"] and "合并到第一个工作表" in d["expected"]


def test_a_notes_sheet_beside_the_table_is_left_alone(xlsx_dossier: Path, tmp_path: Path) -> None:
    wb = workbook(records(), "登记表")
    notes = wb.create_sheet("填表说明")
    notes.append(["说明"])
    notes.append(["原因按国家伤害监测代码填写"])
    wb.save(xlsx_dossier / "data/injuries.xlsx")
    same(read_injuries(xlsx_dossier), expected_table(tmp_path, xlsx_dossier))


@pytest.mark.parametrize("name", ["injuries.xls", "injuries.ods", "injuries.et", "injuries.xlsm"])
def test_other_workbook_formats_are_read(xlsx_dossier: Path, tmp_path: Path, name: str) -> None:
    target = xlsx_dossier / "data" / name
    if name.endswith(".xlsm"):
        workbook(records()).save(target)
    else:  # LibreOffice's own .xls and .ods (tests/fixtures/make_workbooks.py); WPS's .et is BIFF8 too
        shutil.copy(FIXTURES / ("injuries.xls" if name.endswith(".et") else name), target)
    got = read_injuries(xlsx_dossier)
    same(got, expected_table(tmp_path, xlsx_dossier))
    assert got["date"].dt.year.value_counts().to_dict() == {2025: 30}


def test_unreadable_et_says_to_save_as_xlsx(xlsx_dossier: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (xlsx_dossier / "data/injuries.et").write_bytes(b"\xd0\xcf\x11\xe0 not really a workbook")
    rc, rep = run_check(xlsx_dossier, capsys)
    (d,) = find(rep, "xlsx_error")
    assert rc == 1 and d["file"] == "data/injuries.et" and "另存为 .xlsx" in d["expected"]
    assert not find(rep, "table_missing")  # the file was found, it could not be read


@pytest.mark.parametrize("fmt_id", [31, 57])  # zh-CN built-ins: 2024年3月5日, 2024年3月
def test_zh_cn_builtin_date_formats_are_dates(xlsx_dossier: Path, tmp_path: Path, fmt_id: int) -> None:
    path = xlsx_dossier / "data/injuries.xlsx"
    workbook(records()).save(path)

    def zh_formats(styles: bytes) -> bytes:  # as Excel zh-CN stores them: a built-in id, no format code
        styles = re.sub(rb'<numFmts.*?</numFmts>', b"", styles, flags=re.S)
        return re.sub(rb'numFmtId="1\d\d"', f'numFmtId="{fmt_id}"'.encode(), styles)
    rewrite(path, "xl/styles.xml", zh_formats)
    same(read_injuries(xlsx_dossier), expected_table(tmp_path, xlsx_dossier))


def test_formula_without_value_is_an_error_at_its_cell(xlsx_dossier: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    rows = records()
    wb = workbook(rows)
    wb.active["D5"] = "=2025-1950"  # 年龄 computed from a birth year, saved by a script: no value
    wb.save(xlsx_dossier / "data/injuries.xlsx")
    rc, rep = run_check(xlsx_dossier, capsys)
    (d,) = find(rep, "formula_without_value")
    assert (rc, d["file"], d["line"], d["field"], d["column"]) == (1, "data/injuries.xlsx", 5, "age", "年龄")
    assert "D5" in d["message"] and "粘贴为数值" in d["expected"]
