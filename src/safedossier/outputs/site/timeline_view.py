"""The 建设历程 page's rows: the stages of the plan and each year's events, linked to their registers."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from safedossier.analyse.timeline import Event, Year
from safedossier.analyse.views import Views
from safedossier.format.schema import ELEMENTS
from safedossier.outputs.site.markdown_safe import esc
from safedossier.outputs.site.search_ids import row_anchor


class TimelineView:
    def __init__(self, views: Views) -> None:
        self.v = views

    def context(self) -> dict[str, Any]:
        years: list[Year] = self.v.timeline()
        counts: dict[str, int] = {}
        for y in years:
            for stage, evs in y.events:
                if stage is not None:
                    counts[stage.name] = counts.get(stage.name, 0) + len(evs)
        seen: dict[str, Any] = {}
        for y in years:
            for s in y.stages:
                seen.setdefault(s.name, s)
        stage_rows = [[s.name, s.start or "—", s.end or "—", "、".join(s.tasks) or "—", counts.get(s.name, 0)]
                      for s in seen.values()]
        return {"years": years, "stages": bool(stage_rows), "stage_rows": stage_rows}

    def event_rows(self, evs: list[Event]) -> list[list[Any]]:
        """date | kind | "[id](register#row) title"; the page sits at the site root."""
        out = []
        for e in evs:
            page = f"elements/{ELEMENTS[e.element - 1].filename[:-4]}.md"
            target = f"{page}#{row_anchor(e.record)}" if e.table and e.record else page
            text = Markup(f"[{esc(e.record)}]({target}) {esc(e.title)}") if e.record else Markup(
                f"[{esc(e.title) or esc(self.v.el_label(ELEMENTS[e.element - 1]))}]({target})")
            out.append([e.day.isoformat(), self.v.t[f"tl_{e.kind}"], text])
        return out
