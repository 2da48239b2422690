"""`dossier export docx`: the 工作报告 as a Word document.

社区概况 first (location, area, population, units, stages), then one chapter per element in order —
its summary, registers, statistics with charts and evidence list — and the self-assessment as an
annex when the dossier has one. Headings use Word's Heading styles (the navigation pane), a list of
linked headings stands at the start (a TOC field would show no page numbers until Word recomputes
it), table headers repeat on every page, the footer numbers the pages. Every text comes from the
prepared views; the bytes depend only on the dossier (fixed properties, `docx_xml.stable_zip`).
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

from safedossier.analyse.views import Views
from safedossier.format.schema import ELEMENTS, TABLE_BY_NAME
from safedossier.outputs.office import docx_xml as X
from safedossier.outputs.office.cells import CREATOR, EPOCH, MARKER, shown
from safedossier.outputs.office.chart_png import statistics_pngs
from safedossier.outputs.office.sheets import register_sheets, statistics_sheets


class Report:
    def __init__(self, v: Views, title: str) -> None:
        self.v, self.t, self.title = v, v.t, title
        self.doc = Document()
        self.marks = 0
        X.set_defaults(self.doc)
        self._page()

    def _page(self) -> None:
        sec = self.doc.sections[0]
        sec.orientation = WD_ORIENT.PORTRAIT
        sec.page_width, sec.page_height = Cm(21), Cm(29.7)  # A4, not python-docx's US Letter
        for side in ("left_margin", "right_margin"):
            setattr(sec, side, Cm(2))
        foot = sec.footer.paragraphs[0]
        foot.alignment = WD_ALIGN_PARAGRAPH.CENTER
        X.page_number(foot)

    # building blocks

    def para(self, text: str, style: str | None = None, size: float | None = None) -> Any:
        p = self.doc.add_paragraph(style=style)
        run = p.add_run(text)
        X.east_asian(run._r, X.BODY_FONT)
        if size:
            run.font.size = Pt(size)
        return p

    def heading(self, text: str, level: int) -> None:
        p = self.doc.add_heading(level=level)
        X.east_asian(p.add_run(text)._r, X.HEAD_FONT)
        if level == 1:
            self.marks += 1
            X.bookmark(p, f"sd_ch{self.marks}", self.marks)

    def table(self, header: list[str] | None, rows: list[list[Any]], size: float = 8) -> None:
        """A grid table; `header` None for a two-column list of names and values."""
        tab = self.doc.add_table(rows=0, cols=len(header or rows[0]))
        tab.style = "Table Grid"
        if header is not None:
            head = tab.add_row()
            X.repeat_header(head)
            for cell, text in zip(head.cells, header, strict=True):
                run = cell.paragraphs[0].add_run(str(text))
                run.bold, run.font.size = True, Pt(size)
                X.east_asian(run._r, X.HEAD_FONT)
        for row in rows:
            cells = tab.add_row().cells
            for cell, value in zip(cells, row, strict=True):
                run = cell.paragraphs[0].add_run(shown(value))
                run.font.size = Pt(size)
                X.east_asian(run._r, X.BODY_FONT)
        self.doc.add_paragraph()

    def markdown(self, text: str) -> None:
        """An element's summary: Markdown reduced to paragraphs (markup characters dropped)."""
        for block in re.split(r"\n\s*\n", text or ""):
            line = re.sub(r"[*_`#>]+", "", " ".join(x.strip() for x in block.splitlines())).strip()
            if line:
                self.para(re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", line))

    # chapters

    def chapters(self) -> list[str]:
        names = [self.t["profile"], *[f"{el.number}. {self.v.el_label(el)}" for el in ELEMENTS]]
        return names

    def contents(self, names: list[str], annex: bool) -> None:
        self.para(self.t["contents"], size=14).runs[0].bold = True
        for n, name in enumerate([*names, *(["附录 自评报告"] if annex else [])], 1):
            X.internal_link(self.doc.add_paragraph(), name, f"sd_ch{n}")
        self.doc.add_page_break()

    def profile(self, name: str) -> None:
        d, t = self.v.d, self.t
        c = d.community
        self.heading(name, 1)
        office = c.get("office") or {}
        rows = [[t["name"], c.get("name", "")], [t["level"], c.get("level", "")],
                [t["region"], "".join(c.get("region") or [])],
                [t["area"], f"{shown(c.get('area_km2'))} {t['area_unit']}"], [t["target"], c.get("target", "")],
                [t["cycle"], f"{d.cycle[0]}–{d.cycle[1]}"],
                [t["office"], "，".join(str(x) for x in (office.get("name"), office.get("address"),
                                                        office.get("phone")) if x)]]
        self.table(None, rows, size=10)
        self.heading(t["key_figures"], 2)
        self.table(None, [list(x) for x in self.v.key_figures()], size=10)
        pop = TABLE_BY_NAME["population"]
        self.heading(t["population"], 2)
        frame = d.table("population")
        self.table([f.label for f in pop.fields], [[r.get(f.key) for f in pop.fields] for r in frame.to_dict("records")])
        units = c.get("units") or []
        if units:
            self.heading(t["units"], 2)
            self.table(["编号", "名称", "类型"], [[u.get("id"), u.get("name"), u.get("kind")] for u in units])
        stages = c.get("stages") or []
        if stages:
            self.heading("建设历程", 2)
            self.table(["阶段", "开始", "结束", "主要任务"],
                       [[s.get("name"), s.get("start"), s.get("end"), "；".join(s.get("tasks") or [])] for s in stages])

    def element(self, el: Any, name: str, sheets: dict[str, Any], pngs: dict[str, bytes]) -> None:
        v = self.v
        self.heading(name, 1)
        self.markdown(str(v.d.element(el.slug).get("summary") or ""))
        for table in el.tables:
            sheet = sheets.get(table)
            if sheet is not None and table != "population":
                self.heading(sheet.name, 2)
                self.table(sheet.header, sheet.rows, size=7)
        if el.slug == "goals":
            goals = v.d.element("goals").get("goals", [])
            if goals:
                self.table(["编号", "目标", "指标", "基线", "目标值", "项目"], v.goal_rows(goals))
        if el.slug == "records":
            self.statistics(pngs)
        ev = [r for r in v.evidence.values() if int(r["element"]) == el.number]
        if ev:
            self.heading(self.t["evidence"], 2)
            self.table(["编号", "名称", "日期", "类别"], [[r["id"], r["title"], r["date"], r["kind"]] for r in ev])

    def statistics(self, pngs: dict[str, bytes]) -> None:
        self.heading(self.t["statistics"], 2)
        self.para(f"{self.t['only_aggregates']} {self.t['small_cells']}", size=9)
        for sheet in statistics_sheets(self.v):
            self.heading(sheet.name, 3)
            if sheet.chart in pngs:
                self.doc.add_picture(io.BytesIO(pngs[sheet.chart]), width=Cm(15))
            self.table(sheet.header, sheet.rows)

    def annex(self, text: str) -> None:
        self.heading("附录 自评报告", 1)
        for line in text.splitlines():
            self.para(line, size=9)

    def finish(self) -> bytes:
        cp = self.doc.core_properties
        cp.title, cp.author, cp.last_modified_by, cp.keywords = self.title, CREATOR, CREATOR, MARKER
        cp.created = cp.modified = cp.last_printed = EPOCH
        cp.revision, cp.comments, cp.language = 1, "", "zh-CN"
        buf = io.BytesIO()
        self.doc.save(buf)
        return X.stable_zip(buf.getvalue())


def document_bytes(v: Views, title: str, root: Path) -> bytes:
    """The whole report of one checked dossier version, as bytes."""
    r = Report(v, title)
    from safedossier.analyse.scoring.render_text import render_text

    annex = render_text(v.score, v.lang) if v.score is not None else None
    head = r.doc.add_paragraph(style="Title")
    X.east_asian(head.add_run(f"{v.d.community.get('name', '')}{v.t['doc_title_suffix']}")._r, X.HEAD_FONT)
    r.para(title)
    names = r.chapters()
    r.contents(names, annex is not None)
    r.profile(names[0])
    sheets = {s.source: s for s in register_sheets(v) if s.source}
    pngs = statistics_pngs(v, v.statistics())
    for el, name in zip(ELEMENTS, names[1:], strict=True):
        r.element(el, name, sheets, pngs)
    if annex is not None:
        r.annex(annex)
    return r.finish()
