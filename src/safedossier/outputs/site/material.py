"""Material's conventions the site follows: top tabs, previous/next footer, a light/dark toggle,
Chinese wording for the permalink tooltips (the 404 page is `theme/404.html`)."""

from __future__ import annotations

from typing import Any

FEATURES = ["navigation.tabs", "navigation.sections", "navigation.top", "navigation.indexes",
            "navigation.footer", "search.highlight", "content.tabs.link"]

_TOGGLE = {
    "zh": ("切换到深色模式", "切换到浅色模式"),
    "en": ("Switch to dark mode", "Switch to light mode"),
}


def palette(own: Any, lang: str) -> list[dict[str, Any]]:
    """A light and a dark scheme with a toggle, in the community's colours.

    A dossier's `theme.palette` that already lists schemes is kept as it is; a single one (colours
    only) gives its colours to both schemes, so branding a site never takes the toggle away.
    """
    if isinstance(own, list):
        return own
    colours = {k: own[k] for k in ("primary", "accent") if isinstance(own, dict) and k in own}
    colours = {"primary": "teal", "accent": "amber", **colours}
    to_dark, to_light = _TOGGLE["en" if lang == "en" else "zh"]
    return [
        {"media": "(prefers-color-scheme: light)", "scheme": "default", **colours,
         "toggle": {"icon": "material/weather-night", "name": to_dark}},
        {"media": "(prefers-color-scheme: dark)", "scheme": "slate", **colours,
         "toggle": {"icon": "material/weather-sunny", "name": to_light}},
    ]


def toc(lang: str) -> dict[str, Any]:
    """Heading permalinks, their tooltip in the site's language."""
    return {"toc": {"permalink": True, "permalink_title": "Permanent link" if lang == "en" else "永久链接"}}
