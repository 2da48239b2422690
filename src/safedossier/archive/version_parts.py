"""Pieces of one archive build: a version's render options and PDF job, and the archive's top-level
files (`versions.json` in mike's format, the redirect to the newest tag)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from safedossier.archive.versions import DRAFT
from safedossier.outputs.site.render import RenderOptions

if TYPE_CHECKING:
    from safedossier.archive.versions import Version, VersionResult
    from safedossier.format.model import Dossier
    from safedossier.outputs.pdf.typeset import Job


def version_options(v: Version, d: Dossier, prev_d: Dossier | None, previous: Version | None,
                    pdf: bool, lang: str, diff_dossiers: Any, render_markdown: Any,
                    summary_paragraph: Any) -> RenderOptions:
    """What a version's site shows beyond its dossier: the change report against the version before."""
    lang = lang or str(((d.site_config.get("extra") or {}).get("dossier") or {}).get("lang", "zh"))
    if prev_d is not None and previous is not None:
        from safedossier.archive.changes_render import PAPER_MAX_ITEMS

        report = diff_dossiers(prev_d, d)
        summary = summary_paragraph(report, lang)
        against = f"\n\n{'对比版本' if lang == 'zh' else 'Compared with'}：{previous.title}\n"
        changes = render_markdown(report, lang).replace("\n", against, 1)
        pdf_changes = render_markdown(report, lang, PAPER_MAX_ITEMS).replace("\n", against, 1) if pdf else ""
    else:
        changes = ("# 本版变更\n\n这是归档中的第一个版本，没有可对比的上一版本。\n" if lang == "zh" else
                   "# Changes in this version\n\nThis is the first version of the archive.\n")
        summary = pdf_changes = ""
    site_url = str(d.site_config.get("site_url") or "https://dossier.invalid/").rstrip("/") + f"/{v.name}/"
    extra: dict[str, Any] = {
        "site_url": site_url,
        "extra": {"version": {"provider": "mike", "default": ["latest", DRAFT]}},
    }
    return RenderOptions(lang=lang, version=v.title, changes_md=changes, changes_summary=summary,
                         pdf_name=f"dossier-{v.name}.pdf" if pdf else "", pdf_draft=v.ref is None,
                         pdf_changes_md=pdf_changes,
                         extra_config=extra)


def prepare_pdf(d: Dossier, target: Path, v: Version, prev_d: Dossier | None, opts: RenderOptions,
                vr: VersionResult, folder: Path) -> Job | None:
    """The version's Typst document and font subsets in `folder`, to be compiled into `target`."""
    try:
        from safedossier.outputs.pdf.document import PdfError, PdfOptions, cut_fonts, prepare
    except ImportError as exc:  # the PDF stage is optional in an archive build
        vr.messages.append(f"PDF 不可用 / PDF unavailable: {exc}")
        vr.pdf_failed = True
        return None
    from safedossier.archive.manifest import make_manifest

    date = dt.date.fromisoformat(v.date[:10]) if v.date else None
    commit = v.commit or "working tree"
    try:
        folder.mkdir(parents=True)
        job = prepare(d, PdfOptions(lang=opts.lang, version=v.title, commit=commit, snapshot_date=date,
                                    changes_md=opts.pdf_changes_md if prev_d else "",
                                    manifest=make_manifest(d, commit, v.title)), folder, previous=prev_d)
        cut_fonts(job)
    except PdfError as exc:
        vr.messages.append(str(exc))
        vr.pdf_failed = True
        return None
    job.output = str(target)
    return job


def working_tree_pdf(d: Dossier, target: Path, opts: RenderOptions, commit: str, folder: Path) -> list[str]:
    """`dossier build --pdf`: the draft's PDF, compiled into `target` inside the new site; the problems
    ([] when written). Same document as an archive's draft version (`prepare_pdf`)."""
    from safedossier.archive.versions import Version, VersionResult
    from safedossier.outputs.pdf.typeset import compile_in_child

    lang = opts.lang or str(((d.site_config.get("extra") or {}).get("dossier") or {}).get("lang", "zh"))
    title = f"{d.cycle[1]}（草稿）" if lang == "zh" else f"{d.cycle[1]} (draft)"
    v = Version(DRAFT, title, None, "", commit=commit)
    vr = VersionResult(v)
    job = prepare_pdf(d, target, v, None, RenderOptions(lang=lang), vr, folder)
    return vr.messages if job is None else compile_in_child(job)


def write_versions_json(site: Path, versions: list[Version]) -> None:
    """mike's format, newest first; `latest` on the newest tag."""
    latest = next((v for v in versions if v.ref is not None), None)
    entries = [{"version": v.name, "title": v.title, "aliases": ["latest"] if v is latest else []}
               for v in versions]
    (site / "versions.json").write_text(json.dumps(entries, ensure_ascii=False, indent=2), encoding="utf-8")


def write_redirect(site: Path, versions: list[Version], offline: bool = False) -> None:
    """`index.html` sending a reader to the newest tag (to its index.html when read from disk)."""
    from safedossier.outputs.site.offline import page_url

    target = page_url(next((v for v in versions if v.ref is not None), versions[0]).name, offline)
    html = (f'<!doctype html>\n<html lang="zh"><head><meta charset="utf-8"><title>跳转 / Redirecting</title>\n'
            f'<meta http-equiv="refresh" content="0; url={target}">\n'
            f'<link rel="canonical" href="{target}">\n'
            '<link rel="icon" href="data:,">\n</head>\n'  # no /favicon.ico request (a 404) before leaving
            f'<body><a href="{target}">{target}</a></body></html>\n')
    (site / "index.html").write_text(html, encoding="utf-8")
