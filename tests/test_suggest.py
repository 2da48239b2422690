"""Issue 14 §3–5: grades the records suggest (one test per rule family), the 自评 page and PDF section,
the example's self-assessment agreeing with its data, and the ISCCC view in English."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
import yaml
from conftest import REPO, edit, find, run_check
from pypdf import PdfReader

from safedossier.analyse.readiness import RULE_BY_KEY, readiness
from safedossier.analyse.scoring.scheme import resolve_scheme
from safedossier.analyse.suggest import ITEM_RULES
from safedossier.cli import main
from safedossier.format.diagnostics import Report
from safedossier.format.validate import check
from safedossier.outputs.pdf.document import build_pdf
from safedossier.outputs.site.build import build

SA = "dossier/self-assessment.yml"
HAZARDS = ("编号,发现日期,地点,所属单元,类别,隐患描述,等级,挂牌督办,整改措施,责任单位,整改期限,销号日期\n"
           "H01,2025-04-10,东风社区3号楼,U01,消防安全,楼道堆放杂物,一般,否,清理杂物,东风社区,2025-04-30,2025-04-25\n"
           "H02,2025-05-10,菜市场,U01,消防安全,电线私拉乱接,重大,是,更换线路,市场管理处,2025-06-30,{closed}\n")


def all_a(root: Path, scheme: str = "aqt9001-self") -> None:
    """A self-assessment that grades every part of every item `a` (the best grade)."""
    sch, _ = resolve_scheme(root, scheme, Report(), SA, None)
    assert sch is not None
    best = max(sch.grades, key=lambda g: sch.grades[g])
    lines = "".join(f'  "{it.id}": {{{", ".join(f"{p}: {best}" for p in it.parts)}}}\n' for it in sch.items)
    (root / SA).write_text(f"scheme: {scheme}\ndate: 2025-11-20\nitems:\n{lines}", encoding="utf-8")


def scored(root: Path, capsys: pytest.CaptureFixture[str]) -> dict:
    capsys.readouterr()
    assert main(["score", str(root), "--format", "json"]) == 0
    r = json.loads(capsys.readouterr().out)
    return {**r, "by_id": {i["id"]: i for i in r["items"]}}


def text_of(page: Path) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page.read_text(encoding="utf-8"))).split())


def test_every_part_of_the_shipped_scheme_is_measured_by_readiness_rules() -> None:
    sch, _ = resolve_scheme(REPO, "aqt9001-self", Report(), SA, None)
    assert sch is not None and set(ITEM_RULES) == {it.id for it in sch.items}
    for it in sch.items:
        assert set(ITEM_RULES[it.id]) == set(it.parts), it.id
        assert all(ITEM_RULES[it.id].values()), it.id
    assert all(RULE_BY_KEY[r.key] is r for rules in ITEM_RULES.values() for rs in rules.values() for r in rs)


# --- one test per rule family ------------------------------------------------------------------

def test_effect_an_overdue_major_hazard_lowers_the_grade_with_its_reason(starter: Path, capsys) -> None:
    (starter / "data/hazards.csv").write_text(HAZARDS.format(closed="2025-06-20"), encoding="utf-8")
    all_a(starter)
    before = scored(starter, capsys)["by_id"]
    assert before["33"]["suggested"]["效果"] == "a" and "效果" not in before["33"]["reasons"]
    (starter / "data/hazards.csv").write_text(HAZARDS.format(closed=""), encoding="utf-8")
    r = scored(starter, capsys)
    item = r["by_id"]["33"]
    assert item["suggested"] == {"有无": "a", "痕迹": "a", "效果": "d"}  # 1 of 1 serious hazards overdue
    assert item["reasons"]["效果"] == {
        "zh": "自评 a，档案显示：有 1 项重大或挂牌督办隐患逾期未整改：H02",
        "en": "self-assessed a; the dossier shows: 1 major or supervised hazard(s) overdue and not closed: H02"}
    assert r["by_id"]["13"]["suggested"]["效果"] == "c"  # 1 of 2 hazards overdue: half met → c (ties go lower)
    assert "33" in r["above_suggestion"] and r["suggested_total"] < r["total"]
    capsys.readouterr()
    assert main(["score", str(starter), "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "效果: self-assessed a; the dossier shows: 1 major or supervised hazard(s) overdue and not closed: H02" in out


def test_existence_no_actions_register_suggests_the_worst_grade(starter: Path, capsys) -> None:
    (starter / "data/actions.csv").unlink()
    edit(starter / "dossier/12-review.yml", "  actions:\n  - A01\n", "")
    all_a(starter)
    item = scored(starter, capsys)["by_id"]["44"]
    assert item["suggested"]["有无"] == "d"
    assert item["reasons"]["有无"] == {"zh": "自评 a，档案显示：没有预防与纠正措施记录",
                                     "en": "self-assessed a; the dossier shows: no actions recorded"}


def test_traces_a_drill_without_evidence_lowers_traces_only(starter: Path, capsys) -> None:
    all_a(starter)  # the starter's one drill links no evidence
    item = scored(starter, capsys)["by_id"]["31"]
    assert item["suggested"] == {"有无": "a", "痕迹": "d", "效果": "a"}
    assert item["reasons"]["痕迹"]["zh"] == "自评 a，档案显示：2025 年的演练都没有佐证材料"
    assert item["reasons"]["痕迹"]["en"] == "self-assessed a; the dossier shows: no drill of 2025 links evidence"
    edit(starter / "data/drills.csv", "疏散有序,", "疏散有序,E01")
    item = scored(starter, capsys)["by_id"]["31"]
    assert item["suggested"] == {"有无": "a", "痕迹": "a", "效果": "a"} and item["reasons"] == {}
    edit(starter / "data/drills.csv", "疏散有序,E01", ",E01")  # no evaluation: effect drops instead
    item = scored(starter, capsys)["by_id"]["31"]
    assert item["suggested"] == {"有无": "a", "痕迹": "a", "效果": "d"}
    assert item["reasons"]["效果"]["en"] == "self-assessed a; the dossier shows: 1 drill(s) not evaluated: YL01"


def test_readiness_and_suggestions_never_disagree_on_the_example() -> None:
    d = check(REPO).dossier
    assert d is not None
    failed = {f.rule.key for r in readiness(d) for f in r.failed}
    from safedossier.analyse.views import Views

    res = Views(d).score
    assert res is not None
    for it in res.items:
        for part, rules in ITEM_RULES[it.id].items():
            assert (it.suggested[part] == "a") == (not {r.key for r in rules} & failed), (it.id, part)


# --- the example ---------------------------------------------------------------------------------

def test_the_example_self_assessment_agrees_with_its_records(capsys) -> None:
    rc, report = run_check(REPO, capsys)
    assert rc == 0 and report["counts"] == {"error": 0, "warning": 0, "info": 0}, report
    assert not (REPO / "dossier/pages/self-assessment.md").exists()  # the hand-typed 131.6 page is gone
    r = scored(REPO, capsys)
    assert r["complete"] and r["verdict"] == "通过" and r["above_suggestion"] == []
    assert all(i["grades"] == i["suggested"] for i in r["items"])
    assert r["total"] == pytest.approx(r["suggested_total"])
    review = yaml.safe_load((REPO / "dossier/12-review.yml").read_text(encoding="utf-8"))
    own = next(x for x in review["reviews"] if x["kind"] == "自评")
    assert own["score"] == pytest.approx(r["total"] * 100 / r["max"], abs=0.5)


def test_generated_dossiers_carry_a_self_assessment_that_agrees_with_their_records(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """scripts/make_dossier.py (tests, bench, portal) writes the form as data, never a typed page: for a
    1-year cycle and every tagged version of a history, grades = suggestions and 自评 score = total × 100 / max."""
    import importlib.util
    import subprocess
    import sys

    spec = importlib.util.spec_from_file_location("make_dossier", REPO / "scripts/make_dossier.py")
    assert spec is not None and spec.loader is not None
    gen = importlib.util.module_from_spec(spec)
    sys.modules["make_dossier"] = gen  # dataclasses look their module up
    spec.loader.exec_module(gen)
    one, hist = tmp_path / "one", tmp_path / "hist"
    gen.generate(one, years=1, end_year=2025, injuries_per_year=40, evidence=5)
    tags = gen.generate_history(hist, years=2, end_year=2025, injuries_per_year=40, evidence=14)
    roots = [one]
    for tag in tags:
        roots.append(tmp_path / tag)
        subprocess.run(["git", "-C", str(hist), "worktree", "add", "-q", "--detach", str(roots[-1]), tag], check=True)
    for root in roots:
        rc, report = run_check(root, capsys)
        assert rc == 0 and report["counts"] == {"error": 0, "warning": 0, "info": 0}, (root.name, report)
        assert not (root / "dossier/pages/self-assessment.md").exists()
        r = scored(root, capsys)
        assert r["scheme"] == "aqt9001-self" and r["complete"] and r["above_suggestion"] == [], root.name
        assert all(i["grades"] == i["suggested"] for i in r["items"]), root.name
        review = yaml.safe_load((root / "dossier/12-review.yml").read_text(encoding="utf-8"))
        own = next(x for x in review["reviews"] if x["kind"] == "自评")
        assert own["score"] == round(r["total"] * 100 / r["max"], 1), root.name
        assert f"总分 {r['total']:.2f}/150" in own["conclusion"], root.name


def test_a_recorded_self_assessment_score_that_disagrees_is_warned(starter: Path, capsys) -> None:
    all_a(starter)  # dated 2025-11-20, total 150/150: 100 out of 100
    rc, report = run_check(starter, capsys)
    assert not find(report, "score_review_disagrees")  # R01 (自评 of 2025-12-20, 85) reports another one
    edit(starter / "dossier/12-review.yml", "date: '2025-12-20'", "date: '2025-11-20'")
    rc, report = run_check(starter, capsys)
    (w,) = find(report, "score_review_disagrees", "dossier/12-review.yml")
    assert w["severity"] == "warning" and w["field"] == "reviews[0].score" and w["line"]
    total = scored(starter, capsys)["total"]
    assert f"{total:.2f}/150.00" in w["message"]
    assert "R01" in w["message"] and w["found"] == "85"
    edit(starter / "dossier/12-review.yml", "score: 85", "score: 100")
    rc, report = run_check(starter, capsys)
    assert not find(report, "score_review_disagrees")


# --- outputs ---------------------------------------------------------------------------------------

def test_site_page_and_pdf_section_show_grades_suggestions_total_and_verdict(starter: Path, tmp_path: Path,
                                                                              capsys) -> None:
    (starter / "data/hazards.csv").write_text(HAZARDS.format(closed=""), encoding="utf-8")
    all_a(starter)
    r = scored(starter, capsys)
    total = f"{r['total']:.2f} / 150.00"
    out = tmp_path / "site"
    assert build(starter, out).ok
    page = text_of(out / "assessment/index.html")
    assert f"自评总分 {total}" in page and f"结论 {r['verdict']}" in page
    assert f"按档案建议的得分 {r['suggested_total']:.2f} / 150.00" in page
    assert "自评 a，档案显示：有 1 项重大或挂牌督办隐患逾期未整改：H02" in page
    assert re.search(r"自评高于档案建议的项目：[^ ]*33", page)
    assert 'href="assessment/"' in (out / "index.html").read_text(encoding="utf-8")  # in the nav
    pdf = tmp_path / "d.pdf"
    d = check(starter).dossier
    assert d is not None
    build_pdf(d, pdf)
    text = "\n".join(p.extract_text() for p in PdfReader(pdf).pages)
    assert f"自评总分 {total}" in text and f"结论 {r['verdict']}" in text
    assert "有 1 项重大或挂牌督办隐患逾期未整改：H02" in text.replace("\n", "")


def test_isccc_view_in_english(starter: Path, tmp_path: Path) -> None:
    (starter / "mkdocs.yml").write_text("site_name: Example\nextra:\n  dossier:\n    lang: en\n", encoding="utf-8")
    out = tmp_path / "site"
    assert build(starter, out).ok
    page = text_of(out / "isccc/index.html")
    for name in ("Governance", "Surveillance", "Comprehensive", "Vulnerable groups", "Evaluation", "Networking"):
        assert f"{name} ¶" in page, name
    assert "1. Organisation and duties" in page and "要素" not in page and "治理" not in page
    gov = page[page.index("Governance ¶"):page.index("Surveillance ¶")]
    assert "2. Information exchange and participation" in gov and "3. " not in gov


def test_a_scheme_of_another_shape_gets_suggestions_in_its_own_grades(starter: Path, capsys) -> None:
    scheme = ("id: other\nname: 另一方案\nsource: 测试\nparts: {有无: 1, 效果: 3}\n"
              "grades: {优: 1.0, 良: 0.8, 中: 0.5, 差: 0}\nverdicts:\n  - {name: 合格, min_total: 7}\n  - {name: 不合格}\n"
              "items:\n  - {id: X1, element: 8, title: 监督}\n  - {id: X2, element: [3, 8], title: 隐患, parts: {效果: 4}}\n"
              "  - {id: X3, element: 9, title: 记录, parts: {资料: 2}}\n")
    (starter / "schemes").mkdir()
    (starter / "schemes/other.yml").write_text(scheme, encoding="utf-8")
    (starter / "data/hazards.csv").write_text(HAZARDS.format(closed=""), encoding="utf-8")
    all_a(starter, "schemes/other.yml")
    r = scored(starter, capsys)
    assert (r["max"], r["total"], r["verdict"]) == (10, 10, "合格")
    by = r["by_id"]
    assert by["X1"]["suggested"] == {"有无": "优", "效果": "差"}  # element 8's effect rule: H02 overdue
    assert by["X2"]["suggested"] == {"效果": "差"}
    assert by["X3"]["suggested"] == {} and r["suggested_total"] is None  # 资料: no family, no suggestion
    assert by["X1"]["reasons"]["效果"]["zh"].startswith("自评 优，档案显示：有 1 项重大或挂牌督办隐患逾期未整改：H02")
