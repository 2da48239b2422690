"""Where a command may write, and how it replaces what is there.

One rule for every command that writes (build, build --archive, --project, pdf, schema -o, init):
the target must be new (or an empty folder), or a previous output of this tool — a folder carrying
the stamp file `.safedossier-output`, a PDF with our embedded manifest, the format document — and
never a dossier's sources (mkdocs.yml, dossier/, data/, evidence/, overrides/), the dossier itself,
a folder above it, or anything in a `.git`. Paths are compared after resolving symlinks and `..`.
Anything else is a usage error (`OutputError`, exit 2) that says what would have been destroyed.

A folder output is replaced under a `Claim`: an flock on `.NAME.lock` beside it serialises builds
of one target; stale `.NAME.build-*` / `.NAME.old-*` temporaries of killed builds (archive ones hold
snapshots with ID numbers) are removed, an orphaned `.NAME.old-PID` is put back when the target is
missing; the new folder is exchanged with the old one in one `renameat2(RENAME_EXCHANGE)`, so there
is never a moment without a site (a rename pair, recovered on the next run, where that is missing).
This module imports only the standard library: the PDF compiler process uses it too.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from safedossier import __version__

STAMP = ".safedossier-output"
TOOL = "safedossier"
OFFICE_MARKER = "safedossier export"  # the keywords of every .xlsx/.docx we write: recognises our own
FORMAT_TITLE = "# 安全社区建设档案格式说明"  # first line of `dossier schema`: recognises a file it wrote
SOURCES = {  # a dossier root's entries that are its sources: (zh, en) names
    "mkdocs.yml": ("站点配置文件", "site configuration file"),
    "dossier": ("内容目录", "content folder"),
    "data": ("数据目录", "data folder"),
    "evidence": ("佐证材料目录", "evidence folder"),
    "overrides": ("主题覆盖目录", "overrides folder"),
}
DIR_KINDS = ("site", "archive", "project", "portal")
_SUGGEST = {"site": "site", "archive": "site", "project": "project", "portal": "portal", "pdf": "dossier.pdf", "office": "dossier.xlsx",
            "text": "FORMAT.md", "dossier": "new-dossier"}


class OutputError(Exception):
    """A target that may not be written (code 2), or a fault while writing it (code 1)."""

    def __init__(self, zh: str, en: str, code: int = 2) -> None:
        self.zh, self.en, self.code = zh, en, code
        super().__init__(f"{zh} / {en}")


def fault(exc: OSError, where: Path | str | None = None) -> OutputError:
    """A zh/en diagnostic (exit 1) for a write that failed: full disk, read-only, no permission…"""
    reasons = {errno.ENOSPC: ("磁盘空间已满", "no space left on the device"),
               errno.EDQUOT: ("超出磁盘配额", "disk quota exceeded"),
               errno.EROFS: ("只读文件系统", "read-only file system"),
               errno.EACCES: ("没有写入权限", "permission denied"),
               errno.EPERM: ("不允许此操作", "operation not permitted"),
               errno.EBUSY: ("目录正在使用（可能是挂载点）", "busy (a mount point?)"),
               errno.EFBIG: ("文件超出大小限制", "file too large"),
               errno.ENOTDIR: ("路径中有一项不是目录", "a part of the path is not a folder")}
    zh, en = reasons.get(exc.errno or 0, (exc.strerror or str(exc), exc.strerror or str(exc)))
    place = where or exc.filename2 or exc.filename or ""  # copies name their source first: not the news
    return OutputError(f"无法写入 {place}：{zh}。原有输出保持不变", f"cannot write {place}: {en}; "
                       "the previous output is unchanged", code=1)


def _real(path: Path) -> Path:
    return Path(os.path.realpath(path))


def _within(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def _looks_like_dossier(folder: Path) -> bool:
    return (folder / "mkdocs.yml").is_file() and (folder / "dossier").is_dir()


def dossier_roots(target: Path, root: Path | None = None) -> list[Path]:
    """The dossier given, plus every dossier found above the target (resolved paths)."""
    roots = [_real(root)] if root is not None else []
    roots += [p for p in _real(target).parents if _looks_like_dossier(p) and p not in roots]
    return roots


def stamp_of(folder: Path) -> dict[str, Any] | None:
    """The stamp this tool wrote into an output folder, or None."""
    try:
        data = json.loads((folder / STAMP).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and data.get("tool") == TOOL else None


def _legacy_output(folder: Path, kind: str) -> bool:
    """An output of a version before the stamp existed, recognised by what only it writes."""
    if kind == "project":
        names = {p.name for p in folder.iterdir()}
        return names <= {"mkdocs.yml", "docs", "overrides"} and "assets/dossier.css" in _text(folder / "mkdocs.yml")
    try:
        if json.loads((folder / "manifest.json").read_text(encoding="utf-8")).get("tool") == TOOL:
            return True  # a site
    except (OSError, ValueError, AttributeError):
        pass
    return (folder / "versions.json").is_file() and (folder / ".dossier-cache.json").is_file()  # an archive


def _text(path: Path, limit: int = 1 << 16) -> str:
    try:
        with path.open(encoding="utf-8", errors="replace") as fh:
            return fh.read(limit)
    except OSError:
        return ""


def is_own_pdf(path: Path) -> bool:
    """A PDF this tool wrote: it embeds `manifest.json` described as ours (see pdf/main.typ.j2)."""
    try:
        data = path.read_bytes()
    except OSError:
        return False
    return data.startswith(b"%PDF-") and b"(manifest.json)" in data and b"(safedossier manifest)" in data


@dataclass
class Verdict:
    path: Path  # the resolved path to write
    note: str = ""  # something the user should know (an unstamped earlier output is replaced)


def is_own_office(path: Path) -> bool:
    """A workbook or Word document this tool exported: its core properties carry `OFFICE_MARKER`."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as zf:
            core = zf.read("docProps/core.xml")[:1 << 16].decode("utf-8", "replace")
    except (OSError, KeyError, zipfile.BadZipFile, ValueError):
        return False
    return f"<cp:keywords>{OFFICE_MARKER}</cp:keywords>" in core


def judge(target: Path, kind: str, root: Path | None = None, *, force: bool = False) -> Verdict:
    """May `kind` (site, archive, project, portal, pdf, office, text, dossier) be written at `target`?
    Raises OutputError.

    Reads the filesystem only; writes nothing.
    """
    shown = str(target)
    real = _real(target)
    new = _SUGGEST[kind]

    def refuse(zh: str, en: str) -> OutputError:
        return OutputError(f"{zh}请用 -o 指定一个新的位置（如 {new}）。" if kind != "dossier" else zh,
                           f"{en} Use a new {'file' if kind in ('pdf', 'office', 'text') else 'folder'} such as {new}."
                           if kind != "dossier" else en)

    if ".git" in real.parts:
        at = real.name == ".git"
        raise refuse(f"{shown} {'是' if at else '位于'} git 仓库的 .git 目录{'' if at else '中'}，写入会损坏仓库。",
                     f"{shown} {'is' if at else 'is inside'} a git repository's .git folder; writing there "
                     "would corrupt the repository.")
    for r in dossier_roots(real, root):
        if real == r or real in r.parents:
            what = "就是档案目录本身" if real == r else f"包含档案目录 {r}"
            raise refuse(f"{shown} {what}，写入会删除整个档案（包括 .git）。",
                         f"{shown} {'is the dossier itself' if real == r else f'contains the dossier {r}'}; "
                         "writing there would delete the whole dossier (and its .git).")
        for name, (zh, en) in SOURCES.items():
            if _within(real, _real(r / name)):
                at = real == _real(r / name)
                raise refuse(f"{shown} {'是' if at else '位于'}档案的{zh}（{name}）{'' if at else '中'}，"
                             f"写入会{'删除或覆盖' if at else '改动'}档案的来源文件。",
                             f"{shown} {'is' if at else 'is inside'} the dossier's {en} ({name}); writing there "
                             f"would {'delete or overwrite' if at else 'change'} the dossier's sources.")
    existing = next(p for p in (real, *real.parents) if p.exists())
    if existing != real and not existing.is_dir():
        raise refuse(f"{shown} 的上级 {existing} 是一个文件。", f"the parent {existing} of {shown} is a file.")
    if not real.exists():
        return Verdict(real)
    if kind in DIR_KINDS or kind == "dossier":
        return _judge_folder(real, shown, kind, force, refuse)
    if real.is_dir():
        raise refuse(f"{shown} 是一个目录。", f"{shown} is a folder.")
    if kind == "pdf" and not is_own_pdf(real):
        raise refuse(f"{shown} 已存在，且不是本工具生成的 PDF，写入会覆盖它。",
                     f"{shown} exists and is not a PDF written by this tool; writing would overwrite it.")
    if kind == "office" and not is_own_office(real):
        raise refuse(f"{shown} 已存在，且不是本工具生成的 Word/Excel 文件，写入会覆盖它。",
                     f"{shown} exists and is not a Word/Excel file written by this tool; writing would overwrite it.")
    if kind == "text" and _text(real, 200).splitlines()[:1] != [FORMAT_TITLE]:
        raise refuse(f"{shown} 已存在，且不是本工具生成的格式说明，写入会覆盖它。",
                     f"{shown} exists and is not a format document written by this tool; writing would "
                     "overwrite it.")
    return Verdict(real)


def _judge_folder(real: Path, shown: str, kind: str, force: bool,
                  refuse: Callable[[str, str], OutputError]) -> Verdict:
    if not real.is_dir():
        raise refuse(f"{shown} 是一个文件，不是输出目录。", f"{shown} is a file, not an output folder.")
    names = sorted(p.name for p in real.iterdir())
    if not names:
        return Verdict(real)
    if kind == "dossier":
        found = [n for n in SOURCES if (real / n).exists()]
        found += [f"{p.name}/" for p in real.iterdir() if p.is_dir() and _looks_like_dossier(p)]
        if found:
            raise OutputError(f"目录 {shown} 中已有档案（{', '.join(found)}），未写入任何文件；--force 也不会覆盖它",
                              f"{shown} already holds a dossier ({', '.join(found)}); nothing written, and "
                              "--force never overwrites it")
        if not force:
            raise OutputError(f"目录 {shown} 不为空，未写入任何文件（--force 可在其中添加示例档案，不覆盖已有文件）",
                              f"{shown} is not empty; nothing written (--force adds the starter beside "
                              "its files, overwriting none)")
        return Verdict(real)
    if ".git" in names:
        raise refuse(f"{shown} 是一个 git 工作区，替换它会删除其中的 .git。",
                     f"{shown} is a git work tree; replacing it would delete its .git.")
    if _looks_like_dossier(real):
        raise refuse(f"{shown} 中有一份档案，替换它会删除该档案。",
                     f"{shown} holds a dossier; replacing it would delete it.")
    stamp = stamp_of(real)
    ours = {"project": ("project",), "portal": ("portal",)}.get(kind, ("site", "archive"))
    if stamp is not None and stamp.get("kind") in ours:
        return Verdict(real)
    if stamp is not None:
        raise refuse(f"{shown} 是本工具生成的另一种输出（{stamp.get('kind')}），不能用作{kind}。",
                     f"{shown} is another kind of output of this tool ({stamp.get('kind')}), not a {kind}.")
    if _legacy_output(real, kind):
        return Verdict(real, f"注意：{shown} 没有输出标记（旧版本生成），按其内容识别为本工具的输出，将被替换 / "
                             f"note: {shown} has no output stamp (an older version made it); its content "
                             "shows it is an output of this tool, so it is replaced")
    count = sum(1 for _ in real.rglob("*"))
    raise refuse(f"{shown} 已存在，且不是本工具生成的输出（没有 {STAMP} 标记），替换它会删除其中的 {count} 个文件和目录。",
                 f"{shown} exists and is not an output of this tool (no {STAMP} stamp); replacing it "
                 f"would delete the {count} files and folders in it.")


# --- replacing a folder output -------------------------------------------------------------------

def alive(pid: int) -> bool:
    """Whether process `pid` exists (a temporary folder named after it may still be in use)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, but not ours to signal
    return True


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux renameat2 RENAME_EXCHANGE); False where that is unsupported."""
    try:
        import ctypes

        fn = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError, ImportError):
        return False
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if fn(-100, os.fsencode(a), -100, os.fsencode(b), 2) == 0:  # AT_FDCWD, RENAME_EXCHANGE
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err), str(b))


def swap(new: Path, target: Path) -> None:
    """Put `new` at `target` (same filesystem); the old content ends at `new`'s path or is deleted."""
    if not (target.exists() or target.is_symlink()):
        os.rename(new, target)
    elif not _exchange(new, target):  # a rename pair; `Claim` puts .old-PID back if killed between
        old = target.with_name(f".{target.name}.old-{os.getpid()}")
        os.rename(target, old)
        os.rename(new, target)
        shutil.rmtree(old, ignore_errors=True) if old.is_dir() else old.unlink()
        return
    if new.is_dir() and not new.is_symlink():
        shutil.rmtree(new, ignore_errors=True)
    elif new.exists() or new.is_symlink():
        new.unlink()


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def link_tree(src: Path, dest: Path, skip: tuple[str, ...] = ()) -> None:
    """Copy one output folder into a new one by hard links (outputs are never modified in place;
    sources are never linked — see `scrub.publish_copy`), copies where the filesystem has none.
    Symbolic links are never followed or copied: a folder handed over by someone else may hold them."""
    def link(s: str, d: str) -> None:
        try:
            os.link(s, d)
        except OSError:
            shutil.copy2(s, d)

    def ignore(folder: str, names: list[str]) -> list[str]:
        return [n for n in names if n in skip or os.path.islink(os.path.join(folder, n))]
    shutil.copytree(src, dest, copy_function=link, ignore=ignore)


class Claim:
    """The exclusive right to replace one folder output, from the start of a build to its swap."""

    def __init__(self, target: Path, kind: str, root: Path | None = None,
                 on_wait: Callable[[str], None] = _say) -> None:
        self.kind, self.root = kind, root
        self.path = judge(target, kind, root).path
        self._fd: int | None = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._lock(on_wait)
            self._recover()
        except OSError as exc:
            self.release()
            raise fault(exc, self.path.parent) from exc
        except BaseException:
            self.release()
            raise
        judge(self.path, kind, root)  # again: what was there may have changed while we waited

    @property
    def lock_file(self) -> Path:
        return self.path.with_name(f".{self.path.name}.lock")

    def _lock(self, on_wait: Callable[[str], None]) -> None:
        try:
            import fcntl
        except ImportError:  # not POSIX: no lock
            return
        told = False
        while True:
            # never through a link: a `.site.lock` symlink would make us create or lock a file elsewhere
            fd = os.open(self.lock_file, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC | getattr(os, "O_NOFOLLOW", 0), 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if not told:
                    on_wait(f"另一个构建正在写入 {self.path}，等待其完成… / another build is writing "
                            f"{self.path}; waiting for it to finish…")
                    told = True
                fcntl.flock(fd, fcntl.LOCK_EX)
            held, now = os.fstat(fd), None
            with contextlib.suppress(FileNotFoundError):
                now = os.stat(self.lock_file)
            if now is not None and (now.st_ino, now.st_dev) == (held.st_ino, held.st_dev):
                self._fd = fd
                return
            os.close(fd)  # the holder removed the lock file as it finished: lock the new one

    def _recover(self) -> None:
        """Put back a site a killed rename pair left aside; delete stale temporaries of this target."""
        temps = [p for p in self.path.parent.iterdir() if _stale(p.name, self.path.name)]
        olds = sorted((p for p in temps if p.name.startswith(f".{self.path.name}.old-")),
                      key=lambda p: p.lstat().st_mtime)
        if olds and not (self.path.exists() or self.path.is_symlink()):
            os.rename(olds.pop(), self.path)
            temps = [p for p in temps if p.exists() or p.is_symlink()]
        for p in temps:
            if p.is_dir() and not p.is_symlink():
                shutil.rmtree(p, ignore_errors=True)
            else:
                p.unlink(missing_ok=True)

    def workdir(self) -> Path:
        """A fresh temporary folder beside the target (same filesystem, so the swap is a rename)."""
        try:
            return Path(tempfile.mkdtemp(prefix=f".{self.path.name}.build-{os.getpid()}-", dir=self.path.parent))
        except OSError as exc:
            self.release()
            raise fault(exc, self.path.parent) from exc

    def swap(self, new: Path) -> None:
        """Stamp `new` as our output and put it in place of the target."""
        (new / STAMP).write_text(json.dumps({"tool": TOOL, "kind": self.kind, "tool_version": __version__})
                                 + "\n", encoding="utf-8")
        swap(new, self.path)

    def release(self) -> None:
        if self._fd is not None:
            with contextlib.suppress(OSError):
                os.unlink(self.lock_file)  # while still holding it: a waiter then re-locks the new file
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> Claim:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def _stale(entry: str, name: str) -> bool:
    """`.NAME.build-PID-…` / `.NAME.old-PID` of a process that is gone (or of no known process)."""
    for prefix in (f".{name}.build-", f".{name}.old-"):
        if entry.startswith(prefix):
            m = re.match(r"(\d+)(?:-|$)", entry[len(prefix):])
            return m is None or not alive(int(m[1]))
    return False


def write_file(data: bytes, output: Path) -> None:
    """Replace `output` only once all of `data` is on disk: a reader never sees half a file."""
    output.parent.mkdir(parents=True, exist_ok=True)
    fd, part = tempfile.mkstemp(prefix=f".{output.name}.", suffix=".part", dir=output.parent)
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(part, 0o666 & ~umask)  # mkstemp makes 0600; the file is as readable as any new file
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(part, output)
    except BaseException:
        Path(part).unlink(missing_ok=True)
        raise
