"""Screen geometry and colours: big click targets, readable contrast, everything on screen at any text size."""
import pytest

from cogtrain.config import PRESETS, DisplaySettings
from cogtrain.contrast import MIN_SHAPE_CONTRAST, MIN_TEXT_CONTRAST, contrast_ratio, hex_to_rgb
from cogtrain.tasks.tower.layout import (DISK_COLOURS, FRAME_PAD, LINE_HEIGHT, MIN_TARGET, PIECE_COLOURS, Band,
                                         label_colour, screen_layout, text_lines, text_width, wrap_parts)
from cogtrain.tasks.tower.puzzle import Puzzle

PUZZLES = [Puzzle.tower_of_london(), Puzzle.tower_of_hanoi(6), Puzzle.tower_of_london(5, (3, 3, 3, 3))]
#: Square, 5:4 (1280x1024), 16:10 (1280x800), 16:9 (1920x1080).
ASPECTS = [1.0, 1280 / 1024, 1280 / 800, 1920 / 1080]
#: Smallest allowed, standard, large_print, the largest a profile may need.
TEXT_HEIGHTS = [0.04, 0.05, 0.065, 0.08]


@pytest.mark.parametrize("preset", sorted(PRESETS))
@pytest.mark.parametrize("colour", [*PIECE_COLOURS.values(), *DISK_COLOURS])
def test_piece_letters_read_at_7_to_1_and_pieces_stand_out_at_3_to_1(colour, preset):
    background = DisplaySettings(preset=preset).background
    assert contrast_ratio(colour, background) >= MIN_SHAPE_CONTRAST
    assert contrast_ratio(colour, label_colour(colour)) >= MIN_TEXT_CONTRAST


def test_balls_stay_red_green_and_blue():
    for letter, channel in zip("RGB", range(3)):
        rgb = hex_to_rgb(PIECE_COLOURS[letter])
        assert rgb[channel] == max(rgb) and rgb[channel] - sorted(rgb)[1] >= 0x40, letter


def test_label_colour_picks_the_better_of_black_and_white():
    assert label_colour("#FFFF00") == "#000000"
    assert label_colour("#000080") == "#FFFFFF"


def test_wrapping_keeps_parts_whole_and_counts_lines():
    assert wrap_parts(["ab", "cd", "ef"], " · ", text_width("ab · cd", 0.1), 0.1) == ["ab · cd", "ef"]
    assert wrap_parts(["a very long part"], " ", 0.01, 0.1) == ["a very long part"]
    assert text_lines("one two three", text_width("one two", 0.1), 0.1) == 2
    assert text_lines("one\ntwo", 10.0, 0.1) == 2
    assert text_lines("one two", text_width("one two", 0.1), 0.1, bold=True) == 2


def boxes(layout, aspect):
    """Named (left, bottom, right, top) boxes of everything on the tower screen."""
    half, th = aspect / 2, layout.text_height
    full = (-half, -half)

    def band(b: Band, left_right=full):
        return (left_right[0], b.bottom, -left_right[1], b.top)

    g, w = layout.goal, layout.work
    found = {
        "status": band(layout.status),
        "goal frame": (g.left - FRAME_PAD, g.bottom - FRAME_PAD, g.left + g.width + FRAME_PAD,
                       g.bottom + g.height + FRAME_PAD),
        "work": (w.left, w.bottom, w.left + w.width, w.bottom + w.height),
        "peg numbers": band(layout.peg_numbers),
        "message": band(layout.message),
        "buttons": (-half, layout.skip_button[1] - layout.button_size[1] / 2,
                    half, layout.skip_button[1] + layout.button_size[1] / 2),
    }
    for name, text, b, board in (("goal label", "Copy this move", layout.goal_label, g),
                                 ("work label", "Your pegs", layout.work_label, w)):
        x, width = board.left + board.width / 2, min(text_width(text, th, bold=True), layout.label_width)
        found[name] = (x - width / 2, b.bottom, x + width / 2, b.top)
    return found


def overlap(a, b):
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@pytest.mark.parametrize("lines", [(1, 1), (2, 2), (3, 2)])
@pytest.mark.parametrize("text_height", TEXT_HEIGHTS)
@pytest.mark.parametrize("aspect", ASPECTS)
@pytest.mark.parametrize("puzzle", PUZZLES)
def test_nothing_is_cut_off_or_overlaps_at_any_text_height(puzzle, aspect, text_height, lines):
    label_width = screen_layout(puzzle, aspect, text_height).label_width
    label_lines = text_lines("Copy this move", label_width, text_height, bold=True)
    layout = screen_layout(puzzle, aspect, text_height, *lines, label_lines)
    found = boxes(layout, aspect)
    for name, (left, bottom, right, top) in found.items():
        assert -aspect / 2 <= left < right <= aspect / 2 and -0.5 <= bottom < top <= 0.5, name
    names = sorted(found)
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            assert not overlap(found[a], found[b]), (a, b)
    assert layout.status.lines == lines[0] and layout.message.lines == lines[1]
    assert layout.status.top - layout.status.bottom == pytest.approx(lines[0] * LINE_HEIGHT * layout.status_height)
    assert layout.message.top - layout.message.bottom == pytest.approx(lines[1] * LINE_HEIGHT * text_height)
    # the peg numbers grow with the text, and hang just below the pegs
    assert layout.peg_number_height == pytest.approx(0.8 * text_height)
    assert layout.work.bottom - 0.03 < layout.peg_numbers.top < layout.work.bottom


@pytest.mark.parametrize("text_height", TEXT_HEIGHTS)
@pytest.mark.parametrize("puzzle", PUZZLES)
def test_the_goal_goes_beside_on_landscape_screens_and_above_on_tall_ones(puzzle, text_height):
    for aspect in ASPECTS:
        assert screen_layout(puzzle, aspect, text_height, 2, 2).side_by_side
    tall = screen_layout(Puzzle.tower_of_london(), 9 / 16, 0.05, 2, 2)
    assert not tall.side_by_side and tall.work_label.top < tall.goal.bottom


@pytest.mark.parametrize("text_height", TEXT_HEIGHTS)
@pytest.mark.parametrize("aspect", ASPECTS)
@pytest.mark.parametrize("puzzle", PUZZLES)
def test_targets_are_large_and_pieces_stay_in_their_columns(puzzle, aspect, text_height):
    layout = screen_layout(puzzle, aspect, text_height, 2, 2)
    for board in (layout.goal, layout.work):
        assert -aspect / 2 <= board.left and board.left + board.width <= aspect / 2
    work = layout.work
    assert work.column >= MIN_TARGET and work.height >= MIN_TARGET and work.piece >= MIN_TARGET
    assert min(layout.button_size) >= MIN_TARGET
    assert layout.skip_button[0] + layout.button_size[0] / 2 <= aspect / 2
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
