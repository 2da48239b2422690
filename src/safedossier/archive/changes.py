"""The change report's data: plain dataclasses `diff.py` fills and `changes_render.py` words.

Every field is a value a reader sees (ids, names, counts already suppressed for publication), so the
same report serves the terminal, the site's 本版变更 page, the PDF appendix and JSON.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from typing import Any

# --- the report ------------------------------------------------------------------------------


@dataclass
class FieldChange:
    """One value that differs. `old`/`new` are JSON values (None: absent or empty).

    `kind` is "changed" for a value, "added"/"removed" for an item of a nested list (then the
    other side is None and the present side is the item's short title).
    """

    path: str  # e.g. "committee.chair", "indicators[跌倒发生率].unit", "units[U03]"
    label: str  # Chinese label path from the schema, e.g. "促进委员会 · 主任"
    label_en: str
    old: Any
    new: Any
    kind: str = "changed"


@dataclass
class Item:
    """An added or removed item: its id and a readable name (never a private value)."""

    id: str
    name: str = ""


@dataclass
class ItemChange:
    """An item present in both versions whose fields differ."""

    id: str
    name: str
    changes: list[FieldChange] = field(default_factory=list)


@dataclass
class CollectionDiff:
    """A list with ids inside a YAML document (work groups, projects, plans …) or a keyed table."""

    key: str
    label: str
    label_en: str
    added: list[Item] = field(default_factory=list)
    removed: list[Item] = field(default_factory=list)
    changed: list[ItemChange] = field(default_factory=list)


@dataclass
class DocumentDiff:
    """The community profile (number 0) or one element's YAML document."""

    key: str  # "community" or the element slug
    number: int
    label: str
    label_en: str
    fields: list[FieldChange] = field(default_factory=list)  # everything that is not a collection
    collections: list[CollectionDiff] = field(default_factory=list)


@dataclass
class IndicatorChange:
    """A project indicator's baseline, target or actual value moved (the evaluation reviewers read)."""

    project: str
    project_name: str
    indicator: str
    unit: str
    kind: str  # baseline | target | actual
    old_year: int | None
    old: float | None
    new_year: int | None
    new: float | None


@dataclass
class Member:
    """A committee/office/work-group member; names of people acting in office are public."""

    id: str
    name: str
    role: str
    group: str  # `committee`, `office` or a group id
    group_name: str
    organisation: str


@dataclass
class MemberDiff:
    joined: list[Member] = field(default_factory=list)  # ids new in this version
    left: list[Member] = field(default_factory=list)  # ids dropped, or `until` newly set
    changed: list[ItemChange] = field(default_factory=list)


@dataclass
class Hazard:
    id: str
    description: str
    location: str
    level: str
    closed: str | None  # 销号日期, ISO


@dataclass
class HazardDiff:
    found: list[Hazard] = field(default_factory=list)  # in new, not in old
    closed: list[Hazard] = field(default_factory=list)  # 销号: closed date absent before, set now
    still_open: list[Hazard] = field(default_factory=list)  # open in both (not a change)
    removed: list[Hazard] = field(default_factory=list)
    changed: list[ItemChange] = field(default_factory=list)  # the 销号 itself is not repeated here


@dataclass
class CountDelta:
    """An aggregate in both versions: one year (and category, e.g. a cause)."""

    year: int
    old: int | None  # None: a count hidden by small-cell suppression (injuries only, see suppress.py)
    new: int | None
    delta: int | None
    category: str = ""


@dataclass
class RecordDiff:
    """A register compared by id: which records came and went, and counts per year."""

    table: str
    label: str
    label_en: str
    element: int
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    # records whose public fields differ, each with its fields old → new (the done date of a
    # newly completed action is in `completed`, not repeated here)
    changed: list[ItemChange] = field(default_factory=list)
    by_year: list[CountDelta] = field(default_factory=list)
    completed: list[str] = field(default_factory=list)  # actions: done date newly set


@dataclass
class ContentChange:
    """An evidence file whose bytes differ (same id)."""

    id: str
    title: str
    file: str
    old_sha256: str
    new_sha256: str


@dataclass
class EvidenceDiff:
    added: list[Item] = field(default_factory=list)
    removed: list[Item] = field(default_factory=list)
    content_changed: list[ContentChange] = field(default_factory=list)
    changed: list[ItemChange] = field(default_factory=list)  # title, file, element … of the record


@dataclass
class InjuryDiff:
    """Aggregates only: no record, id or private column ever reaches this object."""

    cases: list[CountDelta] = field(default_factory=list)  # per year
    deaths: list[CountDelta] = field(default_factory=list)  # per year
    by_cause: list[CountDelta] = field(default_factory=list)  # per cause and year, non-zero only
    total_old: int | None = 0
    total_new: int | None = 0


@dataclass
class AccidentDiff:
    """Accident aggregates per year (record ids are in the `accidents` RecordDiff)."""

    count: list[CountDelta] = field(default_factory=list)
    deaths: list[CountDelta] = field(default_factory=list)
    injured: list[CountDelta] = field(default_factory=list)
    by_kind: list[CountDelta] = field(default_factory=list)  # non-zero only


@dataclass
class PageChange:
    file: str
    title: str
    old_title: str
    diff: str  # unified diff of the Markdown text


@dataclass
class PageDiff:
    added: list[Item] = field(default_factory=list)  # id: the file, name: the title
    removed: list[Item] = field(default_factory=list)
    changed: list[PageChange] = field(default_factory=list)


@dataclass
class Side:
    name: str
    cycle: list[int]


@dataclass
class DiffReport:
    """Everything that changed between two versions of a dossier."""

    old: Side
    new: Side
    documents: list[DocumentDiff]  # community profile, then the 12 element documents
    indicators: list[IndicatorChange]
    population: CollectionDiff
    members: MemberDiff
    hazards: HazardDiff
    records: list[RecordDiff]
    evidence: EvidenceDiff
    injuries: InjuryDiff
    accidents: AccidentDiff
    pages: PageDiff

    def document(self, key: str) -> DocumentDiff:
        return next(d for d in self.documents if d.key == key)

    def collection(self, document: str, key: str) -> CollectionDiff:
        return next(c for c in self.document(document).collections if c.key == key)

    def record(self, table: str) -> RecordDiff:
        return next(r for r in self.records if r.table == table)


def collection_empty(c: CollectionDiff) -> bool:
    return not (c.added or c.removed or c.changed)


def deltas_zero(rows: list[CountDelta]) -> bool:
    return all(r.delta == 0 or (r.delta is None and r.old == r.new) for r in rows)


def is_empty(report: DiffReport) -> bool:
    """True when nothing changed (hazards still open in both versions are not a change)."""
    r = report
    return (
        all(not d.fields and all(collection_empty(c) for c in d.collections) for d in r.documents)
        and not r.indicators and collection_empty(r.population)
        and not (r.members.joined or r.members.left or r.members.changed)
        and not (r.hazards.found or r.hazards.closed or r.hazards.removed or r.hazards.changed)
        and all(not (x.added or x.removed or x.changed or x.completed) and deltas_zero(x.by_year)
                for x in r.records)
        and not (r.evidence.added or r.evidence.removed or r.evidence.content_changed or r.evidence.changed)
        and deltas_zero(r.injuries.cases) and deltas_zero(r.injuries.deaths) and not r.injuries.by_cause
        and deltas_zero(r.accidents.count) and deltas_zero(r.accidents.deaths)
        and deltas_zero(r.accidents.injured) and not r.accidents.by_kind
        and not (r.pages.added or r.pages.removed or r.pages.changed)
    )


def to_json(report: DiffReport) -> str:
    """The report as JSON: dataclass field order (fixed), lists sorted by id, non-ASCII kept."""
    return json.dumps(dataclasses.asdict(report), ensure_ascii=False, indent=2, default=str)
