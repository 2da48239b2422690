"""The registers as plain sheets (title, header, rows, which rows to mark): what the workbook shows.

Everything comes from the dossier's tables and the prepared views; injury *records* never appear,
only the protected statistics tables of `Views.statistics()`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from safedossier.analyse import registers
from safedossier.analyse.registers import action_status
from safedossier.analyse.views import Views
from safedossier.format.schema import TABLE_BY_NAME

#: the registers in the order of the elements; injuries are deliberately absent
REGISTERS = ("members", "meetings", "activities", "hazards", "trainings", "drills", "inspections",
             "actions", "evidence", "population")


@dataclass
class Sheet:
    name: str  # ≤ 31 characters, unique in the workbook
    header: list[str]
    rows: list[list[Any]]
    marks: list[str] = field(default_factory=list)  # per row: "", "open" or "overdue"
    source: str = ""  # the dossier table the rows are, one for one ("" for statistics)
    chart: str = ""  # the name of the chart `Views.statistics()` draws of these figures, if any


def _table_sheet(v: Views, name: str) -> Sheet:
    table = TABLE_BY_NAME[name]
    cols = [f for f in table.fields if not f.private]
    df = v.d.table(name)
    label = table.label if v.lang == "zh" else table.label_en
    header = [f.label if v.lang == "zh" else f.label_en for f in cols]
    rows = [[r.get(f.key) for f in cols] for r in df.to_dict("records")]
    return Sheet(label, header, rows, [""] * len(rows), name)


def _with_status(sheet: Sheet, status: pd.Series, labels: dict[str, str], marks: dict[str, str],
                 head: str) -> Sheet:
    sheet.header.append(head)
    for row, st in zip(sheet.rows, status.tolist(), strict=True):
        row.append(labels[st])
    sheet.marks = [marks.get(st, "") for st in status.tolist()]
    return sheet


def _frame_sheet(name: str, first: str, tab: pd.DataFrame, chart: str | None = "") -> Sheet:
    return Sheet(name, [first, *[str(c) for c in tab.columns]],
                 [[str(i), *row] for i, row in zip(tab.index, tab.values.tolist(), strict=True)], chart=chart or "")


def register_sheets(v: Views) -> list[Sheet]:
    t = v.t
    out = []
    for name in REGISTERS:
        sheet = _table_sheet(v, name)
        if name == "hazards":  # the same status cells the site's register shows
            status = pd.Series([row[-1].kind for row in v.hazard_rows()], dtype=str)
            labels = {k: t[k] for k in (registers.CLOSED, registers.OPEN, registers.OVERDUE)}
            labels["late"] = t["closed_late"]  # closed, but after its due date
            sheet = _with_status(sheet, status, labels, {"open": "open", "overdue": "overdue"}, t["status"])
        elif name == "actions":
            sheet = _with_status(sheet, action_status(v.d), {"done": t["done"], "pending": t["pending"],
                                 "overdue": t["overdue"]}, {"pending": "open", "overdue": "overdue"}, t["status"])
        out.append(sheet)
        if name == "members":
            by_year = v.element_extras("organisation")["members_by_year"]
            group = TABLE_BY_NAME["members"].field("group")
            out.append(_frame_sheet(t["members_by_year"], group.label if v.lang == "zh" else group.label_en,
                                    by_year))
    return out


def statistics_sheets(v: Views) -> list[Sheet]:
    """The injury and accident statistics as the site shows them (hidden counts stay `*`)."""
    t = v.t
    s = v.statistics()
    out = [Sheet(t["injury_overview"], [t[k] for k in ("year", "cases", "population", "rate", "change", "deaths",
                                                       "death_rate", "hospitalised", "hospital_share")],
                 v.year_rows(s["inj"], full=True), chart="injuries-by-year")]
    for key, chart, tab, _change in s["dims"]:
        out.append(_frame_sheet(("伤害" if v.lang == "zh" else "Injuries ") + t[key], t["dim_" + key[3:]], tab, chart))
    # exactly the cause × age tables the site shows: per year when there are several years (a pooled
    # table beside them would give hidden cells back), pooled otherwise
    if s["pooled"] is not None:
        out.append(_frame_sheet(t["cause_by_age"], t["dim_cause"], s["pooled"]))
    for year, tab in s["crosses"]:
        out.append(_frame_sheet(f"{t['cause_by_age']} {year}", t["dim_cause"], tab))
    if s["acc_rows"]:
        out.append(Sheet(t["accidents"], [t[k] for k in ("year", "count", "deaths", "injured", "loss")],
                         [[r.year, r.count, r.deaths, r.injured, r.loss] for r in s["acc_rows"]],
                         chart="accidents-by-year" if "accidents-by-year" in s["charts"] else ""))
    if not s["acc_kinds"].empty:
        out.append(_frame_sheet(t["accident_kinds"], t["accident_kinds"], s["acc_kinds"]))
    return out


def all_sheets(v: Views) -> list[Sheet]:
    """Every sheet, with names made unique and short enough for Excel (31 characters, no []:*?/\\)."""
    sheets = register_sheets(v) + statistics_sheets(v)
    seen: set[str] = set()
    for s in sheets:
        base = "".join(c for c in s.name if c not in "[]:*?/\\")[:28] or "Sheet"
        name, n = base, 2
        while name.lower() in seen:
            name, n = f"{base}{n}", n + 1
        seen.add(name.lower())
        s.name = name
    return sheets
