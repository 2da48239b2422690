"""Scores exactly as SCORING.md says: item = Σ part points × grade factor; total = Σ items; a part
without a grade makes the item and the total incomplete and the verdict 未完成; the verdict is the first
of the scheme's rules that holds.

The result is plain typed objects, one per item and part, so later stages (suggested grades, the site
page, the PDF section) add to them instead of recomputing: `ItemScore.suggested` is filled by them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from safedossier.analyse.scoring.assess import Assessment, Given
from safedossier.analyse.scoring.scheme import Item, Scheme

INCOMPLETE = "未完成"
INCOMPLETE_EN = "incomplete"


@dataclass
class PartScore:
    name: str
    points: Decimal
    grade: str | None  # None: not assessed
    factor: Decimal | None

    @property
    def score(self) -> Decimal | None:
        return None if self.factor is None else self.points * self.factor


@dataclass
class ItemScore:
    item: Item
    parts: list[PartScore]
    note: str = ""
    evidence: tuple[str, ...] = ()
    suggested: dict[str, str] = field(default_factory=dict)  # part → grade the dossier's data suggest
    findings: dict[str, list[Any]] = field(default_factory=dict)  # part → readiness failures behind it
    reasons: dict[str, dict[str, str]] = field(default_factory=dict)  # part → {zh, en}: graded above it

    @property
    def id(self) -> str:
        return self.item.id

    @property
    def max(self) -> Decimal:
        return self.item.max

    @property
    def score(self) -> Decimal:
        """Points of the graded parts (a lower bound while the item is incomplete)."""
        return sum((p.score for p in self.parts if p.score is not None), Decimal(0))

    @property
    def complete(self) -> bool:
        return all(p.grade is not None for p in self.parts)

    @property
    def zero(self) -> bool:
        """A zero item: fully graded and worth nothing."""
        return self.complete and self.score == 0

    @property
    def grades(self) -> dict[str, str]:
        return {p.name: p.grade for p in self.parts if p.grade is not None}

    def suggested_score(self, grades: dict[str, Decimal]) -> Decimal | None:
        """Points if every part had its suggested grade (None: some part has no suggestion)."""
        if any(p.name not in self.suggested for p in self.parts):
            return None
        return sum((p.points * grades[self.suggested[p.name]] for p in self.parts), Decimal(0))


@dataclass
class ElementScore:
    element: int
    score: Decimal
    max: Decimal


@dataclass
class ScoreResult:
    scheme: Scheme
    items: list[ItemScore]
    elements: list[ElementScore]
    verdict: str  # a verdict of the scheme, 未完成, or "" when no rule holds
    date: str = ""
    assessors: tuple[str, ...] = ()

    @property
    def max(self) -> Decimal:
        return self.scheme.max

    @property
    def total(self) -> Decimal:
        return sum((i.score for i in self.items), Decimal(0))

    @property
    def complete(self) -> bool:
        return all(i.complete for i in self.items)

    @property
    def zero_items(self) -> list[ItemScore]:
        return [i for i in self.items if i.zero]

    @property
    def above_suggestion(self) -> list[ItemScore]:
        """Items with a part graded above what the dossier's records suggest."""
        return [i for i in self.items if i.reasons]

    @property
    def suggested_total(self) -> Decimal | None:
        each = [i.suggested_score(self.scheme.grades) for i in self.items]
        return None if any(x is None for x in each) else sum((x for x in each if x is not None), Decimal(0))

    @property
    def not_graded(self) -> int:
        return sum(1 for i in self.items for p in i.parts if p.grade is None)

    def verdict_en(self) -> str:
        if self.verdict == INCOMPLETE:
            return INCOMPLETE_EN
        rule = next((v for v in self.scheme.verdicts if v.name == self.verdict), None)
        return (rule.name_en or rule.name) if rule else ""

    def as_json(self) -> dict[str, Any]:
        """The machine output of SCORING.md (numbers unrounded), plus a few descriptive keys."""
        return {
            "scheme": self.scheme.id, "name": self.scheme.name, "source": self.scheme.source,
            "max": float(self.max), "total": float(self.total), "complete": self.complete,
            "verdict": self.verdict, "date": self.date, "assessors": list(self.assessors),
            "zero_items": [i.id for i in self.zero_items],
            "suggested_total": None if self.suggested_total is None else float(self.suggested_total),
            "above_suggestion": [i.id for i in self.above_suggestion],
            "elements": [{"element": e.element, "score": float(e.score), "max": float(e.max)}
                         for e in self.elements],
            "items": [{"id": i.id, "element": i.item.element, "title": i.item.title,
                       "score": float(i.score), "max": float(i.max), "complete": i.complete,
                       "grades": i.grades, "suggested": dict(i.suggested),
                       "reasons": {p: dict(r) for p, r in i.reasons.items()}, "evidence": list(i.evidence),
                       "note": i.note} for i in self.items],
        }


def score_item(item: Item, given: Given | None, scheme: Scheme) -> ItemScore:
    grades = given.grades if given else {}
    parts = []
    for name, points in item.parts.items():
        grade = grades.get(name)
        parts.append(PartScore(name, points, grade, scheme.grades[grade] if grade is not None else None))
    return ItemScore(item, parts, given.note if given else "", given.evidence if given else ())


def verdict(scheme: Scheme, items: list[ItemScore]) -> str:
    """The first rule that holds; 未完成 while any part is ungraded."""
    if not all(i.complete for i in items):
        return INCOMPLETE
    total = sum((i.score for i in items), Decimal(0))
    has_zero = any(i.zero for i in items)
    for rule in scheme.verdicts:
        if rule.min_total is not None and total < rule.min_total:
            continue
        if rule.no_zero_item and has_zero:
            continue
        return rule.name
    return ""


def score(assessment: Assessment) -> ScoreResult:
    scheme = assessment.scheme
    items = [score_item(it, assessment.items.get(it.id), scheme) for it in scheme.items]
    by_element: dict[int, list[ItemScore]] = {}
    for i in items:
        by_element.setdefault(i.item.element, []).append(i)
    elements = [ElementScore(n, sum((i.score for i in its), Decimal(0)), sum((i.max for i in its), Decimal(0)))
                for n, its in sorted(by_element.items())]
    return ScoreResult(scheme, items, elements, verdict(scheme, items), assessment.date, assessment.assessors)
