"""The two tower puzzles: states, their notation, and the rules of a move.

A state is a tuple of strings, one per peg from left to right, each string
listing the peg's pieces from bottom to top. The text notation
(docs/data-format.md) joins the pegs with ``|``: Tower of London balls are ``R``, ``G``,
``B`` (``RG|B|`` = R under G on peg 0, B on peg 1, peg 2 empty); Tower of Hanoi
disks are ``1``..``n`` with 1 the smallest (``321||``). Moves are ``from>to``
peg indices, joined by ``;`` (``0>2;1>0``).
"""
from __future__ import annotations

from dataclasses import dataclass
from itertools import permutations, product
from math import factorial
from typing import Literal

State = tuple[str, ...]
Move = tuple[int, int]

#: Ball letters in the order they are used; the first three are the classic
#: red, green and blue of Shallice (1982). Extra balls (up to 6) are yellow,
#: purple and orange.
BALL_LETTERS = "RGBYPO"


@dataclass(frozen=True)
class Puzzle:
    """One tower puzzle: the pieces, the pegs and the rule that limits a peg.

    Parameters
    ----------
    kind : {"tol", "hanoi"}
        Tower of London (capacity-limited pegs, any order) or Tower of Hanoi
        (a disk never on a smaller one).
    pieces : str
        The pieces' letters: ``"RGB"`` for the 3-ball ToL, ``"123"`` for 3 disks.
    capacities : tuple of int
        How many pieces each peg holds, left to right.
    """

    kind: Literal["tol", "hanoi"]
    pieces: str
    capacities: tuple[int, ...]

    @classmethod
    def tower_of_london(cls, balls: int = 3, capacities: tuple[int, ...] = (3, 2, 1)) -> "Puzzle":
        """The Tower of London with ``balls`` coloured balls (Shallice, 1982: 3 balls, pegs 3-2-1)."""
        return cls("tol", BALL_LETTERS[:balls], tuple(capacities))

    @classmethod
    def tower_of_hanoi(cls, disks: int = 3, pegs: int = 3) -> "Puzzle":
        """The Tower of Hanoi with ``disks`` disks on ``pegs`` pegs (each peg holds them all)."""
        return cls("hanoi", "".join(str(d) for d in range(1, disks + 1)), (disks,) * pegs)

    @property
    def n_pegs(self) -> int:
        """Number of pegs."""
        return len(self.capacities)

    @property
    def key(self) -> str:
        """Short name of the puzzle's problem space, e.g. ``tol3-321`` or ``hanoi4``."""
        if self.kind == "hanoi":
            return f"hanoi{len(self.pieces)}" + ("" if self.n_pegs == 3 else f"-{self.n_pegs}pegs")
        return f"tol{len(self.pieces)}-" + "".join(str(c) for c in self.capacities)

    # -- notation ----------------------------------------------------------
    def format_state(self, state: State) -> str:
        """State as text, e.g. ``RG|B|``."""
        return "|".join(state)

    def parse_state(self, text: str) -> State:
        """Parse ``RG|B|`` into a state, checking it is a legal arrangement of this puzzle.

        Raises
        ------
        ValueError
            Naming the text and what was expected.
        """
        pegs = tuple(str(text).strip().upper().split("|"))
        expected = ("pegs left to right separated by '|', bottom to top, "
                    f"using each of {' '.join(self.pieces)} once")
        if len(pegs) != self.n_pegs or sorted("".join(pegs)) != sorted(self.pieces):
            raise ValueError(f"state {text!r} is not a {self.key} state; expected {self.n_pegs} {expected}")
        for i, peg in enumerate(pegs):
            if len(peg) > self.capacities[i]:
                raise ValueError(f"state {text!r}: peg {i} holds {len(peg)} pieces, "
                                 f"its capacity is {self.capacities[i]}")
            if self.kind == "hanoi" and list(peg) != sorted(peg, reverse=True):
                raise ValueError(f"state {text!r}: peg {i} has a larger disk on a smaller one")
        return pegs

    # -- rules -------------------------------------------------------------
    def illegal_reason(self, state: State, move: Move) -> str | None:
        """Why ``move`` is not allowed in ``state`` (None when it is legal)."""
        src, dst = move
        if not (0 <= src < len(state) and 0 <= dst < len(state)):
            return "no such peg"
        if src == dst:
            return "same peg"
        if not state[src]:
            return "empty peg"
        return self._blocked(state, src, dst)

    def _blocked(self, state: State, src: int, dst: int) -> str | None:
        """Why the top piece of non-empty peg ``src`` may not go on peg ``dst`` (None: it may)."""
        target = state[dst]
        if len(target) >= self.capacities[dst]:
            return "peg full"
        if self.kind == "hanoi" and target and int(target[-1]) < int(state[src][-1]):
            return "larger on smaller"
        return None

    def apply(self, state: State, move: Move) -> State:
        """The state after a legal ``move`` (raises ValueError for an illegal one)."""
        reason = self.illegal_reason(state, move)
        if reason:
            raise ValueError(f"move {format_moves([move])} is illegal in {self.format_state(state)}: {reason}")
        return _shift(state, *move)

    def successors(self, state: State) -> list[tuple[Move, State]]:
        """Every legal move from ``state`` with the state it leads to, in peg order."""
        found = []
        for src, peg in enumerate(state):
            if not peg:
                continue
            for dst in range(len(state)):
                if dst != src and self._blocked(state, src, dst) is None:
                    found.append(((src, dst), _shift(state, src, dst)))
        return found

    def count_states(self) -> int:
        """Number of legal arrangements, counted without listing them."""
        if self.kind == "hanoi":
            return self.n_pegs ** len(self.pieces)
        shapes = sum(1 for sizes in product(*(range(c + 1) for c in self.capacities))
                     if sum(sizes) == len(self.pieces))
        return shapes * factorial(len(self.pieces))

    def all_states(self) -> list[State]:
        """Every legal arrangement of the pieces, in a fixed order."""
        if self.kind == "hanoi":
            states = []
            for assignment in product(range(self.n_pegs), repeat=len(self.pieces)):
                pegs = ["" for _ in range(self.n_pegs)]
                for disk in reversed(self.pieces):  # largest first = bottom
                    pegs[assignment[int(disk) - 1]] += disk
                states.append(tuple(pegs))
            return states
        states = []
        for order in permutations(self.pieces):
            for sizes in product(*(range(c + 1) for c in self.capacities)):
                if sum(sizes) != len(self.pieces):
                    continue
                pegs, at = [], 0
                for size in sizes:
                    pegs.append("".join(order[at:at + size]))
                    at += size
                states.append(tuple(pegs))
        return states

    def configuration(self, state: State) -> str:
        """Shape of a state, ignoring colours: ``tower`` (all pieces on one peg),
        ``flat`` (no peg holds two pieces) or ``partial`` (the rest).

        Goal states that are towers fix the order of the final moves, flat goals
        leave it ambiguous (goal hierarchy; Kaller et al., 2004, Cognitive Brain
        Research 20, 462-472).
        """
        heights = [len(p) for p in state]
        if max(heights) == len(self.pieces):
            return "tower"
        if max(heights) <= 1:
            return "flat"
        return "partial"


def _shift(state: State, src: int, dst: int) -> State:
    """Move the top piece of peg ``src`` onto peg ``dst`` (no rule check)."""
    pegs = list(state)
    pegs[dst] += pegs[src][-1]
    pegs[src] = pegs[src][:-1]
    return tuple(pegs)


def format_moves(moves: list[Move] | tuple[Move, ...]) -> str:
    """Moves as text, e.g. ``0>2;1>0`` (empty string for no moves)."""
    return ";".join(f"{a}>{b}" for a, b in moves)


def parse_moves(text: str | float | None) -> list[Move]:
    """Parse ``0>2;1>0`` (empty text, None or NaN: no moves).

    Raises
    ------
    ValueError
        When a part is not ``from>to`` with integer pegs.
    """
    if text is None or (isinstance(text, float) and text != text) or str(text).strip() == "":
        return []
    moves = []
    for part in str(text).split(";"):
        src, sep, dst = part.partition(">")
        if not sep or not src.strip().isdigit() or not dst.strip().isdigit():
            raise ValueError(f"move {part!r} in {text!r} is not 'from>to' with peg numbers")
        moves.append((int(src), int(dst)))
    return moves
