"""Readiness of each element: complete / partial / missing, with the reasons in zh and en.

The rules are data kept beside the schema: one `Rule` per requirement a reviewer checks, in the three
families the on-site form scores (有无 exists, 痕迹 traces, 效果 effect). Each rule's check returns
what is lacking (empty when met); its `fail_zh` / `fail_en` sentence says what is wrong, with the
number and the first items, so no reason reads as the opposite of the data. An element is *missing*
when none of its 有无 rules holds (or its document is absent), *complete* when every rule holds,
*partial* otherwise.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from safedossier.analyse import baseline, registers, stats
from safedossier.format.model import Dossier
from safedossier.format.schema import ELEMENTS

COMPLETE, PARTIAL, MISSING = "complete", "partial", "missing"
EXISTS, TRACES, EFFECT = "exists", "traces", "effect"
SHOWN = 5  # items named in a reason; the rest are counted

Item = str | tuple[str, str]  # an id or year, or (zh, en) words
Check = Callable[[Dossier], list[Item]]


@dataclass(frozen=True)
class Rule:
    element: int
    family: str
    zh: str  # the requirement, shown ✓ when met
    en: str
    fail_zh: str  # what is wrong, with {n} (how many) and {items} (the first few)
    fail_en: str
    check: Check


@dataclass(frozen=True)
class Failure:
    rule: Rule
    lacking: list[Item]

    def items(self, lang: str) -> str:
        words = [i if isinstance(i, str) else i[0 if lang == "zh" else 1] for i in self.lacking[:SHOWN]]
        more = "…" if len(self.lacking) > SHOWN else ""
        return ("、" if lang == "zh" else ", ").join(words) + more

    def text(self, lang: str) -> str:
        tpl = self.rule.fail_zh if lang == "zh" else self.rule.fail_en
        return tpl.format(n=len(self.lacking), items=self.items(lang))


@dataclass
class Readiness:
    number: int
    slug: str
    status: str
    passed: list[Rule]
    failed: list[Failure]


def _years_without(table: str, col: str = "date") -> Check:
    def check(d: Dossier) -> list[Item]:
        df = d.table(table)
        have = set(df[col].dt.year.dropna().astype(int)) if not df.empty and col in df else set()
        return [str(y) for y in d.years if y not in have]
    return check


def _years_without_evidence(table: str) -> Check:
    """Years in which no record of `table` links evidence (痕迹: something a reviewer can look at)."""
    def check(d: Dossier) -> list[Item]:
        df = d.table(table)
        if df.empty or "date" not in df or "evidence" not in df:
            return [str(y) for y in d.years]
        linked = df[df["evidence"].map(lambda v: bool(v) if isinstance(v, list) else False)]
        have = set(linked["date"].dt.year.dropna().astype(int))
        return [str(y) for y in d.years if y not in have]
    return check


def _missing_keys(slug: str, keys: dict[str, tuple[str, str]]) -> Check:
    return lambda d: [names for k, names in keys.items() if not d.element(slug).get(k)]


def _groups_without_project(d: Dossier) -> list[Item]:
    led = {p.get("group") for p in d.element("projects").get("projects", [])}
    return [g["id"] for g in d.element("organisation").get("groups", [])
            if g.get("kind") == "专项" and g.get("id") not in led]


def _groups_without_members(d: Dossier) -> list[Item]:
    m = d.table("members")
    have = set(m["group"].dropna()) if "group" in m else set()
    return [g["id"] for g in d.element("organisation").get("groups", []) if g.get("id") not in have]


def _without(slug: str, key: str, field: str) -> Check:
    """Ids of the items of list `key` in element `slug` that have no `field`."""
    return lambda d: [str(x.get("id", "?")) for x in d.element(slug).get(key, []) if not x.get(field)]


def _goals_incomplete(d: Dossier) -> list[Item]:
    return [g.get("id", "?") for g in d.element("goals").get("goals", [])
            if not (g.get("baseline") and g.get("target") and g.get("projects"))]


def _baselines_off(d: Dossier) -> list[Item]:
    out: list[Item] = []
    for b in baseline.disagreeing(d):
        who = b.field.split(".")[1]
        out.append((f"{who}（填写 {b.typed:g}，记录为 {b.computed:g}）", f"{who} (typed {b.typed:g}, records {b.computed:g})"))
    return out


def _indicators_not_met(d: Dossier) -> list[Item]:
    """Indicators whose target year has come (≤ the cycle's end) and whose latest value misses it."""
    return [f"{i.project} {i.name}" for i in stats.indicator_rows(d)
            if i.met is False and i.target is not None and i.target[0] <= d.cycle[1]]


def _population_years(d: Dossier) -> list[Item]:
    pop = d.table("population")
    have = set(pop["year"].dropna().astype(int)) if "year" in pop else set()
    return [str(y) for y in d.years if y not in have]


def _elements_without_evidence(d: Dossier) -> list[Item]:
    ev = d.table("evidence")
    have = set(ev["element"].dropna().astype(int)) if "element" in ev else set()
    return [str(e.number) for e in ELEMENTS if e.number not in have]


def _actions_unverified(d: Dossier) -> list[Item]:
    a = d.table("actions")
    if a.empty or "done" not in a:
        return []
    ver = a["verified"] if "verified" in a else None
    sel = a["done"].notna() & (ver.isna() if ver is not None else True)
    return [str(i) for i in a.loc[sel, "id"]]


def _review_actions_open(d: Dossier) -> list[Item]:
    raised = [x for r in d.element("review").get("reviews", []) for x in (r.get("actions") or [])]
    a = d.table("actions")
    done = set(a.loc[a["done"].notna(), "id"].astype(str)) if not a.empty and "done" in a else set()
    return [str(x) for x in dict.fromkeys(raised) if str(x) not in done]


def _reviews_by_year(d: Dossier) -> list[Item]:
    years = {int(str(r["date"])[:4]) for r in d.element("review").get("reviews", []) if r.get("date")}
    return [str(y) for y in d.years if y not in years]


def _nonempty(slug: str, key: str) -> Check:
    return lambda d: [] if d.element(slug).get(key) else [key]


def _table_present(name: str) -> Check:
    return lambda d: [] if not d.table(name).empty else [name]


ORG = {"committee": ("促进委员会", "committee"), "office": ("办公室", "office"), "groups": ("工作组", "work groups")}
RISK = {"high_risk_groups": ("高危人群", "high-risk groups"),
        "high_risk_environments": ("高危环境", "high-risk environments"),
        "vulnerable_groups": ("弱势群体", "vulnerable groups")}

RULES: tuple[Rule, ...] = (
    Rule(1, EXISTS, "促进委员会、办公室和工作组已建立", "committee, office and work groups set up",
         "尚未建立：{items}", "not set up: {items}", _missing_keys("organisation", ORG)),
    Rule(1, EXISTS, "每个工作组都有成员", "every work group has members",
         "{n} 个工作组没有成员：{items}", "{n} work group(s) without members: {items}", _groups_without_members),
    Rule(1, TRACES, "建设周期内每年都有会议记录", "meetings in every year of the cycle",
         "{items} 年没有会议记录", "no meetings recorded in {items}", _years_without("meetings")),
    Rule(2, EXISTS, "有信息交流渠道", "information channels listed",
         "没有列出信息交流渠道", "no information channels listed", _nonempty("participation", "channels")),
    Rule(2, EXISTS, "有参与单位", "partners listed", "没有列出参与单位", "no partners listed",
         _nonempty("participation", "partners")),
    Rule(3, EXISTS, "开展了社区诊断", "community diagnosis done", "没有社区诊断记录", "no community diagnosis recorded",
         _nonempty("risk", "diagnoses")),
    Rule(3, EXISTS, "识别了高危人群、高危环境和弱势群体", "high-risk groups, environments and vulnerable groups",
         "尚未识别：{items}", "not identified: {items}", _missing_keys("risk", RISK)),
    Rule(3, EXISTS, "有隐患排查治理台账", "hazard register kept", "没有隐患排查治理台账", "no hazard register",
         _table_present("hazards")),
    Rule(3, TRACES, "每次社区诊断都有佐证材料", "every community diagnosis has evidence",
         "{n} 次社区诊断没有佐证材料：{items}", "{n} community diagnos(e)s without evidence: {items}",
         _without("risk", "diagnoses", "evidence")),
    Rule(3, EFFECT, "没有逾期未整改的隐患", "no hazard overdue",
         "有 {n} 项隐患逾期未整改：{items}", "{n} hazard(s) overdue and not closed: {items}",
         lambda d: registers.overdue_hazards(d)),
    Rule(4, EXISTS, "有目标", "goals set", "没有目标", "no goals set", _nonempty("goals", "goals")),
    Rule(4, EXISTS, "每个目标都有基线、目标值和对应项目", "every goal has baseline, target and projects",
         "{n} 个目标缺少基线、目标值或对应项目：{items}", "{n} goal(s) lack a baseline, target or projects: {items}",
         _goals_incomplete),
    Rule(4, TRACES, "目标基线与伤害记录一致", "goal baselines agree with the injury records",
         "{n} 个基线与伤害记录不符：{items}", "{n} baseline(s) disagree with the injury records: {items}",
         _baselines_off),
    Rule(5, EXISTS, "每个专项工作组都有安全促进项目", "every specialised group has a project",
         "{n} 个专项工作组没有项目：{items}", "{n} specialised group(s) without a project: {items}",
         _groups_without_project),
    Rule(5, EXISTS, "每个项目都有评价指标", "every project has indicators",
         "{n} 个项目没有评价指标：{items}", "{n} project(s) without indicators: {items}",
         _without("projects", "projects", "indicators")),
    Rule(5, TRACES, "每个项目都有佐证材料", "every project has evidence",
         "{n} 个项目没有佐证材料：{items}", "{n} project(s) without evidence: {items}",
         _without("projects", "projects", "evidence")),
    Rule(5, EFFECT, "到期的项目指标都达到目标值", "indicators due by now meet their targets",
         "{n} 项指标未达到目标值：{items}", "{n} indicator(s) miss their target: {items}", _indicators_not_met),
    Rule(6, EXISTS, "有宣传教育培训记录", "trainings recorded", "没有宣传教育培训记录", "no trainings recorded",
         _table_present("trainings")),
    Rule(6, TRACES, "建设周期内每年都有宣传教育培训", "trainings in every year of the cycle",
         "{items} 年没有宣传教育培训", "no trainings in {items}", _years_without("trainings")),
    Rule(7, EXISTS, "每个应急预案都有修订日期", "every emergency plan has a revision date",
         "{n} 个应急预案没有修订日期：{items}", "{n} emergency plan(s) without a revision date: {items}",
         _without("emergency", "plans", "revised")),
    Rule(7, TRACES, "建设周期内每年都有应急演练", "drills in every year of the cycle",
         "{items} 年没有应急演练", "no drills in {items}", _years_without("drills")),
    Rule(7, TRACES, "每年都有附佐证材料的演练", "a drill with evidence in every year",
         "{items} 年的演练都没有佐证材料", "no drill of {items} links evidence", _years_without_evidence("drills")),
    Rule(8, EXISTS, "建立了监测网络", "monitoring network set up", "没有监测网络", "no monitoring network",
         _nonempty("monitoring", "network")),
    Rule(8, TRACES, "建设周期内每年都有检查记录", "inspections in every year of the cycle",
         "{items} 年没有检查记录", "no inspections in {items}", _years_without("inspections")),
    Rule(8, EFFECT, "重大隐患和挂牌督办隐患都按期整改", "major and supervised hazards closed on time",
         "有 {n} 项重大或挂牌督办隐患逾期未整改：{items}",
         "{n} major or supervised hazard(s) overdue and not closed: {items}",
         lambda d: registers.overdue_hazards(d, serious_only=True)),
    Rule(9, EXISTS, "有事故记录表", "accident records kept", "没有事故记录表", "no accident records",
         _table_present("accidents")),
    Rule(9, EXISTS, "每年都有人口数据（计算伤害率）", "population for every year (for rates)",
         "{items} 年没有人口数据，无法计算伤害率", "no population for {items}: no rates", _population_years),
    Rule(9, TRACES, "建设周期内每年都有伤害记录", "injury records in every year of the cycle",
         "{items} 年没有伤害记录", "no injury records in {items}", _years_without("injuries")),
    Rule(10, TRACES, "十二个要素都有佐证材料", "evidence for all twelve elements",
         "要素 {items} 没有佐证材料", "no evidence for element(s) {items}", _elements_without_evidence),
    Rule(11, EXISTS, "有预防与纠正措施记录", "actions recorded", "没有预防与纠正措施记录", "no actions recorded",
         _table_present("actions")),
    Rule(11, TRACES, "已完成的措施都有验证结论", "every completed action is verified",
         "{n} 项已完成的措施没有验证结论：{items}", "{n} completed action(s) not verified: {items}",
         _actions_unverified),
    Rule(11, EFFECT, "没有逾期未完成的措施", "no overdue open actions",
         "有 {n} 项逾期未完成的措施：{items}", "{n} overdue open action(s): {items}",
         lambda d: registers.overdue_actions(d)),
    Rule(12, TRACES, "建设周期内每年都有评审", "a review in every year of the cycle",
         "{items} 年没有评审", "no review in {items}", _reviews_by_year),
    Rule(12, EFFECT, "评审提出的措施都已完成", "the actions reviews raised are done",
         "评审提出的 {n} 项措施尚未完成：{items}", "{n} action(s) raised by reviews not done: {items}",
         _review_actions_open),
)


def readiness(d: Dossier) -> list[Readiness]:
    out = []
    for el in ELEMENTS:
        rules = [r for r in RULES if r.element == el.number]
        passed: list[Rule] = []
        failed: list[Failure] = []
        for r in rules:
            lacking = r.check(d)
            (failed.append(Failure(r, lacking)) if lacking else passed.append(r))
        basic = [r for r in rules if r.family == EXISTS] or rules
        if el.slug not in d.elements or (basic and not any(r in passed for r in basic)):
            status = MISSING  # nothing a reviewer first asks for is there
        else:
            status = COMPLETE if not failed else PARTIAL
        out.append(Readiness(el.number, el.slug, status, passed, failed))
    return out
