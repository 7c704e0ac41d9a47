#!/usr/bin/env python
"""Measure WCAG 2.x contrast on screenshots (``cogtrain run ... --screenshots DIR``).

Usage::

    .venv/bin/python scripts/check_contrast.py SHOTS_DIR [--min-text 7] [--min-shape 3]

For each PNG: the background is the most common colour; the foreground colours
are the colours that cover at least ``--min-share`` of the non-background
pixels, leaving out anti-aliasing shades: a colour lying on the straight line
between two colours already found (the background included), within
``BLEND_TOLERANCE``, is an edge blend, not a colour anyone chose. A foreground colour counts as *text* when most of its pixels touch another
colour (thin strokes: letters, outlines) and as a *shape* when it fills areas
(grid cells, pegs, balls). Text colours need ``--min-text`` (WCAG 1.4.6, 7:1),
shapes ``--min-shape`` (WCAG 1.4.11, 3:1).

Contrast measured on a screenshot says nothing of text drawn past the window's
edge, so the layout report written beside the screenshots (``layout.json``, by
the window's layout probe, :mod:`cogtrain.layoutview`) is read too: a screenshot
whose screen was clipped fails, and so do screenshots without a report (unless
``--no-layout``). Prints one table per screenshot and exits 1 if any colour falls
short or a screen is clipped (2 if there is nothing to check).
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from cogtrain.contrast import MIN_SHAPE_CONTRAST, MIN_TEXT_CONTRAST, contrast_ratio

#: A colour whose pixels mostly (this share or more) border another colour is drawn as thin strokes.
TEXT_EDGE_SHARE = 0.35
#: Largest distance (0-255 RGB units) from the segment between two colours for a blend of them.
BLEND_TOLERANCE = 6.0


@dataclass(frozen=True)
class Colour:
    """One foreground colour of a screenshot."""

    rgb: tuple[int, int, int]
    share: float  # of the non-background pixels
    kind: str  # "text" or "shape"
    ratio: float  # contrast with the background
    needed: float

    @property
    def ok(self) -> bool:
        """Whether the contrast is sufficient."""
        return self.ratio >= self.needed

    @property
    def hex(self) -> str:
        """``#RRGGBB``."""
        return "#{:02X}{:02X}{:02X}".format(*self.rgb)


def unpack(code: int) -> tuple[int, int, int]:
    """24-bit integer → (r, g, b)."""
    return (code >> 16) & 255, (code >> 8) & 255, code & 255


def edge_share(codes: np.ndarray, code: int) -> float:
    """Share of the pixels of colour ``code`` that have a 4-neighbour of another colour."""
    mask = codes == code
    edge = np.zeros_like(mask)
    edge[1:, :] |= mask[1:, :] & (codes[:-1, :] != code)
    edge[:-1, :] |= mask[:-1, :] & (codes[1:, :] != code)
    edge[:, 1:] |= mask[:, 1:] & (codes[:, :-1] != code)
    edge[:, :-1] |= mask[:, :-1] & (codes[:, 1:] != code)
    return float(edge.sum() / max(mask.sum(), 1))


def is_blend(colour: np.ndarray, found: list[np.ndarray]) -> bool:
    """Whether ``colour`` lies between two of the colours ``found`` (an anti-aliasing shade)."""
    for i, a in enumerate(found):
        for b in found[i + 1:]:
            span = b - a
            alpha = float(np.dot(colour - a, span) / max(np.dot(span, span), 1e-9))
            if 0 < alpha < 1 and np.linalg.norm(colour - a - alpha * span) <= BLEND_TOLERANCE:
                return True
    return False


def measure(path: Path, min_text: float, min_shape: float, min_share: float) -> tuple[str, list[Colour]]:
    """Background colour (hex) and the foreground colours of one screenshot."""
    rgb = np.asarray(Image.open(path).convert("RGB"), dtype=np.uint32)
    codes = (rgb[..., 0] << 16) | (rgb[..., 1] << 8) | rgb[..., 2]
    values, counts = np.unique(codes, return_counts=True)
    order = np.argsort(counts)[::-1]
    background = unpack(int(values[order[0]]))
    rest = counts.sum() - counts[order[0]]
    colours, found = [], [np.array(background, dtype=float)]
    for i in order[1:]:
        share = counts[i] / rest if rest else 0.0
        if share < min_share:
            break
        code = int(values[i])
        rgb_i = np.array(unpack(code), dtype=float)
        if is_blend(rgb_i, found):
            continue
        found.append(rgb_i)
        kind = "text" if edge_share(codes, code) >= TEXT_EDGE_SHARE else "shape"
        colours.append(Colour(rgb=unpack(code), share=float(share), kind=kind,
                              ratio=contrast_ratio(unpack(code), background),
                              needed=min_text if kind == "text" else min_shape))
    return "#{:02X}{:02X}{:02X}".format(*background), colours


def clipped_screens(folder: Path) -> dict[str, list[str]] | None:
    """Screen name -> what reaches past the window's edge, from ``layout.json`` in ``folder`` (None: no report)."""
    report = folder / "layout.json"
    if not report.exists():
        return None
    problems = json.loads(report.read_text(encoding="utf-8")).get("problems", {})
    return {screen: [p["detail"] for p in found if p["kind"] == "clipped"] for screen, found in problems.items()}


def screen_name(shot: Path) -> str:
    """``07_instructions_nback_2.png`` -> ``instructions_nback_2`` (the name the window gave the screen)."""
    return re.sub(r"^\d+_", "", shot.stem)


def main(argv: list[str] | None = None) -> int:
    """Check every PNG given (files or folders); exit 1 if any contrast is too low."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="+", type=Path, help="PNG files or folders of PNGs")
    parser.add_argument("--min-text", type=float, default=MIN_TEXT_CONTRAST)
    parser.add_argument("--min-shape", type=float, default=MIN_SHAPE_CONTRAST)
    parser.add_argument("--min-share", type=float, default=0.02,
                        help="smallest share of the foreground pixels a colour must cover to be checked")
    parser.add_argument("--no-layout", action="store_true",
                        help="screenshots without a layout.json: check contrast only (clipping not ruled out)")
    args = parser.parse_args(argv)
    shots = sorted(p for path in args.paths for p in ([path] if path.is_file() else path.glob("*.png")))
    if not shots:
        print("check_contrast: no PNG screenshots found", file=sys.stderr)
        return 2
    text_ratios, failures = [], 0
    for shot in shots:
        background, colours = measure(shot, args.min_text, args.min_shape, args.min_share)
        print(f"\n{shot.name}  (background {background})")
        clipped = clipped_screens(shot.parent)
        if clipped is None and not args.no_layout:
            print(f"  NO LAYOUT REPORT: no {shot.parent / 'layout.json'}, so text cut off at the edge cannot "
                  "be ruled out (take screenshots with cogtrain run --screenshots or scripts/screenshot_tour.py)")
            failures += 1
        for detail in (clipped or {}).get(screen_name(shot), []):
            print(f"  CLIPPED: {detail}")
            failures += 1
        if not colours:
            print("  (no foreground: blank screen)")
        for c in colours:
            print(f"  {c.hex}  {c.kind:5s}  {100 * c.share:5.1f} %  contrast {c.ratio:5.2f}:1  "
                  f"(needs {c.needed:g}:1)  {'ok' if c.ok else 'TOO LOW'}")
        failures += sum(not c.ok for c in colours)
        text_ratios += [c.ratio for c in colours if c.kind == "text"]
    lowest = min(text_ratios, default=float("nan"))
    print(f"\n{len(shots)} screenshots, lowest text contrast {lowest:.2f}:1, "
          f"{failures} colour(s) below the minimum or screen(s) clipped -> {'FAIL' if failures else 'PASS'}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
