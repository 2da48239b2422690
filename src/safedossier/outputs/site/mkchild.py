"""MkDocs started early in a forked child, so its start-up overlaps our check and render.

`dossier build` spends about a second importing MkDocs, Material and the Markdown extensions and
loading jieba's dictionary (Material's search segments Chinese with it) before MkDocs reads a page.
None of that depends on the dossier, so a child forked before pandas is imported does it while the
parent checks and renders. Meanwhile it draws the charts missing from the cache, with the very
functions of `charts.DRAW`, as the parent asks for them (`charts.deferred`). When the project is
written, the parent sends its path and the child runs exactly `mkrun.mkdocs_build` — the function an
in-process build calls — then segments the record titles the search index gets (`search_ids`), so
the parent never loads jieba. The bytes are the ones an in-process build writes (same code, same
modules, same environment variables). An archive keeps one child for all its versions (`persistent`),
which also takes each version's git snapshot: a process started from the parent, which holds the
checked dossiers, counts as the parent's size until it has started git.

Whatever goes wrong with the child (no fork on this system, it died, it raised something other
than MkDocs' own errors), the parent does that part in-process as before — a chart, or the build on
a clean site folder — so the result, an exception MkDocs raises included, is an in-process build's.
The child ignores Ctrl-C (the parent decides when it ends) and exits when its pipe closes; `close()`
waits for it and, failing that, terminates it, so no process outlives the build.
"""

from __future__ import annotations

import logging
import multiprocessing
import shutil
import signal
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

Build = Callable[[Path, Path, int], list[str]]

# What a build of our projects imports (mkdocs.yml as `render.py` writes it); importing a module
# early changes nothing but when its import time is paid.
_PRELOAD = ("mkdocs.commands.build", "mkdocs.config", "mkdocs.theme", "material.plugins.search.plugin",
            "markdown", "markdown.extensions.tables", "markdown.extensions.admonition",
            "markdown.extensions.attr_list", "markdown.extensions.md_in_html", "markdown.extensions.toc",
            "pymdownx.details")


def _import_mkdocs() -> None:
    import importlib

    for name in _PRELOAD:
        try:
            importlib.import_module(name)
        except ImportError:  # the build itself will say what is missing
            pass


def _load_jieba() -> None:
    try:
        import jieba
    except ImportError:
        return
    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()  # what its first `cut` would do, during the build


def _load_pyplot() -> None:
    from safedossier.outputs import charts

    charts._setup()  # what the first chart drawn would do


# Done one by one while no job waits; pyplot first: chart requests come before the project
_WARM = (_load_pyplot, _import_mkdocs, _load_jieba)


def _serve(conn: Connection, other: Connection, persistent: bool = False) -> None:
    """The child: warm up while idle, draw the charts it is sent, build the project it is sent (and,
    `persistent`, every later one: an archive's versions, each with its charts)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    other.close()  # the parent's end: its copy here would keep our pipe open after the parent died
    drawn: dict[int, str | None] = {}
    warm = [] if persistent else list(_WARM)  # an archive says when a version is to be built (`warm`)
    warmed = not persistent
    try:
        while True:
            if warm and not conn.poll(0):
                _quietly(warm.pop(0))
                continue
            job = conn.recv()
            if job is None:
                return
            if job[0] == "chart":  # drawn as soon as asked, while the parent renders other pages
                drawn[job[1]] = _chart(job[2], job[3])
            elif job[0] == "get":
                conn.send(drawn.pop(job[1], None))
            elif job[0] == "warm":
                if not warmed:
                    warm, warmed = list(_WARM), True
            elif job[0] == "snapshot":  # ("snapshot", root, ref, dest): git is started from here, small
                conn.send(_snapshot(*job[1:]))
            else:  # ("build", config_file, site_dir, epoch, titles): the last job unless persistent
                conn.send(_build(*job[1:]))
                if not persistent:
                    return
    except (EOFError, OSError):  # the parent is gone
        pass
    finally:
        conn.close()


def _quietly(step: Callable[[], None]) -> None:
    try:
        step()
    except Exception:  # noqa: BLE001 - only a head start: the job that needs it will fail as it must
        pass


def _build(config_file: Path, site_dir: Path, epoch: int, titles: list[str]) -> tuple[str, Any, Any]:
    from safedossier.outputs.site.mkrun import mkdocs_build, segment

    try:
        messages = mkdocs_build(config_file, site_dir, epoch)
        return "ok", messages, {} if messages else {t: segment(t) for t in titles}
    except Exception as exc:  # noqa: BLE001 - the parent builds again in-process, raises it there
        return "failed", repr(exc), None


def _snapshot(root: Path, ref: str, dest: Path) -> tuple[str, str]:
    from safedossier.archive.snapshot import GitError, snapshot

    try:
        snapshot(root, ref, dest)
        return "ok", ""
    except GitError as exc:
        return "git", str(exc)
    except Exception as exc:  # noqa: BLE001 - the parent takes the snapshot again, raises it there
        return "failed", repr(exc)


def _chart(kind: str, args: tuple[Any, ...]) -> str | None:
    try:
        from safedossier.outputs import charts

        return charts.DRAW[kind](*args)
    except Exception:  # noqa: BLE001 - None: the parent draws it itself, and raises what it raises
        return None


class MkDocsChild:
    """A warm MkDocs in a child process, for one build (`persistent`: for every build asked of it, as
    an archive's versions one after the other); a context manager that always reaps it."""

    def __init__(self, persistent: bool = False) -> None:
        self._persistent = persistent
        self._proc: Any = None
        self._conn: Connection | None = None
        self._charts = 0
        self.segmented: dict[str, str] = {}
        try:
            ctx = multiprocessing.get_context("fork")
        except ValueError:  # no fork here (Windows): build in-process
            return
        mine, theirs = ctx.Pipe()
        proc = ctx.Process(target=_serve, args=(theirs, mine, persistent), name="dossier-mkdocs", daemon=True)
        try:
            proc.start()
        except OSError:
            mine.close()
            return
        finally:
            theirs.close()
        self._proc, self._conn = proc, mine

    def chart(self, kind: str, args: tuple[Any, ...]) -> Callable[[], str | None] | None:
        """Have chart `kind` (`charts.DRAW`) drawn by the child; what gives its SVG (None on failure)."""
        if self._conn is None:
            return None
        self._charts += 1
        n = self._charts
        try:
            self._conn.send(("chart", n, kind, args))
        except OSError:
            self._broken()
            return None
        return lambda: self._svg(n)

    def _svg(self, n: int) -> str | None:
        if self._conn is None:
            return None
        try:
            self._conn.send(("get", n))
            return self._conn.recv()
        except (EOFError, OSError):
            self._broken()
            return None
        except BaseException:  # Ctrl-C, or anything else: the child must not outlive us
            self._broken()
            raise

    def snapshot(self, root: Path, ref: str, dest: Path) -> Path:
        """`archive.snapshot.snapshot(root, ref, dest)` taken by the child when it can: a git process
        started from this (large) process would count, for a moment, as large as it is."""
        from safedossier.archive.snapshot import GitError, snapshot

        if self._conn is not None:
            try:
                self._conn.send(("snapshot", root, ref, dest))
                status, value = self._conn.recv()
            except (EOFError, OSError):
                self._broken()
            except BaseException:  # Ctrl-C, or anything else: the child must not outlive us
                self._broken()
                raise
            else:
                if status == "ok":
                    return dest
                if status == "git":
                    raise GitError(value)
            shutil.rmtree(dest, ignore_errors=True)  # whatever the child left: taken afresh here
        return snapshot(root, ref, dest)

    def warm(self) -> None:
        """A persistent child warms up only when told that something is to be built: an archive
        whose versions are all reused never pays for MkDocs, pyplot and jieba."""
        if self._conn is not None:
            try:
                self._conn.send(("warm",))
            except OSError:
                self._broken()

    def _broken(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        self._reap(timeout=0.0)

    def build(self, config_file: Path, site_dir: Path, epoch: int, fallback: Build,
              titles: list[str] | None = None, meanwhile: Callable[[], None] | None = None) -> list[str]:
        """`fallback(config_file, site_dir, epoch)`'s result, computed by the child when it can; after
        a clean build `segmented` holds `titles` segmented for search (`mkrun.segment`). `meanwhile`
        runs here while the child builds (or before the build in-process)."""
        conn = self._conn
        if not self._persistent:
            self._conn = None  # one build per child
        self.segmented = {}
        if conn is not None:
            try:
                conn.send(("build", config_file, site_dir, epoch, titles or []))
                if meanwhile is not None:
                    meanwhile, run = None, meanwhile
                    run()
                status, value, segmented = conn.recv()
                if status == "ok":
                    self.segmented = segmented
                    return value
            except (EOFError, OSError):  # the child died: build here
                if self._persistent:
                    self._broken()
            except BaseException:  # Ctrl-C, or anything else: the child must not outlive us
                if self._persistent:
                    self._broken()
                else:
                    self._reap(timeout=0.0)
                raise
            finally:
                if not self._persistent:
                    conn.close()
                    self._reap(timeout=5.0)
        shutil.rmtree(site_dir, ignore_errors=True)  # whatever a failed child left
        if meanwhile is not None:
            meanwhile()
        return fallback(config_file, site_dir, epoch)

    def close(self) -> None:
        if self._conn is not None:
            try:
                self._conn.send(None)
            except OSError:
                pass
            self._conn.close()
            self._conn = None
        self._reap(timeout=2.0)

    def _reap(self, timeout: float) -> None:
        proc, self._proc = self._proc, None
        if proc is None:
            return
        proc.join(timeout)
        if proc.is_alive():
            proc.terminate()
            proc.join(2.0)
            if proc.is_alive():
                proc.kill()
                proc.join()
        proc.close()

    def __enter__(self) -> MkDocsChild:
        return self

    def __exit__(self, exc_type: object, *exc: object) -> None:
        if exc_type is not None:  # an error or Ctrl-C: no need to wait for charts it may still draw
            self._broken()
        self.close()

