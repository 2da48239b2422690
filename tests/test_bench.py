"""Smoke test: the dossier generator and the benchmark script run end to end on a tiny size.

Timings are printed by scripts/bench.py, never asserted here.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import REPO


def test_generator_and_bench_run_on_a_tiny_size(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    proc = subprocess.run([sys.executable, str(REPO / "scripts/bench.py"), "--size", "tiny", "--no-peers",
                           "--reps", "1", "--json", str(out), "--work", str(tmp_path / "work")],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    data = json.loads(out.read_text(encoding="utf-8"))
    names = [r["name"] for r in data["rows"]]
    assert names == ["check", "check warm", "build", "build warm", "serve", "diff", "archive no-change",
                     "scale", "scale with PDFs"]
    assert not [r["note"] for r in data["rows"] if "EXITED" in r["note"]]  # no failed run is timed
    assert all(r["a_wall"] > 0 and r["a_rss"] > 0 for r in data["rows"])
    assert data["size"] == {"versions": 2, "injuries_per_year": 300, "evidence": 10}
    tags = subprocess.run(["git", "-C", str(tmp_path / "work/repo"), "tag"], capture_output=True, text=True)
    assert tags.stdout.split() == ["v2024", "v2025"]
    assert "comparison" in proc.stdout and "archive no-change" in proc.stdout
