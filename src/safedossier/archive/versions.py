"""The versioned archive: every tagged submission plus the working tree, side by side.

Versions are git tags matching a pattern (`v*` by default; `v2023` is shown as `2023`). Each is
read from git objects into a temporary directory (`git archive`), never by checking anything out,
so the office's working tree, index and branch are untouched. Each version becomes its own MkDocs
site under `site/<version>/`; `site/versions.json` in mike's format makes Material's version
selector appear, and `site/index.html` redirects to the latest tag. A version's output is reused
when its git tree, the previous version's tree and the tool version are unchanged.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from safedossier import __version__
from safedossier.archive.snapshot import GitError, _prefix, git, snapshot
from safedossier.archive.tagnames import version_names
from safedossier.format.diagnostics import Diagnostic
from safedossier.format.model import Dossier
from safedossier.format.validate import check
from safedossier.outputs.pdf.typeset import Job, compile_in_child, release_free_memory
from safedossier.outputs.site.build import render_site
from safedossier.progress import Progress
from safedossier.trust.targets import Claim, link_tree

if TYPE_CHECKING:
    from safedossier.outputs.site.mkchild import MkDocsChild

CACHE_FILE = ".dossier-cache.json"
DRAFT = "draft"
SOURCE_DIRS = ("dossier", "data", "evidence", "overrides")


@dataclass
class Version:
    name: str  # directory name: "2024", or "draft"
    title: str  # shown in the selector: "2024", "2025（草稿）"
    ref: str | None  # the tag; None for the working tree
    tree: str  # git tree id of the dossier (or a content hash of the working tree)
    commit: str = ""
    date: str = ""  # commit date, ISO
    problem: str = ""  # why this tag cannot be built (zh / en); "" when it can


def archive_settings(root: Path) -> dict[str, Any]:
    """`extra.dossier.versions` of the dossier's mkdocs.yml: tag pattern and draft switch."""
    from safedossier.format.diagnostics import Report
    from safedossier.format.load import read_site_config

    cfg = read_site_config(root / "mkdocs.yml", "mkdocs.yml", Report()) if (root / "mkdocs.yml").is_file() else {}
    dossier = ((cfg.get("extra") or {}).get("dossier") or {}) if isinstance(cfg, dict) else {}
    versions = dossier.get("versions") if isinstance(dossier.get("versions"), dict) else {}
    return {"pattern": str(versions.get("tags", "v*")), "draft": bool(versions.get("draft", True))}


def list_versions(root: Path, pattern: str = "v*", draft: bool = True,
                  unusable: bool = False) -> list[Version]:
    """Tagged versions, newest first (by commit date, then name), plus the working tree on top.

    A tag that names no commit, or a commit without the dossier's folder, cannot be built: it is
    left out, or with `unusable` listed (oldest) with its `problem`, so an archive can say so."""
    prefix = _prefix(root)
    fmt = "%(refname)%00%(contents:subject)%00%(*objectname)"
    out = git(root, "for-each-ref", f"refs/tags/{pattern}", f"--format={fmt}")
    rows = [(line.split("\x00") + [""] * 3)[:3] for line in out.splitlines() if line]
    rows = [(ref.removeprefix("refs/tags/"), subject, peeled) for ref, subject, peeled in rows]
    names = version_names(tag for tag, _, _ in rows)
    versions = []
    for tag, subject, peeled in rows:
        name = names[tag]
        title = subject.strip() if peeled and subject.strip() else (name if "~" not in name else tag)
        v = Version(name, title, tag, "")
        try:
            v.commit = git(root, "rev-parse", "--verify", "--quiet", f"refs/tags/{tag}^{{commit}}").strip()
        except GitError:
            v.problem = f"标签 {tag} 不指向提交 / tag {tag} does not point at a commit"
        else:
            v.date = git(root, "log", "-1", "--format=%cI", v.commit).strip()
            try:
                v.tree = git(root, "rev-parse", "--verify", "--quiet", f"{v.commit}:{prefix}").strip()
            except GitError:
                where = prefix.rstrip("/") or "."
                v.problem = (f"标签 {tag} 的提交中没有档案目录 {where} / "
                             f"the commit of tag {tag} has no dossier folder {where}")
        if not v.problem or unusable:
            versions.append(v)
    versions.sort(key=lambda v: (v.date, v.name), reverse=True)
    if draft:
        versions.insert(0, Version(DRAFT, "", None, worktree_hash(root)))
    return versions


def worktree_commit(root: Path) -> str:
    """HEAD's commit when the dossier's files are exactly as committed, else "working tree"."""
    try:
        dirty = git(root, "status", "--porcelain", "--", "mkdocs.yml", *SOURCE_DIRS).strip()
        return "working tree" if dirty else git(root, "rev-parse", "HEAD").strip()
    except (GitError, OSError):
        return "working tree"


def worktree_hash(root: Path) -> str:
    """Content hash of the dossier's own files in the working tree (what a draft build reads)."""
    h = hashlib.sha256()
    paths = [root / "mkdocs.yml"] + [p for d in SOURCE_DIRS for p in sorted((root / d).rglob("*"))]
    for p in paths:
        if p.is_file() and not p.is_symlink():
            h.update(p.relative_to(root).as_posix().encode() + b"\0")
            h.update(hashlib.sha256(p.read_bytes()).digest())
        elif p.is_symlink():
            h.update(p.relative_to(root).as_posix().encode() + b"\0link\0" + os.readlink(p).encode())
    return h.hexdigest()


@dataclass
class Source:
    """One version to publish on its own (`dossier pdf`): where its files are, and its provenance."""

    root: Path
    commit: str  # a commit id, or "working tree"
    title: str  # "" for the working tree (named after its cycle once checked)
    date: dt.date | None  # commit date: the snapshot date of a PDF
    previous: Version | None  # the tagged version before it, for the change report


def open_version(root: Path, ref: str | None, tmp: Path) -> Source:
    """The working tree (`ref` None) or a git ref, with the tag before it; raises GitError."""
    settings = archive_settings(root)
    try:
        tags = list_versions(root, settings["pattern"], draft=False)
    except GitError:
        tags = []  # a plain folder: no history, no change report
    if ref is None:
        commit = worktree_commit(root)
        src, title = root, ""
    else:
        commit = git(root, "rev-parse", f"{ref}^{{commit}}").strip()
        src = snapshot(root, ref, tmp / "this")
        this = next((v for v in tags if v.commit == commit), None)
        title = this.title if this else ref
    date = None
    if commit != "working tree":
        date = dt.date.fromisoformat(git(root, "log", "-1", "--format=%cI", commit).strip()[:10])
    this_date = date.isoformat() if date else "9999"
    older = [v for v in tags if v.commit != commit and v.date[:10] <= this_date]
    return Source(src, commit, title, date, older[0] if older else None)


# --- the archive build -----------------------------------------------------------------------

@dataclass
class VersionResult:
    version: Version
    built: bool = False  # False: reused from the cache
    skipped: bool = False  # not in the archive: `messages` or the diagnostics' errors say why
    pdf_failed: bool = False  # in the archive, but its PDF could not be made
    diagnostics: list[Diagnostic] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)


@dataclass
class ArchiveResult:
    ok: bool
    versions: list[VersionResult] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)

    @property
    def built(self) -> list[str]:
        return [v.version.name for v in self.versions if v.built]

    @property
    def reused(self) -> list[str]:
        return [v.version.name for v in self.versions if not v.built and not v.skipped]

    @property
    def failed(self) -> list[VersionResult]:
        """Versions left out, or published without their PDF: an archive with any is incomplete."""
        return [v for v in self.versions if v.skipped or v.pdf_failed]


def _cache_key(v: Version, previous: Version | None, options: dict[str, Any]) -> str:
    payload = json.dumps([__version__, v.ref, v.tree, previous.tree if previous else None, v.title, options],
                         sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()



def build_archive(root: Path, output: Path, *, draft: bool | None = None, pattern: str | None = None,
                  pdf: bool = False, lang: str = "", progress: Progress | None = None,
                  keep_going: bool = False, offline: bool = False,
                  mkdocs: MkDocsChild | None = None) -> ArchiveResult:
    """Build every version into `output/<version>/`, reusing unchanged ones; swap in atomically.

    A version that cannot be built stops the build and nothing is swapped in (the previous archive
    stays); with `keep_going` the archive is published without it and `failed` lists it. `offline`:
    every version readable from disk (see `outputs/site/offline.py`). `mkdocs`: a persistent MkDocs
    child (`mkchild.py`) that draws each version's charts and builds its site while this process
    renders and privacy-checks; closed here once the last site is built."""
    from safedossier.archive.changes_render import render_markdown
    from safedossier.archive.changes_summary import summary_paragraph
    from safedossier.archive.diff import diff_dossiers
    from safedossier.archive.diff_tables import EvidenceUnreadable
    from safedossier.archive.version_parts import (
        prepare_pdf,
        version_options,
        write_redirect,
        write_versions_json,
    )

    take = mkdocs.snapshot if mkdocs is not None else snapshot  # git started from the small child
    settings = archive_settings(root)
    pattern = pattern or settings["pattern"]
    draft = settings["draft"] if draft is None else draft
    try:
        versions = list_versions(root, pattern, draft, unusable=True)
    except GitError as exc:
        return ArchiveResult(False, messages=[f"不是 git 仓库或无法读取标签 / not a git repository: {exc}"])
    if not versions:
        return ArchiveResult(False, messages=[f"没有匹配 {pattern} 的标签 / no tags match {pattern}"])
    claim = Claim(output, "archive", root)  # may this be replaced? then lock it, clean stale temporaries
    output = claim.path
    cache = _read_cache(output)
    work = claim.workdir()
    result = ArchiveResult(True)
    if not any(v.ref for v in versions):  # said, so an office does not wonder where its years went
        result.messages.append(f"提示：没有匹配 {pattern} 的 git 标签，归档只包含工作区草稿（用 git tag -a v2025 标记提交稿）"
                               f" / note: no git tags match {pattern}; the archive holds the working-tree draft only")
    try:
        new_site = work / "site"
        new_site.mkdir()
        kept: dict[str, dict[str, str]] = {}
        valid: list[Version] = []
        latest = next((v for v in versions if v.ref is not None), None)  # newest tag
        prev_d: Dossier | None = None  # only the version before is kept in memory
        # ...and its snapshot, until the next version has been compared with it: the diff reads
        # (hashes) the evidence files of both versions.
        prev_dir: Path | None = None
        pending_pdfs: list[tuple[Job, VersionResult]] = []  # compiled once every site is built
        for v in reversed(versions):  # oldest first: each version is compared with the one before
            if result.failed and not keep_going:
                break
            if progress is not None:
                progress.step(v.name)
            vr = VersionResult(v)
            result.versions.append(vr)
            if v.problem:
                vr.skipped, vr.messages = True, [v.problem]
                continue
            previous = valid[-1] if valid else None
            outdated = v.ref is not None and v is not latest
            key = _cache_key(v, previous, {"pdf": pdf, "lang": lang, "outdated": outdated,
                                            "offline": offline})
            entry = cache.get(v.name, {})
            if entry.get("key") == key and (output / v.name).is_dir():
                # unchanged: reuse without reading the snapshot at all
                v.title = entry.get("title", v.title)
                link_tree(output / v.name, new_site / v.name)
                kept[v.name] = entry
                valid.append(v)
                _drop(prev_dir)
                prev_d = prev_dir = None
                continue
            if mkdocs is not None:
                mkdocs.warm()  # a version is to be built: MkDocs, pyplot and jieba loaded meanwhile
            this_dir = None if v.ref is None else work / "src" / v.name
            try:
                src = take(root, v.commit, this_dir) if this_dir else root
            except GitError as exc:
                vr.skipped, vr.messages = True, [f"无法读取标签 {v.ref} / cannot read tag {v.ref}: {exc}"]
                continue
            checked = check(src)
            vr.diagnostics = checked.diagnostics
            if checked.dossier is None:
                vr.skipped = True
                _drop(this_dir)
                continue
            d = checked.dossier
            if v.ref is None:
                v.title = f"{d.cycle[1]}（草稿）" if (lang or "zh") == "zh" else f"{d.cycle[1]} (draft)"
            if previous is not None and prev_d is None:  # the version before was reused: read it now
                prev_dir = None if previous.ref is None else work / "src" / previous.name
                prev_d = check(take(root, previous.commit, prev_dir) if prev_dir else root).dossier
            try:
                opts = version_options(v, d, prev_d, previous, pdf, lang,
                                       diff_dossiers, render_markdown, summary_paragraph)
            except EvidenceUnreadable as exc:  # never an empty digest in a change report
                vr.skipped, vr.messages = True, [str(exc)]
                _drop(this_dir)
                continue
            opts.extra_config["extra"]["dossier_outdated"] = outdated
            opts.offline = offline
            msgs = render_site(d, new_site / v.name, work / "project" / v.name, opts,
                               commit=v.commit or "working tree", previous=prev_d, source_date=v.date[:10],
                               mkdocs=mkdocs)
            shutil.rmtree(work / "project" / v.name, ignore_errors=True)
            if msgs:
                vr.messages, vr.skipped = msgs, True
                _drop(this_dir)
                continue
            if pdf:
                job = prepare_pdf(d, new_site / v.name / opts.pdf_name, v, prev_d, opts, vr, work / "pdf" / v.name)
                if job is not None:
                    pending_pdfs.append((job, vr))
            vr.built = True
            valid.append(v)
            kept[v.name] = {"key": key, "title": v.title}
            _drop(prev_dir)
            prev_d, prev_dir = d, this_dir
        if mkdocs is not None:
            mkdocs.close()  # its memory back before the PDFs are compiled
        if result.failed and not keep_going:
            return _not_written(result)
        if pending_pdfs:
            # No dossier is needed any more: give its memory back, then one process per PDF.
            d = prev_d = checked = None  # type: ignore[assignment]
            release_free_memory()
            if progress is not None:
                progress.total += len(pending_pdfs)
            for job, vr in pending_pdfs:
                if progress is not None:
                    progress.step(f"PDF {vr.version.name}")
                problems = compile_in_child(job)
                if problems:
                    vr.messages += problems
                    vr.pdf_failed = True
                    kept.pop(vr.version.name, None)  # try again next time
                    if not keep_going:
                        return _not_written(result)
        shown = [v for v in versions if v in valid]
        if not shown:
            result.ok = False
            result.messages.append("没有任何版本能够生成，未写入归档 / no version could be built, nothing written")
            result.versions.reverse()
            return result
        write_versions_json(new_site, shown)
        write_redirect(new_site, shown, offline)
        (new_site / CACHE_FILE).write_text(json.dumps(kept, ensure_ascii=False, indent=1, sort_keys=True),
                                           encoding="utf-8")
        claim.swap(new_site)
        result.versions.reverse()
        return result
    finally:
        shutil.rmtree(work, ignore_errors=True)
        claim.release()


def _drop(folder: Path | None) -> None:
    """Remove a version's snapshot (never the working tree: that one has no folder of its own)."""
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)


def _not_written(result: ArchiveResult) -> ArchiveResult:
    names = "、".join(v.name if v.ref == v.name else f"{v.name}（{v.ref or '工作区 / working tree'}）"
                     for v in (vr.version for vr in result.failed))
    result.ok = False
    result.messages.append(f"归档未生成：版本 {names} 无法生成，原有归档保持不变（加 --keep-going 则只发布能生成的版本）"
                           f" / archive not written: version {names} could not be built, the previous archive"
                           " is unchanged (with --keep-going the versions that build are published)")
    result.versions.reverse()
    return result


def _read_cache(output: Path) -> dict[str, dict[str, str]]:
    """version → {key, title} of the last archive build in `output`."""
    try:
        data = json.loads((output / CACHE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {str(k): {"key": str(v.get("key", "")), "title": str(v.get("title", ""))}
            for k, v in data.items() if isinstance(v, dict)}
