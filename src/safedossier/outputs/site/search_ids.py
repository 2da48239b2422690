"""Record ids (H-2025-007, YL-2024-02 …) as search entries of their own.

Material's search (lunr) cuts a query at hyphens whatever `search.separator` says (its query lexer
keeps lunr's own separator), so "H-2025-007" is searched as "h* 2025* 007*": a 2025 table full of
"h" and "2025" outranks the register that lists the hazard. One entry per record, titled by its id
(titles weigh 1000× the text) and pointing at the record's row in its register, puts the register
first. The entries carry only the id and the public title column the register already shows.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from pathlib import Path

from safedossier.format.model import Dossier
from safedossier.format.schema import ELEMENTS, TABLE_BY_NAME
from safedossier.outputs.site.mkrun import segment

#: The public column that names a record of each register (what a reviewer recognises it by).
RECORD_TITLES = {"meetings": "title", "activities": "title", "hazards": "description", "trainings": "title",
                 "drills": "scenario", "inspections": "target", "actions": "issue", "accidents": "kind"}


def row_anchor(record_id: object) -> str:
    """The HTML id of a record's row in its register."""
    return "rec-" + re.sub(r"[^a-z0-9-]", "-", str(record_id).lower())


def _page(number: int, offline: bool) -> str:
    stem = f"elements/{ELEMENTS[number - 1].filename[:-4]}"
    return f"{stem}.html" if offline else f"{stem}/"


def _records(d: Dossier, offline: bool) -> Iterator[tuple[str, str, str]]:
    """(page, location, title text) of every register record with an id."""
    for name, title_col in RECORD_TITLES.items():
        df = d.tables.get(name)
        page = _page(TABLE_BY_NAME[name].element, offline)
        if df is None or df.empty or "id" not in df.columns:
            continue
        for rec in df.to_dict("records"):
            rid = rec.get("id")
            if rid is None or not str(rid).strip():
                continue
            title = rec.get(title_col)
            title = "" if title is None or (isinstance(title, float) and title != title) else str(title)
            # Material shows titles as HTML and segments Chinese for its index: do both as it does
            yield page, f"{page}#{row_anchor(rid)}", html.escape(f"{rid} {title}".strip(), quote=False)


def record_titles(d: Dossier, offline: bool) -> list[str]:
    """The titles `add_record_entries` segments: the build's MkDocs child, jieba loaded, cuts them."""
    return list(dict.fromkeys(text for _, _, text in _records(d, offline)))


def add_record_entries(d: Dossier, site_dir: Path, offline: bool, segmented: dict[str, str] | None = None) -> None:
    """Append one entry per register record to the built search index (and its offline copy);
    `segmented`: titles already segmented (by `mkrun.segment`, in the MkDocs child)."""
    path = site_dir / "search" / "search_index.json"
    if not path.is_file():
        return
    index = json.loads(path.read_text(encoding="utf-8"))
    pages = {doc["location"] for doc in index.get("docs", [])}
    seen = {doc["location"] for doc in index.get("docs", [])}
    segmented = segmented or {}
    for page, location, text in _records(d, offline):
        if page not in pages or location in seen:
            continue
        seen.add(location)
        title = segmented[text] if text in segmented else segment(text)
        index["docs"].append({"location": location, "title": title, "text": ""})
    data = json.dumps(index, ensure_ascii=False, separators=(",", ":"))
    path.write_text(data, encoding="utf-8")
    js = path.with_name("search_index.js")
    if js.is_file():  # Material's offline plugin inlined the index before: inline it again
        js.write_text(f"var __index = {data}", encoding="utf-8")
