"""The communities of a portal: what each source is, and building the ones that need it, in parallel.

A source is a dossier folder (built as one site), a git repository (built as an archive of its
tags), or an already-built site or archive (an artefact another machine or CI job made: it carries
`summary.json`, or `versions.json` with a summary per version). Builds go to a cache folder beside
the portal, one folder per community, so a community whose sources did not change costs a hash: a
dossier folder is keyed by the content of its files, an archive reuses its versions itself.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import traceback
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from safedossier import __version__
from safedossier.archive.summary import SUMMARY, read_summary

KEY_FILE = ".portal-key"


@dataclass
class Community:
    slug: str  # its folder in the portal
    kind: str  # dossier | repo | site | archive
    source: Path
    built: Path | None = None  # the site or archive to publish
    summary: dict[str, Any] = field(default_factory=dict)  # of the latest version
    problems: list[str] = field(default_factory=list)
    reused: bool = False


def classify(source: Path) -> str:
    if (source / SUMMARY).is_file():
        return "site"
    if (source / "versions.json").is_file():
        return "archive"
    if (source / ".git").exists() and (source / "dossier").is_dir():
        return "repo"
    return "dossier"


def slugs(sources: list[Path]) -> list[str]:
    """A folder name per source, from its own name, made safe and unique."""
    out: list[str] = []
    for s in sources:
        base = re.sub(r"[^\w.-]+", "-", s.resolve().name).strip(".-") or "community"
        name, n = base, 2
        while name.lower() in {o.lower() for o in out}:
            name, n = f"{base}-{n}", n + 1
        out.append(name)
    return out


def prepare(sources: list[Path], cache: Path, jobs: int) -> list[Community]:
    """Each source as a Community with its built output and latest summary; builds run in `jobs`
    processes, and one failing community never stops the others."""
    communities = [Community(slug, classify(src), src) for slug, src in zip(slugs(sources), sources, strict=True)]
    todo = [c for c in communities if c.kind in ("dossier", "repo")]
    for c in communities:
        if c.kind in ("site", "archive"):
            c.built = c.source
    if todo:
        cache.mkdir(parents=True, exist_ok=True)
        args = [(c.kind, str(c.source), str(cache / c.slug)) for c in todo]
        if jobs > 1 and len(todo) > 1:
            with ProcessPoolExecutor(max_workers=jobs) as pool:
                results = list(pool.map(_build_one, args))
        else:
            results = [_build_one(a) for a in args]
        for c, (ok, reused, problems) in zip(todo, results, strict=True):
            c.problems, c.reused = problems, reused
            c.built = cache / c.slug if ok else None
    for c in communities:
        if c.built is not None and not c.problems:
            try:
                c.summary = latest_summary(c.built)
            except ValueError as exc:
                c.problems.append(str(exc))
                c.built = None
    return communities


def latest_summary(built: Path) -> dict[str, Any]:
    """The summary of a site, or of an archive's latest version (mike's `latest` alias)."""
    if (built / SUMMARY).is_file():
        return read_summary(built)
    try:
        versions = json.loads((built / "versions.json").read_text(encoding="utf-8"))
        entry = next((v for v in versions if "latest" in v.get("aliases", [])), versions[0])
        name = str(entry["version"])
    except (OSError, ValueError, IndexError, KeyError, TypeError, AttributeError) as exc:
        raise ValueError(f"{built}: 没有可读的 versions.json / no readable versions.json ({exc})") from exc
    if "/" in name or name.startswith("."):
        raise ValueError(f"{built}/versions.json: 版本名不安全 / unsafe version name {name!r}")
    summary = read_summary(built / name)
    summary["portal_version_folder"] = name
    return summary


def _build_one(arg: tuple[str, str, str]) -> tuple[bool, bool, list[str]]:
    """(ok, reused, problems) for one community; runs in a worker process, never raises."""
    kind, source, dest = arg
    src, out = Path(source), Path(dest)
    try:
        if kind == "dossier":
            return _build_site(src, out)
        return _build_archive(src, out)
    except Exception as exc:  # a worker must report, not die: the other communities go on
        return False, False, [f"{type(exc).__name__}: {exc}", *traceback.format_exc().splitlines()[-3:]]


def _build_site(src: Path, out: Path) -> tuple[bool, bool, list[str]]:
    from safedossier.archive.versions import worktree_hash
    from safedossier.outputs.site.build import build

    key = f"{__version__} {worktree_hash(src)}"
    if (out / SUMMARY).is_file() and _key(out) == key:
        return True, True, []
    res = build(src, out)
    if not res.ok:
        msgs = [d.render("zh") for d in res.diagnostics if d.severity == "error"][:20] + res.messages[:20]
        return False, False, msgs or ["构建失败 / build failed"]
    (out.parent / f".{out.name}{KEY_FILE}").write_text(key, encoding="utf-8")
    return True, False, []


def _build_archive(src: Path, out: Path) -> tuple[bool, bool, list[str]]:
    from safedossier.archive.versions import build_archive, git, worktree_hash

    # the tags (with the objects they name) and the working tree decide everything the archive shows:
    # unchanged, it is not even listed again (a full archive check costs git calls per tag)
    tags = git(src, "for-each-ref", "refs/tags", "--format=%(refname)%00%(objectname)%00%(*objectname)")
    key = f"{__version__} {hashlib.sha256(tags.encode()).hexdigest()} {worktree_hash(src)}"
    if (out / "versions.json").is_file() and _key(out) == key:
        return True, True, []
    res = build_archive(src, out)
    if not res.ok:
        msgs = [m for vr in res.versions for m in vr.messages][:20] + res.messages[:20]
        return False, False, msgs or ["归档失败 / archive failed"]
    (out.parent / f".{out.name}{KEY_FILE}").write_text(key, encoding="utf-8")
    return True, not res.built, []


def _key(out: Path) -> str:
    try:
        return (out.parent / f".{out.name}{KEY_FILE}").read_text(encoding="utf-8")
    except OSError:
        return ""


def default_jobs() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)
