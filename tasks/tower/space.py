"""The problem space of a tower puzzle: every state, every move, every minimum distance.

The space is the graph whose nodes are the puzzle's states and whose edges
are legal moves (moves are reversible, so it is undirected). Minimum move
counts are breadth-first distances; all pairs are computed once per puzzle
(every source's BFS at once, bit-parallel) and cached, so drawing problems
afterwards is a table look-up.

Known sizes, checked in the tests: the 3-ball Tower of London with pegs 3-2-1
has 36 states and a diameter of 8 moves (Berg & Byrd, 2002, J Clin Exp
Neuropsychol 24, 586-604; Kaller et al., 2004); the Tower of Hanoi with n
disks has 3**n states and 2**n - 1 moves from one full tower to another
(Lucas, 1883).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache, cached_property

import numpy as np

from cogtrain.tasks.tower.puzzle import Move, Puzzle, State

#: Distance written for pairs of states that no sequence of moves connects.
UNREACHABLE = -1


@dataclass(frozen=True, eq=False)
class ProblemSpace:
    """All states of a puzzle with their moves and pairwise minimum distances.

    Build it with :func:`problem_space` (cached per puzzle).

    Attributes
    ----------
    puzzle : Puzzle
    states : list of State
        Node order; ``index[state]`` is a state's row in ``distances``.
    index : dict
    neighbours : list of list of (Move, int)
        For each state, its legal moves and the index of the state they lead to.
    distances : ndarray of int16, shape (n, n)
        Minimum number of moves between two states (``UNREACHABLE`` if none).
    """

    puzzle: Puzzle
    states: list[State]
    index: dict[State, int]
    neighbours: list[list[tuple[Move, int]]]
    distances: np.ndarray

    @property
    def n_states(self) -> int:
        """Number of states."""
        return len(self.states)

    @property
    def diameter(self) -> int:
        """Largest minimum distance between two connected states."""
        return int(self.distances.max())

    @cached_property
    def configurations(self) -> np.ndarray:
        """Each state's shape (``tower``/``partial``/``flat``), aligned with ``states``."""
        return np.array([self.puzzle.configuration(s) for s in self.states])

    def distance(self, start: State, goal: State) -> int:
        """Minimum number of moves from ``start`` to ``goal``."""
        return int(self.distances[self.index[start], self.index[goal]])

    def optimal_moves(self, state: State, goal: State) -> list[Move]:
        """The legal moves from ``state`` that lie on a shortest path to ``goal``."""
        g = self.index[goal]
        here = self.distances[self.index[state], g]
        return [m for m, j in self.neighbours[self.index[state]] if self.distances[j, g] == here - 1]

    def optimal_path(self, start: State, goal: State, rng: np.random.Generator | None = None) -> list[Move]:
        """One shortest move sequence (the first optimal move each time, or a random one with ``rng``)."""
        if self.distance(start, goal) == UNREACHABLE:
            raise ValueError(f"{self.puzzle.format_state(goal)} cannot be reached from "
                             f"{self.puzzle.format_state(start)}")
        path, state = [], start
        while state != goal:
            options = self.optimal_moves(state, goal)
            move = options[int(rng.integers(len(options)))] if rng is not None else options[0]
            path.append(move)
            state = self.puzzle.apply(state, move)
        return path

    def n_optimal_paths(self, start: State, goal: State) -> int:
        """Number of distinct shortest move sequences from ``start`` to ``goal``.

        Problems with one optimal path leave no choice at any step; several
        paths make the problem more forgiving (cf. Berg & Byrd, 2002).
        """
        return int(self._path_counts(self.index[goal])[self.index[start]])

    @cache  # noqa: B019 - one table per goal; the space lives as long as the process
    def _path_counts(self, goal: int) -> np.ndarray:
        """For every state, how many shortest paths lead from it to ``goal``."""
        dist = self.distances[:, goal]
        counts = np.zeros(self.n_states, dtype=np.int64)
        counts[goal] = 1
        for i in np.argsort(dist, kind="stable"):
            if dist[i] > 0:
                counts[i] = sum(counts[j] for _, j in self.neighbours[i] if dist[j] == dist[i] - 1)
        return counts


def all_pairs_distances(neighbours: np.ndarray) -> np.ndarray:
    """Breadth-first distances between every pair of nodes, all sources at once.

    Row ``v`` of ``reached`` holds, as packed bits, the sources whose search
    has reached ``v``; one BFS layer ORs in the rows of ``v``'s neighbours.
    The layer at which a bit first appears is that pair's distance, recorded
    bit-sliced (plane ``b`` collects the pairs whose distance has bit ``b``),
    so only a few planes are unpacked at the end. Hanoi 6 (729 nodes): ~4 ms.

    Parameters
    ----------
    neighbours : ndarray of int, shape (n, k)
        Each node's neighbours, padded with -1.

    Returns
    -------
    ndarray of int16, shape (n, n)
        Distances, ``UNREACHABLE`` where no path exists.
    """
    n = len(neighbours)
    idx = np.arange(n)
    reached = np.zeros((n, (n + 63) // 64), np.uint64)
    reached[idx, idx // 64] = np.left_shift(np.uint64(1), (idx % 64).astype(np.uint64))
    columns = np.where(neighbours < 0, idx[:, None], neighbours).T
    planes: list[np.ndarray] = []
    layer = 0
    while True:
        grown = reached.copy()
        for column in columns:
            grown |= reached[column]
        new = grown & ~reached
        if not new.any():
            break
        layer += 1
        reached = grown
        while len(planes) < layer.bit_length():
            planes.append(np.zeros_like(reached))
        for bit in range(layer.bit_length()):
            if layer >> bit & 1:
                planes[bit] |= new

    def unpack(packed: np.ndarray) -> np.ndarray:
        return np.unpackbits(packed.astype("<u8").view(np.uint8), axis=1, bitorder="little")[:, :n]

    dist = np.zeros((n, n), np.uint8 if layer < 256 else np.uint16)
    for bit, plane in enumerate(planes):
        dist |= unpack(plane).astype(dist.dtype, copy=False) << bit
    out = dist.T.astype(np.int16)
    out[unpack(reached).T == 0] = UNREACHABLE
    return out


@cache
def problem_space(puzzle: Puzzle) -> ProblemSpace:
    """Build (once per puzzle, then cached) the full state graph and its distance table."""
    states = puzzle.all_states()
    index = {s: i for i, s in enumerate(states)}
    neighbours = [[(m, index[t]) for m, t in puzzle.successors(s)] for s in states]
    padded = np.full((len(states), max(len(nb) for nb in neighbours)), -1, dtype=np.int64)
    for i, nb in enumerate(neighbours):
        padded[i, :len(nb)] = [j for _, j in nb]
    return ProblemSpace(puzzle, states, index, neighbours, all_pairs_distances(padded))
