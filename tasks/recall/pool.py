"""Word pools: one tab-separated file per language, with lexical properties.

See ``pools/README.md`` for the file format, the shipped pools, their sources
and licences.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from cogtrain.errors import CogtrainError
from cogtrain.files import read_limited
from cogtrain.tasks.recall.scoring import normalise

POOL_DIR = Path(__file__).resolve().parent / "pools"
REQUIRED = ("word", "length", "zipf")
#: Largest pool or lexicon file read, in bytes.
POOL_LIMIT = 10_000_000


@dataclass(frozen=True)
class WordPool:
    """The words lists are drawn from, with the properties lists are matched on.

    Attributes
    ----------
    name : str
        Pool name (file stem).
    words : tuple of str
        Normalised words, in file order.
    zipf, length : numpy.ndarray
        Zipf frequency and letter count of each word.
    lexicon : frozenset of str
        Real words (the pool plus the lexicon file): never read as misspellings.
    """

    name: str
    words: tuple[str, ...]
    zipf: np.ndarray
    length: np.ndarray
    lexicon: frozenset[str]

    def __len__(self) -> int:
        return len(self.words)

    def index(self) -> dict[str, int]:
        """Position of each word in the pool."""
        return {w: i for i, w in enumerate(self.words)}


def pool_path(pool: str) -> Path:
    """The TSV file of a pool: a shipped name (``en``) or a path to a ``.tsv`` file."""
    if pool.endswith(".tsv"):
        return Path(pool).expanduser()
    return POOL_DIR / f"{pool}.tsv"


def shipped_pools() -> list[str]:
    """Names of the pools shipped with the task."""
    return sorted(p.stem for p in POOL_DIR.glob("*.tsv"))


@cache
def load_pool(pool: str) -> WordPool:
    """Read a pool file and its optional lexicon (``<stem>_lexicon.txt`` beside it).

    Raises
    ------
    CogtrainError
        Naming the file, when it is missing, lacks a column, has a bad number,
        an empty or duplicate word.
    """
    path = pool_path(pool)
    if not path.exists():
        raise CogtrainError(f"recall pool {pool!r}: {path} not found; expected one of "
                            f"{', '.join(shipped_pools())} or a path to a .tsv file")
    reader = csv.DictReader(io.StringIO(_read_text(path), newline=""), delimiter="\t")
    missing = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
    if missing:
        raise CogtrainError(f"{path}: missing column(s) {', '.join(missing)}; "
                            f"expected tab-separated columns {', '.join(REQUIRED)}")
    rows = list(reader)
    words: list[str] = []
    zipf: list[float] = []
    seen: set[str] = set()
    for line, row in enumerate(rows, start=2):
        word = normalise(row["word"] or "")
        if not word or word in seen:
            raise CogtrainError(f"{path}: line {line}: word {row['word']!r} is empty or repeated")
        try:
            zipf.append(float(row["zipf"]))
        except ValueError:
            raise CogtrainError(f"{path}: line {line}: zipf {row['zipf']!r} is not a number") from None
        words.append(word)
        seen.add(word)
    lexicon_file = path.with_name(f"{path.stem}_lexicon.txt")
    lexicon = set(words)
    if lexicon_file.exists():
        lexicon |= {normalise(w) for w in _read_text(lexicon_file).split()}
    return WordPool(name=path.stem, words=tuple(words), zipf=np.array(zipf, dtype=float),
                    length=np.array([len(w) for w in words], dtype=float),
                    lexicon=frozenset(lexicon))


def _read_text(path: Path) -> str:
    """A pool or lexicon file as text (a regular UTF-8 file within :data:`POOL_LIMIT`)."""
    raw = read_limited(path, limit=POOL_LIMIT, what="word pool file")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CogtrainError(f"{path}: not UTF-8 text (byte {exc.start}); save the file as UTF-8") from None
