"""Run MkDocs (strict) on a rendered project, its warnings collected instead of printed.

Kept free of our heavy imports (pandas, the dossier model): the build's MkDocs child process
(`mkchild.py`) imports only this and MkDocs itself.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record.getMessage())


@contextmanager
def _mkdocs_logs() -> Iterator[_Collect]:
    """Collect MkDocs' warnings (strict mode counts them) instead of letting them scroll by."""
    import jieba  # Material's search segments Chinese with it; its start-up chatter is not news

    jieba.setLogLevel(logging.WARNING)
    logger = logging.getLogger("mkdocs")
    handler = _Collect()
    logger.addHandler(handler)
    old = logger.propagate
    logger.propagate = False
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        logger.propagate = old


@contextmanager
def _env(**values: str) -> Iterator[None]:
    old = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def mkdocs_build(config_file: Path, site_dir: Path, build_epoch: int) -> list[str]:
    """Run MkDocs (strict) on a rendered project; returns the warnings that stopped it, if any."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    with _mkdocs_logs() as logs, _env(SOURCE_DATE_EPOCH=str(build_epoch)):
        try:
            cfg = load_config(str(config_file), site_dir=str(site_dir), strict=True)
            build(cfg)
        except MkDocsException as exc:
            return logs.records + [str(exc)]
        except SystemExit as exc:  # MkDocs' Abort derives from click's, raised as SystemExit at times
            return logs.records + [f"mkdocs exited: {exc}"]
    return []




def segment(text: str) -> str:
    """Chinese runs cut into words with zero-width spaces, like Material's search plugin."""
    import jieba

    jieba.setLogLevel(logging.WARNING)  # its start-up chatter is not news
    return re.sub(r"[\u4e00-\u9fff]+", lambda m: "\u200b" + "\u200b".join(jieba.cut(m.group(0))) + "\u200b",
                  text).strip("\u200b")
