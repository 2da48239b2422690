"""One row of the portal's table per community, read from its summary (nothing recomputed)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from safedossier.portal.communities import Community


@dataclass
class Row:
    slug: str
    name: str
    level: str
    region: list[str]
    target: str
    version: str
    complete: int  # elements 完备 of 12
    score: float | None
    score_max: float | None
    verdict: str
    year: int | None  # the latest year with a published rate
    rate: float | None  # injuries per 1,000 in that year
    trend: float | None  # that rate minus the year before's (None when either is hidden)
    open: int
    overdue: int
    summary: dict[str, Any]

    @property
    def link(self) -> str:
        return f"c/{self.slug}/"


def rows_of(communities: list[Community]) -> list[Row]:
    return sorted((_row(c) for c in communities), key=lambda r: (r.region, r.name))


def _row(c: Community) -> Row:
    s = c.summary
    com = s.get("community") or {}
    years = [y for y in s.get("injuries") or [] if y.get("rate") is not None]
    last = years[-1] if years else None
    prev = years[-2] if len(years) > 1 else None
    sa = s.get("self_assessment") or {}
    haz = s.get("hazards") or {}
    version = s.get("version") or (s.get("portal_version_folder") or "")
    return Row(c.slug, str(com.get("name") or c.slug), str(com.get("level") or ""),
               [str(x) for x in com.get("region") or []], str(com.get("target") or ""), str(version),
               sum(1 for v in (s.get("readiness") or {}).values() if v == "complete"),
               sa.get("total"), sa.get("max"), str(sa.get("verdict") or ""),
               last["year"] if last else None, last["rate"] if last else None,
               round(last["rate"] - prev["rate"], 2) if last and prev else None,
               int(haz.get("open") or 0), int(haz.get("overdue") or 0), s)


def region_key(r: Row) -> str:
    """The page a community is listed on: its province and city (the first two region names)."""
    return " ".join(r.region[:2]) or "—"
