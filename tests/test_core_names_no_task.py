"""Core code knows tasks only through their declarations: it names no task (CONTRIBUTING.md)."""
from __future__ import annotations

import ast
import re
from pathlib import Path

from cogtrain.registry import all_tasks

REPO = Path(__file__).resolve().parent.parent
#: Keyword arguments whose text is help for people, where examples may name tasks.
HELP_KEYWORDS = {"help", "description", "epilog"}


def task_words() -> set[str]:
    """Names, titles and curve names of every registered task, lower case."""
    words = set()
    for spec in all_tasks().values():
        words |= {spec.name, spec.title.lower(), *(c.name for c in spec.curves)}
    return words


def code_texts(source: str) -> list[tuple[int, str]]:
    """(line, text) of every identifier and string of ``source`` except docstrings and help text."""
    tree = ast.parse(source)
    skipped: set[int] = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr) \
                and isinstance(body[0].value, ast.Constant):
            skipped.add(id(body[0].value))
        if isinstance(node, ast.keyword) and node.arg in HELP_KEYWORDS:
            skipped |= {id(n) for n in ast.walk(node.value)}
    texts = []
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            texts.append((node.lineno, node.value))
        elif isinstance(node, ast.Name):
            texts.append((node.lineno, node.id))
        elif isinstance(node, ast.Attribute):
            texts.append((node.lineno, node.attr))
        elif isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            texts.append((node.lineno, node.name))
    return texts


def task_names_in(source: str, words: set[str]) -> list[tuple[int, str]]:
    pattern = re.compile(r"(?<![a-z0-9])(" + "|".join(map(re.escape, sorted(words))) + r")(?![a-z0-9])")
    return [(line, m.group(1)) for line, text in code_texts(source) for m in pattern.finditer(text.lower())]


def test_core_code_names_no_task() -> None:
    words = task_words()
    found = [f"{path.relative_to(REPO)}:{line}: {word}" for path in sorted((REPO / "cogtrain").rglob("*.py"))
             for line, word in task_names_in(path.read_text(encoding="utf-8"), words)]
    assert found == []


def test_the_check_sees_names_in_code_but_not_in_docstrings_or_help() -> None:
    source = '''"""Scores of the nback task."""
def f(parser):
    """nback"""
    parser.add_argument("--x", help="e.g. nback=3")
    return labels["nback.dprime"], spec.spc
'''
    assert sorted(task_names_in(source, {"nback", "spc"})) == [(5, "nback"), (5, "spc")]
