"""`dossier init`: a small starter dossier that passes `dossier check`.

The starter's values are below; its shape comes from the schema: YAML keys are written in schema
order with their Chinese labels as comments, and table headers are the schema's Chinese labels, so
a new office sees the whole format in the files it edits.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
from pathlib import Path
from typing import Any

import yaml

from safedossier.format.schema import COMMUNITY, ELEMENTS, TABLE_BY_NAME, Field
from safedossier.trust.targets import OutputError, judge


def starter(year: int) -> tuple[dict[str, dict[str, Any]], dict[str, list[dict[str, Any]]]]:
    """(YAML documents by file name, table rows by table name) for a one-year cycle."""
    d = f"{year}-"
    docs: dict[str, dict[str, Any]] = {
        "community.yml": {
            "name": "示例街道", "name_en": "Example Subdistrict", "level": "街道",
            "region": ["某省", "某市", "某区"], "area_km2": 10.0, "target": "省级安全社区",
            "cycle": {"start": year, "end": year},
            "units": [{"id": "U01", "name": "东风社区", "kind": "社区"},
                      {"id": "U02", "name": "实验小学", "kind": "学校"}],
            "office": {"name": "示例街道安全社区促进委员会办公室", "address": "示例路 1 号",
                       "phone": "010-12345678"},
        },
        "01-organisation.yml": {
            "summary": "街道成立安全社区促进委员会，下设办公室和工作组。",
            "committee": {"name": "示例街道安全社区促进委员会", "established": f"{d}01-10",
                          "document": f"示街〔{year}〕1号", "chair": "M01"},
            "office": {"name": "促进委员会办公室", "director": "M02"},
            "groups": [
                {"id": "G01", "name": "老年人安全促进组", "kind": "专项", "area": "老年人安全",
                 "leader": "M03", "duties": "负责老年人防跌倒项目。"},
                {"id": "G02", "name": "伤害统计与监测组", "kind": "非专项", "leader": "M04",
                 "duties": "收集、统计和分析伤害数据。"},
            ],
            "evidence": ["E01"],
        },
        "02-participation.yml": {
            "channels": [{"name": "街道公众号", "kind": "公众号", "description": "每月发布安全提示。"}],
            "partners": [{"name": "社区卫生服务中心", "kind": "医院", "role": "伤害监测"}],
            "volunteers": {"teams": 1, "people": 20},
        },
        "03-risk.yml": {
            "diagnoses": [{"id": "D01", "year": year, "title": f"{year}年社区安全诊断",
                           "methods": ["问卷调查", "数据分析"], "sample_size": 300,
                           "findings": ["老年人跌倒是首要伤害原因。"], "evidence": ["E02"]}],
            "high_risk_groups": [{"name": "老年人", "risks": ["跌倒"], "projects": ["P01"]}],
            "high_risk_environments": [{"name": "老旧小区楼道", "risks": ["照明不足"], "projects": ["P01"]}],
            "vulnerable_groups": [{"name": "独居老人", "risks": ["跌倒后无人发现"], "projects": ["P01"]}],
        },
        "04-goals.yml": {
            "goals": [{"id": "T01", "title": "降低老年人跌倒发生率", "indicator": "老年人跌倒发生率",
                       "unit": "‰", "baseline": {"year": year, "value": 12.0},
                       "target": {"year": year, "value": 10.0}, "projects": ["P01"]}],
            "plans": [{"id": "JH01", "title": f"{year}年安全社区建设计划", "period": str(year)}],
        },
        "05-projects.yml": {
            "projects": [{
                "id": "P01", "name": "老年人防跌倒项目", "area": "老年人安全", "group": "G01",
                "start": f"{d}03-01", "end": f"{d}12-31", "targets": ["60岁及以上老年人"],
                "objectives": ["老年人跌倒发生率下降"], "interventions": ["居家适老化改造", "防跌倒讲座"],
                "indicators": [{"name": "老年人跌倒发生率", "unit": "‰",
                                "baseline": {"year": year, "value": 12.0},
                                "target": {"year": year, "value": 10.0}, "actual": {year: 11.0}}],
                "status": "进行中",
            }],
        },
        "06-training.yml": {"plans": [{"year": year, "title": f"{year}年宣传教育培训计划"}]},
        "07-emergency.yml": {
            "plans": [{"id": "YA01", "name": "街道突发事件总体应急预案", "kind": "总体预案",
                       "approved": f"{d}02-01", "revised": f"{d}02-01", "scope": "全街道"}],
            "teams": [{"name": "街道应急分队", "kind": "综合", "people": 30}],
        },
        "08-monitoring.yml": {
            "network": [{"id": "N01", "name": "社区卫生服务中心", "kind": "社区卫生服务中心",
                         "reports": ["伤害"]}],
            "indicators": ["伤害发生率"],
        },
        "09-records.yml": {"system": {"description": "社区卫生服务中心每月报送伤害监测报告卡。",
                                      "since": f"{d}01-01"}, "sources": ["N01"]},
        "10-archive.yml": {"keeper": "促进委员会办公室", "location": "街道办事处档案室",
                           "categories": ["文件", "照片"]},
        "11-corrective.yml": {"procedure": "检查和评审发现的问题登记后，明确责任单位和期限，完成后验证。"},
        "12-review.yml": {"reviews": [{"id": "R01", "date": f"{d}12-20", "kind": "自评",
                                       "reviewer": "促进委员会", "conclusion": "基本达到年度目标。",
                                       "score": 85, "findings": ["部分隐患整改滞后。"],
                                       "actions": ["A01"]}]},
    }
    tables: dict[str, list[dict[str, Any]]] = {
        "population": [{"year": year, "total": 50000, "male": 25000, "female": 25000,
                        "age_0_14": 6000, "age_15_59": 34000, "age_60_plus": 10000}],
        "members": [
            {"id": "M01", "name": "张主任", "organisation": "示例街道办事处", "title": "主任",
             "role": "主任", "group": "committee"},
            {"id": "M02", "name": "李明", "organisation": "示例街道办事处", "title": "副主任",
             "role": "办公室主任", "group": "office"},
            {"id": "M03", "name": "王芳", "organisation": "东风社区", "title": "书记", "role": "组长",
             "group": "G01"},
            {"id": "M04", "name": "赵强", "organisation": "社区卫生服务中心", "title": "主任",
             "role": "组长", "group": "G02"},
        ],
        "meetings": [{"id": "HY01", "date": f"{d}01-15", "kind": "委员会会议",
                      "title": "安全社区建设启动会", "attendees": 25, "evidence": "E01"}],
        "hazards": [{"id": "H01", "found": f"{d}04-10", "location": "东风社区3号楼", "unit": "U01",
                     "category": "消防安全", "description": "楼道堆放杂物", "level": "一般",
                     "supervised": "否", "measures": "清理杂物", "responsible": "东风社区",
                     "due": f"{d}04-30", "closed": f"{d}04-25"}],
        "trainings": [{"id": "PX01", "date": f"{d}05-12", "title": "老年人防跌倒讲座", "kind": "讲座",
                       "audience": "老年人", "participants": 60, "project": "P01"}],
        "drills": [{"id": "YL01", "date": f"{d}06-20", "plan": "YA01", "scenario": "居民楼火灾疏散",
                    "location": "东风社区", "participants": 80, "evaluation": "疏散有序"}],
        "inspections": [{"id": "JC01", "date": f"{d}04-10", "kind": "日常检查", "target": "东风社区",
                         "inspector": "街道安监办", "findings": 1, "hazards": "H01"}],
        "injuries": [
            {"id": f"SH{i:03d}", "date": f"{d}{m:02d}-15", "sex": sex, "age": age, "cause": cause,
             "place": place, "activity": "休闲活动", "intent": "非故意", "severity": "轻度",
             "outcome": "处理后离院", "unit": "U01", "source": "N01"}
            for i, (m, sex, age, cause, place) in enumerate([
                (2, "女", 72, "跌倒/坠落", "家中"), (3, "男", 35, "非机动车车祸", "公路/街道"),
                (5, "女", 8, "跌倒/坠落", "学校与公共场所"), (7, "男", 66, "跌倒/坠落", "公路/街道"),
                (9, "女", 45, "刀/锐器伤", "家中")], start=1)
        ],
        "accidents": [{"id": "SG01", "date": f"{d}08-03", "kind": "道路交通事故", "location": "示例路口",
                       "deaths": 0, "injured": 1, "loss": 0.5, "description": "电动自行车与行人碰撞"}],
        "actions": [{"id": "A01", "raised": f"{d}12-20", "source": "评审", "issue": "隐患整改滞后",
                     "action": "建立隐患整改周报制度", "kind": "纠正", "responsible": "促进委员会办公室",
                     "due": f"{d}12-31"}],
        "evidence": [
            {"id": "E01", "title": "成立促进委员会的通知", "element": 1, "date": f"{d}01-10",
             "file": "01-organisation/committee.txt", "kind": "文件"},
            {"id": "E02", "title": "社区安全诊断报告", "element": 3, "date": f"{d}03-01",
             "file": "03-risk/diagnosis.txt", "kind": "报告"},
        ],
    }
    return docs, tables


def _dump_yaml(data: dict[str, Any], fields: tuple[Field, ...], title: str) -> str:
    """YAML in schema order, each top-level key preceded by its Chinese label."""
    out = [f"# {title}"]
    for f in fields:
        if f.key not in data:
            continue
        mark = "（必填）" if f.required else ""
        out.append(f"# {f.label}{mark}")
        out.append(yaml.safe_dump({f.key: data[f.key]}, allow_unicode=True, sort_keys=False,
                                  width=100).rstrip())
    return "\n".join(out) + "\n"


def _dump_csv(name: str, rows: list[dict[str, Any]]) -> str:
    """CSV with the schema's Chinese labels as header (private columns left out)."""
    fields = [f for f in TABLE_BY_NAME[name].fields if not f.private]
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow([f.label for f in fields])
    for row in rows:
        w.writerow(["" if row.get(f.key) is None else row.get(f.key) for f in fields])
    return buf.getvalue()


# Only the tool's own outputs at their default places, anchored to the dossier's root: a scanned PDF
# or anything else under evidence/ must never be left out of git (an archive could not rebuild it).
GITIGNORE = ("# dossier build / dossier pdf 的默认输出，不入库 / default outputs of the tool, not part of the dossier\n"
             "/site/\n/dossier-*.pdf\n")


def write_starter(target: Path, force: bool = False, year: int | None = None) -> str | None:
    """Write the starter dossier; returns a message (and writes nothing) when it may not.

    Never overwrites a file: the folder must be new or empty, or with `force` hold no dossier (the
    starter's files are then added beside what is there; a file already present is kept as it is).
    """
    try:
        target = judge(target, "dossier", force=force).path
    except OutputError as exc:
        return str(exc)
    year = year or dt.date.today().year
    docs, tables = starter(year)
    files: dict[str, str] = {}
    files["dossier/community.yml"] = _dump_yaml(docs["community.yml"], COMMUNITY, "社区概况")
    for el in ELEMENTS:
        files[f"dossier/{el.filename}"] = _dump_yaml(docs[el.filename], el.fields,
                                                     f"要素 {el.number}：{el.label}")
    for name, rows in tables.items():
        files[f"data/{name}.csv"] = _dump_csv(name, rows)
    files["evidence/01-organisation/committee.txt"] = "关于成立安全社区促进委员会的通知（示例）\n"
    files["evidence/03-risk/diagnosis.txt"] = "社区安全诊断报告（示例）\n"
    files["dossier/pages/work-report.md"] = (
        "# 工作报告\n\n在此撰写安全社区建设工作报告。\n\n## 主要做法\n\n- 建立组织机构\n- 开展社区诊断\n")
    files["mkdocs.yml"] = "site_name: 示例街道安全社区建设档案\n"
    files[".gitignore"] = GITIGNORE
    for rel, text in files.items():
        path = target / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(FileExistsError), path.open("x", encoding="utf-8") as fh:
            fh.write(text)  # "x": a file that appeared meanwhile (or a repository's .gitignore) is kept
    return None
