"""Diagnostics: what is wrong, where, and what was expected — in Chinese and English.

Every problem any stage finds becomes a `Diagnostic`; nothing raises on bad input. Messages live in
one catalog (`MESSAGES`) so wording stays consistent and both languages stay in step.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, replace
from dataclasses import field as dc_field
from typing import Any

ERROR, WARNING, INFO = "error", "warning", "info"
TABLE_SUFFIXES = (".csv", ".xlsx", ".xlsm", ".xls", ".xlsb", ".ods", ".et")  # rows, not lines

# code → ((message zh, message en), (expected zh, expected en)); `{…}` are Diagnostic.params.
MESSAGES: dict[str, tuple[tuple[str, str], tuple[str, str]]] = {
    "not_a_dossier": (("这里不是档案目录（没有 dossier/ 和 data/ 文件夹）", "this is not a dossier (no dossier/ and data/ folders)"),
                      ("在档案的根目录运行，或用 dossier init 目录 创建新档案",
                       "run it in the dossier's root folder, or create one with dossier init DIR")),
    "file_missing": (("缺少必需的文件", "required file is missing"),
                     ("文件 {file}", "a file {file}")),
    "file_too_large": (("文件过大（{size} 字节）", "file too large ({size} bytes)"),
                       ("不超过 {limit} 字节", "at most {limit} bytes")),
    "file_unreadable": (("无法读取文件：{detail}", "cannot read the file: {detail}"),
                        ("可读取的普通文件", "a readable regular file")),
    "binary_file": (("文件含有二进制内容（NUL 字节），不是文本表格", "file holds binary data (NUL bytes), not a text table"),
                    ("UTF-8 或 GB18030 编码的 CSV 文本", "CSV text in UTF-8 or GB18030")),
    "encoding": (("无法识别文件编码", "cannot detect the file's encoding"),
                 ("UTF-8、带 BOM 的 UTF-8 或 GB18030/GBK", "UTF-8, UTF-8 with BOM or GB18030/GBK")),
    "mixed_encoding": (("文件混用了 UTF-8 和 GB18030 两种编码（从此行起）", "the file mixes UTF-8 and GB18030 (from this line)"),
                       ("整个文件使用同一种编码", "one encoding for the whole file")),
    "too_long": (("内容过长（{length} 个字符）", "value too long ({length} characters)"),
                 ("不超过 {limit} 个字符", "at most {limit} characters")),
    "yaml_syntax": (("YAML 语法错误：{detail_zh}", "YAML syntax error: {detail}"),
                    ("合法的 YAML", "valid YAML")),
    "yaml_too_complex": (("YAML 结构过深或别名展开过多", "YAML nested too deeply or too many aliases"),
                         ("不超过 {limit} 个节点、{depth} 层嵌套", "at most {limit} nodes and {depth} levels")),
    "yaml_duplicate_key": (("键 {key} 重复出现", "key {key} appears twice"),
                           ("每个键只出现一次", "each key once")),
    "yaml_not_mapping": (("文档顶层不是键值映射", "the document is not a mapping"),
                         ("“键: 值”形式的映射", "a mapping of key: value")),
    "unknown_key": (("未知的键 {key}（将被忽略）", "unknown key {key} (ignored)"),
                    ("格式说明中的键之一", "one of the keys of the format")),
    "site_text": (("站点设置只能是纯文本，不能包含 HTML 标签、双引号或控制字符", "site setting must be plain text: no HTML tags, double quotes or control characters"),
                  ("不含 < > \" 的文字，不超过 {limit} 个字符", "text without < > \", at most {limit} characters")),
    "site_value": (("站点设置的值不受支持（将被忽略）", "unsupported site setting value (ignored)"),
                   ("以下之一：{allowed}", "one of: {allowed}")),
    "site_url": (("site_url 不是网址", "site_url is not a web address"),
                 ("以 http:// 或 https:// 开头、不含空格和引号的网址", "an http:// or https:// address without spaces or quotes")),
    "site_file": (("这个文件不能发布：{why}", "this file cannot be published: {why_en}"),
                  ("档案目录内（data/、dossier/、evidence/ 之外）的 {kinds} 文件",
                   "a {kinds} file inside the dossier, outside data/, dossier/ and evidence/")),
    "site_css": (("样式表引用了站外地址或脚本", "the style sheet refers to an outside address or script"),
                 ("只引用站内相对路径或 data: 地址的 CSS", "CSS that refers only to relative paths or data: URLs")),
    "overrides_skipped": (("overrides/ 中的这个文件不会发布：{why}（模板不再渲染，只发布样式表、图片和字体）",
                           "this file in overrides/ is not published: {why_en} (templates are no longer rendered; "
                           "only style sheets, images and fonts are published)"),
                          (".css、.png、.jpg、.gif、.webp、.ico、.woff2 等静态文件", "a static .css, .png, .jpg, .gif, .webp, .ico, .woff2 … file")),
    "site_key_ignored": (("mkdocs.yml 中的 {key} 不会被使用：档案是数据，不能运行代码或改变页面模板",
                          "{key} in mkdocs.yml is not used: a dossier is data and cannot run code or change templates"),
                         ("README 中列出的站点设置", "one of the site settings listed in the README")),
    "unknown_element_file": (("未知的要素文件", "unknown element file"),
                             ("community.yml 或 01-organisation.yml … 12-review.yml 之一",
                              "community.yml or one of 01-organisation.yml … 12-review.yml")),
    "unknown_table": (("未知的数据表（不会被使用）", "unknown table (not used)"),
                      ("格式说明中的表之一", "one of the tables of the format")),
    "table_missing": (("缺少数据表 {table}（{label}）", "table {table} ({label_en}) is missing"),
                      ("data/{table}.csv 或 data/{table}.xlsx", "data/{table}.csv or data/{table}.xlsx")),
    "both_csv_xlsx": (("同一张表有多个文件：{found}", "the same table exists in several files: {found}"),
                      ("只保留其中一个文件", "exactly one of these files")),
    "csv_syntax": (("表格格式错误：{detail}", "malformed table: {detail}"),
                   ("每行列数与表头一致的 CSV", "CSV whose rows match the header")),
    "xlsx_error": (("无法读取工作簿：{detail}", "cannot read the workbook: {detail}"),
                   ("有效的 .xlsx、.xlsm、.xls、.et 或 .ods 工作簿（可在 Excel/WPS 中另存为 .xlsx）",
                    "a valid .xlsx, .xlsm, .xls, .et or .ods workbook (save it as .xlsx from Excel/WPS)")),
    "hidden_sheets": (("忽略隐藏的工作表：{sheets}", "hidden sheets ignored: {sheets}"),
                      ("数据放在可见的工作表中", "the data on a visible sheet")),
    "sheet_read": (("读取工作表“{sheet}”", "read the sheet “{sheet}”"),
                   ("数据放在第一个可见的工作表中", "the data on the first visible sheet")),
    "several_sheets": (("多个工作表都是这张表的数据（{sheets}），只读取一个会漏掉记录",
                        "several sheets hold this table's data ({sheets}); reading one would drop records"),
                       ("把全部记录合并到第一个工作表（可加一列年份），或删除其余工作表",
                        "all records on the first sheet (a year column may tell them apart), the others deleted")),
    "formula_without_value": (("单元格 {cell} 是公式，但文件中没有保存计算结果，读出来是空值",
                               "cell {cell} is a formula saved without its computed value; it reads as empty"),
                              ("在 Excel 或 WPS 中打开并保存一次，或把公式粘贴为数值",
                               "open and save the file once in Excel or WPS, or paste the formulas as values")),
    "too_many_cells": (("这一行有 {saw} 个单元格，表头只有 {expected} 列", "this row has {saw} cells, the header {expected}"),
                       ("与表头列数相同（单元格中的逗号须加英文双引号）",
                        "as many cells as the header (a comma inside a cell needs double quotes)")),
    "header_rows_skipped": (("跳过表头上方的第 {rows} 行（标题或合并的分组表头），列名取自第 {header} 行",
                             "row(s) {rows} above the header skipped (a title or merged group headings); "
                             "column names read from row {header}"),
                            ("第一行即为列名", "the column names in the first row")),
    "total_row": (("这是合计行？请删除（合计由工具计算，不作为记录读取）",
                   "is this a totals row? Please delete it (totals are computed; it is not read as a record)"),
                  ("只有记录行", "record rows only")),
    "no_glyph": (("PDF 字体中没有字符 {char}（第 {at} 个字符），生成 PDF 时会失败",
                  "the PDF fonts have no glyph for {char} (character {at}); `dossier pdf` would fail"),
                 ("常用汉字、标点和字母（请删除或替换表情符号等特殊字符）",
                  "common Chinese characters, punctuation and letters (remove emoji and similar symbols)")),
    "empty_table": (("表格没有表头", "the table has no header row"),
                    ("第一行为列名", "column names in the first row")),
    "duplicate_column": (("列 {column} 出现多次", "column {column} appears more than once"),
                         ("每列只出现一次", "each column once")),
    "column_missing": (("缺少必需的列 {column}（{label}）", "required column {column} ({label}) is missing"),
                       ("表头含 {column} 或 {label}", "a header {column} or {label}")),
    "unknown_column": (("未知的列 {column}（保留但不显示）", "unknown column {column} (kept, not shown)"),
                       ("格式说明中的列之一", "one of the columns of the format")),
    "required": (("必填项为空", "required value is empty"), ("{label}", "{label_en}")),
    "type": (("值的类型不正确", "value has the wrong type"), ("{type_zh}", "{type_en}")),
    "code": (("不在代码表中", "not in the code list"), ("以下之一：{allowed}", "one of: {allowed}")),
    "range": (("数值超出范围", "number out of range"), ("{min} 到 {max} 之间", "between {min} and {max}")),
    "date_invalid": (("日期不存在或格式不正确", "date does not exist or is malformed"),
                     ("YYYY-MM-DD、YYYY/M/D、YYYY.M.D 或 YYYY年M月D日（可带时间 HH:MM）",
                      "YYYY-MM-DD, YYYY/M/D, YYYY.M.D or YYYY年M月D日 (a time HH:MM may follow)")),
    "date_outside_cycle": (("日期不在建设周期内（按年份的统计只含周期内各年）",
                            "date outside the dossier's cycle (figures by year cover the cycle's years only)"),
                           ("{start}–{end} 年之间", "within {start}–{end}")),
    "date_order": (("早于 {other}（{other_value}）", "earlier than {other} ({other_value})"),
                   ("不早于 {other}", "not earlier than {other}")),
    "duplicate_id": (("编号重复（首次出现在第 {first} 行）", "duplicate id (first at line {first})"),
                     ("唯一的编号", "a unique id")),
    "dangling_ref": (("引用的{ns}编号不存在", "referenced {ns_en} id does not exist"),
                     ("已定义的{ns}编号", "an existing {ns_en} id")),
    "unlinked_ref": (("不是{ns}的编号或名称，作为文字保留（共 {count} 行）",
                      "names no {ns_en} id or name; kept as text ({count} rows)"),
                     ("可与{ns}的编号或名称一致，以便链接", "optionally a {ns_en} id or name, to link it")),
    "link_outside": (("文件是指向其所在目录之外的链接（未读取）", "the file is a link leading out of its folder (not read)"),
                     ("该目录中的普通文件（不是链接）", "a regular file in that folder (not a link)")),
    "evidence_missing": (("佐证文件不存在", "evidence file does not exist"),
                         ("evidence/ 下存在的文件", "an existing file below evidence/")),
    "evidence_outside": (("佐证文件路径指向 evidence/ 之外", "evidence path leads outside evidence/"),
                         ("evidence/ 下的相对路径（不含 ..、绝对路径或指向外部的链接）",
                          "a relative path below evidence/ (no .., absolute path or link leading out)")),
    "evidence_twice": (("同一佐证文件被登记多次（首次在第 {first} 行）", "evidence file listed twice (first at row {first})"),
                       ("每个文件只登记一次", "each file listed once")),
    "evidence_unlisted": (("佐证文件未在 evidence 表中登记", "evidence file is not listed in the evidence table"),
                          ("在 data/evidence 中登记", "a row in data/evidence")),
    "cycle_missing": (("未填写建设周期，按数据年份推断为 {start}–{end}", "no cycle given; inferred {start}–{end} from the data"),
                      ("cycle: {{start: 年份, end: 年份}}", "cycle: {{start: year, end: year}}")),
    "cycle_order": (("建设周期结束年份早于起始年份", "cycle ends before it starts"),
                    ("end ≥ start", "end ≥ start")),
    "year_without": (("{year} 年没有{what}", "no {what_en} in {year}"),
                     ("建设周期内每年都有{what}", "{what_en} in every year of the cycle")),
    "group_without_members": (("工作组 {id}（{name}）没有成员", "work group {id} ({name}) has no members"),
                              ("members 表中至少一名成员", "at least one member in the members table")),
    "group_without_project": (("专项工作组 {id}（{name}）没有安全促进项目", "specialised group {id} ({name}) has no project"),
                              ("05-projects.yml 中由该组负责的项目", "a project in 05-projects.yml led by it")),
    "group_without_area": (("专项工作组未填写促进领域", "specialised group has no project area"),
                           ("12 个促进领域之一", "one of the 12 project areas")),
    "project_without_indicators": (("项目 {id}（{name}）没有评价指标", "project {id} ({name}) has no indicators"),
                                   ("至少一个评价指标", "at least one indicator")),
    "plan_without_revision": (("应急预案 {id}（{name}）没有修订日期", "emergency plan {id} ({name}) has no revision date"),
                              ("revised: 日期", "revised: a date")),
    "baseline_disagrees": (("“{name}”的基线（{year} 年）与伤害记录不符（按{how}计算）",
                            "the baseline of \"{name}\" ({year}) disagrees with the injury records ({how_en})"),
                           ("{computed}（伤害记录计算值）", "{computed} (from the injury records)")),
    "population_year_missing": (("{year} 年没有人口数据，无法计算伤害率", "no population for {year}: rates cannot be computed"),
                                ("data/population 中该年份的一行", "a row for that year in data/population")),
    "population_sum": (("{what}之和（{sum}）与总人口（{total}）不符", "{what_en} add up to {sum}, not the total {total}"),
                       ("与总人口一致", "equal to the total")),
    "private_text": (("自由文本中含有疑似{what}", "free text contains what looks like {what_en}"),
                     ("不在公开内容中出现个人信息", "no personal data in published text")),
    "private_value": (("公开内容中含有伤害记录中的{what}（{source}），构建时将被拒绝",
                       "public text holds {what_en} from the injury records ({source}); the build will refuse it"),
                      ("删除或改写，不公开个人信息", "removed or reworded: personal data is never published")),
    "not_name_is_name": (("“不是姓名的词组”本身就是伤害记录中的姓名或住址，或少于 3 个字",
                          "a phrase declared to hold no name is itself an injured person's name or address, or shorter than 3 characters"),
                         ("包含该姓名的更长词组，如“早晚高峰”", "a longer phrase holding the name, e.g. 早晚高峰")),
    "not_name_in_effect": (("已按声明将该词组视为普通词语，其中与伤者同名的“{name}”在此词组内不视为姓名",
                            "this phrase is treated as ordinary words as declared: the injured person's name {name} inside it is not taken for a name"),
                           ("确认该词组确实不是指伤者本人", "make sure the phrase never means the injured person")),
    "evidence_other_element": (("{record} 引用的佐证材料登记在要素 {filed}（“{title}”），而该记录属于要素 {element}",
                                "{record_en} cites evidence filed under element {filed} (\"{title}\"), but the record belongs to element {element}"),
                               ("要素 {element} 的佐证材料，或在 data/evidence 中把该材料改登记到要素 {element}",
                                "evidence of element {element}, or the evidence re-filed under element {element} in data/evidence")),
    "evidence_far_date": (("{record} 引用的佐证材料“{title}”与记录日期（{when}）相差 {days} 天",
                           "{record_en} cites \"{title}\", dated {days} days from the record ({when})"),
                          ("与记录日期相差不超过 {limit} 天的佐证材料（是否引用错了文件？）",
                           "evidence dated within {limit} days of the record (is it the wrong file?)")),
    "stage_duplicate": (("建设阶段名称重复（首次在第 {first} 行）", "stage name appears twice (first at line {first})"),
                        ("每个阶段名称只出现一次", "each stage named once")),
    "stage_end_before_start": (("阶段“{name}”的结束日期早于开始日期（{start}）", "stage \"{name}\" ends before it starts ({start})"),
                               ("不早于 {start} 的日期", "a date not before {start}")),
    "stage_order": (("阶段“{name}”开始于上一阶段“{prev}”（{prev_start}）之前", "stage \"{name}\" starts before the stage before it, \"{prev}\" ({prev_start})"),
                    ("按时间先后排列的阶段（前期启动 → 宣传发动 → 全面推进实施 → 申请验收 → 持续改进）",
                     "stages in time order (start-up → publicity → implementation → application → continuous improvement)")),
    "more": (("同类问题另有 {count} 处未列出", "{count} more problems of this kind not listed"),
             ("逐一修正", "each fixed")),
    # --- scoring schemes and the self-assessment (scoring/) ---
    "scheme_missing": (("评分方案文件不存在", "the scoring scheme file does not exist"),
                       ("档案目录内的方案文件（如 schemes/xx.yml），或内置方案编号：{ids}",
                        "a scheme file inside the dossier (e.g. schemes/xx.yml), or a shipped scheme id: {ids}")),
    "scheme_outside": (("评分方案路径指向档案目录之外", "the scheme path leads outside the dossier"),
                       ("档案目录内的相对路径（不含 ..、绝对路径或指向外部的链接）",
                        "a relative path inside the dossier (no .., absolute path or link leading out)")),
    "scheme_unknown": (("没有这个内置评分方案", "no shipped scoring scheme has this id"),
                       ("内置方案编号之一：{ids}，或以 .yml 结尾的方案文件路径",
                        "one of the shipped scheme ids: {ids}, or the path of a .yml scheme file")),
    "scheme_no_fallback": (("最后一个结论带有条件：总分不满足任何条件时没有结论",
                            "the last verdict has conditions: some totals get no verdict at all"),
                           ("最后一个结论不带条件，如 {{name: 不通过}}", "a last verdict without conditions, e.g. {{name: fail}}")),
    "scheme_points": (("分值必须大于 0", "points must be more than 0"),
                      ("大于 0 的数字，如 0.8", "a number more than 0, e.g. 0.8")),
    "score_unknown_item": (("评分方案 {scheme} 中没有这个项目", "scheme {scheme} has no such item"),
                           ("方案中的项目编号（如 {example}）", "an item id of the scheme (e.g. {example})")),
    "score_unknown_part": (("项目 {item} 没有这个评分部分", "item {item} has no such part"),
                           ("以下之一：{allowed}", "one of: {allowed}")),
    "score_unknown_grade": (("不是评分方案中的等级", "not a grade of the scoring scheme"),
                            ("以下之一：{allowed}", "one of: {allowed}")),
    "score_incomplete": (("自评尚未完成：{count} 个评分部分未评等级（共 {items} 个项目）",
                          "the self-assessment is incomplete: {count} parts not graded (in {items} items)"),
                         ("方案中每个项目的每个部分都有等级", "a grade for every part of every item of the scheme")),
    "score_review_disagrees": (("评审 {review} 记录的自评得分与自评表不符：自评表总分 {total}/{max}，折合百分制 {percent}",
                                "review {review} records a self-assessment score the form does not give: "
                                "total {total}/{max}, {percent} out of 100"),
                               ("与自评表一致的得分（百分制 {percent}），或改正自评表",
                                "the form's score ({percent} out of 100), or a corrected self-assessment")),
    "self_assessment_missing": (("没有自评表，无法评分", "no self-assessment to score"),
                                ("dossier/self-assessment.yml（见 README“自评”一节）",
                                 "a dossier/self-assessment.yml (see the README, “Self-assessment”)")),
}


@dataclass(frozen=True)
class Diagnostic:
    """One problem: severity, where (file, line or spreadsheet row, field), found and expected."""

    severity: str
    code: str
    file: str
    line: int | None = None
    field: str = ""
    found: str = ""
    params: dict[str, Any] = dc_field(default_factory=dict, compare=False, hash=False)
    column: str = ""  # the table header as the file writes it (`日期`), when `field` is a column key

    def message(self, lang: str = "zh") -> str:
        return _fill(MESSAGES[self.code][0], lang, self.params, self.file)

    def expected(self, lang: str = "zh") -> str:
        return _fill(MESSAGES[self.code][1], lang, self.params, self.file)

    def render(self, lang: str = "zh") -> str:
        """One human line, e.g. `data/injuries.csv 第 12 行 [age]: 数值超出范围（发现 150；应为 0 到 120 之间）`."""
        sev = {"zh": {ERROR: "错误", WARNING: "警告", INFO: "提示"},
               "en": {ERROR: "error", WARNING: "warning", INFO: "note"}}[lang][self.severity]
        where = self.file
        if self.line is not None:
            row = "row" if self.file.endswith(TABLE_SUFFIXES) else "line"
            where += f" 第 {self.line} 行" if lang == "zh" else f" {row} {self.line}"
        if self.field:
            where += f" [{self.column or self.field}]"
        found = _clip(self.found)
        if lang == "zh":
            tail = f"（发现：{found}；应为：{self.expected('zh')}）" if found else f"（应为：{self.expected('zh')}）"
            return f"{sev} {where}：{self.message('zh')}{tail}"
        tail = f" (found: {found}; expected: {self.expected('en')})" if found else f" (expected: {self.expected('en')})"
        return f"{sev} {where}: {self.message('en')}{tail}"

    def as_json(self, lang: str = "zh") -> dict[str, Any]:
        d = asdict(self)
        del d["params"]
        d.update(message=self.message(lang), expected=self.expected(lang),
                 message_zh=self.message("zh"), message_en=self.message("en"))
        return d


def _fill(pair: tuple[str, str], lang: str, params: dict[str, Any], file: str) -> str:
    template = pair[0] if lang == "zh" else pair[1]
    try:
        return template.format(file=file, **params)
    except (KeyError, IndexError):  # a missing parameter must not hide the diagnostic itself
        return template


_UNSEEN = re.compile("[\u00a0\u2000-\u200f\u2028-\u202f\u205f-\u2064\u3000\ufeff\t\x00-\x08\x0b-\x1f\x7f]")


def visible(text: str) -> str:
    """Blanks and controls that look like nothing (ideographic space, NBSP, zero widths) as `<U+3000>`,
    so an office can see why `男　` is not `男`."""
    return _UNSEEN.sub(lambda m: f"<U+{ord(m.group(0)):04X}>", text)


def _clip(text: str, limit: int = 80) -> str:
    text = text.replace("\n", "⏎")
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass
class Report:
    """All diagnostics of a run; caps repeats so a broken 50k-row file stays readable."""

    items: list[Diagnostic] = dc_field(default_factory=list)
    cap: int = 50
    _seen: dict[tuple[str, str, str], int] = dc_field(default_factory=dict)
    headers: dict[str, dict[str, str]] = dc_field(default_factory=dict)  # file → column key → header

    def add(self, severity: str, code: str, file: str, line: int | None = None,
            field: str = "", found: object = "", **params: Any) -> None:
        key = (file, field, code)
        n = self._seen.get(key, 0) + 1
        self._seen[key] = n
        if n <= self.cap:
            self.items.append(Diagnostic(severity, code, file, line, field,
                                         "" if found is None else visible(str(found)), params))

    def error(self, code: str, file: str, line: int | None = None, field: str = "",
              found: object = "", **params: Any) -> None:
        self.add(ERROR, code, file, line, field, found, **params)

    def warn(self, code: str, file: str, line: int | None = None, field: str = "",
             found: object = "", **params: Any) -> None:
        self.add(WARNING, code, file, line, field, found, **params)

    def info(self, code: str, file: str, line: int | None = None, field: str = "",
             found: object = "", **params: Any) -> None:
        self.add(INFO, code, file, line, field, found, **params)

    def finish(self) -> list[Diagnostic]:
        """Diagnostics in file order, with one 'N more' line per capped (file, field, code)."""
        out = [self._named(d) for d in self.items]
        for (file, fld, code), n in self._seen.items():
            if n > self.cap:
                sev = next(d.severity for d in self.items if (d.file, d.field, d.code) == (file, fld, code))
                out.append(Diagnostic(sev, "more", file, None, fld, "", {"count": n - self.cap}))
        return sorted(out, key=lambda d: (d.file, d.code == "more", d.line or 0))


    def _named(self, d: Diagnostic) -> Diagnostic:
        """`d` with the header its file gives the column (known once the file has been read)."""
        column = self.headers.get(d.file, {}).get(d.field, "")
        return replace(d, column=column) if column and column != d.field else d


def counts(diags: list[Diagnostic]) -> dict[str, int]:
    """Totals by severity (a 'more' line counts for the problems it stands for)."""
    c = {ERROR: 0, WARNING: 0, INFO: 0}
    for d in diags:
        c[d.severity] += int(d.params.get("count", 1)) if d.code == "more" else 1
    return c


def to_json(diags: list[Diagnostic], lang: str = "zh") -> str:
    return json.dumps({"counts": counts(diags), "diagnostics": [d.as_json(lang) for d in diags]},
                      ensure_ascii=False, indent=2)
