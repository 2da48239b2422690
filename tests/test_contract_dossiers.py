"""Dossiers written from FORMAT.md alone check with 0 errors (issue 12 §1).

The fixtures under tests/fixtures/contract/ were written by reading FORMAT.md, not from `dossier init`:
`minimal` leaves out every optional key, column, file and table; `maximal` uses every optional key,
every accepted date form, header spelling, list separator, code alias and CSV encoding. Each is
checked as CSV and again with every table turned into an .xlsx holding real Excel date cells. The
warnings each may give are listed exactly: only what a reviewer would miss.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
import re
import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from safedossier.format.validate import check

FIXTURES = Path(__file__).parent / "fixtures" / "contract"
DATE_FORMATS = ("yyyy-mm-dd", 'yyyy"年"m"月"d"日"', "yyyy/m/d")  # how Excel/WPS show date cells in zh-CN


def copy(name: str, tmp_path: Path) -> Path:
    target = tmp_path / name
    shutil.copytree(FIXTURES / name, target)
    return target


def read_csv_text(path: Path) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("gb18030")


def csv_to_xlsx(path: Path) -> int:
    """Replace a CSV by an .xlsx as an office saves it: ISO dates become date cells (in the zh-CN
    display formats), short numbers become numbers. Returns the number of date cells written."""
    rows = list(csv.reader(io.StringIO(read_csv_text(path))))
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    dates = 0
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            cell = ws.cell(row=r, column=c)
            if r > 1 and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
                cell.value = dt.datetime.strptime(value, "%Y-%m-%d")
                cell.number_format = DATE_FORMATS[dates % len(DATE_FORMATS)]
                dates += 1
            elif r > 1 and re.fullmatch(r"-?\d{1,9}(\.\d+)?", value):
                cell.value = float(value) if "." in value else int(value)
            else:
                cell.value = value or None
    wb.save(path.with_suffix(".xlsx"))
    path.unlink()
    return dates


def as_format(root: Path, fmt: str) -> str:
    """Turn every table of `root` into `fmt`; the table files' suffix."""
    if fmt == "xlsx":
        assert sum(csv_to_xlsx(p) for p in sorted((root / "data").glob("*.csv"))) >= 10
    return f".{fmt}"


def diagnostics(root: Path) -> tuple[int, set[tuple[str, str, str]], list]:
    result = check(root)
    warnings = {(d.code, d.file, d.field) for d in result.diagnostics if d.severity == "warning"}
    errors = [d.render("zh") for d in result.diagnostics if d.severity == "error"]
    assert not errors, "\n".join(errors)
    return result.errors, warnings, result.diagnostics


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_minimal_dossier_from_format_md_checks_clean(tmp_path: Path, fmt: str) -> None:
    """Only what FORMAT.md marks required: `name:` alone in community.yml, bold columns only."""
    root = copy("minimal", tmp_path)
    as_format(root, fmt)
    errors, warnings, _ = diagnostics(root)
    assert errors == 0
    assert warnings == {  # a reviewer needs the cycle, a project's indicators and a plan's revision date
        ("cycle_missing", "dossier/community.yml", "cycle"),
        ("project_without_indicators", "dossier/05-projects.yml", "projects"),
        ("plan_without_revision", "dossier/07-emergency.yml", "plans"),
    }


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_maximal_dossier_from_format_md_checks_clean(tmp_path: Path, fmt: str) -> None:
    """Every optional key, file and column; every date form, alias, header spelling, separator and
    encoding (GB18030, UTF-8 with BOM); dossier/self-assessment.yml, stages, an activities table."""
    root = copy("maximal", tmp_path)
    ext = as_format(root, fmt)
    result = check(root)
    errors, warnings, diags = diagnostics(root)
    assert errors == 0
    # FORMAT.md names the activities table but none of its columns: the stranger's 活动名称 is no 名称
    misplaced = {w for w in warnings if w[0] in ("evidence_other_element", "evidence_far_date")}
    assert warnings - misplaced == {("column_missing", f"data/activities{ext}", "title")}
    # the stranger cites its two files from everywhere: a drill behind a committee notice is a warning, not a refusal
    assert ("evidence_other_element", f"data/drills{ext}", "evidence") in misplaced
    notes = {(d.code, d.file, d.found) for d in diags if d.severity == "info"}
    assert ("unlinked_ref", f"data/injuries{ext}", "镇卫生院") in notes  # free text, kept
    assert "score_incomplete" in {c for c, f, _ in notes if f == "dossier/self-assessment.yml"}  # 1 of 50 items
    d = result.dossier
    assert d is not None and d.cycle == (2023, 2024)
    inj = d.tables["injuries"].set_index("id")
    # aliases are read as the canonical codes; 其他/不清楚 are always allowed (DOMAIN.md)
    assert list(inj["cause"]) == ["跌倒/坠落", "机动车车祸", "刀/锐器伤", "其他", "烧烫伤"]
    assert list(inj["place"][:3]) == ["家中", "学校与公共场所", "贸易和服务场所"]
    assert list(inj["sex"][:3]) == ["女", "男", "女"] and inj.loc["SH02", "occupation"] == "在校学生"
    assert inj.loc["SH03", "occupation"] == "商业和服务业人员" and inj.loc["SH03", "intent"] == "故意(暴力、攻击)"
    assert (inj.loc["SH04", "severity"], inj.loc["SH04", "outcome"]) == ("不清楚", "不清楚")
    # every date form gives the same calendar date, in CSV text or in an Excel date cell
    assert [str(x.date()) for x in inj["date"]] == ["2023-01-05", "2023-02-14", "2023-03-03", "2024-04-04",
                                                    "2024-05-05"]
    members = d.tables["members"].set_index("id")
    assert {str(x.date()) for x in members["since"]} == {"2023-01-09"}
    assert list(d.tables["population"]["year"]) == [2023, 2024]  # `2024年` is a year
    lists = d.tables["inspections"].set_index("id")["hazards"]
    assert list(lists["JC02"]) == ["YH02", "YH04"] and list(d.tables["meetings"]["evidence"])[2] == ["E01", "E02"]
    stages = d.community["stages"]
    assert [(s["start"], s["end"]) for s in stages[:2]] == [("2023-01-01", "2023-03-31"), ("2023-04-01", "2023-06-30")]
    assert d.element("organisation")["committee"]["established"] == "2023-01-09"
    if fmt == "xlsx":
        ws = openpyxl.load_workbook(root / "data/hazards.xlsx").active
        assert isinstance(ws["B2"].value, dt.datetime)  # the date really was a date cell


@pytest.mark.parametrize(("file", "old", "new", "code", "field"), [
    # types FORMAT.md does not give: written as an office would, kept as text, a warning
    ("dossier/02-participation.yml", "people: 320", "people: 约320人", "type", "volunteers.people"),
    ("dossier/07-emergency.yml", "capacity: 2000", "capacity: 2000人左右", "type", "shelters[0].capacity"),
    ("dossier/05-projects.yml", "start: 2023-03-01", "start: 2023年3月", "date_invalid", "projects[0].start"),
    ("data/hazards.csv", "2024-09-30,", "立即整改,", "date_invalid", "due"),
    # rules FORMAT.md does not state: dates in an odd order, events outside the cycle
    ("data/actions.csv", "2023-04-30,2023-04-20", "2023-04-30,2023-02-20", "date_order", "done"),
    ("data/trainings.csv", "2024-10-15", "2025-01-15", "date_outside_cycle", "date"),
    ("dossier/12-review.yml", "date: 2024-12-16", "date: 2025-01-06", "date_outside_cycle", "reviews[1].date"),
])
def test_what_format_md_leaves_open_is_a_warning(tmp_path: Path, file: str, old: str, new: str, code: str,
                                                 field: str) -> None:
    root = copy("maximal", tmp_path)
    path = root / file
    enc = "gb18030" if path.name == "hazards.csv" else "utf-8"
    text = path.read_bytes().decode(enc)
    assert old in text
    path.write_bytes(text.replace(old, new, 1).encode(enc))
    result = check(root)
    assert result.errors == 0, [x.render("zh") for x in result.diagnostics if x.severity == "error"]
    hits = [x for x in result.diagnostics if x.code == code and x.field == field]
    assert [x.severity for x in hits] == ["warning"], [x.render("zh") for x in result.diagnostics]
    if code == "type":  # shown as the office wrote it
        section = "participation" if "participation" in file else "emergency"
        doc = result.dossier.element(section)
        value = doc["volunteers"]["people"] if section == "participation" else doc["shelters"][0]["capacity"]
        assert value == new.split(": ", 1)[1]


def test_an_unknown_file_in_dossier_is_a_warning_and_a_misspelt_element_still_fails(tmp_path: Path) -> None:
    root = copy("minimal", tmp_path)
    (root / "dossier/说明.docx").write_bytes(b"PK\x03\x04")
    assert check(root).errors == 0
    (root / "dossier/10-archive.yml").rename(root / "dossier/10-archives.yml")
    result = check(root)
    assert {(d.severity, d.code, d.file) for d in result.diagnostics if d.code != "plan_without_revision"} >= {
        ("warning", "unknown_element_file", "dossier/说明.docx"),
        ("warning", "unknown_element_file", "dossier/10-archives.yml"),
        ("error", "file_missing", "dossier/10-archive.yml"),
    }


# --- a held-out style dossier: a township's own files, built and counted ---------------------------

HELDOUT_YEARS = {2022: 131, 2023: 118, 2024: 149}
SOURCES = ("镇卫生院", "县人民医院", "村卫生室", "桃源镇卫生院")  # only the last is a network point's name
HEADERS = ["编号", "发生日期", "性别", "年龄", "职业", "原因", "地点", "严重程度", "结局", "报告来源", "所属单元", "姓名"]


def _heldout(tmp_path: Path) -> Path:
    """The minimal dossier grown the way an office grows it: three years, a GB18030 injury register
    with Chinese headers in its own order, the hazard register as .xlsx, hospitals by short names."""
    root = copy("minimal", tmp_path)
    (root / "dossier/community.yml").write_text(
        "name: 桃源镇\nlevel: 乡镇\ntarget: 省级安全社区\ncycle: {start: 2022, end: 2024}\n"
        "units:\n  - {id: C01, name: 桃源村, kind: 村}\n  - {id: C02, name: 杏花村, kind: 村}\n", encoding="utf-8")
    rng = random.Random(12)
    causes = ["跌倒/坠落", "跌倒/坠落伤", "机动车车祸", "道路交通伤害", "刀/锐器伤", "钝器伤", "动物伤", "其他"]
    lines = [",".join(HEADERS)]
    n = 0
    for year, count in HELDOUT_YEARS.items():
        for _ in range(count):
            n += 1
            day = dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(365))
            date = (day.isoformat(), f"{day.year}/{day.month}/{day.day}", f"{day.year}年{day.month}月{day.day}日")[n % 3]
            lines.append(",".join([
                f"{year}-{n:04d}", date, rng.choice(["男", "女"]), str(rng.randrange(0, 95)),
                rng.choice(["农牧渔水利业生产人员", "离退休人员", "在校学生", "不清楚"]), rng.choice(causes),
                rng.choice(["家中", "公路/街道", "农场/农田", "学校和公共场所"]), rng.choice(["轻度", "中度", "重度"]),
                rng.choice(["处理后离院", "住院", "转院"]), rng.choice(SOURCES), rng.choice(["C01", "C02", ""]),
                f"村民{n}"]))
    (root / "data/injuries.csv").write_bytes(("\r\n".join(lines) + "\r\n").encode("gb18030"))
    yearly = {"meetings": "HY{y},{y}-03-01,委员会会议,年度工作会议", "trainings": "PX{y},{y}/4/10,防跌倒讲座,讲座,60",
              "drills": "YL{y},{y}年6月5日,火灾疏散,300", "inspections": "JC{y},{y}-05-01,节假日检查,农贸市场"}
    for table, row in yearly.items():
        path = root / f"data/{table}.csv"
        head = path.read_text(encoding="utf-8").splitlines()[0]
        path.write_text("\n".join([head, *(row.format(y=y) for y in HELDOUT_YEARS)]) + "\n", encoding="utf-8")
    (root / "data/population.csv").write_text("年份,总人口\n2022,29800\n2023,30000\n2024,30100\n", encoding="utf-8")
    (root / "data/hazards.csv").write_text(
        "编号,发现日期,地点,类别,隐患描述,等级,所属单元,销号日期\n"
        "YH1,2022-03-02,桃源村小学门口,交通安全,缺少交通标志,一般,C01,2022-04-01\n"
        "YH2,2023-05-10,杏花村水塘,涉水安全,缺少护栏,较大,C02,\n", encoding="utf-8")
    csv_to_xlsx(root / "data/hazards.csv")
    return root


def test_heldout_style_dossier_builds_and_its_yearly_counts_are_the_files(tmp_path: Path) -> None:
    from safedossier.outputs.site.build import build

    root = _heldout(tmp_path)
    errors, warnings, diags = diagnostics(root)
    assert errors == 0 and warnings == {("plan_without_revision", "dossier/07-emergency.yml", "plans"),
                                        ("project_without_indicators", "dossier/05-projects.yml", "projects")}
    unlinked = {d.found for d in diags if d.code == "unlinked_ref"}
    assert unlinked == {"镇卫生院", "县人民医院", "村卫生室"}  # notes, not errors; 桃源镇卫生院 links
    res = build(root, tmp_path / "site")
    assert res.ok, res.diagnostics
    html = (tmp_path / "site/statistics/index.html").read_text(encoding="utf-8")
    shown = _yearly_cases(html)
    frame = pd.read_csv(root / "data/injuries.csv", encoding="gb18030", dtype=str)
    counted = frame["发生日期"].str.extract(r"^(\d{4})")[0].astype(int).value_counts().to_dict()
    assert shown == counted == HELDOUT_YEARS


def _yearly_cases(html: str) -> dict[int, int]:
    """Year → cases from the first table of the statistics page (the injury overview)."""
    table = re.search(r"<table.*?</table>", html, re.S)
    assert table, "no table on the statistics page"
    out = {}
    for row in re.findall(r"<tr>(.*?)</tr>", table.group(0), re.S):
        cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        if len(cells) >= 2 and re.fullmatch(r"\d{4}", cells[0]):
            out[int(cells[0])] = int(cells[1].replace(",", ""))
    return out
