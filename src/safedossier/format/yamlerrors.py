"""YAML parser errors as an office can act on them: the right line, in Chinese, with the usual cause.

libyaml reports where it noticed a problem, which is often the line after the one to fix (a key
written with a full-width colon `target：省级安全社区` is found missing its `:` on the next line), and
past the last line when the file ends inside a quote. Its messages are English only.
"""

from __future__ import annotations

from dataclasses import dataclass

import yaml

# libyaml's problem texts (prefixes) → what they usually mean, in Chinese.
_PROBLEMS_ZH = (
    ("could not find expected ':'", "找不到应有的冒号“:”"),
    ("mapping values are not allowed", "此处不能出现“键: 值”（同一行有两个冒号？值中的冒号需加引号）"),
    ("found character that cannot start any token", "含有不能出现在此处的字符（缩进中的制表符？YAML 只能用空格缩进）"),
    ("found unexpected end of stream", "文件意外结束（引号或括号没有闭合？）"),
    ("did not find expected key", "缺少应有的键（缩进不一致？）"),
    ("did not find expected node content", "缺少应有的内容"),
    ("did not find expected '-' indicator", "列表项缺少“-”（缩进不一致？）"),
    ("did not find expected ',' or ']'", "方括号列表没有闭合，或缺少逗号"),
    ("did not find expected ',' or '}'", "花括号映射没有闭合，或缺少逗号"),
    ("found undefined alias", "引用了未定义的别名（*名称）"),
    ("found duplicate anchor", "锚点（&名称）重复定义"),
    ("found unknown escape character", "双引号中有无效的转义字符（路径中的 \\ 请写成 / 或用单引号）"),
    ("expected <block end>", "缩进不一致"),
    ("found a tab character", "缩进中含有制表符（YAML 只能用空格缩进）"),
)
FULLWIDTH_COLON = "："


@dataclass(frozen=True)
class YamlProblem:
    line: int | None
    found: str  # the line as written
    detail_zh: str
    detail_en: str


def explain(exc: yaml.YAMLError, text: str) -> YamlProblem:
    """Where and why, for a parser or scanner error raised on `text`."""
    lines = text.splitlines()
    problem = getattr(exc, "problem", None) or (str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line = mark.line + 1 if mark is not None else None
    if line is not None and lines:
        line = min(line, len(lines))  # an error "at the end" points at the last line, not past it
    context = getattr(exc, "context_mark", None)
    candidates = [n for n in (line, line - 1 if line else None, context.line + 1 if context else None)
                  if n and 0 < n <= len(lines)]
    for n in candidates:  # the usual cause: a key written with a full-width colon
        raw = lines[n - 1]
        if FULLWIDTH_COLON in raw and ":" not in raw.split("#")[0]:
            key = raw.split(FULLWIDTH_COLON, 1)[0].strip()
            return YamlProblem(n, raw.strip(),
                               f"“{key}”后面用了全角冒号“：”，请改为半角冒号“:”并在其后加一个空格",
                               f"a full-width colon “：” after “{key}”: write an ASCII colon and a space")
    zh = next((z for en, z in _PROBLEMS_ZH if problem.startswith(en)), "")
    found = lines[line - 1].strip() if line and 0 < line <= len(lines) else ""
    return YamlProblem(line, found, zh or f"YAML 解析器报告：{problem}", problem)
