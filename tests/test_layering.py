"""Only view code imports psychopy: logic, config, scoring and exports run anywhere."""
import ast
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
VIEW_FILES = {"view.py", "window.py", "layoutview.py", "startview.py"}


def psychopy_imports(path: Path) -> list[int]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    lines = []
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        if any(n == "psychopy" or n.startswith("psychopy.") for n in names):
            lines.append(node.lineno)
    return lines


def test_psychopy_is_imported_only_by_view_code():
    offenders = [f"{p.relative_to(REPO)}:{line}"
                 for folder in ("cogtrain", "tasks") for p in sorted((REPO / folder).rglob("*.py"))
                 if p.name not in VIEW_FILES for line in psychopy_imports(p)]
    assert offenders == []


def test_the_check_itself_sees_an_import(tmp_path):
    sample = tmp_path / "x.py"
    sample.write_text("def f():\n    from psychopy import visual\n")
    assert psychopy_imports(sample) == [2]


def test_core_and_tasks_import_without_psychopy():
    import subprocess
    import sys

    code = ("import sys; sys.modules['psychopy'] = None\n"
            "import cogtrain.cli, cogtrain.session\n"
            "from cogtrain.registry import all_tasks\n"
            "print(len(all_tasks()))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    assert done.returncode == 0, done.stderr
