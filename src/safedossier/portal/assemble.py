"""`dossier portal build`: assemble what the communities published into one portal.

The assemble step reads only built sites and their summaries, wherever they were built (here, in
worker processes, or by CI jobs whose artefacts are handed over as folders). The portal is a plain
folder of our own HTML (no MkDocs build, no request leaving the site): a sortable, filterable table
of all communities, a page per region, a comparison chart, and each community's site or archive
under `c/<community>/`. It is written beside the target and exchanged in one step, like a site.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from safedossier.archive.versions import CACHE_FILE
from safedossier.portal.communities import Community, default_jobs, prepare
from safedossier.portal.rows import Row, region_key, rows_of
from safedossier.portal.search import write_index
from safedossier.trust import extract, privacy
from safedossier.trust.guard import package_files
from safedossier.trust.targets import STAMP, Claim, link_tree

PORTAL_JSON = "portal.json"


@dataclass
class PortalResult:
    ok: bool
    communities: list[Community] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)
    published: bool = False  # this run's portal is in place

    @property
    def failed(self) -> list[Community]:
        return [c for c in self.communities if c.problems]


def build_portal(sources: list[Path], output: Path, jobs: int | None = None, lang: str = "zh") -> PortalResult:
    """Build what needs building, then publish every community that has a site; a failing one is
    reported (`ok` False) and the others are still published."""
    claim = Claim(output, "portal")
    cache = claim.path.parent / f".{claim.path.name}.communities"
    try:
        communities = prepare(sources, cache, jobs or default_jobs())
        good = [c for c in communities if not c.problems and c.built is not None]
        result = PortalResult(not any(c.problems for c in communities), communities)
        if not good:
            result.ok = False
            result.messages.append("没有任何社区可以发布，未写入门户 / no community could be published, nothing written")
            return result
        work = claim.workdir()
        try:
            new = work / "portal"
            (new / "c").mkdir(parents=True)
            for c in good:
                link_tree(c.built, new / "c" / c.slug, skip=(STAMP, CACHE_FILE))  # type: ignore[arg-type]
            rows = rows_of(good)
            _write_pages(new, rows, lang)
            write_index(new, rows)
            # communities built here passed the full guard with their own injury tables; artefacts
            # from elsewhere and the portal's own pages are read here
            built_here = {f"c/{c.slug}" for c in good if c.kind in ("dossier", "repo")}
            leaks = scan_patterns(new, built_here)
            if leaks:
                result.ok = False
                result.messages += leaks
                return result
            claim.swap(new)
            result.published = True
        finally:
            shutil.rmtree(work, ignore_errors=True)
        return result
    finally:
        claim.release()


def _write_pages(root: Path, rows: list[Row], lang: str) -> None:
    env = Environment(loader=PackageLoader("safedossier", "templates/portal"), autoescape=select_autoescape(
        default=True, default_for_string=True), trim_blocks=True, lstrip_blocks=True)
    regions: dict[str, list[Row]] = {}
    for r in rows:
        regions.setdefault(region_key(r), []).append(r)
    region_pages = {name: f"regions/{i + 1}.html" for i, name in enumerate(sorted(regions))}
    top = max((r.rate for r in rows if r.rate is not None), default=0.0) or 1.0
    ctx = {"lang": lang, "regions": region_pages, "top_rate": top}
    (root / "index.html").write_text(env.get_template("index.html.j2").render(
        rows=rows, up="", title_region="", **ctx), encoding="utf-8")
    (root / "regions").mkdir()
    for name, page in region_pages.items():
        (root / page).write_text(env.get_template("index.html.j2").render(
            rows=regions[name], up="../", title_region=name, **ctx), encoding="utf-8")
    data = [{"community": r.slug, "summary": r.summary} for r in rows]
    (root / PORTAL_JSON).write_text(json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
                                    encoding="utf-8")


def scan_patterns(root: Path, skip: frozenset[str] | set[str] = frozenset()) -> list[str]:
    """ID-card and mobile numbers in any file of the portal (the communities' own builds already ran
    the full guard with their injury tables; artefacts from elsewhere are checked here at least by
    pattern). Files byte-identical to the theme's own are skipped."""
    import hashlib

    known = package_files()
    out: list[str] = []
    for p in sorted(root.rglob("*")):
        rel = p.relative_to(root).as_posix()
        if any(rel == s or rel.startswith(s + "/") for s in skip):
            continue
        hits = privacy.find_personal_numbers(extract.decoded(rel))
        if p.is_file() and not p.is_symlink():
            data = p.read_bytes()
            if hashlib.sha256(data).digest() not in known:
                for _, text, numbers in extract.texts(data):
                    if numbers:
                        hits += privacy.find_personal_numbers(text)
        for kind, value in hits[:1]:
            what = "身份证号码 / an ID-card number" if kind == "id_number" else "手机号码 / a mobile number"
            out.append(f"错误 {rel}：门户中含有个人信息（{what} {value[:3]}…）/ error {rel}: personal data in the portal")
    return out


def summary_table(result: PortalResult) -> list[dict[str, Any]]:
    """What the command prints: one line per community."""
    return [{"community": c.slug, "kind": c.kind, "ok": not c.problems, "reused": c.reused,
             "problems": c.problems} for c in result.communities]
