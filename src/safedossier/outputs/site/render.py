"""Render a validated dossier into a Markdown project (docs/ + mkdocs.yml) for MkDocs.

Templates (package `templates/`) turn prepared data into Markdown; this module prepares the data,
escapes every value that came from the dossier, writes charts and evidence copies, and generates the
MkDocs configuration. It writes only into the build directory it is given.
"""

from __future__ import annotations

import base64
import io
import re
import shutil
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pandas as pd
import yaml
from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from safedossier import cache
from safedossier.analyse import stats
from safedossier.analyse.views import Cell, Views, fmt_num
from safedossier.cache import template_cache
from safedossier.format.diagnostics import Report
from safedossier.format.model import Dossier
from safedossier.format.schema import ELEMENTS
from safedossier.format.validate import evidence_path
from safedossier.i18n import column
from safedossier.outputs import charts
from safedossier.outputs.site import assessment_pages, material
from safedossier.outputs.site.evidence_view import EvidenceView
from safedossier.outputs.site.markdown_safe import (
    GENERATED,
    esc,
    frame_table,
    nav_title,
    prose,
    table,
    unused_path,
    write_page,
)
from safedossier.outputs.site.offline import make_offline
from safedossier.outputs.site.search_ids import row_anchor
from safedossier.outputs.site.timeline_view import TimelineView
from safedossier.trust import siteconfig
from safedossier.trust.scrub import publish_copy, scrubbed

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".webp"}
THUMB_SIZE = (320, 240)


@dataclass
class RenderOptions:
    """What varies between builds of the same dossier (the archive sets these per version)."""

    lang: str = ""  # "" → the dossier's `extra.dossier.lang`, else zh
    version: str = ""  # label shown on pages, e.g. "2024"
    changes_md: str = ""  # Markdown of the "本版变更" page; empty → no page
    changes_summary: str = ""  # one paragraph for the home page
    pdf_name: str = ""  # a PDF placed beside the site, linked from the home page
    pdf_draft: bool = False  # that PDF is of the working tree (草稿), not of a tagged submission (提交稿)
    pdf_changes_md: str = ""  # the PDF's appendix: `changes_md` with long lists cut short
    extra_config: dict[str, Any] = field(default_factory=dict)  # merged into mkdocs.yml last
    offline: bool = False  # a site read from disk (file://): see `offline.py`


# --- the project -----------------------------------------------------------------------------

class Renderer:
    """Holds what every page needs while a dossier is rendered into `project/`."""

    def __init__(self, d: Dossier, project: Path, opts: RenderOptions, views: Views | None = None) -> None:
        self.d, self.project, self.opts = d, project, opts
        self.views = v = views or Views(d, opts.lang)
        self.lang, self.t, self.evidence, self.ready = v.lang, v.t, v.evidence, v.ready
        self.docs = project / "docs"
        self.env = Environment(loader=PackageLoader("safedossier", "templates"), undefined=StrictUndefined,
                               bytecode_cache=template_cache(),
                               trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                               autoescape=False)
        self.env.filters.update(e=esc, prose=prose, num=fmt_num)
        self.env.globals.update(table=table, t=self.t, lang=self.lang, d=d, col=self.col,
                                frame_table=lambda df, first: frame_table(df, first, self.lang),
                                ev_links=self.ev_links, badge=self.badge, elements=ELEMENTS,
                                el_label=v.el_label, member_name=v.member_name,
                                group_name=v.group_name, project_name=v.project_name,
                                link=lambda text, url: Markup(f"[{esc(text)}]({url})"),
                                rows=rows, df_rows=df_rows, objs=objs, via=via, anchor=anchor,
                                in_year=in_year, project_links=self.project_links,
                                hazard_rows=lambda: [anchored(r) for r in self.marked(v.hazard_rows())],
                                action_rows=lambda: [anchored(r) for r in self.marked(v.action_rows())],
                                goal_rows=lambda goals: self.marked(v.goal_rows(goals)),
                                indicator_table=self.indicator_table, year_rows=v.year_rows,
                                ev_count_rows=v.ev_count_rows, ready_rows=self.ready_rows,
                                charts_has=lambda name: name in self.charts, heading_id=_heading_id)
        self.timeline = TimelineView(v)
        self.env.filters["network_name"] = v.network_name
        self.env.globals.update(EvidenceView(v, opts.offline).globals(), event_rows=self.timeline.event_rows)
        self.charts: dict[str, charts.Svg] = {}

    # helpers used by templates

    def col(self, tbl: str, key: str) -> str:
        return column(tbl, key, self.lang)

    def badge(self, status: str) -> Markup:
        return Markup(f'<span class="sd-badge sd-{status}">{self.t["status_" + status]}</span>')

    def ev_links(self, ids: Any, depth: int = 1) -> Markup:
        """Links to evidence entries (`[E01 名称](../evidence.md#e01)`)."""
        ids = [i for i in (ids or []) if i]
        if not ids:
            return Markup("—")
        prefix = "../" * depth
        out = []
        for i in ids:
            row = self.evidence.get(i)
            title = f"{i} {row['title']}" if row is not None else str(i)
            out.append(f"[{esc(title)}]({prefix}evidence.md#{anchor(i)})")
        return Markup("、".join(out))

    def project_links(self, ids: Any) -> Markup:
        ids = ids if isinstance(ids, list) else [ids]
        return Markup("、".join(f"[{esc(i)} {esc(self.views.project_name(i))}](05-projects.md#{_heading_id(i)})"
                                for i in ids if i)) or Markup("—")

    def cell(self, c: Cell) -> Markup:
        """Markdown/HTML of the cells `views` leaves to each output."""
        if c.kind == "projects":
            return self.project_links(c.value)
        return Markup(f'<span class="sd-hz sd-hz-{c.kind}">{esc(c.value)}</span>')

    def marked(self, rows: list[list[Any]]) -> list[list[Any]]:
        return [[self.cell(v) if isinstance(v, Cell) else v for v in r] for r in rows]

    def indicator_table(self, inds: list[stats.IndicatorRow]) -> Markup:
        head, body = self.views.indicator_rows(inds)
        return table(head, self.marked(body), "l" + "r" * (len(head) - 1))

    def ready_rows(self, ready: list[Any]) -> list[list[Any]]:
        out = []
        for r in ready:
            el = ELEMENTS[r.number - 1]
            link = Markup(f"[{el.number}. {esc(self.views.el_label(el))}](elements/{el.filename[:-4]}.md)")
            out.append([link, self.badge(r.status), self.views.readiness_reasons(r) or self.t["rule_ok"]])
        return out

    # building

    def render(self) -> Path:
        if self.project.exists():
            shutil.rmtree(self.project)
        self.docs.mkdir(parents=True)
        stat_ctx = self.views.statistics()  # first: charts being drawn elsewhere (`charts.deferred`) start now
        self.charts = stat_ctx.pop("charts")
        self._copy_theme()
        self._copy_evidence()
        nav: list[Any] = []
        self.write("index.md", "home.md.j2", ready=list(self.ready.values()), key=self.views.key_figures(),
                   opts=self.opts)
        nav.append({self.t["home"]: "index.md"})
        el_nav = []
        for el in ELEMENTS:
            rel = f"elements/{el.filename[:-4]}.md"
            ctx = {"el": el, "doc": self.d.element(el.slug), "ready": self.ready[el.number],
                   "el_evidence": [r for r in self.evidence.values() if r.get("element") == el.number]}
            ctx.update(self.views.element_extras(el.slug))
            self.write(rel, f"elements/{el.filename[:-4]}.md.j2", **ctx)
            el_nav.append({f"{el.number}. {self.views.el_label(el)}": rel})
        nav.append({self.t["elements"]: el_nav})
        self.write("statistics.md", "statistics.md.j2", **stat_ctx)
        nav.append({self.t["statistics"]: "statistics.md"})
        self.write("timeline.md", "timeline.md.j2", **self.timeline.context())  # 建设历程
        nav.append({self.t["timeline"]: "timeline.md"})
        self.write("evidence.md", "evidence.md.j2", groups=self._evidence_groups(),
                   media_up="" if self.opts.offline else "../")
        nav.append({self.t["evidence"]: "evidence.md"})
        nav.append(assessment_pages.write(self))  # 自评 and the ISCCC view
        if self.d.pages:
            pages_nav = []
            for p in self.d.pages:
                rel = f"pages/{p.slug}.md"
                self.write(rel, "page.md.j2", page=p)
                pages_nav.append({nav_title(p.title): rel})
            nav.append({self.t["documents"]: pages_nav})
        if self.opts.changes_md:
            write_page(self.docs / "changes.md", self.opts.changes_md)
            nav.append({self.t["changes"]: "changes.md"})
        self._publish_assets()
        for name, svg in self.charts.items():
            path = self.docs / "assets" / "charts" / f"{name}.svg"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(charts.resolve(svg), encoding="utf-8")
        config = self._mkdocs_config(nav)
        cfg_path = self.project / "mkdocs.yml"
        cfg_path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
        return cfg_path

    def write(self, rel: str, template: str, **ctx: Any) -> None:
        path = self.docs / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        depth = rel.count("/")
        text = self.env.get_template(template).render(depth=depth, up="../" * depth, **ctx)
        write_page(path, text)

    def _copy_theme(self) -> None:
        """The package's theme layer. Nothing of the dossier goes into the template folder: MkDocs'
        Jinja is not sandboxed, so a dossier template (or an `.icons/*.svg` Material includes)
        could run commands on the building machine."""
        target = self.project / "overrides"
        theme = resources.files("safedossier").joinpath("theme")
        with resources.as_file(theme) as src:
            shutil.copytree(src, target)
        css = self.docs / "assets" / "dossier.css"
        css.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(target / "dossier.css", css)

    def _publish_assets(self) -> None:
        """The dossier's `overrides/` style sheets, images and fonts, at the same place in the site as
        before (custom_dir files land at the site root); never over a generated file."""
        own = self.d.root / siteconfig.OVERRIDES
        for rel in siteconfig.overrides_assets(self.d.root)[0]:
            dest = self.docs / rel
            if dest.exists() or dest.parent.is_file() or rel.startswith(GENERATED):
                continue  # e.g. a thumbnail's name is its evidence's hash: an override must not replace it
            dest.parent.mkdir(parents=True, exist_ok=True)
            publish_copy(own / rel, dest)  # a logo photo loses its EXIF like evidence does

    def _copy_evidence(self) -> None:
        """Copy listed evidence files and make thumbnails of images (cached by content hash)."""
        for rec in self.evidence.values():
            rec["_media"] = None  # "video" / "audio": played in the gallery
            src = evidence_path(self.d.root, str(rec["file"]))
            if src is None or not src.is_file():
                continue
            # active types (.html, .svg, .xml, .js …) are published as text, never as a document
            rel = siteconfig.evidence_name(str(rec["file"]).replace("\\", "/"))
            dest = unused_path(self.docs / "evidence" / rel)  # a.html and a.html.txt both publish as a.html.txt
            dest.parent.mkdir(parents=True, exist_ok=True)
            publish_copy(src, dest)  # images lose their metadata (EXIF, GPS, comments)
            rec["_href"] = "evidence/" + quote(dest.relative_to(self.docs / "evidence").as_posix())
            if src.suffix.lower() in IMAGE_SUFFIXES:
                rec["_thumb"] = self._thumbnail(src)
            elif src.suffix.lower() in siteconfig.VIDEO | siteconfig.AUDIO:
                rec["_media"] = "video" if src.suffix.lower() in siteconfig.VIDEO else "audio"

    def _thumbnail(self, src: Path) -> str | None:
        """A small JPEG of an evidence image, cached on disk by the image's content."""
        from PIL import Image, ImageOps, UnidentifiedImageError

        data = src.read_bytes()
        k = cache.key("thumb", str(THUMB_SIZE), "upright, no metadata", data)
        rel = f"assets/thumbs/{k[:16]}.jpg"
        dest = self.docs / rel
        if dest.exists():
            return rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        hit = cache.get("thumbs", k)
        if hit is not None:
            dest.write_bytes(hit)
            return rel
        try:
            Image.MAX_IMAGE_PIXELS = 40_000_000  # refuse decompression bombs
            with Image.open(io.BytesIO(data)) as im:
                im = ImageOps.exif_transpose(im)  # upright like the published copy (see scrub.py)
                im.thumbnail(THUMB_SIZE)
                buf = io.BytesIO()
                im.convert("RGB").save(buf, "JPEG", quality=80, optimize=True)
            buf = io.BytesIO(scrubbed(buf.getvalue()))  # Pillow carries the JPEG comment along
        except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
            return None
        dest.write_bytes(buf.getvalue())
        cache.put("thumbs", k, buf.getvalue())
        return rel

    def _evidence_groups(self) -> list[tuple[Any, list[dict[str, Any]]]]:
        return [(el, [r for r in self.evidence.values() if r.get("element") == el.number]) for el in ELEMENTS]

    def _mkdocs_config(self, nav: list[Any]) -> dict[str, Any]:
        """mkdocs.yml: ours, plus the dossier's values that `siteconfig` validated (checked again
        here, so a Dossier built any other way cannot bring raw values either)."""
        d = self.d
        user = siteconfig.check_site_config(d.root, d.site_config, Report())
        own = user.get("theme", {})
        theme: dict[str, Any] = {
            "name": "material", "language": self.lang, "font": False, "custom_dir": "overrides",
            "features": list(material.FEATURES),
        }
        theme.update({k: own[k] for k in ("icon", "features") if k in own})
        theme["palette"] = material.palette(own.get("palette"), self.lang)
        for key in ("logo", "favicon"):
            if key in own:
                theme[key] = self._theme_image(key, d.root / own[key])
        extra_css = ["assets/dossier.css"]
        for i, rel in enumerate(user.get("extra_css", [])):
            src = d.root / rel
            dest = self.docs / "assets" / "custom" / f"{i}-{src.name}"
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, dest)
            extra_css.append(dest.relative_to(self.docs).as_posix())
        extra: dict[str, Any] = {"generator": False}
        if self.opts.version:
            extra["dossier_version"] = self.opts.version
        if announcement := user.get("extra", {}).get("dossier", {}).get("announcement"):
            extra["dossier_announcement"] = announcement  # printed escaped by our main.html
        config: dict[str, Any] = {
            "site_name": user.get("site_name") or nav_title(f"{d.name}安全社区建设档案"),
            "docs_dir": "docs",
            "theme": theme,
            "plugins": [{"search": {"lang": "zh" if self.lang == "zh" else "en"}}],
            "markdown_extensions": ["tables", "admonition", "attr_list", "md_in_html",
                                    material.toc(self.lang), "pymdownx.details"],
            "extra_css": extra_css,
            "extra": extra,
            "nav": nav,
            "use_directory_urls": True,
            "strict": True,
        }
        for key in ("site_description", "site_author", "copyright", "site_url"):
            if user.get(key):
                config[key] = user[key]
        _deep_merge(config, self.opts.extra_config)
        if self.opts.offline:
            make_offline(config)
        return config

    def _theme_image(self, key: str, src: Path) -> str:
        """A logo or favicon: raster images are copied; an SVG becomes a data: URI, so it is only
        ever shown as an image (no script) and never served as a document on the site's origin."""
        if src.suffix.lower() == ".svg":
            return "data:image/svg+xml;base64," + base64.b64encode(src.read_bytes()).decode("ascii")
        dest = self.docs / "assets" / "custom" / f"theme-{key}{src.suffix.lower()}"
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, dest)
        return dest.relative_to(self.docs).as_posix()


Spec = Any  # a key, or (key, function) from `via`


def via(key: str, fn: Any) -> tuple[str, Any]:
    """A column spec whose value is passed through `fn` (e.g. ids → links)."""
    return (key, fn)


def _cell(item: Any, spec: Spec) -> Any:
    key, fn = spec if isinstance(spec, tuple) else (spec, None)
    value = item.get(key) if hasattr(item, "get") else getattr(item, key, None)
    if isinstance(value, float) and pd.isna(value):
        value = None
    return fn(value) if fn and value is not None and value != [] else value


def rows(items: list[dict[str, Any]], specs: list[Spec]) -> list[list[Any]]:
    return [[_cell(it, s) for s in specs] for it in items]


def df_rows(df: pd.DataFrame, specs: list[Spec]) -> list[list[Any]]:
    """Rows of a register; a leading id cell carries the row's anchor (search links to it)."""
    if df is None or df.empty:
        return []
    out = [[_cell(rec, s) for s in specs] for rec in df.to_dict("records")]
    return [anchored(r) for r in out] if specs and specs[0] == "id" else out


def anchored(row: list[Any]) -> list[Any]:
    """A register row whose first cell (the record id) is the target of `search_ids` entries."""
    if not row or row[0] is None or isinstance(row[0], Markup):
        return row
    return [Markup(f'<span id="{row_anchor(row[0])}"></span>{esc(row[0])}'), *row[1:]]


def objs(items: list[Any], attrs: list[str]) -> list[list[Any]]:
    return [[getattr(it, a) for a in attrs] for it in items]


def in_year(df: pd.DataFrame, col: str, year: int) -> pd.DataFrame:
    if df is None or df.empty:
        return df
    return df[df[col].dt.year == year].sort_values(col, kind="stable")


def _heading_id(text: Any) -> str:
    """The id MkDocs' toc gives a heading that starts with `text` (ids are ASCII-slugified)."""
    return re.sub(r"[^a-z0-9]+", "-", str(text).lower()).strip("-")


def anchor(ev_id: Any) -> str:
    return "ev-" + re.sub(r"[^a-z0-9-]", "-", str(ev_id).lower())


def _deep_merge(base: dict[str, Any], over: dict[str, Any]) -> None:
    for k, v in over.items():
        if isinstance(v, dict) and isinstance(base.get(k), dict):
            _deep_merge(base[k], v)
        else:
            base[k] = v


def render_project(d: Dossier, project: Path, opts: RenderOptions | None = None,
                   views: Views | None = None) -> Path:
    """Write the Markdown project for `d` into `project`; returns its mkdocs.yml. `views`: the
    prepared views, when the caller needs them too (the build summary), so nothing is computed twice."""
    return Renderer(d, project, opts or RenderOptions(), views).render()


__all__ = ["RenderOptions", "render_project"]
