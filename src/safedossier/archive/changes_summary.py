"""The change report's wording: labels in both languages and the home page's one paragraph."""

from __future__ import annotations

from typing import Any

from safedossier.analyse.suppress import MARK
from safedossier.archive.changes import (
    DiffReport,
    deltas_zero,
)

# --- wording ---------------------------------------------------------------------------------

WORDS: dict[str, dict[str, str]] = {
    "zh": {
        "title": "本版变更", "report": "档案变更报告", "no_changes": "没有变化。", "empty": "（空）",
        "more_items": "……另有 {n} 项未列出，完整列表见站点的“本版变更”页",
        "yes": "是", "no": "否", "added": "新增", "removed": "删除", "changed": "修改",
        "summary_changed": "概述已修改", "list_added": "新增", "list_removed": "删除",
        "community": "社区概况", "element": "要素 {n}：{label}", "fields": "要素内容",
        "members": "成员", "joined": "新增成员", "left": "离任成员", "member_changed": "成员信息变更",
        "hazards": "隐患", "found": "新发现隐患", "closed": "销号", "still_open": "仍未销号",
        "closed_on": "销号日期", "completed": "新完成", "indicators": "评价指标数值",
        "year": "年份", "old": "上一版", "new": "本版", "delta": "变化", "count_by_year": "按年度统计",
        "injuries": "伤害记录（汇总）", "cases": "例数", "deaths": "死亡", "cause": "原因",
        "by_cause": "按原因", "accidents": "事故统计（汇总）", "accident_count": "起数",
        "injured": "受伤", "kind": "类型", "by_kind": "按类型",
        "evidence": "佐证材料", "content_changed": "文件内容更新", "pages": "叙述页面",
        "population": "人口", "year_suffix": "年", "ids": "{n} 项",
        "baseline": "基线", "target": "目标值", "actual": "实际值",
        "indicator_line": "项目 {project}「{project_name}」指标「{indicator}」：{what}",
        "prefix": "与上一版相比：", "nothing": "与上一版相比没有变化。", "sep": "、", "group_sep": "；",
        "end": "。", "colon": "：", "list_sep": "、",
    },
    "en": {
        "title": "Changes in this version", "report": "dossier change report", "no_changes": "No changes.",
        "more_items": "… and {n} more, listed in full on the site's page “Changes in this version”",
        "empty": "(empty)", "yes": "yes", "no": "no", "added": "Added", "removed": "Removed",
        "changed": "Changed", "summary_changed": "summary changed", "list_added": "added",
        "list_removed": "removed", "community": "Community profile", "element": "Element {n}: {label}",
        "fields": "Element content", "members": "Members", "joined": "Joined", "left": "Left",
        "member_changed": "Member details changed", "hazards": "Hazards", "found": "Newly found",
        "closed": "Closed", "still_open": "Still open", "closed_on": "closed", "completed": "Newly completed",
        "indicators": "Indicator values", "year": "Year", "old": "Previous", "new": "This version",
        "delta": "Change", "count_by_year": "By year", "injuries": "Injury records (aggregates)",
        "cases": "cases", "deaths": "deaths", "cause": "Cause", "by_cause": "By cause",
        "accidents": "Accident statistics (aggregates)", "accident_count": "accidents", "injured": "injured",
        "kind": "Kind", "by_kind": "By kind", "evidence": "Evidence", "content_changed": "File content changed",
        "pages": "Narrative pages", "population": "Population", "year_suffix": "", "ids": "{n} items",
        "baseline": "baseline", "target": "target", "actual": "actual",
        "indicator_line": "indicator {indicator} of project {project} ({project_name}): {what}",
        "prefix": "Compared with the previous version: ", "nothing": "No changes since the previous version.",
        "sep": ", ", "group_sep": "; ", "end": ".", "colon": ": ", "list_sep": ", ",
    },
}

SUMMARY_WORDS: dict[str, dict[str, str]] = {
    "zh": {
        "joined": "新增成员 {n} 人", "left": "离任 {n} 人", "member_changed": "成员信息变更 {n} 人",
        "found": "新发现隐患 {n} 项", "closed": "销号 {n} 项", "hazard_removed": "删除隐患 {n} 项",
        "hazard_changed": "隐患信息修改 {n} 项", "c_added": "{label}新增 {n} 项", "c_removed": "{label}删除 {n} 项",
        "c_changed": "{label}修改 {n} 项", "fields": "要素内容修改 {n} 处",
        "indicators": "评价指标数值变化 {n} 项", "r_added": "{label}新增 {n} 条", "r_removed": "{label}删除 {n} 条",
        "r_changed": "{label}修改 {n} 条", "completed": "完成措施 {n} 项",
        "population": "人口数据变化 {n} 个年度", "e_added": "佐证材料新增 {n} 份", "e_removed": "佐证材料删除 {n} 份",
        "e_content": "佐证材料内容更新 {n} 份", "e_changed": "佐证材料信息修改 {n} 份",
        "injuries": "伤害记录合计 {old} → {new} 例", "injury_mix": "伤害记录分布有变化",
        "p_added": "叙述页面新增 {n} 篇", "p_removed": "叙述页面删除 {n} 篇", "p_changed": "叙述页面修改 {n} 篇",
    },
    "en": {
        "joined": "{n} member{s} joined", "left": "{n} left", "member_changed": "{n} member{s} edited",
        "found": "{n} hazard{s} found", "closed": "{n} closed", "hazard_removed": "{n} hazard{s} removed",
        "hazard_changed": "{n} hazard{s} edited", "c_added": "{label}: {n} added", "c_removed": "{label}: {n} removed",
        "c_changed": "{label}: {n} changed", "fields": "{n} change{s} to element content",
        "indicators": "{n} indicator value{s} changed", "r_added": "{label}: {n} added",
        "r_removed": "{label}: {n} removed", "r_changed": "{label}: {n} changed",
        "completed": "{n} action{s} completed", "population": "population data changed for {n} year{s}",
        "e_added": "{n} evidence item{s} added", "e_removed": "{n} evidence item{s} removed",
        "e_content": "{n} evidence file{s} replaced", "e_changed": "{n} evidence record{s} edited",
        "injuries": "injury records {old} → {new} in total", "injury_mix": "injury distribution changed",
        "p_added": "{n} page{s} added", "p_removed": "{n} page{s} removed", "p_changed": "{n} page{s} changed",
    },
}


def words(lang: str) -> dict[str, str]:
    return WORDS["en" if lang == "en" else "zh"]


def summary_paragraph(report: DiffReport, lang: str = "zh") -> str:
    """One paragraph of counts for the home page; it names no record, so it is safe anywhere."""
    w, s = words(lang), SUMMARY_WORDS["en" if lang == "en" else "zh"]
    en = lang == "en"
    groups: list[list[str]] = []

    def add(*parts: tuple[str, int, dict[str, Any]]) -> None:
        got = [s[k].format(n=n, s="" if n == 1 else "s", **kw) for k, n, kw in parts if n]
        if got:
            groups.append(got)

    m, h = report.members, report.hazards
    add(("joined", len(m.joined), {}), ("left", len(m.left), {}), ("member_changed", len(m.changed), {}))
    add(("found", len(h.found), {}), ("closed", len(h.closed), {}), ("hazard_removed", len(h.removed), {}),
        ("hazard_changed", len(h.changed), {}))
    nfields = sum(len(d.fields) for d in report.documents)
    for d in report.documents:
        for c in d.collections:
            lab = {"label": c.label_en if en else c.label}
            add(("c_added", len(c.added), lab), ("c_removed", len(c.removed), lab),
                ("c_changed", len(c.changed), lab))
    add(("fields", nfields, {}), ("indicators", len(report.indicators), {}))
    for r in report.records:
        lab = {"label": r.label_en if en else r.label}
        add(("r_added", len(r.added), lab), ("r_removed", len(r.removed), lab), ("r_changed", len(r.changed), lab),
            ("completed", len(r.completed), {}))
    p = report.population
    add(("population", len({i.id for i in p.added + p.removed} | {c.id for c in p.changed}), {}))
    e = report.evidence
    add(("e_added", len(e.added), {}), ("e_removed", len(e.removed), {}),
        ("e_content", len(e.content_changed), {}), ("e_changed", len(e.changed), {}))
    inj = report.injuries
    if inj.total_old != inj.total_new:
        groups.append([s["injuries"].format(old=count_text(inj.total_old), new=count_text(inj.total_new))])
    elif inj.by_cause or not deltas_zero(inj.cases) or not deltas_zero(inj.deaths):
        groups.append([s["injury_mix"]])
    pg = report.pages
    add(("p_added", len(pg.added), {}), ("p_removed", len(pg.removed), {}), ("p_changed", len(pg.changed), {}))
    if not groups:
        return w["nothing"]
    return w["prefix"] + w["group_sep"].join(w["sep"].join(g) for g in groups) + w["end"]


def count_text(n: int | None) -> str:
    """A count as published: hidden ones keep their mark."""
    return MARK if n is None else str(n)
