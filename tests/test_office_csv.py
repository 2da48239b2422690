"""Tables as offices really save them — a title row, merged group headings, a totals row, Excel's
"Unicode text", other separators, invisible blanks — are read exactly, or stopped with a message that
says what to do. The reference is always the same records as a plain CSV (tests/fixtures)."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from conftest import find, run_check
from hypothesis import given, settings
from hypothesis import strategies as st
from test_workbooks import expected_table, fill, read_injuries, records, same


def csv_text(rows: list[list[str]], sep: str = ",") -> str:
    return "".join(sep.join(r) + "\n" for r in rows)


@pytest.fixture
def office(starter: Path) -> Path:
    (starter / "data/injuries.csv").unlink()
    return starter


def shifted(tmp: Path, starter: Path, by: int) -> object:
    """The CSV fixture's table with its row numbers moved down by `by` (rows above the header)."""
    ref = expected_table(tmp, starter)
    ref.attrs["rows"] = ref.attrs["rows"] + by
    return ref


def test_title_row_above_the_header(office: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = records()
    title = ["清溪街道伤害监测登记表"] + [""] * (len(rows[0]) - 1)
    (office / "data/injuries.csv").write_bytes(csv_text([title] + rows).encode("gb18030"))
    same(read_injuries(office), shifted(tmp_path, office, 1))
    rc, rep = run_check(office, capsys)
    (d,) = find(rep, "header_rows_skipped")
    assert rc == 0 and d["line"] == 1 and "列名取自第 2 行" in d["message"]


def test_merged_two_level_header(office: Path, tmp_path: Path) -> None:
    rows = records()
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["编号", "基本信息", "", "", "伤害情况"] + [""] * (len(rows[0]) - 5))
    ws.merge_cells("A1:A2")  # 编号 spans both header rows; its second-row cell is empty
    ws.merge_cells("B1:D1")
    ws.merge_cells(start_row=1, start_column=5, end_row=1, end_column=len(rows[0]))
    fill(ws, [[""] + rows[0][1:]] + rows[1:])
    wb.save(office / "data/injuries.xlsx")
    same(read_injuries(office), shifted(tmp_path, office, 1))


def test_totals_row_is_named_and_not_counted(office: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = records()
    total = ["合计", "", "", "", "", "", "", "", "", "", "", "", "", "", ""]
    (office / "data/injuries.csv").write_text(csv_text(rows + [total]), encoding="utf-8")
    rc, rep = run_check(office, capsys)
    (d,) = find(rep, "total_row")
    assert (rc, d["line"], d["found"]) == (1, len(rows) + 1, "合计")
    assert "这是合计行？请删除" in d["message"]
    assert [x for x in rep["diagnostics"] if x["severity"] == "error"] == [d]  # not also "required …"


def test_excel_unicode_text_is_utf16_with_tabs(office: Path, tmp_path: Path) -> None:
    text = csv_text(records(), "\t").replace("\n", "\r\n")
    (office / "data/injuries.csv").write_bytes(text.encode("utf-16"))  # with its BOM, as Excel saves
    same(read_injuries(office), expected_table(tmp_path, office))


def test_semicolon_separated(office: Path, tmp_path: Path) -> None:
    (office / "data/injuries.csv").write_text(csv_text(records(), ";"), encoding="utf-8-sig")
    same(read_injuries(office), expected_table(tmp_path, office))


def test_row_with_more_cells_than_the_header(office: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = records()
    rows[4] = rows[4] + ["多出的一格"]
    (office / "data/injuries.csv").write_text(csv_text(rows), encoding="utf-8")
    rc, rep = run_check(office, capsys)
    (d,) = find(rep, "too_many_cells")
    assert (rc, d["line"]) == (1, 5)
    assert d["message_zh"] == "这一行有 16 个单元格，表头只有 15 列" and "Expected" not in d["message_zh"]


def test_invisible_blanks_in_codes_and_ids(office: Path, tmp_path: Path) -> None:
    rows = records()
    rows[1][2] += "\u3000"  # 男　: an ideographic space after the code
    rows[2][5] = "\u00a0" + rows[2][5]  # NBSP before the cause
    rows[3][0] = rows[3][0][:2] + "\u200b" + rows[3][0][2:]  # a zero-width space inside the id
    rows[4][2] = f'"{rows[4][2]} "'  # a trailing blank inside quotes
    (office / "data/injuries.csv").write_text(csv_text(rows), encoding="utf-8")
    same(read_injuries(office), expected_table(tmp_path, office))


def test_invisible_characters_are_shown_in_messages(office: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = records()
    rows[1][2] = "男\u3000性"  # inside the value: not stripped, so the message must show it
    (office / "data/injuries.csv").write_text(csv_text(rows), encoding="utf-8")
    rc, rep = run_check(office, capsys)
    (d,) = find(rep, "code")
    assert rc == 1 and "<U+3000>" in d["found"]



_CELL = st.lists(st.sampled_from(["伤", "A", "1", " ", "\t", "\u00a0", "\u3000", "\u200b", "\ufeff", "\u2060",
                                  "合计", "Total", "—", "、", '"']), max_size=4).map("".join)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(_CELL, min_size=3, max_size=3), min_size=1, max_size=6))
def test_the_quick_tests_of_a_csv_read_it_as_the_thorough_ones(tmp_path_factory: pytest.TempPathFactory,
                                                               body: list[list[str]]) -> None:
    """Padding, invisible blanks, blank and total rows: a file is read cell for cell as it was before
    `tableread` skipped the full-file regexes (any character of a cell may be one of those blanks)."""
    import csv
    import io

    from safedossier.format import tableread
    from safedossier.format.diagnostics import Report

    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows([["编号", "日期", "性别"], *body])
    path = tmp_path_factory.mktemp("t") / "injuries.csv"
    path.write_bytes(buf.getvalue().encode("utf-8"))

    def read() -> tuple[object, list[str]]:
        report = Report()
        t = tableread.read_table(path, "data/injuries.csv", "injuries", report)
        return (None if t is None else (t.df.to_dict("list"), list(t.rows))), [d.code for d in report.finish()]

    quick = read()
    thorough = pytest.MonkeyPatch()
    thorough.setattr(tableread, "_invisible", lambda d: tableread.INVISIBLE_BYTES.search(d) is not None)
    thorough.setattr(tableread, "_padded", lambda d: any(p in d for p in (
        b"\t", b" ,", b", ", b" \n", b" \r", b"\n ", b' "', b'" ')) or d.startswith(b" ") or d.endswith(b" "))
    thorough.setattr(tableread, "_blank_rows", lambda f: (f == "").to_numpy().all(axis=1))
    thorough.setattr(tableread, "_may_hold_total", lambda t: True)
    try:
        assert read() == quick
    finally:
        thorough.undo()

