"""Grades the dossier's own records suggest for each part of each self-assessment item.

Suggestions read the readiness rules (`readiness.RULES`), never facts of their own: every part of an
item names the rules that measure it, and its suggested grade follows from how much those rules found
lacking. So readiness and suggestions cannot disagree — an element is complete exactly when every part
that reads only its rules is suggested the top grade, and a reason quotes the same sentence the
element's page shows.

A rule's *share lacking* is what its check found lacking out of what it looked at (9 of 76 hazards
overdue → 0.12). A part's grade is that of its worst rule: nothing lacking → the scheme's best grade;
everything lacking (or the element missing) → its worst; in between, the intermediate grade whose
factor is nearest to the share met (ties go to the lower grade). Grades are chosen by factor, so any
scheme's grade names work. Items of the shipped scheme name their rules below; an item of another
scheme reads its elements' rules of the part's family (有无 → exists, 痕迹 → traces, 效果 → effect).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from safedossier.analyse.readiness import (
    EFFECT,
    EXISTS,
    MISSING,
    RULE_BY_KEY,
    RULES,
    TRACES,
    Failure,
    Readiness,
    Rule,
)
from safedossier.analyse.scoring.assess import FILE, load_assessment
from safedossier.analyse.scoring.scheme import Item, Scheme
from safedossier.analyse.scoring.score import ScoreResult, score
from safedossier.format.diagnostics import Report
from safedossier.format.model import Dossier
from safedossier.format.schema import ELEMENTS

FAMILY_OF_PART = {"有无": EXISTS, "痕迹": TRACES, "效果": EFFECT}
SHIPPED = "aqt9001-self"

# The shipped scheme: item → "有无 rules | 痕迹 rules | 效果 rules" (keys of readiness.RULE_BY_KEY).
_ITEMS = {
    "1": "org_set_up | meetings_yearly | committee_meets",
    "2": "org_set_up groups_staffed | meetings_yearly | groups_lead_projects",
    "3": "org_set_up | meetings_yearly | committee_meets",
    "4": "goals | goals_complete | indicators_met",
    "5": "groups_staffed | projects_evidence | projects_designed",
    "6": "partners | meetings_yearly | residents_take_part",
    "7": "channels | channels | residents_take_part",
    "8": "volunteers | partners | residents_take_part",
    "9": "trainings | trainings_yearly | residents_take_part",
    "10": "hazard_register diagnosis | diagnosis_evidence | diagnosis_yearly",
    "11": "diagnosis | diagnosis_evidence | diagnosis_yearly injuries_yearly",
    "12": "risk_groups | diagnosis_evidence | groups_lead_projects",
    "13": "hazard_register | inspections_yearly | hazards_overdue hazards_late",
    "14": "risk_groups | goals_complete | baselines_agree",
    "15": "goals | baselines_agree | indicators_met",
    "16": "goals | goals_complete | indicators_met",
    "17": "projects_designed | projects_evidence | indicators_met",
    "18": "groups_lead_projects | projects_evidence | indicators_met",
    "19": "projects_designed | projects_evidence | projects_indicators",
    "20": "projects_designed | projects_evidence | indicators_met",
    "21": "groups_lead_projects | projects_evidence | indicators_met",
    "22": "projects_indicators | indicators_tracked | indicators_met",
    "23": "reviews | reviews_yearly | review_actions_done",
    "24": "trainings | trainings_yearly | residents_take_part",
    "25": "trainings | trainings_yearly | residents_take_part",
    "26": "trainings | trainings_yearly | residents_take_part",
    "27": "projects_indicators | indicators_tracked | indicators_met",
    "28": "plans_revised emergency_resources | drills_yearly | drills_evaluated",
    "29": "plans_revised | plans_revised | drills_evaluated",
    "30": "emergency_resources | drills_evidence | drills_yearly",
    "31": "drills_yearly | drills_evidence | drills_evaluated",
    "32": "drills_yearly | drills_evaluated | drills_evaluated",
    "33": "network | inspections_yearly | serious_hazards_overdue",
    "34": "projects_indicators | indicators_tracked | indicators_met",
    "35": "network | inspections_yearly | hazards_overdue serious_hazards_overdue",
    "36": "actions | actions_verified | actions_overdue",
    "37": "accidents | injuries_yearly | injury_fields",
    "38": "injuries_yearly | injuries_yearly | injury_fields",
    "39": "population_yearly | injuries_yearly | baselines_agree",
    "40": "goals | baselines_agree | indicators_met",
    "41": "archive_kept | elements_evidence | elements_cite",
    "42": "archive_kept | elements_evidence | elements_cite",
    "43": "archive_kept | elements_evidence | elements_cite",
    "44": "actions | actions_verified | actions_overdue",
    "45": "actions | actions_verified | actions_overdue",
    "46": "actions | actions_verified | actions_verified",
    "47": "reviews | reviews_yearly | review_actions_done",
    "48": "reviews | reviews_yearly | indicators_met",
    "49": "reviews | review_actions_done | review_actions_done",
    "50": "reviews | reviews_yearly | indicators_met hazards_overdue actions_overdue",
}
ITEM_RULES: dict[str, dict[str, tuple[Rule, ...]]] = {
    item: {part: tuple(RULE_BY_KEY[k] for k in keys.split())
           for part, keys in zip(FAMILY_OF_PART, spec.split("|"), strict=True)}
    for item, spec in _ITEMS.items()
}


def part_rules(scheme: Scheme, item: Item) -> dict[str, tuple[Rule, ...]]:
    """The rules that measure each part of `item` (parts no rule measures are left out)."""
    if scheme.id == SHIPPED and item.id in ITEM_RULES:
        return {p: r for p, r in ITEM_RULES[item.id].items() if p in item.parts}
    out = {}
    for part in item.parts:
        family = FAMILY_OF_PART.get(part)
        rules = tuple(r for r in RULES if r.element in item.elements and r.family == family)
        if rules:
            out[part] = rules
    return out


def grade_for(scheme: Scheme, share: float) -> str:
    """The grade of a part whose rules found `share` (0–1) of what they checked lacking."""
    ranked = sorted(scheme.grades.items(), key=lambda kv: kv[1], reverse=True)
    if share <= 0:
        return ranked[0][0]
    if share >= 1:
        return ranked[-1][0]
    middle = ranked[1:-1] or ranked
    met = Decimal(str(round(1 - share, 4)))
    return min(middle, key=lambda kv: (abs(kv[1] - met), kv[1]))[0]


def _missing_failure(number: int) -> Failure:
    el = ELEMENTS[number - 1]
    rule = Rule(number, EXISTS, "", "", f"没有 dossier/{el.filename}", f"no dossier/{el.filename}",
                lambda d: [], key="element_missing")
    return Failure(rule, [el.filename], 1)


def findings(rules: Iterable[Rule], ready: dict[int, Readiness]) -> list[Failure]:
    """The readiness failures of `rules`; an element that is missing counts as wholly lacking."""
    rules = list(rules)
    wanted = {id(r) for r in rules}
    out: list[Failure] = []
    for number in dict.fromkeys(r.element for r in rules):
        r = ready.get(number)
        if r is None:
            continue
        mine = [f for f in r.failed if id(f.rule) in wanted]
        if r.status == MISSING:
            mine = [Failure(f.rule, f.lacking, len(f.lacking)) for f in mine] or [_missing_failure(number)]
        out += mine
    return out


def suggest(result: ScoreResult, ready: dict[int, Readiness]) -> ScoreResult:
    """Fill each item's `suggested` grades, the failures behind them (`findings`), and a reason in zh
    and en for each part the office graded above the suggestion."""
    scheme = result.scheme
    for it in result.items:
        for part, rules in part_rules(scheme, it.item).items():
            found = findings(rules, ready)
            share = max((f.share for f in found), default=0.0)
            grade = grade_for(scheme, share)
            it.suggested[part] = grade
            it.findings[part] = found
            given = next((p.grade for p in it.parts if p.name == part), None)
            if given is not None and scheme.grades[given] > scheme.grades[grade] and found:
                zh = "；".join(f.text("zh") for f in found)
                en = "; ".join(f.text("en") for f in found)
                it.reasons[part] = {"zh": f"自评 {given}，档案显示：{zh}",
                                    "en": f"self-assessed {given}; the dossier shows: {en}"}
    return result


def scored(d: Dossier, ready: dict[int, Readiness]) -> ScoreResult | None:
    """The dossier's self-assessment scored on its scheme, with suggestions (None: it has none). The
    dossier passed `dossier check`, so the file and its scheme are valid."""
    if not (d.root / FILE).is_file():
        return None
    found = load_assessment(d.root, Report())
    return suggest(score(found), ready) if found is not None else None
