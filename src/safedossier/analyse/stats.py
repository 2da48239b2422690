"""Injury and accident statistics: aggregates only.

Nothing in this module returns a record: every output is a count, a rate or a share per group, so
what reaches a page cannot identify a resident. Every count is protected by `suppress` (small
cells hidden, with complementary cells and merged small groups, so none can be worked back).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from safedossier.analyse import derived, suppress
from safedossier.analyse.memo import per_dossier
from safedossier.format.model import Dossier
from safedossier.format.schema import INJURY_CODES

AGE_BINS = [-1, 14, 59, 200]
AGE_LABELS = ["0-14岁", "15-59岁", "60岁及以上"]
AGE_LABELS_EN = ["0–14", "15–59", "60+"]

DIMENSIONS = ("sex", "age_group", "occupation", "cause", "nature", "body_part", "intent", "place", "activity",
              "severity", "outcome")
# Nominal dimensions are shown most frequent first (as surveillance reports rank causes); the others
# keep their natural order (sex, age, severity, outcome).
RANKED = frozenset({"occupation", "cause", "nature", "body_part", "intent", "place", "activity"})
LAST = ("不清楚", "其他")


@dataclass
class YearRow:
    """One year of the overview; a None count or figure is hidden (see `suppress`)."""

    year: int
    cases: int | None
    population: int | None
    rate: float | None  # per 1,000 population
    change: float | None  # year-over-year change of cases, percent
    deaths: int | None
    death_rate: float | None  # per 100,000 population
    hospitalised: int | None
    hospital_share: float | None  # percent of cases


@dataclass
class InjuryStats:
    """Everything the statistics page and the PDF show about injuries, as published.

    Counts are already protected by `suppress`: hidden cells read `suppress.MARK`; no raw count of
    a small group is kept here, so no output can show one by mistake.
    """

    years: list[int]
    by_year: list[YearRow]
    # dimension → DataFrame (index: category group, columns: years (hidden years as one joint column),
    # + "合计"); cells are ints or MARK
    by_dim: dict[str, pd.DataFrame] = field(default_factory=dict)
    age_cause: pd.DataFrame | None = None  # cause × age group, same rules
    # (year column, cause × age group of it, its shares of each age group) for each year column of
    # `by_dim["cause"]` (see `_year_cross`)
    age_cause_by_year: list[tuple[Any, pd.DataFrame, pd.DataFrame]] = field(default_factory=list)
    # dimension → the published cells as shares of their column (percent; None where hidden)
    shares: dict[str, pd.DataFrame] = field(default_factory=dict)
    total: int | None = 0
    # dimension → categories merged into a group; for the change report only, never rendered
    merged: dict[str, list[str]] = field(default_factory=dict)


def age_groups(age: pd.Series, lang: str = "zh") -> pd.Series:
    labels = AGE_LABELS if lang == "zh" else AGE_LABELS_EN
    return pd.cut(age.astype(float), bins=AGE_BINS, labels=labels)


def _order(dim: str, present: list[str], counts: dict[str, int] | None = None) -> list[str]:
    """Categories in code-list order (then anything else), so tables read like the report card;
    ranked dimensions most frequent first (ties in code-list order), 不清楚 and 其他 last."""
    base = {
        "sex": ["男", "女"], "severity": ["轻度", "中度", "重度"],
        "outcome": ["处理后离院", "住院", "转院", "死亡", "其他"], "age_group": AGE_LABELS,
    }.get(dim) or list(INJURY_CODES.get(dim, ())) + ["其他", "不清楚"]
    out = [c for c in base if c in present] + sorted(c for c in present if c not in base)
    if dim in RANKED and counts is not None:
        out = sorted(out, key=lambda c: (c in LAST, LAST.index(c) if c in LAST else -counts.get(c, 0)))
    return out


def _grouped(frame: pd.DataFrame, dim: str) -> pd.Series:
    """The dimension's categories merged so that every published total is 0 or ≥ 5."""
    totals = frame[dim].value_counts()
    totals = totals.reindex(_order(dim, list(totals.index), {str(k): int(v) for k, v in totals.items()}))
    mapping = suppress.groups(totals, None if dim == "age_group" else "其他")
    return frame[dim].map(mapping)


def _ordered_groups(dim: str, col: pd.Series) -> list[str]:
    present = list(pd.unique(col.to_numpy(dtype=object)))  # first-seen order, like dict.fromkeys
    counts = {str(k): int(v) for k, v in col.value_counts().items()}
    known = [c for c in _order(dim, present, counts) if c in present]
    merged = [c for c in present if c not in known]
    other = [c for c in known if c == "其他"]
    return [c for c in known if c != "其他"] + merged + other


def cross_counts(rows: pd.Series, cols: pd.Series) -> pd.DataFrame:
    """`pd.crosstab(rows, cols)` (a row per value of `rows`, a column per value of `cols`, missing
    values left out), by one group-by: crosstab's pivot table aggregates in Python, 10 ms a table
    against 2 ms, and the statistics of a version draw about thirty tables."""
    both = pd.DataFrame({"r": rows.to_numpy(dtype=object), "c": cols.to_numpy(dtype=object)}, index=rows.index)
    return both.groupby(["r", "c"], sort=False).size().unstack(fill_value=0)


def _withheld(years: list[int], pop: dict[int, int]) -> InjuryStats:
    """Fewer than 5 cases in the whole cycle: no figure at all may be published."""
    return InjuryStats(years, [YearRow(y, None, pop.get(y), None, None, None, None, None, None) for y in years],
                       total=None)


@per_dossier("injuries", "population")  # the site, the PDF and the change report share one result
def injury_stats(d: Dossier) -> InjuryStats:
    inj = d.table("injuries")
    years = d.years
    pop = population(d)
    if inj.empty or "date" not in inj:
        return InjuryStats(years, [YearRow(y, 0, pop.get(y), None, None, 0, None, 0, None) for y in years])
    frame = pd.DataFrame({"year": inj["date"].dt.year})
    for dim in DIMENSIONS:
        if dim == "age_group":
            frame[dim] = age_groups(inj["age"]).astype(str) if "age" in inj else "不清楚"
        else:
            frame[dim] = inj[dim].fillna("不清楚").astype(str) if dim in inj else "不清楚"
    frame = frame[frame["year"].isin(years)]
    total = len(frame)
    if suppress.is_small(total):
        return _withheld(years, pop)
    counts = frame.groupby("year").size().reindex(years, fill_value=0)
    hid = suppress.hidden_years({y: int(counts[y]) for y in years})
    if hid is None:  # e.g. one case in each of five years: any per-year figure would give them back
        return _withheld(years, pop)
    joint = "、".join(map(str, hid))
    columns: list[Any] = [y for y in years if y not in hid] + ([joint] if hid else [])
    col = frame["year"].astype(object).where(~frame["year"].isin(hid), joint)
    by_dim: dict[str, pd.DataFrame] = {}
    grouped: dict[str, pd.Series] = {}
    merged: dict[str, list[str]] = {}
    shares: dict[str, pd.DataFrame] = {}
    for dim in DIMENSIONS:
        grouped[dim] = g = _grouped(frame, dim)
        raw, grp = frame[dim].to_numpy(dtype=object), g.to_numpy(dtype=object)  # not pandas' per-item iteration
        merged[dim] = sorted({str(a) for a in pd.unique(raw[raw != grp])})
        tab = cross_counts(g, col).reindex(index=_ordered_groups(dim, g), columns=columns, fill_value=0)
        tab.index.name = tab.columns.name = None
        by_dim[dim] = suppress.publish(tab)
        shares[dim] = derived.shares(by_dim[dim], tab)
    cross = cross_counts(grouped["cause"], grouped["age_group"])
    cross = cross.reindex(index=_ordered_groups("cause", grouped["cause"]),
                          columns=_ordered_groups("age_group", grouped["age_group"]), fill_value=0)
    cross.index.name = cross.columns.name = None
    rows = _year_rows(years, {y: int(counts[y]) for y in years if y not in hid}, pop, by_dim["outcome"],
                      set(frame["outcome"].unique()))
    crosses = _year_cross(col, grouped["cause"], grouped["age_group"], by_dim["cause"], by_dim["age_group"])
    pooled = suppress.publish(cross)
    shares["age_cause"] = derived.shares(pooled, cross)
    return InjuryStats(years, rows, by_dim, pooled, total=total, merged=merged,
                       age_cause_by_year=crosses, shares=shares)


def _year_groups(published: pd.Series, raw: pd.Series, label: str | None) -> dict[str, str]:
    """The groups of one year's cross-tab: a category whose count in that year is hidden in its
    dimension × year table is merged with the other hidden ones (their sum is already known: the
    year's total less the published cells), and with more categories until the group is ≥ 5."""
    hidden = [str(k) for k, v in published.items() if v == suppress.MARK]
    if not hidden:
        return {str(k): str(k) for k in published.index}
    if label is not None and label in published.index and label not in hidden:
        hidden.append(label)
    while sum(int(raw.get(k, 0)) for k in hidden) < suppress.SMALL:
        rest = [str(k) for k in published.index if str(k) not in hidden and int(raw.get(k, 0)) > 0]
        if not rest:
            break
        hidden.append(min(rest, key=lambda k: (int(raw.get(k, 0)), list(published.index).index(k))))
    name = label if label is not None else "、".join(str(k) for k in published.index if str(k) in hidden)
    return {str(k): (name if str(k) in hidden else str(k)) for k in published.index}


def _merged_last(mapping: dict[str, str], index: pd.Index) -> list[str]:
    names = list(dict.fromkeys(mapping[str(k)] for k in index))
    merged = {v for k, v in mapping.items() if k != v}
    return [n for n in names if n not in merged] + [n for n in names if n in merged]


def _year_cross(col: pd.Series, cause: pd.Series, age: pd.Series, by_cause: pd.DataFrame,
                by_age: pd.DataFrame) -> list[tuple[Any, pd.DataFrame, pd.DataFrame]]:
    """Cause × age group of each year column, protected like every table.

    Its margins are that year's cells of the cause × year and age × year tables: a margin hidden there
    is never shown here (hidden categories of the year form one group, see `_year_groups`), so each
    year's table adds only its own cells, protected against its own published margins. The pooled
    cause × age table is left out when there are several year columns: it is the sum of these, and
    a pooled cell less the other years' published cells would give a hidden one back.
    """
    out: list[tuple[Any, pd.DataFrame, pd.DataFrame]] = []
    for y in [c for c in by_cause.columns if c != "合计"]:
        if y not in by_age.columns:
            continue
        sel = col == y
        cmap = _year_groups(by_cause[y], cause[sel].value_counts(), "其他")
        amap = _year_groups(by_age[y], age[sel].value_counts(), None)
        rows, cols = cause[sel].map(cmap), age[sel].map(amap)
        r_order, c_order = _merged_last(cmap, by_cause.index), _merged_last(amap, by_age.index)
        tab = cross_counts(rows, cols).reindex(index=r_order, columns=c_order, fill_value=0)
        tab.index.name = tab.columns.name = None
        pub = suppress.publish(tab)
        out.append((y, pub, derived.shares(pub, tab)))
    return out


def _year_rows(years: list[int], cases: dict[int, int], pop: dict[int, int], outcome: pd.DataFrame,
               present: set[str]) -> list[YearRow]:
    """The overview, from published counts only: a hidden count hides every figure made from it.

    Deaths and hospitalisations are the outcome table's cells, hidden where that table hides them
    (or merged them into a group); `present` are the outcomes that occur at all.
    """
    def cell(kind: str, y: int) -> int | None:
        if kind not in present:
            return 0
        if kind not in outcome.index or y not in outcome.columns:
            return None
        return suppress.value(outcome.at[kind, y])

    rows: list[YearRow] = []
    prev: int | None = None
    for y in years:
        n, p = cases.get(y), pop.get(y)
        dead, hosp = (cell("死亡", y), cell("住院", y)) if n is not None else (None, None)
        rows.append(YearRow(
            year=y, cases=n, population=p,
            rate=round(n / p * 1000, 2) if p and n is not None else None,
            change=round((n - prev) / prev * 100, 1) if prev and n is not None else None,
            deaths=dead, death_rate=round(dead / p * 100_000, 2) if p and dead is not None else None,
            hospitalised=hosp, hospital_share=round(hosp / n * 100, 1) if n and hosp is not None else None,
        ))
        prev = n
    return rows


def population(d: Dossier) -> dict[int, int]:
    """Total population by year (years without a positive total are left out)."""
    pop = d.table("population")
    if pop.empty or "total" not in pop:
        return {}
    ok = pop.dropna(subset=["year", "total"])
    return {int(y): int(t) for y, t in zip(ok["year"], ok["total"], strict=True) if t > 0}


@dataclass
class AccidentRow:
    year: int
    count: int
    deaths: int
    injured: int
    loss: float


@per_dossier("accidents")
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
