"""What is due next: baseline first, training until the dose is done or the window opens, visits late or on time."""
from datetime import date, timedelta
from pathlib import Path

import pytest

from cogtrain.study.config import load_study
from cogtrain.study.schedule import PastSession, next_due

CONFIGS = Path(__file__).resolve().parent.parent.parent / "configs"
DAY0 = date(2026, 1, 5)


@pytest.fixture(scope="module")
def study():
    return load_study(CONFIGS / "example_study.yaml")  # post: day 56, window [7, 14], 24 sessions; follow_up 140


def history(training: int, visits: dict[str, int] = {}) -> list[PastSession]:
    past = [PastSession(1, DAY0, "baseline")]
    for k in range(training):
        past.append(PastSession(len(past) + 1, DAY0 + timedelta(days=2 * k + 1), None))
    for name, day in visits.items():
        past.append(PastSession(len(past) + 1, DAY0 + timedelta(days=day), name))
    return past


def test_baseline_comes_first(study):
    due = next_due(study, "training", [], DAY0)
    assert (due.kind, due.visit, due.battery) == ("visit", "baseline", study.assessment)


def test_training_follows_with_the_arm_battery(study):
    due = next_due(study, "control", history(3), DAY0 + timedelta(days=8))
    assert (due.kind, due.battery) == ("training", study.arms["control"])
    assert due.text == "training session 4 of 24 before the post visit"


def test_post_is_due_when_the_dose_is_done(study):
    due = next_due(study, "training", history(24), DAY0 + timedelta(days=48))
    assert (due.kind, due.visit, due.late) == ("visit", "post", False)


def test_post_is_due_when_its_window_opens_even_with_training_left(study):
    assert next_due(study, "training", history(20), DAY0 + timedelta(days=48)).kind == "training"
    due = next_due(study, "training", history(20), DAY0 + timedelta(days=49))
    assert (due.kind, due.visit, due.late) == ("visit", "post", False)


def test_a_visit_after_its_window_is_still_due_and_marked_late(study):
    due = next_due(study, "training", history(20), DAY0 + timedelta(days=71))
    assert (due.kind, due.visit, due.late) == ("visit", "post", True)
    assert "LATE" in due.text


def test_nothing_is_due_between_post_and_follow_up_then_follow_up_then_done(study):
    past = history(24, {"post": 50})
    due = next_due(study, "training", past, DAY0 + timedelta(days=60))
    assert (due.kind, due.visit) == ("wait", "follow_up")
    assert "opens on 2026-05-11" in due.text  # day 140 - 14 = day 126 after 2026-01-05
    assert next_due(study, "training", past, DAY0 + timedelta(days=126)).visit == "follow_up"
    done = past + [PastSession(len(past) + 1, DAY0 + timedelta(days=130), "follow_up")]
    assert next_due(study, "training", done, DAY0 + timedelta(days=131)).kind == "done"
