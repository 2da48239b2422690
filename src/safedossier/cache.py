"""A small content-addressed disk cache (charts, thumbnails, compiled templates) shared by builds on
this machine.

Entries are keyed by a hash of everything that determines them (inputs, tool and library
versions), so a hit is always the same bytes a fresh computation would give; a cache that cannot be
written is simply not used. `SAFEDOSSIER_CACHE=off` disables it, another value moves it.
"""

from __future__ import annotations

import hashlib
import os
import sys
import tempfile
import threading
from pathlib import Path

from jinja2.bccache import Bucket, BytecodeCache

from safedossier import __version__


def _root() -> Path | None:
    setting = os.environ.get("SAFEDOSSIER_CACHE", "")
    if setting.lower() in ("off", "0", "no"):
        return None
    if setting:
        return Path(setting)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "safedossier"


def enabled() -> bool:
    return _root() is not None


def key(*parts: bytes | str) -> str:
    h = hashlib.sha256(__version__.encode())
    for p in parts:
        h.update(b"\0" + (p.encode() if isinstance(p, str) else p))
    return h.hexdigest()


def get(kind: str, k: str) -> bytes | None:
    root = _root()
    if root is None:
        return None
    try:
        return (root / kind / k[:2] / k).read_bytes()
    except OSError:
        return None


def put(kind: str, k: str, data: bytes) -> None:
    root = _root()
    if root is None:
        return
    folder = root / kind / k[:2]
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-")
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, folder / k)  # readers never see half an entry
    except OSError:
        pass


def put_soon(kind: str, k: str, data: bytes) -> None:
    """`put` on a thread of its own: writing a 12 MB table entry took ~0.1 s of a cold `check`, time
    the check can go on meanwhile. The thread is not a daemon, so the process exits only once the
    entry is written (or given up); a reader meanwhile finds no entry and computes, never half one."""
    threading.Thread(target=put, args=(kind, k, data), name="dossier-cache-put").start()


class TemplateCache(BytecodeCache):
    """Jinja's compiled templates, kept between runs: compiling the page templates took ~0.2 s of
    every build and every PDF. Jinja checks each entry against the template's source itself."""

    def _key(self, bucket: Bucket) -> str:
        return key(bucket.key, sys.version)  # the bytecode is CPython's, per version

    def load_bytecode(self, bucket: Bucket) -> None:
        data = get("templates", self._key(bucket))
        if data is not None:
            bucket.bytecode_from_string(data)

    def dump_bytecode(self, bucket: Bucket) -> None:
        put("templates", self._key(bucket), bucket.bytecode_to_string())


def template_cache() -> TemplateCache | None:
    return TemplateCache() if _root() is not None else None
