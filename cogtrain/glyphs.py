"""Which characters a font file cannot draw (PsychoPy would show them as empty boxes).

Uses FreeType (``freetype-py``, a PsychoPy dependency) on the font file the
window will use; spaces and line breaks need no glyph.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable, Iterator

#: Characters of cogtrain's own screens beyond the letters of the battery's texts.
INTERFACE_TEXT = ("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                  ".,:;!?'\"()-+=_/·←→…")


def missing_glyphs(font_file: Path, texts: Iterable[str]) -> list[str]:
    """The distinct characters of ``texts`` that ``font_file`` has no glyph for, in order of appearance."""
    import freetype

    face = freetype.Face(str(font_file))
    missing: dict[str, None] = {}
    for text in texts:
        for ch in text:
            if not ch.isspace() and ch not in missing and face.get_char_index(ord(ch)) == 0:
                missing[ch] = None
    return list(missing)


def texts_in(data: Any) -> Iterator[str]:
    """Every string inside nested mappings and lists (the texts a battery may show)."""
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for value in data.values():
            yield from texts_in(value)
    elif isinstance(data, (list, tuple)):
        for value in data:
            yield from texts_in(value)


def describe(chars: list[str], limit: int = 8) -> str:
    """``'日' (U+65E5), 'ب' (U+0628)`` for an error message."""
    shown = ", ".join(f"{ch!r} (U+{ord(ch):04X})" for ch in chars[:limit])
    return shown + (f" and {len(chars) - limit} more" if len(chars) > limit else "")
