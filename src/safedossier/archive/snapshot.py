"""A version's files read from git objects into a folder (`git archive`), never by checking anything
out: the office's working tree, index and branch are untouched.

Only the standard library: the archive's small MkDocs child (`mkchild.py`) takes the snapshots, so no
git process is ever started from the large process that holds the checked dossiers (a started
process counts, for a moment, as its parent's size).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import tarfile
from pathlib import Path
from typing import Any


class GitError(Exception):
    """A git command failed (not a repository, unknown ref…)."""


def git(root: Path, *args: str, binary: bool = False) -> Any:
    proc = subprocess.run(["git", "-C", str(root), *args], capture_output=True, check=False)
    if proc.returncode != 0:
        raise GitError(proc.stderr.decode("utf-8", "replace").strip() or f"git {' '.join(args)} failed")
    return proc.stdout if binary else proc.stdout.decode("utf-8", "replace")


def _prefix(root: Path) -> str:
    return git(root, "rev-parse", "--show-prefix").strip()


def snapshot(root: Path, ref: str, dest: Path) -> Path:
    """Extract the dossier as it is at `ref` into `dest` (from git objects; nothing is checked out)."""
    prefix = _prefix(root)
    dest.mkdir(parents=True, exist_ok=True)
    proc = subprocess.Popen(["git", "-C", str(root), "archive", "--format=tar", f"{ref}:{prefix}"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None
    try:
        with tarfile.open(fileobj=proc.stdout, mode="r|") as tar:
            tar.extractall(dest, filter=_safe_member)
    finally:
        err = proc.stderr.read() if proc.stderr else b""
        if proc.wait() != 0:
            raise GitError(err.decode("utf-8", "replace").strip())
    _same_as_tree(root, f"{ref}:{prefix}", dest)
    return dest


def _same_as_tree(root: Path, tree: str, dest: Path) -> None:
    """The snapshot holds exactly the tree's files: `git archive` obeys the dossier's own
    `.gitattributes` (`export-ignore` leaves files out, `export-subst` rewrites them), and a version
    must be what was tagged. Links leading out were skipped on purpose and are not counted."""
    listing = git(root, "ls-tree", "-r", "-z", tree, binary=True)
    for entry in listing.split(b"\0"):
        if not entry:
            continue
        meta, _, name = entry.partition(b"\t")
        mode, kind, blob = meta.split()
        if kind != b"blob" or mode == b"120000":
            continue
        path = dest / os.fsdecode(name)
        try:
            data = path.read_bytes()
        except OSError:
            data = None
        algo = hashlib.sha1 if len(blob) == 40 else hashlib.sha256  # SHA-1 or SHA-256 repositories
        if data is None or algo(b"blob %d\0" % len(data) + data).hexdigest() != blob.decode():
            raise GitError(f"{os.fsdecode(name)}：快照与标签的内容不一致（.gitattributes 中的 export-ignore/export-subst？）"
                           f" / the snapshot differs from the tagged tree")


def _safe_member(member: tarfile.TarInfo, path: str) -> tarfile.TarInfo | None:
    """Tar's 'data' filter, but a link leading out is skipped instead of failing the whole snapshot
    (validation then reports the evidence file as missing)."""
    try:
        return tarfile.data_filter(member, path)
    except tarfile.FilterError:
        return None
