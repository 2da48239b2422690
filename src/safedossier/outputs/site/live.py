"""The site `dossier serve` shows, rebuilt after each edit by redoing only what the edit changed.

Kept between rebuilds: the rendered project, MkDocs loaded (`livemk`), the injury statistics of the
last tables, and the digest of every file served. A rebuild:

1. checks the dossier — one with errors changes nothing that is served;
2. renders every Markdown page into a fresh folder (cheap; the statistics are reused while no table,
   community.yml or mkdocs.yml changed) and moves into the project only the files whose bytes differ,
   so MkDocs learns which pages changed;
3. lets MkDocs rebuild those pages (a full build when mkdocs.yml, the theme or the set of files changed);
4. has the privacy guard read every byte of every output file that differs from what is served — of
   every file, when what the guard looks for changed — and only then moves exactly those bytes into
   the served folder. A refused change is served nowhere and stays pending: the next rebuild compares
   with what is served, so it is checked again.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from safedossier import __version__
from safedossier.analyse import stats
from safedossier.analyse.views import Views
from safedossier.format.diagnostics import Diagnostic
from safedossier.format.model import Dossier
from safedossier.format.validate import check
from safedossier.outputs.site.build import build_epoch, finish_site
from safedossier.outputs.site.livemk import LiveMkDocs
from safedossier.outputs.site.render import RenderOptions, render_project
from safedossier.trust.guard import Guard


@dataclass
class Outcome:
    """One rebuild: `stage` is where it stopped ("" when the new site is served)."""

    ok: bool
    stage: str = ""  # "" | "check" | "mkdocs" | "guard"
    diagnostics: list[Diagnostic] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)
    pages: int = 0  # pages MkDocs wrote
    served: list[str] = field(default_factory=list)  # served files written or removed
    guard: Guard | None = None  # the guard of this dossier, when it was valid


class _Memo:
    """The injury statistics (the costly part of rendering) of the last tables seen."""

    def __init__(self) -> None:
        self.key = ""
        self.inj: stats.InjuryStats | None = None
        self.statistics: dict[str, Any] | None = None


class _LiveViews(Views):
    """Views whose statistics come from `memo` while the files they are computed from are the same."""

    def __init__(self, d: Dossier, memo: _Memo) -> None:
        super().__init__(d)
        key = _stats_key(d, self.lang)
        if memo.key != key:
            memo.key, memo.inj, memo.statistics = key, None, None
        self._inj, self._memo = memo.inj, memo

    @property
    def inj(self) -> stats.InjuryStats:
        if self._inj is None:
            self._inj = self._memo.inj = stats.injury_stats(self.d)
        return self._inj

    def statistics(self) -> dict[str, Any]:
        if self._memo.statistics is None:
            self._memo.statistics = super().statistics()
        return dict(self._memo.statistics)  # the renderer pops "charts" from its copy


#: The tables `Views.statistics` (through `stats.injury_stats`, `population`, `accident_stats`) reads.
STATS_TABLES = ("injuries", "population", "accidents")


def _stats_key(d: Dossier, lang: str) -> str:
    """Digest of what the statistics are computed from: those tables' files, the cycle, the language."""
    h = hashlib.sha256(f"{__version__}\0{lang}\0{d.cycle}\0".encode())
    for name in STATS_TABLES:
        rel = d.table_files.get(name)
        path = d.root / rel if rel else None
        digest = hashlib.sha256(path.read_bytes()).hexdigest() if path and path.is_file() else "-"
        h.update(f"{name}\0{rel}\0{digest}\0".encode())
    return h.hexdigest()


def sync_tree(new: Path, old: Path) -> tuple[set[str], set[str], set[str]]:
    """Make `old` hold what `new` holds, moving over only files whose bytes differ (the others keep
    their inode and time); returns the relative paths (changed, added, removed)."""
    fresh = {p.relative_to(new).as_posix(): p for p in new.rglob("*") if p.is_file()}
    present = {p.relative_to(old).as_posix() for p in old.rglob("*") if p.is_file()} if old.exists() else set()
    changed, added = set(), set()
    for rel in sorted(present - fresh.keys()):
        (old / rel).unlink()
    for rel, src in fresh.items():
        dest = old / rel
        if rel in present:
            if dest.stat().st_size == src.stat().st_size and dest.read_bytes() == src.read_bytes():
                continue
            changed.add(rel)
        else:
            added.add(rel)
            if dest.is_dir():
                shutil.rmtree(dest)
            dest.parent.mkdir(parents=True, exist_ok=True)
        os.replace(src, dest)
    return changed, added, present - fresh.keys()


class LiveSite:
    """The served site of the dossier at `root`, its work folders in `work` (created if need be)."""

    def __init__(self, root: Path, work: Path, lang: str = "zh") -> None:
        self.root, self.work, self.lang = root, work, lang
        self.site = work / "site"  # what is served: only bytes the guard has read
        self.project, self.built = work / "project", work / "built"
        self.site.mkdir(parents=True, exist_ok=True)
        self._mk: LiveMkDocs | None = None
        self._memo = _Memo()
        self._served: dict[str, str] = {}  # relative path → sha256 of the bytes served there
        self._digests: dict[str, tuple[tuple[int, int, int], str]] = {}  # built file → (stat, sha256)
        self._checked_under = ""  # the guard fingerprint everything served was checked under

    def rebuild(self) -> Outcome:
        result = check(self.root)
        d = result.dossier
        if d is None:
            return Outcome(False, "check", result.diagnostics)
        views = _LiveViews(d, self._memo)
        fresh = self.work / "next"
        shutil.rmtree(fresh, ignore_errors=True)
        render_project(d, fresh, RenderOptions(), views)
        changed, added, removed = sync_tree(fresh, self.project)
        shutil.rmtree(fresh, ignore_errors=True)
        epoch = build_epoch(d)
        if self._mk is None or self._mk.epoch != epoch:
            self._mk = LiveMkDocs(self.project / "mkdocs.yml", self.built, epoch)
        only_pages = not added and not removed and all(r.startswith("docs/") for r in changed)
        messages = self._mk.build(sorted(r[5:] for r in changed) if only_pages else None)
        if messages:
            return Outcome(False, "mkdocs", result.diagnostics, messages)
        from safedossier.archive.versions import worktree_commit

        finish_site(views, self.built, RenderOptions(), worktree_commit(self.root))
        guard = Guard(d)
        return self._publish(guard, result.diagnostics, self._mk.pages_built)

    def _publish(self, guard: Guard, diagnostics: list[Diagnostic], pages: int) -> Outcome:
        """Guard what differs from the served site (everything, under a new fingerprint), then serve it."""
        every = guard.fingerprint() != self._checked_under
        writes, present = [], set()
        for p in sorted(self.built.rglob("*")):
            if p.is_symlink() or not p.is_file():
                continue  # MkDocs writes neither; nothing but files is ever served
            rel = p.relative_to(self.built).as_posix()
            present.add(rel)
            st = p.stat()
            sig = (st.st_size, st.st_mtime_ns, st.st_ino)
            known = self._digests.get(rel)
            if known is not None and known[0] == sig and not every:
                if self._served.get(rel) == known[1]:
                    continue
            data = p.read_bytes()
            digest = hashlib.sha256(data).hexdigest()
            self._digests[rel] = (sig, digest)
            if every or self._served.get(rel) != digest:
                writes.append((rel, data, digest))
        leaks = [lk for rel, data, _ in writes for lk in guard.scan_output(rel, data)]
        if leaks:
            return Outcome(False, "guard", diagnostics, [lk.render(self.lang) for lk in leaks], pages, guard=guard)
        gone = sorted(set(self._served) - present)
        for rel in gone:
            (self.site / rel).unlink(missing_ok=True)
            del self._served[rel]
        touched = list(gone)
        for rel, data, digest in writes:
            if self._served.get(rel) == digest:
                continue  # checked again under a new fingerprint, and the same: leave the file alone
            _put(self.site / rel, data)
            self._served[rel] = digest
            touched.append(rel)
        self._checked_under = guard.fingerprint()
        return Outcome(True, "", diagnostics, [], pages, touched, guard)


def _put(dest: Path, data: bytes) -> None:
    """Replace one served file in a single step: a reader gets the old bytes or the new, never half."""
    if dest.is_dir():
        shutil.rmtree(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(f".{dest.name}.sd-new")
    tmp.write_bytes(data)
    os.replace(tmp, dest)
