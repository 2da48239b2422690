"""`dossier export xlsx|docx`: check one version of the dossier, build the file, guard it, write it."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

KINDS = {"xlsx": ("Excel 台账", "an Excel workbook"), "docx": ("Word 工作报告", "a Word report")}


def run_export(kind: str, root: Path, version: str | None, output: str | None, lang: str) -> int:
    """0 written; 1 the dossier has errors or the guard found personal data (nothing written);
    2 a version that cannot be read. A target that may not be written raises OutputError (exit 2)."""
    from safedossier.analyse.views import Views
    from safedossier.archive.versions import GitError, open_version
    from safedossier.format.diagnostics import counts
    from safedossier.format.validate import check
    from safedossier.outputs.office.target import guarded_write, office_target

    path = office_target(Path(output or f"dossier-{version or 'draft'}.{kind}"), root, KINDS[kind])
    with tempfile.TemporaryDirectory(prefix=f"dossier-{kind}-") as tmp:
        try:
            src = open_version(root, version, Path(tmp))
        except GitError as exc:
            print(f"无法读取版本 {version} / cannot read version {version}: {exc}", file=sys.stderr)
            return 2
        result = check(src.root)
        if result.dossier is None:
            for diag in result.diagnostics:
                if diag.severity == "error":
                    print(diag.render(lang), file=sys.stderr)
            print(f"档案有 {counts(result.diagnostics)['error']} 个错误，未导出 / the dossier has errors; "
                  "nothing exported", file=sys.stderr)
            return 1
        d = result.dossier
        views = Views(d, lang)
        name = src.title or (f"{d.cycle[1]}（草稿）" if views.lang == "zh" else f"{d.cycle[1]} (draft)")
        title = f"{d.community.get('name', '')} {name}".strip()
        if kind == "xlsx":
            from safedossier.outputs.office.xlsx import workbook_bytes

            data = workbook_bytes(views, title)
        else:
            from safedossier.outputs.office.docx import document_bytes

            data = document_bytes(views, title, src.root)
        leaks = guarded_write(data, path, d)
    if leaks:
        for leak in leaks:
            print(leak.render(lang), file=sys.stderr)
        print(f"{KINDS[kind][0]}未写入 / {KINDS[kind][1]} not written", file=sys.stderr)
        return 1
    print(f"已导出 / exported: {path}", file=sys.stderr)
    return 0
