"""Readiness of each element: complete / partial / missing, with the reasons.

The rules are data kept beside the schema: one `Rule` per requirement a reviewer checks, each a
small function that returns what is lacking (empty when the requirement is met). An element is
*missing* when none of its rules holds, *complete* when all hold, *partial* otherwise.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from safedossier.format.model import Dossier
from safedossier.format.schema import ELEMENTS

COMPLETE, PARTIAL, MISSING = "complete", "partial", "missing"

Check = Callable[[Dossier], list[str]]


@dataclass(frozen=True)
class Rule:
    element: int
    zh: str
    en: str
    check: Check


@dataclass
class Readiness:
    number: int
    slug: str
    status: str
    passed: list[Rule]
    failed: list[tuple[Rule, list[str]]]


def _years_without(table: str, col: str = "date") -> Check:
    def check(d: Dossier) -> list[str]:
        df = d.table(table)
        have = set(df[col].dt.year.dropna().astype(int)) if not df.empty and col in df else set()
        return [str(y) for y in d.years if y not in have]
    return check


def _nonempty(slug: str, key: str) -> Check:
    return lambda d: [] if d.element(slug).get(key) else [key]


def _groups_without_project(d: Dossier) -> list[str]:
    led = {p.get("group") for p in d.element("projects").get("projects", [])}
    return [g["id"] for g in d.element("organisation").get("groups", [])
            if g.get("kind") == "专项" and g.get("id") not in led]


def _groups_without_members(d: Dossier) -> list[str]:
    m = d.table("members")
    have = set(m["group"].dropna()) if "group" in m else set()
    return [g["id"] for g in d.element("organisation").get("groups", []) if g.get("id") not in have]


def _projects_without_indicators(d: Dossier) -> list[str]:
    return [p.get("id", "?") for p in d.element("projects").get("projects", []) if not p.get("indicators")]


def _plans_without_revision(d: Dossier) -> list[str]:
    return [p.get("id", "?") for p in d.element("emergency").get("plans", []) if not p.get("revised")]


def _goals_incomplete(d: Dossier) -> list[str]:
    return [g.get("id", "?") for g in d.element("goals").get("goals", [])
            if not (g.get("baseline") and g.get("target") and g.get("projects"))]


def _population_years(d: Dossier) -> list[str]:
    pop = d.table("population")
    have = set(pop["year"].dropna().astype(int)) if "year" in pop else set()
    return [str(y) for y in d.years if y not in have]


def _elements_without_evidence(d: Dossier) -> list[str]:
    ev = d.table("evidence")
    have = set(ev["element"].dropna().astype(int)) if "element" in ev else set()
    return [str(e.number) for e in ELEMENTS if e.number not in have]


def _overdue_actions(d: Dossier) -> list[str]:
    a = d.table("actions")
    if a.empty or "due" not in a:
        return []
    end = pd.Timestamp(d.cycle[1], 12, 31)
    late = a[a["done"].isna() & a["due"].notna() & (a["due"] < end)] if "done" in a else a.iloc[0:0]
    return list(late["id"])


def _reviews_by_year(d: Dossier) -> list[str]:
    years = {int(r["date"][:4]) for r in d.element("review").get("reviews", []) if r.get("date")}
    return [str(y) for y in d.years if y not in years]


def _diagnosis_years(d: Dossier) -> list[str]:
    return [] if d.element("risk").get("diagnoses") else ["diagnoses"]


def _table_present(name: str) -> Check:
    return lambda d: [] if not d.table(name).empty else [name]


RULES: tuple[Rule, ...] = (
    Rule(1, "促进委员会、办公室和工作组已建立", "committee, office and work groups set up",
         lambda d: [k for k in ("committee", "office", "groups") if not d.element("organisation").get(k)]),
    Rule(1, "每个工作组都有成员", "every work group has members", _groups_without_members),
    Rule(1, "建设周期内每年都有会议记录", "meetings in every year of the cycle", _years_without("meetings")),
    Rule(2, "有信息交流渠道", "information channels listed", _nonempty("participation", "channels")),
    Rule(2, "有参与单位", "partners listed", _nonempty("participation", "partners")),
    Rule(3, "开展了社区诊断", "community diagnosis done", _diagnosis_years),
    Rule(3, "识别了高危人群、高危环境和弱势群体", "high-risk groups, environments and vulnerable groups",
         lambda d: [k for k in ("high_risk_groups", "high_risk_environments", "vulnerable_groups")
                    if not d.element("risk").get(k)]),
    Rule(3, "有隐患排查治理台账", "hazard register kept", _table_present("hazards")),
    Rule(4, "每个目标都有基线、目标值和对应项目", "every goal has baseline, target and projects", _goals_incomplete),
    Rule(4, "有目标", "goals set", _nonempty("goals", "goals")),
    Rule(5, "每个专项工作组都有安全促进项目", "every specialised group has a project", _groups_without_project),
    Rule(5, "每个项目都有评价指标", "every project has indicators", _projects_without_indicators),
    Rule(6, "建设周期内每年都有宣传教育培训", "trainings in every year of the cycle", _years_without("trainings")),
    Rule(7, "每个应急预案都有修订日期", "every emergency plan has a revision date", _plans_without_revision),
    Rule(7, "建设周期内每年都有应急演练", "drills in every year of the cycle", _years_without("drills")),
    Rule(8, "建立了监测网络", "monitoring network set up", _nonempty("monitoring", "network")),
    Rule(8, "建设周期内每年都有检查记录", "inspections in every year of the cycle", _years_without("inspections")),
    Rule(9, "建设周期内每年都有伤害记录", "injury records in every year of the cycle", _years_without("injuries")),
    Rule(9, "每年都有人口数据（计算伤害率）", "population for every year (for rates)", _population_years),
    Rule(9, "有事故记录表", "accident records kept", _table_present("accidents")),
    Rule(10, "十二个要素都有佐证材料", "evidence for all twelve elements", _elements_without_evidence),
    Rule(11, "有预防与纠正措施记录", "actions recorded", _table_present("actions")),
    Rule(11, "没有逾期未完成的措施", "no overdue open actions", _overdue_actions),
    Rule(12, "建设周期内每年都有评审", "a review in every year of the cycle", _reviews_by_year),
)


def readiness(d: Dossier) -> list[Readiness]:
    out = []
    for el in ELEMENTS:
        rules = [r for r in RULES if r.element == el.number]
        passed, failed = [], []
        for r in rules:
            lacking = r.check(d)
            (failed.append((r, lacking)) if lacking else passed.append(r))
        if el.slug not in d.elements or (rules and not passed):
            status = MISSING  # nothing a reviewer asks for is there
        else:
            status = COMPLETE if not failed else PARTIAL
        out.append(Readiness(el.number, el.slug, status, passed, failed))
    return out
