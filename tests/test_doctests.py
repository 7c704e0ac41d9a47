"""Every example in a docstring of cogtrain and of every task runs and prints what it shows."""
from __future__ import annotations

import doctest
import importlib
from pathlib import Path

import pytest

import cogtrain
import cogtrain.tasks


def modules_with_examples() -> list[str]:
    """Dotted names of the modules of cogtrain and its tasks whose source has a ``>>>`` example."""
    found = []
    for package in (cogtrain, cogtrain.tasks):
        root = Path(package.__path__[0])
        for path in sorted(root.rglob("*.py")):
            if ">>>" not in path.read_text(encoding="utf-8"):
                continue
            parts = path.relative_to(root).with_suffix("").parts
            parts = parts[:-1] if parts[-1] == "__init__" else parts
            found.append(".".join((package.__name__, *parts)))
    return found


MODULES = modules_with_examples()


def test_the_examples_are_found() -> None:
    assert "cogtrain.adaptive" in MODULES and any(m.startswith("cogtrain.tasks.") for m in MODULES)


@pytest.mark.parametrize("name", MODULES)
def test_examples_run(name: str) -> None:
    module = importlib.import_module(name)
    tests = doctest.DocTestFinder().find(module)
    assert any(t.examples for t in tests), f"{name} has '>>>' but no example doctest can run"
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    report = []
    for test in tests:
        runner.run(test, out=report.append)
    assert runner.failures == 0, "".join(report)
