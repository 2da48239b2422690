"""`dossier serve`: a live preview on 127.0.0.1 that rebuilds when dossier files change.

The site is built into a temporary directory (never into the dossier) and served from there. A
watcher polls file modification times — no extra dependency, and it works on every filesystem an
office uses — and rebuilds only what the edit changed (`live.py`); pages hold a long poll on the
build counter and reload the moment a rebuild ends. A failed rebuild prints its diagnostics and keeps
serving the last good site, with a banner over every page saying that it is not up to date and why
(a privacy-guard refusal says only that: its details stay in the terminal). Ctrl-C, SIGTERM and
SIGHUP all end it the same way: the temporary copy of the site is removed.
"""

from __future__ import annotations

import functools
import html
import http.server
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from safedossier.format.litter import is_litter
from safedossier.outputs.site.live import LiveSite, Outcome
from safedossier.trust.guard import Guard
from safedossier.trust.targets import alive

WATCHED = ("dossier", "data", "evidence", "overrides", "mkdocs.yml")
WORK_PREFIX = "dossier-serve-"
MAX_PATH = 2048  # longer request paths are not a page of this site
LONG_POLL = 20.0  # seconds a page's request for the next build waits before it asks again
# The page remembers the build it was served from, asks for the next one (the answer comes when a
# rebuild ends) and reloads when the server has a newer one.
RELOAD_JS = """<script>(function(){{var b='{build}';function w(){{fetch('/__build_id?after='+b,
{{cache:'no-store'}}).then(function(r){{return r.text()}}).then(function(t){{if(t!==b){{location.reload()}}
else{{w()}}}}).catch(function(){{setTimeout(w,1000)}})}}w()}})();</script></body>"""
BANNER = ('<div id="sd-serve-problem" role="alert" style="position:fixed;z-index:9999;top:0;left:0;right:0;'
          'max-height:60vh;overflow:auto;background:#fff3f3;color:#700;border-bottom:3px solid #c00;'
          'padding:.8em 1.2em;font:14px/1.5 sans-serif;white-space:pre-wrap">{text}</div>')
EMPTY_PAGE = "<!doctype html><html><head><meta charset=\"utf-8\"><title>dossier serve</title></head><body></body></html>"
MAX_LINES = 30


class State:
    """The build counter pages wait on, and the problem of the last rebuild ("" when it succeeded)."""

    def __init__(self) -> None:
        self.build = 0
        self.problem = ""
        self.stopping = False
        self.changed = threading.Condition()

    def publish(self, problem: str) -> None:
        with self.changed:
            self.build += 1
            self.problem = problem
            self.changed.notify_all()

    def wait_after(self, build: str, timeout: float) -> int:
        with self.changed:
            self.changed.wait_for(lambda: str(self.build) != build or self.stopping, timeout)
            return self.build

    def stop(self) -> None:
        """Answer the pages waiting for the next build now (with the current one)."""
        with self.changed:
            self.stopping = True
            self.changed.notify_all()


def problem_text(out: Outcome, lang: str, guard: Guard | None) -> str:
    """The banner's words for a failed rebuild: nothing the guard would refuse is ever shown there."""
    heads = {"check": "档案有错误，页面未更新 / the dossier has errors; the pages are not up to date",
             "mkdocs": "生成失败，页面未更新 / the build failed; the pages are not up to date",
             "guard": "隐私检查未通过：修改后的内容含有个人信息，没有发布，详见终端 / privacy guard: the change "
                      "contains personal data and was not published; see the terminal"}
    head = heads.get(out.stage, heads["mkdocs"])
    if out.stage == "guard":
        return head
    lines = [d.render(lang) for d in out.diagnostics if d.severity == "error"] + out.messages
    if len(lines) > MAX_LINES:
        lines = lines[:MAX_LINES] + [f"…（另有 {len(lines) - MAX_LINES} 条，见终端 / more in the terminal）"]
    body = "\n".join(lines)
    if guard is not None and guard.scan_text(body, "serve"):
        body = "详情见终端 / details in the terminal"
    return f"{head}\n\n{body}" if body else head


def snapshot(root: Path) -> dict[str, int]:
    """Modification times of every watched file (the state a rebuild depends on); lock and swap
    files that office suites and editors keep beside an open file are not part of that state."""
    out: dict[str, int] = {}
    for name in WATCHED:
        p = root / name
        if p.is_file():
            out[name] = p.stat().st_mtime_ns
        elif p.is_dir():
            for f in p.rglob("*"):
                if is_litter(f.name):
                    continue
                try:
                    if f.is_file():
                        out[str(f)] = f.stat().st_mtime_ns
                except OSError:
                    continue  # vanished between listing and stat: the next poll sees the new state
    return out


class _Handler(http.server.SimpleHTTPRequestHandler):
    state: State

    def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
        host = (self.headers.get("Host") or "").rsplit(":", 1)[0].strip("[]").lower()
        if host not in ("127.0.0.1", "localhost", "::1"):  # DNS rebinding: a page elsewhere naming us
            self.send_error(400, "Host must be 127.0.0.1 or localhost")
            return
        if self.path == "/__build_id" or self.path.startswith("/__build_id?after="):
            after = self.path.partition("?after=")[2]
            build = self.state.wait_after(after, LONG_POLL) if after else self.state.build
            self._send(str(build).encode(), "text/plain")
            return
        if not self._sane_path():
            return
        try:
            path = Path(self.translate_path(self.path))
            if path.is_dir():
                path = path / "index.html"
            page = path.read_bytes() if path.suffix == ".html" and path.is_file() else None
        except (OSError, ValueError):  # a name too long for the filesystem, and the like: no such page
            self.send_error(404)
            return
        problem = self.state.problem
        if page is None and problem and path.name == "index.html":
            page = EMPTY_PAGE.encode()  # no good site yet: a page that shows why
        if page is not None:
            script = RELOAD_JS.format(build=self.state.build)
            if problem:
                script = BANNER.format(text=html.escape(problem)) + script
            self._send(page.replace(b"</body>", script.encode(), 1), "text/html; charset=utf-8")
            return
        super().do_GET()

    def do_HEAD(self) -> None:  # noqa: N802 - the stdlib's name
        if self._sane_path():
            super().do_HEAD()

    def _sane_path(self) -> bool:
        """A request path that can name a file of the site: valid UTF-8, no control characters
        (a NUL reaches the filesystem calls as an error), of a sensible length. Else 400."""
        raw = self.path.split("?", 1)[0].split("#", 1)[0]
        try:
            text = urllib.parse.unquote(raw, errors="strict")
        except UnicodeDecodeError:
            text = "\x00"
        if len(raw) > MAX_PATH or any(ord(c) < 32 or ord(c) == 127 for c in text):
            self.send_error(400)
            return False
        return True

    def list_directory(self, path: Any) -> None:
        """No folder listings: the preview shows pages, as the published site does."""
        self.send_error(404)

    def _send(self, body: bytes, content_type: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the stdlib's name
        pass


class _Server(http.server.ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        """One line instead of a traceback; a browser closing its connection is not worth one."""
        exc = sys.exc_info()[1]
        if not isinstance(exc, ConnectionError):
            print(f"请求处理失败 / request failed: {exc!r}", file=sys.stderr)


def _rebuild(live: LiveSite, lang: str, state: State, last: list[Guard | None]) -> None:
    started = time.monotonic()
    try:
        out = live.rebuild()
    except OSError as exc:  # full disk, vanished temporary folder…: said, and the next save retries
        out = Outcome(False, "mkdocs", messages=[f"{exc.strerror or exc}: {exc.filename or ''}"])
    for d in out.diagnostics:
        if d.severity != "info":
            print(d.render(lang), file=sys.stderr)
    for m in out.messages:
        print(m, file=sys.stderr)
    took = time.monotonic() - started
    if out.ok:
        last[0] = out.guard
        state.publish("")
        print(f"已重新生成（{took:.1f} 秒，{out.pages} 个页面）/ rebuilt in {took:.1f} s ({out.pages} page(s))",
              file=sys.stderr)
    else:
        state.publish(problem_text(out, lang, out.guard or last[0]))
        print("生成失败，继续显示上一版 / build failed, still serving the last good site", file=sys.stderr)


class _Stopped(Exception):
    """SIGTERM or SIGHUP arrived: leave the loop the way Ctrl-C does."""


@contextmanager
def _stop_on_signals() -> Iterator[None]:
    """Turn SIGTERM/SIGHUP into `_Stopped` while serving, so the `finally` that removes the temporary
    site runs; only the main thread may set handlers (tests run `serve` in a thread)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    sigs = [s for s in (getattr(signal, "SIGTERM", None), getattr(signal, "SIGHUP", None)) if s is not None]

    def stop(signum: int, frame: object) -> None:
        for s in sigs:  # a second signal must not interrupt the clean-up the first one started
            signal.signal(s, signal.SIG_IGN)
        raise _Stopped(signum)

    old = {s: signal.signal(s, stop) for s in sigs}
    try:
        yield
    finally:
        for s, handler in old.items():
            signal.signal(s, handler)




def clean_stale(tmp: Path) -> None:
    """Remove the temporary sites of earlier `dossier serve` runs that were killed outright
    (SIGKILL, power loss): folders named with the pid of a process that no longer exists."""
    try:
        entries = list(tmp.glob(f"{WORK_PREFIX}*-*"))
    except OSError:
        return
    for p in entries:
        pid = p.name[len(WORK_PREFIX):].split("-", 1)[0]
        try:
            st = p.lstat()
        except OSError:
            continue
        if pid.isdigit() and int(pid) != os.getpid() and p.is_dir() and not p.is_symlink() \
                and st.st_uid == os.getuid() and not alive(int(pid)):
            shutil.rmtree(p, ignore_errors=True)


def serve(root: Path, port: int = 8000, lang: str = "zh", interval: float = 0.2,
          on_ready: Callable[[int], None] | None = None, stop: threading.Event | None = None) -> int:
    """Build, serve and rebuild until interrupted (or until `stop` is set, for tests)."""
    with _stop_on_signals():
        try:
            return _serve(root, port, lang, interval, on_ready, stop)
        except _Stopped:
            print("已停止 / stopped", file=sys.stderr)
            return 0


def _serve(root: Path, port: int, lang: str, interval: float, on_ready: Callable[[int], None] | None,
           stop: threading.Event | None) -> int:
    clean_stale(Path(tempfile.gettempdir()))
    work = Path(tempfile.mkdtemp(prefix=f"{WORK_PREFIX}{os.getpid()}-"))
    live = LiveSite(root, work, lang)
    state = State()
    last: list[Guard | None] = [None]  # the guard of the last good build, for the banner's words
    try:
        _rebuild(live, lang, state, last)
        handler = type("Handler", (_Handler,), {"state": state})
        try:
            httpd = _Server(("127.0.0.1", port), functools.partial(handler, directory=str(live.site)))
        except OSError as exc:
            print(f"无法使用端口 {port}（{exc.strerror}），请用 -p 换一个端口 / cannot listen on port {port}",
                  file=sys.stderr)
            return 2
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        print(f"预览地址 / preview at http://127.0.0.1:{httpd.server_address[1]}/ （Ctrl-C 结束）",
              file=sys.stderr, flush=True)
        if on_ready is not None:
            on_ready(int(httpd.server_address[1]))
        seen = snapshot(root)
        try:
            while not (stop and stop.is_set()):
                time.sleep(interval)
                now = snapshot(root)
                if now != seen:
                    seen = now
                    _rebuild(live, lang, state, last)
        except KeyboardInterrupt:
            pass
        finally:
            state.stop()
            httpd.shutdown()
            httpd.server_close()
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)
