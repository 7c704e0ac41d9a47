"""Where the tower screen puts things, and in which colours (pure geometry, no PsychoPy).

Units are PsychoPy ``height`` units: the screen is 1 high, ``aspect`` wide,
(0, 0) in the middle. On a 1080-line screen 0.041 is 44 px, the smallest
click target allowed here (WCAG 2.1, 2.5.5 Target Size). Pieces are coloured
AND lettered (R/G/B, disk numbers) so colour-blind participants can play,
and every shape has an outline in the foreground colour. The fills are light
enough for black letters at 7:1 or more (text, WCAG 2.1, 1.4.6) and differ
from a black background by 3:1 or more (WCAG 2.1, 1.4.11 Non-text Contrast),
checked in the tests with :mod:`cogtrain.contrast`.

The text around the pictures grows with the display's text height: the screen
is cut into bands from the top (status line, labels) and the bottom (Skip
button, message, peg numbers), each as tall as its lines of text, and the
pictures get what is left. Lines are counted with an estimated character width
(:func:`text_lines`), so the bands are reserved before any text is drawn.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from cogtrain.contrast import contrast_ratio
from cogtrain.layout import MIN_TARGET_PX
from cogtrain.tasks.tower.puzzle import Puzzle, State

#: Smallest click target and piece, in height units (44 px at 1080 lines).
MIN_TARGET = MIN_TARGET_PX / 1080

#: Piece colours by letter (ToL balls): light fills that carry black letters at >= 7:1.
PIECE_COLOURS = {"R": "#FF7A7A", "G": "#3DBE55", "B": "#76A9FF",
                 "Y": "#F2C80F", "P": "#C58AF0", "O": "#F28A1E"}
#: Colours of Hanoi disks 1..6 in order (the same palette).
DISK_COLOURS = tuple(PIECE_COLOURS[letter] for letter in "YBRGPO")

#: Estimated width of one character, in units of the text height (DejaVu Sans
#: sentences measure 0.47-0.52; the margin covers capitals, digits and other fonts).
CHAR_WIDTH = 0.55
#: Bold text is this much wider (DejaVu Sans Bold: 1.13-1.15).
BOLD_WIDTH = 1.15
#: Height of one line of text, in units of the text height (DejaVu Sans: 1.16).
LINE_HEIGHT = 1.2
#: Status line and footer height, relative to the display's text height.
STATUS_SCALE = 0.75
#: Peg number height, relative to the display's text height (0.04 at the standard 0.05).
PEG_NUMBER_SCALE = 0.8
#: Space kept free at the screen's edges.
EDGE = 0.015
#: Space between two bands, or a band and a picture.
GAP = 0.012
#: How far the goal picture's frame reaches beyond its board.
FRAME_PAD = 0.01


def label_colour(fill: str) -> str:
    """Black or white, whichever reads better on ``fill``."""
    return "#000000" if contrast_ratio(fill, "#000000") >= contrast_ratio(fill, "#FFFFFF") else "#FFFFFF"


def piece_colour(puzzle: Puzzle, piece: str) -> str:
    """Fill colour of a ball (by letter) or disk (by number)."""
    return PIECE_COLOURS[piece] if puzzle.kind == "tol" else DISK_COLOURS[(int(piece) - 1) % len(DISK_COLOURS)]


def text_width(text: str, height: float, bold: bool = False) -> float:
    """Estimated width of one line of ``text`` drawn ``height`` high."""
    return len(text) * CHAR_WIDTH * height * (BOLD_WIDTH if bold else 1.0)


def wrap_parts(parts: Sequence[str], separator: str, width: float, height: float,
               bold: bool = False) -> list[str]:
    """Join ``parts`` with ``separator`` into as few lines as fit ``width``; a part is never split.

    Parameters
    ----------
    parts : sequence of str
        Pieces of text that stay whole (e.g. ``"Moves: 3 of 20"``).
    separator : str
        Put between parts on the same line.
    width, height : float
        Line width and text height, in height units.
    bold : bool
        Bold text (wider).

    Returns
    -------
    list of str
        The lines, each as long as fits (a part longer than ``width`` gets a line of its own).
    """
    lines: list[str] = []
    for part in parts:
        joined = f"{lines[-1]}{separator}{part}" if lines else part
        if lines and text_width(joined, height, bold) <= width:
            lines[-1] = joined
        else:
            lines.append(part)
    return lines


def text_lines(text: str, width: float, height: float, bold: bool = False) -> int:
    """Number of lines ``text`` takes when wrapped at spaces (and line breaks) to ``width``."""
    return sum(len(wrap_parts(line.split(" "), " ", width, height, bold)) for line in text.split("\n"))


@dataclass(frozen=True)
class Board:
    """Pegs of one picture of the puzzle (the goal, or the participant's pegs).

    Attributes
    ----------
    puzzle : Puzzle
    left, bottom, width, height : float
        The board's region; each peg owns a column of it (its click target).
    piece : float
        Ball diameter, or disk height.
    """

    puzzle: Puzzle
    left: float
    bottom: float
    width: float
    height: float
    piece: float

    @property
    def column(self) -> float:
        """Width of one peg's column."""
        return self.width / self.puzzle.n_pegs

    @property
    def base_y(self) -> float:
        """Top of the base plate, where the lowest piece rests."""
        return self.bottom + 0.25 * self.piece

    def peg_x(self, peg: int) -> float:
        """Horizontal centre of a peg."""
        return self.left + (peg + 0.5) * self.column

    def peg_height(self, peg: int) -> float:
        """Peg length: shows how many pieces it holds (3-2-1 in the classic ToL)."""
        return (self.puzzle.capacities[peg] + 0.3) * self.piece

    def piece_pos(self, peg: int, level: int) -> tuple[float, float]:
        """Centre of the piece at ``level`` (0 = bottom) on ``peg``."""
        return self.peg_x(peg), self.base_y + (level + 0.5) * self.piece

    def lifted_pos(self, peg: int) -> tuple[float, float]:
        """Where a selected piece is shown: raised above the tallest peg."""
        top = max(self.peg_height(p) for p in range(self.puzzle.n_pegs))
        return self.peg_x(peg), self.base_y + top + 0.55 * self.piece

    def piece_width(self, piece: str) -> float:
        """Ball diameter, or disk width growing with the disk number."""
        if self.puzzle.kind == "tol":
            return self.piece
        n = len(self.puzzle.pieces)
        return self.column * (0.35 + 0.55 * (int(piece) - 1) / max(n - 1, 1))

    def peg_at(self, x: float, y: float) -> int | None:
        """The peg whose column contains (x, y), or None."""
        if not (self.bottom <= y <= self.bottom + self.height and self.left <= x < self.left + self.width):
            return None
        return min(int((x - self.left) / self.column), self.puzzle.n_pegs - 1)

    def pieces(self, state: State, lifted: int | None = None):
        """Yield ``(piece, x, y)`` for every piece; the top piece of peg ``lifted`` is raised."""
        for peg, stack in enumerate(state):
            for level, piece in enumerate(stack):
                raised = peg == lifted and level == len(stack) - 1
                yield (piece, *(self.lifted_pos(peg) if raised else self.piece_pos(peg, level)))


def make_board(puzzle: Puzzle, left: float, bottom: float, width: float, height: float,
               lift_room: bool = True) -> Board:
    """Fit the puzzle into a region: pieces as large as the region allows.

    ``lift_room`` keeps space above the pegs for a lifted piece (not needed
    for a goal picture that has its own, smaller region).
    """
    tallest = max(puzzle.capacities)
    piece = height / (tallest + (1.65 if lift_room else 0.6))  # pegs, base plate, lifted piece
    if puzzle.kind == "tol":
        piece = min(piece, 0.8 * width / puzzle.n_pegs)
    return Board(puzzle, left, bottom, width, height, piece)


@dataclass(frozen=True)
class Band:
    """A horizontal strip of the screen kept for text.

    Attributes
    ----------
    bottom, top : float
        Its lower and upper edge.
    lines : int
        Lines of text it holds.
    """

    bottom: float
    top: float
    lines: int = 1

    @property
    def y(self) -> float:
        """Vertical centre (text drawn centred here fills the band from the middle)."""
        return (self.bottom + self.top) / 2

    @classmethod
    def below(cls, top: float, text_height: float, lines: int = 1) -> Band:
        """The band of ``lines`` lines of ``text_height`` text hanging from ``top``."""
        return cls(top - lines * LINE_HEIGHT * text_height, top, lines)

    @classmethod
    def above(cls, bottom: float, text_height: float, lines: int = 1) -> Band:
        """The band of ``lines`` lines of ``text_height`` text standing on ``bottom``."""
        return cls(bottom, bottom + lines * LINE_HEIGHT * text_height, lines)


@dataclass(frozen=True)
class ScreenLayout:
    """The goal picture, the participant's pegs and the text around them.

    Attributes
    ----------
    goal, work : Board
        The goal picture and the participant's pegs.
    text_height : float
        The display's text height (labels and message); the status line is
        :data:`STATUS_SCALE` of it, the peg numbers :data:`PEG_NUMBER_SCALE`.
    text_width : float
        Width the status line and the message wrap to.
    label_width : float
        Width the labels above the pictures wrap to (a picture's width beside the other).
    status, goal_label, work_label, peg_numbers, message : Band
        Where each text goes (the labels are centred above their pictures).
    button_size, skip_button, ready_button : tuple of float
        Buttons' size and centres (Skip at the right, Ready in the middle).
    side_by_side : bool
        Goal left of the participant's pegs (else above them).
    """

    goal: Board
    work: Board
    text_height: float
    text_width: float
    label_width: float
    status: Band
    goal_label: Band
    work_label: Band
    peg_numbers: Band
    message: Band
    button_size: tuple[float, float]
    skip_button: tuple[float, float]
    ready_button: tuple[float, float]
    side_by_side: bool

    @property
    def status_height(self) -> float:
        """Text height of the status line."""
        return STATUS_SCALE * self.text_height

    @property
    def peg_number_height(self) -> float:
        """Text height of the peg numbers."""
        return PEG_NUMBER_SCALE * self.text_height


def screen_layout(puzzle: Puzzle, aspect: float, text_height: float = 0.05, status_lines: int = 1,
                  message_lines: int = 1, label_lines: int = 1, min_target: float = MIN_TARGET) -> ScreenLayout:
    """Cut the screen into text bands and pictures for text ``text_height`` high.

    From the top: the status line (``status_lines`` lines), then the labels
    (``label_lines`` lines) and pictures; from the bottom: the buttons (or the
    footer), the message (``message_lines`` lines) and the peg numbers. The goal goes beside the
    participant's pegs or above them, whichever leaves the larger pieces:
    beside on landscape screens (the text bands take height from both pictures
    when they are stacked), above on tall ones.

    Parameters
    ----------
    puzzle : Puzzle
    aspect : float
        Window width / height.
    text_height : float
        The display's text height.
    status_lines, message_lines, label_lines : int
        Lines the longest status line and message take at :attr:`ScreenLayout.text_width`,
        and the longest label at :attr:`ScreenLayout.label_width` (see :func:`wrap_parts`
        and :func:`text_lines`).
    min_target : float
        The smallest click target on this screen (44 px in height units: larger on screens
        of fewer than 1080 lines).

    Returns
    -------
    ScreenLayout
    """
    half = aspect / 2
    button = (max(0.24, 4 * min_target), max(0.066, 1.1 * min_target))
    bottom_row = max(button[1], LINE_HEIGHT * STATUS_SCALE * text_height)  # buttons, or the footer
    buttons_y = -0.5 + EDGE + bottom_row / 2
    message = Band.above(-0.5 + EDGE + bottom_row + GAP, text_height, message_lines)
    peg_numbers = Band.above(message.top + GAP, PEG_NUMBER_SCALE * text_height)
    status = Band.below(0.5 - EDGE, STATUS_SCALE * text_height, status_lines)
    label = Band.below(status.bottom - GAP, text_height, label_lines)
    floor, ceiling = peg_numbers.top + GAP, label.bottom - GAP - FRAME_PAD
    side_width = half - 0.09  # a picture's width beside the other
    common = dict(text_height=text_height, text_width=aspect - 2 * EDGE, label_width=side_width, status=status,
                  peg_numbers=peg_numbers, message=message, button_size=button,
                  skip_button=(half - 0.04 - button[0] / 2, buttons_y), ready_button=(0.0, buttons_y))
    # stacked: goal label, goal, its frame, work label, work (goal 3/7 of the pictures' height)
    width = min(aspect - 0.1, 1.0)
    pictures = ceiling - floor - 2 * FRAME_PAD - 3 * GAP - label_lines * LINE_HEIGHT * text_height
    goal = make_board(puzzle, -width / 2, ceiling - 3 / 7 * pictures, width, 3 / 7 * pictures, lift_room=False)
    work_label = Band.below(goal.bottom - FRAME_PAD - GAP, text_height, label_lines)
    work = make_board(puzzle, -width / 2, floor, width, work_label.bottom - GAP - floor)
    stacked = ScreenLayout(goal, work, goal_label=label, work_label=work_label, side_by_side=False, **common)
    goal = make_board(puzzle, -half + 0.05, floor, side_width, ceiling - floor)
    work = make_board(puzzle, 0.04, floor, side_width, ceiling - floor)
    beside = ScreenLayout(goal, work, goal_label=label, work_label=label, side_by_side=True, **common)
    return beside if beside.work.piece >= stacked.work.piece else stacked
