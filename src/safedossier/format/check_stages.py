"""The construction plan's stages (`stages` in community.yml): named once each, in order."""

from __future__ import annotations

from typing import Any

from safedossier.format.citations import as_date
from safedossier.format.diagnostics import Report
from safedossier.format.load import Sources


def check_stages(community: dict[str, Any], src: Sources, report: Report) -> None:
    """`stages` of community.yml: unique names, each ending after it starts, in order of their start."""
    stages = community.get("stages")
    if not isinstance(stages, list):
        return
    doc = src.yaml.get("community.yml")
    file = "dossier/community.yml"

    def line(*path: Any) -> int | None:
        return doc.line(("stages", *path)) if doc is not None else None

    seen: dict[str, int] = {}
    prev: tuple[str, Any] | None = None
    for i, s in enumerate(stages):
        if not isinstance(s, dict):
            continue
        name = str(s.get("name") or "").strip()
        if name in seen:
            report.warn("stage_duplicate", file, line(i, "name"), f"stages[{i}].name", found=name, first=seen[name])
        elif name:
            seen[name] = line(i, "name") or 0
        start, end = as_date(s.get("start")), as_date(s.get("end"))
        if start and end and end < start:
            report.warn("stage_end_before_start", file, line(i, "end"), f"stages[{i}].end", found=str(end),
                        name=name, start=str(start))
        if start:
            if prev is not None and start < prev[1]:
                report.warn("stage_order", file, line(i, "start"), f"stages[{i}].start", found=str(start),
                            name=name, prev=prev[0], prev_start=str(prev[1]))
            prev = (name, start)
