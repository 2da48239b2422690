"""The change report in words: a terminal report, the Markdown of the 本版变更 page (and the PDF's
appendix, capped), and the home page's one paragraph, in Chinese or English."""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from safedossier.archive.changes import (
    AccidentDiff,
    CollectionDiff,
    CountDelta,
    DiffReport,
    DocumentDiff,
    FieldChange,
    Hazard,
    IndicatorChange,
    InjuryDiff,
    ItemChange,
    Member,
    RecordDiff,
    collection_empty,
    deltas_zero,
    is_empty,
)
from safedossier.archive.changes_summary import count_text, summary_paragraph, words
from safedossier.format.schema import TABLE_BY_NAME

# --- rendering: one block list, two output formats ---------------------------------------------


@dataclass
class _Block:
    kind: str  # h1 | h2 | h3 | p | li | table | code
    text: str = ""
    indent: int = 0  # li: nesting level; p: 1 inside a section
    headers: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)


def _fmt(v: Any, lang: str) -> str:
    w = words(lang)
    if v is None:
        return w["empty"]
    if isinstance(v, bool):
        return w["yes"] if v else w["no"]
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() else f"{v:g}"
    if isinstance(v, (list, tuple)):
        return w["list_sep"].join(_fmt(x, lang) for x in v) if v else w["empty"]
    return str(v)


def _change_text(c: FieldChange, lang: str) -> str:
    w = words(lang)
    label = c.label_en if lang == "en" else c.label
    if c.kind == "added":
        return f"{label}{w['colon']}{w['list_added']} {_fmt(c.new, lang)}"
    if c.kind == "removed":
        return f"{label}{w['colon']}{w['list_removed']} {_fmt(c.old, lang)}"
    if c.path.split(".")[-1] == "summary":
        return w["summary_changed"]
    if isinstance(c.old, list) or isinstance(c.new, list):
        o, n = c.old or [], c.new or []
        plus = [x for x in n if x not in o]
        minus = [x for x in o if x not in n]
        if plus or minus:
            parts = ([f"{w['list_added']} {_fmt(plus, lang)}"] if plus else []) + \
                    ([f"{w['list_removed']} {_fmt(minus, lang)}"] if minus else [])
            return f"{label}{w['colon']}{w['group_sep'].join(parts)}"
    return f"{label}{w['colon']}{_fmt(c.old, lang)} → {_fmt(c.new, lang)}"


def _short(sha: str, lang: str) -> str:
    return f"{sha[:12]}…" if sha else words(lang)["empty"]


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _named(id_: str, name: str) -> str:
    return f"{id_} {name}".strip()


def _delta(n: int | None) -> str:
    return "—" if n is None else f"+{n}" if n > 0 else str(n)


def _item_change_blocks(verb: str, ch: ItemChange, lang: str) -> list[_Block]:
    out = [_Block("li", f"{verb} {_named(ch.id, ch.name)}")]
    out += [_Block("li", _change_text(c, lang), 1) for c in ch.changes]
    return out


def _collection_blocks(c: CollectionDiff, lang: str, label: str | None = None) -> list[_Block]:
    if collection_empty(c):
        return []
    w = words(lang)
    out = [_Block("h3", label or (_cap(c.label_en) if lang == "en" else c.label))]
    out += [_Block("li", f"{w['added']} {_named(i.id, i.name)}") for i in c.added]
    out += [_Block("li", f"{w['removed']} {_named(i.id, i.name)}") for i in c.removed]
    for ch in c.changed:
        out += _item_change_blocks(w["changed"], ch, lang)
    return out


def _member_text(m: Member, lang: str) -> str:
    detail = ("，" if lang != "en" else ", ").join(x for x in (m.role, m.group_name) if x)
    wrap = ("（", "）") if lang != "en" else (" (", ")")
    return f"{_named(m.id, m.name)}{wrap[0]}{detail}{wrap[1]}" if detail else _named(m.id, m.name)


def _hazard_text(h: Hazard, lang: str, closed: bool = False) -> str:
    sep = "，" if lang != "en" else ", "
    detail = sep.join(x for x in (h.level, h.location) if x)
    if closed and h.closed:
        detail += f"{sep}{words(lang)['closed_on']} {h.closed}"
    wrap = ("（", "）") if lang != "en" else (" (", ")")
    return f"{_named(h.id, h.description)}{wrap[0]}{detail}{wrap[1]}" if detail else _named(h.id, h.description)


def _ids_line(label: str, ids: list[str], lang: str) -> _Block:
    w = words(lang)
    return _Block("li", f"{label}（{len(ids)}）{w['colon']}{w['list_sep'].join(ids)}" if lang != "en"
                  else f"{label} ({len(ids)}){w['colon']}{w['list_sep'].join(ids)}")


def _count_table(rows: list[CountDelta], lang: str, first: str | None = None) -> _Block:
    w = words(lang)
    head = ([first] if first else []) + [w["year"], w["old"], w["new"], w["delta"]]
    body = [([r.category] if first else []) + [str(r.year), count_text(r.old), count_text(r.new), _delta(r.delta)]
            for r in rows]
    return _Block("table", headers=head, rows=body)


def _indicator_text(c: IndicatorChange, lang: str) -> str:
    w = words(lang)
    en = lang == "en"
    unit = f" {c.unit}" if c.unit else ""

    def at(year: int | None, kind: str) -> str:
        return f"{year} {w[kind]}" if en else f"{year}年{w[kind]}"

    if c.kind == "actual" or (c.old_year == c.new_year and c.old is not None and c.new is not None):
        what = f"{at(c.new_year, c.kind)} {_fmt(c.old, lang)} → {_fmt(c.new, lang)}{unit}"
    else:
        def yv(year: int | None, value: float | None) -> str:
            if value is None:
                return w["empty"]
            return f"{_fmt(value, lang)}{unit} ({year})" if en else f"{_fmt(value, lang)}{unit}（{year}年）"
        what = f"{w[c.kind]} {yv(c.old_year, c.old)} → {yv(c.new_year, c.new)}"
    return w["indicator_line"].format(project=c.project, project_name=c.project_name,
                                      indicator=c.indicator, what=what)


def _record_blocks(r: RecordDiff, lang: str) -> list[_Block]:
    w = words(lang)
    out: list[_Block] = []
    if r.added:
        out.append(_ids_line(w["added"], r.added, lang))
    if r.removed:
        out.append(_ids_line(w["removed"], r.removed, lang))
    if r.completed:
        out.append(_ids_line(w["completed"], r.completed, lang))
    for ch in r.changed:
        out += _item_change_blocks(w["changed"], ch, lang)
    if not deltas_zero(r.by_year):
        out.append(_Block("p", w["count_by_year"], 1))
        out.append(_count_table(r.by_year, lang))
    return [_Block("h3", _cap(r.label_en) if lang == "en" else r.label), *out] if out else []


def _injury_blocks(inj: InjuryDiff, lang: str) -> list[_Block]:
    if deltas_zero(inj.cases) and deltas_zero(inj.deaths) and not inj.by_cause:
        return []
    w = words(lang)
    deaths = {d.year: d for d in inj.deaths}
    head = [w["year"], f"{w['old']} {w['cases']}", f"{w['new']} {w['cases']}", w["delta"],
            f"{w['old']} {w['deaths']}", f"{w['new']} {w['deaths']}", w["delta"]]
    rows = [[str(c.year), count_text(c.old), count_text(c.new), _delta(c.delta), count_text(deaths[c.year].old),
             count_text(deaths[c.year].new), _delta(deaths[c.year].delta)] for c in inj.cases]
    out = [_Block("h3", w["injuries"]), _Block("table", headers=head, rows=rows)]
    if inj.by_cause:
        out += [_Block("p", w["by_cause"], 1), _count_table(inj.by_cause, lang, w["cause"])]
    return out


def _accident_blocks(acc: AccidentDiff, lang: str) -> list[_Block]:
    if all(deltas_zero(x) for x in (acc.count, acc.deaths, acc.injured)) and not acc.by_kind:
        return []
    w = words(lang)
    head = [w["year"]] + [f"{side} {what}" for what in (w["accident_count"], w["deaths"], w["injured"])
                          for side in (w["old"], w["new"])]
    rows = [[str(c.year), str(c.old), str(c.new), str(d.old), str(d.new), str(i.old), str(i.new)]
            for c, d, i in zip(acc.count, acc.deaths, acc.injured, strict=True)]
    out = [_Block("h3", w["accidents"]), _Block("table", headers=head, rows=rows)]
    if acc.by_kind:
        out += [_Block("p", w["by_kind"], 1), _count_table(acc.by_kind, lang, w["kind"])]
    return out


def _document_blocks(d: DocumentDiff, lang: str) -> list[_Block]:
    out = [_Block("li", _change_text(c, lang)) for c in d.fields]
    for c in d.collections:
        out += _collection_blocks(c, lang)
    return out


def _blocks(report: DiffReport, lang: str) -> list[_Block]:
    w = words(lang)
    en = lang == "en"
    out = [_Block("h1", w["title"])]
    if is_empty(report):
        out.append(_Block("p", w["no_changes"]))
        return out
    out.append(_Block("p", summary_paragraph(report, lang)))
    records = {r.table: r for r in report.records}
    for d in report.documents:
        body = _document_blocks(d, lang)
        if d.number == 0:
            body += _collection_blocks(report.population, lang, w["population"])
        if d.key == "organisation":
            m = report.members
            if m.joined or m.left or m.changed:
                body.append(_Block("h3", w["members"]))
                body += [_Block("li", f"{w['joined']} {_member_text(x, lang)}") for x in m.joined]
                body += [_Block("li", f"{w['left']} {_member_text(x, lang)}") for x in m.left]
                for ch in m.changed:
                    body += _item_change_blocks(w["member_changed"], ch, lang)
        if d.key == "risk":
            h = report.hazards
            if h.found or h.closed or h.removed or h.changed:
                body.append(_Block("h3", w["hazards"]))
                body += [_Block("li", f"{w['found']} {_hazard_text(x, lang)}") for x in h.found]
                body += [_Block("li", f"{w['closed']} {_hazard_text(x, lang, True)}") for x in h.closed]
                body += [_Block("li", f"{w['removed']} {_hazard_text(x, lang)}") for x in h.removed]
                for ch in h.changed:
                    body += _item_change_blocks(w["changed"], ch, lang)
                if h.still_open:
                    body.append(_ids_line(w["still_open"], [x.id for x in h.still_open], lang))
        if d.key == "projects" and report.indicators:
            body.append(_Block("h3", w["indicators"]))
            body += [_Block("li", _indicator_text(c, lang)) for c in report.indicators]
        if d.key == "records":
            body += _injury_blocks(report.injuries, lang)
            body += _accident_blocks(report.accidents, lang)
        if d.key == "archive":
            e = report.evidence
            if e.added or e.removed or e.content_changed or e.changed:
                body.append(_Block("h3", w["evidence"]))
                body += [_Block("li", f"{w['added']} {_named(i.id, i.name)}") for i in e.added]
                body += [_Block("li", f"{w['removed']} {_named(i.id, i.name)}") for i in e.removed]
                for c in e.content_changed:
                    hashes = f"sha256 {_short(c.old_sha256, lang)} → {_short(c.new_sha256, lang)}"
                    body.append(_Block("li", f"{w['content_changed']} {_named(c.id, c.title)}"
                                       + (f"（{hashes}）" if not en else f" ({hashes})")))
                for ch in e.changed:
                    body += _item_change_blocks(w["changed"], ch, lang)
        for r in report.records:
            if TABLE_BY_NAME[r.table].element == d.number and d.number:
                body += _record_blocks(records[r.table], lang)
        if body:
            title = w["community"] if d.number == 0 else w["element"].format(
                n=d.number, label=d.label_en if en else d.label)
            out.append(_Block("h2", title))
            out += body
    pg = report.pages
    if pg.added or pg.removed or pg.changed:
        out.append(_Block("h2", w["pages"]))
        out += [_Block("li", f"{w['added']} {i.name}（{i.id}）" if not en else f"{w['added']} {i.name} ({i.id})")
                for i in pg.added]
        out += [_Block("li", f"{w['removed']} {i.name}（{i.id}）" if not en else f"{w['removed']} {i.name} ({i.id})")
                for i in pg.removed]
        for c in pg.changed:
            title = c.title if c.title == c.old_title else f"{c.old_title} → {c.title}"
            out.append(_Block("h3", f"{w['changed']} {title}（{c.file}）" if not en
                              else f"{w['changed']} {title} ({c.file})"))
            out.append(_Block("code", c.diff))
    return out


# --- Markdown --------------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#!|~])")


def md_escape(value: Any, line_start: bool = True) -> str:
    """Dossier text as inert inline Markdown: no HTML, no Markdown syntax, no line breaks.

    Markdown specials are backslash-escaped first and `& < >` entity-escaped after, so an entity
    is never broken by a backslash. `line_start=False` (table cells) keeps a leading `+2` as is.
    """
    text = re.sub(r"\s*[\r\n]+\s*", " ", str(value)).strip()
    text = _MD_SPECIAL.sub(r"\\\1", text)
    if not line_start:
        return html.escape(text, quote=False)
    text = re.sub(r"^(\d+)([.)])", r"\1\\\2", text)  # "1. x" must not start a list
    text = re.sub(r"^([-+=>])", r"\\\1", text)  # nor "- x", a setext rule or a quote
    return html.escape(text, quote=False)


def _fence(text: str) -> str:
    """A backtick fence longer than any backtick run in `text`, so the text cannot close it."""
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    return "`" * max(3, longest + 1)


PAPER_MAX_ITEMS = 100  # items per list in the PDF's appendix; 13,000 lines on paper help nobody


def _capped(blocks: list[_Block], max_items: int, lang: str) -> list[_Block]:
    """At most `max_items` top-level list items per run of items (with their sub-items), then one
    item saying how many were left out."""
    out: list[_Block] = []
    shown = skipped = 0
    for b in [*blocks, _Block("end")]:
        if b.kind != "li":
            if skipped:
                out.append(_Block("li", words(lang)["more_items"].format(n=skipped)))
            shown = skipped = 0
            if b.kind != "end":
                out.append(b)
            continue
        if b.indent == 0:
            if shown < max_items:
                shown += 1
            else:
                skipped += 1
        if not skipped:
            out.append(b)
    return out


def render_markdown(report: DiffReport, lang: str = "zh", max_items: int | None = None) -> str:
    """The "本版变更" page of the site: every dossier value escaped, page diffs fenced.

    `max_items` caps each list (the PDF's appendix: a summary on paper, the site has every item).
    """
    lines: list[str] = []
    blocks = _blocks(report, lang)
    for b in _capped(blocks, max_items, lang) if max_items is not None else blocks:
        if b.kind in ("h1", "h2", "h3"):
            lines += ["", "#" * int(b.kind[1]) + " " + md_escape(b.text), ""]
        elif b.kind == "p":
            lines += ["", md_escape(b.text), ""]
        elif b.kind == "li":
            lines.append("    " * b.indent + "- " + md_escape(b.text))
        elif b.kind == "table":
            lines += ["", "| " + " | ".join(md_escape(h, False) for h in b.headers) + " |",
                      "|" + "|".join("---" for _ in b.headers) + "|"]
            lines += ["| " + " | ".join(md_escape(c, False) for c in row) + " |" for row in b.rows]
            lines.append("")
        elif b.kind == "code":
            fence = _fence(b.text)
            lines += ["", f"{fence}diff", b.text, fence, ""]
    text = "\n".join(lines).strip("\n")
    return re.sub(r"\n{3,}", "\n\n", text) + "\n"


# --- terminal --------------------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _clean(text: str) -> str:
    """No control characters (ANSI escapes in a dossier value must not drive the terminal)."""
    return _CONTROL.sub("?", text)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def render_text(report: DiffReport, lang: str = "zh") -> str:
    """A readable terminal report of the same content as the Markdown page."""
    w = words(lang)
    out: list[str] = []
    for b in _blocks(report, lang):
        text = _clean(re.sub(r"\s*[\r\n]+\s*", " ", b.text)) if b.kind != "code" else b.text
        if b.kind == "h1":
            head = f"{w['title']}：{report.old.name} → {report.new.name}" if lang != "en" else \
                f"{w['title']}: {report.old.name} → {report.new.name}"
            head = _clean(head)
            out += [head, "=" * _width(head)]
        elif b.kind == "h2":
            out += ["", f"【{text}】" if lang != "en" else f"[{text}]"]
        elif b.kind == "h3":
            out += ["", f"  {text}"]
        elif b.kind == "p":
            out.append("  " * (b.indent + 1) + text)
        elif b.kind == "li":
            out.append("    " + "  " * b.indent + ("- " if b.indent else "· ") + text)
        elif b.kind == "table":
            rows = [[_clean(c) for c in r] for r in [b.headers, *b.rows]]
            widths = [max(_width(r[i]) for r in rows) for i in range(len(b.headers))]
            out += ["    " + "  ".join(_pad(c, widths[i]) for i, c in enumerate(r)).rstrip() for r in rows]
        elif b.kind == "code":
            out += ["      " + _clean(line) for line in b.text.splitlines()]
    return "\n".join(out) + "\n"
