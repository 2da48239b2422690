"""`dossier serve`: a live preview on 127.0.0.1 that rebuilds when dossier files change.

The site is built into a temporary directory (never into the dossier) and served from there. A
watcher polls file modification times — no extra dependency, and it works on every filesystem an
office uses — and rebuilds; pages poll a build counter and reload themselves after a rebuild. A
failed rebuild prints its diagnostics and keeps serving the last good site. Ctrl-C, SIGTERM and
SIGHUP all end it the same way: the temporary copy of the site is removed.
"""

from __future__ import annotations

import functools
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
from safedossier.outputs.site.build import build
from safedossier.trust.targets import alive

WATCHED = ("dossier", "data", "evidence", "overrides", "mkdocs.yml")
WORK_PREFIX = "dossier-serve-"
MAX_PATH = 2048  # longer request paths are not a page of this site
# The page remembers the build it was served from and reloads when the server has a newer one.
RELOAD_JS = """<script>(function(){{var b='{build}';setInterval(function(){{fetch('/__build_id',
{{cache:'no-store'}}).then(function(r){{return r.text()}}).then(function(t){{if(t!==b){{location.reload()}}}})
.catch(function(){{}})}},1000)}})();</script></body>"""


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
    state: dict[str, int]

    def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
        host = (self.headers.get("Host") or "").rsplit(":", 1)[0].strip("[]").lower()
        if host not in ("127.0.0.1", "localhost", "::1"):  # DNS rebinding: a page elsewhere naming us
            self.send_error(400, "Host must be 127.0.0.1 or localhost")
            return
        if self.path == "/__build_id":
            self._send(str(self.state["build"]).encode(), "text/plain")
            return
        if not self._sane_path():
            return
        try:
            path = Path(self.translate_path(self.path))
            if path.is_dir():
                path = path / "index.html"
            if path.suffix == ".html" and path.is_file():
                script = RELOAD_JS.format(build=self.state["build"]).encode()
                self._send(path.read_bytes().replace(b"</body>", script, 1), "text/html; charset=utf-8")
                return
        except (OSError, ValueError):  # a name too long for the filesystem, and the like: no such page
            self.send_error(404)
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


def _rebuild(root: Path, site: Path, lang: str, state: dict[str, int]) -> None:
    started = time.monotonic()
    res = build(root, site)
    for d in res.diagnostics:
        if d.severity != "info":
            print(d.render(lang), file=sys.stderr)
    for m in res.messages:
        print(m, file=sys.stderr)
    if res.ok:
        state["build"] += 1
        print(f"已重新生成（{time.monotonic() - started:.1f} 秒）/ rebuilt in {time.monotonic() - started:.1f} s",
              file=sys.stderr)
    else:
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


def serve(root: Path, port: int = 8000, lang: str = "zh", interval: float = 1.0,
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
    site = work / "site"
    state = {"build": 0}
    try:
        _rebuild(root, site, lang, state)
        site.mkdir(exist_ok=True)
        handler = type("Handler", (_Handler,), {"state": state})
        try:
            httpd = _Server(("127.0.0.1", port), functools.partial(handler, directory=str(site)))
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
                    _rebuild(root, site, lang, state)
        except KeyboardInterrupt:
            pass
        finally:
            httpd.shutdown()
            httpd.server_close()
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)
