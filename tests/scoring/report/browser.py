"""Render report pages in headless Chromium (the browser clinicians open reports in)."""
from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--enable-logging=stderr", "--v=0"]
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (scripts/setup.sh installs it)")


def rendered_dom(page: Path, width: int = 1280) -> tuple[str, str]:
    """The DOM of ``page`` after its scripts ran in a ``width``-pixel window, and what the browser logged."""
    with tempfile.TemporaryDirectory() as profile:
        done = subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", f"--window-size={width},900",
                               "--dump-dom", page.as_uri()],
                              capture_output=True, text=True, timeout=120)
    return done.stdout, done.stderr
