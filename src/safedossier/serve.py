"""`dossier serve`: a live preview on 127.0.0.1 that rebuilds when dossier files change.

The site is built into a temporary directory (never into the dossier) and served from there. A
watcher polls file modification times — no extra dependency, and it works on every filesystem an
office uses — and rebuilds; pages poll a build counter and reload themselves after a rebuild. A
failed rebuild prints its diagnostics and keeps serving the last good site.
"""

from __future__ import annotations

import functools
import http.server
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

from .site import build

WATCHED = ("dossier", "data", "evidence", "overrides", "mkdocs.yml")
# The page remembers the build it was served from and reloads when the server has a newer one.
RELOAD_JS = """<script>(function(){{var b='{build}';setInterval(function(){{fetch('/__build_id',
{{cache:'no-store'}}).then(function(r){{return r.text()}}).then(function(t){{if(t!==b){{location.reload()}}}})
.catch(function(){{}})}},1000)}})();</script></body>"""


def snapshot(root: Path) -> dict[str, int]:
    """Modification times of every watched file (the state a rebuild depends on)."""
    out: dict[str, int] = {}
    for name in WATCHED:
        p = root / name
        if p.is_file():
            out[name] = p.stat().st_mtime_ns
        elif p.is_dir():
            for f in p.rglob("*"):
                if f.is_file():
                    out[str(f)] = f.stat().st_mtime_ns
    return out


class _Handler(http.server.SimpleHTTPRequestHandler):
    state: dict[str, int]

    def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
        if self.path == "/__build_id":
            self._send(str(self.state["build"]).encode(), "text/plain")
            return
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if path.suffix == ".html" and path.is_file():
            script = RELOAD_JS.format(build=self.state["build"]).encode()
            self._send(path.read_bytes().replace(b"</body>", script, 1), "text/html; charset=utf-8")
            return
        super().do_GET()

    def _send(self, body: bytes, content_type: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the stdlib's name
        pass


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


def serve(root: Path, port: int = 8000, lang: str = "zh", interval: float = 1.0,
          on_ready: Callable[[int], None] | None = None, stop: threading.Event | None = None) -> int:
    """Build, serve and rebuild until interrupted (or until `stop` is set, for tests)."""
    work = Path(tempfile.mkdtemp(prefix="dossier-serve-"))
    site = work / "site"
    state = {"build": 0}
    try:
        _rebuild(root, site, lang, state)
        site.mkdir(exist_ok=True)
        handler = type("Handler", (_Handler,), {"state": state})
        try:
            httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port),
                                                    functools.partial(handler, directory=str(site)))
        except OSError as exc:
            print(f"无法使用端口 {port}（{exc.strerror}），请用 -p 换一个端口 / cannot listen on port {port}",
                  file=sys.stderr)
            return 2
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        print(f"预览地址 / preview at http://127.0.0.1:{httpd.server_address[1]}/ （Ctrl-C 结束）",
              file=sys.stderr)
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
