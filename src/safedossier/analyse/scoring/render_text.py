"""`dossier score` as text: scheme, per element and per item, total and verdict (2 decimals)."""

from __future__ import annotations

from decimal import Decimal

from safedossier.analyse.scoring.score import INCOMPLETE, ScoreResult
from safedossier.format.schema import ELEMENTS

_LABELS = {e.number: (e.label, e.label_en) for e in ELEMENTS}


def _n(x: Decimal) -> str:
    return f"{x:.2f}"


def render_text(r: ScoreResult, lang: str = "zh") -> str:
    zh = lang == "zh"
    s = r.scheme
    c = "：" if zh else ": "
    out = [f"{'评分方案' if zh else 'Scheme'}{c}{s.name if zh else (s.name_en or s.name)} ({s.id})",
           f"{'来源' if zh else 'Source'}{c}{s.source}"]
    if r.date:
        who = "、".join(r.assessors) if zh else ", ".join(r.assessors)
        out.append(f"{'自评日期' if zh else 'Date'}{c}{r.date}" + (f"  {'自评人' if zh else 'Assessors'}{c}{who}" if who else ""))
    out += ["", "要素 / 得分 / 满分" if zh else "Element / score / max"]
    for e in r.elements:
        label = _LABELS.get(e.element, ("", ""))[0 if zh else 1]
        out.append(f"  {e.element:>2} {label}  {_n(e.score)} / {_n(e.max)}")
    out += ["", "项目" if zh else "Items"]
    for i in r.items:
        grades = "  ".join(f"{p.name} {p.grade or '—'}" for p in i.parts)
        flag = ""
        if not i.complete:
            flag = "  未评完" if zh else "  not fully graded"
        elif i.zero:
            flag = "  零分项" if zh else "  zero item"
        title = i.item.title if zh else (i.item.title_en or i.item.title)
        hint = ""
        if i.suggested:
            hint = f"  {'建议' if zh else 'suggested'} [" + "  ".join(
                f"{p.name} {i.suggested.get(p.name, '—')}" for p in i.parts) + "]"
        out.append(f"  {i.id:>4} {title}  [{grades}]{hint}  {_n(i.score)} / {_n(i.max)}{flag}")
        out += [f"       {p}{c}{r['zh' if zh else 'en']}" for p, r in i.reasons.items()]
    out.append("")
    out.append(f"{'总分' if zh else 'Total'}{c}{_n(r.total)} / {_n(r.max)}")
    if r.suggested_total is not None:
        out.append(f"{'按档案记录建议的得分' if zh else 'Score the records suggest'}{c}{_n(r.suggested_total)}")
    if r.above_suggestion:
        ids = ("、" if zh else ", ").join(i.id for i in r.above_suggestion)
        out.append(f"{'自评高于档案记录的项目' if zh else 'Items graded above what the records show'}{c}{ids}")
    if r.zero_items:
        ids = "、".join(i.id for i in r.zero_items)
        out.append(f"{'零分项目' if zh else 'Zero items'}{c}{ids}")
    if r.verdict == INCOMPLETE:
        out.append(f"结论：未完成（{r.not_graded} 个评分部分未评等级）" if zh else
                   f"Verdict: incomplete ({r.not_graded} parts not graded)")
    elif not r.verdict:
        out.append("结论：方案中没有适用的结论" if zh else "Verdict: no rule of the scheme applies")
    else:
        out.append(f"结论：{r.verdict}" if zh else f"Verdict: {r.verdict_en()} ({r.verdict})")
    return "\n".join(out)
