"""The dossier format, declared once.

Validation, `dossier init`, `dossier schema` (the format documentation) and readiness all read the
objects below, so a field added here is checked, documented and templated in one go. The names are
the contract of FORMAT.md: fields may be added, never renamed or dropped.
"""

from __future__ import annotations

from dataclasses import dataclass

# --- code lists ------------------------------------------------------------------------------

PROJECT_AREAS = (
    "交通安全", "消防安全", "工作场所安全", "家居安全", "老年人安全", "儿童安全", "学校安全",
    "公共场所安全", "体育运动安全", "涉水安全", "社会治安", "防灾减灾与环境安全",
)

# Injury surveillance code lists (全国伤害监测报告卡). `其他` / `不清楚` are always allowed.
INJURY_CODES: dict[str, tuple[str, ...]] = {
    "occupation": (
        "学龄前儿童", "在校学生", "家务", "待业", "离退休人员", "专业技术人员", "办事人员和有关人员",
        "商业和服务业人员", "农牧渔水利业生产人员", "生产运输设备操作人员及有关人员", "军人",
    ),
    "cause": (
        "机动车车祸", "非机动车车祸", "跌倒/坠落", "钝器伤", "火器伤", "刀/锐器伤", "烧烫伤",
        "窒息/悬吊", "溺水", "中毒", "动物伤", "性侵犯",
    ),
    "place": (
        "家中", "公共居住场所", "学校与公共场所", "体育和运动场所", "公路/街道", "贸易和服务场所",
        "工业和建筑场所", "农场/农田",
    ),
    "activity": ("工作", "家务", "学习", "体育活动", "休闲活动", "生命活动", "驾乘交通工具", "步行"),
    "intent": ("非故意", "自残/自杀", "故意(暴力、攻击)"),
    "nature": (
        "骨折", "扭伤/拉伤", "锐器伤、咬伤、开放伤", "挫伤、擦伤", "烧烫伤", "脑震荡、脑挫裂伤",
        "器官系统损伤",
    ),
    "body_part": ("头部", "上肢", "下肢", "躯干", "多部位", "全身广泛受伤"),
}
ALWAYS_ALLOWED = ("其他", "不清楚")

# Spellings seen in published surveillance reports, mapped to the canonical value (DOMAIN.md).
ALIASES: dict[str, str] = {
    "学校和公共场所": "学校与公共场所",
    "商业/服务业人员": "商业和服务业人员",
    "跌倒/坠落伤": "跌倒/坠落",
    "跌倒": "跌倒/坠落",
    "道路交通伤害": "机动车车祸",
    "故意（暴力、攻击）": "故意(暴力、攻击)",
    "男性": "男",
    "女性": "女",
}

# --- field and document declarations ---------------------------------------------------------

#: Field kinds: text, int, number, date, year, code, bool (是/否), ref, map, list, yearmap.
Kind = str


@dataclass(frozen=True)
class Field:
    """One YAML key or one table column."""

    key: str
    label: str  # Chinese label: header alias in tables, name in docs and diagnostics
    label_en: str
    kind: Kind = "text"
    required: bool = False
    many: bool = False  # a YAML list / a `;`-separated cell of this kind
    codes: tuple[str, ...] = ()
    ref: str = ""  # id namespace a ref points into
    ref_extra: tuple[str, ...] = ()  # literal values accepted besides ids (members.group)
    soft: bool = False  # free text that links when it names an id or name; otherwise only a note
    min: float | None = None
    max: float | None = None
    in_cycle: bool = False  # a dated event that must fall inside the dossier's cycle
    private: bool = False  # never published (injury records)
    # FORMAT.md names the key but not this constraint (its type, or that it is required): breaking it
    # is a warning, never an error, so a dossier written from FORMAT.md alone is not refused for it
    loose: bool = False
    fields: tuple[Field, ...] = ()  # for kind "map", or the items of a list of maps
    ids: str = ""  # a list of maps whose `id` fields fill this namespace
    help: str = ""  # one line for the format documentation


def F(key: str, label: str, label_en: str, kind: Kind = "text", **kw: object) -> Field:
    """Short constructor so the tables below read like FORMAT.md."""
    return Field(key, label, label_en, kind, **kw)  # type: ignore[arg-type]


def R(key: str, label: str, label_en: str, **kw: object) -> Field:
    """A required field."""
    return Field(key, label, label_en, required=True, **kw)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Table:
    """A table in `data/` (CSV or XLSX), keyed by `id` unless it is `population`."""

    name: str
    label: str
    label_en: str
    element: int  # 0: community profile
    fields: tuple[Field, ...]
    key: str = "id"
    ids: str = ""  # namespace its ids fill
    optional: bool = False  # absence is not worth a warning

    def field(self, key: str) -> Field | None:
        for f in self.fields:
            if f.key == key:
                return f
        return None


@dataclass(frozen=True)
class Element:
    """One of the twelve elements: its YAML document and the tables it owns."""

    number: int
    slug: str
    label: str  # AQ/T 9001 name (建设 wording)
    label_en: str
    fields: tuple[Field, ...]
    tables: tuple[str, ...] = ()

    @property
    def filename(self) -> str:
        return f"{self.number:02d}-{self.slug}.yml"


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

