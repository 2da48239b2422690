"""What every subcommand prints the same way: the diagnostics of a check."""

from __future__ import annotations

import sys

from safedossier.format.diagnostics import Diagnostic, counts, to_json


def print_diagnostics(diags: list[Diagnostic], lang: str, fmt: str, quiet_info: bool = False) -> None:
    if fmt == "json":
        print(to_json(diags, lang))
        return
    for d in diags:
        if quiet_info and d.severity == "info":
            continue
        print(d.render(lang), file=sys.stderr)
    c = counts(diags)
    if lang == "zh":
        print(f"检查完成：{c['error']} 个错误，{c['warning']} 个警告，{c['info']} 个提示。", file=sys.stderr)
    else:
        print(f"Check finished: {c['error']} errors, {c['warning']} warnings, {c['info']} notes.",
              file=sys.stderr)
