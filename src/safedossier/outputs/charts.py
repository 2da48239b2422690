"""SVG charts of aggregated statistics, drawn with matplotlib in a Simplified Chinese font.

Text is converted to paths, so the charts look the same everywhere and need no web font; the SVG
bytes are deterministic (fixed hash salt, no date), so rebuilding gives identical files.

Drawing is kept apart from the data it starts from (`DRAW`: plain lists in, SVG out, no pandas), so a
site build can have the charts drawn in its MkDocs child while it renders the other pages
(`deferred`): a chart is then a callable that gives its SVG when the page files are written.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache as once
from pathlib import Path
from typing import TYPE_CHECKING, Any

import matplotlib

from safedossier import cache
from safedossier.analyse.mark import MARK

if TYPE_CHECKING:
    import pandas as pd

Svg = str | Callable[[], str]  # an SVG, or (while `deferred`) what gives it when asked
# (kind, arguments) → what gives the SVG drawn elsewhere (None: it failed), or None if it cannot
Remote = Callable[[str, tuple[Any, ...]], Callable[[], str | None] | None]
_REMOTE: Remote | None = None

# pyplot is imported on first drawing only: a build whose charts are all cached never pays for it
plt: Any = None

CJK_FONT = "Noto Sans CJK SC"
# Adjacent entries differ in hue and lightness, so neighbouring years never look alike (also in grey).
PALETTE = ["#00796b", "#f4a259", "#3d5a80", "#bc4b51", "#8cb369", "#6d597a", "#98c1d9", "#ee6c4d"]
# Charts are drawn at about a phone's content width (4.6 in ≈ 440 px) with 11 pt text: shown at 100 %
# of a 390 px screen's column, labels stay at about 11 px or more.
WIDTH = 4.6
FONT = 11
WRAP = 7  # CJK characters per line of a category label


@once
def _setup() -> None:
    global plt
    matplotlib.use("Agg")
    from matplotlib import font_manager, pyplot

    plt = pyplot
    try:
        font_manager.findfont(font_manager.FontProperties(family=CJK_FONT), fallback_to_default=False)
    except ValueError:  # fonts installed after matplotlib cached its list: rebuild it once
        font_manager.fontManager = font_manager._load_fontmanager(try_read_cache=False)
    plt.rcParams.update({
        "font.family": "sans-serif",
        "font.sans-serif": [CJK_FONT, "DejaVu Sans"],
        "axes.unicode_minus": False,
        "svg.fonttype": "path",
        "svg.hashsalt": "safedossier",
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.prop_cycle": matplotlib.cycler(color=PALETTE),
        "font.size": FONT,
        "axes.titlesize": FONT + 1,
        "legend.fontsize": FONT - 1,
    })


_CODE = Path(__file__).read_bytes()  # a changed drawing code never reuses an old chart
_MEMO: dict[str, str] = {}  # chart key → SVG: archive versions with equal data draw each chart once


def _memo(name: str, *parts: object) -> tuple[str, str | None]:
    """A content key for a chart and its SVG if it was drawn before (in this process or on disk)."""
    key = cache.key(name, matplotlib.__version__, _CODE, *(
        p.to_json() if hasattr(p, "to_json") else repr(p) for p in parts))  # a DataFrame: its JSON
    if key not in _MEMO:
        hit = cache.get("charts", key)
        if hit is not None:
            _MEMO[key] = hit.decode("utf-8")
    return key, _MEMO.get(key)


def _keep(key: str, svg: str) -> str:
    _MEMO[key] = svg
    cache.put("charts", key, svg.encode("utf-8"))
    return svg


@contextmanager
def deferred(remote: Remote | None) -> Iterator[None]:
    """Charts not in the cache are drawn by `remote` while this lasts (nothing changes with None)."""
    global _REMOTE
    old, _REMOTE = _REMOTE, remote
    try:
        yield
    finally:
        _REMOTE = old


def resolve(svg: Svg) -> str:
    return svg() if callable(svg) else svg


def _draw(key: str, kind: str, args: tuple[Any, ...]) -> Svg:
    """Draw a chart that was not cached: here, or — while `deferred` — elsewhere, here on failure."""
    later = _REMOTE(kind, args) if _REMOTE is not None else None
    if later is None:
        return _keep(key, DRAW[kind](*args))
    return lambda: _keep(key, later() or DRAW[kind](*args))


def _svg(fig: Any) -> str:
    buf = io.StringIO()
    fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None, "Creator": None})
    plt.close(fig)
    return buf.getvalue()


def _hidden(v: object) -> bool:
    """A count `suppress` hid: no bar is drawn, only its mark."""
    return v is None or v == MARK


def _wrap(label: str) -> str:
    """A long category name over several lines (CJK text has no spaces to break at)."""
    if len(label) <= WRAP:
        return label
    return "\n".join(label[i:i + WRAP] for i in range(0, len(label), WRAP))


def _few_ticks(axis: Any) -> None:
    from matplotlib.ticker import MaxNLocator

    axis.set_major_locator(MaxNLocator(nbins=4, integer=True))


def bars_by_year(years: list[int], values: list[float | None], title: str, ylabel: str,
                 line: list[float | None] | None = None, line_label: str = "") -> Svg:
    """Yearly bars, optionally with a rate line on a second axis; hidden values get no bar, only MARK."""
    key, hit = _memo("bars", years, values, title, ylabel, line, line_label)
    if hit is not None:
        return hit
    return _draw(key, "bars", (years, values, title, ylabel, line, line_label))


def _bars(years: list[int], values: list[float | None], title: str, ylabel: str,
          line: list[float | None] | None, line_label: str) -> str:
    _setup()
    fig, ax = plt.subplots(figsize=(WIDTH, 3.3))
    xs = [str(y) for y in years]
    bars = ax.bar(xs, [0.0 if _hidden(v) else v for v in values], color=PALETTE[0], width=0.55)
    ax.bar_label(bars, labels=[MARK if _hidden(v) else f"{v:g}" for v in values], padding=2, fontsize=FONT - 1)
    _few_ticks(ax.yaxis)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.margins(y=0.15)
    if line and any(v is not None for v in line):
        ax2 = ax.twinx()
        ax2.plot(xs, [v if v is not None else float("nan") for v in line], color=PALETTE[3],
                 marker="o", label=line_label)
        ax2.set_ylabel(line_label)
        ax2.spines["top"].set_visible(False)
        top = max(v for v in line if v is not None)
        ax2.set_ylim(0, top * 1.3 if top > 0 else 1)
        _few_ticks(ax2.yaxis)
    return _svg(fig)


def grouped_barh(tab: pd.DataFrame, title: str, xlabel: str) -> Svg:
    """Horizontal bars: one group per category (rows), one bar per year (columns).

    A hidden cell (MARK) gets no bar, only the mark where the bar would start.
    """
    key, hit = _memo("barh", tab, title, xlabel)
    if hit is not None:
        return hit
    return _draw(key, "barh", (list(tab.index), list(tab.columns), [tab[c].tolist() for c in tab.columns],
                               title, xlabel))


def _barh(index: list[Any], columns: list[Any], data: list[list[Any]], title: str, xlabel: str) -> str:
    _setup()
    cats = [_wrap(str(c)) for c in index][::-1]
    n_years = len(columns)
    height = 0.8 / max(n_years, 1)
    lines = sum(c.count("\n") + 1 for c in cats)
    rows = max(len(cats) * (0.2 + 0.17 * max(1, n_years)), lines * 0.2)
    fig, ax = plt.subplots(figsize=(WIDTH, max(2.4, rows + 1.1)))
    for i, (col, column) in enumerate(zip(columns, data, strict=True)):
        raw = column[::-1]
        vals = [0.0 if _hidden(v) else float(v) for v in raw]
        pos = [j + ((n_years - 1) / 2 - i) * height for j in range(len(cats))]  # first year on top
        ax.barh(pos, vals, height=height, label=str(col), color=PALETTE[i % len(PALETTE)])
        for p, v in zip(pos, raw, strict=True):
            if _hidden(v):
                ax.text(0, p, f" {MARK}", va="center", ha="left", fontsize=FONT - 1)
    ax.set_yticks(range(len(cats)), cats)
    ax.set_ylim(-0.6, len(cats) - 0.4)
    _few_ticks(ax.xaxis)
    ax.set_xlabel(xlabel)
    ax.set_title(title)
    if n_years > 1:  # above the plot, one row: never over a bar
        ax.legend(frameon=False, loc="lower left", bbox_to_anchor=(0, 1.0), ncol=min(n_years, 4),
                  borderaxespad=0.2, handlelength=1.2, columnspacing=1.0)
        ax.set_title(title, pad=FONT * 2.6)
    return _svg(fig)


DRAW: dict[str, Callable[..., str]] = {"bars": _bars, "barh": _barh}
