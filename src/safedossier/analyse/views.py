"""What every page shows, prepared once for both outputs (the site and the PDF).

The site (`render.py`, Markdown) and the PDF (`pdf.py`, Typst) differ only in markup; the numbers,
rows and names they show come from here, so a reviewer reads the same content in both.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from safedossier.analyse import derived, evidence_audit, registers, stats, suggest
from safedossier.analyse.readiness import Readiness, readiness
from safedossier.analyse.scoring.score import ScoreResult
from safedossier.analyse.suppress import MARK
from safedossier.format.model import Dossier
from safedossier.format.schema import ELEMENTS
from safedossier.i18n import catalog
from safedossier.outputs import charts

DIMENSIONS = tuple((dim, f"by_{dim}") for dim in stats.DIMENSIONS)


@dataclass(frozen=True)
class Cell:
    """A cell the site and the PDF mark up differently: a status badge, a list of project links…"""

    kind: str
    value: Any


def dossier_lang(d: Dossier, lang: str = "") -> str:
    """The language asked for, else the dossier's `extra.dossier.lang`, else Chinese."""
    lang = lang or str(((d.site_config.get("extra") or {}).get("dossier") or {}).get("lang", "zh"))
    return lang if lang in ("zh", "en") else "zh"


def fmt_count(value: int | None) -> str:
    """A protected count: None is a hidden one (see `suppress`)."""
    return MARK if value is None else str(value)


def fmt_num(value: Any, digits: int = 1) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "—"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:.{digits}f}"
    return str(int(value))


class Views:
    """Look-ups and prepared data of one dossier in one language."""

    def __init__(self, d: Dossier, lang: str = "") -> None:
        self.d = d
        self.lang = dossier_lang(d, lang)
        self.t = catalog(self.lang)
        self.evidence = self._evidence_index()
        self.ready: dict[int, Readiness] = {r.number: r for r in readiness(d)}
        self._inj: stats.InjuryStats | None = None
        self._score: tuple[ScoreResult | None] | None = None
        self._checklist: dict[int, list[evidence_audit.CheckRow]] | None = None
        self._cited: dict[str, list[Any]] | None = None

    @property
    def score(self) -> ScoreResult | None:
        """The self-assessment with the grades the records suggest (readiness rules), computed once
        for the site page, the PDF section and `dossier score` alike; None without one."""
        if self._score is None:
            self._score = (suggest.scored(self.d, self.ready),)
        return self._score[0]

    @property
    def checklist(self) -> dict[int, list[evidence_audit.CheckRow]]:
        """Each element's expected evidence against what the dossier has (see `evidence_audit`)."""
        if self._checklist is None:
            self._checklist = evidence_audit.checklist(self.d)
        return self._checklist

    @property
    def cited_by(self) -> dict[str, list[Any]]:
        """Evidence id → the `Citation`s of the records citing it."""
        if self._cited is None:
            self._cited = evidence_audit.cited_by(self.d)
        return self._cited

    def timeline(self) -> list[Any]:
        """建设历程: stages and dated events per year (see `analyse.timeline`)."""
        from safedossier.analyse.timeline import timeline

        return timeline(self.d)

    @property
    def inj(self) -> stats.InjuryStats:
        """The protected injury statistics, computed once for every page and table that shows them."""
        if self._inj is None:
            self._inj = stats.injury_stats(self.d)
        return self._inj

    # names for ids

    def el_label(self, el: Any) -> str:
        return el.label if self.lang == "zh" else el.label_en

    def _lookup(self, items: Any, key: str, value: Any) -> str:
        for item in items:
            if item.get("id") == value:
                return str(item.get(key, value))
        return str(value)

    def member_name(self, mid: Any) -> str:
        m = self.d.table("members")
        hit = m[m["id"] == mid] if not m.empty else m
        return f"{hit.iloc[0]['name']}（{hit.iloc[0]['organisation']}）" if len(hit) else str(mid)

    def group_name(self, gid: Any) -> str:
        if gid in ("committee", "office"):
            return self.t[gid]
        return self._lookup(self.d.element("organisation").get("groups", []), "name", gid)

    def project_name(self, pid: Any) -> str:
        return self._lookup(self.d.element("projects").get("projects", []), "name", pid)

    def network_name(self, nid: Any) -> str:
        return self._lookup(self.d.element("monitoring").get("network", []), "name", nid)

    # prepared data

    def _evidence_index(self) -> dict[str, dict[str, Any]]:
        """Evidence rows by id; `_href`/`_thumb` are filled in by the site when it copies files."""
        out: dict[str, dict[str, Any]] = {}
        for rec in self.d.table("evidence").to_dict("records"):
            rec.update(_href=None, _thumb=None)
            out[str(rec["id"])] = rec
        return out

    def key_figures(self) -> list[tuple[str, str]]:
        d, t = self.d, self.t
        pop = stats.population(d)
        latest = pop.get(d.cycle[1]) or (pop[max(pop)] if pop else None)
        haz = registers.hazard_status(d)
        return [
            (t["population"], fmt_num(latest)),
            (t["injuries"], fmt_count(self.inj.total)),
            (t["hazards"], f"{len(haz)}（{t['closed']} {int((haz == registers.CLOSED).sum())}）"),
            (t["hazards_open"], str(int((haz != registers.CLOSED).sum()))),
            (t["hazards_overdue"], str(int((haz == registers.OVERDUE).sum()))),
            (t["actions_overdue"], str(len(registers.overdue_actions(d)))),
            (t["projects"], str(len(d.element("projects").get("projects", [])))),
            (t["trainings"], str(len(d.table("trainings")))),
            (t["drills"], str(len(d.table("drills")))),
            (t["evidence_files"], str(len(self.evidence))),
        ]

    def element_extras(self, slug: str) -> dict[str, Any]:
        """What an element's page shows beyond its own YAML."""
        d = self.d
        if slug == "organisation":
            groups = {g["id"]: g.get("name", g["id"]) for g in d.element("organisation").get("groups", [])}
            names = {"committee": self.t["committee"], "office": self.t["office"], **groups}
            by_year = registers.members_by_year(d, names)
            by_year.index = [names.get(i, i) for i in by_year.index]
            members = d.table("members")
            grouped = [(names[g], members[members["group"] == g]) for g in names
                       if not members.empty and (members["group"] == g).any()]
            return {"members_grouped": grouped, "members_by_year": by_year,
                    "changes": registers.member_changes(d), "meetings": d.table("meetings")}
        if slug == "risk":
            years = registers.hazard_summary(d)
            return {"hazards": d.table("hazards"), "hazard_status": registers.hazard_status(d),
                    "hazard_years": years, "hazard_year_rows": [
                        [h.year, h.found, h.closed, h.late, h.open, h.overdue, h.supervised, h.major,
                         "—" if h.on_time_rate is None else f"{h.on_time_rate:.1f}%（{h.on_time}/{h.due}）"]
                        for h in years]}
        if slug in ("goals", "projects"):
            return {"indicators": stats.indicator_rows(d)}
        if slug == "participation":
            return {"activities": d.table("activities")}
        if slug == "training":
            return {"per_year": registers.per_year(d, "trainings"),
                    "kinds": registers.kind_by_year(d, "trainings"), "records": d.table("trainings")}
        if slug == "emergency":
            return {"per_year": registers.per_year(d, "drills"), "records": d.table("drills")}
        if slug == "monitoring":
            return {"per_year": registers.per_year(d, "inspections", people=""),
                    "kinds": registers.kind_by_year(d, "inspections"), "records": d.table("inspections")}
        if slug == "records":
            return {"inj": self.inj}
        if slug == "archive":
            counts = {el.number: 0 for el in ELEMENTS}
            for r in self.evidence.values():
                counts[int(r["element"])] = counts.get(int(r["element"]), 0) + 1
            return {"ev_counts": counts}
        if slug == "corrective":
            return {"summary": registers.action_summary(d), "records": d.table("actions")}
        return {}

    def statistics(self) -> dict[str, Any]:
        """Injury and accident aggregates, and their charts (name → SVG)."""
        t, d = self.t, self.d
        inj = self.inj
        acc_rows, acc_kinds = stats.accident_stats(d)
        svgs = {"injuries-by-year": charts.bars_by_year(
            inj.years, [r.cases for r in inj.by_year], t["injury_overview"], t["cases"],
            line=[r.rate for r in inj.by_year], line_label=t["rate"])}
        dims = []
        for dim, key in DIMENSIONS:
            tab = inj.by_dim.get(dim)
            if tab is None or tab.empty:
                continue
            name = f"injuries-{dim.replace('_', '-')}"
            if len(tab.columns) > 1:  # else only the totals may be published (see suppress.protect)
                svgs[name] = charts.grouped_barh(tab.drop(columns=["合计"]), t[key], t["cases"])
            change = self.yoy_frame(tab)
            dims.append((key, name if name in svgs else None, self.share_frame(tab, inj.shares.get(dim)),
                         change if not change.empty and len(change.columns) else None))
        pop = d.table("population")
        rates = [(key, derived.as_marks(derived.group_rates(inj.by_dim[dim], pop)))
                 for dim, key in (("sex", "rate_by_sex"), ("age_group", "rate_by_age")) if dim in inj.by_dim]
        rates = [(k, r) for k, r in rates if r]
        # several year columns: one table per year, the pooled one is left out (see stats._year_cross)
        crosses = [(y, self.share_frame(tab, sh)) for y, tab, sh in inj.age_cause_by_year]
        pooled = (self.share_frame(inj.age_cause, inj.shares.get("age_cause"))
                  if len(crosses) <= 1 and inj.age_cause is not None and not inj.age_cause.empty else None)
        crosses = crosses if len(crosses) > 1 else []
        if acc_rows and any(r.count for r in acc_rows):
            svgs["accidents-by-year"] = charts.bars_by_year(
                inj.years, [r.count for r in acc_rows], t["accidents"], t["count"])
        return {"inj": inj, "dims": dims, "rates": rates, "crosses": crosses, "pooled": pooled, "acc_rows": acc_rows,
                "acc_kinds": acc_kinds, "charts": svgs}

    def share_frame(self, tab: pd.DataFrame, shares: pd.DataFrame | None) -> pd.DataFrame:
        """A published table with each count's share of its column beside it: "251（30.9%）"."""
        out = tab.astype(object).copy()
        if shares is None:
            return out
        for c in tab.columns:
            for i in tab.index:
                v, p = tab.at[i, c], shares.at[i, c] if c in shares.columns else None
                out.at[i, c] = MARK if v == MARK else f"{v}（{p:.1f}%）" if p is not None and v else str(v)
        return out

    def yoy_frame(self, tab: pd.DataFrame) -> pd.DataFrame:
        """Each category's change from the year before, percent ("—" after a year of 0)."""
        ch = derived.yoy(tab)
        out = ch.astype(object).copy()
        for c in ch.columns:
            for i in ch.index:
                v = ch.at[i, c]
                out.at[i, c] = MARK if v == MARK else "—" if v is None or pd.isna(v) else f"{v:+.1f}%"
        out.columns = [self.t["change_from"].format(year=c, prev=c - 1) for c in ch.columns]
        return out

    def year_rows(self, inj: stats.InjuryStats, full: bool = False) -> list[list[Any]]:
        """The yearly injury overview: cases, rate ‰, change, deaths, death rate, hospitalised share."""
        def pct(v: float | None, hidden: bool) -> str:
            return MARK if hidden else "—" if v is None else f"{v:+.1f}%"

        def rate(v: float | None, hidden: bool) -> str:
            return MARK if hidden else "—" if v is None else f"{v:.2f}"

        out = []
        prev: stats.YearRow | None = None
        for r in inj.by_year:
            gone = r.cases is None
            share = (MARK if gone or r.hospitalised is None else "—" if r.hospital_share is None
                     else f"{r.hospital_share:.1f}%")
            change = pct(r.change, gone or (prev is not None and prev.cases is None))
            if full:
                out.append([r.year, fmt_count(r.cases), fmt_num(r.population), rate(r.rate, gone), change,
                            fmt_count(r.deaths), rate(r.death_rate, r.deaths is None), fmt_count(r.hospitalised),
                            share])
            else:
                out.append([r.year, fmt_count(r.cases), rate(r.rate, gone), fmt_count(r.deaths), share])
            prev = r
        return out

    # table rows; cells that each output marks up its own way are handed over as `Cell`s

    def hazard_rows(self) -> list[list[Any]]:
        """The hazard register; the 挂牌督办 and status cells are `Cell("supervised"|status, text)`."""
        h = self.d.table("hazards")
        if h.empty:
            return []
        labels = {registers.CLOSED: self.t["closed"], registers.OPEN: self.t["open"],
                  registers.OVERDUE: self.t["overdue"]}
        out = []
        late = registers.hazard_late(self.d)
        for (i, r), st in zip(h.iterrows(), registers.hazard_status(self.d), strict=True):
            sup = Cell("supervised", self.t["supervised"]) if r.get("supervised") is True else self.t["word_no"]
            status = Cell("late", self.t["closed_late"]) if late[i] else Cell(st, labels[st])
            out.append([r["id"], r["found"], r["location"], r["category"], r["description"], r["level"], sup,
                        r.get("measures"), r.get("responsible"), r.get("due"), r.get("closed"), status])
        return out

    def action_rows(self) -> list[list[Any]]:
        """The actions register; an overdue action's 完成日期 cell is `Cell("overdue", text)`."""
        a = self.d.table("actions")
        if a.empty:
            return []
        late = set(registers.overdue_actions(self.d))
        out = []
        for r in a.to_dict("records"):
            done: Any = Cell("overdue", self.t["overdue_action"]) if str(r["id"]) in late else r.get("done")
            out.append([r.get(k) for k in ("id", "raised", "source", "issue", "action", "kind", "responsible",
                                           "due")] + [done, r.get("verified")])
        return out

    def goal_rows(self, goals: list[dict[str, Any]]) -> list[list[Any]]:
        """Goals with baseline and target; the last cell is `Cell("projects", ids)`."""
        def yv(x: Any) -> str:
            return f"{fmt_num(x['value'])}（{x['year']}）" if x else "—"
        return [[g.get("id"), g.get("title"), f"{g.get('indicator', '') or ''} {g.get('unit', '') or ''}".strip(),
                 yv(g.get("baseline")), yv(g.get("target")), Cell("projects", g.get("projects", []))]
                for g in goals]

    def indicator_rows(self, inds: list[stats.IndicatorRow]) -> tuple[list[str], list[list[Any]]]:
        """(header, rows) of a project's indicators against baseline and target; the last cell is
        `Cell("met"|"not_met", text)` or "—"."""
        t = self.t
        years = sorted({y for i in inds for y in i.actual})
        head = [t["indicator"], t["baseline"], *[f"{t['actual']} {y}" for y in years], t["target_value"],
                t["progress"], t["met"]]
        body = []
        for i in inds:
            unit = f"（{i.unit}）" if i.unit else ""
            met: Any = "—" if i.met is None else Cell("met" if i.met else "not_met", t["met"] if i.met else t["not_met"])
            body.append([f"{i.name}{unit}", f"{fmt_num(i.baseline[1])}（{i.baseline[0]}）" if i.baseline else "—",
                         *[fmt_num(i.actual.get(y)) for y in years],
                         f"{fmt_num(i.target[1])}（{i.target[0]}）" if i.target else "—",
                         f"{fmt_num(i.progress)}%" if i.progress is not None else "—", met])
        return head, body

    def ev_count_rows(self, counts: dict[int, int]) -> list[list[Any]]:
        return [[f"{el.number}. {self.el_label(el)}", counts.get(el.number, 0)] for el in ELEMENTS]

    def readiness_reasons(self, r: Readiness) -> str:
        """What an element lacks, in one line: the sentence of each unmet rule."""
        return ("；" if self.lang == "zh" else "; ").join(f.text(self.lang) for f in r.failed)
