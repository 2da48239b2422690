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

from safedossier.analyse import registers, stats
from safedossier.analyse.readiness_checks import (
    ARCHIVE,
    EMERGENCY,
    INJURY_FIELDS,
    ORG,
    RISK,
    Check,
    Item,
    actions_unverified,
    baselines_off,
    closed_hazards,
    committee_meeting_years,
    count,
    diagnosis_years,
    drills_unevaluated,
    due_indicators,
    elements_citing_nothing,
    elements_without_evidence,
    goals_incomplete,
    groups_without_members,
    groups_without_project,
    hazards_closed_late,
    indicators_not_met,
    indicators_untracked,
    injury_fields_incomplete,
    missing_keys,
    nonempty,
    population_years,
    projects_undesigned,
    review_actions_open,
    reviews_by_year,
    rows,
    serious_hazards,
    table_present,
    volunteers_missing,
    without,
    years,
    years_without,
    years_without_evidence,
    years_without_participants,
)
from safedossier.format.model import Dossier
from safedossier.format.schema import ELEMENTS

COMPLETE, PARTIAL, MISSING = "complete", "partial", "missing"
EXISTS, TRACES, EFFECT = "exists", "traces", "effect"
SHOWN = 5  # items named in a reason; the rest are counted



@dataclass(frozen=True)
class Rule:
    element: int
    family: str
    zh: str  # the requirement, shown ✓ when met
    en: str
    fail_zh: str  # what is wrong, with {n} (how many) and {items} (the first few)
    fail_en: str
    check: Check
    key: str = ""  # a stable name: suggested grades (`suggest.py`) name the rules they read
    of: Callable[[Dossier], int] | None = None  # how many things the check looks at (None: one)


@dataclass(frozen=True)
class Failure:
    rule: Rule
    lacking: list[Item]
    of: int = 0  # how many things were checked; `share` is the part of them that lacks

    @property
    def share(self) -> float:
        return min(1.0, len(self.lacking) / max(self.of, len(self.lacking), 1))

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


# Keys are what `suggest.py` names; a rule added here counts in readiness and in suggested grades alike.
RULES: tuple[Rule, ...] = (
    Rule(1, EXISTS, "促进委员会、办公室和工作组已建立", "committee, office and work groups set up",
         "尚未建立：{items}", "not set up: {items}", missing_keys("organisation", ORG),
         key="org_set_up", of=lambda d: len(ORG)),
    Rule(1, EXISTS, "每个工作组都有成员", "every work group has members",
         "{n} 个工作组没有成员：{items}", "{n} work group(s) without members: {items}", groups_without_members,
         key="groups_staffed", of=count("organisation", "groups")),
    Rule(1, TRACES, "建设周期内每年都有会议记录", "meetings in every year of the cycle",
         "{items} 年没有会议记录", "no meetings recorded in {items}", years_without("meetings"),
         key="meetings_yearly", of=years),
    Rule(1, EFFECT, "委员会每年都召开会议", "the committee meets every year",
         "{items} 年委员会没有开会", "the committee did not meet in {items}", committee_meeting_years,
         key="committee_meets", of=years),
    Rule(2, EXISTS, "有信息交流渠道", "information channels listed",
         "没有列出信息交流渠道", "no information channels listed", nonempty("participation", "channels"),
         key="channels"),
    Rule(2, EXISTS, "有参与单位", "partners listed", "没有列出参与单位", "no partners listed",
         nonempty("participation", "partners"), key="partners"),
    Rule(2, EXISTS, "有志愿者队伍和人数", "volunteer teams and numbers recorded",
         "没有记录：{items}", "not recorded: {items}", volunteers_missing, key="volunteers", of=lambda d: 2),
    Rule(2, EFFECT, "每年都有居民参加的宣传培训或活动", "residents took part in every year",
         "{items} 年没有记录参加人次", "no participants recorded in {items}", years_without_participants,
         key="residents_take_part", of=years),
    Rule(3, EXISTS, "开展了社区诊断", "community diagnosis done", "没有社区诊断记录", "no community diagnosis recorded",
         nonempty("risk", "diagnoses"), key="diagnosis"),
    Rule(3, EXISTS, "识别了高危人群、高危环境和弱势群体", "high-risk groups, environments and vulnerable groups",
         "尚未识别：{items}", "not identified: {items}", missing_keys("risk", RISK), key="risk_groups",
         of=lambda d: len(RISK)),
    Rule(3, EXISTS, "有隐患排查治理台账", "hazard register kept", "没有隐患排查治理台账", "no hazard register",
         table_present("hazards"), key="hazard_register"),
    Rule(3, TRACES, "每次社区诊断都有佐证材料", "every community diagnosis has evidence",
         "{n} 次社区诊断没有佐证材料：{items}", "{n} community diagnos(e)s without evidence: {items}",
         without("risk", "diagnoses", "evidence"), key="diagnosis_evidence", of=count("risk", "diagnoses")),
    Rule(3, TRACES, "建设周期内每年都有社区诊断", "a community diagnosis in every year of the cycle",
         "{items} 年没有社区诊断", "no community diagnosis in {items}", diagnosis_years,
         key="diagnosis_yearly", of=years),
    Rule(3, EFFECT, "没有逾期未整改的隐患", "no hazard overdue",
         "有 {n} 项隐患逾期未整改：{items}", "{n} hazard(s) overdue and not closed: {items}",
         lambda d: registers.overdue_hazards(d), key="hazards_overdue", of=rows("hazards")),
    Rule(3, EFFECT, "已销号的隐患都在整改期限内完成", "closed hazards were closed by their due date",
         "有 {n} 项隐患超过整改期限才销号：{items}", "{n} hazard(s) closed after their due date: {items}",
         hazards_closed_late, key="hazards_late", of=closed_hazards),
    Rule(4, EXISTS, "有目标", "goals set", "没有目标", "no goals set", nonempty("goals", "goals"), key="goals"),
    Rule(4, EXISTS, "每个目标都有基线、目标值和对应项目", "every goal has baseline, target and projects",
         "{n} 个目标缺少基线、目标值或对应项目：{items}", "{n} goal(s) lack a baseline, target or projects: {items}",
         goals_incomplete, key="goals_complete", of=count("goals", "goals")),
    Rule(4, TRACES, "目标基线与伤害记录一致", "goal baselines agree with the injury records",
         "{n} 个基线与伤害记录不符：{items}", "{n} baseline(s) disagree with the injury records: {items}",
         baselines_off, key="baselines_agree", of=count("goals", "goals")),
    Rule(5, EXISTS, "每个专项工作组都有安全促进项目", "every specialised group has a project",
         "{n} 个专项工作组没有项目：{items}", "{n} specialised group(s) without a project: {items}",
         groups_without_project, key="groups_lead_projects",
         of=lambda d: sum(1 for g in d.element("organisation").get("groups", []) if g.get("kind") == "专项")),
    Rule(5, EXISTS, "每个项目都有评价指标", "every project has indicators",
         "{n} 个项目没有评价指标：{items}", "{n} project(s) without indicators: {items}",
         without("projects", "projects", "indicators"), key="projects_indicators", of=count("projects", "projects")),
    Rule(5, EXISTS, "每个项目都有目标人群、项目目标和干预措施", "every project has targets, objectives and interventions",
         "{n} 个项目缺少目标人群、项目目标或干预措施：{items}",
         "{n} project(s) lack targets, objectives or interventions: {items}", projects_undesigned,
         key="projects_designed", of=count("projects", "projects")),
    Rule(5, TRACES, "每个项目都有佐证材料", "every project has evidence",
         "{n} 个项目没有佐证材料：{items}", "{n} project(s) without evidence: {items}",
         without("projects", "projects", "evidence"), key="projects_evidence", of=count("projects", "projects")),
    Rule(5, EFFECT, "到期的项目指标都达到目标值", "indicators due by now meet their targets",
         "{n} 项指标未达到目标值：{items}", "{n} indicator(s) miss their target: {items}", indicators_not_met,
         key="indicators_met", of=due_indicators),
    Rule(6, EXISTS, "有宣传教育培训记录", "trainings recorded", "没有宣传教育培训记录", "no trainings recorded",
         table_present("trainings"), key="trainings"),
    Rule(6, TRACES, "建设周期内每年都有宣传教育培训", "trainings in every year of the cycle",
         "{items} 年没有宣传教育培训", "no trainings in {items}", years_without("trainings"),
         key="trainings_yearly", of=years),
    Rule(7, EXISTS, "每个应急预案都有修订日期", "every emergency plan has a revision date",
         "{n} 个应急预案没有修订日期：{items}", "{n} emergency plan(s) without a revision date: {items}",
         without("emergency", "plans", "revised"), key="plans_revised", of=count("emergency", "plans")),
    Rule(7, EXISTS, "有应急队伍和应急物资", "emergency teams and supplies listed",
         "没有列出：{items}", "not listed: {items}", missing_keys("emergency", EMERGENCY), key="emergency_resources",
         of=lambda d: len(EMERGENCY)),
    Rule(7, TRACES, "建设周期内每年都有应急演练", "drills in every year of the cycle",
         "{items} 年没有应急演练", "no drills in {items}", years_without("drills"), key="drills_yearly", of=years),
    Rule(7, TRACES, "每年都有附佐证材料的演练", "a drill with evidence in every year",
         "{items} 年的演练都没有佐证材料", "no drill of {items} links evidence", years_without_evidence("drills"),
         key="drills_evidence", of=years),
    Rule(7, EFFECT, "每次演练都有评估", "every drill was evaluated",
         "{n} 次演练没有评估：{items}", "{n} drill(s) not evaluated: {items}", drills_unevaluated,
         key="drills_evaluated", of=rows("drills")),
    Rule(8, EXISTS, "建立了监测网络", "monitoring network set up", "没有监测网络", "no monitoring network",
         nonempty("monitoring", "network"), key="network"),
    Rule(8, TRACES, "建设周期内每年都有检查记录", "inspections in every year of the cycle",
         "{items} 年没有检查记录", "no inspections in {items}", years_without("inspections"),
         key="inspections_yearly", of=years),
    Rule(8, TRACES, "每个项目指标在建设周期内都有实测值", "every project indicator was measured during the cycle",
         "{n} 项指标在建设周期内没有实测值：{items}", "{n} indicator(s) never measured during the cycle: {items}",
         indicators_untracked, key="indicators_tracked", of=lambda d: len(stats.indicator_rows(d))),
    Rule(8, EFFECT, "重大隐患和挂牌督办隐患都按期整改", "major and supervised hazards closed on time",
         "有 {n} 项重大或挂牌督办隐患逾期未整改：{items}",
         "{n} major or supervised hazard(s) overdue and not closed: {items}",
         lambda d: registers.overdue_hazards(d, serious_only=True), key="serious_hazards_overdue",
         of=serious_hazards),
    Rule(9, EXISTS, "有事故记录表", "accident records kept", "没有事故记录表", "no accident records",
         table_present("accidents"), key="accidents"),
    Rule(9, EXISTS, "每年都有人口数据（计算伤害率）", "population for every year (for rates)",
         "{items} 年没有人口数据，无法计算伤害率", "no population for {items}: no rates", population_years,
         key="population_yearly", of=years),
    Rule(9, TRACES, "建设周期内每年都有伤害记录", "injury records in every year of the cycle",
         "{items} 年没有伤害记录", "no injury records in {items}", years_without("injuries"),
         key="injuries_yearly", of=years),
    Rule(9, EFFECT, "伤害记录的职业、活动、原因、地点填写完整", "injury records give occupation, activity, cause and place",
         "伤害记录填写不完整：{items}", "injury records incomplete: {items}", injury_fields_incomplete,
         key="injury_fields", of=lambda d: len(INJURY_FIELDS)),
    Rule(10, EXISTS, "有档案管理人和档案类别", "archive keeper and categories named",
         "没有写明：{items}", "not named: {items}", missing_keys("archive", ARCHIVE), key="archive_kept",
         of=lambda d: len(ARCHIVE)),
    Rule(10, TRACES, "十二个要素都有佐证材料", "evidence for all twelve elements",
         "要素 {items} 没有佐证材料", "no evidence for element(s) {items}", elements_without_evidence,
         key="elements_evidence", of=lambda d: len(ELEMENTS)),
    Rule(10, EFFECT, "每个要素的说明都引用了佐证材料", "every element's document cites its evidence",
         "要素 {items} 的说明没有引用佐证材料", "the document of element(s) {items} cites no evidence",
         elements_citing_nothing, key="elements_cite", of=lambda d: len(ELEMENTS)),
    Rule(11, EXISTS, "有预防与纠正措施记录", "actions recorded", "没有预防与纠正措施记录", "no actions recorded",
         table_present("actions"), key="actions"),
    Rule(11, TRACES, "已完成的措施都有验证结论", "every completed action is verified",
         "{n} 项已完成的措施没有验证结论：{items}", "{n} completed action(s) not verified: {items}",
         actions_unverified, key="actions_verified",
         of=lambda d: int(d.table("actions")["done"].notna().sum()) if "done" in d.table("actions") else 0),
    Rule(11, EFFECT, "没有逾期未完成的措施", "no overdue open actions",
         "有 {n} 项逾期未完成的措施：{items}", "{n} overdue open action(s): {items}",
         lambda d: registers.overdue_actions(d), key="actions_overdue", of=rows("actions")),
    Rule(12, EXISTS, "有评审记录", "reviews recorded", "没有评审记录", "no reviews recorded",
         nonempty("review", "reviews"), key="reviews"),
    Rule(12, TRACES, "建设周期内每年都有评审", "a review in every year of the cycle",
         "{items} 年没有评审", "no review in {items}", reviews_by_year, key="reviews_yearly", of=years),
    Rule(12, EFFECT, "评审提出的措施都已完成", "the actions reviews raised are done",
         "评审提出的 {n} 项措施尚未完成：{items}", "{n} action(s) raised by reviews not done: {items}",
         review_actions_open, key="review_actions_done",
         of=lambda d: len({x for r in d.element("review").get("reviews", []) for x in (r.get("actions") or [])})),
)
RULE_BY_KEY = {r.key: r for r in RULES}


def readiness(d: Dossier) -> list[Readiness]:
    out = []
    for el in ELEMENTS:
        rules = [r for r in RULES if r.element == el.number]
        passed: list[Rule] = []
        failed: list[Failure] = []
        for r in rules:
            lacking = r.check(d)
            if lacking:
                failed.append(Failure(r, lacking, r.of(d) if r.of else len(lacking)))
            else:
                passed.append(r)
        basic = [r for r in rules if r.family == EXISTS] or rules
        if el.slug not in d.elements or (basic and not any(r in passed for r in basic)):
            status = MISSING  # nothing a reviewer first asks for is there
        else:
            status = COMPLETE if not failed else PARTIAL
        out.append(Readiness(el.number, el.slug, status, passed, failed))
    return out
