"""建设历程: the plan's stages and the dated events of every table and element document, by year.

Injury records are not events here: they are personal, and the statistics page counts them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from safedossier.format.citations import as_date
from safedossier.format.model import Dossier
from safedossier.format.schema import TABLE_BY_NAME

# (table, date column, event kind, title columns): each kind has a label `tl_<kind>` in the catalogs
TABLE_EVENTS = (
    ("meetings", "date", "meeting", ("title",)),
    ("activities", "date", "activity", ("title",)),
    ("trainings", "date", "training", ("title",)),
    ("drills", "date", "drill", ("scenario",)),
    ("inspections", "date", "inspection", ("target",)),
    ("hazards", "found", "hazard_found", ("location", "description")),
    ("hazards", "closed", "hazard_closed", ("location", "description")),
    ("actions", "raised", "action_raised", ("issue",)),
    ("actions", "done", "action_done", ("action",)),
    ("accidents", "date", "accident", ("kind", "location")),
)


@dataclass(frozen=True)
class Event:
    day: dt.date
    kind: str  # "meeting", "drill" … (label `tl_<kind>`)
    record: str  # the record's id, "" when it has none
    title: str
    element: int
    table: str = ""  # the table it comes from ("" for an element document)


@dataclass(frozen=True)
class Stage:
    name: str
    start: dt.date | None
    end: dt.date | None
    tasks: list[str] = field(default_factory=list)

    def holds(self, day: dt.date) -> bool:
        return bool(self.start and self.end and self.start <= day <= self.end)


@dataclass(frozen=True)
class Year:
    year: int
    stages: list[Stage]  # the stages overlapping this year, in order
    events: list[tuple[Stage | None, list[Event]]]  # events grouped by the stage they fall in


def stages(d: Dossier) -> list[Stage]:
    out = []
    for s in d.community.get("stages") or []:
        if isinstance(s, dict) and s.get("name"):
            out.append(Stage(str(s["name"]), as_date(s.get("start")), as_date(s.get("end")),
                             [str(t) for t in s.get("tasks") or []]))
    return out


def _text(rec: dict[str, Any], keys: tuple[str, ...]) -> str:
    parts = [str(rec[k]) for k in keys if rec.get(k) is not None and rec.get(k) == rec.get(k) and str(rec[k])]
    return "：".join(parts)


def events(d: Dossier) -> list[Event]:
    """Every dated event, oldest first (same day: in the order of the tables above)."""
    out: list[Event] = []
    for table, col, kind, keys in TABLE_EVENTS:
        df = d.tables.get(table)
        if df is None or col not in df:
            continue
        element = TABLE_BY_NAME[table].element
        for rec in df.to_dict("records"):
            if (day := as_date(rec.get(col))) is not None:
                out.append(Event(day, kind, str(rec.get("id") or ""), _text(rec, keys), element, table))
    org = d.element("organisation").get("committee") or {}
    if (day := as_date(org.get("established"))) is not None:
        out.append(Event(day, "established", "", str(org.get("name") or ""), 1))
    for p in d.element("projects").get("projects", []):
        for key, kind in (("start", "project_start"), ("end", "project_end")):
            if (day := as_date(p.get(key))) is not None:
                out.append(Event(day, kind, str(p.get("id", "")), str(p.get("name", "")), 5))
    for p in d.element("emergency").get("plans", []):
        for key, kind in (("approved", "plan_approved"), ("revised", "plan_revised")):
            if (day := as_date(p.get(key))) is not None:
                out.append(Event(day, kind, str(p.get("id", "")), str(p.get("name", "")), 7))
    for r in d.element("review").get("reviews", []):
        if (day := as_date(r.get("date"))) is not None:
            out.append(Event(day, "review", str(r.get("id", "")), f"{r.get('kind', '')}：{r.get('reviewer', '')}", 12))
    order = {k: i for i, (_, _, k, _) in enumerate(TABLE_EVENTS)}
    out.sort(key=lambda e: (e.day, order.get(e.kind, len(order)), e.record))
    return out


def timeline(d: Dossier) -> list[Year]:
    """One entry per year that has events or stages, within the cycle first, others after."""
    st = stages(d)
    evs = events(d)
    years = sorted({e.day.year for e in evs} | {y for s in st for y in _years(s)})
    out = []
    for y in years:
        mine = [s for s in st if y in _years(s)]
        groups: list[tuple[Stage | None, list[Event]]] = []
        for e in (e for e in evs if e.day.year == y):
            stage = next((s for s in mine if s.holds(e.day)), None)
            if groups and groups[-1][0] is stage:
                groups[-1][1].append(e)
            else:
                groups.append((stage, [e]))
        out.append(Year(y, mine, groups))
    return out


def _years(s: Stage) -> range:
    if s.start is None and s.end is None:
        return range(0)
    a, b = (s.start or s.end), (s.end or s.start)
    return range(a.year, b.year + 1)  # type: ignore[union-attr]
