"""`summary.json`: what a provincial portal needs to know about one built site, aggregates only.

Every `dossier build` and every archive version writes it beside `manifest.json`, before the privacy
guard reads the site, so it is checked like every other published file. It holds figures as the site
publishes them (suppressed counts stay hidden: `null`), read from the same `Views` the pages used.
No wall-clock time is stored — two builds of one commit stay byte-identical; `source_date` is the
commit's date when there is one.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from safedossier import __version__
from safedossier.analyse import registers
from safedossier.analyse.views import Views

SUMMARY = "summary.json"
SCHEMA = 1  # bumped when a key changes meaning; the portal refuses summaries it does not know


def make_summary(v: Views, version: str, commit: str, manifest_text: str, source_date: str = "") -> dict[str, Any]:
    d = v.d
    c = d.community
    haz = registers.hazard_status(d)
    h = d.table("hazards")
    on_time = 0
    if not h.empty and "closed" in h and "due" in h:
        closed = h["closed"].notna()
        on_time = int((closed & h["due"].notna() & (h["closed"] <= h["due"])).sum())
    return {
        "schema": SCHEMA,
        "tool": "safedossier", "tool_version": __version__,
        "community": {"name": c.get("name"), "name_en": c.get("name_en"), "level": c.get("level"),
                      "region": list(c.get("region") or []), "target": c.get("target"),
                      "area_km2": c.get("area_km2")},
        "cycle": list(d.cycle),
        "version": version, "commit": commit, "source_date": source_date or None,
        "readiness": {str(n): r.status for n, r in sorted(v.ready.items())},
        "self_assessment": _self_assessment(v),
        "injuries": [{"year": y.year, "cases": y.cases, "population": y.population, "rate": y.rate,
                      "deaths": y.deaths, "death_rate": y.death_rate} for y in v.inj.by_year],
        "hazards": {"total": len(haz), "open": int((haz == registers.OPEN).sum()),
                    "overdue": int((haz == registers.OVERDUE).sum()),
                    "closed": int((haz == registers.CLOSED).sum()), "closed_on_time": on_time},
        "evidence_files": len(v.evidence),
        "manifest_sha256": hashlib.sha256(manifest_text.encode("utf-8")).hexdigest(),
    }


def _self_assessment(v: Views) -> dict[str, Any] | None:
    """Total, maximum and verdict of `dossier/self-assessment.yml` (the one `Views.score`), when there is one."""
    if v.score is None:
        return None
    res = v.score.as_json()
    return {"scheme": res["scheme"], "total": res["total"], "max": res["max"], "complete": res["complete"],
            "verdict": res["verdict"], "suggested_total": res.get("suggested_total")}


def dumps(summary: dict[str, Any]) -> str:
    return json.dumps(summary, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def read_summary(site: Path) -> dict[str, Any]:
    """The summary of a built site; raises ValueError when it is missing or of an unknown schema."""
    try:
        data = json.loads((site / SUMMARY).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ValueError(f"{site / SUMMARY}: {exc}") from exc
    if not isinstance(data, dict) or data.get("tool") != "safedossier" or data.get("schema") != SCHEMA:
        raise ValueError(f"{site / SUMMARY}: not a summary this tool version reads")
    return data
