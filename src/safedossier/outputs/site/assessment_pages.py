"""The site's 评定 section: the self-assessment page (when the dossier has one) and the ISCCC view.

Both pages only mark up what `analyse` prepared (`score_view`, `isccc`), so the site, the PDF and
`dossier score` show the same grades, suggestions and totals.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from safedossier.analyse import isccc
from safedossier.analyse.score_view import ItemRow, score_view
from safedossier.outputs.site.markdown_safe import esc

if TYPE_CHECKING:
    from safedossier.outputs.site.render import Renderer

SELF_PAGE, ISCCC_PAGE = "assessment.md", "isccc.md"


def part_rows(it: ItemRow) -> list[list[Any]]:
    """One row per part; a grade above the suggestion is marked, the records' findings are listed."""
    out = []
    for p in it.parts:
        given: Any = Markup(f'<span class="sd-hz sd-hz-overdue">{esc(p.grade)}</span>') if p.above else p.grade
        why = Markup("<br>".join(str(esc(f)) for f in p.findings)) if p.findings else "—"
        out.append([p.name, p.points, given, p.suggested, why])
    return out


def write(r: Renderer) -> dict[str, Any]:
    """Write the pages into r.docs; returns the one nav entry of the section."""
    v, t = r.views, r.t
    entries: list[dict[str, str]] = []
    sv = score_view(v)
    if sv is not None:
        rows = [[f"{e.number}. {e.label}", e.score, e.max] for e in sv.elements]
        rows.append([Markup(f"**{esc(t['total'])}**"), Markup(f"**{sv.total}**"), Markup(f"**{sv.max}**")])
        r.write(SELF_PAGE, "assessment.md.j2", sv=sv, element_rows=rows, part_rows=part_rows)
        entries.append({t["sa_title"]: SELF_PAGE})
    inds = isccc.indicators(v)
    summary = [[i.name if v.lang != "zh" else f"{i.name}（{i.name_zh}）",
                "、".join(str(e.number) for e in i.elements) if v.lang == "zh"
                else ", ".join(str(e.number) for e in i.elements)] for i in inds]
    r.write(ISCCC_PAGE, "isccc.md.j2", indicators=inds, summary_rows=summary,
            unmapped=("、" if v.lang == "zh" else ", ").join(map(str, isccc.UNMAPPED)))
    entries.append({t["isccc_title"]: ISCCC_PAGE})
    return {t["sa_nav"]: entries}
