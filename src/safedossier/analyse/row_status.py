"""The state of each row of the action register, beside `registers.hazard_status` for hazards.

`registers.action_summary` counts these states; the Excel export marks them row by row, so the rule
lives here once, judged at the same date (`registers.as_of`).
"""

from __future__ import annotations

import pandas as pd

from safedossier.analyse.registers import as_of
from safedossier.format.model import Dossier

DONE, PENDING, OVERDUE = "done", "pending", "overdue"


def action_status(d: Dossier) -> pd.Series:
    """done / overdue / pending for each action (overdue: not done and past its due date)."""
    a = d.table("actions")
    if a.empty:
        return pd.Series(dtype=str)
    done = a["done"].notna() if "done" in a else pd.Series(False, index=a.index)
    due = a["due"] if "due" in a else pd.Series(pd.NaT, index=a.index)
    status = pd.Series(PENDING, index=a.index)
    status[(~done) & due.notna() & (due < pd.Timestamp(as_of(d)))] = OVERDUE
    status[done] = DONE
    return status
