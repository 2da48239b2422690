"""Where an office file may be written, and the last look before it is: the privacy guard.

`trust.targets.judge` knows sites, PDFs and the format document; an .xlsx/.docx target gets the same
location rules (never a source, a `.git`, a folder), and an existing file may be replaced only when
this tool wrote it (its properties carry `MARKER`).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from safedossier.format.model import Dossier
from safedossier.outputs.office.cells import MARKER
from safedossier.trust.guard import Guard, Leak
from safedossier.trust.targets import OutputError, judge, write_file


def is_own(path: Path) -> bool:
    """A workbook or document this tool exported (its core properties name us)."""
    try:
        with zipfile.ZipFile(path) as zf:
            core = zf.read("docProps/core.xml")[:1 << 16].decode("utf-8", "replace")
    except (OSError, KeyError, zipfile.BadZipFile, ValueError):
        return False
    return f"<cp:keywords>{MARKER}</cp:keywords>" in core


def office_target(target: Path, root: Path | None, what: tuple[str, str]) -> Path:
    """The path to write, or OutputError (exit 2). `what` names the file kind (zh, en) in messages."""
    real = target.resolve()
    try:
        if not real.is_file():
            return judge(target, "pdf", root).path
        # the location rules, judged for a name beside it that does not exist
        judge(real.with_name(f".{real.name}.safedossier-probe"), "pdf", root)
    except OutputError as exc:  # judge suggests a PDF's name: suggest one of this kind
        new = f"dossier{target.suffix}"
        raise OutputError(exc.zh.replace("dossier.pdf", new), exc.en.replace("dossier.pdf", new)) from None
    if not is_own(real):
        raise OutputError(f"{target} 已存在，且不是本工具生成的{what[0]}，写入会覆盖它。请用 -o 指定一个新的文件。",
                          f"{target} exists and is not {what[1]} written by this tool; writing would "
                          "overwrite it. Use a new file.")
    return real


def guarded_write(data: bytes, path: Path, d: Dossier) -> list[Leak]:
    """Write `data` to `path` only when the guard finds nothing; the leaks otherwise (nothing written)."""
    leaks = Guard(d).scan_bytes(data, path.name)
    if not leaks:
        write_file(data, path)
    return leaks
