"""Assembling typed text from key names (display-free, shared by the view and its tests)."""
from __future__ import annotations

import string
from dataclasses import dataclass, field

#: Keys that type a character, and the character.
TYPED: dict[str, str] = {**{c: c for c in string.ascii_lowercase}, "space": " ", "minus": "-"}
#: Keys that type a digit (main keyboard and keypad).
DIGITS: dict[str, str] = {**{str(d): str(d) for d in range(10)}, **{f"num_{d}": str(d) for d in range(10)}}


@dataclass
class LineEditor:
    """Text typed on one line, built from key names.

    Examples
    --------
    >>> ed = LineEditor(max_length=10)
    >>> for k in ["c", "a", "x", "backspace", "t"]:
    ...     ed.press(k)
    >>> ed.text
    'cat'
    """

    max_length: int
    chars: dict[str, str] = field(default_factory=lambda: dict(TYPED))
    text: str = ""

    def press(self, key: str) -> None:
        """Apply one key: a character, or Backspace."""
        if key == "backspace":
            self.text = self.text[:-1]
        elif key in self.chars and len(self.text) < self.max_length:
            self.text += self.chars[key]

    def take(self) -> str:
        """Return the line and start a new one."""
        text, self.text = self.text, ""
        return text
