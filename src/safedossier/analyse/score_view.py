"""The self-assessment as the site page and the PDF section show it, prepared once from one
`ScoreResult` (with its suggestions) in one language: both outputs only mark it up."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from safedossier.analyse.scoring.score import INCOMPLETE, ItemScore, ScoreResult
from safedossier.format.schema import ELEMENTS

if TYPE_CHECKING:
    from safedossier.analyse.views import Views


def num(x: Decimal | None) -> str:
    return "—" if x is None else f"{x:.2f}"


@dataclass
class PartRow:
    name: str
    points: str
    grade: str  # "—" when not assessed
    suggested: str  # "—" when no rule measures the part
    above: bool  # graded above the suggestion
    findings: list[str]  # what the records lack, one sentence per readiness rule


@dataclass
class ItemRow:
    id: str
    title: str
    hint: str
    note: str
    evidence: list[str]
    parts: list[PartRow]
    score: str
    max: str
    suggested_score: str
    zero: bool
    suggested_zero: bool
    complete: bool
    reasons: list[str]


@dataclass
class ElementRow:
    number: int
    label: str
    score: str
    max: str
    items: list[ItemRow] = field(default_factory=list)


@dataclass
class ScoreView:
    name: str
    source: str
    date: str
    assessors: str
    total: str
    max: str
    verdict: str
    suggested_total: str
    complete: bool
    not_graded: int
    elements: list[ElementRow]
    zero_items: list[ItemRow]
    suggested_zero_items: list[ItemRow]
    above: list[ItemRow]


def _item(i: ItemScore, r: ScoreResult, lang: str) -> ItemRow:
    zh = lang == "zh"
    grades = r.scheme.grades
    parts = []
    for p in i.parts:
        sug = i.suggested.get(p.name)
        parts.append(PartRow(p.name, num(p.points), p.grade or "—", sug or "—", p.name in i.reasons,
                             [f.text(lang) for f in i.findings.get(p.name, [])]))
    sug_score = i.suggested_score(grades)
    return ItemRow(
        i.id, i.item.title if zh else (i.item.title_en or i.item.title),
        i.item.hint if zh else (i.item.hint_en or i.item.hint), i.note, list(i.evidence), parts,
        num(i.score), num(i.max), num(sug_score), i.zero, sug_score == 0, i.complete,
        [f"{p}：{why[lang]}" if zh else f"{p}: {why[lang]}" for p, why in i.reasons.items()])


def verdict_text(r: ScoreResult, lang: str) -> str:
    zh = lang == "zh"
    if r.verdict == INCOMPLETE:
        return f"未完成（{r.not_graded} 个评分部分未评等级）" if zh else f"incomplete ({r.not_graded} parts not graded)"
    if not r.verdict:
        return "方案中没有适用的结论" if zh else "no rule of the scheme applies"
    return r.verdict if zh else f"{r.verdict_en()} ({r.verdict})"


def score_view(v: Views) -> ScoreView | None:
    """The page/section of the dossier's self-assessment, None when it has none."""
    r = v.score
    if r is None:
        return None
    lang = v.lang
    rows = {i.id: _item(i, r, lang) for i in r.items}
    elements = []
    for e in r.elements:
        el = ELEMENTS[e.element - 1]
        elements.append(ElementRow(e.element, v.el_label(el), num(e.score), num(e.max),
                                   [rows[i.id] for i in r.items if i.item.element == e.element]))
    sep = "、" if lang == "zh" else ", "
    s = r.scheme
    return ScoreView(
        s.name if lang == "zh" else (s.name_en or s.name), s.source, r.date,
        sep.join(v.member_name(m) for m in r.assessors), num(r.total), num(r.max), verdict_text(r, lang),
        num(r.suggested_total), r.complete, r.not_graded, elements,
        [rows[i.id] for i in r.zero_items], [x for x in rows.values() if x.suggested_zero],
        [rows[i.id] for i in r.above_suggestion])
