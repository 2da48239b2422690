"""The submission PDF: one A4 document of a whole dossier version, typeset by Typst.

Jinja2 templates (package `templates/pdf/`) write Typst markup from the same prepared data the site
uses (`views.Views`), so a reviewer reads the same tables in both. Dossier text is untrusted:
every value reaches the markup through `escape_typst` (Jinja's `finalize` does it for any `{{ }}`
that is not already `Typst`), prose through `markdown_to_typst`.

Typst is given only the Noto CJK SC fonts (system and bundled fonts off, font fallback off), cut down
to the document's characters (`fonts.py`), and every character is checked against the full fonts'
character maps before compiling, so a character the fonts lack stops the build with the file and
text that contain it instead of printing an empty box. Compiling lives in `typeset.py`, which
`dossier pdf` runs in a lean process of its own. The document date is fixed (snapshot date, else the
last day of the cycle): the same input gives byte-identical PDFs.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from jinja2 import Environment, PackageLoader, StrictUndefined

from safedossier.analyse import registers, stats
from safedossier.analyse.score_view import score_view
from safedossier.analyse.views import Cell, Views, fmt_num
from safedossier.cache import template_cache
from safedossier.format.model import Dossier
from safedossier.format.schema import ELEMENTS
from safedossier.format.validate import evidence_path
from safedossier.i18n import catalog, column
from safedossier.outputs.pdf.assessment import assessment_context
from safedossier.outputs.pdf.evidence_audit import EvidenceAudit, element_label
from safedossier.outputs.pdf.fonts import FontError, FontSet, font_set, subset_fonts
from safedossier.outputs.pdf.glyphs import missing_glyphs
from safedossier.outputs.pdf.markdown_typst import escape_typst, markdown_to_typst, typst_string
from safedossier.outputs.pdf.markup import (
    STATUS_COLORS,
    Typst,
    bullets,
    colored,
    esc,
    is_missing,
    kv_table,
    show,
    table,
)
from safedossier.outputs.pdf.typeset import Job, PdfError, typeset
from safedossier.outputs.site.render import df_rows, in_year, objs, rows, via
from safedossier.trust.scrub import scrubbed

log = logging.getLogger(__name__)

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif"}

# Strings only the PDF needs (the site's catalog has the rest).
@dataclass
class PdfOptions:
    """What varies between PDFs of the same dossier (the archive sets these per version)."""

    lang: str = "zh"
    version: str = ""  # label on the cover and in the running header, e.g. "2024"
    commit: str = ""  # git commit of the snapshot, printed on the cover
    snapshot_date: dt.date | None = None  # document date; None → last day of the cycle
    changes_md: str = ""  # Markdown of the change summary vs the previous version → appendix
    manifest: dict[str, Any] | None = None  # attached to the PDF as manifest.json


# --- preparing the document ---------------------------------------------------------------------

def _doc_date(d: Dossier, opts: PdfOptions) -> dt.date:
    return opts.snapshot_date or registers.as_of(d)


def _sha256(path: Path | None) -> str:
    if path is None or not path.is_file():
        return ""
    with path.open("rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


class _Document:
    """Renders the Typst templates from the data the site shows too (`views.Views`)."""

    def __init__(self, d: Dossier, opts: PdfOptions, workdir: Path) -> None:
        self.d, self.opts, self.workdir = d, opts, workdir
        self.site = Views(d, opts.lang)
        self.lang = self.site.lang
        raw = catalog(self.lang)
        self.raw_t = raw
        self.t = {k: esc(v, self.lang) for k, v in raw.items()}
        self.evidence = self.site.evidence
        self.ev_label = {i: f"sd-ev-{n}" for n, i in enumerate(self.evidence)}
        self.ready = self.site.ready
        self.audit = EvidenceAudit(self.site, self.ev_links, self.check_mark, Typst)
        self.env = Environment(loader=PackageLoader("safedossier", "templates"), undefined=StrictUndefined,
                               bytecode_cache=template_cache(),
                               trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                               autoescape=False, finalize=lambda v: esc(v, self.lang))
        self.env.filters.update(e=lambda v: esc(v, self.lang), md=self.md, num=fmt_num,
                                network_name=self.site.network_name, s=lambda v: Typst(typst_string(str(v))))
        self.env.globals.update(
            t=self.t, raw_t=raw, lang=self.lang, d=d, opts=opts, elements=ELEMENTS, table=table,
            kv_table=kv_table, bullets=bullets, colored=colored, rows=rows, df_rows=df_rows, objs=objs,
            via=via, in_year=in_year, col=self.col, el_label=self.el_label, member_name=self.site.member_name,
            group_name=self.site.group_name, project_name=self.site.project_name, ev_links=self.ev_links,
            frame_table=self.frame_table, status_word=self.status_word, project_refs=self.project_refs,
            typst=Typst, fmt_num=fmt_num, STATUS_COLORS=STATUS_COLORS, show=lambda v: show(v, self.lang),
            checklist_rows=self.audit.checklist_rows, element_label=element_label,
        )

    # helpers for templates

    def col(self, tbl: str, key: str) -> Typst:
        return esc(column(tbl, key, self.lang))

    def el_label(self, el: Any) -> str:
        return str(self.site.el_label(el))

    def md(self, text: Any, offset: int = 1) -> Typst:
        if not text:
            return Typst("")
        return Typst(markdown_to_typst(str(text), heading_offset=offset, resolve_image=self.image))

    def image(self, src: str, base: Path | None = None) -> str | None:
        """Copy an image a page names (inside the dossier) into the workdir; None → shown as [alt]."""
        from PIL import Image, UnidentifiedImageError

        root = self.d.root.resolve()
        candidates = [(base or self.d.root / "dossier" / "pages") / src, self.d.root / src]
        for cand in candidates:
            try:
                real = cand.resolve()
            except (OSError, ValueError):
                continue
            if not real.is_relative_to(root) or not real.is_file() or real.suffix.lower() not in IMAGE_SUFFIXES:
                continue
            data = real.read_bytes()
            try:
                Image.MAX_IMAGE_PIXELS = 40_000_000
                with Image.open(real) as im:
                    im.verify()
            except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
                return None
            rel = f"images/{hashlib.sha256(data).hexdigest()[:16]}{real.suffix.lower()}"
            (self.workdir / "images").mkdir(exist_ok=True)
            (self.workdir / rel).write_bytes(scrubbed(data))  # Typst embeds JPEGs with their EXIF
            return rel
        return None

    def ev_links(self, ids: Any) -> Typst:
        """Evidence ids as links to their row in the evidence index."""
        ids = [i for i in (ids or []) if i] if isinstance(ids, list) else [ids] if ids else []
        if not ids:
            return esc(None)
        out = []
        for i in ids:
            rec = self.evidence.get(str(i))
            text = f"{i} {rec['title']}" if rec is not None else str(i)
            e = escape_typst(text)
            out.append(f"#link(label({typst_string(self.ev_label[str(i)])}))[{e}]" if rec is not None else e)
        return Typst("、".join(out))

    def project_refs(self, ids: Any) -> Typst:
        """Project ids with their names (the site links them; a PDF reader has the bookmarks)."""
        ids = ids if isinstance(ids, list) else [ids]
        text = "、".join(f"{i} {self.site.project_name(i)}" for i in ids if i)
        return esc(text or None)

    def frame_table(self, df: pd.DataFrame | None, first: Any) -> Typst:
        """Categories × years (+ 合计) as a table, numbers right-aligned."""
        if df is None or df.empty:
            return Typst("")
        heads = [first] + [self.t["total"] if str(c) == "合计" else str(c) for c in df.columns]
        body = [[idx] + [fmt_num(v) if not isinstance(v, str) else v for v in row]
                for idx, row in zip(df.index, df.to_numpy().tolist(), strict=True)]
        return table(heads, body, "l" + "r" * len(df.columns))

    def check_mark(self, ok: bool) -> Typst:
        """✓ in green or × in red, as in the readiness box."""
        return colored(self.raw_t["ready_mark" if ok else "lack_mark"], STATUS_COLORS["complete" if ok else "missing"])

    def status_word(self, status: str) -> Typst:
        key = {registers.CLOSED: "closed", registers.OPEN: "open", registers.OVERDUE: "overdue"}.get(
            status, "status_" + status)
        return colored(self.raw_t[key], STATUS_COLORS.get(status, "#000000"))

    # data the templates do not compute themselves

    def cell(self, c: Cell) -> Any:
        """Typst of the cells `views` leaves to each output."""
        if c.kind == "projects":
            return self.project_refs(c.value)
        return colored(c.value, STATUS_COLORS[c.kind])

    def marked(self, rows: list[list[Any]]) -> list[list[Any]]:
        return [[self.cell(v) if isinstance(v, Cell) else v for v in r] for r in rows]

    def indicator_table(self, inds: list[stats.IndicatorRow]) -> Typst:
        head, body = self.site.indicator_rows(inds)
        return table(head, self.marked(body), "l" + "r" * (len(head) - 1), small=False)

    def ready_rows(self) -> list[list[Any]]:
        out = []
        for r in self.ready.values():
            el = ELEMENTS[r.number - 1]
            out.append([f"{el.number}. {self.el_label(el)}", self.status_word(r.status),
                        self.site.readiness_reasons(r) or self.raw_t["rule_ok"]])
        return out

    def evidence_groups(self) -> list[tuple[Any, list[list[Any]]]]:
        groups = []
        for el in ELEMENTS:
            body = []
            for i, rec in self.evidence.items():
                if rec.get("element") != el.number:
                    continue
                digest = _sha256(evidence_path(self.d.root, str(rec["file"])))
                idcell = Typst(f"#box[{esc(i)}]#label({typst_string(self.ev_label[i])})")
                title = esc(rec["title"])
                if not is_missing(rec.get("description")) and str(rec.get("description")).strip():
                    desc = esc(rec["description"])
                    title = Typst(f"{title} \\ #text(size: 0.85em, fill: luma(90))[{desc}]")
                cited = f"{self.t['cited_by']}{'：' if self.lang == 'zh' else ': '}{self.audit.cited_by(i)}"
                title = Typst(f"{title} \\ #text(size: 0.85em, fill: luma(60))[{cited}]")
                sha = (Typst(f"#sd-hash({typst_string(digest[:32])}, {typst_string(digest[32:])})")
                       if digest else esc(None))
                body.append([idcell, title, rec["kind"], rec["date"], rec["file"], sha])
            if body:
                groups.append((el, body))
        return groups

    # the document

    def render(self, template: str, **ctx: Any) -> Typst:
        return Typst(self.env.get_template(template).render(**ctx))

    def write_charts(self, charts: dict[str, str]) -> None:
        folder = self.workdir / "charts"
        folder.mkdir(exist_ok=True)
        for name, svg in charts.items():
            (folder / f"{name}.svg").write_text(svg, encoding="utf-8")

    def source(self) -> str:
        d, site = self.d, self.site
        parts: list[Typst] = [self.render("pdf/home.typ.j2", key=site.key_figures(), ready=self.ready_rows())]
        for el in ELEMENTS:
            ctx: dict[str, Any] = {
                "el": el, "doc": d.element(el.slug), "ready": self.ready[el.number],
                "el_evidence": [r for r in self.evidence.values() if r.get("element") == el.number],
            }
            ctx.update(site.element_extras(el.slug))
            if el.slug == "risk":
                ctx["hazard_rows"] = self.marked(site.hazard_rows())
            if el.slug == "corrective":
                ctx["action_rows"] = self.marked(site.action_rows())
            if el.slug == "goals":
                ctx["goal_rows"] = self.marked(site.goal_rows(d.element("goals").get("goals", [])))
            if el.slug == "projects":
                ctx["indicator_table"] = self.indicator_table
            if el.slug == "archive":
                ctx["ev_count_rows"] = site.ev_count_rows(ctx["ev_counts"])
            if el.slug == "records":
                ctx["year_rows"] = site.year_rows(ctx["inj"])
            parts.append(self.render(f"pdf/elements/{el.filename[:-4]}.typ.j2", **ctx))
        stat = site.statistics()
        svgs = stat.pop("charts")
        self.write_charts(svgs)
        parts.append(self.render("pdf/statistics.typ.j2", year_rows=site.year_rows(stat["inj"], full=True),
                                 charts=set(svgs), **stat))
        parts.append(self.render("pdf/evidence.typ.j2", groups=self.evidence_groups()))
        if (sv := score_view(site)) is not None:
            parts.append(self.render("pdf/assessment.typ.j2", **assessment_context(sv, self.ev_links, self.raw_t["total"])))
        if d.pages:
            pages = []
            for p in d.pages:
                base = (d.root / p.file).parent
                starts_h1 = bool(re.match(r"\s*#\s", p.text))
                body = markdown_to_typst(p.text, heading_offset=1,
                                         resolve_image=lambda src, b=base: self.image(src, b))
                pages.append((p, starts_h1, Typst(body)))
            parts.append(self.render("pdf/pages.typ.j2", pages=pages))
        if self.opts.changes_md:
            # The appendix heading replaces the summary's own `# 本版变更` title.
            changes = re.sub(r"\A\s*#[ \t][^\n]*\n", "", self.opts.changes_md)
            parts.append(self.render("pdf/changes.typ.j2", changes=self.md(changes)))
        manifest = None
        if self.opts.manifest is not None:
            (self.workdir / "manifest.json").write_text(
                json.dumps(self.opts.manifest, ensure_ascii=False, sort_keys=True, indent=1, default=str),
                encoding="utf-8")
            manifest = "manifest.json"
        date = _doc_date(d, self.opts)
        office = (d.community.get("office") or {}).get("name") or d.name
        return self.env.get_template("pdf/main.typ.j2").render(
            parts=parts, date=date, manifest=manifest, cycle=d.cycle, as_of=registers.as_of(d),
            meta_title=f"{d.name}{'' if self.lang == 'zh' else ' '}{self.raw_t['doc_title']}"
                       + (f" {self.opts.version}" if self.opts.version else ""),
            meta_author=str(office), fonts=font_set().families,
        )


def typst_source(d: Dossier, opts: PdfOptions, workdir: Path) -> Path:
    """Write `main.typ` and the chart SVGs into `workdir`; returns the path of main.typ."""
    workdir.mkdir(parents=True, exist_ok=True)
    text = _Document(d, opts, workdir).source()
    main = workdir / "main.typ"
    main.write_text(text, encoding="utf-8")
    return main


def prepare(d: Dossier, opts: PdfOptions, workdir: Path, previous: Dossier | None = None) -> Job:
    """Everything up to compiling: `main.typ` and its files, the privacy guard, the glyph check.

    The text going into the PDF passes the privacy guard first (`previous`: the version the change
    appendix quotes). Raises `PdfError`.
    """
    from safedossier.trust.guard import Guard

    try:
        main = typst_source(d, opts, workdir)
        text = main.read_text(encoding="utf-8")
        # everything that goes into the PDF: its text, and every image and chart it embeds
        leaks = Guard(d, (previous,) if previous is not None else ()).scan_dir(workdir, "PDF")
        if leaks:
            raise PdfError([(leak.source or "PDF", leak.render(opts.lang)) for leak in leaks])
        fs = font_set()
        problems = missing_glyphs(d, opts, text, fs)
        if problems:
            raise PdfError(problems)
    except FontError as exc:
        raise PdfError(exc.messages) from exc
    return Job(folder=str(workdir), date=_doc_date(d, opts).isoformat())


def cut_fonts(job: Job) -> None:
    """Cut the fonts down to the characters of the job's `main.typ` (see `fonts.py`)."""
    text = (Path(job.folder) / "main.typ").read_text(encoding="utf-8")
    try:
        job.fonts = str(subset_fonts(font_set().faces, text, Path(job.folder) / "fonts"))
    except FontError as exc:
        raise PdfError(exc.messages) from exc


def build_pdf(d: Dossier, output: Path, opts: PdfOptions | None = None,
              previous: Dossier | None = None) -> None:
    """Typeset the dossier into `output` in this process, replacing it only when the whole PDF was made."""
    opts = opts or PdfOptions()
    with tempfile.TemporaryDirectory(prefix="safedossier-pdf-") as tmp:
        job = prepare(d, opts, Path(tmp), previous)
        cut_fonts(job)
        job.output = str(output)
        warnings = typeset(job)
    for w in warnings:
        log.warning("typst: %s", w)


__all__ = ["FontSet", "PdfError", "PdfOptions", "build_pdf", "cut_fonts", "font_set", "prepare", "typst_source"]
