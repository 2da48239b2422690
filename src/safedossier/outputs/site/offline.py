"""A site that works opened from disk (file://, a USB stick, an unzipped mail attachment).

Three things break there: directory URLs (`elements/03-risk/` shows a folder listing), the search
index (fetched; browsers refuse `fetch` on file://) and the search worker (Chromium refuses Web
Workers on file://). Material's `offline` plugin turns off directory URLs and inlines the index into
`search/search_index.js`; it would load the worker shim from a CDN, so the package ships the shim
(`theme/assets/javascripts/iframe-worker-shim.js`) and names it first: the plugin then adds none.
"""

from __future__ import annotations

from typing import Any

#: The vendored iframe-worker shim, relative to the site root (custom_dir files land there). Its name
#: contains "iframe-worker", which is how Material's offline plugin sees the shim is already there.
SHIM = "assets/javascripts/iframe-worker-shim.js"


def make_offline(config: dict[str, Any]) -> None:
    """Turn a generated mkdocs.yml (as a dict) into one for a site read from disk, in place."""
    config["use_directory_urls"] = False
    plugins = config.setdefault("plugins", [])
    if "offline" not in plugins:
        plugins.append("offline")
    extra = config.setdefault("extra", {})
    extra["polyfills"] = [SHIM]
    extra["dossier_offline"] = True  # main.html: links to another version end in index.html


def page_url(folder: str, offline: bool) -> str:
    """A link to a folder's page that also works on file:// when the site is built offline."""
    folder = folder.rstrip("/") + "/"
    return folder + "index.html" if offline else folder
