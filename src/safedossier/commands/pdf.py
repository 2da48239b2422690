"""`dossier pdf`: a child process prepares the Typst document, this one compiles it."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from safedossier.commands.common import print_diagnostics

if TYPE_CHECKING:
    from safedossier.outputs.pdf.typeset import Job


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
            print_diagnostics(result.diagnostics, args.lang, "text", quiet_info=True)
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
