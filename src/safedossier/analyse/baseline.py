"""Baselines the dossier's own injury records can compute, to compare with the typed ones.

A goal (04-goals.yml) or a project indicator (05-projects.yml) whose name says what it counts —
"道路交通伤害报告人次", "0-14岁儿童伤害报告人次", "60岁及以上跌倒伤害发生率" — has a baseline the
injury records of its baseline year give. `dossier check` warns when the typed value differs, and
readiness (element 4, effect) lists such goals. Only names that are read without doubt are judged:
an injury indicator (伤害) counted in 人次 or as a rate in ‰, with words for age, cause or place
from the lists below; anything else is left alone.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pandas as pd

from safedossier.analyse.derived import POPULATION_COLUMNS
from safedossier.format.model import Dossier

# words in an indicator's name → (injury column, values, how the criterion reads in zh / en)
CAUSES = (
    (("道路交通",), ("机动车车祸", "非机动车车祸"), "原因为机动车或非机动车车祸", "cause: motor or non-motor vehicle"),
    (("跌倒", "坠落"), ("跌倒/坠落",), "原因为跌倒/坠落", "cause: fall"),
    (("溺水",), ("溺水",), "原因为溺水", "cause: drowning"),
    (("烧烫伤",), ("烧烫伤",), "原因为烧烫伤", "cause: burn"),
    (("中毒",), ("中毒",), "原因为中毒", "cause: poisoning"),
    (("动物伤",), ("动物伤",), "原因为动物伤", "cause: animal"),
)
PLACES = (
    (("居家", "家中", "家庭"), ("家中",), "地点为家中", "place: home"),
    (("工作场所",), ("工业和建筑场所",), "地点为工业和建筑场所", "place: industrial or construction site"),
)
AGES = (
    (("0-14岁", "0～14岁", "0—14岁", "0–14岁", "儿童"), (0, 14), "0-14岁", "0-14岁", "aged 0–14"),
    (("60岁及以上", "60岁以上", "老年人"), (60, 200), "60岁及以上", "60岁及以上", "aged 60+"),
)


@dataclass(frozen=True)
class Baseline:
    """A typed baseline and the one the records give."""

    file: str
    field: str  # e.g. "goals.MB01.baseline.value"
    name: str
    year: int
    typed: float
    computed: float
    unit: str
    how_zh: str
    how_en: str

    @property
    def agrees(self) -> bool:
        if self.unit == "‰":  # typed rates are rounded: agree to the typed precision (at most 0.01)
            return abs(self.typed - self.computed) <= 0.0051 + 1e-9
        return self.typed == self.computed


def _criterion(name: str, unit: str) -> tuple[dict[str, tuple[str, ...]], tuple[int, int] | None, str, str,
                                              str] | None:
    """What the indicator counts: {column: values}, age range, population column, zh and en words."""
    if "伤害" not in name or unit not in ("人次", "‰"):
        return None
    cols: dict[str, tuple[str, ...]] = {}
    zh: list[str] = []
    en: list[str] = []
    for words, values, z, e in CAUSES:
        if any(w in name for w in words):
            cols["cause"] = cols.get("cause", ()) + values
            zh.append(z)
            en.append(e)
    for words, values, z, e in PLACES:
        if any(w in name for w in words):
            cols["place"] = values
            zh.append(z)
            en.append(e)
    age, pop_col = None, "total"
    for words, span, group, z, e in AGES:
        if any(w in name for w in words):
            age, pop_col = span, POPULATION_COLUMNS[group]
            zh.append(z)
            en.append(e)
    if not zh:
        return None  # "伤害报告人次" of everything is the overview's figure, but names vary too much
    return cols, age, pop_col, "、".join(zh), ", ".join(en)


def _computed(d: Dossier, year: int, crit: tuple, unit: str) -> float | None:
    cols, age, pop_col, _, _ = crit
    inj = d.table("injuries")
    if inj.empty or "date" not in inj:
        return None
    sel = inj["date"].dt.year == year
    if not sel.any():
        return None  # no records of the baseline year: nothing to compare with
    for col, values in cols.items():
        if col not in inj:
            return None
        sel &= inj[col].isin(values)
    if age is not None:
        if "age" not in inj:
            return None
        sel &= inj["age"].between(*age)
    n = int(sel.sum())
    if unit == "人次":
        return float(n)
    pop = d.table("population")
    row = pop[pop["year"] == year] if not pop.empty and "year" in pop else pop
    if row.empty or pop_col not in row or pd.isna(row.iloc[0][pop_col]) or not row.iloc[0][pop_col]:
        return None
    return round(n / float(row.iloc[0][pop_col]) * 1000, 2)


def _declared(d: Dossier) -> Iterator[tuple[str, str, str, str, dict]]:
    for g in d.element("goals").get("goals", []):
        yield "dossier/04-goals.yml", f"goals.{g.get('id')}", str(g.get("indicator") or ""), str(
            g.get("unit") or ""), g.get("baseline") or {}
    for p in d.element("projects").get("projects", []):
        for k, ind in enumerate(p.get("indicators", [])):
            yield "dossier/05-projects.yml", f"projects.{p.get('id')}.indicators.{k}", str(
                ind.get("name") or ""), str(ind.get("unit") or ""), ind.get("baseline") or {}


def baselines(d: Dossier) -> list[Baseline]:
    """Every typed baseline whose indicator the injury records can compute, with both values."""
    out = []
    for file, path, name, unit, base in _declared(d):
        crit = _criterion(name, unit)
        if crit is None or "year" not in base or "value" not in base:
            continue
        try:
            year, typed = int(base["year"]), float(base["value"])
        except (TypeError, ValueError):
            continue
        value = _computed(d, year, crit, unit)
        if value is not None:
            out.append(Baseline(file, f"{path}.baseline.value", name, year, typed, value, unit, crit[3], crit[4]))
    return out


def disagreeing(d: Dossier) -> list[Baseline]:
    return [b for b in baselines(d) if not b.agrees]
