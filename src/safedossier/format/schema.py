"""The dossier format, declared once.

Validation, `dossier init`, `dossier schema` (the format documentation) and readiness all read the
objects below, so a field added here is checked, documented and templated in one go. The names are
the contract of FORMAT.md: fields may be added, never renamed or dropped.
"""

from __future__ import annotations

from dataclasses import dataclass

from safedossier.format.fields import (
    ALIASES,
    ALWAYS_ALLOWED,
    INJURY_CODES,
    PROJECT_AREAS,
    Element,
    F,
    Field,
    Kind,
    R,
    Table,
)
from safedossier.format.table_schema import DATE_ORDER, TABLE_BY_NAME, TABLES


def _yv(key: str, label: str, label_en: str, required: bool = False) -> Field:
    """A `{year, value}` pair (baseline, target)."""
    return Field(key, label, label_en, "map", required=required, fields=(
        R("year", "年份", "year", kind="year"),
        R("value", "数值", "value", kind="number"),
    ))


EVIDENCE_REFS = F("evidence", "佐证材料", "evidence", "ref", many=True, ref="evidence")
SUMMARY = F("summary", "概述", "summary", help="Markdown 正文，显示在要素页面顶部")
COMMON = (SUMMARY, EVIDENCE_REFS)

COMMUNITY = (
    R("name", "社区名称", "community name"),
    F("name_en", "英文名称", "English name"),
    F("level", "类型", "level", "code", codes=("街道", "乡镇", "企业主导型", "开发区", "其他")),
    F("region", "所在地区", "region", many=True),
    F("area_km2", "面积(平方公里)", "area (km²)", "number", min=0),
    F("target", "创建目标", "target", "code", codes=("省级安全社区", "全国安全社区", "国际安全社区")),
    F("cycle", "建设周期", "cycle", "map", fields=(
        R("start", "起始年份", "start year", kind="year"),
        R("end", "结束年份", "end year", kind="year"),
    )),
    F("units", "下辖单元", "units", "list", ids="unit", fields=(
        R("id", "编号", "id"),
        R("name", "名称", "name"),
        F("kind", "类型", "kind", "code", codes=("社区", "村", "学校", "企业", "其他")),
    )),
    F("office", "办公室", "office", "map", fields=(
        F("name", "名称", "name"),
        F("address", "地址", "address"),
        F("phone", "电话", "phone", help="可公开的办公电话"),
    )),
    F("stages", "建设阶段", "stages", "list", help="建设计划的各阶段，按先后顺序", fields=(
        R("name", "名称", "name"),
        F("start", "开始日期", "start", "date", loose=True),
        F("end", "结束日期", "end", "date", loose=True),
        F("tasks", "主要任务", "tasks", many=True),
    )),
    F("privacy", "隐私", "privacy", "map", fields=(
        F("not_names", "非姓名词组", "phrases that are no name", many=True,
          help="含有与伤者同名的两字词语、经办公室确认不是人名的词组，如“早晚高峰”（伤者名为高峰时）"),
    )),
)

_DIAG_METHODS = ("问卷调查", "入户访谈", "现场查看", "数据分析", "专家评估", "其他")
_GROUP_ITEM = (
    F("name", "名称", "name", required=True),
    F("risks", "风险", "risks", many=True),
    F("projects", "项目", "projects", "ref", many=True, ref="project"),
)

ELEMENTS: tuple[Element, ...] = (
    Element(1, "organisation", "安全社区建设机构与职责", "Organisation and duties", (
        R("committee", "促进委员会", "committee", kind="map", fields=(
            R("name", "名称", "name"),
            R("established", "成立日期", "established", kind="date"),
            R("document", "成立文号", "document"),
            R("chair", "主任", "chair", kind="ref", ref="member"),
        )),
        R("office", "办公室", "office", kind="map", fields=(
            R("name", "名称", "name"),
            R("director", "办公室主任", "director", kind="ref", ref="member"),
        )),
        R("groups", "工作组", "work groups", kind="list", ids="group", fields=(
            R("id", "编号", "id"),
            R("name", "名称", "name"),
            R("kind", "类型", "kind", kind="code", codes=("专项", "非专项")),
            F("area", "促进领域", "project area", "code", codes=PROJECT_AREAS),
            R("leader", "组长", "leader", kind="ref", ref="member"),
            F("duties", "职责", "duties"),
        )),
        *COMMON,
    ), ("members", "meetings")),
    Element(2, "participation", "信息交流和全员参与", "Information exchange and participation", (
        R("channels", "交流渠道", "channels", kind="list", fields=(
            R("name", "名称", "name"),
            R("kind", "类型", "kind", kind="code",
              codes=("网站", "公众号", "宣传栏", "电子屏", "广播", "微信群", "其他")),
            F("description", "说明", "description"),
        )),
        R("partners", "参与单位", "partners", kind="list", fields=(
            R("name", "名称", "name"),
            R("kind", "类型", "kind", kind="code",
              codes=("政府部门", "企业", "学校", "医院", "社会组织", "志愿者队伍", "其他")),
            F("role", "作用", "role"),
        )),
        F("volunteers", "志愿者", "volunteers", "map", fields=(
            F("teams", "队伍数", "teams", "int", min=0, loose=True),
            F("people", "人数", "people", "int", min=0, loose=True),
        )),
        *COMMON,
    ), ("activities",)),
    Element(3, "risk", "事故与伤害风险辨识及其评价", "Accident/injury risk identification", (
        R("diagnoses", "社区诊断", "community diagnoses", kind="list", ids="diagnosis", fields=(
            R("id", "编号", "id"),
            R("year", "年份", "year", kind="year"),
            R("title", "名称", "title"),
            F("methods", "方法", "methods", "code", many=True, codes=_DIAG_METHODS),
            F("sample_size", "样本量", "sample size", "int", min=0, loose=True),
            F("findings", "主要发现", "findings", many=True),
            EVIDENCE_REFS,
        )),
        R("high_risk_groups", "高危人群", "high-risk groups", kind="list", fields=_GROUP_ITEM),
        R("high_risk_environments", "高危环境", "high-risk environments", kind="list",
          fields=_GROUP_ITEM),
        R("vulnerable_groups", "弱势群体", "vulnerable groups", kind="list", fields=_GROUP_ITEM),
        *COMMON,
    ), ("hazards",)),
    Element(4, "goals", "事故与伤害预防目标及计划", "Prevention goals and plans", (
        R("goals", "目标", "goals", kind="list", ids="goal", fields=(
            R("id", "编号", "id"),
            R("title", "目标", "title"),
            R("indicator", "指标", "indicator"),
            F("unit", "单位", "unit"),
            _yv("baseline", "基线", "baseline", required=True),
            _yv("target", "目标值", "target", required=True),
            F("projects", "相关项目", "projects", "ref", many=True, ref="project"),
        )),
        F("plans", "计划", "plans", "list", ids="goalplan", fields=(
            R("id", "编号", "id"),
            R("title", "名称", "title"),
            F("period", "期间", "period"),
            EVIDENCE_REFS,
        )),
        *COMMON,
    )),
    Element(5, "projects", "安全促进项目", "Safety promotion projects", (
        R("projects", "项目", "projects", kind="list", ids="project", fields=(
            R("id", "编号", "id"),
            R("name", "名称", "name"),
            R("area", "促进领域", "project area", kind="code", codes=PROJECT_AREAS),
            R("group", "负责工作组", "work group", kind="ref", ref="group"),
            F("start", "开始日期", "start", "date", loose=True),
            F("end", "结束日期", "end", "date", loose=True),
            F("targets", "目标人群/环境", "targets", many=True),
            F("objectives", "项目目标", "objectives", many=True),
            F("interventions", "干预措施", "interventions", many=True),
            F("indicators", "评价指标", "indicators", "list", fields=(
                R("name", "指标", "name"),
                F("unit", "单位", "unit"),
                _yv("baseline", "基线", "baseline"),
                _yv("target", "目标值", "target"),
                F("actual", "实际值", "actual", "yearmap"),
            )),
            F("status", "状态", "status", "code", codes=("进行中", "已完成", "暂停")),
            EVIDENCE_REFS,
        )),
        *COMMON,
    )),
    Element(6, "training", "宣传教育与培训", "Publicity, education and training", (
        F("plans", "年度计划", "yearly plans", "list", fields=(
            R("year", "年份", "year", kind="year"),
            R("title", "名称", "title"),
            EVIDENCE_REFS,
        )),
        *COMMON,
    ), ("trainings",)),
    Element(7, "emergency", "应急预案和响应", "Emergency plans and response", (
        R("plans", "应急预案", "emergency plans", kind="list", ids="plan", fields=(
            R("id", "编号", "id"),
            R("name", "名称", "name"),
            R("kind", "类型", "kind", kind="code", codes=("总体预案", "专项预案", "现场处置方案")),
            F("approved", "批准日期", "approved", "date"),
            F("revised", "修订日期", "revised", "date"),
            F("scope", "适用范围", "scope"),
        )),
        F("teams", "应急队伍", "teams", "list", fields=(
            R("name", "名称", "name"),
            F("kind", "类型", "kind"),
            F("people", "人数", "people", "int", min=0, loose=True),
        )),
        F("shelters", "避难场所", "shelters", "list", fields=(
            R("name", "名称", "name"),
            F("location", "位置", "location"),
            F("capacity", "容纳人数", "capacity", "int", min=0, loose=True),
        )),
        F("supplies", "应急物资", "supplies", "list", fields=(
            R("name", "名称", "name"),
            F("quantity", "数量", "quantity"),
            F("location", "存放地点", "location"),
        )),
        *COMMON,
    ), ("drills",)),
    Element(8, "monitoring", "监测与监督", "Monitoring and supervision", (
        R("network", "监测网络", "monitoring network", kind="list", ids="network", fields=(
            R("id", "编号", "id"),
            R("name", "名称", "name"),
            R("kind", "类型", "kind", kind="code",
              codes=("医院", "社区卫生服务中心", "派出所", "交警", "消防", "学校", "企业", "其他")),
            F("reports", "报告内容", "reports", "code", many=True,
              codes=("伤害", "事故", "火灾", "交通", "治安")),
        )),
        F("indicators", "监测指标", "indicators", many=True),
        *COMMON,
    ), ("inspections",)),
    Element(9, "records", "事故与伤害记录", "Accident and injury records", (
        R("system", "记录制度", "recording system", kind="map", fields=(
            R("description", "说明", "description"),
            R("since", "实施日期", "since", kind="date"),
        )),
        F("sources", "数据来源", "sources", "ref", many=True, ref="network"),
        *COMMON,
    ), ("injuries", "accidents")),
    Element(10, "archive", "安全社区建设档案", "Construction archive", (
        R("keeper", "档案管理", "archive keeper"),
        F("location", "存放地点", "location"),
        F("categories", "档案类别", "categories", many=True),
        *COMMON,
    ), ("evidence",)),
    Element(11, "corrective", "预防与纠正措施", "Preventive and corrective actions", (
        R("procedure", "工作程序", "procedure"),
        *COMMON,
    ), ("actions",)),
    Element(12, "review", "评审与持续改进", "Review and continuous improvement", (
        R("reviews", "评审", "reviews", kind="list", ids="review", fields=(
            R("id", "编号", "id"),
            R("date", "日期", "date", kind="date", in_cycle=True),
            R("kind", "类型", "kind", kind="code", codes=("自评", "年度评审", "第三方评估", "现场评定")),
            R("reviewer", "评审人/单位", "reviewer"),
            R("conclusion", "结论", "conclusion"),
            F("score", "得分", "score", "number", min=0, max=100),
            F("findings", "发现问题", "findings", many=True),
            F("actions", "措施", "actions", "ref", many=True, ref="action"),
        )),
        *COMMON,
    )),
)

ELEMENT_BY_SLUG = {e.slug: e for e in ELEMENTS}
ELEMENT_FILES = {e.filename: e for e in ELEMENTS}


@dataclass(frozen=True)
class Namespace:
    """An id space and where its ids come from, for diagnostics and docs."""

    name: str
    label: str
    label_en: str


NAMESPACES = {
    n.name: n for n in (
        Namespace("member", "成员", "member"), Namespace("group", "工作组", "work group"),
        Namespace("project", "项目", "project"), Namespace("plan", "应急预案", "emergency plan"),
        Namespace("hazard", "隐患", "hazard"), Namespace("action", "措施", "action"),
        Namespace("network", "监测点", "monitoring point"), Namespace("unit", "单元", "unit"),
        Namespace("evidence", "佐证材料", "evidence"),
    )
}

PAGES_DIR = "dossier/pages"
#: Optional files in dossier/ besides the element documents (FORMAT.md, SCORING.md)
OPTIONAL_FILES = ("self-assessment.yml",)

# The format's one name space: its building blocks and tables are declared next door, read from here.
__all__ = [
    "ALIASES", "ALWAYS_ALLOWED", "COMMUNITY", "DATE_ORDER", "ELEMENTS", "ELEMENT_BY_SLUG", "ELEMENT_FILES",
    "INJURY_CODES", "NAMESPACES", "OPTIONAL_FILES", "PAGES_DIR", "PROJECT_AREAS", "TABLES", "TABLE_BY_NAME",
    "Element", "F", "Field", "Kind", "Namespace", "R", "Table",
]
