"""The checks behind the readiness rules (`readiness.RULES`): each returns what is lacking (ids, years,
or (zh, en) words), and the counters say how many things a check looked at."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from safedossier.analyse import baseline, registers, stats
from safedossier.format.model import Dossier
from safedossier.format.schema import ELEMENTS

Item = str | tuple[str, str]  # an id or year, or (zh, en) words
Check = Callable[[Dossier], list[Item]]


def years_without(table: str, col: str = "date") -> Check:
    def check(d: Dossier) -> list[Item]:
        df = d.table(table)
        have = set(df[col].dt.year.dropna().astype(int)) if not df.empty and col in df else set()
        return [str(y) for y in d.years if y not in have]
    return check


def years_without_evidence(table: str) -> Check:
    """Years in which no record of `table` links evidence (痕迹: something a reviewer can look at)."""
    def check(d: Dossier) -> list[Item]:
        df = d.table(table)
        if df.empty or "date" not in df or "evidence" not in df:
            return [str(y) for y in d.years]
        linked = df[df["evidence"].map(lambda v: bool(v) if isinstance(v, list) else False)]
        have = set(linked["date"].dt.year.dropna().astype(int))
        return [str(y) for y in d.years if y not in have]
    return check


def missing_keys(slug: str, keys: dict[str, tuple[str, str]]) -> Check:
    return lambda d: [names for k, names in keys.items() if not d.element(slug).get(k)]


def groups_without_project(d: Dossier) -> list[Item]:
    led = {p.get("group") for p in d.element("projects").get("projects", [])}
    return [g["id"] for g in d.element("organisation").get("groups", [])
            if g.get("kind") == "专项" and g.get("id") not in led]


def groups_without_members(d: Dossier) -> list[Item]:
    m = d.table("members")
    have = set(m["group"].dropna()) if "group" in m else set()
    return [g["id"] for g in d.element("organisation").get("groups", []) if g.get("id") not in have]


def without(slug: str, key: str, field: str) -> Check:
    """Ids of the items of list `key` in element `slug` that have no `field`."""
    return lambda d: [str(x.get("id", "?")) for x in d.element(slug).get(key, []) if not x.get(field)]


def goals_incomplete(d: Dossier) -> list[Item]:
    return [g.get("id", "?") for g in d.element("goals").get("goals", [])
            if not (g.get("baseline") and g.get("target") and g.get("projects"))]


def baselines_off(d: Dossier) -> list[Item]:
    out: list[Item] = []
    for b in baseline.disagreeing(d):
        who = b.field.split(".")[1]
        out.append((f"{who}（填写 {b.typed:g}，记录为 {b.computed:g}）", f"{who} (typed {b.typed:g}, records {b.computed:g})"))
    return out


def indicators_not_met(d: Dossier) -> list[Item]:
    """Indicators whose target year has come (≤ the cycle's end) and whose latest value misses it."""
    return [f"{i.project} {i.name}" for i in stats.indicator_rows(d)
            if i.met is False and i.target is not None and i.target[0] <= d.cycle[1]]


def population_years(d: Dossier) -> list[Item]:
    pop = d.table("population")
    have = set(pop["year"].dropna().astype(int)) if "year" in pop else set()
    return [str(y) for y in d.years if y not in have]


def elements_without_evidence(d: Dossier) -> list[Item]:
    ev = d.table("evidence")
    have = set(ev["element"].dropna().astype(int)) if "element" in ev else set()
    return [str(e.number) for e in ELEMENTS if e.number not in have]


def actions_unverified(d: Dossier) -> list[Item]:
    a = d.table("actions")
    if a.empty or "done" not in a:
        return []
    ver = a["verified"] if "verified" in a else None
    sel = a["done"].notna() & (ver.isna() if ver is not None else True)
    return [str(i) for i in a.loc[sel, "id"]]


def review_actions_open(d: Dossier) -> list[Item]:
    raised = [x for r in d.element("review").get("reviews", []) for x in (r.get("actions") or [])]
    a = d.table("actions")
    done = set(a.loc[a["done"].notna(), "id"].astype(str)) if not a.empty and "done" in a else set()
    return [str(x) for x in dict.fromkeys(raised) if str(x) not in done]


def reviews_by_year(d: Dossier) -> list[Item]:
    years = {int(str(r["date"])[:4]) for r in d.element("review").get("reviews", []) if r.get("date")}
    return [str(y) for y in d.years if y not in years]


def nonempty(slug: str, key: str) -> Check:
    return lambda d: [] if d.element(slug).get(key) else [key]


def table_present(name: str) -> Check:
    return lambda d: [] if not d.table(name).empty else [name]


def years(d: Dossier) -> int:
    return len(d.years)


def count(slug: str, key: str) -> Callable[[Dossier], int]:
    return lambda d: len(d.element(slug).get(key) or [])


def rows(table: str) -> Callable[[Dossier], int]:
    return lambda d: len(d.table(table))


def committee_meeting_years(d: Dossier) -> list[Item]:
    m = d.table("meetings")
    if m.empty or "kind" not in m:
        return [str(y) for y in d.years]
    years = set(m.loc[m["kind"].astype(str).str.contains("委员会"), "date"].dt.year.dropna().astype(int))
    return [str(y) for y in d.years if y not in years]


def years_without_participants(d: Dossier) -> list[Item]:
    """Years in which no training or participation activity counted anyone taking part."""
    have: set[int] = set()
    for name in ("trainings", "activities"):
        df = d.table(name)
        if not df.empty and "participants" in df and "date" in df:
            took = df[pd.to_numeric(df["participants"], errors="coerce").fillna(0) > 0]
            have |= set(took["date"].dt.year.dropna().astype(int))
    return [str(y) for y in d.years if y not in have]


def diagnosis_years(d: Dossier) -> list[Item]:
    years = {int(x["year"]) for x in d.element("risk").get("diagnoses", []) if x.get("year")}
    return [str(y) for y in d.years if y not in years]


def hazards_closed_late(d: Dossier) -> list[Item]:
    h = d.table("hazards")
    return [] if h.empty else [str(i) for i in h.loc[registers.hazard_late(d), "id"]]


def closed_hazards(d: Dossier) -> int:
    h = d.table("hazards")
    return int(h["closed"].notna().sum()) if not h.empty and "closed" in h else 0


def serious_hazards(d: Dossier) -> int:
    h = d.table("hazards")
    if h.empty:
        return 0
    sup = h["supervised"].fillna(False).astype(bool) if "supervised" in h else False
    return int(((h["level"] == "重大") | sup).sum())


def projects_undesigned(d: Dossier) -> list[Item]:
    return [str(p.get("id", "?")) for p in d.element("projects").get("projects", [])
            if not (p.get("targets") and p.get("objectives") and p.get("interventions"))]


def drills_unevaluated(d: Dossier) -> list[Item]:
    dr = d.table("drills")
    if dr.empty or "evaluation" not in dr:
        return [str(i) for i in dr.get("id", [])]
    blank = dr["evaluation"].isna() | (dr["evaluation"].astype(str).str.strip() == "")
    return [str(i) for i in dr.loc[blank, "id"]]


def due_indicators(d: Dossier) -> int:
    return sum(1 for i in stats.indicator_rows(d)
               if i.met is not None and i.target is not None and i.target[0] <= d.cycle[1])


def indicators_untracked(d: Dossier) -> list[Item]:
    """Indicators with no value measured during the cycle (progress is not monitored)."""
    return [f"{i.project} {i.name}" for i in stats.indicator_rows(d)
            if not any(d.cycle[0] <= y <= d.cycle[1] for y in i.actual)]


INJURY_FIELDS = {"occupation": ("职业", "occupation"), "activity": ("活动", "activity"),
                 "cause": ("原因", "cause"), "place": ("地点", "place")}
UNKNOWN_SHARE = 0.1  # a field blank or 不清楚 in more than this share of the records is incomplete


def injury_fields_incomplete(d: Dossier) -> list[Item]:
    inj = d.table("injuries")
    if inj.empty:
        return []
    out: list[Item] = []
    for key, names in INJURY_FIELDS.items():
        col = inj[key] if key in inj else pd.Series(None, index=inj.index)
        unknown = col.isna() | col.astype(str).str.strip().isin(("", "不清楚"))
        if unknown.mean() > UNKNOWN_SHARE:
            out.append((f"{names[0]}（{unknown.mean():.0%} 空白或不清楚）", f"{names[1]} ({unknown.mean():.0%} blank or unknown)"))
    return out


def elements_citing_nothing(d: Dossier) -> list[Item]:
    return [str(e.number) for e in ELEMENTS if not d.element(e.slug).get("evidence")]


ORG = {"committee": ("促进委员会", "committee"), "office": ("办公室", "office"), "groups": ("工作组", "work groups")}
RISK = {"high_risk_groups": ("高危人群", "high-risk groups"),
        "high_risk_environments": ("高危环境", "high-risk environments"),
        "vulnerable_groups": ("弱势群体", "vulnerable groups")}
ARCHIVE = {"keeper": ("档案管理人", "keeper"), "categories": ("档案类别", "categories")}
EMERGENCY = {"teams": ("应急队伍", "teams"), "supplies": ("应急物资", "supplies")}
VOLUNTEERS = {"teams": ("志愿者队伍数", "volunteer teams"), "people": ("志愿者人数", "volunteers")}


def volunteers_missing(d: Dossier) -> list[Item]:
    v = d.element("participation").get("volunteers") or {}
    return [names for k, names in VOLUNTEERS.items() if not v.get(k)]
