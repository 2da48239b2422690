"""`diff.py`: two hand-edited copies of the starter dossier, and the exact changes reported.

Each test copies the starter twice (old `a`, new `b`), edits the files as an office would (CSV and
YAML text), validates both, and compares the report item by item.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import markdown
import numpy as np
import pandas as pd
import pytest
import yaml
from conftest import STARTER_YEAR

from safedossier.archive.changes import (
    CountDelta,
    DiffReport,
    FieldChange,
    Hazard,
    IndicatorChange,
    Item,
    ItemChange,
    Member,
    is_empty,
    to_json,
)
from safedossier.archive.changes_render import PAPER_MAX_ITEMS, md_escape, render_markdown, render_text
from safedossier.archive.changes_summary import summary_paragraph
from safedossier.archive.diff import diff_dossiers
from safedossier.format.model import Dossier
from safedossier.format.validate import check

YEAR = STARTER_YEAR  # the conftest starter's cycle


@pytest.fixture
def template(_starter_template: Path) -> Path:
    """The session's starter dossier (conftest), never modified: pairs are copies of it."""
    return _starter_template


@pytest.fixture
def pair(template: Path, tmp_path: Path) -> tuple[Path, Path]:
    a, b = tmp_path / "a", tmp_path / "b"
    shutil.copytree(template, a)
    shutil.copytree(template, b)
    return a, b


def load(path: Path) -> Dossier:
    result = check(path)
    errors = [d for d in result.diagnostics if d.severity == "error"]
    assert not errors, errors
    assert result.dossier is not None
    return result.dossier


def diff(a: Path, b: Path) -> DiffReport:
    return diff_dossiers(load(a), load(b))


def append(path: Path, *lines: str) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(text.rstrip("\n") + "\n" + "\n".join(lines) + "\n", encoding="utf-8")


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def edit_yaml(path: Path, fn: Callable[[dict[str, Any]], None]) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    fn(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def set_cycle_end(root: Path, end: int) -> None:
    edit_yaml(root / "dossier/community.yml", lambda d: d["cycle"].update(end=end))


# --- self-diff -------------------------------------------------------------------------------

def test_self_diff_is_empty(pair: tuple[Path, Path]) -> None:
    a, b = pair
    report = diff(a, b)
    assert is_empty(report)
    assert "没有变化" in render_text(report)
    assert render_markdown(report).startswith("# 本版变更\n\n没有变化")
    assert "No changes" in render_markdown(report, "en")
    assert "No changes" in render_text(report, "en")
    assert summary_paragraph(report) == "与上一版相比没有变化。"
    assert json.loads(to_json(report))["members"] == {"joined": [], "left": [], "changed": []}


def test_reordering_rows_is_not_a_change(pair: tuple[Path, Path]) -> None:
    a, b = pair
    members = b / "data/members.csv"
    head, *rows = members.read_text(encoding="utf-8").splitlines()
    members.write_text("\n".join([head, *reversed(rows)]) + "\n", encoding="utf-8")
    assert is_empty(diff(a, b))


# --- members ---------------------------------------------------------------------------------

def test_members_joined_left_changed(pair: tuple[Path, Path]) -> None:
    a, b = pair
    append(a / "data/members.csv", "M06,钱多,东风社区,委员,组员,G01,,")
    m = b / "data/members.csv"
    append(m, "M05,孙丽,青山区应急管理局,科长,委员,committee,2025-06-01,")
    replace(m, "M03,王芳,东风社区,书记,组长,G01,,", "M03,王芳,东风社区,书记,组长,G01,,2025-10-31")
    replace(m, "M02,李明,示例街道办事处,副主任", "M02,李明,示例街道应急办,副主任")
    replace(m, "M04,赵强,社区卫生服务中心,主任,组长,G02", "M04,赵强,社区卫生服务中心,副主任,副组长,G01")
    report = diff(a, b)
    assert report.members.joined == [
        Member("M05", "孙丽", "委员", "committee", "示例街道安全社区促进委员会", "青山区应急管理局")]
    assert report.members.left == [
        Member("M03", "王芳", "组长", "G01", "老年人安全促进组", "东风社区"),
        Member("M06", "钱多", "组员", "G01", "老年人安全促进组", "东风社区")]
    assert report.members.changed == [
        ItemChange("M02", "李明", [FieldChange("organisation", "单位", "organisation", "示例街道办事处", "示例街道应急办")]),
        ItemChange("M04", "赵强", [
            FieldChange("title", "职务", "title", "主任", "副主任"),
            FieldChange("role", "角色", "role", "组长", "副组长"),
            FieldChange("group", "所属机构", "group", "G02", "G01"),
        ]),
    ]
    assert summary_paragraph(report).startswith("与上一版相比：新增成员 1 人、离任 2 人、成员信息变更 2 人")


# --- element documents -----------------------------------------------------------------------

def test_element_documents_and_collections(pair: tuple[Path, Path]) -> None:
    a, b = pair

    def org(d: dict[str, Any]) -> None:
        d["summary"] = "街道成立促进委员会，下设办公室和三个工作组。"
        d["committee"]["document"] = "示街〔2025〕9号"
        d["groups"][0]["leader"] = "M01"
        d["groups"].append({"id": "G03", "name": "宣传教育组", "kind": "非专项", "leader": "M02"})

    def emergency(d: dict[str, Any]) -> None:
        d["plans"][0]["revised"] = "2025-09-01"
        d["plans"].append({"id": "YA02", "name": "防汛应急预案", "kind": "专项预案"})
        d["teams"].append({"name": "志愿消防队", "people": 12})

    edit_yaml(b / "dossier/01-organisation.yml", org)
    edit_yaml(b / "dossier/07-emergency.yml", emergency)
    edit_yaml(b / "dossier/03-risk.yml", lambda d: d["diagnoses"][0].update(sample_size=350))
    edit_yaml(b / "dossier/04-goals.yml", lambda d: d["plans"].append({"id": "JH02", "title": "2025年下半年计划"}))
    edit_yaml(b / "dossier/08-monitoring.yml",
              lambda d: d["network"].append({"id": "N02", "name": "派出所", "kind": "派出所", "reports": ["治安"]}))
    edit_yaml(b / "dossier/12-review.yml", lambda d: d["reviews"][0].update(score=90))
    edit_yaml(b / "dossier/11-corrective.yml", lambda d: d.update(summary="新增的概述。"))

    def community(d: dict[str, Any]) -> None:
        d["office"]["phone"] = "010-87654321"
        d["units"].append({"id": "U03", "name": "西湖村", "kind": "村"})
        d["region"] = ["某省", "某市", "新区"]

    edit_yaml(b / "dossier/community.yml", community)
    report = diff(a, b)

    org_doc = report.document("organisation")
    assert org_doc.fields == [
        FieldChange("committee.document", "促进委员会 · 成立文号", "committee · document", "示街〔2025〕1号", "示街〔2025〕9号"),
        FieldChange("summary", "概述", "summary", "街道成立安全社区促进委员会，下设办公室和工作组。",
                    "街道成立促进委员会，下设办公室和三个工作组。"),
    ]
    groups = report.collection("organisation", "groups")
    assert groups.added == [Item("G03", "宣传教育组")]
    assert groups.removed == []
    assert groups.changed == [ItemChange("G01", "老年人安全促进组", [FieldChange("leader", "组长", "leader", "M03", "M01")])]
    assert report.collection("risk", "diagnoses").changed == [
        ItemChange("D01", "2025年社区安全诊断", [FieldChange("sample_size", "样本量", "sample size", 300, 350)])]
    assert report.collection("goals", "plans").added == [Item("JH02", "2025年下半年计划")]
    em = report.document("emergency")
    assert report.collection("emergency", "plans").added == [Item("YA02", "防汛应急预案")]
    assert report.collection("emergency", "plans").changed == [
        ItemChange("YA01", "街道突发事件总体应急预案",
                   [FieldChange("revised", "修订日期", "revised", "2025-02-01", "2025-09-01")])]
    assert em.fields == [FieldChange("teams[志愿消防队]", "应急队伍「志愿消防队」", "teams [志愿消防队]", None, "志愿消防队",
                                     "added")]
    assert report.collection("monitoring", "network").added == [Item("N02", "派出所")]
    assert report.collection("review", "reviews").changed == [
        ItemChange("R01", "", [FieldChange("score", "得分", "score", 85, 90)])]
    assert report.document("corrective").fields == [FieldChange("summary", "概述", "summary", None, "新增的概述。")]
    prof = report.document("community")
    assert prof.fields == [
        FieldChange("region", "所在地区", "region", ["某省", "某市", "某区"], ["某省", "某市", "新区"]),
        FieldChange("office.phone", "办公室 · 电话", "office · phone", "010-12345678", "010-87654321"),
    ]
    assert prof.collections[0].added == [Item("U03", "西湖村")]

    text = render_text(report)
    assert "概述已修改" in text
    assert "所在地区：新增 新区；删除 某区" in text
    assert "组长：M03 → M01" in text


# --- projects and indicators -----------------------------------------------------------------

def test_projects_and_indicator_values(pair: tuple[Path, Path]) -> None:
    a, b = pair

    def projects(d: dict[str, Any]) -> None:
        p = d["projects"][0]
        p["status"] = "已完成"
        p["interventions"].append("安装扶手")
        ind = p["indicators"][0]
        ind["baseline"]["value"] = 12.5
        ind["target"] = {"year": 2026, "value": 9.0}
        ind["actual"] = {2025: 7.9}
        p["indicators"].append({"name": "讲座覆盖率", "unit": "%"})
        d["projects"].append({"id": "P02", "name": "交通安全项目", "area": "交通安全", "group": "G02",
                              "indicators": [{"name": "事故数", "actual": {2025: 3}}]})

    edit_yaml(b / "dossier/05-projects.yml", projects)
    report = diff(a, b)
    base = dict(project="P01", project_name="老年人防跌倒项目", indicator="老年人跌倒发生率", unit="‰")
    assert report.indicators == [
        IndicatorChange(**base, kind="baseline", old_year=2025, old=12.0, new_year=2025, new=12.5),
        IndicatorChange(**base, kind="target", old_year=2025, old=10.0, new_year=2026, new=9.0),
        IndicatorChange(**base, kind="actual", old_year=2025, old=11.0, new_year=2025, new=7.9),
    ]
    projects_diff = report.collection("projects", "projects")
    assert projects_diff.added == [Item("P02", "交通安全项目")]
    assert projects_diff.changed == [ItemChange("P01", "老年人防跌倒项目", [
        FieldChange("interventions", "干预措施", "interventions", ["居家适老化改造", "防跌倒讲座"],
                    ["居家适老化改造", "防跌倒讲座", "安装扶手"]),
        FieldChange("indicators[讲座覆盖率]", "评价指标「讲座覆盖率」", "indicators [讲座覆盖率]", None, "讲座覆盖率", "added"),
        FieldChange("status", "状态", "status", "进行中", "已完成"),
    ])]
    en = render_text(report, "en")
    assert "indicator 老年人跌倒发生率 of project P01 (老年人防跌倒项目): 2025 actual 11 → 7.9 ‰" in en
    zh = render_markdown(report)
    assert "项目 P01「老年人防跌倒项目」指标「老年人跌倒发生率」：2025年实际值 11 → 7.9 ‰" in zh
    assert "指标「老年人跌倒发生率」：目标值 10 ‰（2025年） → 9 ‰（2026年）" in zh
    assert "指标「老年人跌倒发生率」：2025年基线 12 → 12.5 ‰" in zh


# --- hazards ---------------------------------------------------------------------------------

HAZ = "{id},2025-05-0{d},东风社区{id},U01,消防安全,{desc},{level},否,,,,{closed}"


def test_hazards_found_closed_open_removed(pair: tuple[Path, Path]) -> None:
    a, b = pair
    append(a / "data/hazards.csv",
           HAZ.format(id="H02", d=1, desc="灭火器过期", level="一般", closed=""),
           HAZ.format(id="H03", d=2, desc="电线私拉", level="一般", closed=""),
           HAZ.format(id="H04", d=3, desc="通道堵塞", level="一般", closed=""))
    append(b / "data/hazards.csv",
           HAZ.format(id="H02", d=1, desc="灭火器过期", level="一般", closed="2025-06-01"),
           HAZ.format(id="H03", d=2, desc="电线私拉", level="较大", closed=""),
           HAZ.format(id="H05", d=4, desc="井盖缺失", level="重大", closed=""),
           HAZ.format(id="H06", d=5, desc="护栏松动", level="一般", closed="2025-05-20"))
    h = diff(a, b).hazards
    assert h.found == [Hazard("H05", "井盖缺失", "东风社区H05", "重大", None),
                       Hazard("H06", "护栏松动", "东风社区H06", "一般", "2025-05-20")]
    assert [x.id for x in h.closed] == ["H02", "H06"]
    assert h.closed[0] == Hazard("H02", "灭火器过期", "东风社区H02", "一般", "2025-06-01")
    assert h.still_open == [Hazard("H03", "电线私拉", "东风社区H03", "较大", None)]
    assert h.removed == [Hazard("H04", "通道堵塞", "东风社区H04", "一般", None)]
    assert h.changed == [ItemChange("H03", "电线私拉", [FieldChange("level", "等级", "level", "一般", "较大")])]


# --- registers -------------------------------------------------------------------------------

def test_records_ids_counts_and_completed_actions(pair: tuple[Path, Path]) -> None:
    a, b = pair
    set_cycle_end(b, 2026)
    append(b / "data/trainings.csv", "PX02,2025-06-01,消防知识讲座,讲座,居民,40,,",
           "PX03,2026-03-01,交通安全宣传,宣传活动,学生,120,,")
    replace(b / "data/drills.csv", "YL01,", "YL02,")
    replace(b / "data/meetings.csv", ",25,E01", ",30,E01")
    replace(b / "data/actions.csv", "2025-12-31,,,", "2025-12-31,2025-12-28,已验证,")
    append(b / "data/accidents.csv", "SG02,2025-11-02,火灾,某小区,1,2,3.5,厨房起火")
    append(b / "data/inspections.csv", "JC02,2026-01-10,节假日检查,商场,街道安监办,0,,")
    report = diff(a, b)
    tr = report.record("trainings")
    assert (tr.added, tr.removed, tr.changed) == (["PX02", "PX03"], [], [])
    assert tr.by_year == [CountDelta(2025, 1, 2, 1), CountDelta(2026, 0, 1, 1)]
    dr = report.record("drills")
    assert (dr.added, dr.removed, dr.by_year) == (["YL02"], ["YL01"], [CountDelta(2025, 1, 1, 0), CountDelta(2026, 0, 0, 0)])
    assert report.record("meetings").changed == [ItemChange("HY01", "安全社区建设启动会", [
        FieldChange("attendees", "参会人数", "attendees", 25, 30)])]
    ac = report.record("actions")
    assert ac.completed == ["A01"]  # the verification was also added, the done date is not repeated
    assert ac.changed == [ItemChange("A01", "隐患整改滞后", [
        FieldChange("verified", "验证结论", "verification", None, "已验证")])]
    assert report.record("accidents").added == ["SG02"]
    assert report.record("inspections").by_year == [CountDelta(2025, 1, 1, 0), CountDelta(2026, 0, 1, 1)]
    acc = report.accidents
    assert acc.count == [CountDelta(2025, 1, 2, 1), CountDelta(2026, 0, 0, 0)]
    assert acc.deaths == [CountDelta(2025, 0, 1, 1), CountDelta(2026, 0, 0, 0)]
    assert acc.injured == [CountDelta(2025, 1, 3, 2), CountDelta(2026, 0, 0, 0)]
    assert acc.by_kind == [CountDelta(2025, 0, 1, 1, "火灾")]


def test_a_modified_record_shows_each_changed_field_old_to_new(pair: tuple[Path, Path]) -> None:
    """Issue 13 §4: "YL01 参加人数 80 → 148", not only "修改（1）：YL01", in every output."""
    a, b = pair
    replace(b / "data/drills.csv", ",80,", ",148,")
    replace(b / "data/drills.csv", "疏散有序", "疏散有序，用时3分钟")
    report = diff(a, b)
    assert report.record("drills").changed == [ItemChange("YL01", "居民楼火灾疏散", [
        FieldChange("participants", "参加人数", "participants", 80, 148),
        FieldChange("evaluation", "评估结论", "evaluation", "疏散有序", "疏散有序，用时3分钟")])]

    md = render_markdown(report).splitlines()
    i = md.index("- 修改 YL01 居民楼火灾疏散")
    assert md[i + 1:i + 3] == ["    - 参加人数：80 → 148", "    - 评估结论：疏散有序 → 疏散有序，用时3分钟"]
    assert render_markdown(report, "zh", PAPER_MAX_ITEMS).splitlines()[i + 1] == "    - 参加人数：80 → 148"
    en = render_markdown(report, "en").splitlines()
    assert "    - participants: 80 → 148" in en
    text = render_text(report).splitlines()
    assert "    · 修改 YL01 居民楼火灾疏散" in text and "      - 参加人数：80 → 148" in text
    [drill] = json.loads(to_json(report))["records"][3]["changed"]
    assert drill["id"] == "YL01"
    assert drill["changes"][0] == {"path": "participants", "label": "参加人数", "label_en": "participants",
                                   "old": 80, "new": 148, "kind": "changed"}
    assert summary_paragraph(report) == "与上一版相比：演练修改 1 条。"


def test_completing_an_action_alone_is_not_also_a_change(pair: tuple[Path, Path]) -> None:
    a, b = pair
    replace(b / "data/actions.csv", "2025-12-31,,,", "2025-12-31,2025-12-28,,")
    ac = diff(a, b).record("actions")
    assert (ac.completed, ac.changed) == (["A01"], [])


# --- evidence --------------------------------------------------------------------------------

def test_evidence_added_removed_content_and_title(pair: tuple[Path, Path]) -> None:
    a, b = pair
    (a / "evidence/10-archive").mkdir()
    (a / "evidence/10-archive/old.txt").write_text("旧目录\n", encoding="utf-8")
    append(a / "data/evidence.csv", "E04,档案目录,10,2025-02-01,10-archive/old.txt,表格,")
    new_bytes = "关于成立安全社区促进委员会的通知（修订版）\n".encode()
    (b / "evidence/01-organisation/committee.txt").write_bytes(new_bytes)
    (b / "evidence/06-training").mkdir()
    (b / "evidence/06-training/photo.txt").write_text("照片说明\n", encoding="utf-8")
    append(b / "data/evidence.csv", "E03,培训照片,6,2025-05-12,06-training/photo.txt,照片,")
    replace(b / "data/evidence.csv", "社区安全诊断报告,3", "社区安全诊断报告（终稿）,3")
    ev = diff(a, b).evidence
    assert ev.added == [Item("E03", "培训照片")]
    assert ev.removed == [Item("E04", "档案目录")]
    old_bytes = (a / "evidence/01-organisation/committee.txt").read_bytes()
    assert [(c.id, c.file, c.old_sha256, c.new_sha256) for c in ev.content_changed] == [
        ("E01", "01-organisation/committee.txt", hashlib.sha256(old_bytes).hexdigest(),
         hashlib.sha256(new_bytes).hexdigest())]
    assert ev.changed == [ItemChange("E02", "社区安全诊断报告（终稿）", [
        FieldChange("title", "名称", "title", "社区安全诊断报告", "社区安全诊断报告（终稿）")])]


# --- injuries: aggregates only ---------------------------------------------------------------

INJ = "{id},2025-{m}-15,男,{age},,{cause},家中,休闲活动,非故意,,,轻度,{outcome},U01,N01"


def test_injuries_are_aggregates_and_private_values_never_shown(pair: tuple[Path, Path]) -> None:
    a, b = pair
    inj = b / "data/injuries.csv"
    lines = inj.read_text(encoding="utf-8").splitlines()
    lines = [lines[0] + ",姓名,电话,住址"] + [line + ",,," for line in lines[1:]]
    lines.append(INJ.format(id="SH006", m="10", age=80, cause="跌倒/坠落", outcome="死亡") + ",张三丰,13912345678,幸福路9号")
    lines.append(INJ.format(id="SH007", m="11", age=30, cause="烧烫伤", outcome="住院") + ",李四光,13800001111,")
    lines[5] = lines[5].replace("刀/锐器伤", "跌倒/坠落")  # SH005 recoded
    inj.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = diff(a, b)
    assert report.injuries.cases == [CountDelta(2025, 5, 7, 2)]
    # the report publishes what each version's site publishes: 1 death is hidden there, so here too,
    # and every cause has fewer than 5 cases, so only their merged group 其他 is shown (5 → 7)
    assert report.injuries.deaths == [CountDelta(2025, 0, None, None)]
    assert report.injuries.by_cause == [CountDelta(2025, 5, 7, 2, "其他")]
    assert (report.injuries.total_old, report.injuries.total_new) == (5, 7)
    assert summary_paragraph(report) == "与上一版相比：伤害记录合计 5 → 7 例。"
    outputs = [render_text(report), render_text(report, "en"), render_markdown(report),
               render_markdown(report, "en"), to_json(report), summary_paragraph(report)]
    for out in outputs:
        for private in ("张三丰", "李四光", "13912345678", "13800001111", "幸福路", "SH00"):
            assert private not in out
    assert r"| 2025 | 5 | 7 | +2 | 0 | \* | — |" in render_markdown(report)  # Markdown-escaped mark


# --- population and pages --------------------------------------------------------------------

def test_population_and_pages(pair: tuple[Path, Path]) -> None:
    a, b = pair
    (a / "dossier/pages/old.md").write_text("# 旧页面\n\n内容\n", encoding="utf-8")
    replace(b / "data/population.csv", "2025,50000,25000", "2025,51000,26000")
    (b / "dossier/pages/self-assessment.md").write_text("# 自评报告\n\n正文\n", encoding="utf-8")
    page = b / "dossier/pages/work-report.md"
    replace(page, "- 开展社区诊断\n", "- 开展社区诊断\n- 开展隐患排查\n\n````\n代码 ``` 示例\n````\n")
    report = diff(a, b)
    assert report.population.changed == [ItemChange("2025", "", [
        FieldChange("total", "总人口", "total", 50000, 51000), FieldChange("male", "男", "male", 25000, 26000)])]
    assert report.pages.added == [Item("dossier/pages/self-assessment.md", "自评报告")]
    assert report.pages.removed == [Item("dossier/pages/old.md", "旧页面")]
    [changed] = report.pages.changed
    assert changed.file == "dossier/pages/work-report.md" and changed.title == "工作报告"
    assert "+- 开展隐患排查" in changed.diff.splitlines()
    md = render_markdown(report)
    assert "\n`````diff\n" in md and "\n`````\n" in md  # longer than the page's own ```` fence
    assert "+- 开展隐患排查" in md.splitlines()
    html_out = markdown.markdown(md, extensions=["fenced_code", "tables"])
    assert "+- 开展隐患排查" in html_out and "<li>开展隐患排查" not in html_out


# --- rendering -------------------------------------------------------------------------------

def test_renderings_key_lines(pair: tuple[Path, Path]) -> None:
    a, b = pair
    append(b / "data/members.csv", "M05,孙丽,青山区应急管理局,科长,委员,committee,2025-06-01,")
    append(b / "data/hazards.csv", "H02,2025-05-01,菜市场,U01,消防安全,灭火器过期,一般,否,,,,")
    edit_yaml(b / "dossier/01-organisation.yml", lambda d: d["groups"][1].update(name="伤害监测组"))
    report = diff(a, b)
    assert not is_empty(report)
    assert summary_paragraph(report) == (
        "与上一版相比：新增成员 1 人；新发现隐患 1 项；工作组修改 1 项。")
    assert summary_paragraph(report, "en") == (
        "Compared with the previous version: 1 member joined; 1 hazard found; work groups: 1 changed.")

    text = render_text(report)
    assert text.splitlines()[0] == "本版变更：示例街道 → 示例街道"
    assert "【要素 1：安全社区建设机构与职责】" in text
    assert "    · 新增成员 M05 孙丽（委员，示例街道安全社区促进委员会）" in text.splitlines()
    assert "    · 新发现隐患 H02 灭火器过期（一般，菜市场）" in text.splitlines()
    assert "      - 名称：伤害统计与监测组 → 伤害监测组" in text.splitlines()
    assert "      · 仍未销号" not in text

    md = render_markdown(report)
    lines = md.splitlines()
    assert lines[0] == "# 本版变更"
    assert "## 要素 1：安全社区建设机构与职责" in lines
    assert "### 成员" in lines and "### 工作组" in lines
    assert "- 新增成员 M05 孙丽（委员，示例街道安全社区促进委员会）" in lines
    assert "- 修改 G02 伤害监测组" in lines
    assert "    - 名称：伤害统计与监测组 → 伤害监测组" in lines
    assert "## 要素 3：事故与伤害风险辨识及其评价" in lines
    assert "# Changes in this version" == render_markdown(report, "en").splitlines()[0]
    assert "## Element 1: Organisation and duties" in render_markdown(report, "en").splitlines()

    data = json.loads(to_json(report))
    assert list(data) == ["old", "new", "documents", "indicators", "population", "members", "hazards",
                          "records", "evidence", "injuries", "accidents", "pages"]
    assert data["members"]["joined"][0]["name"] == "孙丽"
    assert data["hazards"]["found"][0]["id"] == "H02"
    assert "孙丽" in to_json(report)  # ensure_ascii=False
    assert to_json(report) == to_json(diff(a, b))  # stable


def test_markdown_escapes_hostile_values(pair: tuple[Path, Path]) -> None:
    a, b = pair
    hostile = "<script>alert(1)</script> *x* | [l](javascript:1) &amp;"
    edit_yaml(b / "dossier/01-organisation.yml", lambda d: d["groups"][0].update(name=hostile))
    edit_yaml(b / "dossier/07-emergency.yml", lambda d: d["plans"][0].update(scope="全街道\x1b[2J"))
    append(b / "data/evidence.csv", f'E03,"{hostile}",1,2025-01-10,01-organisation/committee2.txt,文件,')
    (b / "evidence/01-organisation/committee2.txt").write_text("x\n", encoding="utf-8")
    page = b / "dossier/pages/work-report.md"
    replace(page, "- 建立组织机构", "- 建立组织机构 <img src=x onerror=alert(1)>")
    report = diff(a, b)
    md = render_markdown(report)
    outside_fences = re.sub(r"(?ms)^(`{3,})diff\n.*?^\1$", "", md)
    for raw in ("<script", "<img", "](javascript"):
        assert raw not in outside_fences
    assert "&lt;script&gt;alert\\(1\\)&lt;/script&gt; \\*x\\* \\| \\[l\\]\\(javascript:1\\) &amp;amp;" in md
    html_out = markdown.markdown(md, extensions=["fenced_code", "tables"])
    assert "<script" not in html_out and "<img" not in html_out and "href=" not in html_out
    assert "&lt;script&gt;" in html_out
    text = render_text(report)
    assert "\x1b" not in text and "全街道?[2J" in text  # no terminal escape sequences
    assert md_escape("1. a\nb") == "1\\. a b"
    assert md_escape("- x") == "\\- x"


# --- large tables (speed is measured in scripts/bench.py, never asserted here) -------------------

def _big_injuries(n: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    causes = np.array(["跌倒/坠落", "刀/锐器伤", "机动车车祸", "钝器伤"])
    days = rng.integers(0, 365, n)
    return pd.DataFrame({
        "id": pd.Series([f"SH{i}" for i in range(n)], dtype=object),
        "date": pd.Timestamp(f"{YEAR}-01-01") + pd.to_timedelta(days, unit="D"),
        "sex": rng.choice(np.array(["男", "女"]), n), "age": pd.array(rng.integers(0, 100, n), dtype="Int64"),
        "cause": causes[rng.integers(0, len(causes), n)], "place": "家中", "activity": "休闲活动",
        "severity": "轻度", "outcome": np.where(rng.random(n) < 0.001, "死亡", "处理后离院"),
        "name": "某某", "phone": "13900000000",
    })


def test_two_large_injury_tables_aggregate_only(template: Path) -> None:
    base = load(template)
    old = dataclasses.replace(base, tables={**base.tables, "injuries": _big_injuries(100_000, 1)})
    new = dataclasses.replace(base, tables={**base.tables, "injuries": _big_injuries(100_000, 2)})
    report = diff_dossiers(old, new)
    assert report.injuries.total_old == report.injuries.total_new == 100_000
    assert report.injuries.by_cause  # the random draws differ per cause
    assert "13900000000" not in render_markdown(report) + to_json(report)


def test_paper_appendix_caps_each_list_and_says_how_many_are_left(pair: tuple[Path, Path]) -> None:
    """The PDF's appendix lists at most N items per list and counts the rest; the site lists all."""
    a, b = pair
    descs = ["灭火器过期", "电线私拉", "通道堵塞", "井盖缺失", "护栏松动", "路灯损坏", "消防栓漏水"]
    append(b / "data/hazards.csv",
           *[HAZ.format(id=f"H{n + 10:02d}", d=n + 1, desc=desc, level="一般", closed="") for n, desc in
             enumerate(descs)])
    report = diff(a, b)
    full = render_markdown(report)
    capped = render_markdown(report, max_items=3)
    assert all(desc in full for desc in descs)
    assert [desc for desc in descs if desc in capped] == descs[:3]
    assert "另有 4 项未列出" in capped
    assert "and 4 more" in render_markdown(report, "en", max_items=3)
    assert render_markdown(report, max_items=100) == full  # short lists are left as they are
