"""The PDF's view of `analyse.evidence_audit` (read from `Views`, never recomputed): each element's
evidence checklist, and for every evidence item the records that cite it, linked to their element."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from safedossier.analyse.evidence_audit import citation_label, row_words
from safedossier.analyse.views import Views
from safedossier.outputs.pdf.markdown_typst import escape_typst, typst_string


def element_label(number: int) -> str:
    """The Typst label of an element's heading (`pdf/elements/base.typ.j2`)."""
    return f"sd-element-{number}"


class EvidenceAudit:
    """`ev_links` and `mark` give Typst markup; `raw` marks a string as Typst (no escaping again)."""

    def __init__(self, views: Views, ev_links: Callable[[Any], str], mark: Callable[[bool], str],
                 raw: Callable[[str], Any]) -> None:
        self.v, self.ev_links, self.mark, self.raw = views, ev_links, mark, raw

    def checklist_rows(self, number: int) -> list[list[Any]]:
        """Rows of an element's checklist: ✓/× expected evidence, n/m, present (links), gaps."""
        rows = []
        for r in self.v.checklist.get(number, []):
            expected, count, gaps = row_words(r, self.v.lang, self.v.t)
            rows.append([self.raw(f"{self.mark(r.ok)} {escape_typst(expected)}"), count, self.ev_links(r.present), gaps])
        return rows

    def cited_by(self, ev_id: str) -> Any:
        """Typst markup: the citing records, each a link to its element's section, or "未被引用"."""
        out = []
        for c in self.v.cited_by.get(str(ev_id), []):
            text = escape_typst(citation_label(c, self.v.t["element"], self.v.el_label, self.v.lang))
            out.append(f"#link(label({typst_string(element_label(c.element))}))[{text}]")
        return self.raw(("、" if self.v.lang == "zh" else ", ").join(out) or escape_typst(self.v.t["not_cited"]))
