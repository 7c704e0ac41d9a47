"""Reports opened in a real browser: every chart drawn, no script error, the index fits 1280 px."""
import re
import subprocess
import sys

import pytest

from .browser import needs_chromium, rendered_dom

pytestmark = needs_chromium


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    """The report of the demo (a simulated participant, two sessions), through the real command line."""
    out = tmp_path_factory.mktemp("browser")
    done = subprocess.run([sys.executable, "-m", "cogtrain", "demo", "--sessions", "2", "--out", str(out)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return out / "scores" / "report"


def test_every_chart_of_a_participant_page_is_drawn_without_script_errors(report):
    page = next(report.glob("sub-*.html"))
    dom, log = rendered_dom(page)
    figures = dom.count("<figure data-chart=")
    assert figures >= 12
    assert len(re.findall(r"<figure data-chart=[^>]*>.*?<svg", dom, re.S)) == figures
    assert "Uncaught" not in log and "CONSOLE" not in log


def test_the_index_fits_a_1280_pixel_window(report, tmp_path):
    probe = tmp_path / "index.html"
    probe.write_text((report / "index.html").read_text().replace(
        "</body>", "<script>document.body.dataset.overflow = document.documentElement.scrollWidth > "
                   "window.innerWidth;</script></body>"))
    for shared in ("report.css", "report.js"):
        (tmp_path / shared).write_bytes((report / shared).read_bytes())
    dom, _ = rendered_dom(probe, width=1280)
    assert 'data-overflow="false"' in dom
