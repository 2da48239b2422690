"""Injury and accident statistics: aggregates only.

Nothing in this module returns a record: every output is a count, a rate or a share per group, so
what reaches a page cannot identify a resident. Cross-tabulations suppress small cells (n < 5), as
published surveillance reports do.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .model import Dossier
from .schema import INJURY_CODES

AGE_BINS = [-1, 14, 59, 200]
AGE_LABELS = ["0-14岁", "15-59岁", "60岁及以上"]
AGE_LABELS_EN = ["0–14", "15–59", "60+"]
SMALL_CELL = 5

DIMENSIONS = ("sex", "age_group", "cause", "place", "activity", "severity", "outcome")


@dataclass
class YearRow:
    year: int
    cases: int
    population: int | None
    rate: float | None  # per 1,000 population
    change: float | None  # year-over-year change of cases, percent
    deaths: int
    death_rate: float | None  # per 100,000 population
    hospitalised: int
    hospital_share: float | None  # percent of cases


@dataclass
class InjuryStats:
    """Everything the statistics page and the PDF show about injuries."""

    years: list[int]
    by_year: list[YearRow]
    # dimension → DataFrame (index: category in code-list order, columns: years, + "合计")
    by_dim: dict[str, pd.DataFrame] = field(default_factory=dict)
    age_cause: pd.DataFrame | None = None  # cross-tab, small cells suppressed (as strings)
    total: int = 0


def age_groups(age: pd.Series, lang: str = "zh") -> pd.Series:
    labels = AGE_LABELS if lang == "zh" else AGE_LABELS_EN
    return pd.cut(age.astype(float), bins=AGE_BINS, labels=labels)


def _order(dim: str, present: list[str]) -> list[str]:
    """Categories in code-list order (then anything else), so tables read like the report card."""
    base = {
        "sex": ["男", "女"], "severity": ["轻度", "中度", "重度"],
        "outcome": ["处理后离院", "住院", "转院", "死亡", "其他"], "age_group": AGE_LABELS,
    }.get(dim) or list(INJURY_CODES.get(dim, ())) + ["其他", "不清楚"]
    return [c for c in base if c in present] + sorted(c for c in present if c not in base)


def injury_stats(d: Dossier) -> InjuryStats:
    inj = d.table("injuries")
    years = d.years
    pop = population(d)
    if inj.empty or "date" not in inj:
        return InjuryStats(years, [YearRow(y, 0, pop.get(y), None, None, 0, None, 0, None) for y in years])
    year = inj["date"].dt.year
    frame = pd.DataFrame({"year": year})
    for dim in DIMENSIONS:
        if dim == "age_group":
            frame[dim] = age_groups(inj["age"]).astype(str) if "age" in inj else "不清楚"
        else:
            frame[dim] = inj[dim].fillna("不清楚").astype(str) if dim in inj else "不清楚"
    frame = frame[frame["year"].isin(years)]
    counts = frame.groupby("year").size().reindex(years, fill_value=0)
    deaths = (frame["outcome"] == "死亡").groupby(frame["year"]).sum().reindex(years, fill_value=0)
    hosp = (frame["outcome"] == "住院").groupby(frame["year"]).sum().reindex(years, fill_value=0)
    rows: list[YearRow] = []
    prev: int | None = None
    for y in years:
        n, p = int(counts[y]), pop.get(y)
        rows.append(YearRow(
            year=y, cases=n, population=p,
            rate=round(n / p * 1000, 2) if p else None,
            change=round((n - prev) / prev * 100, 1) if prev else None,
            deaths=int(deaths[y]), death_rate=round(int(deaths[y]) / p * 100_000, 2) if p else None,
            hospitalised=int(hosp[y]), hospital_share=round(int(hosp[y]) / n * 100, 1) if n else None,
        ))
        prev = n
    by_dim = {}
    for dim in DIMENSIONS:
        tab = pd.crosstab(frame[dim], frame["year"]).reindex(columns=years, fill_value=0)
        tab = tab.reindex(_order(dim, list(tab.index)))
        tab["合计"] = tab.sum(axis=1)
        by_dim[dim] = tab.astype(int)
    cross = pd.crosstab(frame["cause"], frame["age_group"])
    cross = cross.reindex(index=_order("cause", list(cross.index)),
                          columns=[c for c in AGE_LABELS if c in cross.columns], fill_value=0)
    shown = cross.astype(object).where(cross >= SMALL_CELL, f"<{SMALL_CELL}")
    shown = shown.where(cross != 0, 0)
    return InjuryStats(years, rows, by_dim, shown, int(counts.sum()))


def population(d: Dossier) -> dict[int, int]:
    """Total population by year (years without a positive total are left out)."""
    pop = d.table("population")
    if pop.empty or "total" not in pop:
        return {}
    ok = pop.dropna(subset=["year", "total"])
    return {int(y): int(t) for y, t in zip(ok["year"], ok["total"], strict=True) if t > 0}


def shares(tab: pd.DataFrame) -> pd.DataFrame:
    """Column percentages of a by-dimension table (the 合计 column included)."""
    totals = tab.sum(axis=0).replace(0, np.nan)
    return (tab / totals * 100).round(1).fillna(0.0)


@dataclass
class AccidentRow:
    year: int
    count: int
    deaths: int
    injured: int
    loss: float


def accident_stats(d: Dossier) -> tuple[list[AccidentRow], pd.DataFrame]:
    """Per year totals, and counts by kind × year."""
    acc = d.table("accidents")
    years = d.years
    if acc.empty or "date" not in acc:
        return [AccidentRow(y, 0, 0, 0, 0.0) for y in years], pd.DataFrame()
    year = acc["date"].dt.year
    rows = []
    for y in years:
        sel = acc[year == y]
        rows.append(AccidentRow(y, len(sel), int(sel["deaths"].fillna(0).sum()),
                                int(sel["injured"].fillna(0).sum()),
                                round(float(sel["loss"].fillna(0).sum()), 2) if "loss" in sel else 0.0))
    kinds = pd.crosstab(acc["kind"], year).reindex(columns=years, fill_value=0)
    return rows, kinds


@dataclass
class IndicatorRow:
    """One project indicator against its baseline and target."""

    project: str
    project_name: str
    name: str
    unit: str
    baseline: tuple[int, float] | None
    target: tuple[int, float] | None
    actual: dict[int, float]
    latest: float | None
    progress: float | None  # share of the baseline→target distance covered, percent
    met: bool | None


def indicator_rows(d: Dossier) -> list[IndicatorRow]:
    out = []
    for p in d.element("projects").get("projects", []):
        for ind in p.get("indicators", []):
            base = ind.get("baseline")
            tgt = ind.get("target")
            actual = dict(sorted((ind.get("actual") or {}).items()))
            latest = actual[max(actual)] if actual else None
            b = (int(base["year"]), float(base["value"])) if base and "value" in base and "year" in base else None
            t = (int(tgt["year"]), float(tgt["value"])) if tgt and "value" in tgt and "year" in tgt else None
            progress = met = None
            if b and t and latest is not None and t[1] != b[1]:
                progress = round((latest - b[1]) / (t[1] - b[1]) * 100, 1)
                met = (latest <= t[1]) if t[1] < b[1] else (latest >= t[1])
            out.append(IndicatorRow(p.get("id", ""), p.get("name", ""), ind.get("name", ""),
                                    ind.get("unit", ""), b, t, actual, latest, progress, met))
    return out
