"""Publish a dossier as a static site: check → render → MkDocs build → swap into place.

Everything is written into a temporary directory beside the target and exchanged with it only when
the whole build succeeded, so a failed or interrupted build leaves the previous site as it was; which
targets may be written at all, the lock and the swap are in `outputs.py`.
"""

from __future__ import annotations

import logging
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from safedossier.analyse.views import Views
from safedossier.archive.manifest import MANIFEST, dumps, make_manifest
from safedossier.archive.summary import SUMMARY, make_summary
from safedossier.archive.summary import dumps as summary_dumps
from safedossier.format.diagnostics import Diagnostic
from safedossier.format.model import Dossier
from safedossier.format.validate import check
from safedossier.outputs.site.render import RenderOptions, render_project
from safedossier.outputs.site.search_ids import add_record_entries
from safedossier.progress import Progress
from safedossier.trust.guard import Guard
from safedossier.trust.targets import Claim, fault, judge, swap


@dataclass
class BuildResult:
    ok: bool
    diagnostics: list[Diagnostic] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)  # MkDocs warnings, build failures
    output: Path | None = None


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record.getMessage())


@contextmanager
def _mkdocs_logs() -> Iterator[_Collect]:
    """Collect MkDocs' warnings (strict mode counts them) instead of letting them scroll by."""
    import jieba  # Material's search segments Chinese with it; its start-up chatter is not news

    jieba.setLogLevel(logging.WARNING)
    logger = logging.getLogger("mkdocs")
    handler = _Collect()
    logger.addHandler(handler)
    old = logger.propagate
    logger.propagate = False
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        logger.propagate = old


@contextmanager
def _env(**values: str) -> Iterator[None]:
    old = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def mkdocs_build(config_file: Path, site_dir: Path, build_epoch: int) -> list[str]:
    """Run MkDocs (strict) on a rendered project; returns the warnings that stopped it, if any."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    with _mkdocs_logs() as logs, _env(SOURCE_DATE_EPOCH=str(build_epoch)):
        try:
            cfg = load_config(str(config_file), site_dir=str(site_dir), strict=True)
            build(cfg)
        except MkDocsException as exc:
            return logs.records + [str(exc)]
        except SystemExit as exc:  # MkDocs' Abort derives from click's, raised as SystemExit at times
            return logs.records + [f"mkdocs exited: {exc}"]
    return []


def build_epoch(d: Dossier) -> int:
    """Seconds since the epoch used for dates MkDocs writes (sitemap): the end of the cycle."""
    import datetime as dt

    return int(dt.datetime(d.cycle[1], 12, 31, tzinfo=dt.UTC).timestamp())


def render_site(d: Dossier, site_dir: Path, work: Path, opts: RenderOptions | None = None,
                epoch: int | None = None, lang: str = "zh", commit: str = "working tree",
                previous: Dossier | None = None, progress: Progress | None = None,
                source_date: str = "") -> list[str]:
    """Render, build, privacy-check and sign one site in `site_dir` (which must not exist).

    Returns failure messages; an empty list means the site is complete and clean.
    """
    _step(progress, "页面 / pages")
    opts = opts or RenderOptions()
    views = Views(d, opts.lang)
    cfg = render_project(d, work / "project", opts, views)
    _step(progress, "MkDocs")
    messages = mkdocs_build(cfg, site_dir, build_epoch(d) if epoch is None else epoch)
    if messages:
        return messages
    finish_site(views, site_dir, opts, commit, source_date)
    _step(progress, "隐私检查 / privacy guard")
    guard = Guard(d, (previous,) if previous is not None else ())
    return [leak.render(lang) for leak in guard.scan_dir(site_dir)]


def finish_site(views: Views, site_dir: Path, opts: RenderOptions, commit: str, source_date: str = "") -> None:
    """What a site carries besides MkDocs' output: record search entries, manifest, build summary
    (written before the guard reads the site: all three are published too; `serve` calls it as well)."""
    d = views.d
    add_record_entries(d, site_dir, opts.offline)
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
          progress: Progress | None = None) -> BuildResult:
    """Check the dossier at `root` and, when it has no errors, build its site into `output`.

    `output` (and `keep_project`) must be new or an earlier output of this tool, never the dossier's
    sources: `OutputError` (a usage error) otherwise, raised before anything is read or written.
    `progress` (4 steps: check, pages, MkDocs, privacy guard) is told as each begins.
    """
    judge(output, "site", root)
    if keep_project is not None:
        judge(keep_project, "project", root)
    _step(progress, "校验 / check")
    result = check(root)
    if result.dossier is None:
        return BuildResult(False, result.diagnostics)
    with Claim(output, "site", root) as claim:
        work = claim.workdir()
        try:
            site = work / "site"
            from safedossier.archive.versions import worktree_commit

            messages = render_site(result.dossier, site, work, opts, commit=worktree_commit(root),
                                   progress=progress)
            if messages:
                return BuildResult(False, result.diagnostics, messages)
            if opts is not None and opts.pdf_name:  # `--pdf`: the draft's PDF inside the site, linked from home
                from safedossier.archive.version_parts import working_tree_pdf

                messages = working_tree_pdf(result.dossier, site / opts.pdf_name, opts, worktree_commit(root),
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
