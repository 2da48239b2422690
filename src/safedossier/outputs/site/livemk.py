"""MkDocs kept loaded between builds of one project, so `dossier serve` rebuilds only what changed.

A full build is MkDocs' own `build()` (mkdocs/commands/build.py, 1.6) step by step, keeping what it
computes — the config, files, nav, the theme's Jinja environment (Material's templates compiled
once) — and each page's search entries. A later build whose mkdocs.yml, theme and set of files are
unchanged re-reads and re-writes only the pages whose Markdown changed and copies the static files
that changed. That is exact for our projects: every page names its title in the nav, so a page's
HTML depends on its own Markdown, the config, the nav and the file list only. Anchor links of every
page are validated again (a changed page may drop an anchor others link to), and the search index is
written from every page's entries in nav order: the index a full build writes. Material's own
`dirty` merge is not used (it matches pages by URL prefix, and the home page's is "").
Any warning fails the build (strict), and the next build is a full one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from safedossier.outputs.site.build import _env, _mkdocs_logs


@dataclass
class _Loaded:
    config: Any
    files: Any
    nav: Any
    env: Any
    index: Any  # Material's SearchIndex, or None without the search plugin
    entries: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # page src_uri → its entries


class LiveMkDocs:
    """One rendered project (`config_file`) built into `site_dir`, again and again."""

    def __init__(self, config_file: Path, site_dir: Path, epoch: int) -> None:
        self.config_file, self.site_dir, self.epoch = config_file, site_dir, epoch
        self._loaded: _Loaded | None = None
        self.pages_built = 0  # pages the last build wrote (all of them, after a full build)

    def build(self, changed: list[str] | None) -> list[str]:
        """Build; `changed`: paths (relative to docs/) whose content changed since the last build,
        None when unknown or when more than content changed. Returns the messages that failed it."""
        from mkdocs.exceptions import MkDocsException

        full = self._loaded is None or changed is None or any(
            self._loaded.files.get_file_from_path(p) is None for p in changed)
        with _mkdocs_logs() as logs, _env(SOURCE_DATE_EPOCH=str(self.epoch)):
            try:
                if full:
                    self._loaded = None
                    self._full()
                else:
                    self._update(changed or [])
            except (MkDocsException, SystemExit) as exc:  # MkDocs' Abort is a SystemExit at times
                self._loaded = None
                return logs.records + [str(exc)]
            except Exception as exc:  # noqa: BLE001 - plugins and extensions raise what they like;
                self._loaded = None  # a preview reports it and starts afresh on the next save
                return logs.records + [f"mkdocs: {exc!r}"]
        if logs.records:
            self._loaded = None
        return logs.records

    def _full(self) -> None:
        import shutil

        from mkdocs.commands import build as mb
        from mkdocs.config import load_config
        from mkdocs.structure.files import get_files, set_exclusions
        from mkdocs.structure.nav import get_navigation
        from mkdocs.structure.pages import Page

        config = load_config(str(self.config_file), site_dir=str(self.site_dir), strict=True)
        config = config.plugins.on_config(config)
        config.plugins.on_pre_build(config=config)
        shutil.rmtree(self.site_dir, ignore_errors=True)
        files = get_files(config)
        env = config.theme.get_env()
        files.add_files_from_theme(env, config)
        files = config.plugins.on_files(files, config=config)
        set_exclusions(files, config)
        nav = get_navigation(files, config)
        nav = config.plugins.on_nav(nav, config=config, files=files)
        for file in files.documentation_pages():
            if file.page is None and file.inclusion.is_not_in_nav():
                Page(None, file, config)
            mb._populate_page(file.page, config, files)
        env = config.plugins.on_env(env, config=config, files=files)
        files.copy_static_files()
        for template in config.theme.static_templates:
            mb._build_theme_template(template, env, files, config, nav)
        for template in config.extra_templates:
            mb._build_extra_template(template, files, config, nav)
        index = next((p.search_index for p in config.plugins.values() if hasattr(p, "search_index")), None)
        self._loaded = _Loaded(config, files, nav, env, index)
        self._pages(files.documentation_pages())

    def _update(self, changed: list[str]) -> None:
        from mkdocs.commands import build as mb

        s = self._loaded
        assert s is not None
        pages = []
        for path in changed:
            file = s.files.get_file_from_path(path)
            if file.is_documentation_page():
                pages.append(file)
            else:
                file.copy_file()
        for file in pages:
            mb._populate_page(file.page, s.config, s.files)
        self._pages(pages)

    def _pages(self, pages: list[Any]) -> None:
        """Write `pages`, keep their search entries, check every page's anchors, write the index."""
        from mkdocs.commands import build as mb

        s = self._loaded
        assert s is not None
        doc_files = s.files.documentation_pages()
        for file in pages:
            start = len(s.index.entries) if s.index is not None else 0
            mb._build_page(file.page, s.config, doc_files, s.nav, s.env, excluded=file.inclusion.is_excluded())
            if s.index is not None:
                s.entries[file.src_uri] = s.index.entries[start:]
                del s.index.entries[start:]
        self.pages_built = len(pages)
        level = s.config.validation.links.anchors
        for file in doc_files:
            file.page.validate_anchor_links(files=s.files, log_level=level)
        if s.index is not None:
            s.index.entries = [e for f in doc_files for e in s.entries.get(f.src_uri, [])]
        s.config.plugins.on_post_build(config=s.config)
        if s.index is not None:
            s.index.entries = []  # the next build appends only the pages it writes
