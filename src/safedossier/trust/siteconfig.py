"""What a dossier may configure and publish on its site — one policy for `check` and `render`.

A dossier is data. Its `mkdocs.yml` may set a few values (names, colours, a logo, extra CSS, a
banner); each is validated here and anything else is ignored. Nothing from the dossier is ever
rendered as a template, served as an active document (HTML, SVG, XML, script) on the site's origin,
or published from `data/`, `dossier/` or `evidence/` through the theme. `check_site_config` reports
every refusal with file, line and field and returns only the values that passed.
"""

from __future__ import annotations

import os
import re
from importlib import resources
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from safedossier.format.diagnostics import Report

CONFIG = "mkdocs.yml"
OVERRIDES = "overrides"
PRIVATE_DIRS = frozenset({"data", "dossier", "evidence"})  # never published through the theme
MAX_CSS_BYTES = 512 * 1024
MAX_SVG_BYTES = 128 * 1024  # an SVG logo is inlined as a data: URI on every page

# Static files the theme layer may publish from `overrides/` (and from `extra_css`, `logo`, `favicon`).
STYLE = frozenset({".css"})
RASTER = frozenset({".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".ico"})
FONTS = frozenset({".woff", ".woff2", ".ttf", ".otf"})
ASSETS = STYLE | RASTER | FONTS
LOGO = RASTER | {".svg"}  # an SVG logo is inlined as <img src="data:…">, where it cannot run script

# Evidence published byte for byte: types browsers show inertly or hand to a viewer/download. Every
# other suffix (.html, .xhtml, .svg, .xml, .js, .css, unknown…) is published as text, never as a document.
EVIDENCE_AS_IS = frozenset({
    ".pdf", ".ofd", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".bmp", ".tif", ".tiff", ".heic",
    ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".odt", ".ods", ".odp", ".wps", ".et", ".dps",
    ".rtf", ".txt", ".csv", ".zip", ".rar", ".7z", ".mp3", ".wav", ".m4a", ".mp4", ".mov", ".avi",
    ".wmv", ".webm", ".ogg",
})
# Of those, what the gallery plays in the page (HTML5 <video>/<audio>: media, never active content).
VIDEO = frozenset({".mp4", ".webm"})
AUDIO = frozenset({".mp3", ".m4a", ".ogg", ".wav"})

PRIMARY = frozenset({"red", "pink", "purple", "deep-purple", "indigo", "blue", "light-blue", "cyan", "teal",
                     "green", "light-green", "lime", "yellow", "amber", "orange", "deep-orange", "brown",
                     "grey", "blue-grey", "black", "white"})
ACCENT = PRIMARY - {"brown", "grey", "blue-grey", "black", "white"}
SCHEMES = frozenset({"default", "slate"})
MEDIA = frozenset({"(prefers-color-scheme)", "(prefers-color-scheme: light)", "(prefers-color-scheme: dark)"})
FEATURES = frozenset({
    "announce.dismiss", "content.code.annotate", "content.code.copy", "content.code.select",
    "content.footnote.tooltips", "content.tabs.link", "content.tooltips", "header.autohide",
    "navigation.expand", "navigation.footer", "navigation.indexes", "navigation.instant",
    "navigation.instant.prefetch", "navigation.instant.progress", "navigation.path", "navigation.prune",
    "navigation.sections", "navigation.tabs", "navigation.tabs.sticky", "navigation.top",
    "navigation.tracking", "search.highlight", "search.share", "search.suggest", "toc.follow",
    "toc.integrate",
})
ICON_KEYS = frozenset({"logo", "menu", "alternate", "search", "share", "close", "top", "edit", "view",
                       "repo", "previous", "next"})
_ICON = re.compile(r"(?:material|octicons|simple|fontawesome/(?:brands|regular|solid))/[a-z0-9][a-z0-9-]*")
# Characters that would end an attribute or open a tag where Material prints the value unescaped.
_NOT_TEXT = re.compile(r"[<>\"\x00-\x1f\x7f\u2028\u2029]")
_URL = re.compile(r"https?://[^\s\"'<>\\`{}|^]+", re.I)
TEXT_LIMITS = {"site_name": 120, "site_author": 120, "copyright": 300, "site_description": 300}
# Why a file is refused, as (zh, en) for the diagnostics.
REASONS = {
    "type": ("文件类型不允许", "this file type is not allowed"),
    "remote": ("不能引用站外地址", "it is an outside address"),
    "private": ("data/、dossier/、evidence/ 和隐藏目录中的文件不能作为主题文件发布",
                "files in data/, dossier/, evidence/ and hidden folders are never published as theme files"),
    "missing": ("档案目录中没有这个文件（或它是指向别处的链接）", "no such file in the dossier (or it is a link)"),
    "link": ("文件是符号链接", "the file is a symbolic link"),
    "css": ("样式表引用了站外地址或脚本", "the style sheet refers to an outside address or script"),
    "size": ("文件过大", "the file is too large"),
    "svg": ("SVG 可能含有脚本，只能用作 theme.logo 或 theme.favicon（作为图片内嵌）",
            "an SVG may hold script; it can only be theme.logo or theme.favicon (inlined as an image)"),
}
HONOURED = frozenset({*TEXT_LIMITS, "site_url", "theme", "extra_css", "extra"})


def evidence_name(rel: str) -> str:
    """The name an evidence file is published under: as is when inert, else with `.txt` appended."""
    return rel if PurePosixPath(rel).suffix.lower() in EVIDENCE_AS_IS else rel + ".txt"


# --- files ------------------------------------------------------------------------------------

def _plain_inside(root: Path, rel: str) -> Path | None:
    """`root/rel` when it is a regular file reached without any symbolic link, else None."""
    if not rel or "\x00" in rel or rel.startswith(("/", "\\")) or re.match(r"[A-Za-z]:", rel):
        return None
    parts = PurePosixPath(rel.replace("\\", "/")).parts
    if any(p in ("..", "") for p in parts):
        return None
    path = root.joinpath(*parts)
    try:
        real = Path(os.path.realpath(path)).relative_to(os.path.realpath(root))
    except (OSError, ValueError):
        return None
    return path if real.parts == parts and path.is_file() else None


def asset(root: Path, rel: Any, suffixes: frozenset[str]) -> tuple[Path | None, str]:
    """A dossier file that may be published as a theme asset, or None and why not (a message key)."""
    rel = str(rel).strip().replace("\\", "/").removeprefix("./")
    if re.match(r"[a-z][a-z0-9+.-]*:|//", rel, re.I):
        return None, "remote"
    if PurePosixPath(rel).suffix.lower() not in suffixes:
        return None, "type"
    for candidate in (rel, f"{OVERRIDES}/{rel}"):
        parts = PurePosixPath(candidate).parts
        if not parts or parts[0] in PRIVATE_DIRS or any(p.startswith(".") and p not in (".", "..") for p in parts):
            continue
        path = _plain_inside(root, candidate)
        if path is not None:
            return path, ""
    parts = PurePosixPath(rel).parts
    if parts and (parts[0] in PRIVATE_DIRS or any(p.startswith(".") for p in parts)):
        return None, "private"
    return None, "missing"


def overrides_assets(root: Path) -> tuple[list[str], list[tuple[str, str]]]:
    """Files of `overrides/` to publish (relative to it) and those refused, with the reason."""
    own = root / OVERRIDES
    if not own.is_dir() or own.is_symlink():
        return [], []
    ok: list[str] = []
    refused: list[tuple[str, str]] = []
    for dirpath, dirnames, filenames in os.walk(own, followlinks=False):
        dirnames.sort()
        for name in sorted(filenames):
            rel = (Path(dirpath) / name).relative_to(own).as_posix()
            if any(p.startswith(".") for p in PurePosixPath(rel).parts):
                continue  # editor and OS litter, never published
            path = _plain_inside(own, rel)
            if path is None:
                refused.append((rel, "link"))
            elif path.suffix.lower() not in ASSETS:
                refused.append((rel, "svg" if path.suffix.lower() == ".svg" else "type"))
            elif path.suffix.lower() == ".css" and css_problem(path) is not None:
                refused.append((rel, "css"))
            else:
                ok.append(rel)
    return ok, refused


_CSS_HOOK = re.compile(r"expression\s*\(|behavior\s*:|-moz-binding", re.I)


_CSS_URL = re.compile(r"url\(\s*(['\"]?)(.*?)\1\s*\)", re.I | re.S)
_CSS_STRING = re.compile(r"(['\"])(.*?)\1", re.S)
_CSS_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_SAFE_URL = re.compile(r"[A-Za-z0-9_./-]+(?:[?#][A-Za-z0-9_=&.-]*)?|data:image/[a-z+.-]+[;,][A-Za-z0-9+/=;, ]*")


def css_problem(path: Path) -> str | None:
    """What in a style sheet could make a request leave the site or run script, else None.

    Strict on purpose, because a filter that is not a CSS tokenizer can be fooled (a `/*` inside a
    string hiding a real `@import`, an escaped quote shifting strings, a control character the
    browser's URL parser strips): no backslash escapes and no control characters at all, no
    `@import`, every `url(…)` a plain relative path or a data: image, and no string anywhere that
    looks like an address (`image-set("//…")`). The old scripting hooks are refused too.
    """
    try:
        if path.stat().st_size > MAX_CSS_BYTES:
            return f"> {MAX_CSS_BYTES} bytes"
        text = path.read_bytes().decode("utf-8", "replace")
    except OSError as exc:
        return type(exc).__name__
    if "\\" in text:
        return "\\ (escape)"
    if _CSS_CONTROL.search(text):
        return "control character"
    if re.search(r"@import", text, re.I):
        return "@import"
    urls = list(_CSS_URL.finditer(text))
    if len(urls) != len(re.findall(r"url\(", text, re.I)):
        return "url("
    for m in urls:
        if not _SAFE_URL.fullmatch(m.group(2).strip()) or "//" in m.group(2):
            return m.group(2).strip()[:60] or "url()"
    for m in _CSS_STRING.finditer(_CSS_URL.sub("", text)):
        if re.search(r"//|^\s*[a-z][a-z0-9+.-]*:", m.group(2), re.I):
            return m.group(2)[:60]
    hook = _CSS_HOOK.search(text) or re.search(r"javascript\s*:", text, re.I)
    return hook.group() if hook else None


# --- mkdocs.yml -------------------------------------------------------------------------------

class _Lines(yaml.SafeLoader):
    """Composes nodes only (for line numbers); tags are never constructed."""


def site_lines(root: Path) -> dict[tuple[Any, ...], int]:
    """The line of every key path in the dossier's mkdocs.yml (best effort; {} when unreadable)."""
    lines: dict[tuple[Any, ...], int] = {}
    try:
        node = yaml.compose((root / CONFIG).read_bytes()[:1_000_000].decode("utf-8", "replace"), Loader=_Lines)
    except (OSError, yaml.YAMLError, RecursionError, ValueError):
        return lines
    budget = [0]

    def walk(n: yaml.Node, path: tuple[Any, ...]) -> None:
        budget[0] += 1
        if budget[0] > 5000 or len(path) > 8:
            return
        lines.setdefault(path, n.start_mark.line + 1)
        if isinstance(n, yaml.MappingNode):
            for k, v in n.value:
                if isinstance(k, yaml.ScalarNode):
                    lines.setdefault(path + (k.value,), k.start_mark.line + 1)
                    walk(v, path + (k.value,))
        elif isinstance(n, yaml.SequenceNode):
            for i, v in enumerate(n.value):
                walk(v, path + (i,))
    if node is not None:
        walk(node, ())
    return lines


class _Checker:
    def __init__(self, root: Path, report: Report) -> None:
        self.root, self.report = root, report
        self._lines: dict[tuple[Any, ...], int] | None = None

    def line(self, path: tuple[Any, ...]) -> int | None:
        if self._lines is None:
            self._lines = site_lines(self.root)
        while path and path not in self._lines:
            path = path[:-1]
        return self._lines.get(path)

    def where(self, path: tuple[Any, ...]) -> tuple[int | None, str]:
        return self.line(path), ".".join(str(p) for p in path)

    def error(self, code: str, path: tuple[Any, ...], found: Any, **params: Any) -> None:
        self.report.error(code, CONFIG, *self.where(path), found=found, **params)

    def warn(self, code: str, path: tuple[Any, ...], found: Any, **params: Any) -> None:
        self.report.warn(code, CONFIG, *self.where(path), found=found, **params)

    def text(self, value: Any, path: tuple[Any, ...], limit: int) -> str | None:
        if isinstance(value, (dict, list)) or value is None:
            self.error("site_text", path, type(value).__name__, limit=limit)
            return None
        text = str(value).strip()
        if _NOT_TEXT.search(text) or len(text) > limit:
            self.error("site_text", path, text, limit=limit)
            return None
        return text or None

    def choice(self, value: Any, path: tuple[Any, ...], allowed: frozenset[str]) -> str | None:
        v = str(value).strip().lower().replace(" ", "-") if isinstance(value, (str, int)) else None
        if v in allowed:
            return v
        self.warn("site_value", path, value, allowed=", ".join(sorted(allowed)))
        return None

    def icon(self, value: Any, path: tuple[Any, ...]) -> str | None:
        if isinstance(value, str) and _ICON.fullmatch(value) and _icon_exists(value):
            return value
        self.warn("site_value", path, value, allowed="material/… octicons/… fontawesome/… simple/…")
        return None

    def file(self, value: Any, path: tuple[Any, ...], suffixes: frozenset[str]) -> str | None:
        found, why = asset(self.root, value, suffixes) if isinstance(value, str) else (None, "type")
        kinds = " ".join(sorted(suffixes))
        if found is None:
            self.error("site_file", path, value, kinds=kinds, **_why(why))
            return None
        if found.suffix.lower() == ".css" and (bad := css_problem(found)) is not None:
            self.error("site_css", path, f"{value}: {bad}")
            return None
        if found.suffix.lower() == ".svg" and found.stat().st_size > MAX_SVG_BYTES:
            self.error("site_file", path, value, kinds=kinds, **_why("size"))
            return None
        return found.relative_to(self.root).as_posix()


def _why(code: str) -> dict[str, str]:
    zh, en = REASONS[code]
    return {"why": zh, "why_en": en}


def _icon_exists(name: str) -> bool:
    try:
        return resources.files("material").joinpath("templates", ".icons", f"{name}.svg").is_file()
    except (ModuleNotFoundError, OSError):
        return False


def check_site_config(root: Path, raw: dict[str, Any], report: Report) -> dict[str, Any]:
    """The honoured, validated subset of the dossier's mkdocs.yml; every refusal is reported."""
    c = _Checker(root, report)
    out: dict[str, Any] = {}
    for key in raw:
        if key not in HONOURED:
            report.info("site_key_ignored", CONFIG, *c.where((key,)), key=key)
    for key, limit in TEXT_LIMITS.items():
        if raw.get(key) not in (None, ""):
            if (text := c.text(raw[key], (key,), limit)) is not None:
                out[key] = text
    if raw.get("site_url"):
        url = str(raw["site_url"]).strip()
        if _URL.fullmatch(url) and not isinstance(raw["site_url"], (dict, list)):
            out["site_url"] = url
        else:
            c.error("site_url", ("site_url",), raw["site_url"])
    theme = _theme(c, raw.get("theme"))
    if theme:
        out["theme"] = theme
    css = raw.get("extra_css") or []
    for i, item in enumerate(css if isinstance(css, list) else [css]):
        if (rel := c.file(item, ("extra_css", i), STYLE)) is not None:
            out.setdefault("extra_css", []).append(rel)
    extra = _extra(c, raw.get("extra"))
    if extra:
        out["extra"] = {"dossier": extra}
    _, refused = overrides_assets(root)
    for rel, why in refused:
        report.warn("overrides_skipped", f"{OVERRIDES}/{rel}", found=rel, **_why(why))
    return out


def _theme(c: _Checker, theme: Any) -> dict[str, Any]:
    if not isinstance(theme, dict):
        return {}
    out: dict[str, Any] = {}
    for key in theme:
        if key not in ("name", "palette", "logo", "favicon", "icon", "features", "language"):
            c.report.info("site_key_ignored", CONFIG, *c.where(("theme", key)), key=f"theme.{key}")
    if theme.get("name") not in (None, "material"):
        c.warn("site_value", ("theme", "name"), theme["name"], allowed="material")
    if (palette := theme.get("palette")) is not None:
        options = palette if isinstance(palette, list) else [palette]
        good = [p for i, o in enumerate(options[:4]) if (p := _palette(c, o, ("theme", "palette") + (
            (i,) if isinstance(palette, list) else ()))) is not None]
        if good:
            out["palette"] = good if isinstance(palette, list) else good[0]
    for key in ("logo", "favicon"):
        if theme.get(key):
            if (rel := c.file(theme[key], ("theme", key), LOGO)) is not None:
                out[key] = rel
    icons = theme.get("icon")
    if isinstance(icons, dict):
        good_icons: dict[str, Any] = {}
        for k, v in icons.items():
            if k in ("admonition", "tag") and isinstance(v, dict):
                sub = {str(a): i for a, b in v.items() if re.fullmatch(r"[a-z0-9-]{1,40}", str(a))
                       and (i := c.icon(b, ("theme", "icon", k, a))) is not None}
                if sub:
                    good_icons[k] = sub
            elif k in ICON_KEYS:
                if (i := c.icon(v, ("theme", "icon", k))) is not None:
                    good_icons[k] = i
            else:
                c.warn("site_value", ("theme", "icon", k), k, allowed=", ".join(sorted(ICON_KEYS)))
        if good_icons:
            out["icon"] = good_icons
    feats = theme.get("features")
    if feats is not None:
        items = feats if isinstance(feats, list) else [feats]
        out["features"] = [f for i, x in enumerate(items) if (f := c.choice(x, ("theme", "features", i), FEATURES))]
    return out


def _palette(c: _Checker, opt: Any, path: tuple[Any, ...]) -> dict[str, Any] | None:
    if not isinstance(opt, dict):
        c.warn("site_value", path, opt, allowed="{scheme, primary, accent, media, toggle}")
        return None
    out: dict[str, Any] = {}
    for key, allowed in (("scheme", SCHEMES), ("primary", PRIMARY), ("accent", ACCENT)):
        if opt.get(key) is not None and (v := c.choice(opt[key], path + (key,), allowed)):
            out[key] = v
    if opt.get("media") is not None:
        media = str(opt["media"]).strip()
        if media in MEDIA:
            out["media"] = media
        else:
            c.warn("site_value", path + ("media",), media, allowed=", ".join(sorted(MEDIA)))
    toggle = opt.get("toggle")
    if isinstance(toggle, dict):
        icon = c.icon(toggle.get("icon"), path + ("toggle", "icon"))
        name = c.text(toggle.get("name") or "", path + ("toggle", "name"), 60) if toggle.get("name") else ""
        if icon and name is not None:
            out["toggle"] = {"icon": icon, "name": name}
    return out


def _extra(c: _Checker, extra: Any) -> dict[str, Any]:
    dossier = extra.get("dossier") if isinstance(extra, dict) else None
    if not isinstance(dossier, dict):
        return {}
    out: dict[str, Any] = {}
    if dossier.get("lang") is not None:
        if (lang := c.choice(dossier["lang"], ("extra", "dossier", "lang"), frozenset({"zh", "en"}))):
            out["lang"] = lang
    if dossier.get("announcement"):
        value = dossier["announcement"]
        if isinstance(value, (dict, list)):
            c.error("site_text", ("extra", "dossier", "announcement"), type(value).__name__, limit=300)
        else:  # shown escaped by our own template: any text is fine, line breaks fold
            text = " ".join(str(value).split())
            if len(text) > 300:
                c.error("site_text", ("extra", "dossier", "announcement"), text, limit=300)
            else:
                out["announcement"] = text
    if "versions" in dossier:  # read by the archive (versions.py) from the raw file
        out["versions"] = dossier["versions"]
    return out
