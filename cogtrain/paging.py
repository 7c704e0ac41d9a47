"""Cut a text that does not fit one screen into pages, and keep last words together (pure: the caller measures).

Pages break between paragraphs (blank lines) where possible, else between
lines, else between words.
"""
from __future__ import annotations

from typing import Callable


def paginate(text: str, fits: Callable[[str], bool]) -> list[str]:
    """``text`` as few pages as ``fits`` (does this text fit one screen?) allows.

    Examples
    --------
    >>> paginate("one two\\n\\nthree four", lambda t: len(t) <= 10)
    ['one two', 'three four']
    """
    if fits(text):
        return [text]
    pages: list[str] = []
    current = ""
    for chunk in _chunks(text, fits):
        joined = f"{current}{chunk[1]}{chunk[0]}" if current else chunk[0]
        if current and not fits(joined):
            pages.append(current)
            current = chunk[0]
        else:
            current = joined
    pages.append(current)
    return pages


#: A space the line breaking of PsychoPy (pyglet) never breaks at.
NO_BREAK_SPACE = "\u00a0"


def keep_last_words(text: str) -> str:
    """``text`` with the last two words of each line of three or more joined by a no-break space.

    Wrapping then never leaves one word alone on the last line of a paragraph.

    Examples
    --------
    >>> keep_last_words("It starts when you are ready.\\nPress SPACE")
    'It starts when you are\\xa0ready.\\nPress SPACE'
    """
    lines = []
    for line in text.split("\n"):
        head, _, last = line.rstrip().rpartition(" ")
        lines.append(f"{head}{NO_BREAK_SPACE}{last}" if head.strip().count(" ") >= 1 else line)
    return "\n".join(lines)


def _chunks(text: str, fits: Callable[[str], bool]) -> list[tuple[str, str]]:
    """Pieces that each fit, with the separator that joins each to the one before."""
    pieces: list[tuple[str, str]] = []
    for para in text.split("\n\n"):
        if fits(para):
            pieces.append((para, "\n\n"))
            continue
        sep = "\n\n"
        for line in para.split("\n"):
            for piece in ([line] if fits(line) else _word_runs(line, fits)):
                pieces.append((piece, sep))
                sep = "\n"
    return pieces


def _word_runs(line: str, fits: Callable[[str], bool]) -> list[str]:
    """A line too long for one page as runs of words that each fit."""
    runs: list[str] = []
    for word in line.split(" "):
        if runs and fits(f"{runs[-1]} {word}"):
            runs[-1] = f"{runs[-1]} {word}"
        else:
            runs.append(word)
    return runs
