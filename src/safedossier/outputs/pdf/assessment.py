"""Rows of the PDF's self-assessment section, from the same `ScoreView` as the site's 自评 page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from safedossier.analyse.score_view import ElementRow, ScoreView


def _grades(parts: list[Any], attr: str) -> str:
    return " ".join(f"{p.name} {getattr(p, attr)}" for p in parts)


def assessment_context(sv: ScoreView, ev_links: Callable[[Any], Any], total_label: str) -> dict[str, Any]:
    def item_rows(el: ElementRow) -> list[list[Any]]:
        return [[f"{it.id} {it.title}", _grades(it.parts, "grade"), _grades(it.parts, "suggested"),
                 f"{it.score} / {it.max}", ev_links(it.evidence)] for it in el.items]

    rows: list[list[Any]] = [[f"{e.number}. {e.label}", e.score, e.max] for e in sv.elements]
    rows.append([total_label, sv.total, sv.max])
    return {"sv": sv, "element_rows": rows, "item_rows": item_rows}
