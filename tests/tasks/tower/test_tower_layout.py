"""Screen geometry and colours: big click targets, readable contrast, everything on screen."""
import pytest

from cogtrain.config import DisplaySettings
from cogtrain.tasks.tower.layout import (DISK_COLOURS, MIN_TARGET, PIECE_COLOURS, contrast_ratio, label_colour,
                                         screen_layout)
from cogtrain.tasks.tower.puzzle import Puzzle

PUZZLES = [Puzzle.tower_of_london(), Puzzle.tower_of_hanoi(6), Puzzle.tower_of_london(5, (3, 3, 3, 3))]
ASPECTS = [1.0, 1.25, 1.6, 16 / 9]


def test_contrast_ratio_matches_wcag_examples():
    assert contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21)
    assert contrast_ratio("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.01)


@pytest.mark.parametrize("colour", [*PIECE_COLOURS.values(), *DISK_COLOURS])
def test_pieces_contrast_with_the_default_background_and_carry_readable_labels(colour):
    display = DisplaySettings()
    assert contrast_ratio(colour, display.background) >= 3.0
    assert contrast_ratio(colour, label_colour(colour)) >= 4.5


@pytest.mark.parametrize("aspect", ASPECTS)
@pytest.mark.parametrize("puzzle", PUZZLES)
def test_targets_are_large_and_everything_is_on_screen(puzzle, aspect):
    layout = screen_layout(puzzle, aspect)
    assert layout.side_by_side == (aspect >= 1.45)
    for board in (layout.goal, layout.work):
        assert -aspect / 2 <= board.left and board.left + board.width <= aspect / 2
        assert -0.5 <= board.bottom and board.bottom + board.height <= 0.5
    work = layout.work
    assert work.column >= MIN_TARGET and work.height >= MIN_TARGET and work.piece >= MIN_TARGET
    assert min(layout.button_size) >= MIN_TARGET
    assert layout.skip_button[0] + layout.button_size[0] / 2 <= aspect / 2
    # the boards do not overlap
    top, bottom = sorted((layout.goal, layout.work), key=lambda b: -b.bottom)
    assert layout.side_by_side or bottom.bottom + bottom.height < top.bottom
    # every piece and lifted piece lies in its peg's column and below the board's top
    state = puzzle.all_states()[0]
    for peg in range(puzzle.n_pegs):
        x, y = work.lifted_pos(peg)
        assert work.peg_at(x, y) == peg and y + work.piece / 2 <= work.bottom + work.height + 1e-9
    for piece, x, y in work.pieces(state):
        assert work.peg_at(x, y) is not None and work.piece_width(piece) <= work.column


def test_peg_at_outside_the_board_is_none():
    work = screen_layout(Puzzle.tower_of_london(), 1.6).work
    assert work.peg_at(work.left - 0.01, work.bottom + 0.1) is None
    assert work.peg_at(work.left + 0.01, work.bottom + work.height + 0.01) is None
