"""`dossier` command line: thin wiring of the pipeline stages, no logic of its own.

Exit codes: 0 ok, 1 the dossier (or a build) has errors, 2 usage error.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from safedossier import __version__
from safedossier.format.diagnostics import Diagnostic, counts, to_json
from safedossier.trust.targets import OutputError, fault

if TYPE_CHECKING:
    from safedossier.archive.versions import VersionResult
    from safedossier.format.model import Dossier
    from safedossier.format.validate import CheckResult
    from safedossier.outputs.pdf.typeset import Job
    from safedossier.outputs.site.mkchild import MkDocsChild


def _print_diagnostics(diags: list[Diagnostic], lang: str, fmt: str, quiet_info: bool = False) -> None:
    if fmt == "json":
        print(to_json(diags, lang))
        return
    for d in diags:
        if quiet_info and d.severity == "info":
            continue
        print(d.render(lang), file=sys.stderr)
    c = counts(diags)
    if lang == "zh":
        print(f"检查完成：{c['error']} 个错误，{c['warning']} 个警告，{c['info']} 个提示。", file=sys.stderr)
    else:
        print(f"Check finished: {c['error']} errors, {c['warning']} warnings, {c['info']} notes.",
              file=sys.stderr)


def cmd_check(args: argparse.Namespace) -> int:
    from safedossier.format.validate import check

    result = check(Path(args.dir))
    _print_diagnostics(result.diagnostics, args.lang, args.format)
    return 1 if result.errors else 0


def cmd_portal(args: argparse.Namespace) -> int:
    """Build what needs building (in parallel) and assemble the portal; exit 1 when any community
    failed — the others are published all the same."""
    from safedossier.portal.assemble import build_portal

    sources = [Path(s) for s in args.sources]
    missing = [str(s) for s in sources if not s.is_dir()]
    if missing:
        print(f"来源目录不存在 / no such folder: {', '.join(missing)}", file=sys.stderr)
        return 2
    res = build_portal(sources, Path(args.output), args.jobs, args.lang)
    for c in res.communities:
        state = "失败 / failed" if c.problems else ("沿用 / reused" if c.reused else "已发布 / published")
        print(f"{c.slug:>24}  {state}  ({c.kind}: {c.source})", file=sys.stderr)
        for m in c.problems[:10]:
            print("    " + m, file=sys.stderr)
    for m in res.messages:
        print(m, file=sys.stderr)
    if res.failed:
        names = "、".join(c.slug for c in res.failed)
        print(f"门户已生成，但 {len(res.failed)} 个社区未能发布：{names} / portal built without: {names}"
              if (Path(args.output) / "index.html").is_file() else "门户未生成 / portal not written", file=sys.stderr)
        return 1
    if not res.ok:
        return 1
    print(f"门户已生成 / portal built: {args.output}", file=sys.stderr)
    return 0


def cmd_score(args: argparse.Namespace) -> int:
    """Score the self-assessment of a dossier that passes `dossier check` (exit 1 otherwise, or when
    it has no dossier/self-assessment.yml). A verdict of 不通过 or 未完成 is a result, not a failure: 0."""
    import json

    from safedossier.analyse.scoring.assess import load_assessment
    from safedossier.analyse.scoring.render_text import render_text
    from safedossier.analyse.scoring.score import score
    from safedossier.format.diagnostics import Report
    from safedossier.format.validate import check

    root = Path(args.dir)
    if not root.is_dir():
        print(f"档案目录不存在 / no such directory: {args.dir}", file=sys.stderr)
        return 2
    result = check(root)
    if result.errors:
        _print_diagnostics(result.diagnostics, args.lang, args.format, quiet_info=True)
        return 1
    report = Report()
    assessment = load_assessment(root, report)
    if assessment is None:  # no self-assessment.yml (the check passed, so nothing else is wrong)
        _print_diagnostics(report.finish(), args.lang, args.format)
        return 1
    from safedossier.analyse.readiness import readiness
    from safedossier.analyse.suggest import suggest

    assert result.dossier is not None
    res = suggest(score(assessment), {r.number: r for r in readiness(result.dossier)})
    print(json.dumps(res.as_json(), ensure_ascii=False, indent=2) if args.format == "json"
          else render_text(res, args.lang))
    return 0


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
    _print_diagnostics(res.diagnostics, args.lang, "text", quiet_info=True)
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


def cmd_serve(args: argparse.Namespace) -> int:
    from safedossier.outputs.site.serve import serve

    return serve(Path(args.dir), port=args.port, lang=args.lang)


def cmd_pdf(args: argparse.Namespace) -> int:
    """Two processes in turn: a child prepares the document (validation, statistics, templates, fonts)
    and exits; this process, which never imported pandas, then compiles it (see `typeset.py`)."""
    import subprocess
    import tempfile

    if args.prepare_into:
        return _pdf_prepare(args, Path(args.prepare_into))
    from safedossier.outputs.pdf.typeset import Job, PdfError, typeset
    from safedossier.trust.targets import judge

    args.output = args.output or f"dossier-{args.version or 'draft'}.pdf"
    judge(Path(args.output), "pdf", Path(args.dir))  # OutputError (exit 2) before any work
    with tempfile.TemporaryDirectory(prefix="dossier-pdf-") as tmp:
        cmd = [sys.executable, "-m", "safedossier.cli", "pdf", "--lang", args.lang, "--prepare-into", tmp]
        cmd += ["--version", args.version] if args.version else []
        cmd += ["-o", args.output] if args.output else []
        cmd += ["--", args.dir]  # a folder named like an option stays a folder
        rc = subprocess.run(cmd, check=False).returncode
        if rc != 0:
            return rc
        job = Job.load(Path(tmp))
        try:
            warnings = typeset(job)
        except PdfError as exc:
            _print_pdf_error(exc.messages)
            return 1
        for w in warnings:
            print(f"Typst 警告 / warning: {w}", file=sys.stderr)
    print(f"PDF 已生成 / PDF written: {job.output}", file=sys.stderr)
    return 0


def _print_pdf_error(messages: list[tuple[str, str]]) -> None:
    for file, text in messages:
        print(text if text.startswith(("错误", "error")) else f"{file}: {text}", file=sys.stderr)
    print("PDF 未生成 / PDF not written", file=sys.stderr)


def _pdf_prepare(args: argparse.Namespace, folder: Path) -> int:
    """The child's half of `dossier pdf`: write `main.typ`, its files and font subsets into `folder`."""
    from safedossier.outputs.pdf.document import PdfError, cut_fonts
    from safedossier.outputs.pdf.fonts import FontError, font_set
    from safedossier.outputs.pdf.typeset import release_free_memory

    try:  # fontconfig is asked while this process is small: a process started later counts as its size
        font_set()
    except FontError:
        pass  # said where the document needs the fonts
    job = _pdf_document(args, folder)
    if isinstance(job, int):
        return job
    release_free_memory()  # the dossier is gone now; subsetting needs ~35 MB for a moment
    try:
        cut_fonts(job)
    except PdfError as exc:
        _print_pdf_error(exc.messages)
        return 1
    job.output = args.output or f"dossier-{args.version or 'draft'}.pdf"
    job.save()
    return 0


def _pdf_document(args: argparse.Namespace, folder: Path) -> Job | int:
    """Check the version and write its Typst document; an exit code when that cannot be done."""
    import tempfile

    from safedossier.archive.changes_render import PAPER_MAX_ITEMS, render_markdown
    from safedossier.archive.diff import diff_dossiers
    from safedossier.archive.manifest import make_manifest
    from safedossier.archive.versions import GitError, open_version, snapshot
    from safedossier.format.validate import check
    from safedossier.outputs.pdf.document import PdfError, PdfOptions, prepare

    root = Path(args.dir)
    with tempfile.TemporaryDirectory(prefix="dossier-pdf-") as tmp:
        try:
            src = open_version(root, args.version, Path(tmp))
            prev_root = snapshot(root, src.previous.ref or "", Path(tmp) / "prev") if src.previous else None
        except GitError as exc:
            print(f"无法读取版本 {args.version} / cannot read version {args.version}: {exc}", file=sys.stderr)
            return 2
        result = check(src.root)
        if result.dossier is None:
            _print_diagnostics(result.diagnostics, args.lang, "text", quiet_info=True)
            return 1
        d = result.dossier
        previous = check(prev_root).dossier if prev_root else None  # a broken older tag: no appendix
        changes = (render_markdown(diff_dossiers(previous, d), args.lang, PAPER_MAX_ITEMS)
                   if previous is not None else "")
        name = src.title or (f"{d.cycle[1]}（草稿）" if args.lang == "zh" else f"{d.cycle[1]} (draft)")
        opts = PdfOptions(lang=args.lang, version=name, commit=src.commit, snapshot_date=src.date,
                          changes_md=changes, manifest=make_manifest(d, src.commit, name))
        try:
            return prepare(d, opts, folder, previous)
        except PdfError as exc:
            _print_pdf_error(exc.messages)
            return 1


def cmd_verify(args: argparse.Namespace) -> int:
    from safedossier.archive.manifest import verify_target
    from safedossier.archive.versions import GitError

    try:
        manifest, problems = verify_target(Path(args.target), args.source, Path(args.repo))
    except (OSError, ValueError, KeyError, GitError) as exc:
        print(f"无法读取清单 / cannot read the manifest: {exc}", file=sys.stderr)
        return 2
    for p in problems:
        print(p.render(args.lang), file=sys.stderr)
    n = len(manifest.get("files", []))
    if problems:
        print(f"校验未通过：{len(problems)} 处不一致（清单共 {n} 个文件）/ verification failed: "
              f"{len(problems)} problems ({n} files listed)", file=sys.stderr)
        return 1
    print(f"校验通过：{n} 个文件全部一致（{manifest.get('commit')}）/ all {n} files match", file=sys.stderr)
    return 0


def _check_and_count(root: Path) -> tuple[CheckResult, tuple[Any, ...]]:
    """One side of `dossier diff`: the check, and the statistics the change report reads of it."""
    from safedossier.analyse.stats import accident_stats, injury_stats
    from safedossier.format.validate import check

    result = check(root)
    if result.dossier is None:
        return result, ()
    return result, (injury_stats(result.dossier), accident_stats(result.dossier))


def _prime(d: Dossier, counted: tuple[Any, ...]) -> None:
    from safedossier.analyse import memo
    from safedossier.analyse.stats import accident_stats, injury_stats

    for fn, value in zip((injury_stats, accident_stats), counted, strict=False):
        memo.prime(fn, d, value)


def cmd_diff(args: argparse.Namespace) -> int:
    import tempfile

    from safedossier.forked import Forked

    with tempfile.TemporaryDirectory(prefix="dossier-diff-") as tmp:
        roots = []
        for n, ref in enumerate((args.old, args.new)):
            src = Path(ref)
            if not src.is_dir():
                from safedossier.archive.versions import GitError, snapshot

                try:
                    src = snapshot(Path(args.repo), ref, Path(tmp) / str(n))
                except GitError as exc:
                    print(f"{ref}：既不是目录也不是 git 引用 / neither a directory nor a git ref ({exc})",
                          file=sys.stderr)
                    return 2
            roots.append(src)
        # the two sides are independent: one on each core, forked before pandas is imported
        with Forked(_check_and_count, roots[0]) as old:
            sides = [_check_and_count(roots[1])]
            sides.insert(0, old.result())
        dossiers = []
        for ref, (result, counted) in zip((args.old, args.new), sides, strict=True):
            if result.dossier is None:
                print(f"{ref}：档案有错误，无法比较 / the dossier has errors", file=sys.stderr)
                _print_diagnostics(result.diagnostics, args.lang, "text", quiet_info=True)
                return 1
            _prime(result.dossier, counted)
            dossiers.append(result.dossier)
        from safedossier.archive.changes import to_json
        from safedossier.archive.changes_render import render_markdown, render_text
        from safedossier.archive.diff import diff_dossiers

        report = diff_dossiers(dossiers[0], dossiers[1])
    if args.format == "json":
        print(to_json(report))
    elif args.format == "md":
        print(render_markdown(report, args.lang))
    else:
        print(render_text(report, args.lang))
    return 0


def cmd_init(args: argparse.Namespace) -> int:
    from safedossier.format.starter import write_starter

    target = Path(args.dir)
    problem = write_starter(target, force=args.force)
    if problem:
        print(problem, file=sys.stderr)
        return 2
    print(f"已在 {target} 创建示例档案 / starter dossier written to {target}")
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    from safedossier.format.formatdoc import format_markdown

    text = format_markdown()
    if args.output:
        from safedossier.trust.targets import judge, write_file

        write_file((text + "\n").encode("utf-8"), judge(Path(args.output), "text").path)
    else:
        print(text)
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from safedossier.outputs.office.export import run_export

    return run_export(args.kind, Path(args.dir), args.version, args.output, args.lang)


def cmd_templates(args: argparse.Namespace) -> int:
    from safedossier.outputs.office.templates_xlsx import write_templates

    paths = write_templates(Path(args.dir))
    print(f"已写入 {len(paths)} 个填写模板 / {len(paths)} fill-in templates written to {args.dir}", file=sys.stderr)
    return 0


def _add_common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--lang", choices=("zh", "en"), default="zh", help="语言 / language of messages")


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dossier",
        description="安全社区建设档案工具 / safe-community dossier tool: check, build a site, PDF, diff.",
    )
    parser.add_argument("--version", action="version", version=f"dossier {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    p = sub.add_parser("check", help="校验档案 / validate a dossier")
    p.add_argument("dir", nargs="?", default=".", help="档案目录 / dossier directory (default: .)")
    p.add_argument("--format", choices=("text", "json"), default="text")
    _add_common(p)
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("score", help="按评分方案计算自评得分 / score the self-assessment on its scheme")
    p.add_argument("dir", nargs="?", default=".", help="档案目录 / dossier directory (default: .)")
    p.add_argument("--format", choices=("text", "json"), default="text")
    _add_common(p)
    p.set_defaults(func=cmd_score)

    p = sub.add_parser("portal", help="多个社区的门户 / a portal of many communities")
    portal_sub = p.add_subparsers(dest="portal_command", metavar="build", required=True)
    p = portal_sub.add_parser("build", help="生成门户 / build the portal")
    p.add_argument("sources", nargs="+", help="档案目录、git 仓库或已生成的站点 / dossier folders, git repositories "
                   "or built sites (with summary.json)")
    p.add_argument("-o", "--output", default="portal", help="输出目录 / output directory (default: portal)")
    p.add_argument("-j", "--jobs", type=int, help="并行构建的进程数（默认：CPU 核数）/ worker processes (default: cores)")
    _add_common(p)
    p.set_defaults(func=cmd_portal)

    p = sub.add_parser("build", help="生成站点 / build the reviewer site")
    p.add_argument("dir", nargs="?", default=".", help="档案目录 / dossier directory (default: .)")
    p.add_argument("-o", "--output", default="site", help="输出目录 / output directory (default: site)")
    p.add_argument("--project", help="另存生成的 MkDocs 项目 / also keep the generated MkDocs project here")
    p.add_argument("--archive", action="store_true",
                   help="生成全部版本（git 标签）和草稿 / build every tagged version plus the draft")
    p.add_argument("--tags", help="版本标签模式 / tag pattern (default: v*, or extra.dossier.versions.tags)")
    p.add_argument("--no-draft", action="store_true", help="不包含工作区草稿 / leave out the working tree")
    p.add_argument("--pdf", action="store_true", help="同时生成 PDF（归档时每个版本一份），首页链接 / also the PDF "
                   "(one per version with --archive), linked from the home page")
    p.add_argument("--offline", action="store_true",
                   help="可直接从磁盘打开（file://、U 盘、压缩包），搜索离线可用 / readable from disk (file://), "
                        "search included")
    p.add_argument("--keep-going", action="store_true",
                   help="某个版本无法生成时仍发布其余版本 / publish the archive without versions that fail")
    _add_common(p)
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("serve", help="本地预览，文件修改后自动更新 / live preview on 127.0.0.1")
    p.add_argument("dir", nargs="?", default=".", help="档案目录 / dossier directory (default: .)")
    p.add_argument("-p", "--port", type=int, default=8000, help="端口 / port (default: 8000)")
    _add_common(p)
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("pdf", help="生成提交用 PDF / the submission PDF of one version")
    p.add_argument("dir", nargs="?", default=".", help="档案目录 / dossier directory (default: .)")
    p.add_argument("--version", help="git 标签或提交；默认工作区 / a git tag or commit (default: the working tree)")
    p.add_argument("-o", "--output", help="输出文件 / output file (default: dossier-<version>.pdf)")
    p.add_argument("--prepare-into", help=argparse.SUPPRESS)  # the child half of a `dossier pdf` run
    _add_common(p)
    p.set_defaults(func=cmd_pdf)

    p = sub.add_parser("export", help="导出 Excel 台账或 Word 工作报告 / export the registers (xlsx) or the report (docx)")
    p.add_argument("kind", choices=("xlsx", "docx"), help="xlsx：台账与统计表；docx：工作报告 / registers or report")
    p.add_argument("dir", nargs="?", default=".", help="档案目录 / dossier directory (default: .)")
    p.add_argument("--version", help="git 标签或提交；默认工作区 / a git tag or commit (default: the working tree)")
    p.add_argument("-o", "--output", help="输出文件 / output file (default: dossier-<version>.<kind>)")
    _add_common(p)
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("templates", help="写入各数据表的 Excel 填写模板 / write an Excel fill-in template per table")
    p.add_argument("dir", help="新目录 / a new folder (never a dossier's data/)")
    _add_common(p)
    p.set_defaults(func=cmd_templates)

    p = sub.add_parser("diff", help="比较两个版本 / compare two dossier versions")
    p.add_argument("old", help="旧版本：git 引用或目录 / older version: git ref or directory")
    p.add_argument("new", help="新版本：git 引用或目录 / newer version: git ref or directory")
    p.add_argument("--format", choices=("text", "md", "json"), default="text")
    p.add_argument("--repo", default=".", help="解析 git 引用的仓库 / repository for git refs (default: .)")
    _add_common(p)
    p.set_defaults(func=cmd_diff)

    p = sub.add_parser("verify", help="核对站点或 PDF 与来源是否一致 / check a built version against its sources")
    p.add_argument("target", help="已生成的版本目录或 PDF / a built version directory or a PDF")
    p.add_argument("source", nargs="?", default=".", help="档案目录或 git 引用 / a dossier directory or git ref")
    p.add_argument("--repo", default=".", help="解析 git 引用的仓库 / repository for a git ref (default: .)")
    _add_common(p)
    p.set_defaults(func=cmd_verify)

    p = sub.add_parser("init", help="创建示例档案 / write a starter dossier")
    p.add_argument("dir")
    p.add_argument("--force", action="store_true", help="写入非空目录 / write into a non-empty directory")
    _add_common(p)
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("schema", help="输出格式说明 / print the format documentation (Markdown)")
    p.add_argument("-o", "--output", help="写入文件 / write to a file")
    _add_common(p)
    p.set_defaults(func=cmd_schema)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = make_parser()
    args = parser.parse_args(argv)
    if args.command in ("check", "build", "serve", "pdf", "export") and not Path(args.dir).is_dir():
        parser.error(f"档案目录不存在 / no such directory: {args.dir}")
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        if not getattr(args, "prepare_into", None):  # the child of `dossier pdf`: its parent says it
            print("已中断 / interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except OutputError as exc:  # a target that may not be written (2), or a write that failed (1)
        print(exc, file=sys.stderr)
        return exc.code
    except OSError as exc:  # full disk, read-only folder… anywhere else: a diagnostic, not a traceback
        print(fault(exc), file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
