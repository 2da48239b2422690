"""The schema keeps FORMAT.md's contract: every file, key, label and code it names, and `init`/`schema` agree.

The expectations below are transcribed from FORMAT.md (the contract with other people's dossiers):
fields may be added to the schema, never renamed or dropped.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from safedossier.cli import main
from safedossier.format.formatdoc import format_markdown
from safedossier.format.schema import ELEMENTS, PROJECT_AREAS, TABLE_BY_NAME

# table → "key label" pairs; a leading * marks a required column
FORMAT_TABLES = {
    "population": "*year 年份, *total 总人口, male 男, female 女, age_0_14 0-14岁, age_15_59 15-59岁, "
                  "age_60_plus 60岁及以上",
    "members": "*id 编号, *name 姓名, *organisation 单位, title 职务, *role 角色, *group 所属机构, "
               "since 起始日期, until 终止日期",
    "meetings": "*id 编号, *date 日期, *kind 类型, *title 主题, attendees 参会人数, evidence 档案编号",
    "hazards": "*id 编号, *found 发现日期, *location 地点, unit 所属单元, *category 类别, *description 隐患描述, "
               "*level 等级, supervised 挂牌督办, measures 整改措施, responsible 责任单位, due 整改期限, closed 销号日期",
    "trainings": "*id 编号, *date 日期, *title 主题, *kind 形式, audience 对象, *participants 参加人数, "
                 "project 项目编号, evidence 档案编号",
    "drills": "*id 编号, *date 日期, plan 预案编号, *scenario 演练科目, location 地点, *participants 参加人数, "
              "evaluation 评估结论, evidence 档案编号",
    "inspections": "*id 编号, *date 日期, *kind 类型, *target 检查对象, inspector 检查单位, findings 发现问题数, "
                   "hazards 隐患编号, evidence 档案编号",
    "injuries": "*id 编号, *date 发生日期, *sex 性别, *age 年龄, occupation 职业, *cause 原因, *place 地点, "
                "activity 活动, intent 意图, nature 性质, body_part 部位, *severity 严重程度, *outcome 结局, "
                "unit 所属单元, source 报告来源, name 姓名, id_number 身份证号, phone 电话, address 住址",
    "accidents": "*id 编号, *date 日期, *kind 类型, location 地点, *deaths 死亡人数, *injured 受伤人数, "
                 "loss 直接经济损失(万元), description 经过",
    "actions": "*id 编号, *raised 提出日期, *source 来源, *issue 问题, *action 措施, *kind 类型, "
               "responsible 责任单位, due 期限, done 完成日期, verified 验证结论, hazard 隐患编号",
    "evidence": "*id 编号, *title 名称, *element 要素, *date 日期, *file 文件, *kind 类别, description 说明",
}
FORMAT_ELEMENTS = {  # file → required keys
    "01-organisation.yml": {"committee", "office", "groups"},
    "02-participation.yml": {"channels", "partners"},
    "03-risk.yml": {"diagnoses", "high_risk_groups", "high_risk_environments", "vulnerable_groups"},
    "04-goals.yml": {"goals"},
    "05-projects.yml": {"projects"},
    "06-training.yml": set(),
    "07-emergency.yml": {"plans"},
    "08-monitoring.yml": {"network"},
    "09-records.yml": {"system"},
    "10-archive.yml": {"keeper"},
    "11-corrective.yml": {"procedure"},
    "12-review.yml": {"reviews"},
}
PRIVATE = {"name", "id_number", "phone", "address"}


@pytest.mark.parametrize("table", sorted(FORMAT_TABLES))
def test_table_columns_match_the_format(table: str) -> None:
    schema = TABLE_BY_NAME[table]
    for item in FORMAT_TABLES[table].split(", "):
        key, label = item.split(" ", 1)
        required = key.startswith("*")
        key = key.lstrip("*")
        f = schema.field(key)
        assert f is not None, f"{table}.{key} missing"
        assert f.label == label, (table, key, f.label)
        assert f.required == required, (table, key)
        if table == "injuries":
            assert f.private == (key in PRIVATE)


def test_element_files_and_required_keys() -> None:
    assert [e.filename for e in ELEMENTS] == list(FORMAT_ELEMENTS)
    for el in ELEMENTS:
        required = {f.key for f in el.fields if f.required}
        assert required == FORMAT_ELEMENTS[el.filename], el.filename
        assert {"summary", "evidence"} <= {f.key for f in el.fields}


def test_project_areas_and_code_lists() -> None:
    assert len(PROJECT_AREAS) == 12 and PROJECT_AREAS[0] == "交通安全" and PROJECT_AREAS[-1] == "防灾减灾与环境安全"
    assert TABLE_BY_NAME["hazards"].field("level").codes == ("一般", "较大", "重大")
    # DOMAIN.md (FORMAT.md: "Code lists: see DOMAIN.md"): "其他 and 不清楚 are always allowed"
    for key in ("sex", "occupation", "cause", "place", "activity", "intent", "nature", "body_part",
                "severity", "outcome"):
        assert {"其他", "不清楚"} <= set(TABLE_BY_NAME["injuries"].field(key).codes), key
    assert TABLE_BY_NAME["injuries"].field("severity").codes[:3] == ("轻度", "中度", "重度")
    assert TABLE_BY_NAME["injuries"].field("sex").codes[:2] == ("男", "女")


# field → the code list FORMAT.md writes out for it (the schema's must be exactly this)
FORMAT_CODES = {
    ("community", "level"): "街道|乡镇|企业主导型|开发区|其他",
    ("community", "target"): "省级安全社区|全国安全社区|国际安全社区",
    ("community", "units.kind"): "社区|村|学校|企业|其他",
    ("01-organisation.yml", "groups.kind"): "专项|非专项",
    ("02-participation.yml", "channels.kind"): "网站|公众号|宣传栏|电子屏|广播|微信群|其他",
    ("02-participation.yml", "partners.kind"): "政府部门|企业|学校|医院|社会组织|志愿者队伍|其他",
    ("03-risk.yml", "diagnoses.methods"): "问卷调查|入户访谈|现场查看|数据分析|专家评估|其他",
    ("05-projects.yml", "projects.status"): "进行中|已完成|暂停",
    ("07-emergency.yml", "plans.kind"): "总体预案|专项预案|现场处置方案",
    ("08-monitoring.yml", "network.kind"): "医院|社区卫生服务中心|派出所|交警|消防|学校|企业|其他",
    ("08-monitoring.yml", "network.reports"): "伤害|事故|火灾|交通|治安",
    ("12-review.yml", "reviews.kind"): "自评|年度评审|第三方评估|现场评定",
    ("members", "role"): "主任|副主任|委员|办公室主任|办公室成员|组长|副组长|组员",
    ("meetings", "kind"): "委员会会议|办公室例会|工作组会议|动员大会|其他",
    ("hazards", "level"): "一般|较大|重大",
    ("trainings", "kind"): "培训|讲座|宣传活动|知识竞赛|演讲比赛|展板|发放资料|其他",
    ("inspections", "kind"): "日常检查|节假日检查|专项检查|联合检查|季节性检查|其他",
    ("accidents", "kind"): "生产安全事故|火灾|道路交通事故|溺水|其他",
    ("actions", "source"): "检查|评审|事故|投诉|监测|其他",
    ("actions", "kind"): "预防|纠正",
    ("evidence", "kind"): "文件|照片|音像|表格|报告|其他",
}


def _field(where: str, dotted: str):  # noqa: ANN202 - a schema Field
    from safedossier.format.schema import COMMUNITY, ELEMENT_FILES

    if where in TABLE_BY_NAME:
        return TABLE_BY_NAME[where].field(dotted)
    fields = COMMUNITY if where == "community" else ELEMENT_FILES[where].fields
    f = None
    for part in dotted.split("."):
        f = next(x for x in fields if x.key == part)
        fields = f.fields
    return f


@pytest.mark.parametrize(("where", "dotted"), sorted(FORMAT_CODES))
def test_code_lists_are_the_ones_format_md_writes(where: str, dotted: str) -> None:
    assert _field(where, dotted).codes == tuple(FORMAT_CODES[(where, dotted)].split("|"))


def test_keys_format_md_names_are_declared() -> None:
    """Keys of community.yml and the optional files FORMAT.md lists (stages was once missing)."""
    from safedossier.format.schema import COMMUNITY, OPTIONAL_FILES

    assert [f.key for f in COMMUNITY] == ["name", "name_en", "level", "region", "area_km2", "target",
                                          "cycle", "units", "office", "stages",
                                          "privacy"]  # ours, optional: phrases that hold no name
    assert [f.required for f in COMMUNITY] == [True] + [False] * 10  # only `name: # required`
    assert [f.key for f in _field("community", "stages").fields] == ["name", "start", "end", "tasks"]
    assert [f.key for f in _field("community", "office").fields] == ["name", "address", "phone"]
    assert "self-assessment.yml" in OPTIONAL_FILES


def test_what_format_md_leaves_open_is_loose() -> None:
    """A type or requiredness FORMAT.md does not state is only a warning (schema `loose`)."""
    loose = {("02-participation.yml", "volunteers.teams"), ("02-participation.yml", "volunteers.people"),
             ("03-risk.yml", "diagnoses.sample_size"), ("05-projects.yml", "projects.start"),
             ("05-projects.yml", "projects.end"), ("07-emergency.yml", "teams.people"),
             ("07-emergency.yml", "shelters.capacity"), ("community", "stages.start"),
             ("community", "stages.end"), ("hazards", "due"), ("actions", "due")}
    for where, dotted in loose:
        assert _field(where, dotted).loose, (where, dotted)
    # FORMAT.md: "(activities optional)" and no columns: none of its columns is binding
    acts = TABLE_BY_NAME["activities"]
    assert acts.optional and all(f.loose for f in acts.fields if f.required or f.kind in ("int", "date"))


def test_generated_documentation_names_every_key(tmp_path: Path) -> None:
    doc = format_markdown()
    for table, items in FORMAT_TABLES.items():
        assert f"`data/{table}.csv`" in doc
        for item in items.split(", "):
            key, label = item.lstrip("*").split(" ", 1)
            assert f"| `{key}` | {label} |" in doc, (table, key)
    for el in ELEMENTS:
        assert f"`dossier/{el.filename}`" in doc and el.label in doc
    out = tmp_path / "format.md"
    assert main(["schema", "-o", str(out)]) == 0
    assert out.read_text(encoding="utf-8").strip() == doc.strip()


def test_init_writes_every_table_with_chinese_labels(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "new"
    assert main(["init", str(target)]) == 0
    header = (target / "data/hazards.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header.split(",") == [f.label for f in TABLE_BY_NAME["hazards"].fields]
    assert "# 促进委员会（必填）" in (target / "dossier/01-organisation.yml").read_text(encoding="utf-8")
    assert main(["check", str(target)]) == 0
    assert main(["init", str(target)]) == 2  # never overwrites a dossier


def test_catalogs_have_the_same_strings() -> None:
    from safedossier.i18n import catalog

    zh, en = catalog("zh"), catalog("en")
    assert set(zh) == set(en)
    assert all(zh[k] for k in zh) and zh["readiness"] == "要素完备情况" and en["readiness"] == "Readiness of the elements"
