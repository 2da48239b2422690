"""The tables of `data/`, declared once: columns, their kinds, codes, references and id spaces.

Validation, `dossier init`, `dossier schema` and the readers all use these declarations (through
`schema`, which re-exports them). FORMAT.md's contract holds: columns may be added, never renamed.
"""

from __future__ import annotations

from safedossier.format.fields import ALWAYS_ALLOWED, INJURY_CODES, PROJECT_AREAS, F, Field, R, Table


def _ev(key: str = "evidence") -> Field:
    return F(key, "档案编号", "evidence ids", "ref", many=True, ref="evidence")


def _codes(key: str) -> tuple[str, ...]:
    return INJURY_CODES[key] + ALWAYS_ALLOWED


TABLES: tuple[Table, ...] = (
    Table("population", "人口", "population", 0, (
        R("year", "年份", "year", kind="year"),
        R("total", "总人口", "total", kind="int", min=0),
        F("male", "男", "male", "int", min=0),
        F("female", "女", "female", "int", min=0),
        F("age_0_14", "0-14岁", "age 0–14", "int", min=0),
        F("age_15_59", "15-59岁", "age 15–59", "int", min=0),
        F("age_60_plus", "60岁及以上", "age 60+", "int", min=0),
    ), key="year"),
    Table("members", "成员", "members", 1, (
        R("id", "编号", "id"),
        R("name", "姓名", "name"),
        R("organisation", "单位", "organisation"),
        F("title", "职务", "title"),
        R("role", "角色", "role", kind="code",
          codes=("主任", "副主任", "委员", "办公室主任", "办公室成员", "组长", "副组长", "组员")),
        R("group", "所属机构", "group", kind="ref", ref="group", ref_extra=("committee", "office")),
        F("since", "起始日期", "since", "date"),
        F("until", "终止日期", "until", "date"),
    ), ids="member"),
    Table("meetings", "会议", "meetings", 1, (
        R("id", "编号", "id"),
        R("date", "日期", "date", kind="date", in_cycle=True),
        R("kind", "类型", "kind", kind="code",
          codes=("委员会会议", "办公室例会", "工作组会议", "动员大会", "其他")),
        R("title", "主题", "title"),
        F("attendees", "参会人数", "attendees", "int", min=0),
        _ev(),
    ), ids="meeting"),
    Table("activities", "参与活动", "activities", 2, (  # FORMAT.md names the table, not its columns
        R("id", "编号", "id", loose=True),
        R("date", "日期", "date", kind="date", in_cycle=True, loose=True),
        R("title", "名称", "title", loose=True),
        F("partner", "参与单位", "partner"),
        F("participants", "参加人数", "participants", "int", min=0, loose=True),
        _ev(),
    ), ids="activity", optional=True),
    Table("hazards", "隐患", "hazards", 3, (
        R("id", "编号", "id"),
        R("found", "发现日期", "found", kind="date", in_cycle=True),
        R("location", "地点", "location"),
        F("unit", "所属单元", "unit", "ref", ref="unit"),
        R("category", "类别", "category", kind="code", codes=PROJECT_AREAS + ("其他",)),
        R("description", "隐患描述", "description"),
        R("level", "等级", "level", kind="code", codes=("一般", "较大", "重大")),
        F("supervised", "挂牌督办", "supervised", "bool"),
        F("measures", "整改措施", "measures"),
        F("responsible", "责任单位", "responsible"),
        F("due", "整改期限", "due", "date", loose=True),
        F("closed", "销号日期", "closed", "date"),
    ), ids="hazard"),
    Table("trainings", "宣传培训", "trainings", 6, (
        R("id", "编号", "id"),
        R("date", "日期", "date", kind="date", in_cycle=True),
        R("title", "主题", "title"),
        R("kind", "形式", "kind", kind="code",
          codes=("培训", "讲座", "宣传活动", "知识竞赛", "演讲比赛", "展板", "发放资料", "其他")),
        F("audience", "对象", "audience"),
        R("participants", "参加人数", "participants", kind="int", min=0),
        F("project", "项目编号", "project", "ref", ref="project"),
        _ev(),
    ), ids="training"),
    Table("drills", "演练", "drills", 7, (
        R("id", "编号", "id"),
        R("date", "日期", "date", kind="date", in_cycle=True),
        F("plan", "预案编号", "plan", "ref", ref="plan"),
        R("scenario", "演练科目", "scenario"),
        F("location", "地点", "location"),
        R("participants", "参加人数", "participants", kind="int", min=0),
        F("evaluation", "评估结论", "evaluation"),
        _ev(),
    ), ids="drill"),
    Table("inspections", "检查", "inspections", 8, (
        R("id", "编号", "id"),
        R("date", "日期", "date", kind="date", in_cycle=True),
        R("kind", "类型", "kind", kind="code",
          codes=("日常检查", "节假日检查", "专项检查", "联合检查", "季节性检查", "其他")),
        R("target", "检查对象", "target"),
        F("inspector", "检查单位", "inspector"),
        F("findings", "发现问题数", "findings", "int", min=0),
        F("hazards", "隐患编号", "hazard ids", "ref", many=True, ref="hazard"),
        _ev(),
    ), ids="inspection"),
    Table("injuries", "伤害记录", "injury records", 9, (
        R("id", "编号", "id"),
        R("date", "发生日期", "date", kind="date", in_cycle=True),
        R("sex", "性别", "sex", kind="code", codes=("男", "女") + ALWAYS_ALLOWED),
        R("age", "年龄", "age", kind="int", min=0, max=120),
        F("occupation", "职业", "occupation", "code", codes=_codes("occupation")),
        R("cause", "原因", "cause", kind="code", codes=_codes("cause")),
        R("place", "地点", "place", kind="code", codes=_codes("place")),
        F("activity", "活动", "activity", "code", codes=_codes("activity")),
        F("intent", "意图", "intent", "code", codes=_codes("intent")),
        F("nature", "性质", "nature", "code", codes=_codes("nature")),
        F("body_part", "部位", "body part", "code", codes=_codes("body_part")),
        R("severity", "严重程度", "severity", kind="code", codes=("轻度", "中度", "重度") + ALWAYS_ALLOWED),
        R("outcome", "结局", "outcome", kind="code", codes=("处理后离院", "住院", "转院", "死亡") + ALWAYS_ALLOWED),
        F("unit", "所属单元", "unit", "ref", ref="unit"),
        F("source", "报告来源", "source", "ref", ref="network", soft=True,
          help="自由文字；与监测网络的编号或名称一致时链接到该监测点"),
        F("name", "姓名", "name", private=True),
        F("id_number", "身份证号", "ID-card number", private=True),
        F("phone", "电话", "phone", private=True),
        F("address", "住址", "address", private=True),
    ), ids="injury"),
    Table("accidents", "事故", "accidents", 9, (
        R("id", "编号", "id"),
        R("date", "日期", "date", kind="date", in_cycle=True),
        R("kind", "类型", "kind", kind="code",
          codes=("生产安全事故", "火灾", "道路交通事故", "溺水", "其他")),
        F("location", "地点", "location"),
        R("deaths", "死亡人数", "deaths", kind="int", min=0),
        R("injured", "受伤人数", "injured", kind="int", min=0),
        F("loss", "直接经济损失(万元)", "direct loss (10k CNY)", "number", min=0),
        F("description", "经过", "description"),
    ), ids="accident"),
    Table("actions", "预防与纠正措施", "actions", 11, (
        R("id", "编号", "id"),
        R("raised", "提出日期", "raised", kind="date", in_cycle=True),
        R("source", "来源", "source", kind="code", codes=("检查", "评审", "事故", "投诉", "监测", "其他")),
        R("issue", "问题", "issue"),
        R("action", "措施", "action"),
        R("kind", "类型", "kind", kind="code", codes=("预防", "纠正")),
        F("responsible", "责任单位", "responsible"),
        F("due", "期限", "due", "date", loose=True),
        F("done", "完成日期", "done", "date"),
        F("verified", "验证结论", "verification"),
        F("hazard", "隐患编号", "hazard", "ref", ref="hazard"),
    ), ids="action"),
    Table("evidence", "佐证材料", "evidence", 10, (
        R("id", "编号", "id"),
        R("title", "名称", "title"),
        R("element", "要素", "element", kind="int", min=1, max=12),
        R("date", "日期", "date", kind="date"),
        R("file", "文件", "file", help="evidence/ 下的相对路径"),
        R("kind", "类别", "kind", kind="code", codes=("文件", "照片", "音像", "表格", "报告", "其他")),
        F("description", "说明", "description"),
    ), ids="evidence"),
)

TABLE_BY_NAME = {t.name: t for t in TABLES}

#: Pairs of (earlier, later) date columns per table, e.g. a hazard is closed after it was found.
DATE_ORDER: dict[str, tuple[tuple[str, str], ...]] = {
    "hazards": (("found", "closed"), ("found", "due")),
    "members": (("since", "until"),),
    "actions": (("raised", "done"), ("raised", "due")),
}
