"""The evidence a reviewer expects per element (AQ/T 9001 痕迹), declared once.

Each expectation names where the dossier shows it: every item of a YAML list citing evidence
(`each`), a record of a table citing evidence in every year of the cycle (`yearly`), or evidence of
given kinds filed under the element (`kinds`). `analyse/evidence_audit.py` checks them against the
dossier; the site, the PDF and the Office exports show the result.
"""

from __future__ import annotations

from dataclasses import dataclass

EACH, YEARLY, KINDS = "each", "yearly", "kinds"


@dataclass(frozen=True)
class Expect:
    element: int
    zh: str
    en: str
    mode: str  # EACH | YEARLY | KINDS
    where: str = ""  # a table name (YEARLY) or a list key of the element's YAML (EACH)
    kinds: tuple[str, ...] = ()  # evidence kinds (KINDS)
    only: tuple[str, tuple[str, ...]] | None = None  # (column, values): the records that count (YEARLY)


EXPECTED: tuple[Expect, ...] = (
    Expect(1, "促进委员会成立文件或工作组职责文件", "founding or duty documents of the committee", KINDS, kinds=("文件",)),
    Expect(1, "每年委员会会议的佐证（纪要、签到表、照片）", "evidence of a committee meeting in every year",
           YEARLY, "meetings", only=("kind", ("委员会会议", "动员大会"))),
    Expect(2, "共建协议或参与单位文件", "partnership agreements or partners' documents", KINDS, kinds=("文件",)),
    Expect(2, "信息交流和参与活动的照片或音像", "photos or recordings of exchange and participation", KINDS,
           kinds=("照片", "音像")),
    Expect(3, "每次社区诊断的佐证", "evidence for every community diagnosis", EACH, "diagnoses"),
    Expect(4, "每项规划或计划的文本", "the text of every plan", EACH, "plans"),
    Expect(5, "每个安全促进项目的佐证", "evidence for every promotion project", EACH, "projects"),
    Expect(6, "每年宣传教育培训计划的文本", "the training plan of every year", EACH, "plans"),
    Expect(6, "每年都有附佐证的宣传培训活动", "a training with evidence in every year", YEARLY, "trainings"),
    Expect(7, "应急预案文本", "the text of the emergency plans", KINDS, kinds=("文件",)),
    Expect(7, "每年都有附佐证的应急演练", "a drill with evidence in every year", YEARLY, "drills"),
    Expect(8, "每年都有附佐证的检查", "an inspection with evidence in every year", YEARLY, "inspections"),
    Expect(8, "监测与监督报告", "monitoring and supervision reports", KINDS, kinds=("报告",)),
    Expect(9, "伤害监测报告卡或数据分析报告", "injury report cards or analysis reports", KINDS, kinds=("表格", "报告")),
    Expect(10, "档案管理制度和档案目录", "archive rules and catalogue", KINDS, kinds=("文件", "表格")),
    Expect(11, "措施台账或整改前后记录", "the actions ledger or before/after records", KINDS,
           kinds=("表格", "照片", "文件")),
    Expect(12, "评审或评估报告", "review or assessment reports", KINDS, kinds=("报告",)),
)
