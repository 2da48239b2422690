"""Issue 15: the registers as an Excel workbook, fill-in templates, the 工作报告 as a Word document —
read back with openpyxl / python-docx / LibreOffice, scanned for private values, built twice."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from pathlib import Path

import openpyxl
import pytest
from conftest import REPO, edit, run_check
from test_privacy import PRIVATE_HEADER, PRIVATE_ROWS

from safedossier.cli import main
from safedossier.format.schema import TABLE_BY_NAME, TABLES
from safedossier.format.validate import check
from safedossier.outputs.office.sheets import REGISTERS
from safedossier.trust.guard import Guard

NAMES = ("欧阳秀英", "周平")


def private(starter: Path) -> Path:
    (starter / "data/injuries.csv").write_text(PRIVATE_HEADER + "\n".join(PRIVATE_ROWS) + "\n", encoding="utf-8")
    return starter


def export(kind: str, root: Path, out: Path, *extra: str) -> int:
    return main(["export", kind, str(root), "-o", str(out), *extra])


def scan_zip(data: bytes, root: Path) -> list[str]:
    """Every member of an office file, unzipped, through the guard; and the names searched literally."""
    d = check(root).dossier
    assert d is not None
    guard = Guard(d)
    found = []
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for name in zf.namelist():
            raw = zf.read(name)
            found += [lk.render() for lk in guard.scan_bytes(raw, name)]
            text = raw.decode("utf-8", "replace")
            found += [f"{name}: {n}" for n in NAMES if n in text]
    return found


@pytest.fixture(scope="module")
def example_xlsx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("xlsx") / "example.xlsx"
    assert export("xlsx", REPO, out) == 0
    return out


# --- (2) dossier export xlsx -------------------------------------------------------------------

def test_workbook_has_a_sheet_per_register_with_the_sources_rows(example_xlsx: Path) -> None:
    d = check(REPO).dossier
    assert d is not None
    wb = openpyxl.load_workbook(example_xlsx)
    for name in REGISTERS:
        table = TABLE_BY_NAME[name]
        ws = wb[table.label]
        assert ws.max_row - 1 == len(d.table(name)), name  # header + one row per source row
        assert ws.freeze_panes == "A2", name
        assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:"), name
        heads = [c.value for c in ws[1]]
        assert heads[:len(table.fields)] == [f.label for f in table.fields if not f.private], name
    assert TABLE_BY_NAME["injuries"].label not in wb.sheetnames  # never the injury records
    ws = wb["隐患"]
    found = ws["B2"]
    assert found.is_date and found.value.date() == d.table("hazards").iloc[0]["found"].date()
    # widths count Chinese characters double: the description column fits its longest text
    longest = max(len(str(x)) for x in d.table("hazards")["description"])
    assert ws.column_dimensions["F"].width >= min(60, 2 * longest)


def test_open_and_overdue_rows_are_highlighted(example_xlsx: Path) -> None:
    wb = openpyxl.load_workbook(example_xlsx)
    for sheet in ("隐患", "预防与纠正措施"):
        ws = wb[sheet]
        status_col = ws.max_column
        fills = {}
        for row in ws.iter_rows(min_row=2):
            fills.setdefault(row[status_col - 1].value, set()).add(row[0].fill.fgColor.rgb)
        assert fills.get("逾期未整改") == {"FFF8D7DA"}, (sheet, fills)
        done = "已销号" if sheet == "隐患" else "已完成"
        assert fills[done] == {"00000000"}, (sheet, fills)
    haz = wb["隐患"]
    assert {r[0].fill.fgColor.rgb for r in haz.iter_rows(min_row=2) if r[-1].value == "未整改"} == {"FFFFF4CE"}


def test_statistics_sheets_show_the_sites_figures(example_xlsx: Path) -> None:
    from safedossier.analyse.views import Views

    d = check(REPO).dossier
    assert d is not None
    v = Views(d)
    s = v.statistics()
    wb = openpyxl.load_workbook(example_xlsx)
    rows = [[c.value for c in r] for r in wb["伤害总体情况"].iter_rows(min_row=2)]
    assert rows == v.year_rows(s["inj"], full=True)
    key, _, tab, _ = s["dims"][0]
    got = [[c.value for c in r] for r in wb[f"伤害{v.t[key]}"].iter_rows(min_row=2)]
    assert got == [[str(i), *vals] for i, vals in zip(tab.index, tab.values.tolist(), strict=True)]


def test_two_xlsx_exports_are_byte_identical(example_xlsx: Path, tmp_path: Path) -> None:
    again = tmp_path / "again.xlsx"
    assert export("xlsx", REPO, again) == 0
    assert again.read_bytes() == example_xlsx.read_bytes()


def test_no_private_value_in_the_workbook(starter: Path, tmp_path: Path) -> None:
    out = tmp_path / "w.xlsx"
    assert export("xlsx", private(starter), out) == 0
    assert scan_zip(out.read_bytes(), starter) == []


def test_a_leak_writes_no_workbook(starter: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    private(starter)
    edit(starter / "data/hazards.csv", "楼道堆放杂物", f"{NAMES[0]}家门口楼道堆放杂物")
    out = tmp_path / "w.xlsx"
    assert export("xlsx", starter, out) == 1
    assert not out.exists()
    assert "data/injuries.csv 第 2 行 [name]" in capsys.readouterr().err


def test_export_never_overwrites_sources_or_foreign_files(starter: Path, tmp_path: Path) -> None:
    before = (starter / "data/hazards.csv").read_bytes()
    assert export("xlsx", starter, starter / "data/hazards.xlsx") == 2
    assert not (starter / "data/hazards.xlsx").exists()
    foreign = tmp_path / "budget.xlsx"
    wb = openpyxl.Workbook()
    wb.save(foreign)
    kept = foreign.read_bytes()
    assert export("xlsx", starter, foreign) == 2
    assert foreign.read_bytes() == kept
    ours = tmp_path / "ours.xlsx"
    assert export("xlsx", starter, ours) == 0
    assert export("xlsx", starter, ours) == 0  # an earlier export may be replaced
    assert (starter / "data/hazards.csv").read_bytes() == before


# --- (3) fill-in templates ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def templates(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("tpl") / "templates"
    assert main(["templates", str(folder)]) == 0
    return folder


def test_templates_have_headers_comments_and_drop_downs(templates: Path) -> None:
    for t in TABLES:
        wb = openpyxl.load_workbook(templates / f"{t.name}.xlsx")
        ws = wb.worksheets[0]
        assert [c.value for c in ws[1]] == [f.label for f in t.fields]
        rules = {str(dv.sqref).split(":")[0]: dv for dv in ws.data_validations.dataValidation}
        for c, f in enumerate(t.fields):
            cell = ws.cell(1, c + 1)
            assert cell.comment is not None and f.label in cell.comment.text, (t.name, f.key)
            rule = rules.get(f"{cell.column_letter}2")
            if f.kind == "code" and not f.many:
                assert rule is not None and rule.type == "list", (t.name, f.key)
                listed = rule.formula1.strip('"').split(",") if rule.formula1.startswith('"') else None
                if listed is not None:
                    assert listed == list(f.codes), (t.name, f.key)
            elif f.kind == "date":
                assert rule is not None and rule.type == "date", (t.name, f.key)
    ws = openpyxl.load_workbook(templates / "injuries.xlsx").worksheets[0]
    kinds = {str(dv.sqref).split(":")[0]: (dv.type, dv.formula1) for dv in ws.data_validations.dataValidation}
    assert kinds["C2"] == ("list", '"男,女,其他,不清楚"')  # 性别
    assert kinds["B2"][0] == "date"


def _fill(template: Path, rows: list[dict[str, str]], name: str, out: Path) -> None:
    """What an office does: type the records under the headers, save (openpyxl writes like Excel)."""
    table = TABLE_BY_NAME[name]
    wb = openpyxl.load_workbook(template)
    ws = wb.worksheets[0]
    for r, rec in enumerate(rows, 2):
        for c, f in enumerate(table.fields, 1):
            raw = rec.get(f.key, rec.get(f.label, ""))
            if raw in ("", None):
                continue
            value: object = raw
            if f.kind == "date":
                value = dt.datetime.strptime(raw, "%Y-%m-%d")
            elif f.kind in ("int", "year") and raw.lstrip("-").isdigit():
                value = int(raw)
            ws.cell(r, c, value)
    wb.save(out)


def test_filled_templates_check_clean(starter: Path, templates: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rc, base = run_check(starter, capsys)
    assert rc == 0
    sizes = {}
    for path in sorted((starter / "data").glob("*.csv")):
        with path.open(encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.DictReader(fh))
        sizes[path.stem] = len(rows)
        _fill(templates / f"{path.stem}.xlsx", rows, path.stem, path.with_suffix(".xlsx"))
        path.unlink()
    rc, report = run_check(starter, capsys)
    assert rc == 0, report["diagnostics"]
    serious = [x for x in report["diagnostics"] if x["severity"] != "info"]
    assert len(serious) == len([x for x in base["diagnostics"] if x["severity"] != "info"]), serious
    d = check(starter).dossier
    assert d is not None
    assert {n: len(d.table(n)) for n in sizes} == sizes


def test_templates_are_never_written_into_a_dossier(starter: Path) -> None:
    before = sorted(p.name for p in (starter / "data").iterdir())
    assert main(["templates", str(starter / "data")]) == 2
    assert main(["templates", str(starter / "data" / "new")]) == 2
    assert sorted(p.name for p in (starter / "data").iterdir()) == before


# --- (1) dossier export docx -------------------------------------------------------------------

@pytest.fixture(scope="module")
def example_docx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("docx") / "report.docx"
    assert export("docx", REPO, out) == 0
    return out


def test_report_has_a_heading_per_element_in_order(example_docx: Path) -> None:
    import docx

    from safedossier.format.schema import ELEMENTS

    doc = docx.Document(str(example_docx))
    h1 = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert h1 == ["社区概况", *[f"{el.number}. {el.label}" for el in ELEMENTS], "附录 自评报告"]
    assert any(p.style.name == "Heading 2" for p in doc.paragraphs)
    body = zipfile.ZipFile(example_docx).read("word/document.xml").decode()
    assert body.count("<w:tblHeader") >= 10  # header rows repeat on every page
    assert 'w:anchor="sd_ch1"' in body and 'w:name="sd_ch1"' in body  # the linked list of headings
    footer = "".join(zipfile.ZipFile(example_docx).read(n).decode()
                     for n in zipfile.ZipFile(example_docx).namelist() if n.startswith("word/footer"))
    assert 'w:instr="PAGE"' in footer


def test_east_asian_font_on_defaults_styles_and_runs(example_docx: Path) -> None:
    import docx
    from docx.oxml.ns import qn

    styles = zipfile.ZipFile(example_docx).read("word/styles.xml").decode()
    defaults = styles[styles.index("<w:docDefaults"):styles.index("</w:docDefaults>")]
    assert 'w:eastAsia="Noto Serif CJK SC"' in defaults and 'w:eastAsia="zh-CN"' in defaults
    doc = docx.Document(str(example_docx))
    for name in ("Normal", "Heading 1", "Heading 2", "Title"):
        fonts = doc.styles[name].element.rPr.find(qn("w:rFonts"))
        assert fonts is not None and fonts.get(qn("w:eastAsia")), name
    runs = [r for p in doc.paragraphs for r in p.runs if r.text]
    assert all(r._r.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) for r in runs)


def test_report_shows_the_sites_statistics(example_docx: Path) -> None:
    import docx

    from safedossier.analyse.views import Views

    d = check(REPO).dossier
    assert d is not None
    v = Views(d)
    year_rows = [[str(x) for x in row] for row in v.year_rows(v.statistics()["inj"], full=True)]
    doc = docx.Document(str(example_docx))
    tables = [[[c.text for c in r.cells] for r in t.rows] for t in doc.tables]
    assert any(t[1:] == year_rows for t in tables)
    assert ["伤害记录", v.key_figures()[1][1]] in [row for t in tables for row in t]
    assert len(doc.inline_shapes) == len(v.statistics()["charts"])  # every chart of the site, as PNG


def test_two_docx_exports_are_byte_identical(example_docx: Path, tmp_path: Path) -> None:
    again = tmp_path / "again.docx"
    assert export("docx", REPO, again) == 0
    assert again.read_bytes() == example_docx.read_bytes()


def test_no_private_value_in_the_report(starter: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.docx"
    assert export("docx", private(starter), out) == 0
    assert scan_zip(out.read_bytes(), starter) == []


def test_a_leak_writes_no_report(starter: Path, tmp_path: Path) -> None:
    private(starter)
    edit(starter / "data/hazards.csv", "楼道堆放杂物", f"{NAMES[0]}家门口楼道堆放杂物")
    assert export("docx", starter, tmp_path / "r.docx") == 1
    assert not (tmp_path / "r.docx").exists()


@pytest.mark.skipif(not Path("/usr/bin/soffice").exists(), reason="LibreOffice (libreoffice-writer-nogui)")
def test_libreoffice_renders_every_element_title(example_docx: Path, tmp_path: Path) -> None:
    import subprocess

    from pypdf import PdfReader

    from safedossier.format.schema import ELEMENTS

    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(example_docx)], check=True, capture_output=True, timeout=120)
    text = "".join(p.extract_text() for p in PdfReader(tmp_path / "report.pdf").pages)
    flat = text.replace("\n", "").replace(" ", "")
    for el in ELEMENTS:
        assert f"{el.number}.{el.label}" in flat, el.label


def test_self_assessment_is_the_annex(starter: Path, tmp_path: Path) -> None:
    import docx
    from test_scoring import HAND, assessment, write

    write(starter, "schemes/hand.yml", HAND)
    assessment(starter, '  "1": {A: hi, B: mid}\n  "2": {X: lo}\n  "3": {A: mid, Z: hi}\n')
    out = tmp_path / "r.docx"
    assert export("docx", starter, out) == 0
    doc = docx.Document(str(out))
    h1 = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert h1[-1] == "附录 自评报告"
    annex = "\n".join(p.text for p in doc.paragraphs[[p.text for p in doc.paragraphs].index(h1[-1]):])
    assert "手工方案" in annex and "优秀" in annex
