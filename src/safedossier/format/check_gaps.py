"""Warnings for what a reviewer would miss: years without records, empty groups, projects without
indicators, population that does not add up."""

from __future__ import annotations

import numpy as np

from safedossier.analyse import baseline
from safedossier.format.context import Context
from safedossier.format.diagnostics import Report
from safedossier.format.model import Dossier
from safedossier.format.schema import (
    ELEMENT_FILES,
    ELEMENTS,
)

# --- what a reviewer would miss ---------------------------------------------------------------

YEARLY = (("injuries", "date", "伤害记录", "injury records"), ("trainings", "date", "宣传培训活动", "trainings"),
          ("drills", "date", "应急演练", "drills"), ("inspections", "date", "检查记录", "inspections"),
          ("meetings", "date", "会议记录", "meetings"))


def warn_gaps(d: Dossier, ctx: Context) -> None:
    rep = ctx.report
    if ctx.cycle:
        for name, col, what, what_en in YEARLY:
            df = d.tables.get(name)
            if df is None or col not in df.columns:
                continue
            have = set(df[col].dt.year.dropna().astype(int))
            for y in d.years:
                if y not in have:
                    rep.warn("year_without", df.attrs["file"], None, col, year=y, what=what, what_en=what_en)
        pop = d.tables.get("population")
        if pop is not None and "year" in pop.columns:
            have = set(pop["year"].dropna().astype(int))
            for y in d.years:
                if y not in have:
                    rep.warn("population_year_missing", pop.attrs["file"], None, "year", year=y)
    _warn_population_sums(d, rep)
    for b in baseline.disagreeing(d):
        rep.warn("baseline_disagrees", b.file, None, b.field, found=fmt_num(b.typed), name=b.name, year=b.year,
                 typed=fmt_num(b.typed), computed=fmt_num(b.computed), how=b.how_zh, how_en=b.how_en)
    org = d.element("organisation")
    org_file = "dossier/" + ELEMENTS[0].filename
    members = d.tables.get("members")
    member_groups = set(members["group"].dropna()) if members is not None and "group" in members else set()
    projects = d.element("projects").get("projects", [])
    project_groups = {p.get("group") for p in projects}
    for g in org.get("groups", []):
        gid, gname = g.get("id", ""), g.get("name", "")
        if members is not None and gid not in member_groups and gname not in member_groups:
            rep.warn("group_without_members", org_file, None, "groups", id=gid, name=gname)
        if g.get("kind") == "专项":
            if not g.get("area"):
                rep.warn("group_without_area", org_file, None, f"groups.{gid}.area", found=gid)
            if gid not in project_groups and gname not in project_groups:
                rep.warn("group_without_project", org_file, None, "groups", id=gid, name=gname)
    for p in projects:
        if not p.get("indicators"):
            rep.warn("project_without_indicators", "dossier/" + ELEMENT_FILES_BY_SLUG["projects"], None,
                     "projects", id=p.get("id", ""), name=p.get("name", ""))
    for p in d.element("emergency").get("plans", []):
        if not p.get("revised"):
            rep.warn("plan_without_revision", "dossier/" + ELEMENT_FILES_BY_SLUG["emergency"], None,
                     "plans", id=p.get("id", ""), name=p.get("name", ""))


ELEMENT_FILES_BY_SLUG = {e.slug: fn for fn, e in ELEMENT_FILES.items()}


def fmt_num(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else f"{v:g}"


def _warn_population_sums(d: Dossier, rep: Report) -> None:
    pop = d.tables.get("population")
    if pop is None or "total" not in pop.columns:
        return
    checks = ((("male", "female"), "男女人数", "male and female"),
              (("age_0_14", "age_15_59", "age_60_plus"), "各年龄组人数", "age groups"))
    for cols, what, what_en in checks:
        if not all(c in pop.columns for c in cols):
            continue
        parts = pop[list(cols)]
        total = parts.sum(axis=1, min_count=len(cols))
        bad = (total.notna() & pop["total"].notna() & (total != pop["total"])).to_numpy()
        for i in np.flatnonzero(bad):
            rep.warn("population_sum", pop.attrs["file"], int(pop.attrs["rows"][i]), "total",
                     found=int(pop["total"].iloc[i]), what=what, what_en=what_en,
                     sum=int(total.iloc[i]), total=int(pop["total"].iloc[i]))
