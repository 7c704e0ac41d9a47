"""Two simulated studies, made once per test run through the real CLI: with learning and without."""
import os
from pathlib import Path

import pytest

from cogtrain.cli import main

STUDY = Path(__file__).resolve().parent.parent / "data" / "study" / "study.yaml"


def _demo(folder: Path, *extra: str) -> Path:
    # fsync makes every trial durable; here it only costs time (durability is tested in test_crash_safety).
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(os, "fsync", lambda fd: None)
        assert main(["demo", "--study", str(STUDY), "--out", str(folder), *extra]) == 0
    return folder


@pytest.fixture(scope="session")
def learning_study(tmp_path_factory) -> Path:
    """``cogtrain demo --study``: 10+ per arm, baseline, 8 training sessions, post; learning in training only."""
    return _demo(tmp_path_factory.mktemp("learning"))


@pytest.fixture(scope="session")
def null_study(tmp_path_factory) -> Path:
    """The same study with no learning in either arm."""
    return _demo(tmp_path_factory.mktemp("null"), "--no-learning")
