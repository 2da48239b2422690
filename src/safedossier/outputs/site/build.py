"""Publish a dossier as a static site: check → render → MkDocs build → swap into place.

Everything is written into a temporary directory beside the target and exchanged with it only when
the whole build succeeded, so a failed or interrupted build leaves the previous site as it was; which
targets may be written at all, the lock and the swap are in `outputs.py`.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

from safedossier.analyse.views import Views
from safedossier.archive.manifest import MANIFEST, dumps, make_manifest
from safedossier.archive.summary import SUMMARY, make_summary
from safedossier.archive.summary import dumps as summary_dumps
from safedossier.format.diagnostics import Diagnostic
from safedossier.format.model import Dossier
from safedossier.format.validate import check
from safedossier.outputs import charts
from safedossier.outputs.site.guard_scan import Known, prescan, scan_site
from safedossier.outputs.site.mkchild import MkDocsChild
from safedossier.outputs.site.mkrun import _env, _mkdocs_logs, mkdocs_build  # noqa: F401 - re-exported
from safedossier.outputs.site.render import RenderOptions, render_project
from safedossier.outputs.site.search_ids import add_record_entries, record_titles
from safedossier.progress import Progress
from safedossier.trust.guard import Guard
from safedossier.trust.targets import Claim, fault, judge, swap


@dataclass
class BuildResult:
    ok: bool
    diagnostics: list[Diagnostic] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)  # MkDocs warnings, build failures
    output: Path | None = None


def build_epoch(d: Dossier) -> int:
    """Seconds since the epoch used for dates MkDocs writes (sitemap): the end of the cycle."""
    import datetime as dt

    return int(dt.datetime(d.cycle[1], 12, 31, tzinfo=dt.UTC).timestamp())


def render_site(d: Dossier, site_dir: Path, work: Path, opts: RenderOptions | None = None,
                epoch: int | None = None, lang: str = "zh", commit: str = "working tree",
                previous: Dossier | None = None, progress: Progress | None = None,
                source_date: str = "", mkdocs: MkDocsChild | None = None) -> list[str]:
    """Render, build, privacy-check and sign one site in `site_dir` (which must not exist).

    `mkdocs`: a warm MkDocs child to run the build (see `mkchild.py`); in-process without one.
    Returns failure messages; an empty list means the site is complete and clean.
    """
    _step(progress, "页面 / pages")
    opts = opts or RenderOptions()
    views = Views(d, opts.lang)
    with charts.deferred(mkdocs.chart if mkdocs is not None else None):  # drawn by the child meanwhile
        cfg = render_project(d, work / "project", opts, views)
    _step(progress, "MkDocs")
    epoch = build_epoch(d) if epoch is None else epoch
    if mkdocs is None:
        messages, segmented, known = mkdocs_build(cfg, site_dir, epoch), None, {}
    else:  # while the child builds, the guard reads the files MkDocs copies as they are
        guard = Guard(d, (previous,) if previous is not None else ())
        known: Known = {}
        messages = mkdocs.build(cfg, site_dir, epoch, mkdocs_build, record_titles(d, opts.offline),
                                meanwhile=lambda: known.update(prescan(guard, cfg.parent / "docs")))
        segmented = mkdocs.segmented
    if messages:
        return messages
    finish_site(views, site_dir, opts, commit, source_date, segmented)
    _step(progress, "隐私检查 / privacy guard")
    if mkdocs is None:
        guard = Guard(d, (previous,) if previous is not None else ())
        return [leak.render(lang) for leak in guard.scan_dir(site_dir)]
    return [leak.render(lang) for leak in scan_site(guard, site_dir, known)]


def finish_site(views: Views, site_dir: Path, opts: RenderOptions, commit: str, source_date: str = "",
                segmented: dict[str, str] | None = None) -> None:
    """What a site carries besides MkDocs' output: record search entries, manifest, build summary
    (written before the guard reads the site: all three are published too; `serve` calls it as well).
    `segmented`: record titles the MkDocs child segmented for search already."""
    d = views.d
    add_record_entries(d, site_dir, opts.offline, segmented)
    manifest = dumps(make_manifest(d, commit, opts.version))
    (site_dir / MANIFEST).write_text(manifest, encoding="utf-8")
    summary = make_summary(views, opts.version, commit, manifest, source_date)
    (site_dir / SUMMARY).write_text(summary_dumps(summary), encoding="utf-8")


def _step(progress: Progress | None, what: str) -> None:
    if progress is not None:
        progress.step(what)


def swap_into_place(new: Path, target: Path) -> None:
    """Replace `target` by `new` in one exchange where the system has it (see `outputs.swap`)."""
    swap(new, target)


def build(root: Path, output: Path, opts: RenderOptions | None = None, keep_project: Path | None = None,
          progress: Progress | None = None, mkdocs: MkDocsChild | None = None) -> BuildResult:
    """Check the dossier at `root` and, when it has no errors, build its site into `output`.

    `output` (and `keep_project`) must be new or an earlier output of this tool, never the dossier's
    sources: `OutputError` (a usage error) otherwise, raised before anything is read or written.
    `progress` (4 steps: check, pages, MkDocs, privacy guard) is told as each begins; `mkdocs`: a warm
    MkDocs child started by the caller (`mkchild.MkDocsChild`), which the caller also closes.
    """
    judge(output, "site", root)
    if keep_project is not None:
        judge(keep_project, "project", root)
    from safedossier.archive.versions import worktree_commit

    # git is started while this process is still small: a forked process counts as its parent's size
    commit = worktree_commit(root)
    _step(progress, "校验 / check")
    result = check(root)
    if result.dossier is None:
        return BuildResult(False, result.diagnostics)
    with Claim(output, "site", root) as claim:
        work = claim.workdir()
        try:
            site = work / "site"
            messages = render_site(result.dossier, site, work, opts, commit=commit,
                                   progress=progress, mkdocs=mkdocs)
            if messages:
                return BuildResult(False, result.diagnostics, messages)
            if opts is not None and opts.pdf_name:  # `--pdf`: the draft's PDF inside the site, linked from home
                from safedossier.archive.version_parts import working_tree_pdf

                messages = working_tree_pdf(result.dossier, site / opts.pdf_name, opts, commit,
                                            work / "pdf")
                if messages:
                    return BuildResult(False, result.diagnostics, messages)
            if keep_project is not None:
                with Claim(keep_project, "project", root) as project:
                    kept = project.workdir()
                    try:
                        shutil.copytree(work / "project", kept / "project")
                        project.swap(kept / "project")
                    finally:
                        shutil.rmtree(kept, ignore_errors=True)
            claim.swap(site)
            return BuildResult(True, result.diagnostics, [], claim.path)
        except OSError as exc:  # full disk, read-only folder…: a diagnostic, the old site stays
            return BuildResult(False, result.diagnostics, [str(fault(exc, output))])
        finally:
            shutil.rmtree(work, ignore_errors=True)
