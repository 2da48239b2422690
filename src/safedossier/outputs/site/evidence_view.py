"""The site's view of `analyse.evidence_audit`: each element's evidence checklist and, for every
evidence item, links to the records that cite it (record titles, never file names)."""

from __future__ import annotations

import re
from typing import Any

from markupsafe import Markup

from safedossier.analyse.evidence_audit import CheckRow, citation_label, row_words
from safedossier.analyse.views import Views
from safedossier.format.citations import Citation
from safedossier.format.schema import ELEMENTS, TABLE_BY_NAME
from safedossier.outputs.site.markdown_safe import esc
from safedossier.outputs.site.search_ids import row_anchor


def _heading_id(text: Any) -> str:
    """The id MkDocs' toc gives a heading that starts with `text` (a project's heading)."""
    return re.sub(r"[^a-z0-9]+", "-", str(text).lower()).strip("-")


def _target(c: Citation) -> tuple[str, str]:
    """(element page without suffix, anchor) of the record behind a citation."""
    page = f"elements/{ELEMENTS[c.element - 1].filename[:-4]}"
    if c.where in TABLE_BY_NAME and c.record:
        return page, row_anchor(c.record)
    if c.where == "projects" and c.record:
        return page, _heading_id(c.record)
    return page, ""


def _label(v: Views, c: Citation) -> str:
    return citation_label(c, v.t["element"], v.el_label, v.lang)


def _named(column: str, value: Markup) -> Markup:
    """A cell led by its column's name where the table becomes cards (dossier.css draws it from the
    attribute, so the page text and the search index hold the value only)."""
    return Markup(f'<span class="sd-cell-name" data-name="{Markup.escape(column)}："></span>') + value


class EvidenceView:
    """Template helpers; `up` is the way from a page to the site root ("../" on element pages)."""

    def __init__(self, views: Views, offline: bool) -> None:
        self.v, self.offline = views, offline

    def globals(self) -> dict[str, Any]:
        return {"cited_by": self.cited_by, "cited_html": self.cited_html, "checklist_rows": self.checklist_rows,
                "evidence_rows": self.evidence_rows}

    def evidence_rows(self, recs: list[dict[str, Any]]) -> list[list[Any]]:
        """The evidence register: the title links to the file, and who cites it is shown beside it."""
        out = []
        for r in recs:
            idcell = Markup(f'<span id="ev-{re.sub(r"[^a-z0-9-]", "-", str(r["id"]).lower())}"></span>{esc(r["id"])}')
            href = r.get("_href")
            title = Markup(f"[{esc(r['title'])}]({href})") if href else r["title"]
            out.append([idcell, title, r["kind"], r["date"], self.cited_by(r["id"]), r.get("description")])
        return out

    def cited_by(self, ev_id: Any, up: str = "") -> Markup:
        """Markdown links to the records citing `ev_id`, or "未被引用"."""
        cs = self.v.cited_by.get(str(ev_id), [])
        out = []
        for c in cs:
            page, anchor = _target(c)
            out.append(f"[{esc(_label(self.v, c))}]({up}{page}.md{'#' + anchor if anchor else ''})")
        return Markup("、".join(out) or esc(self.v.t["not_cited"]))

    def cited_html(self, ev_id: Any, up: str) -> Markup:
        """The same as HTML, for raw-HTML blocks MkDocs does not rewrite (the media gallery)."""
        out = []
        for c in self.v.cited_by.get(str(ev_id), []):
            page, anchor = _target(c)
            href = up + (f"{page}.html" if self.offline else f"{page}/") + (f"#{anchor}" if anchor else "")
            out.append(f'<a href="{href}">{Markup.escape(_label(self.v, c))}</a>')
        return Markup("、".join(out) or Markup.escape(self.v.t["not_cited"]))

    def checklist_rows(self, number: int, up: str) -> list[list[Any]]:
        """Rows of an element's checklist: expected evidence, n/m, present (links), gaps."""
        t = self.v.t
        rows = []
        for r in self.v.checklist.get(number, []):
            expected, count, gaps = row_words(r, self.v.lang, t)
            rows.append([self._mark(r) + " " + esc(expected), _named(t["present_count"], esc(count)),
                         _named(t["present_evidence"], self._links(r.present, up)), _named(t["gaps"], esc(gaps))])
        return rows

    @staticmethod
    def _mark(r: CheckRow) -> Markup:
        return Markup('<span class="sd-check sd-check-ok">✓</span>' if r.ok
                      else '<span class="sd-check sd-check-gap">✗</span>')

    def _links(self, ids: list[str], up: str) -> Markup:
        out = []
        for i in ids:
            rec = self.v.evidence.get(i)
            title = f"{i} {rec['title']}" if rec is not None else i
            out.append(f"[{esc(title)}]({up}evidence.md#ev-{re.sub(r'[^a-z0-9-]', '-', i.lower())})")
        return Markup("、".join(out) or "—")
