"""Issue 13 §3: evidence a reviewer can audit (checklist, cited by, misplaced citations), the 建设历程
page with the plan's stages, the example's overrides/ branding, and the PDF link of `dossier build`."""

from __future__ import annotations

import html
import importlib.util
import re
import sys
from pathlib import Path

import pytest
from conftest import REPO, edit, find, run_check

from safedossier.cli import main
from safedossier.format.validate import check

STAGES = """stages:
  - {name: 前期启动, start: 2025-01-01, end: 2025-03-31, tasks: [成立促进委员会]}
  - {name: 宣传发动, start: 2025-04-01, end: 2025-06-30}
  - {name: 全面推进实施, start: 2025-07-01, end: 2025-12-31}
"""


def text_of(path: Path) -> str:
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", path.read_text(encoding="utf-8"))).split())
    return text.replace(" 、 ", "、").replace(" ¶", "")


# --- dossier check: evidence cited out of place ------------------------------------------------

def test_check_warns_when_a_record_cites_evidence_of_another_element(starter: Path,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    edit(starter / "data/evidence.csv", "E02,社区安全诊断报告,3,2025-03-01", "E02,社区安全诊断报告,3,2025-06-18")
    edit(starter / "data/drills.csv", "疏散有序,", "疏散有序,E02")
    rc, rep = run_check(starter, capsys)
    assert rc == 0 and rep["counts"]["error"] == 0
    (w,) = find(rep, "evidence_other_element")
    assert (w["file"], w["line"], w["field"], w["found"]) == ("data/drills.csv", 2, "evidence", "E02")
    assert w["message"] == "YL01 居民楼火灾疏散 引用的佐证材料登记在要素 3（“社区安全诊断报告”），而该记录属于要素 7"
    assert "要素 7 的佐证材料" in w["expected"]
    _, rep = run_check(starter, capsys, lang="en")
    (w,) = find(rep, "evidence_other_element")
    assert w["message"] == ('YL01 居民楼火灾疏散 cites evidence filed under element 3 ("社区安全诊断报告"), '
                            "but the record belongs to element 7")
    assert not find(rep, "evidence_far_date")  # two days apart


def test_check_warns_when_evidence_is_dated_far_from_the_record(starter: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    # the meeting of 2025-01-15 cites a notice of 2024-10-17: exactly 90 days, still close enough
    edit(starter / "data/evidence.csv", "E01,成立促进委员会的通知,1,2025-01-10", "E01,成立促进委员会的通知,1,2024-10-17")
    _, rep = run_check(starter, capsys)
    assert not find(rep, "evidence_far_date")
    edit(starter / "data/evidence.csv", "2024-10-17", "2024-10-16")  # 91 days
    edit(starter / "data/evidence.csv", "E02,社区安全诊断报告,3,2025-03-01", "E02,社区安全诊断报告,3,2024-06-01")
    rc, rep = run_check(starter, capsys)
    assert rc == 0
    meeting, diagnosis = find(rep, "evidence_far_date")
    assert (meeting["file"], meeting["line"], meeting["field"]) == ("data/meetings.csv", 2, "evidence")
    assert meeting["found"] == "E01（2024-10-16）"
    assert meeting["message"] == "HY01 安全社区建设启动会 引用的佐证材料“成立促进委员会的通知”与记录日期（2025-01-15）相差 91 天"
    assert meeting["expected"] == "与记录日期相差不超过 90 天的佐证材料（是否引用错了文件？）"
    # a YAML item: the diagnosis of 2025 spans the year; the line is the one of its `evidence:`
    lines = (starter / "dossier/03-risk.yml").read_text(encoding="utf-8").splitlines()
    assert diagnosis["file"] == "dossier/03-risk.yml" and lines[diagnosis["line"] - 1].strip().startswith("evidence")
    assert re.fullmatch(r"diagnoses\.[^.]+\.evidence", diagnosis["field"])
    assert "（2025-01-01—2025-12-31）相差 214 天" in diagnosis["message"]
    _, rep = run_check(starter, capsys, lang="en")
    meeting = find(rep, "evidence_far_date")[0]
    assert meeting["message"] == ('HY01 安全社区建设启动会 cites "成立促进委员会的通知", dated 91 days from the record '
                                  "(2025-01-15)")
    assert meeting["expected"] == "evidence dated within 90 days of the record (is it the wrong file?)"


def test_the_example_and_generated_dossiers_check_clean(tmp_path: Path) -> None:
    res = check(REPO)
    assert [d.render() for d in res.diagnostics if d.severity != "info"] == []
    spec = importlib.util.spec_from_file_location("make_dossier", REPO / "scripts/make_dossier.py")
    assert spec is not None and spec.loader is not None
    gen = importlib.util.module_from_spec(spec)
    sys.modules["make_dossier"] = gen  # dataclasses look their module up
    spec.loader.exec_module(gen)
    for years, evidence in ((1, 12), (4, 150)):
        out = tmp_path / f"g{years}"
        gen.generate(out, years=years, end_year=2025, injuries_per_year=30, evidence=evidence)
        res = check(out)
        assert [d.render() for d in res.diagnostics if d.severity != "info"] == [], (years, evidence)


# --- stages -----------------------------------------------------------------------------------

def test_stages_are_checked_names_dates_order(starter: Path, capsys: pytest.CaptureFixture[str]) -> None:
    community = starter / "dossier/community.yml"
    with community.open("a", encoding="utf-8") as fh:
        fh.write(STAGES)
    rc, rep = run_check(starter, capsys)
    assert rc == 0 and rep["counts"] == {"error": 0, "warning": 0, "info": 0}
    text = community.read_text(encoding="utf-8")
    text = text.replace("{name: 宣传发动, start: 2025-04-01, end: 2025-06-30}",
                        "{name: 宣传发动, start: 2025-04-01, end: 2025-03-15}")
    text = text.replace("{name: 全面推进实施, start: 2025-07-01", "{name: 前期启动, start: 2025-02-01")
    community.write_text(text, encoding="utf-8")
    lines = text.splitlines()
    first = next(i for i, ln in enumerate(lines, 1) if "前期启动" in ln)
    _, rep = run_check(starter, capsys)
    (end,) = find(rep, "stage_end_before_start")
    assert (end["file"], end["field"], end["found"]) == ("dossier/community.yml", "stages[1].end", "2025-03-15")
    assert "宣传发动" in lines[end["line"] - 1]
    assert end["message"] == "阶段“宣传发动”的结束日期早于开始日期（2025-04-01）"
    (dup,) = find(rep, "stage_duplicate")
    assert dup["field"] == "stages[2].name" and dup["message"] == f"建设阶段名称重复（首次在第 {first} 行）"
    (order,) = find(rep, "stage_order")
    assert order["field"] == "stages[2].start" and order["found"] == "2025-02-01"
    assert order["message"] == "阶段“前期启动”开始于上一阶段“宣传发动”（2025-04-01）之前"
    _, rep = run_check(starter, capsys, lang="en")
    assert find(rep, "stage_order")[0]["message"] == ('stage "前期启动" starts before the stage before it, '
                                                      '"宣传发动" (2025-04-01)')
    assert find(rep, "stage_end_before_start")[0]["message"] == 'stage "宣传发动" ends before it starts (2025-04-01)'
    edit(community, "start: 2025-04-01, end: 2025-03-15", "start: '2025-02-30', end: 2025-06-30")
    _, rep = run_check(starter, capsys)
    (bad,) = find(rep, "date_invalid")
    assert bad["severity"] == "warning" and bad["field"] == "stages[1].start"


# --- the built example ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def site_with_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("audit") / "site"
    assert main(["build", str(REPO), "-o", str(out), "--pdf"]) == 0
    return out


def test_element_pages_show_the_evidence_checklist(site_with_pdf: Path) -> None:
    goals = text_of(site_with_pdf / "elements/04-goals/index.html")
    assert "佐证材料核对 应有的佐证 已有 现有佐证 缺口" in goals
    assert ("✗ 每项规划或计划的文本 2/4 E010 事故与伤害预防目标分解表、E011 清溪街道安全社区建设规划（2023—2025年）、"
            "E012 2024年年度安全社区工作计划 JH2023、JH2025") in goals
    drills = text_of(site_with_pdf / "elements/07-emergency/index.html")
    assert "✓ 每年都有附佐证的应急演练 3/3" in drills and "✓ 应急预案文本 1/1 E019 清溪街道突发事件总体应急预案 无" in drills
    raw = (site_with_pdf / "elements/07-emergency/index.html").read_text(encoding="utf-8")
    assert '<a href="../../evidence/#ev-e020">E020 防汛防台应急演练</a>' in raw


def test_evidence_shows_where_it_is_cited_with_titles(site_with_pdf: Path) -> None:
    raw = (site_with_pdf / "evidence/index.html").read_text(encoding="utf-8")
    # the flood-drill photo is cited by the flood drill (its register row) and by element 7's page
    fig = raw[raw.index('<figure id="ev-e020">'):]
    fig = fig[:fig.index("</figure>")]
    assert ('被引用：<a href="../elements/07-emergency/#rec-yl-2023-03">YL-2023-03 防汛防台人员转移演练</a>、'
            '<a href="../elements/07-emergency/">要素 7：应急预案和响应</a>') in fig
    assert "高层住宅火灾" not in fig  # no fire drill cites it any more
    # documents: the title links to the file; the column beside it says who cites it, not a file name
    row = raw[raw.index('<span id="ev-e015"></span>'):]
    row = row[:row.index("</tr>")]
    assert '<a href="05-projects/project-evaluation.pdf">安全促进项目效果评估报告</a>' in row
    assert '<a href="../elements/05-projects/#p05">P05 老年人防跌倒促进项目</a>' in row
    assert "project-evaluation.pdf</a>" not in row
    assert (site_with_pdf / "elements/07-emergency/index.html").read_text(encoding="utf-8").count(
        'id="rec-yl-2023-03"') == 1  # the link target exists


def test_timeline_page_has_stages_and_dated_events_per_year(site_with_pdf: Path) -> None:
    page = site_with_pdf / "timeline/index.html"
    text = text_of(page)
    assert text.index("前期启动 2023-01-01 2023-04-15 成立安全社区促进委员会和办公室、召开建设动员大会") < text.index(
        "宣传发动 2023-04-16") < text.index("全面推进实施 2023-07-01 2025-06-30") < text.index("持续改进 2025-11-01")
    for year in ("2023 前期启动（", "2024 全面推进实施（", "2025 全面推进实施（"):
        assert year in text
    assert "前期启动（2023-01-01 — 2023-04-15） 日期 类别 事项" in text
    assert "2023-03-10 会议 HY-2023-02 安全社区促进委员会成立暨第一次全体会议" in text
    assert "2023-03-10 成立促进委员会 清溪街道安全社区促进委员会" in text
    assert "2024-11-08 应急演练 YL-2024-05 高层住宅火灾疏散演练" in text
    assert "发现隐患 H-2025-007" in text and "隐患销号 H-2023-001" in text
    assert "措施完成 A-2023-01" in text and "评审" in text
    raw = page.read_text(encoding="utf-8")
    assert '<a href="../elements/07-emergency/#rec-yl-2024-05">YL-2024-05</a>' in raw
    nav = (site_with_pdf / "index.html").read_text(encoding="utf-8")
    assert 'href="timeline/"' in nav and "建设历程" in nav


def test_overrides_logo_and_css_reach_the_site(site_with_pdf: Path) -> None:
    home = (site_with_pdf / "index.html").read_text(encoding="utf-8")
    m = re.search(r'<img src="(assets/custom/theme-logo\.png)" alt="logo">', home)
    assert m is not None
    assert (site_with_pdf / m.group(1)).read_bytes() == (REPO / "overrides/logo.png").read_bytes()
    assert (site_with_pdf / m.group(1)).read_bytes().startswith(b"\x89PNG")
    css = re.search(r'<link rel="stylesheet" href="(assets/custom/\d+-extra\.css)">', home)
    assert css is not None and "--qx-brand" in (site_with_pdf / css.group(1)).read_text(encoding="utf-8")


def test_build_pdf_is_linked_and_called_a_draft(site_with_pdf: Path, tmp_path: Path) -> None:
    home = (site_with_pdf / "index.html").read_text(encoding="utf-8")
    assert '<a href="dossier-draft.pdf" download>下载 PDF 版（草稿）</a>' in home and "提交稿" not in home
    assert (site_with_pdf / "dossier-draft.pdf").read_bytes().startswith(b"%PDF")
    # an archive's tagged version links its PDF as the submission, its draft as a draft
    from safedossier.archive.changes_render import render_markdown
    from safedossier.archive.changes_summary import summary_paragraph
    from safedossier.archive.diff import diff_dossiers
    from safedossier.archive.version_parts import version_options
    from safedossier.archive.versions import Version
    from safedossier.outputs.site.render import render_project

    d = check(REPO).dossier
    assert d is not None
    for ref, word, other in (("v2025", "下载 PDF 版（提交稿）", "草稿"), (None, "下载 PDF 版（草稿）", "提交稿")):
        v = Version("2025" if ref else "draft", "2025", ref, "")
        opts = version_options(v, d, None, None, True, "zh", diff_dossiers, render_markdown, summary_paragraph)
        render_project(d, tmp_path / str(ref), opts)
        md = (tmp_path / str(ref) / "docs/index.md").read_text(encoding="utf-8")
        line = next(ln for ln in md.splitlines() if "dossier-" in ln and ".pdf" in ln)
        assert word in line and other not in line, line
