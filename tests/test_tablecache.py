"""The cache of parsed, validated tables never serves a stale or damaged result (issue 17).

Real files and the real CLI: a warm run must say and publish exactly what a cold one does, and any
change to what a table's check depends on — a cell, the tool's version — must be seen.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pandas as pd
import pytest
from conftest import copy_example, edit, find, run_check

import safedossier.cache
from safedossier.cli import main
from safedossier.format import tablecache
from safedossier.format.validate import check


@pytest.fixture
def example(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the example dossier, with a cache of its own (empty at first)."""
    root = tmp_path / "example"
    copy_example(root)
    monkeypatch.setenv("SAFEDOSSIER_CACHE", str(tmp_path / "cache"))
    return root


def _entries(tmp_path: Path) -> list[Path]:
    folder = tmp_path / "cache" / tablecache.KIND
    return sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.startswith("."))


def _frames(root: Path) -> dict[str, pd.DataFrame]:
    res = check(root)
    assert res.dossier is not None, [d.render() for d in res.diagnostics if d.severity == "error"]
    return res.dossier.tables


def _assert_same_tables(a: dict[str, pd.DataFrame], b: dict[str, pd.DataFrame]) -> None:
    assert a.keys() == b.keys()
    for name in a:
        pd.testing.assert_frame_equal(a[name], b[name], check_exact=True)
        assert a[name].attrs["file"] == b[name].attrs["file"]
        assert list(a[name].attrs["rows"]) == list(b[name].attrs["rows"])


def test_a_warm_check_gives_exactly_the_cold_result(example: Path, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    # problems of every stage a table goes through: reading (a total row), checking (a bad code, a
    # date outside the cycle), references (an unknown unit)
    inj = example / "data/injuries.csv"
    lines = inj.read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3].replace(",男,", ",雄,", 1)
    lines[4] = lines[4].replace(lines[4].split(",")[1], "2019-05-06", 1)
    inj.write_text("\n".join([*lines, "合计" + "," * (lines[0].count(","))]) + "\n", encoding="utf-8")
    rc_cold, cold = run_check(example, capsys)
    assert _entries(tmp_path), "the cold run kept nothing"
    rc_warm, warm = run_check(example, capsys)
    assert (rc_warm, warm) == (rc_cold, cold)
    assert find(cold, "code", "data/injuries.csv") and find(cold, "total_row", "data/injuries.csv")
    assert find(cold, "date_outside_cycle", "data/injuries.csv")


def test_a_warm_cache_gives_the_same_typed_tables(example: Path, tmp_path: Path) -> None:
    cold = _frames(example)
    n = len(_entries(tmp_path))
    assert n >= 5
    _assert_same_tables(cold, _frames(example))
    assert len(_entries(tmp_path)) == n  # nothing new was needed


def test_one_changed_cell_is_seen(example: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rc, report = run_check(example, capsys)
    assert rc == 0 and not find(report, "range")
    before = _frames(example)["injuries"]
    inj = example / "data/injuries.csv"
    lines = inj.read_text(encoding="utf-8").splitlines()
    cells = lines[1].split(",")
    age = lines[0].split(",").index("age")
    cells[age] = "150"
    lines[1] = ",".join(cells)
    inj.write_text("\n".join(lines) + "\n", encoding="utf-8")
    rc, report = run_check(example, capsys)
    assert rc == 1 and [d["line"] for d in find(report, "range", "data/injuries.csv")] == [2]
    cells[age] = "77"  # a valid value: the typed table must show it, not the cached one
    lines[1] = ",".join(cells)
    inj.write_text("\n".join(lines) + "\n", encoding="utf-8")
    after = _frames(example)["injuries"]
    assert int(after["age"].iloc[0]) == 77 != int(before["age"].iloc[0])


def test_a_changed_cycle_rechecks_the_dates(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rc, report = run_check(example, capsys)
    assert not find(report, "date_outside_cycle")
    community = example / "dossier/community.yml"
    text = community.read_text(encoding="utf-8")
    start = int(text.split("start:")[1].split()[0])
    edit(community, f"start: {start}", f"start: {start + 1}")
    _, report = run_check(example, capsys)
    assert find(report, "date_outside_cycle", "data/injuries.csv")


def test_another_tool_version_never_reads_older_entries(example: Path, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    _frames(example)
    first = set(_entries(tmp_path))
    monkeypatch.setattr(safedossier.cache, "__version__", "999.0-test")
    loads: list[str] = []
    real = tablecache.load
    monkeypatch.setattr(tablecache, "load", lambda key: loads.append(key) or real(key))
    _frames(example)
    assert loads and not set(loads) & {p.name for p in first}  # other keys: the old entries are never read
    assert len(set(_entries(tmp_path)) - first) == len(first)  # every table was read and checked afresh


@pytest.mark.parametrize("damage", ["truncate", "flip", "forged"])
def test_a_damaged_entry_is_ignored(example: Path, tmp_path: Path, damage: str,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    rc_cold, cold = run_check(example, capsys)
    cold_tables = _frames(example)
    for p in _entries(tmp_path):
        data = p.read_bytes()
        if damage == "truncate":
            p.write_bytes(data[: len(data) // 2])
        elif damage == "flip":
            i = len(data) - 7
            p.write_bytes(data[:i] + bytes([data[i] ^ 0x01]) + data[i + 1:])
        else:  # a well-formed entry that holds garbage: its digest is right, its content is not
            payload = b"\x10\x00\x00\x00\x00\x00\x00\x00" + b'{"n": "x"}      '
            p.write_bytes(b"SDT1" + hashlib.sha256(payload).digest() + payload)
    rc, warm = run_check(example, capsys)
    assert (rc, warm) == (rc_cold, cold)
    _assert_same_tables(cold_tables, _frames(example))


def test_a_cached_check_still_finds_a_missing_evidence_file(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Evidence is checked against the disk every time, never from the cache of the table naming it."""
    rc, _ = run_check(example, capsys)
    assert rc == 0
    ev = pd.read_csv(example / "data/evidence.csv", dtype=str)
    gone = example / "evidence" / ev["file"].iloc[0]
    gone.unlink()
    rc, report = run_check(example, capsys)
    assert rc == 1 and find(report, "evidence_missing", "data/evidence.csv")


def test_one_changed_byte_of_evidence_is_published_and_signed(example: Path, tmp_path: Path) -> None:
    """A warm build after an evidence file changed publishes the new bytes, and its manifest signs them."""
    ev = pd.read_csv(example / "data/evidence.csv", dtype=str)
    name = next(f for f in ev["file"] if f.endswith(".pdf"))
    target = example / "evidence" / name
    assert main(["build", str(example), "-o", str(tmp_path / "site1")]) == 0
    data = bytearray(target.read_bytes())
    data[-3] ^= 0x01
    target.write_bytes(bytes(data))
    assert main(["build", str(example), "-o", str(tmp_path / "site2")]) == 0
    published = tmp_path / "site2" / "evidence" / name
    assert published.read_bytes() == bytes(data) != (tmp_path / "site1" / "evidence" / name).read_bytes()
    manifest = json.loads((tmp_path / "site2" / "manifest.json").read_text(encoding="utf-8"))
    listed = {f["path"]: f["sha256"] for f in manifest["files"]}
    assert listed[f"evidence/{name}"] == hashlib.sha256(bytes(data)).hexdigest()


def test_every_module_a_table_check_runs_is_part_of_the_key() -> None:
    """A cached table is valid only for the code that checked it: a module the check imports but the
    key leaves out (as `fields.py` would have been when the schema was split) would serve stale results."""
    import ast

    here = Path(tablecache.__file__).parent
    todo, seen = ["check_tables.py", "tableread.py", "tablecache.py"], set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        for node in ast.walk(ast.parse((here / name).read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("safedossier.format."):
                todo.append(node.module.rsplit(".", 1)[1] + ".py")  # type: ignore[union-attr]
    # diagnostics.py only words the messages, and those are worded anew from the recorded calls
    assert seen - {"diagnostics.py"} <= set(tablecache._MODULES), sorted(seen - set(tablecache._MODULES))
