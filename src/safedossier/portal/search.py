"""One search across every community of the portal, with no server and no request off the site.

Each community's site already has Material's search index (sections with title and text, Chinese
words segmented by jieba with zero-width spaces). The portal joins them into `search.js`, loaded by a
plain `<script>` (so it works from a USB stick too) and searched by substring in the browser — Chinese
needs no word boundaries for that. Text is cut to the first `TEXT_CHARS` characters of each section:
about 30 KB per community, 9 MB for 300; beyond that a chunked index (Pagefind) would be the next step.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from safedossier.portal.rows import Row

TEXT_CHARS = 300
INDEX_JS = "search.js"


def write_index(portal: Path, rows: list[Row]) -> int:
    """Write `search.js` for the communities in `rows`; returns the number of entries."""
    entries: list[dict[str, Any]] = []
    for r in rows:
        base = f"c/{r.slug}/"
        version = r.summary.get("portal_version_folder")
        if version:
            base += f"{version}/"
        index = portal / base / "search" / "search_index.json"
        try:
            docs = json.loads(index.read_text(encoding="utf-8")).get("docs", [])
        except (OSError, ValueError, AttributeError):
            continue  # a site without search still has its row in the table
        for doc in docs if isinstance(docs, list) else []:
            if not isinstance(doc, dict):
                continue
            title, text = _clean(doc.get("title")), _clean(doc.get("text"))
            location = str(doc.get("location") or "")
            if not title or location.startswith(("/", "http:", "https:", "javascript:")) or ".." in location:
                continue
            entries.append({"c": r.name, "u": base + location, "t": title, "x": text[:TEXT_CHARS]})
    payload = json.dumps(entries, ensure_ascii=False, separators=(",", ":"))
    (portal / INDEX_JS).write_text(f"window.PORTAL_INDEX = {payload};\n", encoding="utf-8")
    return len(entries)


def _clean(value: Any) -> str:
    return " ".join(str(value or "").replace("\u200b", "").split())
