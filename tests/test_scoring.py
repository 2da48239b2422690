"""Issue 14: scoring schemes as data, the self-assessment checked like every dossier file, `dossier score`.

Expected scores are computed by hand in each test (with the arithmetic written out), never by the code
under test.
"""

from __future__ import annotations

import json
import os
from decimal import Decimal as D
from fractions import Fraction
from pathlib import Path

import pytest
from conftest import find, run_check
from hypothesis import given, settings
from hypothesis import strategies as st

from safedossier.analyse.scoring.assess import Assessment, Given
from safedossier.analyse.scoring.scheme import load_shipped, shipped_ids
from safedossier.analyse.scoring.score import score
from safedossier.cli import main
from safedossier.format.diagnostics import Report

SA = "dossier/self-assessment.yml"

# parts A 2 + B 3 by default; item 2 has its own single part, item 3 two parts of its own
HAND = """\
id: hand
name: 手工方案
source: 测试用
parts: {A: 2, B: 3}
grades: {hi: 1, mid: 0.5, lo: 0.25, none: 0}
verdicts:
  - {name: 优秀, min_total: 6, no_zero_item: true}
  - {name: 合格, min_total: 5}
  - {name: 不合格}
items:
  - {id: "1", element: 1, title: 项目一}
  - {id: "2", element: [2, 3], title: 项目二, parts: {X: 4}}
  - {id: "3", element: 2, title: 项目三, parts: {A: 1, Z: 1.5}}
"""


def write(root: Path, rel: str, text: str) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def assessment(root: Path, items: str, scheme: str = "schemes/hand.yml", head: str = "") -> None:
    write(root, SA, f"scheme: {scheme}\ndate: 2025-11-20\nassessors: [M01, M02]\n{head}items:\n{items}")


def run_score(root: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, str, str]:
    capsys.readouterr()
    rc = main(["score", str(root), *extra])
    out = capsys.readouterr()
    return rc, out.out, out.err


def score_json(root: Path, capsys: pytest.CaptureFixture[str]) -> dict:
    rc, out, err = run_score(root, capsys, "--format", "json")
    assert rc == 0, err + out
    return json.loads(out)


# --- scores and verdicts ----------------------------------------------------------------------

def test_hand_made_scheme_scores_items_elements_total_and_verdict(starter: Path, capsys) -> None:
    write(starter, "schemes/hand.yml", HAND)
    assessment(starter, '  "1": {A: hi, B: mid, evidence: [E01], note: 有文件}\n'
                        '  "2": {X: lo}\n'
                        '  "3": {A: mid, Z: hi}\n')
    rc, report = run_check(starter, capsys)
    assert rc == 0 and report["counts"]["error"] == 0, report
    r = score_json(starter, capsys)
    # item 1: 2×1 + 3×0.5 = 3.5 of 5; item 2: 4×0.25 = 1 of 4; item 3: 1×0.5 + 1.5×1 = 2 of 2.5
    assert [(i["id"], i["score"], i["max"]) for i in r["items"]] == [("1", 3.5, 5), ("2", 1.0, 4), ("3", 2.0, 2.5)]
    assert r["items"][0]["grades"] == {"A": "hi", "B": "mid"} and r["items"][0]["suggested"] == {}
    assert r["items"][0]["evidence"] == ["E01"]
    # item 2 lists elements 2 and 3: it counts in its first one
    assert r["elements"] == [{"element": 1, "score": 3.5, "max": 5.0}, {"element": 2, "score": 3.0, "max": 6.5}]
    assert (r["scheme"], r["total"], r["max"], r["complete"]) == ("hand", 6.5, 11.5, True)
    assert r["verdict"] == "优秀"  # 6.5 ≥ 6 and no zero item
    assert r["zero_items"] == []


def test_a_zero_item_blocks_a_no_zero_verdict(starter: Path, capsys) -> None:
    write(starter, "schemes/hand.yml", HAND)
    assessment(starter, '  "1": {A: hi, B: hi}\n  "2": {X: none}\n  "3": {A: hi, Z: hi}\n')
    r = score_json(starter, capsys)
    # 5 + 0 + 2.5 = 7.5 ≥ 6, but item 2 is 4 × 0 = 0: not 优秀; 合格 (≥ 5) does not mind zeros
    assert (r["total"], r["zero_items"], r["verdict"]) == (7.5, ["2"], "合格")
    rc, out, _ = run_score(starter, capsys)
    assert rc == 0 and "零分项目：2" in out and "结论：合格" in out


def test_an_ungraded_part_makes_the_assessment_incomplete(starter: Path, capsys) -> None:
    write(starter, "schemes/hand.yml", HAND)
    assessment(starter, '  "1": {A: hi, B: hi}\n  "2": {X: hi}\n  "3": {A: hi, Z: }\n')
    r = score_json(starter, capsys)
    # Z not graded: item 3 is 1 so far (incomplete), total 5 + 4 + 1 = 10 — yet no verdict of the scheme
    assert (r["total"], r["complete"], r["verdict"]) == (10.0, False, "未完成")
    assert [i["complete"] for i in r["items"]] == [True, True, False]
    assert r["items"][2]["grades"] == {"A": "hi"}
    rc, out, _ = run_score(starter, capsys)
    assert rc == 0 and "结论：未完成（1 个评分部分未评等级）" in out
    _, report = run_check(starter, capsys)
    assert [d["line"] for d in find(report, "score_incomplete", SA)] == [4]


def test_an_item_left_out_is_not_assessed(starter: Path, capsys) -> None:
    write(starter, "schemes/hand.yml", HAND)
    assessment(starter, '  "1": {A: hi, B: hi}\n')
    r = score_json(starter, capsys)
    assert (r["total"], r["complete"], r["verdict"]) == (5.0, False, "未完成")


def test_text_rounds_to_two_decimals_json_does_not(starter: Path, capsys) -> None:
    write(starter, "schemes/third.yml", "id: third\nname: 三分之一\nsource: 测试\nparts: {P: 1}\n"
          "grades: {x: 0.333}\nverdicts: [{name: 好}]\nitems:\n  - {id: q1, element: 12, title: 唯一}\n")
    assessment(starter, "  q1: {P: x}\n", scheme="schemes/third.yml")
    assert score_json(starter, capsys)["total"] == 0.333
    rc, out, _ = run_score(starter, capsys)
    assert "总分：0.33 / 1.00" in out and "0.333" not in out


def test_shipped_scheme_verdicts_with_exact_arithmetic(starter: Path, capsys) -> None:
    def grade_all(triples: list[str]) -> None:
        lines = "".join(f'  "{n}": {{有无: {t[0]}, 痕迹: {t[1]}, 效果: {t[2]}}}\n' for n, t in enumerate(triples, 1))
        assessment(starter, lines, scheme="aqt9001-self")

    grade_all(["aaa"] * 50)
    assert (score_json(starter, capsys)["total"], score_json(starter, capsys)["verdict"]) == (150, "通过")
    grade_all(["ddd"] + ["aaa"] * 49)  # 147 points, but item 1 is a zero item
    r = score_json(starter, capsys)
    assert (r["total"], r["zero_items"], r["verdict"]) == (147, ["1"], "不通过")
    grade_all(["abc"] * 50)  # 50 × (0.8 + 0.7 + 0.36) = 50 × 1.86 = 93
    assert score_json(starter, capsys)["verdict"] == "限期整改"
    grade_all(["ccc"] * 50)  # 50 × 0.9 = 45
    r = score_json(starter, capsys)
    assert (r["total"], r["verdict"]) == (45, "不通过")
    # 25 × (0.8 + 1 + 0.84) + 25 × (0 + 1 + 0.36) = 66 + 34 = exactly 100: passes (summing floats
    # would give 99.99999999999999)
    grade_all(["aab"] * 25 + ["dac"] * 25)
    r = score_json(starter, capsys)
    assert (r["total"], r["verdict"]) == (100, "通过")
    el1 = r["elements"][0]
    assert (el1["element"], el1["max"]) == (1, 15) and el1["score"] == pytest.approx(5 * 2.64)


def _city_scheme() -> str:
    """45 items, 100 points (40 × 2 + 5 × (2 + 2)), grades 优/良/中/差, 合格 at 90."""
    items = "".join(f'  - {{id: "C{n:02d}", element: {n % 12 + 1}, title: 条目{n}, parts: {{评分: 2}}}}\n'
                    for n in range(1, 41))
    items += "".join(f'  - {{id: "C{n:02d}", element: 5, title: 条目{n}, parts: {{资料: 2, 现场: 2}}}}\n'
                     for n in range(41, 46))
    return ("id: city-2024\nname: 某市安全社区评定细则\nsource: 某市应急管理局文件\n"
            "parts: {评分: 2}\ngrades: {优: 1.0, 良: 0.8, 中: 0.6, 差: 0}\n"
            "verdicts:\n  - {name: 合格, min_total: 90}\n  - {name: 不合格}\nitems:\n" + items)


def test_a_scheme_of_another_shape_loads_and_scores(starter: Path, capsys) -> None:
    write(starter, "schemes/city-2024.yml", _city_scheme())
    one = "".join(f'  C{n:02d}: {{评分: {"良" if n <= 5 else "优"}}}\n' for n in range(1, 41))
    five = "".join(f"  C{n:02d}: {{资料: 优, 现场: 优}}\n" for n in range(41, 46))
    assessment(starter, one + five, scheme="schemes/city-2024.yml")
    rc, report = run_check(starter, capsys)
    assert rc == 0, report
    r = score_json(starter, capsys)
    # 5 × 2 × 0.8 + 35 × 2 + 5 × 4 = 8 + 70 + 20 = 98
    assert (len(r["items"]), r["max"], r["total"], r["verdict"]) == (45, 100, 98, "合格")
    one = "".join(f'  C{n:02d}: {{评分: {"中" if n <= 15 else "优"}}}\n' for n in range(1, 41))
    assessment(starter, one + five, scheme="schemes/city-2024.yml")
    r = score_json(starter, capsys)
    # 15 × 2 × 0.6 + 25 × 2 + 20 = 18 + 50 + 20 = 88 < 90
    assert (r["total"], r["verdict"]) == (88, "不合格")


def test_the_shipped_scheme(capsys) -> None:
    report = Report()
    s = load_shipped("aqt9001-self", report)
    assert s is not None and report.finish() == []
    assert "aqt9001-self" in shipped_ids()
    assert (len(s.items), s.max) == (50, 150)
    assert s.source == "依据 AQ/T 9001 条文整理，非官方现场评定表"
    assert {i.element for i in s.items} == set(range(1, 13))
    assert all(i.hint and i.parts == {"有无": D("0.8"), "痕迹": 1, "效果": D("1.2")} for i in s.items)
    assert s.grades == {"a": 1, "b": D("0.7"), "c": D("0.3"), "d": 0}
    assert [(v.name, v.min_total, v.no_zero_item) for v in s.verdicts] == [
        ("通过", 100, True), ("限期整改", 75, True), ("不通过", None, False)]


SHIPPED = load_shipped("aqt9001-self", Report())
GRADES = {"a": Fraction(1), "b": Fraction(7, 10), "c": Fraction(3, 10), "d": Fraction(0)}
POINTS = {"有无": Fraction(8, 10), "痕迹": Fraction(1), "效果": Fraction(12, 10)}


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.sampled_from([*GRADES, None]), min_size=3, max_size=3), min_size=50, max_size=50))
def test_score_and_verdict_agree_with_a_hand_computation(grades: list[list[str | None]]) -> None:
    assert SHIPPED is not None
    items = {str(n): Given({p: g for p, g in zip(POINTS, gs, strict=True) if g}) for n, gs in enumerate(grades, 1)}
    r = score(Assessment(SHIPPED, "2025-11-20", (), items))
    item_scores = [sum((POINTS[p] * GRADES[g] for p, g in zip(POINTS, gs, strict=True) if g), Fraction(0))
                   for gs in grades]
    total = sum(item_scores, Fraction(0))
    complete = all(g for gs in grades for g in gs)
    zero = any(s == 0 for s in item_scores)
    expected = ("未完成" if not complete else "通过" if total >= 100 and not zero
                else "限期整改" if total >= 75 and not zero else "不通过")
    assert Fraction(str(r.total)) == total and r.complete == complete and r.verdict == expected
    assert sum(Fraction(str(e.score)) for e in r.elements) == total


# --- diagnostics ------------------------------------------------------------------------------

BROKEN_SCHEME = """\
id: broken
name: 坏方案
parts: {有无: 0.8, 痕迹: -1}
grades: {a: 1.0, b: 1.5}
verdicts:
  - {name: 通过, min_total: 一百}
  - {min_total: 10}
  - {name: 不通过}
items:
  - {id: "1", element: 13, title: 甲}
  - {id: "1", element: 1, title: 乙}
  - {id: "2", element: 1}
  - {id: "3", element: 一, title: 丙}
  - {id: 1.1, element: 2, title: 丁}
  - just a string
"""


def _errors(report: dict, file: str) -> list[tuple[str, int | None, str]]:
    return [(d["code"], d["line"], d["field"]) for d in report["diagnostics"]
            if d["file"] == file and d["severity"] == "error"]


def test_every_problem_of_a_broken_scheme_is_reported(starter: Path, capsys) -> None:
    write(starter, "schemes/broken.yml", BROKEN_SCHEME)
    assessment(starter, '  "1": {有无: a}\n', scheme="schemes/broken.yml")
    rc, report = run_check(starter, capsys)
    assert rc == 1
    assert sorted(_errors(report, "schemes/broken.yml"), key=lambda e: (e[1], e[2])) == [
        ("required", 1, "source"),
        ("scheme_points", 3, "parts.痕迹"),
        ("range", 4, "grades.b"),
        ("type", 6, "verdicts[0].min_total"),
        ("required", 7, "verdicts[1].name"),
        ("range", 10, "items[0].element"),
        ("duplicate_id", 11, "items[1].id"),
        ("required", 12, "items[2].title"),
        ("type", 13, "items[3].element"),
        ("type", 14, "items[4].id"),
        ("type", 15, "items[5]"),
    ]
    rc, out, err = run_score(starter, capsys)
    assert rc == 1 and out == ""
    assert "错误 schemes/broken.yml 第 4 行 [grades.b]：数值超出范围（发现：1.5；应为：0 到 1 之间）" in err


def test_a_scheme_whose_last_verdict_has_conditions_is_warned(starter: Path, capsys) -> None:
    write(starter, "schemes/hand.yml", HAND.replace("  - {name: 不合格}\n", ""))
    assessment(starter, '  "1": {A: hi}\n')
    rc, report = run_check(starter, capsys)
    assert rc == 0 and [d["line"] for d in find(report, "scheme_no_fallback", "schemes/hand.yml")] == [8]


BROKEN_SA = """\
scheme: schemes/hand.yml
date: 2025年2月30日
assessors: [M01, M999]
colour: red
items:
  "1": {A: hi, B: great}
  "9": {A: hi}
  "2": {Q: hi, evidence: [E01, E99]}
  2: {X: lo}
  "3": [a, b]
  "3x": {A: hi, note: [1]}
"""


def test_every_problem_of_a_broken_self_assessment_is_reported(starter: Path, capsys) -> None:
    write(starter, "schemes/hand.yml", HAND)
    write(starter, SA, BROKEN_SA)
    rc, report = run_check(starter, capsys)
    assert rc == 1
    assert sorted(_errors(report, SA), key=lambda e: (e[1], e[2])) == sorted([
        ("date_invalid", 2, "date"),
        ("dangling_ref", 3, "assessors[1]"),
        ("score_unknown_grade", 6, "items.1.B"),
        ("score_unknown_item", 7, "items.9"),
        ("dangling_ref", 8, "items.2.evidence[1]"),
        ("score_unknown_part", 8, "items.2.Q"),
        ("duplicate_id", 9, "items.2"),
        ("type", 10, "items.3"),
        ("score_unknown_item", 11, "items.3x"),
        ("type", 11, "items.3x.note"),
    ], key=lambda e: (e[1], e[2]))
    assert [d["line"] for d in find(report, "unknown_key", SA)] == [4]
    grade = find(report, "score_unknown_grade", SA)[0]
    assert grade["found"] == "great" and "hi、mid、lo、none" in grade["expected"]
    rc, _, err = run_score(starter, capsys)
    assert rc == 1 and "dossier/self-assessment.yml 第 3 行 [assessors[1]]：引用的成员编号不存在" in err


def test_missing_keys_and_wrong_types(starter: Path, capsys) -> None:
    write(starter, SA, "assessors: {M01: yes}\nitems: [1, 2]\n")
    rc, report = run_check(starter, capsys)
    assert rc == 1
    assert sorted(_errors(report, SA)) == [
        ("required", 1, "date"), ("required", 1, "scheme"), ("type", 1, "assessors"), ("type", 2, "items")]
    write(starter, SA, "- scheme: aqt9001-self\n")
    rc, report = run_check(starter, capsys)
    assert rc == 1 and _errors(report, SA) == [("yaml_not_mapping", 1, "")]


@pytest.mark.parametrize(("ref", "code"), [
    ("../outside.yml", "scheme_outside"), ("/etc/hosts.yml", "scheme_outside"),
    ("schemes/../../outside.yml", "scheme_outside"), ("schemes/link.yml", "scheme_outside"),
    ("schemes/nope.yml", "scheme_missing"), ("national-2099", "scheme_unknown"),
])
def test_a_scheme_that_cannot_be_used(starter: Path, capsys, ref: str, code: str) -> None:
    outside = write(starter.parent, "outside.yml", HAND)
    (starter / "schemes").mkdir()
    os.symlink(outside, starter / "schemes/link.yml")
    assessment(starter, '  "1": {A: hi}\n', scheme=ref)
    rc, report = run_check(starter, capsys)
    assert rc == 1 and _errors(report, SA) == [(code, 1, "scheme")]
    if code != "scheme_outside":
        assert "aqt9001-self" in find(report, code, SA)[0]["expected"]
    assert not find(report, "score_unknown_item")  # nothing read from outside the dossier


def test_a_dossier_scheme_is_a_source_scanned_for_personal_data(starter: Path, capsys) -> None:
    write(starter, "schemes/hand.yml", HAND.replace("title: 项目一", "title: 项目一 联系 13912345678"))
    assessment(starter, '  "1": {A: hi}\n')
    rc, report = run_check(starter, capsys)
    assert rc == 1 and [d["line"] for d in find(report, "private_text", "schemes/hand.yml")] == [11]
    write(starter, "schemes/hand.yml", HAND)
    from safedossier.format.validate import check

    result = check(starter)
    assert result.dossier is not None and "schemes/hand.yml" in result.dossier.files
    assert SA in result.dossier.files


# --- the command ------------------------------------------------------------------------------

def test_score_json_shape(starter: Path, capsys) -> None:
    assessment(starter, '  "1": {有无: a, 痕迹: b, 效果: c, evidence: [E01]}\n', scheme="aqt9001-self")
    r = score_json(starter, capsys)
    assert {"scheme", "max", "total", "complete", "verdict", "elements", "items"} <= set(r)
    assert (r["scheme"], r["max"], r["complete"], r["verdict"]) == ("aqt9001-self", 150, False, "未完成")
    assert r["total"] == pytest.approx(0.8 + 0.7 + 0.36)
    assert [e["element"] for e in r["elements"]] == list(range(1, 13))
    assert all(set(e) == {"element", "score", "max"} for e in r["elements"])
    assert len(r["items"]) == 50
    for i in r["items"]:
        assert {"id", "score", "max", "grades", "suggested", "reasons"} <= set(i)
        assert isinstance(i["id"], str) and set(i["suggested"]) == {"有无", "痕迹", "效果"} and i["max"] == 3
        assert set(i["suggested"].values()) <= {"a", "b", "c", "d"}  # see test_suggest.py for the values
    assert r["items"][0]["grades"] == {"有无": "a", "痕迹": "b", "效果": "c"}
    rc, out, _ = run_score(starter, capsys, "--lang", "en")
    assert rc == 0 and "Verdict: incomplete (147 parts not graded)" in out


def test_score_without_a_self_assessment(starter: Path, capsys) -> None:
    rc, report = run_check(starter, capsys)
    assert rc == 0 and report["counts"] == {"error": 0, "warning": 0, "info": 0}
    rc, out, err = run_score(starter, capsys)
    assert rc == 1 and out == "" and "没有自评表，无法评分" in err
    rc, out, _ = run_score(starter, capsys, "--format", "json")
    assert rc == 1 and json.loads(out)["diagnostics"][0]["code"] == "self_assessment_missing"


def test_grades_are_matched_without_case(starter: Path, capsys) -> None:
    assessment(starter, '  "1": {有无: A, 痕迹: B, 效果: D}\n', scheme="aqt9001-self")
    r = score_json(starter, capsys)
    assert r["items"][0]["grades"] == {"有无": "a", "痕迹": "b", "效果": "d"}


_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-5, 20), st.floats(allow_nan=True),
                     st.text(max_size=4), st.sampled_from(["a", "有无", "1", "通过"]))
_VALUES = st.recursive(_SCALARS, lambda inner: st.lists(inner, max_size=3)
                       | st.dictionaries(st.one_of(st.text(max_size=3), st.integers(0, 3)), inner, max_size=4),
                       max_leaves=20)
_KEYS = st.sampled_from(["id", "name", "source", "parts", "grades", "verdicts", "items", "element", "title",
                         "min_total", "no_zero_item", "hint"])


@settings(max_examples=80, deadline=None)
@given(st.dictionaries(_KEYS, _VALUES, max_size=7), st.dictionaries(st.sampled_from(
    ["scheme", "date", "assessors", "items"]), _VALUES, max_size=4))
def test_any_scheme_or_self_assessment_gives_diagnostics_never_a_crash(scheme: dict, sa: dict) -> None:
    from safedossier.analyse.scoring.assess import parse_assessment
    from safedossier.analyse.scoring.scheme import parse_scheme
    from safedossier.format.load import YamlDoc

    report = Report()
    result = parse_scheme(YamlDoc("schemes/x.yml", scheme, {(): 1}), report)
    assert result is not None or any(d.severity == "error" for d in report.finish())
    sa = {k: v for k, v in sa.items() if k != "scheme"} | {"scheme": "aqt9001-self"}
    got, _ = parse_assessment(YamlDoc(SA, sa, {(): 1}), Path("/nonexistent"), report, {}, set())
    if got is not None:
        assert score(got).verdict in ("未完成", "通过", "限期整改", "不通过")
