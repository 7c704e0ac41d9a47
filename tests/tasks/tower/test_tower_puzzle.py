"""Puzzle rules and the state/move notation of docs/data-format.md."""
import pytest

from cogtrain.tasks.tower.puzzle import Puzzle, format_moves, parse_moves

TOL = Puzzle.tower_of_london()
HANOI = Puzzle.tower_of_hanoi(3)


def test_notation_round_trips_the_documented_examples():
    assert TOL.parse_state("RG|B|") == ("RG", "B", "")
    assert TOL.format_state(("RG", "B", "")) == "RG|B|"
    assert HANOI.parse_state("321||") == ("321", "", "")
    assert format_moves([(0, 2), (1, 0)]) == "0>2;1>0"
    assert parse_moves("0>2;1>0") == [(0, 2), (1, 0)]
    assert parse_moves("") == [] and parse_moves(float("nan")) == [] and parse_moves(None) == []


@pytest.mark.parametrize("text", [
    "RGB|B|",  # a ball twice
    "RG|B",  # a peg missing
    "R||GB",  # two balls on the 1-ball peg
    "RGB|||",  # a peg too many
    "RX|G|B",  # unknown ball
    "|RGB|",  # three balls on the 2-ball peg
])
def test_bad_tol_states_are_refused(text):
    with pytest.raises(ValueError, match="state"):
        TOL.parse_state(text)


def test_hanoi_state_with_larger_on_smaller_is_refused():
    with pytest.raises(ValueError, match="larger disk"):
        HANOI.parse_state("123||")


def test_bad_move_text_is_refused():
    with pytest.raises(ValueError, match="from>to"):
        parse_moves("0-2")


def test_rules():
    start = TOL.parse_state("RG|B|")
    assert TOL.illegal_reason(start, (0, 2)) is None
    assert TOL.apply(start, (0, 2)) == ("R", "B", "G")
    assert TOL.illegal_reason(("R", "B", "G"), (0, 2)) == "peg full"
    assert TOL.illegal_reason(start, (2, 0)) == "empty peg"
    assert TOL.illegal_reason(start, (1, 1)) == "same peg"
    assert TOL.illegal_reason(start, (1, 5)) == "no such peg"
    assert HANOI.illegal_reason(("32", "1", ""), (0, 1)) == "larger on smaller"
    assert HANOI.apply(("32", "1", ""), (1, 0)) == ("321", "", "")
    with pytest.raises(ValueError, match="illegal"):
        TOL.apply(("R", "B", "G"), (0, 2))


def test_successors_are_exactly_the_legal_moves():
    for puzzle in (TOL, HANOI):
        for state in puzzle.all_states():
            moves = [m for m, _ in puzzle.successors(state)]
            legal = [(a, b) for a in range(3) for b in range(3) if puzzle.illegal_reason(state, (a, b)) is None]
            assert moves == legal


def test_configurations():
    assert TOL.configuration(("RGB", "", "")) == "tower"
    assert TOL.configuration(("R", "G", "B")) == "flat"
    assert TOL.configuration(("RG", "B", "")) == "partial"
    assert Puzzle.tower_of_london(5, (3, 3, 3)).key == "tol5-333"
    assert Puzzle.tower_of_hanoi(6).key == "hanoi6"


def test_count_states_matches_the_listing():
    for puzzle in (TOL, HANOI, Puzzle.tower_of_london(4, (2, 2, 2)), Puzzle.tower_of_london(3, (1, 1, 1, 1))):
        assert puzzle.count_states() == len(puzzle.all_states()) == len(set(puzzle.all_states()))
