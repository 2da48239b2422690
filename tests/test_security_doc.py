"""SECURITY.md names the tests that hold each promise: every one it names must exist, and every
promise must name at least one, so the page cannot drift from what is actually tested."""

from __future__ import annotations

import ast
import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def named_tests(text: str) -> list[tuple[str, str]]:
    """(file, test) for `tests/f.py::a`, and for the `::b` that follow it on the same line."""
    out = []
    for line in text.splitlines():
        current = ""
        for m in re.finditer(r"`(tests/[\w/]+\.py)?::(\w+)`", line):
            current = m.group(1) or current
            out.append((current, m.group(2)))
    return out


def test_every_test_security_md_names_exists() -> None:
    text = (REPO / "SECURITY.md").read_text(encoding="utf-8")
    names = named_tests(text)
    assert len(names) > 30
    defined: dict[str, set[str]] = {}
    for file, test in names:
        assert file, f"{test}: no file before it on its line"
        if file not in defined:
            tree = ast.parse((REPO / file).read_text(encoding="utf-8"))
            defined[file] = {n.name for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)}
        assert test in defined[file], f"SECURITY.md names {file}::{test}, which does not exist"


def test_every_promise_names_its_tests() -> None:
    text = (REPO / "SECURITY.md").read_text(encoding="utf-8")
    sections = re.split(r"^### ", text, flags=re.M)[1:]
    assert len(sections) >= 7
    for section in sections:
        assert named_tests(section), f"promise without a test: {section.splitlines()[0]}"
