"""The integrity manifest: which sources a built version was made from, by SHA-256.

Every built version carries `manifest.json` (and the PDF embeds the same document), so a reviewer can
check that what they read is what was submitted: `dossier verify TARGET [SOURCE]` re-hashes the
sources and reports every mismatch, missing and extra file.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from safedossier import __version__
from safedossier.format.model import Dossier
from safedossier.format.validate import check, evidence_path

MANIFEST = "manifest.json"


def sha256_file(path: Path) -> tuple[str, int]:
    h = hashlib.sha256()
    size = 0
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
            size += len(chunk)
    return h.hexdigest(), size


def source_files(d: Dossier) -> list[str]:
    """The files a build reads: YAML, tables, pages, mkdocs.yml, and the listed evidence files."""
    files = set(d.files)
    ev = d.table("evidence")
    for rel in ev["file"].dropna().astype(str) if "file" in ev else []:
        path = evidence_path(d.root, rel)
        if path is not None and path.is_file():
            files.add(path.relative_to(d.root).as_posix())
    return sorted(files)


def make_manifest(d: Dossier, commit: str = "working tree", version: str = "") -> dict[str, Any]:
    entries = []
    for rel in source_files(d):
        digest, size = sha256_file(d.root / rel)
        entries.append({"path": rel, "sha256": digest, "size": size})
    return {"tool": "safedossier", "tool_version": __version__, "community": d.name, "version": version,
            "commit": commit, "files": entries}


def dumps(manifest: dict[str, Any]) -> str:
    return json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


@dataclass(frozen=True)
class Mismatch:
    kind: str  # changed | missing | extra
    path: str

    def render(self, lang: str = "zh") -> str:
        zh = {"changed": "内容不一致", "missing": "来源中缺少此文件", "extra": "来源中多出此文件（清单中没有）"}
        en = {"changed": "content differs", "missing": "missing from the source",
              "extra": "in the source but not in the manifest"}
        return f"{self.path}：{zh[self.kind]}" if lang == "zh" else f"{self.path}: {en[self.kind]}"


def read_manifest(target: Path) -> dict[str, Any]:
    """The manifest of a built version directory, or the one embedded in a PDF."""
    if target.is_dir():
        return json.loads((target / MANIFEST).read_text(encoding="utf-8"))
    from pypdf import PdfReader

    reader = PdfReader(str(target))
    for name, contents in reader.attachments.items():
        if name == MANIFEST:
            return json.loads(contents[0].decode("utf-8"))
    raise ValueError("no manifest.json embedded in this PDF")


def verify(manifest: dict[str, Any], source: Path) -> list[Mismatch]:
    """Compare a manifest with a dossier directory: every listed file must match, nothing extra."""
    problems: list[Mismatch] = []
    listed = {e["path"]: e for e in manifest.get("files", [])}
    for rel, entry in sorted(listed.items()):
        path = source / rel
        if not path.is_file():
            problems.append(Mismatch("missing", rel))
        elif sha256_file(path) != (entry["sha256"], entry["size"]):
            problems.append(Mismatch("changed", rel))
    result = check(source)
    if result.dossier is not None:
        current = set(source_files(result.dossier))
    else:  # a source that no longer checks: compare the plain file lists
        current = {p.relative_to(source).as_posix() for d in ("dossier", "data", "evidence")
                   for p in (source / d).rglob("*") if p.is_file()}
    problems += [Mismatch("extra", rel) for rel in sorted(current - set(listed))]
    return problems


def verify_target(target: Path, source: str, root_for_refs: Path) -> tuple[dict[str, Any], list[Mismatch]]:
    """`source` is a directory, or a git ref of the repository holding `root_for_refs`."""
    manifest = read_manifest(target)
    src = Path(source)
    if src.is_dir():
        return manifest, verify(manifest, src)
    from safedossier.archive.versions import snapshot

    with tempfile.TemporaryDirectory(prefix="dossier-verify-") as tmp:
        snap = snapshot(root_for_refs, source, Path(tmp) / "src")
        return manifest, verify(manifest, snap)
