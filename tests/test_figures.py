"""Issue 13 §1–2: the statistics, registers and readiness a reviewer reads, checked against an
independent pandas computation on hand-made dossiers (records repeated 5 times or more, so that no
cell is small and every figure is published; suppression itself: test_suppression.py)."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pandas as pd
import pytest
from conftest import edit, find, run_check

from safedossier.analyse.readiness import readiness
from safedossier.analyse.views import Views
from safedossier.format.validate import check
from safedossier.outputs.site.build import build

COLS = ["id", "date", "sex", "age", "occupation", "cause", "place", "activity", "intent", "nature", "body_part",
        "severity", "outcome"]
HEADER = "编号,发生日期,性别,年龄,职业,原因,地点,活动,意图,性质,部位,严重程度,结局\n"
# (times 5, year, sex, age, occupation, cause, place, activity, intent, nature, body part, severity, outcome)
BASE = [
    (4, 2024, "女", 81, "离退休人员", "跌倒/坠落", "家中", "家务", "非故意", "骨折", "下肢", "中度", "住院"),
    (1, 2024, "男", 34, "商业和服务业人员", "机动车车祸", "公路/街道", "驾乘交通工具", "非故意", "挫伤、擦伤", "头部", "轻度",
     "处理后离院"),
    (2, 2024, "男", 9, "在校学生", "跌倒/坠落", "学校和公共场所", "体育活动", "非故意", "扭伤/拉伤", "上肢", "轻度", "处理后离院"),
    (1, 2024, "女", 45, "生产运输设备操作人员及有关人员", "刀/锐器伤", "工业和建筑场所", "工作", "非故意",
     "锐器伤、咬伤、开放伤", "上肢", "轻度", "处理后离院"),
    (5, 2025, "女", 77, "离退休人员", "跌倒/坠落", "家中", "休闲活动", "非故意", "骨折", "下肢", "重度", "住院"),
    (3, 2025, "男", 28, "商业和服务业人员", "非机动车车祸", "公路/街道", "驾乘交通工具", "非故意", "挫伤、擦伤", "多部位", "中度",
     "处理后离院"),
    (1, 2025, "男", 40, "待业", "钝器伤", "公共居住场所", "其他", "故意(暴力、攻击)", "挫伤、擦伤", "头部", "轻度", "处理后离院"),
    (1, 2025, "女", 66, "离退休人员", "机动车车祸", "公路/街道", "步行", "非故意", "脑震荡、脑挫裂伤", "头部", "重度", "死亡"),
    (2, 2025, "女", 12, "在校学生", "烧烫伤", "家中", "生命活动", "非故意", "烧烫伤", "躯干", "中度", "转院"),
]
POP = {2024: dict(total=40000, male=19000, female=21000, age_0_14=5000, age_15_59=25000, age_60_plus=10000),
       2025: dict(total=41000, male=19500, female=21500, age_0_14=5200, age_15_59=25300, age_60_plus=10500)}
ALIAS = {"学校和公共场所": "学校与公共场所"}


def records() -> pd.DataFrame:
    rows = []
    for b, (k, year, *rest) in enumerate(BASE):
        for i in range(5 * k):
            rows.append([f"R{b}-{i}", f"{year}-0{1 + i % 9}-1{i % 9}", *rest])
    return pd.DataFrame(rows, columns=COLS)


def two_year_dossier(starter: Path) -> Path:
    edit(starter / "dossier/community.yml", "  start: 2025", "  start: 2024")
    (starter / "data/population.csv").write_text(
        "年份,总人口,男,女,0-14岁,15-59岁,60岁及以上\n" + "".join(
            f"{y},{p['total']},{p['male']},{p['female']},{p['age_0_14']},{p['age_15_59']},{p['age_60_plus']}\n"
            for y, p in POP.items()), encoding="utf-8")
    (starter / "data/injuries.csv").write_text(
        HEADER + "".join(",".join(map(str, r)) + "\n" for r in records().itertuples(index=False)), encoding="utf-8")
    return starter


def age_group(age: int) -> str:
    return "0-14岁" if age <= 14 else "15-59岁" if age <= 59 else "60岁及以上"


def tables_after(raw: str, anchor: str, count: int = 1) -> list[list[list[str]]]:
    """The next `count` tables after an anchor: rows of cell texts."""
    start, out = raw.index(anchor), []
    for _ in range(count):
        t0 = raw.index("<table>", start)
        t1 = raw.index("</table>", t0)
        rows = re.findall(r"<tr>(.*?)</tr>", raw[t0:t1], flags=re.S)
        out.append([[html.unescape(re.sub(r"<[^>]+>", "", c)).strip()
                     for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", r, re.S)] for r in rows])
        start = t1
    return out


def with_share(n: int, total: int) -> str:
    return f"{n}（{n / total * 100:.1f}%）" if n else "0"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, _starter_template: Path) -> tuple[str, pd.DataFrame]:
    import shutil

    d = tmp_path_factory.mktemp("fig") / "d"
    shutil.copytree(_starter_template, d)
    two_year_dossier(d)
    out = d.parent / "site"
    res = build(d, out)
    assert res.ok, res.messages
    df = records()
    df["year"] = df["date"].str[:4].astype(int)
    df["place"] = df["place"].replace(ALIAS)
    df["age_group"] = df["age"].map(age_group)
    return (out / "statistics/index.html").read_text(encoding="utf-8"), df


@pytest.mark.parametrize("dim", ["occupation", "nature", "body_part", "intent", "cause", "place", "activity", "sex",
                                 "age_group", "severity", "outcome"])
def test_every_dimension_has_counts_with_shares(built: tuple[str, pd.DataFrame], dim: str) -> None:
    """Every coded dimension: counts per year and pooled, each with its share of its column (构成比)."""
    page, df = built
    (table,) = tables_after(page, f'id="by-{dim.replace("_", "-")}"')
    assert table[0][1:] == ["2024", "2025", "合计"]
    want = pd.crosstab(df[dim], df["year"])
    years = df["year"].value_counts()
    got = {r[0]: r[1:] for r in table[1:]}
    assert set(got) == set(want.index)
    for cat, row in want.iterrows():
        assert got[cat] == [with_share(int(row[2024]), int(years[2024])), with_share(int(row[2025]), int(years[2025])),
                            with_share(int(row.sum()), len(df))], cat


def test_causes_are_ranked_by_frequency(built: tuple[str, pd.DataFrame]) -> None:
    page, df = built
    for dim in ("cause", "occupation", "place"):
        (table,) = tables_after(page, f'id="by-{dim.replace("_", "-")}"')
        shown = [r[0] for r in table[1:]]
        counts = df[dim].value_counts()
        assert [counts[c] for c in shown] == sorted(counts, reverse=True), (dim, shown)
    (cause,) = tables_after(page, 'id="by-cause"')
    assert cause[1][0] == "跌倒/坠落"  # 55 cases: first, though 机动车车祸 comes first in the code list


def test_rates_by_sex_and_age_show_their_denominators(built: tuple[str, pd.DataFrame]) -> None:
    page, df = built
    sex, age = tables_after(page, 'id="rates"', 2)
    assert sex[0] == ["组别", "年份", "病例数", "人口", "发生率（‰）"]
    cols = {"男": "male", "女": "female", "0-14岁": "age_0_14", "15-59岁": "age_15_59", "60岁及以上": "age_60_plus"}
    for table, dim in ((sex, "sex"), (age, "age_group")):
        counts = df.groupby([dim, "year"]).size()
        want = [[g, str(y), str(n), str(POP[y][cols[g]]), f"{n / POP[y][cols[g]] * 1000:.2f}"]
                for (g, y), n in counts.items()]
        assert sorted(table[1:]) == sorted(want), dim


def test_cause_by_age_is_shown_per_year(built: tuple[str, pd.DataFrame]) -> None:
    """One cause × age table per year, each cell with its share of the age group's cases that year."""
    page, df = built
    t2024, t2025 = tables_after(page, 'id="cause-by-age"', 2)
    assert 'id="cause-by-age-2024"' in page and 'id="cause-by-age-2025"' in page
    for table, year in ((t2024, 2024), (t2025, 2025)):
        sel = df[df["year"] == year]
        want = pd.crosstab(sel["cause"], sel["age_group"])
        ages = table[0][1:-1]
        assert sorted(ages) == sorted(want.columns)
        got = {r[0]: dict(zip(ages, r[1:-1], strict=True)) for r in table[1:]}
        for cause in want.index:
            for a in ages:
                assert got[cause][a] == with_share(int(want.at[cause, a]), int(want[a].sum())), (year, cause, a)
            assert table[[r[0] for r in table].index(cause)][-1] == with_share(int(want.loc[cause].sum()), len(sel))


def test_year_over_year_change_of_categories(built: tuple[str, pd.DataFrame]) -> None:
    page, df = built
    _, change = tables_after(page, 'id="by-cause"', 2)
    assert change[0][1:] == ["2025年较2024年"]
    counts = pd.crosstab(df["cause"], df["year"])
    for r in change[1:]:
        a, b = int(counts.at[r[0], 2024]), int(counts.at[r[0], 2025])
        assert r[1] == ("—" if a == 0 else f"{(b - a) / a * 100:+.1f}%"), r


def test_death_rate_and_hospital_share_per_year(built: tuple[str, pd.DataFrame]) -> None:
    page, df = built
    (overview,) = tables_after(page, 'id="overview"')
    for row in overview[1:]:
        y = int(row[0])
        sel = df[df["year"] == y]
        deaths, hosp = int((sel["outcome"] == "死亡").sum()), int((sel["outcome"] == "住院").sum())
        assert row[1] == str(len(sel)) and row[2] == str(POP[y]["total"])
        assert row[5:] == [str(deaths), f"{deaths / POP[y]['total'] * 100000:.2f}" if deaths else "0.00",
                           str(hosp), f"{hosp / len(sel) * 100:.1f}%"]


def test_every_dimension_has_a_readable_chart(built: tuple[str, pd.DataFrame]) -> None:
    """A chart per dimension, drawn at about phone width with text of 11 pt, adjacent years in
    different colours."""
    page, _ = built
    for dim in ("occupation", "nature", "body-part", "intent"):
        assert f"assets/charts/injuries-{dim}.svg" in page
    from safedossier.outputs import charts

    assert charts.WIDTH <= 5 and charts.FONT >= 11
    assert all(a != b for a, b in zip(charts.PALETTE, charts.PALETTE[1:], strict=False))


# --- registers ------------------------------------------------------------------------------

HAZARDS = ("编号,发现日期,地点,所属单元,类别,隐患描述,等级,挂牌督办,整改措施,责任单位,整改期限,销号日期\n"
           "H01,2025-04-10,东风社区3号楼,U01,消防安全,楼道堆放杂物,一般,否,清理杂物,东风社区,2025-04-30,2025-04-25\n"
           "H02,2025-05-10,菜市场,U01,消防安全,电线私拉乱接,重大,是,更换线路,市场管理处,2025-06-30,\n"
           "H03,2025-05-20,河堤,U01,涉水安全,护栏缺失,一般,否,加装护栏,水利站,2025-06-30,2025-08-15\n")


def registers_dossier(starter: Path) -> Path:
    (starter / "data/hazards.csv").write_text(HAZARDS, encoding="utf-8")
    edit(starter / "data/actions.csv", "2025-12-31,,,", "2025-11-30,,,")  # A01 overdue at the cycle's end
    return starter


def test_hazard_register_shows_measures_late_closures_and_on_time_rate(starter: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    assert build(registers_dossier(starter), out).ok
    raw = (out / "elements/03-risk/index.html").read_text(encoding="utf-8")
    summary, register = tables_after(raw, '">隐患整改情况<a class="headerlink"', 2)
    assert summary[0][-1] == "按期销号率" and summary[1][-1] == "33.3%（1/3）"  # H01 on time of H01–H03
    assert summary[1][3] == "1"  # H03 closed late
    head = register[0]
    assert "整改措施" in head and "责任单位" in head
    rows = {r[0]: dict(zip(head, r, strict=True)) for r in register[1:]}
    assert rows["H02"]["整改措施"] == "更换线路" and rows["H02"]["责任单位"] == "市场管理处"
    assert rows["H01"]["状态"] == "已销号" and rows["H03"]["状态"] == "已销号（逾期）"
    assert rows["H02"]["状态"] == "逾期未整改"
    assert "sd-hz-late" in raw
    home = html.unescape(re.sub(r"<[^>]+>", " ", (out / "index.html").read_text(encoding="utf-8")))
    home = " ".join(home.split())
    assert "1 未销号隐患" in home and "1 逾期未整改隐患" in home and "1 逾期未完成措施" in home
    actions = (out / "elements/11-corrective/index.html").read_text(encoding="utf-8")
    (table,) = tables_after(actions, '">预防与纠正措施<a class="headerlink"')
    a01 = dict(zip(table[0], next(r for r in table[1:] if r[0] == "A01"), strict=True))
    assert a01["完成日期"] == "逾期未完成"
    assert re.search(r'<span class="sd-hz sd-hz-overdue">逾期未完成</span>', actions)


# --- readiness --------------------------------------------------------------------------------

def reasons(root: Path, lang: str) -> dict[int, tuple[str, str]]:
    d = check(root).dossier
    assert d is not None
    v = Views(d, lang)
    return {r.number: (r.status, v.readiness_reasons(r)) for r in readiness(d)}


def test_readiness_effect_rules_say_the_truth_in_both_languages(starter: Path) -> None:
    registers_dossier(starter)
    zh, en = reasons(starter, "zh"), reasons(starter, "en")
    assert zh[3] == ("partial", "有 1 项隐患逾期未整改：H02；有 1 项隐患超过整改期限才销号：H03")
    assert en[3] == ("partial", "1 hazard(s) overdue and not closed: H02; 1 hazard(s) closed after their due date: H03")
    assert zh[8] == ("partial", "有 1 项重大或挂牌督办隐患逾期未整改：H02")
    assert en[8] == ("partial", "1 major or supervised hazard(s) overdue and not closed: H02")
    assert zh[11] == ("partial", "有 1 项逾期未完成的措施：A01")
    assert en[11] == ("partial", "1 overdue open action(s): A01")
    assert not any("没有逾期" in text for _, text in zh.values())


def test_readiness_existence_and_trace_rules_in_both_languages(starter: Path) -> None:
    (starter / "data/drills.csv").unlink()
    edit(starter / "dossier/07-emergency.yml", "  revised: '2025-02-01'\n", "")
    zh, en = reasons(starter, "zh"), reasons(starter, "en")
    assert zh[7] == ("missing", "1 个应急预案没有修订日期：YA01；没有列出：应急物资；2025 年没有应急演练；"
                                "2025 年的演练都没有佐证材料")
    assert en[7] == ("missing", "1 emergency plan(s) without a revision date: YA01; not listed: supplies; "
                                "no drills in 2025; no drill of 2025 links evidence")


def test_readiness_lists_at_most_five_items_then_an_ellipsis(starter: Path) -> None:
    rows = "".join(f"A{i:02d},2025-02-0{i},检查,问题{i},措施{i},纠正,办公室,2025-03-01,,,\n" for i in range(2, 9))
    with (starter / "data/actions.csv").open("a", encoding="utf-8") as fh:
        fh.write(rows)
    zh, en = reasons(starter, "zh"), reasons(starter, "en")
    assert zh[11][1] == "有 7 项逾期未完成的措施：A02、A03、A04、A05、A06…"
    assert en[11][1] == "7 overdue open action(s): A02, A03, A04, A05, A06…"


def test_element_page_lists_failed_rules_first_with_their_family(starter: Path, tmp_path: Path) -> None:
    registers_dossier(starter)
    out = tmp_path / "site"
    assert build(starter, out).ok
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", (out / "elements/11-corrective/index.html").read_text(
        encoding="utf-8"))).split())
    assert "要素完备情况：部分完备" in text
    assert "✗ 效果 · 有 1 项逾期未完成的措施：A01" in text and "✓ 有无 · 有预防与纠正措施记录" in text


# --- baselines ----------------------------------------------------------------------------------

def test_check_warns_when_a_baseline_disagrees_with_the_records(starter: Path, capsys: pytest.CaptureFixture[str]
                                                                ) -> None:
    two_year_dossier(starter)
    df = records()
    falls60 = int(((df["cause"] == "跌倒/坠落") & (df["age"] >= 60) & df["date"].str.startswith("2024")).sum())
    traffic = int((df["cause"].isin(["机动车车祸", "非机动车车祸"]) & df["date"].str.startswith("2024")).sum())
    rate = round(falls60 / POP[2024]["age_60_plus"] * 1000, 2)
    goals = starter / "dossier/04-goals.yml"
    edit(goals, "indicator: 老年人跌倒发生率", "indicator: 60岁及以上跌倒伤害发生率")
    edit(goals, "    year: 2025\n    value: 12.0", f"    year: 2024\n    value: {rate + 0.5}")
    rc, rep = run_check(starter, capsys)
    (w,) = find(rep, "baseline_disagrees")
    assert w["file"] == "dossier/04-goals.yml" and w["field"] == "goals.T01.baseline.value"
    assert f"{rate:g}" in w["expected"] and f"{rate + 0.5:g}" == w["found"]
    assert "60岁及以上跌倒伤害发生率" in w["message"]
    rc, rep = run_check(starter, capsys, lang="en")
    (w,) = find(rep, "baseline_disagrees")
    assert "disagrees with the injury records" in w["message"] and "aged 60+" in w["message"]
    edit(goals, f"value: {rate + 0.5}", f"value: {rate}")
    _, rep = run_check(starter, capsys)
    assert not find(rep, "baseline_disagrees")
    # a count, for a project indicator: traffic = motor and non-motor vehicle crashes of the year
    proj = starter / "dossier/05-projects.yml"
    edit(proj, "  - name: 老年人跌倒发生率\n    unit: ‰\n    baseline:\n      year: 2025\n      value: 12.0",
         f"  - name: 道路交通伤害报告人次\n    unit: 人次\n    baseline:\n      year: 2024\n      value: {traffic + 1}")
    _, rep = run_check(starter, capsys)
    (w,) = find(rep, "baseline_disagrees")
    assert w["field"] == "projects.P01.indicators.0.baseline.value" and w["found"] == str(traffic + 1)
    assert w["expected"].startswith(f"{traffic}（") and "机动车或非机动车车祸" in w["message"]


def test_the_example_has_no_baseline_warning(capsys: pytest.CaptureFixture[str]) -> None:
    """The example typed 266 where its records give 251: its baselines now come from its data."""
    from conftest import REPO

    rc, rep = run_check(REPO, capsys)
    assert rc == 0 and not find(rep, "baseline_disagrees")
    assert rep["counts"]["error"] == 0 and rep["counts"]["warning"] == 0
