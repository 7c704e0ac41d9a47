"""Data-quality flags of a session record."""
import doctest

import pytest

import cogtrain.quality
from cogtrain.quality import FLAGS, add_flag, flag_names


def test_docstring_examples_run():
    assert doctest.testmod(cogtrain.quality).failed == 0


def test_flags_accumulate_and_names_come_once_in_a_fixed_order():
    record = {}
    add_flag(record, "resumed", "run 2")
    add_flag(record, "aborted", "run 1")
    add_flag(record, "resumed", "run 3")
    assert len(record["flags"]) == 3
    assert flag_names(record) == ["resumed", "aborted"]


def test_unknown_flag_is_a_programming_error():
    with pytest.raises(ValueError, match="refresh_unmeasured"):
        add_flag({}, "resumd", "")


def test_every_flag_the_issue_names_exists():
    assert set(FLAGS) == {"resumed", "aborted", "abandoned", "settings_override", "profile_changed",
                          "screen_changed", "host_changed", "refresh_unmeasured", "refresh_changed"}


def test_malformed_flags_are_ignored_by_readers():
    assert flag_names({"flags": "resumed"}) == [] and flag_names([]) == []
