"""Derived views of the registers reviewers read: hazards, members over time, activity per year."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from safedossier.format.model import Dossier

CLOSED, OPEN, OVERDUE = "closed", "open", "overdue"


def as_of(d: Dossier) -> dt.date:
    """The date statuses are judged at: the last day of the cycle (deterministic, unlike today)."""
    return dt.date(d.cycle[1], 12, 31)


def hazard_status(d: Dossier) -> pd.Series:
    """closed / overdue / open for each hazard."""
    h = d.table("hazards")
    if h.empty:
        return pd.Series(dtype=str)
    cutoff = pd.Timestamp(as_of(d))
    closed = h["closed"].notna() if "closed" in h else pd.Series(False, index=h.index)
    due = h["due"] if "due" in h else pd.Series(pd.NaT, index=h.index)
    status = pd.Series(OPEN, index=h.index)
    status[(~closed) & due.notna() & (due < cutoff)] = OVERDUE
    status[closed] = CLOSED
    return status


def hazard_late(d: Dossier) -> pd.Series:
    """Hazards closed after their due date (销号晚于整改期限)."""
    h = d.table("hazards")
    if h.empty or "closed" not in h or "due" not in h:
        return pd.Series(False, index=h.index, dtype=bool)
    return (h["closed"].notna() & h["due"].notna() & (h["closed"] > h["due"])).astype(bool)


def overdue_hazards(d: Dossier, serious_only: bool = False) -> list[str]:
    """Ids of hazards past their due date and not closed; `serious_only`: 重大 or 挂牌督办 ones."""
    h = d.table("hazards")
    if h.empty:
        return []
    sel = hazard_status(d) == OVERDUE
    if serious_only:
        sup = h["supervised"].fillna(False).astype(bool) if "supervised" in h else False
        sel &= (h["level"] == "重大") | sup
    return [str(i) for i in h.loc[sel, "id"]]


@dataclass
class HazardYear:
    year: int
    found: int
    closed: int
    open: int
    overdue: int
    supervised: int
    major: int
    late: int = 0  # closed after the due date
    due: int = 0  # with a due date on or before the cut-off: these should be closed
    on_time: int = 0  # closed on or before the due date
    on_time_rate: float | None = None  # 按期销号率, percent of `due`


def hazard_summary(d: Dossier) -> list[HazardYear]:
    h = d.table("hazards")
    if h.empty:
        return []
    status = hazard_status(d)
    year = h["found"].dt.year
    sup = h["supervised"].fillna(False) if "supervised" in h else pd.Series(False, index=h.index)
    late = hazard_late(d)
    due = h["due"] if "due" in h else pd.Series(pd.NaT, index=h.index)
    closed = h["closed"] if "closed" in h else pd.Series(pd.NaT, index=h.index)
    should = due.notna() & (due <= pd.Timestamp(as_of(d)))
    on_time = closed.notna() & due.notna() & (closed <= due)
    rows = []
    for y in d.years:
        sel = year == y
        n_due, n_ok = int((sel & should).sum()), int((sel & should & on_time).sum())
        rows.append(HazardYear(y, int(sel.sum()), int((sel & (status == CLOSED)).sum()),
                               int((sel & (status == OPEN)).sum()), int((sel & (status == OVERDUE)).sum()),
                               int((sel & sup.astype(bool)).sum()), int((sel & (h["level"] == "重大")).sum()),
                               late=int((sel & late).sum()), due=n_due, on_time=n_ok,
                               on_time_rate=round(n_ok / n_due * 100, 1) if n_due else None))
    return rows


def active_in(df: pd.DataFrame, year: int) -> pd.Series:
    """Members serving at some time in `year` (since ≤ 31 Dec, until ≥ 1 Jan or open)."""
    start, end = pd.Timestamp(year, 1, 1), pd.Timestamp(year, 12, 31)
    since = df["since"] if "since" in df else pd.Series(pd.NaT, index=df.index)
    until = df["until"] if "until" in df else pd.Series(pd.NaT, index=df.index)
    return (since.isna() | (since <= end)) & (until.isna() | (until >= start))


def members_by_year(d: Dossier, group_names: dict[str, str]) -> pd.DataFrame:
    """Members serving per group (rows) and year (columns)."""
    m = d.table("members")
    data = {}
    for y in d.years:
        act = m[active_in(m, y)] if not m.empty else m
        data[y] = act.groupby("group").size() if not act.empty else pd.Series(dtype=int)
    tab = pd.DataFrame(data).fillna(0).astype(int)
    order = [g for g in group_names if g in tab.index] + [g for g in tab.index if g not in group_names]
    return tab.reindex(order)


@dataclass
class MemberChange:
    year: int
    joined: list[str]
    left: list[str]


def member_changes(d: Dossier) -> list[MemberChange]:
    """Who joined and who left each year (committee members act in office: names are public)."""
    m = d.table("members")
    out = []
    for y in d.years:
        joined = m[m["since"].dt.year == y] if "since" in m else m.iloc[0:0]
        left = m[m["until"].dt.year == y] if "until" in m else m.iloc[0:0]
        if y == d.years[0]:
            joined = joined.iloc[0:0]  # the founding members are not "changes"
        out.append(MemberChange(y, [f"{r['name']}（{r['role']}）" for _, r in joined.iterrows()],
                                [f"{r['name']}（{r['role']}）" for _, r in left.iterrows()]))
    return out


@dataclass
class YearCount:
    year: int
    count: int
    participants: int


def per_year(d: Dossier, table: str, col: str = "date", people: str = "participants") -> list[YearCount]:
    df = d.table(table)
    out = []
    for y in d.years:
        sel = df[df[col].dt.year == y] if not df.empty else df
        total = int(sel[people].fillna(0).sum()) if people in sel and not sel.empty else 0
        out.append(YearCount(y, len(sel), total))
    return out


def kind_by_year(d: Dossier, table: str, col: str = "date") -> pd.DataFrame:
    df = d.table(table)
    if df.empty:
        return pd.DataFrame()
    tab = pd.crosstab(df["kind"], df[col].dt.year).reindex(columns=d.years, fill_value=0)
    tab["合计"] = tab.sum(axis=1)
    return tab


@dataclass
class ActionSummary:
    total: int
    done: int
    pending: int
    overdue: int
    by_year: list[tuple[int, int, int]]  # year, raised, done


DONE, PENDING = "done", "pending"  # and OVERDUE, as for hazards


def action_status(d: Dossier) -> pd.Series:
    """done / overdue / pending for each action (overdue: not done and past its due date at the
    cut-off). The one place of the rule: summaries, readiness, the site and the Excel export read it."""
    a = d.table("actions")
    if a.empty:
        return pd.Series(dtype=str)
    done = a["done"].notna() if "done" in a else pd.Series(False, index=a.index)
    due = a["due"] if "due" in a else pd.Series(pd.NaT, index=a.index)
    status = pd.Series(PENDING, index=a.index)
    status[(~done) & due.notna() & (due < pd.Timestamp(as_of(d)))] = OVERDUE
    status[done] = DONE
    return status


def overdue_actions(d: Dossier) -> list[str]:
    """Ids of actions past their due date and not done at the cut-off."""
    a = d.table("actions")
    return [str(i) for i in a.loc[action_status(d) == OVERDUE, "id"]] if not a.empty else []


def action_summary(d: Dossier) -> ActionSummary:
    a = d.table("actions")
    if a.empty:
        return ActionSummary(0, 0, 0, 0, [])
    status = action_status(d)
    done = status == DONE
    year = a["raised"].dt.year
    by_year = [(y, int((year == y).sum()), int(((year == y) & done).sum())) for y in d.years]
    return ActionSummary(len(a), int(done.sum()), int((~done).sum()), int((status == OVERDUE).sum()), by_year)
