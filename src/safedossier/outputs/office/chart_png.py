"""The site's charts as PNG for Word (python-docx cannot embed SVG).

Drawn by the very functions of `outputs/charts.py` from the data `Views.statistics()` prepared, with
only the last step — saving the figure — made PNG instead of SVG; nothing is recomputed and the
drawing code exists once. Fixed metadata keeps the bytes stable.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from safedossier.analyse.views import DIMENSIONS, Views
from safedossier.outputs import charts


@contextmanager
def _png() -> Iterator[list[bytes]]:
    got: list[bytes] = []
    saved = charts._svg, charts._memo, charts._keep

    def save(fig: Any) -> str:
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=150, bbox_inches="tight", metadata={"Software": None})
        charts.plt.close(fig)
        got.append(buf.getvalue())
        return ""

    charts._svg = save
    charts._memo = lambda name, *parts: ("", None)  # the SVG cache holds SVG: never read it here
    charts._keep = lambda key, svg: svg
    try:
        yield got
    finally:
        charts._svg, charts._memo, charts._keep = saved


def _one(draw: Callable[..., str], *args: Any, **kw: Any) -> bytes:
    with _png() as got:
        draw(*args, **kw)
    return got[0]


def statistics_pngs(v: Views, stat: dict[str, Any]) -> dict[str, bytes]:
    """name → PNG for every chart the site shows (the same names as `stat["charts"]`)."""
    t, inj = v.t, stat["inj"]
    out = {"injuries-by-year": _one(charts.bars_by_year, inj.years, [r.cases for r in inj.by_year],
                                    t["injury_overview"], t["cases"], line=[r.rate for r in inj.by_year],
                                    line_label=t["rate"])}
    for dim, key in DIMENSIONS:  # the charts `Views.statistics` drew, from the same published counts
        name = f"injuries-{dim.replace('_', '-')}"
        if name in stat["charts"]:
            out[name] = _one(charts.grouped_barh, inj.by_dim[dim].drop(columns=["合计"]), t[key], t["cases"])
    if "accidents-by-year" in stat["charts"]:
        out["accidents-by-year"] = _one(charts.bars_by_year, inj.years, [r.count for r in stat["acc_rows"]],
                                        t["accidents"], t["count"])
    return out
