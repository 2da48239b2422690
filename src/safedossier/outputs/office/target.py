"""Where an office file may be written (`trust.targets`, kind "office"), and the last look before
it is: the privacy guard over the whole file."""

from __future__ import annotations

from pathlib import Path

from safedossier.format.model import Dossier
from safedossier.trust.guard import Guard, Leak
from safedossier.trust.targets import OutputError, judge, write_file


def office_target(target: Path, root: Path | None, what: tuple[str, str]) -> Path:
    """The path to write, or OutputError (exit 2). `what` names the file kind (zh, en) in messages."""
    try:
        return judge(target, "office", root).path
    except OutputError as exc:  # suggest a name of this file's kind
        new = f"dossier{target.suffix}"
        raise OutputError(exc.zh.replace("dossier.xlsx", new).replace("Word/Excel 文件", what[0]),
                          exc.en.replace("dossier.xlsx", new).replace("a Word/Excel file", what[1])) from None


def guarded_write(data: bytes, path: Path, d: Dossier) -> list[Leak]:
    """Write `data` to `path` only when the guard finds nothing; the leaks otherwise (nothing written)."""
    leaks = Guard(d).scan_bytes(data, path.name)
    if not leaks:
        write_file(data, path)
    return leaks
