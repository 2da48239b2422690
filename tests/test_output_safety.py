"""Issue 11, classes 1 and 7: output paths never destroy sources; faults give diagnostics.

Class 1: every command writes only to a new target or an earlier output of this tool, never to,
inside or above a dossier's sources or a `.git` (exit 2, zh/en message naming the folder).
Class 7: the swap is one exchange (or recovered on the next run), builds of one target are
serialised by a lock, stale temporaries are cleaned, and write faults are diagnostics, not tracebacks.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import REPO, git
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safedossier.cli import main
from safedossier.format.formatdoc import format_markdown
from safedossier.trust.targets import FORMAT_TITLE, STAMP, Claim, OutputError, judge, swap

SOURCES = ("mkdocs.yml", "dossier", "data", "evidence", "overrides")


def sources_tree(root: Path) -> dict[str, str]:
    """Every source file (and the repository's HEAD) by hash: what no command may change."""
    files = [root / "mkdocs.yml", root / ".gitignore", root / ".git" / "HEAD"]
    files += [p for d in SOURCES[1:] for p in sorted((root / d).rglob("*"))]
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in files if p.is_file()}


def cli(*args: str, cwd: Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(REPO / "src"))
    return subprocess.run([sys.executable, "-m", "safedossier.cli", *args], cwd=cwd, env=env, text=True,
                          capture_output=True, timeout=timeout, check=False)


def dead_pid() -> int:
    proc = subprocess.Popen(["true"])
    proc.wait()
    return proc.pid


@pytest.fixture
def repo(starter: Path) -> Path:
    """The starter dossier as a git work tree, with an overrides folder and a few symlinks."""
    git(starter, "init", "-q")
    (starter / "overrides").mkdir()
    (starter / "overrides" / "extra.css").write_text("a {}\n", encoding="utf-8")
    for name, to in {"link-data": "data", "link-root": ".", "link-up": "..", "link-git": ".git"}.items():
        (starter / name).symlink_to(to)
    return starter


# --- class 1: the target rule --------------------------------------------------------------------

@pytest.mark.parametrize("rel,named", [(".", "档案目录本身"), ("dossier", "内容目录"), ("data", "数据目录"),
                                       ("evidence", "佐证材料目录"), ("overrides", "主题覆盖目录"),
                                       ("..", "包含档案目录"), (".git", ".git"), ("data/new", "数据目录"),
                                       ("link-data", "数据目录"), ("link-up", "包含档案目录"),
                                       ("link-git/x", ".git")])
def test_build_into_a_source_folder_is_refused(repo: Path, rel: str, named: str,
                                               capsys: pytest.CaptureFixture[str],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    before = sources_tree(repo)
    monkeypatch.chdir(repo)
    assert main(["build", ".", "-o", rel]) == 2
    err = capsys.readouterr().err
    assert named in err and " / " in err and rel in err and "Traceback" not in err
    assert sources_tree(repo) == before


@pytest.mark.parametrize("argv", [["pdf", "-o", "data/trainings.csv"], ["pdf", "-o", "evidence/x.pdf"],
                                  ["pdf", "-o", ".gitignore"], ["schema", "-o", "dossier/community.yml"],
                                  ["schema", "-o", "dossier/pages/format.md"],
                                  ["build", "--project", "dossier"], ["build", "--project", "."],
                                  ["build", "--archive", "-o", "evidence"], ["build", "--archive", "-o", ".."],
                                  ["init", "."], ["init", ".", "--force"], ["init", "data/new"],
                                  ["build", "-o", "site", "--project", "site"]])
def test_every_writing_command_refuses_the_sources(repo: Path, argv: list[str],
                                                   capsys: pytest.CaptureFixture[str],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    before = sources_tree(repo)
    monkeypatch.chdir(repo)
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert " / " in err and "Traceback" not in err
    assert sources_tree(repo) == before
    assert not (repo / "site").exists()


def test_a_foreign_existing_folder_is_refused_and_kept(repo: Path, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    other = tmp_path / "photos"
    other.mkdir()
    (other / "a.jpg").write_bytes(b"\xff\xd8")
    assert main(["build", str(repo), "-o", str(other)]) == 2
    assert "不是本工具生成的输出" in capsys.readouterr().err
    assert (other / "a.jpg").read_bytes() == b"\xff\xd8"
    with pytest.raises(OutputError):  # nor an existing file that is not our PDF / format document
        judge(other / "a.jpg", "pdf")
    (tmp_path / "notes.md").write_text("# mine\n", encoding="utf-8")
    assert main(["schema", "-o", str(tmp_path / "notes.md")]) == 2
    assert (tmp_path / "notes.md").read_text(encoding="utf-8") == "# mine\n"


def test_schema_rewrites_its_own_file(tmp_path: Path) -> None:
    assert format_markdown().splitlines()[0] == FORMAT_TITLE
    out = tmp_path / "FORMAT.md"
    assert main(["schema", "-o", str(out)]) == 0
    assert main(["schema", "-o", str(out)]) == 0
    assert out.read_text(encoding="utf-8").startswith(FORMAT_TITLE)


def test_earlier_outputs_are_recognised(tmp_path: Path) -> None:
    stamped, legacy, archive, empty = (tmp_path / n for n in ("stamped", "legacy", "archive", "empty"))
    for d in (stamped, legacy, archive, empty):
        d.mkdir()
    (stamped / STAMP).write_text(json.dumps({"tool": "safedossier", "kind": "site"}), encoding="utf-8")
    (legacy / "manifest.json").write_text(json.dumps({"tool": "safedossier"}), encoding="utf-8")
    (archive / "versions.json").write_text("[]", encoding="utf-8")
    (archive / ".dossier-cache.json").write_text("{}", encoding="utf-8")
    assert judge(stamped, "site").note == "" and judge(empty, "archive").note == ""
    assert "旧版本" in judge(legacy, "site").note and "older version" in judge(archive, "archive").note
    (stamped / ".git").mkdir()  # someone publishes the site from a repository inside it
    with pytest.raises(OutputError, match="git"):
        judge(stamped, "site")
    with pytest.raises(OutputError):  # a site is not a MkDocs project folder
        judge(legacy, "project")


def test_init_force_never_overwrites(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "repo"
    target.mkdir()
    (target / "README.md").write_text("mine\n", encoding="utf-8")
    (target / ".gitignore").write_text("/build/\n", encoding="utf-8")
    assert main(["init", str(target)]) == 2  # not empty
    assert main(["init", str(target), "--force"]) == 0  # adds the starter beside what is there
    assert (target / "README.md").read_text(encoding="utf-8") == "mine\n"
    assert (target / ".gitignore").read_text(encoding="utf-8") == "/build/\n"
    assert (target / "dossier" / "community.yml").is_file()
    (target / "dossier" / "community.yml").write_text("# edited\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["init", str(target), "--force"]) == 2  # a dossier is there now
    assert "已有档案" in capsys.readouterr().err
    assert (target / "dossier" / "community.yml").read_text(encoding="utf-8") == "# edited\n"


PARTS = st.sampled_from([".", "..", "dossier", "data", "evidence", "overrides", "mkdocs.yml", ".git", "pages",
                         "x", "site", "link-data", "link-root", "link-up", "link-git", "prev", "other", "d"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(parts=st.lists(PARTS, min_size=1, max_size=4),
       kind=st.sampled_from(["site", "archive", "project", "pdf", "text", "dossier"]))
def test_no_allowed_target_touches_a_source(repo: Path, parts: list[str], kind: str) -> None:
    """Whatever path (symlinks, `..`, nesting), a target judged writable holds no source file, lies in no
    source folder and no `.git`, and anything already there is ours or nothing at all."""
    parent = repo.parent
    if not (parent / "prev").exists():
        (parent / "prev").mkdir()
        (parent / "prev" / STAMP).write_text('{"tool": "safedossier", "kind": "site"}', encoding="utf-8")
        (parent / "other").mkdir()
        (parent / "other" / "keep.txt").write_text("x", encoding="utf-8")
    target = repo.joinpath(*parts)
    try:
        real = judge(target, kind, repo).path
    except OutputError as exc:
        assert exc.code == 2 and exc.zh and exc.en
        return
    assert real == Path(os.path.realpath(target))
    protected = [Path(os.path.realpath(repo / s)) for s in (*SOURCES, ".git")]
    assert not any(real == p or p in real.parents for p in protected)  # not in a source folder
    assert real != repo.resolve() and real not in repo.resolve().parents  # not the dossier or above
    assert ".git" not in real.parts
    if real.is_dir():
        assert kind in ("site", "archive", "project", "dossier")
        assert not any(real.iterdir()) or (real / STAMP).is_file() or kind == "dossier"
    else:
        assert not real.exists() or kind == "text" and real.read_text().startswith(FORMAT_TITLE)


def test_new_targets_outside_the_sources_are_allowed(repo: Path) -> None:
    for rel in ("site", "../site", "../new/deep/site", "x.pdf", "link-up/elsewhere"):
        assert judge(repo / rel, "site", repo).path.name in ("site", "x.pdf", "elsewhere")


# --- class 7: swap, lock, stale temporaries, faults ------------------------------------------------

def test_swap_is_one_exchange(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With the target present, the swap never renames it away (there is no moment without a site)."""
    old, new = tmp_path / "site", tmp_path / "new"
    old.mkdir()
    (old / "a").write_text("old", encoding="utf-8")
    new.mkdir()
    (new / "a").write_text("new", encoding="utf-8")
    renamed: list[tuple[str, str]] = []
    real_rename = os.rename
    monkeypatch.setattr(os, "rename", lambda a, b: (renamed.append((str(a), str(b))), real_rename(a, b)))
    swap(new, old)
    assert (old / "a").read_text(encoding="utf-8") == "new" and not new.exists()
    assert renamed == []


def test_orphaned_old_site_is_restored(starter: Path, tmp_path: Path) -> None:
    """A build killed between the two renames of the fallback swap left the site at `.site.old-PID`:
    the next run puts it back before anything else, and removes stale temporaries."""
    out = tmp_path / "site"
    aside = tmp_path / f".site.old-{dead_pid()}"
    aside.mkdir()
    (aside / STAMP).write_text('{"tool": "safedossier", "kind": "site"}', encoding="utf-8")
    (aside / "index.html").write_text("previous", encoding="utf-8")
    stale = tmp_path / f".site.build-{dead_pid()}-abc"
    (stale / "src" / "data").mkdir(parents=True)
    (stale / "src" / "data" / "injuries.xlsx").write_bytes(b"ID numbers")
    legacy = tmp_path / ".site.build-k2x9q"  # named by mkdtemp before temporaries carried a PID
    legacy.mkdir()
    with Claim(out, "site"):
        assert (out / "index.html").read_text(encoding="utf-8") == "previous"
        assert not aside.exists() and not stale.exists() and not legacy.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d", "site"]  # the lock file is gone too


def test_rebuild_into_an_earlier_output_cleans_stale_temporaries(starter: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    assert main(["build", str(starter), "-o", str(out)]) == 0
    assert json.loads((out / STAMP).read_text(encoding="utf-8"))["kind"] == "site"
    stale = tmp_path / f".site.build-{dead_pid()}-xyz"
    stale.mkdir()
    (out / "index.html").write_text("stale page", encoding="utf-8")
    assert main(["build", str(starter), "-o", str(out)]) == 0
    assert "stale page" not in (out / "index.html").read_text(encoding="utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d", "site"]


def test_concurrent_builds_wait_for_each_other(starter: Path, tmp_path: Path) -> None:
    """Two real builds of one target while a third holder has the lock: both wait, neither gives a
    traceback, and the site in the end is complete."""
    out = tmp_path / "site"
    with Claim(out, "site", on_wait=lambda _: None):
        procs = [subprocess.Popen([sys.executable, "-m", "safedossier.cli", "build", str(starter), "-o", str(out)],
                                  env=dict(os.environ, PYTHONPATH=str(REPO / "src")), text=True,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(2)]
        time.sleep(4)
        assert all(p.poll() is None for p in procs) and not out.exists()  # both are waiting
    results = [p.communicate(timeout=180) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], results
    for _, err in results:
        assert "Traceback" not in err and "等待" in err
    assert (out / "manifest.json").is_file() and (out / "index.html").is_file() and (out / STAMP).is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d", "site"]


@pytest.fixture
def small_fs(tmp_path: Path) -> Iterator[Path]:
    """A 1 MB tmpfs (a site needs ~3 MB): a real full disk, and a real read-only one after remount."""
    mnt = tmp_path / "mnt"
    mnt.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mnt)], capture_output=True,
                      check=False).returncode != 0:
        pytest.skip("cannot mount a tmpfs here (needs root)")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=False)


def _previous_site(folder: Path) -> Path:
    site = folder / "site"
    site.mkdir()
    (site / STAMP).write_text('{"tool": "safedossier", "kind": "site"}', encoding="utf-8")
    (site / "index.html").write_text("previous", encoding="utf-8")
    return site


def test_full_disk_is_a_diagnostic(starter: Path, small_fs: Path) -> None:
    site = _previous_site(small_fs)
    proc = cli("build", str(starter), "-o", str(site), cwd=starter)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr
    assert "磁盘空间已满" in proc.stderr or "No space left" in proc.stderr
    assert (site / "index.html").read_text(encoding="utf-8") == "previous"
    assert sorted(p.name for p in small_fs.iterdir()) == ["site"]  # no half-built leftovers


def test_read_only_output_is_a_diagnostic(starter: Path, small_fs: Path, tmp_path: Path) -> None:
    site = _previous_site(small_fs)
    subprocess.run(["mount", "-o", "remount,ro", str(small_fs)], check=True)
    for argv in (["build", str(starter), "-o", str(site)], ["build", str(starter), "-o", str(small_fs / "new")],
                 ["schema", "-o", str(small_fs / "f.md")], ["init", str(small_fs / "n")]):
        proc = cli(*argv, cwd=tmp_path)
        assert proc.returncode == 1 and "Traceback" not in proc.stderr, (argv, proc.stderr)
        assert "只读文件系统" in proc.stderr and "read-only file system" in proc.stderr
    assert (site / "index.html").read_text(encoding="utf-8") == "previous"
    proc = cli("build", str(starter), "-o", str(small_fs), cwd=tmp_path)  # the mount point itself
    assert proc.returncode in (1, 2) and "Traceback" not in proc.stderr


def test_unwritable_parent_is_a_diagnostic(starter: Path, tmp_path: Path) -> None:
    """Without root: a folder without write permission (as root, the read-only mount test covers it)."""
    if os.geteuid() == 0:
        pytest.skip("root writes anywhere; see test_read_only_output_is_a_diagnostic")
    parent = tmp_path / "locked"
    parent.mkdir()
    parent.chmod(0o555)
    try:
        proc = cli("build", str(starter), "-o", str(parent / "site"), cwd=tmp_path)
    finally:
        parent.chmod(0o755)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr and "没有写入权限" in proc.stderr


def test_file_size_limit_is_a_diagnostic(starter: Path, tmp_path: Path) -> None:
    """Any user: RLIMIT_FSIZE makes writes fail (EFBIG) the way a full disk does (ENOSPC)."""
    site = _previous_site(tmp_path)
    script = ("import resource, signal, sys; signal.signal(signal.SIGXFSZ, signal.SIG_IGN); "
              "resource.setrlimit(resource.RLIMIT_FSIZE, (20000, 20000)); from safedossier.cli import main; "
              f"sys.exit(main(['build', {str(starter)!r}, '-o', {str(site)!r}]))")
    proc = subprocess.run([sys.executable, "-c", script], env=dict(os.environ, PYTHONPATH=str(REPO / "src")),
                          capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr
    assert (site / "index.html").read_text(encoding="utf-8") == "previous"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".site.")]
    shutil.rmtree(site)
