"""The privacy guard's scan of a built site, its copied files read while MkDocs still builds.

MkDocs copies every file of docs/ that is not a page (evidence, charts, images, styles) to the same
path in the site; about half the guard's time goes to those. With MkDocs building in its child
(`mkchild.py`), the parent scans them in docs/ meanwhile; the scan of the site then reuses a file's
findings only when the site holds the very same bytes at the very same path — the guard's verdict
depends on nothing else — and scans everything else as `Guard.scan_dir` does, in the same order.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from safedossier.trust.guard import Guard, Leak

Known = dict[str, tuple[bytes, list[Leak]]]  # path in the site → (SHA-256 of its bytes, findings)


def prescan(guard: Guard, docs: Path) -> Known:
    """Findings for every file below `docs` that MkDocs copies as it is (not the Markdown pages)."""
    known: Known = {}
    for p in sorted(docs.rglob("*")):
        if p.suffix == ".md" or p.is_symlink() or not p.is_file():
            continue
        rel = p.relative_to(docs).as_posix()
        data = p.read_bytes()
        known[rel] = (hashlib.sha256(data).digest(), guard.scan_output(rel, data))
    return known


def scan_site(guard: Guard, site: Path, known: Known) -> list[Leak]:
    """`guard.scan_dir(site)`, with the findings of `known` files whose bytes did not change."""
    leaks: list[Leak] = []
    for p in sorted(site.rglob("*")):
        rel = p.relative_to(site).as_posix()
        data = None if p.is_symlink() or not p.is_file() else p.read_bytes()
        hit = known.get(rel) if data is not None else None
        if hit is not None and hit[0] == hashlib.sha256(data).digest():
            leaks += hit[1]
        else:
            leaks += guard.scan_output(rel, data)
    return leaks
