"""Compile a prepared Typst folder into PDF bytes, and write a PDF atomically.

This module imports nothing but the standard library, `typst` and `outputs` (standard library only).
`dossier pdf` prepares the document in a child process (validation, statistics, templates, font
subsets: pandas and friends, ~160 MB) and compiles it here after that process has exited, so the two
phases' memory is never held at once: peak memory is the larger of the two, not their sum.

Typst keeps what it memoised for as long as the process lives (compiling ten different documents in
one process grew it by ~110 MB each), so an archive build compiles each version's PDF in a process of
its own: `python -m safedossier.outputs.pdf.typeset FOLDER`.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from safedossier.trust.targets import OutputError, fault, judge, write_file

JOB_FILE = "job.json"


class PdfError(Exception):
    """The PDF cannot be made; `messages` are (file, text) pairs the CLI prints one per line."""

    def __init__(self, messages: list[tuple[str, str]]) -> None:
        self.messages = messages
        super().__init__("\n".join(f"{f}: {t}" for f, t in messages))


@dataclass
class Job:
    """What the compiler needs, all inside one folder: `main.typ`, its images and charts, the fonts."""

    folder: str
    date: str  # ISO date stamped into the PDF: the same input gives the same bytes
    fonts: str = ""  # folder of the font files cut to the document, the only fonts Typst may use
    output: str = ""  # where `dossier pdf` writes the result

    def save(self) -> None:
        Path(self.folder, JOB_FILE).write_text(json.dumps(asdict(self), ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, folder: Path) -> Job:
        return cls(**json.loads((folder / JOB_FILE).read_text(encoding="utf-8")))


def _glibc() -> Any:
    import ctypes
    import ctypes.util

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return libc if hasattr(libc, "mallopt") and hasattr(libc, "malloc_trim") else None
    except OSError:  # musl, macOS, Windows: their allocators are left alone
        return None


def return_large_blocks() -> None:
    """Ask glibc to give blocks of 128 KiB and more back to the system as soon as they are freed.

    By default glibc raises that threshold after the first large free, and Typst's large temporary
    buffers then stay in the heap: peak memory of the same compile varied between 193 and 211 MB;
    with a fixed threshold it is 190 MB every time.
    """
    if libc := _glibc():
        libc.mallopt(-3, 128 * 1024)  # M_MMAP_THRESHOLD; setting it also stops the dynamic raise


def release_free_memory() -> None:
    """Give memory Python and pandas freed back to the system (glibc keeps it otherwise): the font
    subsetting that follows the data phase then fits under that phase's peak (116 MB, not 144)."""
    import gc

    gc.collect()
    if libc := _glibc():
        libc.malloc_trim(0)


def compile_job(job: Job) -> tuple[bytes, list[str]]:
    """The PDF bytes and Typst's remaining warnings; font warnings are errors (a glyph would be lost)."""
    return_large_blocks()
    import typst

    main = Path(job.folder) / "main.typ"
    date = dt.date.fromisoformat(job.date)
    stamp = dt.datetime(date.year, date.month, date.day, tzinfo=dt.UTC)
    fonts = typst.Fonts(include_system_fonts=False, include_embedded_fonts=False, font_paths=[job.fonts])
    try:
        pdf, warnings = typst.compile_with_warnings(
            str(main), root=job.folder, font_paths=fonts, ignore_system_fonts=True, timestamp=stamp)
    except typst.TypstError as exc:
        raise PdfError([("main.typ", f"Typst: {exc.message} {exc.diagnostic}".strip())]) from exc
    font_warnings = [w for w in warnings if "font" in w.message.lower() or "glyph" in w.message.lower()]
    if font_warnings:
        raise PdfError([("main.typ", f"Typst: {w.message}") for w in font_warnings])
    assert isinstance(pdf, bytes)
    return pdf, [w.message for w in warnings]


def write_atomically(data: bytes, output: Path) -> None:
    """Replace `output` only once all of `data` is on disk: a reader never sees half a PDF."""
    write_file(data, output)


def typeset(job: Job) -> list[str]:
    """Compile `job` and write the PDF to `job.output`; Typst's remaining warnings. Raises `PdfError`.

    The target must be new or a PDF this tool wrote (`outputs.judge`; the CLI checked it against the
    dossier before preparing anything, this catches a file put there meanwhile).
    """
    try:
        output = judge(Path(job.output), "pdf").path
    except OutputError as exc:
        raise PdfError([(job.output, str(exc))]) from exc
    pdf, warnings = compile_job(job)
    try:
        write_atomically(pdf, output)
    except OSError as exc:
        raise PdfError([(job.output, str(fault(exc, job.output)))]) from exc
    return warnings


def compile_in_child(job: Job) -> list[str]:
    """Compile `job` into `job.output` in a fresh process; the problems it reports ([] when done)."""
    job.save()
    proc = subprocess.run([sys.executable, "-m", "safedossier.outputs.pdf.typeset", job.folder],
                          capture_output=True, text=True, encoding="utf-8", errors="replace", check=False)
    if proc.returncode == 0:
        return []
    return proc.stderr.strip().splitlines() or [f"PDF: exit {proc.returncode}"]


def main(argv: list[str] | None = None) -> int:
    """`python -m safedossier.outputs.pdf.typeset FOLDER`: compile a saved job and write its PDF."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m safedossier.outputs.pdf.typeset FOLDER", file=sys.stderr)
        return 2
    try:
        typeset(Job.load(Path(args[0])))
    except PdfError as exc:
        for file, text in exc.messages:
            print(f"{file}: {text}", file=sys.stderr)
        return 1
    return 0


__all__ = ["JOB_FILE", "Job", "PdfError", "compile_in_child", "compile_job", "release_free_memory",
           "return_large_blocks", "typeset", "write_atomically"]

if __name__ == "__main__":
    sys.exit(main())
