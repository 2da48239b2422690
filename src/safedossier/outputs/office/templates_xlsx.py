"""`dossier templates DIR`: an empty workbook per table for offices that fill the dossier in Excel/WPS.

Each file holds the table's Chinese headers (the loader reads them as column names), a comment on
each header from the schema (meaning, type, whether required), drop-downs from the code lists, date,
whole-number and 是/否 validation on the rows below — so a value `dossier check` would refuse cannot
be typed — and a visible 填写说明 sheet beside the table (the loader reads the first visible sheet only).
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import xlsxwriter

from safedossier.format.schema import TABLES, Field, Table
from safedossier.outputs.office.cells import column_width
from safedossier.outputs.office.target import office_target
from safedossier.outputs.office.xlsx import FONT, set_properties
from safedossier.trust.targets import write_file

ROWS = 5000  # rows that carry the validation (an office register rarely grows beyond)
NOTES = "填写说明"
_KIND_ZH = {"text": "文字", "int": "整数", "number": "数字", "date": "日期（YYYY-MM-DD）", "year": "年份（四位）",
            "code": "从下拉列表选择", "bool": "是 / 否", "ref": "编号"}


def _codes(f: Field) -> tuple[str, ...]:
    if f.kind == "bool":
        return ("是", "否")
    return f.codes


def _help(t: Table, f: Field) -> str:
    kind = _KIND_ZH.get(f.kind, f.kind) + ("，多个用“；”分隔" if f.many else "")
    lines = [f"{f.label}（{f.key}）：{'必填' if f.required and not f.loose else '选填'}，{kind}"]
    if f.ref:
        lines.append(f"填写{f.ref}的编号" + (f"，或 {'、'.join(f.ref_extra)}" if f.ref_extra else ""))
    if f.min is not None or f.max is not None:
        lines.append(f"范围 {'' if f.min is None else f'{f.min:g}'}–{'' if f.max is None else f'{f.max:g}'}")
    if f.help:
        lines.append(f.help)
    if f.private:
        lines.append("个人信息：只用于本单位工作，任何输出都不显示")
    return "\n".join(lines)


def _validate(ws: Any, col: int, f: Field, code_ranges: dict[str, str]) -> None:
    area = (1, col, ROWS, col)
    if f.kind in ("code", "bool") and not f.many:
        src: Any = list(_codes(f))
        if len(",".join(src)) > 250:  # Excel's limit for an inline list: point at the notes sheet
            src = code_ranges[f.key]
        ws.data_validation(*area, {"validate": "list", "source": src, "error_title": f.label,
                                   "error_message": f"请从下拉列表中选择{f.label}。"})
    elif f.kind == "date":
        ws.data_validation(*area, {"validate": "date", "criteria": "between",
                                   "minimum": dt.datetime(1901, 1, 1), "maximum": dt.datetime(2100, 12, 31),
                                   "error_title": f.label, "error_message": "请填写日期，如 2024-03-05。"})
    elif f.kind in ("int", "year"):
        low = 1900 if f.kind == "year" else int(f.min) if f.min is not None else -(10 ** 9)
        high = 2100 if f.kind == "year" else int(f.max) if f.max is not None else 10 ** 9
        ws.data_validation(*area, {"validate": "integer", "criteria": "between", "minimum": low,
                                   "maximum": high, "error_title": f.label,
                                   "error_message": f"请填写 {low}–{high} 之间的整数。"})


def template_bytes(t: Table) -> bytes:
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    set_properties(wb, f"{t.label}（{t.name}）填写模板")
    head = wb.add_format({"font_name": FONT, "bold": True, "bg_color": "#DDEBE7", "bottom": 1})
    need = wb.add_format({"font_name": FONT, "bold": True, "bg_color": "#F4D6A0", "bottom": 1})
    body = wb.add_format({"font_name": FONT})
    date = wb.add_format({"font_name": FONT, "num_format": "yyyy-mm-dd"})
    text = wb.add_format({"font_name": FONT, "num_format": "@"})  # ids like 001 stay as typed
    ws = wb.add_worksheet(t.label)
    notes = wb.add_worksheet(NOTES)
    code_ranges: dict[str, str] = {}
    listed = [f for f in t.fields if f.kind == "code"]
    for n, f in enumerate(listed):  # the code lists, one column each, right of the column notes
        c = 6 + n
        notes.write_string(0, c, f"可选{f.label}", head)  # not a column label: the loader must not
        # take this sheet for a second copy of the table (tableread: several_sheets)
        for r, code in enumerate(f.codes, 1):
            notes.write_string(r, c, code, body)
        notes.set_column(c, c, column_width([f"可选{f.label}", *f.codes]))
        letter = xlsxwriter.utility.xl_col_to_name(c)
        code_ranges[f.key] = f"='{NOTES}'!${letter}$2:${letter}${len(f.codes) + 1}"
    for c, name in enumerate(("列名", "键", "必填", "类型", "说明")):
        notes.write_string(0, c, name, head)
    for r, f in enumerate(t.fields, 1):
        notes.write_row(r, 0, [f.label, f.key, "是" if f.required and not f.loose else "",
                               _KIND_ZH.get(f.kind, f.kind), f.help], body)
    for c, width in enumerate((14, 14, 6, 22, 40)):
        notes.set_column(c, c, width)
    for c, f in enumerate(t.fields):
        ws.write_string(0, c, f.label, need if f.required and not f.loose else head)
        ws.write_comment(0, c, _help(t, f), {"x_scale": 2.2, "y_scale": 1.6, "font_name": FONT})
        fmt = date if f.kind == "date" else text if f.kind in ("text", "ref", "code") else body
        width = column_width([f.label, *(_codes(f) if f.kind in ("code", "bool") else ())], low=10, high=24)
        ws.set_column(c, c, max(width, 12.0) if f.kind == "date" else width, fmt)
        _validate(ws, c, f, code_ranges)
    ws.freeze_panes(1, 0)
    ws.activate()
    wb.close()
    return buf.getvalue()


def write_templates(folder: Path) -> list[Path]:
    """One `<table>.xlsx` per table into `folder` (new, or holding only earlier templates).

    Refused (OutputError, exit 2) inside a dossier's sources or over a file this tool did not write.
    """
    out = []
    for t in TABLES:
        path = office_target(folder / f"{t.name}.xlsx", None, ("填写模板", "a template"))
        out.append((path, template_bytes(t)))
    for path, data in out:
        write_file(data, path)
    return [p for p, _ in out]

