"""An independent, deliberately plain implementation of the tower rules for the tests.

It shares no code with ``cogtrain.tasks.tower``: states are parsed from the
notation text, moves generated and distances found by a textbook BFS.
"""
from __future__ import annotations

from collections import deque


def neighbours(text: str, kind: str, capacities: list[int]) -> list[str]:
    """States one legal move away from ``text`` (state notation)."""
    pegs = text.split("|")
    found = []
    for a in range(len(pegs)):
        for b in range(len(pegs)):
            if a == b or not pegs[a] or len(pegs[b]) >= capacities[b]:
                continue
            if kind == "hanoi" and pegs[b] and int(pegs[b][-1]) < int(pegs[a][-1]):
                continue
            new = list(pegs)
            new[b] = new[b] + new[a][-1]
            new[a] = new[a][:-1]
            found.append("|".join(new))
    return found


def bfs(start: str, kind: str, capacities: list[int]) -> dict[str, int]:
    """Distance from ``start`` to every reachable state."""
    dist = {start: 0}
    queue = deque([start])
    while queue:
        here = queue.popleft()
        for nxt in neighbours(here, kind, capacities):
            if nxt not in dist:
                dist[nxt] = dist[here] + 1
                queue.append(nxt)
    return dist


def replay(start: str, sequence: str, kind: str, capacities: list[int]) -> str:
    """Play ``0>2;1>0`` from ``start``; raise AssertionError on an illegal move."""
    state = start
    for part in filter(None, str(sequence).split(";")):
        a, b = (int(x) for x in part.split(">"))
        pegs = state.split("|")
        assert pegs[a], f"move {part} from an empty peg in {state}"
        assert len(pegs[b]) < capacities[b], f"move {part} onto a full peg in {state}"
        if kind == "hanoi" and pegs[b]:
            assert int(pegs[b][-1]) > int(pegs[a][-1]), f"move {part}: larger on smaller in {state}"
        pegs[b] += pegs[a][-1]
        pegs[a] = pegs[a][:-1]
        state = "|".join(pegs)
    return state
