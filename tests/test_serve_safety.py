"""`dossier serve` facing hostile requests, office lock files and signals, on a real server."""

from __future__ import annotations

import http.client
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import edit, serving

HOSTILE = ["/.%00./", "/a%00.html", "/..%2f..%2fetc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/%ff",
           "/%c0%ae%c0%ae/etc/passwd", "/" + "a" * 300, "/" + "a/" * 3000, "/%0d%0aSet-Cookie:x=1",
           "/assets/", "/../../../etc/passwd"]  # /assets/: a folder, never listed
LITTER = ["data/~$hazards.xlsx", "data/.~lock.hazards.xlsx#", "dossier/.#11-corrective.yml",
          "dossier/.11-corrective.yml.swp", "dossier/11-corrective.yml~", "dossier/4913",
          "evidence/Thumbs.db", "evidence/01-organisation/~WRL0001.tmp"]


def get(port: int, path: str, method: str = "GET") -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.putrequest(method, path, skip_accept_encoding=True)  # sent as is, no client-side checks
        conn.endheaders()
        r = conn.getresponse()
        return r.status, r.read()
    finally:
        conn.close()


@pytest.fixture
def served(starter: Path) -> Iterator[int]:
    with serving(starter) as port:
        yield port


def test_hostile_paths_get_400_or_404_without_traceback(served: int, capsys: pytest.CaptureFixture[str]) -> None:
    assert get(served, "/")[0] == 200
    for path in HOSTILE:
        for method in ("GET", "HEAD"):
            status, body = get(served, path, method)
            assert status in (400, 404), (path, method, status)
            assert b"root:" not in body
    err = capsys.readouterr().err
    assert "Traceback" not in err and "Exception" not in err and "request failed" not in err, err


def build_id(port: int) -> int:
    return int(get(port, "/__build_id")[1])


def wait_for(cond: object, timeout: float = 60) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if cond():  # type: ignore[operator]
            return True
        time.sleep(0.1)
    return False


def test_office_and_editor_lock_files_do_not_rebuild(served: int, starter: Path) -> None:
    first = build_id(served)
    for rel in LITTER:
        (starter / rel).write_bytes(b"lock")
    time.sleep(1.5)  # several polls
    for rel in LITTER:
        (starter / rel).write_bytes(b"lock again")
    time.sleep(1.5)
    assert build_id(served) == first
    # the watcher itself works: a real edit is picked up
    edit(starter / "dossier/11-corrective.yml", "检查和评审发现的问题", "巡查中发现的问题")
    assert wait_for(lambda: build_id(served) == first + 1)


def test_litter_list_is_the_loaders() -> None:
    from safedossier.format.litter import is_litter

    for rel in LITTER:
        assert is_litter(Path(rel).name), rel
    for name in ("hazards.xlsx", "committee.pdf", "11-corrective.yml", "照片.jpg", "4913.jpg"):
        assert not is_litter(name), name


@pytest.mark.parametrize("sig", ["SIGTERM", "SIGHUP"])
def test_signal_ends_serve_and_removes_its_temporary_site(starter: Path, tmp_path: Path, sig: str) -> None:
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = tmp / f"dossier-serve-{dead.pid}-old"  # left by a run killed with SIGKILL
    (stale / "site").mkdir(parents=True)
    env = dict(os.environ, TMPDIR=str(tmp), PYTHONUNBUFFERED="1")
    proc = subprocess.Popen([sys.executable, "-m", "safedossier.cli", "serve", str(starter), "-p", "0"],
                            env=env, stderr=subprocess.PIPE, text=True)
    assert proc.stderr is not None
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(proc.stderr), daemon=True)  # type: ignore[arg-type]
    reader.start()
    try:
        assert wait_for(lambda: any("preview at" in line for line in lines)), lines
        port = int(re.search(r"127\.0\.0\.1:(\d+)/", "".join(lines)).group(1))  # type: ignore[union-attr]
        assert get(port, "/")[0] == 200
        mine = [p for p in tmp.iterdir() if p.name.startswith("dossier-serve-")]
        assert [p.name for p in mine] == [f"dossier-serve-{proc.pid}-{mine[0].name.rsplit('-', 1)[1]}"]
        proc.send_signal(getattr(signal, sig))
        assert proc.wait(timeout=20) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    reader.join(timeout=5)
    assert not any(p.name.startswith("dossier-serve-") for p in tmp.iterdir()), list(tmp.iterdir())
    assert "Traceback" not in "".join(lines), "".join(lines)
