"""Figures derived from published injury counts: shares, year-over-year changes, rates per group.

Every figure here is computed from a table `suppress.publish` returned, never from raw records, so
a figure that needs a hidden count is hidden itself (rule 6 of `suppress`): a share or a rate times a
published denominator would give the count back.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from safedossier.analyse import suppress

# population columns (format/schema.py) of the groups the statistics publish
POPULATION_COLUMNS = {"男": "male", "女": "female", "0-14岁": "age_0_14", "15-59岁": "age_15_59",
                      "60岁及以上": "age_60_plus"}


def shares(published: pd.DataFrame, raw: pd.DataFrame) -> pd.DataFrame:
    """Each published cell as a percent of its column (the 合计 column: of all cases); None if hidden.

    The column totals are published margins (a year's cases, the grand total), so a share of a
    published cell discloses nothing more than the cell.
    """
    out = pd.DataFrame(index=published.index, columns=published.columns, dtype=object)
    totals = {c: int(raw[c].sum()) for c in raw.columns}
    grand = int(raw.to_numpy().sum())
    for c in published.columns:
        denom = grand if c == "合计" else totals.get(c, 0)
        for i in published.index:
            v = suppress.value(published.at[i, c])
            out.at[i, c] = None if v is None or not denom else round(v / denom * 100, 1)
    return out


def year_columns(tab: pd.DataFrame) -> list[int]:
    """The columns of a dimension × year table that are single years (not a joint column, not 合计)."""
    return [c for c in tab.columns if isinstance(c, int)]


def yoy(published: pd.DataFrame) -> pd.DataFrame:
    """Change of each category's count from one published year to the next, percent.

    Cells: a float, None when the earlier count is 0, or MARK when either count is hidden.
    """
    years = year_columns(published)
    pairs = [(a, b) for a, b in zip(years, years[1:], strict=False) if b == a + 1]
    out = pd.DataFrame(index=published.index, columns=[b for _, b in pairs], dtype=object)
    for a, b in pairs:
        for i in published.index:
            va, vb = suppress.value(published.at[i, a]), suppress.value(published.at[i, b])
            out.at[i, b] = (suppress.MARK if va is None or vb is None
                            else None if va == 0 else round((vb - va) / va * 100, 1))
    return out


@dataclass
class RateRow:
    """Cases of one group in one year per 1,000 of its population (the denominator is shown)."""

    group: str
    year: int
    cases: int | None  # None: hidden
    population: int | None
    rate: float | None  # None: hidden (cases hidden) or no population


def group_population(pop: pd.DataFrame, group: str, year: int) -> int | None:
    """The population of a published group (a merged age band: the sum of its bands) in `year`."""
    if pop.empty or "year" not in pop:
        return None
    row = pop[pop["year"] == year]
    if row.empty:
        return None
    total = 0
    for part in group.split("、"):
        col = POPULATION_COLUMNS.get(part)
        if col is None or col not in row or pd.isna(row.iloc[0][col]):
            return None
        total += int(row.iloc[0][col])
    return total or None


def group_rates(published: pd.DataFrame, pop: pd.DataFrame) -> list[RateRow]:
    """Rates per 1,000 of every group of a published sex or age group × year table, by group and year."""
    out: list[RateRow] = []
    for g in published.index:
        for y in year_columns(published):
            n = suppress.value(published.at[g, y])
            p = group_population(pop, str(g), y)
            rate = round(n / p * 1000, 2) if n is not None and p else None
            out.append(RateRow(str(g), y, n, p, rate))
    return [r for r in out if r.population is not None]


def as_marks(rows: list[RateRow]) -> list[list[Any]]:
    """Rows for a table: group, year, cases, population, rate ‰ (hidden cells read MARK)."""
    return [[r.group, r.year, suppress.MARK if r.cases is None else r.cases, r.population,
             suppress.MARK if r.cases is None else "—" if r.rate is None else f"{r.rate:.2f}"] for r in rows]
