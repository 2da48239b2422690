"""One search across every community of the portal, with no server and no request off the site.

Each community's site already has Material's search index (sections with title and text, Chinese
words segmented by jieba with zero-width spaces). The portal turns them into an index of its own that
a browser can search from a USB stick too — every part is a plain script, loaded by a `<script>` tag
(`fetch` does not work from file://), and only the parts a query needs are loaded:

- `search/meta.js` — how many term shards there are, and which entries each community's chunk holds;
- `search/t<N>.js` — term shards: every two-character sequence (bigram) of the indexed text → the
  entries holding it (delta-encoded ids), a bigram in shard `hash(bigram) % shards`;
- `search/e<K>.js` — community K's entries (community, link, title, the first `TEXT_CHARS`
  characters of the section), loaded only when one of them is a candidate.

A query is the intersection of its bigrams' entries, then checked against the entry's text in the
browser (bigrams are necessary, not sufficient), so a hit always contains the query as typed. At 50
generated communities the old single `search.js` was 6 MB, loaded with the page; now a query loads
two to five shards of tens of KB and the chunks of the communities it hits.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from safedossier.portal.rows import Row

TEXT_CHARS = 300
FOLDER = "search"
_PAIRS_PER_SHARD = 20_000  # ~100 KB of ids a shard, whatever the number of communities


def write_index(portal: Path, rows: list[Row]) -> int:
    """Write `search/` for the communities in `rows`; returns the number of entries."""
    chunks: list[list[list[str]]] = [_entries(portal, r) for r in rows]
    postings: dict[str, list[int]] = {}
    next_id = 0
    for entries in chunks:
        for _name, _link, t, x in entries:
            for gram in _bigrams(f"{t} {x}"):
                postings.setdefault(gram, []).append(next_id)
            next_id += 1
    pairs = sum(len(ids) for ids in postings.values())
    shards = 1
    while shards * _PAIRS_PER_SHARD < pairs and shards < 4096:
        shards *= 2
    by_shard: list[dict[str, list[int]]] = [{} for _ in range(shards)]
    for gram, ids in postings.items():
        by_shard[shard_of(gram, shards)][gram] = _deltas(ids)
    out = portal / FOLDER
    out.mkdir(parents=True, exist_ok=True)
    for n, terms in enumerate(by_shard):
        _script(out / f"t{n}.js", f"PORTAL_SEARCH.terms({n},", terms)
    first = 0
    table = []
    for k, entries in enumerate(chunks):
        _script(out / f"e{k}.js", f"PORTAL_SEARCH.chunk({k},", entries)
        table.append([first, len(entries)])
        first += len(entries)
    _script(out / "meta.js", "PORTAL_SEARCH.meta(", {"shards": shards, "chunks": table})
    return next_id


def shard_of(gram: str, shards: int) -> int:
    """The shard of a bigram; the browser computes the same from UTF-16 code units (BMP only)."""
    a, b = (ord(ch) for ch in gram)
    return (a * 31 + b) % shards


def _bigrams(text: str) -> set[str]:
    low = text.lower()
    # characters outside the BMP are two code units in JavaScript: leave such bigrams out on both sides
    return {low[i:i + 2] for i in range(len(low) - 1) if max(low[i:i + 2]) <= "\uffff"}


def _deltas(ids: list[int]) -> list[int]:
    return [ids[0]] + [b - a for a, b in zip(ids, ids[1:], strict=False)]


def _script(path: Path, call: str, payload: Any) -> None:
    data = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    path.write_text(f"{call}{data});\n", encoding="utf-8")


def _entries(portal: Path, r: Row) -> list[list[str]]:
    """One community's sections: [community, link, title, text]."""
    base = f"c/{r.slug}/"
    version = r.summary.get("portal_version_folder")
    if version:
        base += f"{version}/"
    try:
        index = portal / base / "search" / "search_index.json"
        docs = json.loads(index.read_text(encoding="utf-8")).get("docs", [])
    except (OSError, ValueError, AttributeError):
        return []  # a site without search still has its row in the table
    out: list[list[str]] = []
    seen: set[tuple[str, str]] = set()
    for doc in docs if isinstance(docs, list) else []:
        if not isinstance(doc, dict):
            continue
        title, text = _clean(doc.get("title")), _clean(doc.get("text"))[:TEXT_CHARS]
        location = str(doc.get("location") or "")
        if not title or location.startswith(("/", "http:", "https:", "javascript:")) or ".." in location:
            continue
        if (title, text) in seen:
            continue  # the same section under two anchors finds nothing new
        seen.add((title, text))
        out.append([r.name, base + location, title, text])
    return out


def _clean(value: Any) -> str:
    return " ".join(str(value or "").replace("\u200b", "").split())
