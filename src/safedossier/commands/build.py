"""`dossier build`: one site, or (`--archive`) a site per tagged version."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from safedossier.commands.common import print_diagnostics

if TYPE_CHECKING:
    from safedossier.archive.versions import VersionResult
    from safedossier.outputs.site.mkchild import MkDocsChild


def _check_targets(args: argparse.Namespace) -> None:
    """Refuse (OutputError, exit 2) an -o / --project that is not new or an earlier output, before any work."""
    from safedossier.trust.targets import OutputError, judge

    out = judge(Path(args.output), "archive" if args.archive else "site", Path(args.dir))
    notes = [out.note]
    if getattr(args, "project", None):
        project = judge(Path(args.project), "project", Path(args.dir))
        if project.path == out.path or out.path in project.path.parents or project.path in out.path.parents:
            raise OutputError("--project 与 -o 不能是同一目录，也不能互相包含",
                              "--project and -o must be different folders, neither inside the other")
        notes.append(project.note)
    for note in filter(None, notes):
        print(note, file=sys.stderr)


DRAFT_PDF = "dossier-draft.pdf"  # `dossier build --pdf`: the PDF inside the site, as `dossier pdf` names it


def cmd_build(args: argparse.Namespace) -> int:
    _check_targets(args)
    from safedossier.outputs.site.mkchild import MkDocsChild

    if args.archive:  # one child for every version: forked while small, it builds one site after another
        with MkDocsChild(persistent=True) as mkdocs:
            return _build_archive(args, mkdocs)
    with MkDocsChild() as mkdocs:  # forked before pandas is imported: MkDocs warms up meanwhile
        return _build_site(args, mkdocs)


def _build_site(args: argparse.Namespace, mkdocs: MkDocsChild) -> int:
    from safedossier.outputs.site.build import build
    from safedossier.outputs.site.render import RenderOptions
    from safedossier.progress import Progress

    output = Path(args.output)
    bar = Progress(4, "生成站点 / build")
    try:
        pdf = {"pdf_name": DRAFT_PDF, "pdf_draft": True} if args.pdf else {}  # the working tree is a draft
        res = build(Path(args.dir), output, RenderOptions(offline=args.offline, **pdf),
                    keep_project=Path(args.project) if args.project else None, progress=bar, mkdocs=mkdocs)
    finally:
        bar.close()
    print_diagnostics(res.diagnostics, args.lang, "text", quiet_info=True)
    for m in res.messages:
        print(m, file=sys.stderr)
    if not res.ok:
        print("构建失败，未写入任何内容 / build failed, nothing written" if not res.messages else
              "构建失败，原有站点保持不变 / build failed, the previous site is unchanged", file=sys.stderr)
        return 1
    print(f"站点已生成 / site built: {output}", file=sys.stderr)
    return 0


def _build_archive(args: argparse.Namespace, mkdocs: MkDocsChild | None = None) -> int:
    from safedossier.archive.versions import GitError, archive_settings, build_archive, list_versions
    from safedossier.progress import Progress

    root = Path(args.dir)
    settings = archive_settings(root)
    try:
        total = len(list_versions(root, args.tags or settings["pattern"], settings["draft"] and not args.no_draft,
                                  unusable=True))
    except GitError:  # not a repository: build_archive says so in its own words
        total = 1
    bar = Progress(total, "归档 / archive" if args.lang == "zh" else "archive")
    try:
        res = build_archive(root, Path(args.output), draft=False if args.no_draft else None,
                            pattern=args.tags, pdf=args.pdf, progress=bar, keep_going=args.keep_going,
                            offline=args.offline, mkdocs=mkdocs)
    finally:
        bar.close()
    zh = args.lang == "zh"
    for vr in res.versions:
        v = vr.version
        errors = [d for d in vr.diagnostics if d.severity == "error"]
        if vr.skipped:
            print(("跳过版本" if zh else "skipped version") + f" {v.name} ({v.ref or 'working tree'})：",
                  file=sys.stderr)
            for d in errors[:20]:
                print("  " + d.render(args.lang), file=sys.stderr)
        else:
            state = ("已生成" if zh else "built") if vr.built else ("沿用缓存" if zh else "reused")
            print(f"{v.name:>10}  {state}  {v.title}", file=sys.stderr)
        for m in vr.messages:
            print("  " + m, file=sys.stderr)
    for m in res.messages:
        print(m, file=sys.stderr)
    if not res.ok:
        return 1
    print(("归档已生成" if zh else "archive built") + f": {args.output}", file=sys.stderr)
    if res.failed:  # only with --keep-going: published, but say loudly what is missing
        print(f"警告：归档不完整，{len(res.failed)} 个版本未能生成 / WARNING: incomplete archive, "
              f"{len(res.failed)} version(s) could not be built:", file=sys.stderr)
        for vr in res.failed:
            print(f"  {vr.version.ref or '工作区 / working tree'} → {vr.version.name}："
                  f"{_failure_reason(vr, args.lang)}", file=sys.stderr)
    return 0


def _failure_reason(vr: VersionResult, lang: str) -> str:
    """Why one version of an archive is missing (or lacks its PDF), on one line."""
    errors = [d for d in vr.diagnostics if d.severity == "error"]
    if vr.pdf_failed and not vr.skipped:
        first = vr.messages[0].splitlines()[0] if vr.messages else ""
        return f"PDF 未生成 / PDF not written: {first}"
    if errors:
        return (f"{len(errors)} 个错误，第一个 / {len(errors)} error(s), the first: "
                + errors[0].render(lang).replace("\n", " "))
    return vr.messages[0].splitlines()[0] if vr.messages else "未知原因 / unknown reason"
