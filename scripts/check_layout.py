#!/usr/bin/env python
"""Run the screenshot tour at six screen sizes with every look and check that every screen fits.

Usage (the X screen must hold the largest size)::

    xvfb-run -a -s "-screen 0 3840x2160x24" .venv/bin/python scripts/check_layout.py \\
        [configs/ms_training.yaml] [--out shots/layout] [--jobs 2]

A look is a display preset (every one of ``cogtrain.config.PRESETS``) or the
example participant profile. Each size x look runs ``scripts/screenshot_tour.py
`` in its own process; the ``layout.json`` beside its screenshots lists the screens whose
drawn text or shapes reach past the window, overlap, are too small or are too
small to click (:mod:`cogtrain.layout`). Then a portrait screen (1080x1920) must
be refused with the researcher's screen. Prints a table of looks x sizes (PASS or
FAIL), the failing screens with their elements, and exits 1 on any failure.
"""
from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from cogtrain.config import PRESETS
from cogtrain.layoutview import REPORT

REPO = Path(__file__).resolve().parent.parent
TOUR = REPO / "scripts" / "screenshot_tour.py"
#: Landscape screens checked: laptop, 720p, 4:3, the smallest allowed, ultra-wide, 4K.
SIZES = ((1366, 768), (1280, 720), (1024, 768), (800, 600), (2560, 1080), (3840, 2160))
#: A portrait screen: the session must be refused, not shown cut off.
PORTRAIT = (1080, 1920)
EXAMPLE_PROFILE = REPO / "configs" / "profiles" / "example_low_vision_tremor.yaml"
#: Longest a tour may take before it counts as stuck (a tour takes about a minute on an idle machine).
TOUR_TIMEOUT_S = 1200


def looks() -> dict[str, list[str]]:
    """Tour options of every look: each preset, and the example profile."""
    found = {name: ["--preset", name] for name in PRESETS}
    found["example profile"] = ["--profile", str(EXAMPLE_PROFILE)]
    return found


def run_tour(config: Path, out: Path, size: tuple[int, int], options: list[str]) -> dict:
    """One tour: its ``layout.json`` with the session's ``status`` (or the tour's last error line)."""
    command = [sys.executable, str(TOUR), str(config), "--out", str(out), "--size", *map(str, size), *options]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=TOUR_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        return {"status": "stuck", "screens": [], "problems": {}, "error": f"no end after {TOUR_TIMEOUT_S} s"}
    status = re.match(r"session (\w+);", done.stdout)
    report = out / REPORT
    if status is None or not report.exists():
        return {"status": "error", "screens": [], "problems": {},
                "error": (done.stderr.strip().splitlines() or ["no output"])[-1]}
    return {**json.loads(report.read_text(encoding="utf-8")), "status": status.group(1)}


def verdict(report: dict) -> str:
    """PASS, FAIL (problems), or the status of a session that did not complete."""
    if report["status"] != "complete":
        return report["status"].upper()
    return "FAIL" if report["problems"] else "PASS"


def main(argv: list[str] | None = None) -> int:
    """Run every size x look and the portrait screen; print the table; 1 on any failure."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("config", type=Path, nargs="?", default=REPO / "configs" / "ms_training.yaml")
    parser.add_argument("--out", type=Path, default=Path("shots") / "layout",
                        help="folder for the screenshots, one subfolder per size and look")
    parser.add_argument("--jobs", type=int, default=1, help="tours run at once")
    parser.add_argument("--sizes", nargs="+", metavar="WxH", help="only these sizes (e.g. 1280x720)")
    parser.add_argument("--looks", nargs="+", metavar="LOOK", help="only these looks (preset names, "
                                                                    "'example profile')")
    args = parser.parse_args(argv)
    sizes = [tuple(int(v) for v in s.split("x")) for s in args.sizes] if args.sizes else list(SIZES)
    chosen = {name: opts for name, opts in looks().items() if not args.looks or name in args.looks}
    runs = [(name, size) for name in chosen for size in sizes]

    def tour(run: tuple[str, tuple[int, int]]) -> dict:
        name, size = run
        folder = args.out / f"{name.replace(' ', '_')}_{size[0]}x{size[1]}"
        return run_tour(args.config, folder, size, chosen[name])

    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        reports = dict(zip(runs, pool.map(tour, runs)))
        portrait = pool.submit(run_tour, args.config, args.out / f"portrait_{PORTRAIT[0]}x{PORTRAIT[1]}",
                               PORTRAIT, []).result()

    width = max(len(name) for name in chosen) + 2
    print(f"{'look':<{width}}" + "".join(f"{f'{w}x{h}':>12}" for w, h in sizes))
    for name in chosen:
        print(f"{name:<{width}}" + "".join(f"{verdict(reports[(name, size)]):>12}" for size in sizes))
    failed = False
    for (name, size), report in reports.items():
        if verdict(report) == "PASS":
            continue
        failed = True
        print(f"\n{name} at {size[0]}x{size[1]}: {verdict(report)}" + (f" ({report['error']})"
                                                                        if "error" in report else ""))
        for screen, problems in sorted(report["problems"].items()):
            for problem in problems:
                print(f"  {screen}: {problem['kind']}: {problem['detail']}")
    refused = portrait["status"] == "aborted" and any(s.startswith("display_refused") for s in portrait["screens"])
    print(f"\nportrait {PORTRAIT[0]}x{PORTRAIT[1]}: " + ("REFUSED with the researcher's screen (as it should be)"
                                                        if refused else f"NOT REFUSED ({portrait['status']})"))
    checked = sum(len(r["screens"]) for r in reports.values())
    print(f"{len(reports)} tours, {checked} screens checked")
    return 1 if failed or not refused else 0


if __name__ == "__main__":
    sys.exit(main())
