"""Property tests: mangled YAML and tables never make `check` raise; it always answers with diagnostics.

The default run keeps a small sample; `pytest -m nightly` runs the long version.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safedossier.format.schema import TABLE_BY_NAME
from safedossier.format.starter import write_starter
from safedossier.format.validate import check

TEMPLATE: Path | None = None


def template(tmp: Path) -> Path:
    global TEMPLATE
    if TEMPLATE is None:
        TEMPLATE = tmp / "template"
        write_starter(TEMPLATE, year=2025)
    return TEMPLATE


FILES = ["dossier/community.yml", "dossier/01-organisation.yml", "dossier/05-projects.yml",
         "dossier/12-review.yml", "data/injuries.csv", "data/members.csv", "data/evidence.csv",
         "data/inspections.csv", "data/population.csv"]
NASTY = ["\x00", "\ufeff", "&a", "*a", "<<: *a", "[", "]", "{", "}", ":", "- ", "\t", "\"", "'", ",", ";", "；",
         "\n", "\r", "2025-02-30", "9" * 30, "1e999", "nan", "..", "/etc/passwd", "H01", "P01", "M01",
         "!!python/object:os.system", "~", "null", "是", "跌倒/坠落", "𠀀", "\udcff"]


@st.composite
def mangle(draw: st.DrawFn) -> tuple[str, int, str, int]:
    """(file, position, inserted text, deleted length)."""
    file = draw(st.sampled_from(FILES))
    pos = draw(st.integers(min_value=0, max_value=4000))
    text = draw(st.one_of(st.sampled_from(NASTY), st.text(max_size=12)))
    delete = draw(st.integers(min_value=0, max_value=20))
    return file, pos, text, delete


CODES = {f.key: f.codes for f in TABLE_BY_NAME["injuries"].fields if f.codes}


@st.composite
def valid_injuries(draw: st.DrawFn) -> str:
    """A valid injury table (header in Chinese labels) drawn from the code lists."""
    n = draw(st.integers(min_value=1, max_value=25))
    lines = ["编号,发生日期,性别,年龄,原因,地点,活动,严重程度,结局,姓名,电话"]
    for i in range(n):
        day = draw(st.dates(min_value=dt.date(2025, 1, 1), max_value=dt.date(2025, 12, 31)))
        form = draw(st.sampled_from(["{:%Y-%m-%d}", "{0.year}/{0.month}/{0.day}", "{0.year}年{0.month}月{0.day}日"]))
        row = [f"R{i}", form.format(day), draw(st.sampled_from(CODES["sex"])),
               str(draw(st.integers(0, 120)))]
        row += [draw(st.sampled_from(CODES[k])) for k in ("cause", "place", "activity", "severity", "outcome")]
        row += [draw(st.text(alphabet="张王李赵刘陈杨黄周吴伟芳娜敏静", min_size=2, max_size=3)),
                "1" + str(draw(st.integers(3, 9))) + str(draw(st.integers(10**8, 10**9 - 1)))]
        lines.append(",".join(row))
    return "\n".join(lines) + "\n"


def _apply(root: Path, edits: list[tuple[str, int, str, int]], as_bytes: bool) -> None:
    for file, pos, text, delete in edits:
        path = root / file
        data = path.read_bytes()
        pos = pos % (len(data) + 1)
        insert = text.encode("utf-8", "surrogatepass") if as_bytes else text.encode("utf-8", "replace")
        path.write_bytes(data[:pos] + insert + data[pos + delete:])


def _run(tmp_path_factory: pytest.TempPathFactory, edits: list, as_bytes: bool,
         injuries: str | None = None) -> None:
    base = tmp_path_factory.getbasetemp()
    work = base / "fuzz-work"
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(template(base), work)
    if injuries is not None:  # first a valid dossier with generated records…
        (work / "data/injuries.csv").write_text(injuries, encoding="utf-8")
        valid = check(work)
        assert valid.errors == 0, [d.render() for d in valid.diagnostics][:5]
    _apply(work, edits, as_bytes)  # …then corrupted
    result = check(work)  # must not raise
    for d in result.diagnostics:
        assert d.render("zh") and d.render("en")
    if result.errors:
        assert result.dossier is None


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=st.lists(mangle(), min_size=1, max_size=4), as_bytes=st.booleans(),
       injuries=st.one_of(st.none(), valid_injuries()))
def test_mangled_dossier_never_raises(tmp_path_factory: pytest.TempPathFactory, edits: list,
                                      as_bytes: bool, injuries: str | None) -> None:
    _run(tmp_path_factory, edits, as_bytes, injuries)


@pytest.mark.nightly
@settings(max_examples=10_000, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=st.lists(mangle(), min_size=1, max_size=6), as_bytes=st.booleans(),
       injuries=st.one_of(st.none(), valid_injuries()))
def test_mangled_dossier_never_raises_long(tmp_path_factory: pytest.TempPathFactory, edits: list,
                                           as_bytes: bool, injuries: str | None) -> None:
    _run(tmp_path_factory, edits, as_bytes, injuries)


def test_alias_bomb_and_deep_nesting_are_bounded(tmp_path: Path) -> None:
    root = tmp_path / "d"
    write_starter(root, year=2025)
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
        for p, c in zip("abcdefgh", "bcdefghi", strict=True))
    (root / "dossier/10-archive.yml").write_text(bomb, encoding="utf-8")
    (root / "dossier/11-corrective.yml").write_text("procedure: " + "[" * 5000 + "]" * 5000, encoding="utf-8")
    result = check(root)
    codes = {(d.file, d.code) for d in result.diagnostics}
    assert ("dossier/10-archive.yml", "yaml_too_complex") in codes
    assert ("dossier/11-corrective.yml", "yaml_too_complex") in codes


def test_python_tags_are_not_executed(tmp_path: Path) -> None:
    root = tmp_path / "d"
    write_starter(root, year=2025)
    marker = tmp_path / "pwned"
    (root / "dossier/11-corrective.yml").write_text(
        f"procedure: !!python/object/apply:os.system ['touch {marker}']\n", encoding="utf-8")
    result = check(root)
    assert not marker.exists()
    assert any(d.code == "yaml_syntax" for d in result.diagnostics)
