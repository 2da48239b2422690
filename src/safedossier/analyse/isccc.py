"""The dossier under the six indicators of International Safe Communities (ISCCC), for an international
(re-)designation application: each element's records and evidence, grouped by the mapping in
DOMAIN.md (an element may serve two indicators). Prepared once for the site page and any other output.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from safedossier.format.schema import ELEMENTS, TABLE_BY_NAME

if TYPE_CHECKING:
    from safedossier.analyse.views import Views

# indicator → (zh name, English description: our summary of what designation asks for)
INDICATORS: dict[str, tuple[str, str]] = {
    "Governance": ("治理", "A cross-sector group, based on partnership and collaboration, leads safety promotion "
                   "with set duties, objectives, plans and resources."),
    "Surveillance": ("监测", "Injuries, accidents and their risks are recorded and analysed to find priorities "
                     "and to follow trends."),
    "Comprehensive": ("综合", "Long-term, sustainable programmes cover both sexes, all ages, environments and "
                      "situations, including training and emergency preparedness."),
    "Vulnerable groups": ("弱势群体", "Programmes target high-risk groups and environments and promote safety for "
                          "vulnerable groups."),
    "Evaluation": ("评价", "Processes and effects of the programmes are measured, reviewed and corrected."),
    "Networking": ("网络", "The community takes part in national and international safe-community networks and "
                   "exchanges with partners."),
}
ELEMENT_INDICATORS: dict[int, tuple[str, ...]] = {
    1: ("Governance",), 2: ("Governance", "Networking"), 3: ("Surveillance", "Vulnerable groups"),
    4: ("Governance", "Comprehensive"), 5: ("Comprehensive", "Vulnerable groups"), 6: ("Comprehensive",),
    7: ("Comprehensive",), 8: ("Evaluation", "Surveillance"), 9: ("Surveillance",), 11: ("Evaluation",),
    12: ("Evaluation",),
}
UNMAPPED = tuple(e.number for e in ELEMENTS if e.number not in ELEMENT_INDICATORS)  # 10: the archive itself


@dataclass
class ElementRecords:
    number: int
    label: str
    label_en: str
    page: str  # the element's page, relative to the site root, without .md
    status: str  # readiness
    records: list[tuple[str, int]]  # (what, how many); injury records only as the protected total
    evidence: list[dict[str, Any]]


@dataclass
class Indicator:
    name: str
    name_zh: str
    description: str
    elements: list[ElementRecords]


def _records(v: Views, number: int) -> list[tuple[str, int]]:
    """How many records the element holds: its lists (groups, plans…) and its tables' rows."""
    el = ELEMENTS[number - 1]
    en = v.lang != "zh"
    doc = v.d.element(el.slug)
    out = [(f.label_en if en else f.label, len(doc[f.key])) for f in el.fields
           if f.kind == "list" and isinstance(doc.get(f.key), list) and doc[f.key]]
    for name in el.tables:
        rows = v.inj.total if name == "injuries" else len(v.d.table(name))  # a protected count
        if rows:
            t = TABLE_BY_NAME[name]
            out.append((t.label_en if en else t.label, rows))
    return out


def element_records(v: Views, number: int) -> ElementRecords:
    el = ELEMENTS[number - 1]
    return ElementRecords(number, el.label, el.label_en, f"elements/{el.filename[:-4]}",
                          v.ready[number].status, _records(v, number),
                          [r for r in v.evidence.values() if r.get("element") == number])


def indicators(v: Views) -> list[Indicator]:
    cache = {n: element_records(v, n) for n in ELEMENT_INDICATORS}
    return [Indicator(name, zh, desc, [cache[n] for n, ind in ELEMENT_INDICATORS.items() if name in ind])
            for name, (zh, desc) in INDICATORS.items()]
