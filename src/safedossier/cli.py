"""`dossier` command line: the arguments, and which command runs (the bigger ones live in `commands/`).

Exit codes: 0 ok, 1 the dossier (or a build) has errors, 2 usage error.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from safedossier import __version__
from safedossier.commands.build import cmd_build
from safedossier.commands.common import print_diagnostics
from safedossier.commands.diff import cmd_diff
from safedossier.commands.pdf import cmd_pdf
from safedossier.trust.targets import OutputError, fault


def cmd_check(args: argparse.Namespace) -> int:
    from safedossier.format.validate import check

    result = check(Path(args.dir))
    print_diagnostics(result.diagnostics, args.lang, args.format)
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
        print_diagnostics(result.diagnostics, args.lang, args.format, quiet_info=True)
        return 1
    report = Report()
    assessment = load_assessment(root, report)
    if assessment is None:  # no self-assessment.yml (the check passed, so nothing else is wrong)
        print_diagnostics(report.finish(), args.lang, args.format)
        return 1
    from safedossier.analyse.readiness import readiness
    from safedossier.analyse.suggest import suggest

    assert result.dossier is not None
    res = suggest(score(assessment), {r.number: r for r in readiness(result.dossier)})
    print(json.dumps(res.as_json(), ensure_ascii=False, indent=2) if args.format == "json"
          else render_text(res, args.lang))
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from safedossier.outputs.site.serve import serve

    return serve(Path(args.dir), port=args.port, lang=args.lang)


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
