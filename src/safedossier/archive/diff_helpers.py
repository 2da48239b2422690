"""Small helpers both halves of the diff use: natural sort of ids, plain Python values."""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd


def natural_key(key: str) -> list[Any]:
    """Sort key so that H2 comes before H10."""
    return [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", key)]


def sorted_ids(keys: Any) -> list[str]:
    return sorted((str(k) for k in keys), key=natural_key)


def plain(v: Any) -> Any:
    """A pandas/numpy/YAML value as a plain JSON value; empty text and missing values become None."""
    if v is None:
        return None
    if isinstance(v, (list, tuple)):
        return [plain(x) for x in v]
    if isinstance(v, dict):
        return {str(k): plain(x) for k, x in v.items()}
    if isinstance(v, str):
        return v if v.strip() else None
    if isinstance(v, pd.Timestamp):
        return None if pd.isna(v) else v.date().isoformat()
    try:
        if pd.isna(v):
            return None
    except (TypeError, ValueError):
        pass
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, np.integer):
        return int(v)
    if isinstance(v, np.floating):
        return float(v)
    return v
