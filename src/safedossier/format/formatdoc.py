"""The format documentation, generated from the schema (`dossier schema`)."""

from __future__ import annotations

from safedossier.format.schema import ALIASES, COMMUNITY, ELEMENTS, PROJECT_AREAS, TABLES, Field

KIND_ZH = {
    "text": "文本", "int": "整数", "number": "数字", "date": "日期", "year": "年份", "code": "代码",
    "bool": "是/否", "ref": "编号引用", "map": "映射", "list": "列表", "yearmap": "年份→数值",
}
NS_ZH = {"member": "成员", "group": "工作组", "project": "项目", "plan": "应急预案", "hazard": "隐患",
         "action": "措施", "network": "监测点", "unit": "单元", "evidence": "佐证材料"}


def _type(f: Field) -> str:
    text = KIND_ZH.get(f.kind, f.kind)
    if f.kind == "ref" and f.soft:
        text = f"文字（与{NS_ZH.get(f.ref, f.ref)}编号或名称一致时链接）"
    elif f.kind == "ref":
        text = f"{NS_ZH.get(f.ref, f.ref)}编号"
        if f.ref_extra:
            text += "，或 " + " / ".join(f"`{x}`" for x in f.ref_extra)
    if f.many and f.kind != "list":
        text += "（多个，用 ; 分隔或 YAML 列表）"
    if f.min is not None or f.max is not None:
        text += f"，{'' if f.min is None else f.min:g}–{'' if f.max is None else f.max:g}" if (
            f.min is not None and f.max is not None) else ("，≥ 0" if f.min == 0 else "")
    if f.in_cycle:
        text += "，应在建设周期内（否则警告）"
    if f.loose:
        text += "（格式约定未规定，不符时仅警告）"
    return text


def _note(f: Field) -> str:
    parts = []
    if f.codes and f.codes != PROJECT_AREAS:
        parts.append("、".join(f.codes))
    elif f.codes:
        parts.append("12 个促进领域之一" + ("或“其他”" if "其他" in f.codes else ""))
    if f.private:
        parts.append("**个人信息，绝不公开**")
    if f.help:
        parts.append(f.help)
    return "；".join(parts)


def _yaml_rows(fields: tuple[Field, ...], prefix: str = "") -> list[str]:
    rows = []
    for f in fields:
        key = f"{prefix}{f.key}"
        rows.append(f"| `{key}` | {f.label} | {'是' if f.required else ''} | {_type(f)} | {_note(f)} |")
        if f.fields:
            rows += _yaml_rows(f.fields, f"{key}{'[].' if f.kind == 'list' else '.'}")
    return rows


def format_markdown() -> str:
    """The whole format as one Chinese Markdown document."""
    out = ["# 安全社区建设档案格式说明", "",
           "本文由 `dossier schema` 根据工具内置的格式定义自动生成，与校验规则一致。", "",
           "## 目录结构", "",
           "```",
           "mkdocs.yml                 可选：站点设置",
           "dossier/community.yml      社区概况（必需）",
           "dossier/NN-slug.yml        12 个要素各一个 YAML 文件",
           "dossier/pages/*.md         可选：叙述性页面（工作报告、自评报告等）",
           "data/*.csv | data/*.xlsx   数据表：每张表一个文件，.csv 或 .xlsx 二选一",
           "evidence/**                佐证材料文件，在 data/evidence 中登记",
           "overrides/                 可选：主题覆盖（标志、样式）",
           "```", "",
           "CSV 可用 UTF-8、带 BOM 的 UTF-8 或 GB18030/GBK 编码；表头可用英文键或中文列名；"
           "日期写作 `YYYY-MM-DD`，也接受 `YYYY/M/D`、`YYYY年M月D日` 和 Excel 日期单元格；"
           "单元格内的多个编号用 `;` 或 `；` 分隔。", "",
           "## 社区概况 `dossier/community.yml`", "",
           "| 键 | 名称 | 必填 | 类型 | 说明 |", "|---|---|---|---|---|", *_yaml_rows(COMMUNITY), "",
           "可选：`dossier/self-assessment.yml`（自评，见 SCORING.md；本版本只检查其 YAML 语法）。", ""]
    out += ["## 十二个要素", ""]
    for el in ELEMENTS:
        out += [f"### {el.number}. {el.label} `dossier/{el.filename}`", ""]
        if el.tables:
            out += ["数据表：" + "、".join(f"`data/{t}`" for t in el.tables), ""]
        out += ["| 键 | 名称 | 必填 | 类型 | 说明 |", "|---|---|---|---|---|", *_yaml_rows(el.fields), ""]
    out += ["## 数据表", ""]
    for t in TABLES:
        owner = "社区概况" if t.element == 0 else f"要素 {t.element}"
        out += [f"### {t.label} `data/{t.name}.csv`（{owner}）", "",
                "| 列（英文键） | 中文列名 | 必填 | 类型 | 说明 |", "|---|---|---|---|---|"]
        out += [f"| `{f.key}` | {f.label} | {'是' if f.required else ''} | {_type(f)} | {_note(f)} |"
                for f in t.fields]
        out.append("")
    out += ["## 促进领域", "", "、".join(PROJECT_AREAS), "", "## 可接受的同义写法", "",
            "| 写法 | 规范值 |", "|---|---|", *[f"| {a} | {c} |" for a, c in ALIASES.items()], "",
            "## 一致性规则", "",
            "- 同一表或列表内编号唯一；所有编号引用（成员、工作组、项目、预案、隐患、措施、监测点、单元、佐证材料）必须存在。",
            "- 佐证文件必须存在、位于 `evidence/` 之内（不得使用 `..`、绝对路径或指向外部的链接），且只登记一次。",
            "- 同一张表不得同时有 `.csv` 和 `.xlsx` 文件。",
            "- 仅为警告：日期先后不合理（如销号日期早于发现日期）、事件日期在建设周期之外（不计入按年统计）、"
            "`dossier/` 中的其他文件。",
            "- 伤害记录中的姓名、身份证号、电话、住址属于个人信息，只用于内部，不会出现在任何发布内容中；"
            "其他自由文本中不得出现手机号码或身份证号码。", ""]
    return "\n".join(out)
