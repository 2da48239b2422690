"""Evidence a reviewer can audit: each element's expected evidence against what is there, and where
each evidence item is cited. Computed once here; the site, the PDF and the Office exports read it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from safedossier.format.citations import Citation, citations
from safedossier.format.evidence_expect import EACH, EXPECTED, KINDS, YEARLY, Expect
from safedossier.format.model import Dossier
from safedossier.format.schema import ELEMENTS, Element


@dataclass(frozen=True)
class CheckRow:
    """One expectation of one element: how many of `total` records/years have evidence, which
    evidence is there, and what lacks it (record ids or years)."""

    expect: Expect
    total: int
    done: int
    present: list[str] = field(default_factory=list)
    gaps: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.total > 0 and not self.gaps


def _ids(value: object) -> list[str]:
    return [str(v) for v in value if v] if isinstance(value, list) else []


def _row(d: Dossier, e: Expect) -> CheckRow:
    if e.mode == KINDS:
        ev = d.table("evidence")
        hits = [] if ev.empty else [str(r["id"]) for r in ev.to_dict("records")
                                    if int(r["element"]) == e.element and r["kind"] in e.kinds]
        return CheckRow(e, 1, int(bool(hits)), hits, [] if hits else ["—"])
    if e.mode == EACH:
        items = [x for x in d.element(ELEMENTS[e.element - 1].slug).get(e.where, []) if isinstance(x, dict)]
        present = sorted({i for x in items for i in _ids(x.get("evidence"))})
        gaps = [str(x.get("id") or x.get("year") or "?") for x in items if not _ids(x.get("evidence"))]
        return CheckRow(e, len(items), len(items) - len(gaps), present, gaps)
    assert e.mode == YEARLY
    df = d.table(e.where)
    if e.only is not None and not df.empty and e.only[0] in df:
        df = df[df[e.only[0]].isin(e.only[1])]
    years: dict[int, list[str]] = defaultdict(list)
    if not df.empty and "date" in df and "evidence" in df:
        for day, ev in zip(df["date"], df["evidence"], strict=True):
            if _ids(ev) and day is not None and day == day:
                years[int(day.year)] += _ids(ev)
    gaps = [str(y) for y in d.years if y not in years]
    present = sorted({i for y in d.years for i in years.get(y, [])})
    return CheckRow(e, len(d.years), len(d.years) - len(gaps), present, gaps)


def checklist(d: Dossier) -> dict[int, list[CheckRow]]:
    """Element number → its expectations, checked."""
    out: dict[int, list[CheckRow]] = {el.number: [] for el in ELEMENTS}
    for e in EXPECTED:
        out[e.element].append(_row(d, e))
    return out


def cited_by(d: Dossier) -> dict[str, list[Citation]]:
    """Evidence id → the records citing it (an element's own `evidence:` list last)."""
    out: dict[str, list[Citation]] = defaultdict(list)
    for c in citations(d):
        out[c.evidence].append(c)
    for cs in out.values():
        cs.sort(key=lambda c: (c.where == "", c.element, c.record))
    return dict(out)


# --- words both outputs print (the site and the PDF differ only in how they link) -------------------

def row_words(r: CheckRow, lang: str, t: Mapping[str, str]) -> tuple[str, str, str]:
    """(what is expected, "done/total", the gaps) of one checklist row."""
    join = "、" if lang == "zh" else ", "
    gaps = t["none"] if not r.gaps else t["checklist_missing"] if r.expect.mode == KINDS else join.join(r.gaps)
    return (r.expect.zh if lang == "zh" else r.expect.en), f"{r.done}/{r.total}", gaps


def citation_label(c: Citation, element_word: str, el_label: Callable[[Element], str], lang: str = "zh") -> str:
    """How a citing record is named: "YL-2023-03 防汛防台人员转移演练", or "要素 7：应急预案和响应" for an
    element's own evidence list (titles, never file names)."""
    if not c.where:
        el = ELEMENTS[c.element - 1]
        return f"{element_word} {el.number}{'：' if lang == 'zh' else ': '}{el_label(el)}"
    return c.title if c.title.startswith(c.record) else f"{c.record} {c.title}".strip()
