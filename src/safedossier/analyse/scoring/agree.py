"""The 自评 recorded in element 12 must agree with the self-assessment form it reports.

A review of kind 自评 on the self-assessment's date states a score (得分, 0–100 in FORMAT.md); the form's
total is converted to that 100-point scale (total × 100 / max) and compared to within half a point,
so a score typed as a whole number still agrees. Only a complete assessment has a total to compare.
"""

from __future__ import annotations

from decimal import Decimal

from safedossier.analyse.scoring.assess import Assessment
from safedossier.analyse.scoring.score import score
from safedossier.format.diagnostics import Report
from safedossier.format.load import Sources

REVIEW_FILE = "12-review.yml"
SELF = "自评"
TOLERANCE = Decimal("0.5")


def percent(total: Decimal, max_: Decimal) -> Decimal:
    return (total * 100 / max_).quantize(Decimal("0.1")) if max_ else Decimal(0)


def check_review_scores(src: Sources, assessment: Assessment, report: Report) -> None:
    doc = src.yaml.get(REVIEW_FILE)
    if doc is None or not isinstance(doc.data, dict) or assessment.not_graded():
        return
    res = score(assessment)
    pct = percent(res.total, res.max)
    for i, r in enumerate(doc.data.get("reviews") or []):
        if not isinstance(r, dict) or r.get("kind") != SELF or str(r.get("date")) != assessment.date:
            continue
        typed = r.get("score")
        if isinstance(typed, bool) or not isinstance(typed, (int, float)):
            continue  # no score, or one the field check already reports
        if abs(Decimal(str(typed)) - pct) > TOLERANCE:
            report.warn("score_review_disagrees", doc.file, doc.line(("reviews", i, "score")),
                        f"reviews[{i}].score", found=typed, review=r.get("id", i + 1),
                        total=f"{res.total:.2f}", max=f"{res.max:.2f}", percent=f"{pct}")
