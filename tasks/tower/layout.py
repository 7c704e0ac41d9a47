"""Where the tower screen puts things, and in which colours (pure geometry, no PsychoPy).

Units are PsychoPy ``height`` units: the screen is 1 high, ``aspect`` wide,
(0, 0) in the middle. On a 1080-line screen 0.041 is 44 px, the smallest
click target allowed here (WCAG 2.1, 2.5.5 Target Size). Pieces are coloured
AND lettered (R/G/B, disk numbers) so colour-blind participants can play,
and every shape has an outline in the foreground colour; the default colours
have at least 3:1 contrast with the default black background (WCAG 2.1,
1.4.11 Non-text Contrast), checked in the tests.
"""
from __future__ import annotations

from dataclasses import dataclass

from cogtrain.tasks.tower.puzzle import Puzzle, State

#: Smallest click target and piece, in height units (44 px at 1080 lines).
MIN_TARGET = 44 / 1080

#: Piece colours by letter (ToL balls) and for disks 1..6 in order.
PIECE_COLOURS = {"R": "#E8383D", "G": "#2E9E44", "B": "#3F7CF0",
                 "Y": "#F2C80F", "P": "#B36BE8", "O": "#F28A1E"}
DISK_COLOURS = ("#F2C80F", "#3F7CF0", "#E8383D", "#2E9E44", "#B36BE8", "#F28A1E")


def relative_luminance(colour: str) -> float:
    """Relative luminance of ``#RRGGBB`` (WCAG 2.1 definition)."""
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(a: str, b: str) -> float:
    """WCAG contrast ratio of two ``#RRGGBB`` colours (1 to 21)."""
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def label_colour(fill: str) -> str:
    """Black or white, whichever reads better on ``fill``."""
    return "#000000" if contrast_ratio(fill, "#000000") >= contrast_ratio(fill, "#FFFFFF") else "#FFFFFF"


def piece_colour(puzzle: Puzzle, piece: str) -> str:
    """Fill colour of a ball (by letter) or disk (by number)."""
    return PIECE_COLOURS[piece] if puzzle.kind == "tol" else DISK_COLOURS[(int(piece) - 1) % len(DISK_COLOURS)]


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
class ScreenLayout:
    """The goal picture, the participant's pegs and the text around them."""

    goal: Board
    work: Board
    goal_label: tuple[float, float]
    work_label: tuple[float, float]
    status: tuple[float, float]
    message: tuple[float, float]
    button_size: tuple[float, float]
    skip_button: tuple[float, float]
    ready_button: tuple[float, float]
    side_by_side: bool


def screen_layout(puzzle: Puzzle, aspect: float) -> ScreenLayout:
    """Goal beside the participant's pegs on wide screens (aspect >= 1.45), above them otherwise."""
    half = aspect / 2
    button = (max(0.24, 4 * MIN_TARGET), max(0.066, 1.5 * MIN_TARGET))
    buttons_y = -0.455
    skip = (half - 0.04 - button[0] / 2, buttons_y)
    ready = (0.0, buttons_y)
    if aspect >= 1.45:
        width = half - 0.09
        goal = make_board(puzzle, -half + 0.05, -0.30, width, 0.62)
        work = make_board(puzzle, 0.04, -0.30, width, 0.62)
        return ScreenLayout(goal, work, (goal.left + width / 2, 0.37), (work.left + width / 2, 0.37),
                            (0.0, 0.455), (0.0, -0.38), button, skip, ready, True)
    width = min(aspect - 0.1, 1.0)
    goal = make_board(puzzle, -width / 2, 0.115, width, 0.27, lift_room=False)
    work = make_board(puzzle, -width / 2, -0.315, width, 0.36)
    return ScreenLayout(goal, work, (0.0, 0.425), (0.0, 0.075), (0.0, 0.472), (0.0, -0.39),
                        button, skip, ready, False)
