#!/usr/bin/env python3
"""Benchmarks of `dossier` against the tools an office would otherwise use, measured in one run.

Every comparison runs A and B alternately on the same inputs, several times, and reports medians of
wall time and peak memory, plus the ratio. Peak memory is the larger of the kernel's peak RSS of
the command (wait4: the largest single process, children included) and the peak of the sum of RSS
over the whole process tree, sampled every 5 ms, so a command that splits its work over processes
running at the same time cannot look smaller than it is. Peers live in their
own virtual environment, created by this script. Results go to stdout as a table and to JSON.

    python scripts/bench.py                      # 10 versions × 50,000 injuries × 2,000 evidence files
    python scripts/bench.py --size tiny --no-peers --reps 1   # the smoke test of the test suite
    python scripts/bench.py --only build,diff --reps 5 --work /tmp/w   # just those rows

"Cold" runs start every time with an empty cache of ours (SAFEDOSSIER_CACHE pointing at a new empty
folder: no parsed tables, charts, thumbnails or compiled templates — a first run on a new machine);
"warm" rows run the same command again on a cache the previous run filled.

Goals (from the issues): build ≤ 1.3× plain mkdocs; no-change archive rebuild ≤ 5 % of a full one;
PDF ≥ 5× faster than mkdocs-to-pdf at ≤ ½ its peak RSS; diff no slower than csv-diff and ≥ 5×
faster than daff; check of a 50k-row table < 2 s; the full archive < 3 min and < 2 GB (with a PDF
per version: < 2 GB); `dossier serve` of the example: a saved edit on the page ≤ 1.5 s.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import asdict, dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "scripts"))
from make_dossier import generate, generate_history  # noqa: E402

PEERS = ["mkdocs==1.6.1", "mkdocs-material", "jieba", "mkdocs-to-pdf", "csv-diff", "daff"]
GROUPS = ("check", "build", "serve", "pdf", "diff", "archive")
SIZES = {  # versions, injuries per year, evidence files
    "tiny": (2, 300, 10),
    "small": (3, 5_000, 100),
    "default": (10, 50_000, 2_000),
}


@dataclass
class Run:
    wall: float
    rss_mb: float
    rc: int


@dataclass
class Row:
    name: str
    a: str
    b: str
    a_wall: float
    b_wall: float
    a_rss: float
    b_rss: float
    ratio_wall: float  # a / b
    ratio_rss: float
    goal: str
    met: bool | None
    note: str = ""


@dataclass
class Results:
    machine: dict[str, str]
    size: dict[str, int]
    rows: list[Row] = field(default_factory=list)


def _tree_rss_kb(pid: int) -> int:
    """Sum of VmRSS of `pid` and all its descendants now (Linux /proc; 0 when unreadable)."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/status", encoding="ascii", errors="replace") as fh:
                total += next((int(line.split()[1]) for line in fh if line.startswith("VmRSS:")), 0)
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children", encoding="ascii") as fh:
                    todo += [int(c) for c in fh.read().split()]
        except (OSError, ValueError):
            continue
    return total


def run(cmd: list[str], cwd: Path | None = None, quiet: bool = True) -> Run:
    """Wall time and peak memory of one command: max(kernel peak RSS, sampled process-tree sum)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL if quiet else None,
                            stderr=subprocess.DEVNULL if quiet else None)
    tree_peak = [0]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            tree_peak[0] = max(tree_peak[0], _tree_rss_kb(proc.pid))
            done.wait(0.005)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    done.set()
    sampler.join()
    rc = os.waitstatus_to_exitcode(status)
    return Run(wall, max(usage.ru_maxrss, tree_peak[0]) / 1024, rc)


_CACHES: list[Path] = []


def cold() -> None:
    """The next command starts with an empty cache of ours (a new folder each time)."""
    base = Path(os.environ.get("BENCH_WORK", tempfile.gettempdir()))
    path = Path(tempfile.mkdtemp(prefix="bench-cache-", dir=base))
    _CACHES.append(path)
    os.environ["SAFEDOSSIER_CACHE"] = str(path)


def warm(path: Path) -> None:
    """The next command uses the cache at `path` (filled by an earlier run of the same command)."""
    os.environ["SAFEDOSSIER_CACHE"] = str(path)


def alternate(a: list[str], b: list[str], reps: int, before_a: object = cold, before_b: object = None,
              cwd: Path | None = None) -> tuple[Run, Run]:
    """Run A and B alternately `reps` times; medians of each. A starts cold unless told otherwise."""
    ra, rb = [], []
    for _ in range(reps):
        if callable(before_a):
            before_a()
        ra.append(run(a, cwd))
        if callable(before_b):
            before_b()
        rb.append(run(b, cwd))
    for name, rs, cmd in (("A", ra, a), ("B", rb, b)):
        if any(r.rc != 0 for r in rs):
            print(f"  warning: {name} exited {[r.rc for r in rs]}: {' '.join(cmd)[:160]}", file=sys.stderr)
    return _median(ra), _median(rb)


def _median(rs: list[Run]) -> Run:
    return Run(statistics.median(r.wall for r in rs), statistics.median(r.rss_mb for r in rs),
               max(r.rc for r in rs))


def row(name: str, a_label: str, b_label: str, a: Run, b: Run, goal: str, met: bool | None,
        note: str = "") -> Row:
    if a.rc != 0:  # a failed run of ours proves nothing about its speed
        met, note = False, f"A EXITED {a.rc}" + (f"; {note}" if note else "")
    return Row(name, a_label, b_label, round(a.wall, 3), round(b.wall, 3), round(a.rss_mb, 1),
               round(b.rss_mb, 1), round(a.wall / b.wall, 3) if b.wall else 0.0,
               round(a.rss_mb / b.rss_mb, 3) if b.rss_mb else 0.0, goal, met, note)


def next_year_edit(src: Path, dest: Path) -> None:
    """A copy of `src` as an office would edit it a year on: 2 % of injury rows dropped, 4 % recoded,
    2 % added, a few hazards closed — a realistic pair for a keyed diff."""
    import csv
    import random

    shutil.rmtree(dest, ignore_errors=True)
    shutil.copytree(src, dest)
    rng = random.Random(7)
    path = dest / "data/injuries.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    header, body = rows[0], rows[1:]
    cause = header.index("cause")
    body = [r for r in body if rng.random() > 0.02]
    for r in body:
        if rng.random() < 0.04:
            r[cause] = "钝器伤"
    extra = [list(r) for r in rng.sample(body, k=max(1, len(body) // 50))]
    for n, r in enumerate(extra):
        r[0] = f"{r[0]}-N{n}"
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows([header, *body, *extra])


SERVE_EDITS = (("dossier/11-corrective.yml", "周期内共提出措施32项"), ("data/actions.csv", "排水沟堵塞"))
SERVE_PAGE = "/elements/11-corrective/"  # shows both values


def serve_row(dossier: str, work: Path, edits: int = 5) -> Row:
    """`dossier serve` on a copy of the example: seconds from writing an edit (a YAML value, a CSV
    cell; `edits` of each, one at a time) to the page fetched over HTTP showing the new value."""
    root = work / "serve-example"
    shutil.rmtree(root, ignore_errors=True)
    for name in ("data", "dossier", "evidence", "overrides"):  # mkdocs.yml names the logo and CSS
        shutil.copytree(REPO / name, root / name)
    shutil.copy2(REPO / "mkdocs.yml", root / "mkdocs.yml")
    proc = subprocess.Popen([dossier, "serve", str(root), "-p", "0"], stderr=subprocess.PIPE, text=True,
                            env=dict(os.environ, PYTHONUNBUFFERED="1"))
    lines: list[str] = []
    threading.Thread(target=lambda: lines.extend(proc.stderr or []), daemon=True).start()
    times: dict[str, list[float]] = {rel: [] for rel, _ in SERVE_EDITS}
    peak = 0.0
    try:
        port = _serve_port(lines, proc)
        values = dict(SERVE_EDITS)
        for i in range(edits):
            for rel in values:
                time.sleep(0.5)  # one save at a time, as someone typing and saving
                path, new = root / rel, f"{values[rel]}改{i}"
                text = path.read_text(encoding="utf-8").replace(values[rel], new, 1)
                build = _fetch(port, "/__build_id")
                start = time.perf_counter()
                path.write_text(text, encoding="utf-8")
                while new not in _fetch(port, SERVE_PAGE):  # as a browser does: wait for the next build
                    if time.perf_counter() - start > 120:
                        raise RuntimeError(f"serve: {rel} edit not shown after 120 s")
                    build = _next_build(port, build)
                times[rel].append(time.perf_counter() - start)
                values[rel] = new
        peak = _peak_rss_mb(proc.pid)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    med = statistics.median(t for ts in times.values() for t in ts)
    parts = ", ".join(f"{Path(rel).suffix[1:].upper()} {statistics.median(ts):.2f} s" for rel, ts in times.items())
    return row("serve", "serve: save → reloaded page", "goal 1.5 s", Run(med, peak, 0), Run(1.5, 0, 0),
               "≤ 1.5 s", med <= 1.5, f"medians of {edits} edits each: {parts} (the example)")


def _serve_port(lines: list[str], proc: subprocess.Popen[str]) -> int:
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and proc.poll() is None:
        m = re.search(r"127\.0\.0\.1:(\d+)/", "".join(lines))
        if m:
            return int(m.group(1))
        time.sleep(0.05)
    raise RuntimeError("dossier serve did not start: " + "".join(lines)[-2000:])


def _fetch(port: int, path: str) -> str:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=30) as r:  # noqa: S310 - our own server
        return r.read().decode("utf-8")


def _next_build(port: int, build: str) -> str:
    """The build after `build`, as the served pages wait for it (a server without that: a short nap)."""
    import urllib.error

    try:
        return _fetch(port, f"/__build_id?after={build}")
    except urllib.error.HTTPError:
        time.sleep(0.05)
        return build


def _peak_rss_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as fh:
            return next((int(line.split()[1]) for line in fh if line.startswith("VmHWM:")), 0) / 1024
    except OSError:
        return 0.0


def peers_venv(path: Path) -> Path:
    """A separate virtual environment with the peers, made (once) by this script."""
    if not (path / "bin" / "daff").exists():
        subprocess.run([sys.executable, "-m", "venv", str(path)], check=True)
        subprocess.run([str(path / "bin/pip"), "install", "-q", *PEERS], check=True)
    return path / "bin"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", choices=SIZES, default="default")
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--no-peers", action="store_true", help="skip the comparisons that need peers")
    ap.add_argument("--peers", type=Path, default=Path(tempfile.gettempdir()) / "dossier-bench-peers")
    ap.add_argument("--work", type=Path, default=None, help="keep inputs and outputs here")
    ap.add_argument("--json", type=Path, default=REPO / "bench-results" / "bench.json")
    ap.add_argument("--portal", type=int, default=0, metavar="N",
                    help="also the portal: N generated communities × 3 versions (issue 16 asks for 50)")
    ap.add_argument("--only-portal", action="store_true", help="skip every other row")
    ap.add_argument("--only", default="", metavar="ROWS",
                    help=f"comma-separated groups to run, of: {','.join(GROUPS)} (default: all)")
    args = ap.parse_args(argv)
    only = set(filter(None, args.only.split(",")))
    if only - set(GROUPS):
        ap.error(f"--only: unknown {sorted(only - set(GROUPS))}; choose from {','.join(GROUPS)}")
    want = (lambda g: not only or g in only)  # noqa: E731

    versions, per_year, evidence = SIZES[args.size]
    bindir = Path(sys.executable).parent
    dossier = str(bindir / "dossier")
    work = args.work or Path(tempfile.mkdtemp(prefix="dossier-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    os.environ["BENCH_WORK"] = str(work)
    res = Results(machine={"python": platform.python_version(), "machine": platform.machine(),
                           "cpus": str(os.cpu_count()), "platform": platform.platform()},
                  size={"versions": versions, "injuries_per_year": per_year, "evidence": evidence})
    peers = None if args.no_peers else peers_venv(args.peers)

    if args.portal:
        portal_rows(res, work, dossier, args.portal)
    if args.only_portal:
        return _finish(res, args, work)
    print(f"== inputs: {versions} versions × {per_year} injuries/year × {evidence} evidence files", file=sys.stderr)
    single = work / "single"  # one year, the 50k-row table of the check goal
    generate(single, years=1, end_year=2025, injuries_per_year=per_year, evidence=min(evidence, 200),
             office_quirks=False)
    repo = work / "repo"
    if want("archive") and not (repo / ".git").exists():
        generate_history(repo, versions, 2025, per_year, evidence)

    def runs(cmd: list[str], before: object) -> Run:
        out = []
        for _ in range(args.reps):
            before()  # type: ignore[operator]
            out.append(run(cmd))
        return _median(out)

    def warm_cache(name: str, cmd: list[str]) -> Path:
        """A cache filled by one run of `cmd`, for the warm rows."""
        path = work / f"cache-warm-{name}"
        shutil.rmtree(path, ignore_errors=True)
        warm(path)
        run(cmd)
        return path

    if want("check"):  # a 50k-row table, cold and warm
        cmd = [dossier, "check", str(single)]
        r = runs(cmd, cold)
        res.rows.append(row("check", f"dossier check ({per_year} rows), cold", "goal 1 s", r, Run(1.0, 0, 0),
                            "≤ 1 s", r.wall <= 1.0))
        path = warm_cache("check", cmd)
        r = runs(cmd, lambda: warm(path))
        res.rows.append(row("check warm", f"dossier check ({per_year} rows), warm cache", "goal 1 s", r,
                            Run(1.0, 0, 0), "≤ 1 s", r.wall <= 1.0))

    # build overhead: dossier build vs plain mkdocs on the same rendered project
    proj = work / "project"
    mkdocs = str((peers or bindir) / "mkdocs")
    if want("build") or want("pdf"):
        cold()
        run([dossier, "build", str(single), "-o", str(work / "s0"), "--project", str(proj)])
    if want("build"):
        ours = [dossier, "build", str(single), "-o", str(work / "s1")]
        plain = [mkdocs, "build", "-q", "-f", str(proj / "mkdocs.yml"), "-d", str(work / "s2")]
        a, b = alternate(ours, plain, args.reps)
        res.rows.append(row("build", "dossier build, cold", "mkdocs build (same pages)", a, b, "≤ 1.3×",
                            a.wall <= 1.3 * b.wall))
        path = warm_cache("build", ours)
        a, b = alternate(ours, plain, args.reps, before_a=lambda: warm(path))
        res.rows.append(row("build warm", "dossier build, warm cache", "mkdocs build (same pages)", a, b,
                            "≤ 1.3×", a.wall <= 1.3 * b.wall))

    # live preview: a saved edit of the example → the served page showing it
    if want("serve"):
        res.rows.append(serve_row(dossier, work))

    # PDF vs mkdocs-to-pdf on the same rendered pages
    if peers and want("pdf"):
        pdfproj = work / "project-pdf"
        shutil.rmtree(pdfproj, ignore_errors=True)
        shutil.copytree(proj, pdfproj)
        cfg = (pdfproj / "mkdocs.yml").read_text(encoding="utf-8")
        cfg = cfg.replace("plugins:\n", "plugins:\n- to-pdf:\n    output_path: peer.pdf\n", 1)
        (pdfproj / "mkdocs.yml").write_text(cfg, encoding="utf-8")
        a, b = alternate([dossier, "pdf", str(single), "-o", str(work / "ours.pdf")],
                         [mkdocs, "build", "-q", "-f", str(pdfproj / "mkdocs.yml"), "-d", str(work / "s3")],
                         args.reps)
        plain = _median([run([mkdocs, "build", "-q", "-f", str(proj / "mkdocs.yml"), "-d", str(work / "s4")])
                         for _ in range(args.reps)])
        added = Run(max(b.wall - plain.wall, 1e-3), b.rss_mb, b.rc)
        res.rows.append(row("pdf", "dossier pdf", "mkdocs-to-pdf (time it adds to mkdocs build)", a, added,
                            "≥ 5× faster, ≤ ½ RSS", a.wall * 5 <= added.wall and a.rss_mb * 2 <= b.rss_mb,
                            f"mkdocs build with the plugin: {b.wall:.2f} s in all"))

    # diff of two whole dossiers (the next year's edit of `single`) vs keyed CSV diffs of the injuries alone
    nxt = work / "single-next"
    ours = [dossier, "diff", str(single), str(nxt), "--format", "json"]
    a_csv, b_csv = str(single / "data/injuries.csv"), str(nxt / "data/injuries.csv")
    if want("diff"):
        next_year_edit(single, nxt)
    if want("diff") and peers:
        csvdiff = [str(peers / "csv-diff"), a_csv, b_csv, "--key=id"]
        a, b = alternate(ours, csvdiff, args.reps)
        res.rows.append(row("diff vs csv-diff", "dossier diff (whole dossier), cold", "csv-diff (injuries only)",
                            a, b, "≤ 1.0×", a.wall <= b.wall))
        path = warm_cache("diff", ours)
        a, b = alternate(ours, csvdiff, args.reps, before_a=lambda: warm(path))
        res.rows.append(row("diff warm", "dossier diff (whole dossier), warm cache", "csv-diff (injuries only)",
                            a, b, "≤ 1.0×", a.wall <= b.wall))
        a, b = alternate(ours, [str(peers / "daff"), "diff", "--id", "id", a_csv, b_csv], args.reps)
        res.rows.append(row("diff vs daff", "dossier diff (whole dossier), cold", "daff (injuries only)",
                            a, b, "≥ 5× faster", a.wall * 5 <= b.wall))
    elif want("diff"):
        r = runs(ours, cold)
        res.rows.append(row("diff", "dossier diff, cold", "(no peers)", r, r, "", None))
    if not want("archive"):
        return _finish(res, args, work)

    # the archive: full build, then a rebuild with nothing changed
    arch = work / "archive"

    def wipe() -> None:
        shutil.rmtree(arch, ignore_errors=True)

    full_cmd = [dossier, "build", str(repo), "--archive", "-o", str(arch)]
    full_runs, again_runs = [], []
    for _ in range(max(1, args.reps if args.size != "default" else 1)):
        wipe()
        cold()
        full_runs.append(run(full_cmd, cwd=repo))
        again_runs.append(run(full_cmd, cwd=repo))
    full, again = _median(full_runs), _median(again_runs)
    res.rows.append(row("archive no-change", "archive rebuild, nothing changed", "full archive build",
                        again, full, "≤ 5 %", again.wall <= 0.05 * full.wall))
    res.rows.append(row("scale", f"full archive ({versions} versions)", "goal 180 s / 2048 MB", full,
                        Run(180.0, 2048.0, 0), "< 3 min, < 2 GB", full.wall < 180 and full.rss_mb < 2048))

    # the archive with a PDF per version: the memory an office's submission build needs (no peer)
    wipe()
    cold()
    with_pdf = run([dossier, "build", str(repo), "--archive", "--pdf", "-o", str(arch)], cwd=repo)
    res.rows.append(row("scale with PDFs", f"full archive ({versions} versions) --pdf", "goal 2048 MB", with_pdf,
                        Run(with_pdf.wall, 2048.0, 0), "< 2 GB", with_pdf.rss_mb < 2048,
                        "no time goal: Typst sets every version's whole dossier"))

    return _finish(res, args, work)


def _finish(res: Results, args: argparse.Namespace, work: Path) -> int:
    print_table(res)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(asdict(res), ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"\nwritten: {args.json}", file=sys.stderr)
    for path in _CACHES:
        shutil.rmtree(path, ignore_errors=True)
    if args.work is None:
        shutil.rmtree(work, ignore_errors=True)
    return 0


def portal_rows(res: Results, work: Path, dossier: str, n: int) -> None:
    """The portal at scale: n communities × 3 versions, built with -j 2 and -j 1; a rebuild with one
    community changed against the full build plus that community's own rebuild; peak memory."""
    print(f"== portal: {n} communities × 3 versions", file=sys.stderr)
    repos = []
    for i in range(n):
        repo = work / "communities" / f"c{i:03d}"
        if not (repo / ".git").exists():
            generate_history(repo, 3, 2025, 150 + 37 * (i % 7), 6 + i % 5, seed=1000 + i)
        repos.append(str(repo))
    portal, cache = work / "portal", work / ".portal.communities"

    def wipe() -> None:
        shutil.rmtree(portal, ignore_errors=True)
        shutil.rmtree(cache, ignore_errors=True)

    def cold(jobs: str) -> Run:  # no portal cache, and a fresh chart/thumbnail cache, for both
        wipe()
        os.environ["SAFEDOSSIER_CACHE"] = tempfile.mkdtemp(prefix="bench-cache-", dir=work)
        return run([dossier, "portal", "build", *repos, "-o", str(portal), "-j", jobs])

    j1 = cold("1")
    j2 = cold("2")
    failed = "" if j1.rc == j2.rc == 0 else f"; EXIT CODES {j2.rc}/{j1.rc}: some communities failed"
    res.rows.append(row("portal -j 2", f"portal build -j 2 ({n} × 3 versions)", "portal build -j 1", j2, j1,
                        "faster with 2 workers", j2.wall < j1.wall and not failed,
                        f"whole process tree {j2.rss_mb:.0f} MB{failed}"))
    res.rows.append(row("portal memory", "portal build -j 2", "goal 2048 MB", j2, Run(j2.wall, 2048.0, 0),
                        "< 2 GB", j2.rss_mb < 2048))
    changed = Path(repos[0]) / "dossier" / "11-corrective.yml"
    changed.write_text(changed.read_text(encoding="utf-8") + "\n# 一处修改\n", encoding="utf-8")
    again = run([dossier, "portal", "build", *repos, "-o", str(portal), "-j", "2"])
    own_out = work / "own-archive"
    shutil.rmtree(own_out, ignore_errors=True)
    shutil.copytree(cache / Path(repos[0]).name, own_out)  # its archive as the portal had it, cache included
    changed.write_text(changed.read_text(encoding="utf-8") + "# 再一处修改\n", encoding="utf-8")
    own = run([dossier, "build", "--archive", repos[0], "-o", str(own_out)], cwd=Path(repos[0]))
    goal = 0.05 * j2.wall + own.wall
    res.rows.append(row("portal one changed", "portal rebuild, one community changed",
                        "5 % of the full build + its own rebuild", again, Run(goal, 0, 0), "≤ 5 % + own",
                        again.wall <= goal, f"full {j2.wall:.1f} s, its own rebuild {own.wall:.1f} s"))


def print_table(res: Results) -> None:
    print(f"\nmachine: {res.machine}\nsize: {res.size}\n")
    head = f"{'comparison':<20} {'A wall s':>9} {'B wall s':>9} {'A/B':>7} {'A MB':>8} {'B MB':>8} {'A/B':>6}  goal"
    print(head)
    print("-" * len(head))
    for r in res.rows:
        met = "" if r.met is None else ("met" if r.met else "NOT met")
        print(f"{r.name:<20} {r.a_wall:>9.2f} {r.b_wall:>9.2f} {r.ratio_wall:>7.2f} {r.a_rss:>8.0f} "
              f"{r.b_rss:>8.0f} {r.ratio_rss:>6.2f}  {r.goal} {met}")
        print(f"{'':<20} A = {r.a}; B = {r.b}{'; ' + r.note if r.note else ''}")


if __name__ == "__main__":
    raise SystemExit(main())
