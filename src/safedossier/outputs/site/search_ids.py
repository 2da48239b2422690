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
from pathlib import Path

from safedossier.format.model import Dossier
from safedossier.format.schema import ELEMENTS, TABLE_BY_NAME

#: The public column that names a record of each register (what a reviewer recognises it by).
RECORD_TITLES = {"meetings": "title", "activities": "title", "hazards": "description", "trainings": "title",
                 "drills": "scenario", "inspections": "target", "actions": "issue", "accidents": "kind"}


def row_anchor(record_id: object) -> str:
    """The HTML id of a record's row in its register."""
    return "rec-" + re.sub(r"[^a-z0-9-]", "-", str(record_id).lower())


def _segment(text: str) -> str:
    """Chinese runs cut into words with zero-width spaces, like Material's search plugin."""
    import jieba

    return re.sub(r"[\u4e00-\u9fff]+", lambda m: "\u200b" + "\u200b".join(jieba.cut(m.group(0))) + "\u200b",
                  text).strip("\u200b")


def _page(number: int, offline: bool) -> str:
    stem = f"elements/{ELEMENTS[number - 1].filename[:-4]}"
    return f"{stem}.html" if offline else f"{stem}/"


def add_record_entries(d: Dossier, site_dir: Path, offline: bool) -> None:
    """Append one entry per register record to the built search index (and its offline copy)."""
    path = site_dir / "search" / "search_index.json"
    if not path.is_file():
        return
    index = json.loads(path.read_text(encoding="utf-8"))
    pages = {doc["location"] for doc in index.get("docs", [])}
    seen = {doc["location"] for doc in index.get("docs", [])}
    for name, title_col in RECORD_TITLES.items():
        df = d.tables.get(name)
        page = _page(TABLE_BY_NAME[name].element, offline)
        if df is None or df.empty or "id" not in df.columns or page not in pages:
            continue
        for rec in df.to_dict("records"):
            rid = rec.get("id")
            if rid is None or not str(rid).strip():
                continue
            location = f"{page}#{row_anchor(rid)}"
            if location in seen:
                continue
            seen.add(location)
            title = rec.get(title_col)
            title = "" if title is None or (isinstance(title, float) and title != title) else str(title)
            # Material shows titles as HTML and segments Chinese for its index: do both as it does
            text = html.escape(f"{rid} {title}".strip(), quote=False)
            index["docs"].append({"location": location, "title": _segment(text), "text": ""})
    data = json.dumps(index, ensure_ascii=False, separators=(",", ":"))
    path.write_text(data, encoding="utf-8")
    js = path.with_name("search_index.js")
    if js.is_file():  # Material's offline plugin inlined the index before: inline it again
        js.write_text(f"var __index = {data}", encoding="utf-8")
