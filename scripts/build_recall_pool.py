"""Maintenance: rebuild the English word pool and lexicon of the recall task.

Run once when the sources change (needs the maintenance packages, not the battery)::

    pip install psifr==0.10.1 wordfreq==3.1.1
    python scripts/build_recall_pool.py

Writes ``tasks/recall/pools/en.tsv`` (word, length, zipf) and
``tasks/recall/pools/en_lexicon.txt``. Sources and licences are documented in
``tasks/recall/pools/README.md``:

- words: the study items of the PEERS word pool as shipped in psifr's sample
  data (``psifr/data/peers_notask.csv``, GPL-3.0-or-later), lower-cased, without
  proper nouns, brand names, and words whose plural/singular is also in the pool;
- frequencies: wordfreq 3.1.1 Zipf frequency (van Heuven et al., 2014, scale;
  data CC-BY-SA 4.0), English;
- lexicon: every alphabetic wordfreq English word of Zipf >= 3 (about one
  occurrence per million words), plus the pool.
"""
from __future__ import annotations

import csv
from importlib import resources
from pathlib import Path

import wordfreq

from cogtrain.tasks.recall.scoring import plural_forms

OUT = Path(__file__).resolve().parents[1] / "tasks" / "recall" / "pools"
#: Proper nouns, brand names and words unsuited to a clinical word list.
EXCLUDED = {
    "africa", "asia", "egypt", "europe", "florida", "france", "japan", "london", "paris",
    "jupiter", "mars", "neptune", "pluto", "saturn", "venus", "xerox", "kleenex", "jello",
    "indian", "ghetto", "bible", "scotch", "drug", "bomb", "coffin", "casket", "funeral",
    "grave", "tomb", "tombstone", "cemetery", "victim", "dictator", "noose",
}
LEXICON_MIN_ZIPF = 3.0


def peers_words() -> list[str]:
    """Study items of psifr's PEERS sample data, lower case, sorted."""
    path = resources.files("psifr") / "data" / "peers_notask.csv"
    with path.open(encoding="utf-8") as fh:
        words = {row["item"].lower() for row in csv.DictReader(fh) if row["trial_type"] == "study"}
    return sorted(words)


def prune(words: list[str]) -> list[str]:
    """Drop excluded words and plural forms of other pool words (keeps ``glass``, drops ``glasses``)."""
    kept = [w for w in words if w not in EXCLUDED and w.isalpha()]
    pool = set(kept)
    return [w for w in kept if not any(w in plural_forms(v) for v in pool)]


def main() -> None:
    words = prune(peers_words())
    with open(OUT / "en.tsv", "w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh, delimiter="\t", lineterminator="\n")
        out.writerow(["word", "length", "zipf"])
        for w in words:
            out.writerow([w, len(w), f"{wordfreq.zipf_frequency(w, 'en'):.2f}"])
    lexicon = {w for w in wordfreq.top_n_list("en", 200_000)
               if w.isalpha() and w.isascii() and wordfreq.zipf_frequency(w, "en") >= LEXICON_MIN_ZIPF}
    lexicon |= set(words)
    (OUT / "en_lexicon.txt").write_text("\n".join(sorted(lexicon)) + "\n", encoding="utf-8")
    print(f"{len(words)} pool words, {len(lexicon)} lexicon words -> {OUT}")


if __name__ == "__main__":
    main()
