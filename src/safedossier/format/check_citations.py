"""Warnings for evidence cited out of place: filed under another element, or dated far from the record."""

from __future__ import annotations

from typing import Any

from safedossier.format.citations import MAX_DAYS, as_date, citations, days_apart
from safedossier.format.diagnostics import Report
from safedossier.format.load import Sources
from safedossier.format.model import Dossier


def check_citations(d: Dossier, src: Sources, report: Report) -> None:
    """A record citing evidence filed under another element, or dated more than `MAX_DAYS` from it."""
    ev = d.tables.get("evidence")
    if ev is None or ev.empty:
        return
    filed = {str(r["id"]): r for r in ev.to_dict("records")}

    def line_of(file: str, path: tuple[Any, ...]) -> int | None:
        doc = src.yaml.get(file.removeprefix("dossier/"))
        return doc.line(path) if doc is not None else None

    for c in citations(d, line_of):
        rec = filed.get(c.evidence)
        if rec is None:  # a dangling reference: already an error
            continue
        named = c.title if c.title.startswith(c.record) else f"{c.record} {c.title}".strip()
        what, what_en = named or f"要素 {c.element}", named or f"element {c.element}"
        el = rec.get("element")
        # an element's own `evidence:` list is no record: a founding notice may support several elements
        if el is not None and int(el) != c.element and c.where:
            report.warn("evidence_other_element", c.file, c.line, c.field, found=c.evidence, title=rec["title"],
                        filed=int(el), element=c.element, record=what, record_en=what_en)
        day = as_date(rec.get("date"))
        if day is not None and c.span is not None and (gap := days_apart(day, c.span)) > MAX_DAYS:
            when = c.span[0].isoformat() if c.span[0] == c.span[1] else f"{c.span[0]}—{c.span[1]}"
            report.warn("evidence_far_date", c.file, c.line, c.field, found=f"{c.evidence}（{day}）",
                        title=rec["title"], days=gap, when=when, limit=MAX_DAYS, record=what, record_en=what_en)
