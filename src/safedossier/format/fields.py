"""The building blocks of the format: code lists, and how a field, a table and an element are declared.

`schema.py` declares the documents and `table_schema.py` the tables with these; every other module
imports them from `schema`.
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
