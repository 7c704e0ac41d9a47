"""The symbols stay apart when seen blurred, and the screen's targets are large enough."""
import numpy as np
import pytest
from scipy.ndimage import gaussian_filter

from cogtrain.tasks.symbol_digit.config import DIGITS
from cogtrain.tasks.symbol_digit.glyphs import GLYPHS, raster
from cogtrain.layout import MIN_TARGET_PX
from cogtrain.tasks.symbol_digit.layout import MIN_SCREEN_PX, screen_layout

#: Blur of a low-acuity view: a Gaussian of 1/12 of the symbol's side (a symbol of 0.22
#: screen heights seen with ~20/200 acuity at 60 cm on a 1080-line 24" screen).
BLUR_SHARE = 1 / 12
#: Largest correlation allowed between two blurred symbols.
MAX_LIKENESS = 0.7


def blurred(name, pixels=48):
    return gaussian_filter(raster(name, pixels), BLUR_SHARE * pixels)


def likeness(a, b):
    a, b = a - a.mean(), b - b.mean()
    return float((a * b).sum() / np.sqrt((a * a).sum() * (b * b).sum()))


def test_enough_symbols_for_alternate_forms():
    assert len(GLYPHS) >= len(DIGITS) + 3


def test_symbols_differ_when_blurred():
    names = sorted(GLYPHS)
    images = {n: blurred(n) for n in names}
    pairs = {(a, b): likeness(images[a], images[b]) for i, a in enumerate(names) for b in names[i + 1:]}
    worst = max(pairs, key=pairs.get)
    assert pairs[worst] <= MAX_LIKENESS, (worst, pairs[worst])
    assert likeness(images["wave"], blurred("wave", 48)) == pytest.approx(1.0)  # the measure sees sameness


def test_symbols_are_bold_and_inside_their_square():
    for name in GLYPHS:
        img = raster(name, 64)
        ink = img.mean()
        assert 0.06 <= ink <= 0.35, (name, ink)  # strokes thick enough, not a blob
        assert img[0].max() < 1 and img[-1].max() < 1 and img[:, 0].max() < 1 and img[:, -1].max() < 1


@pytest.mark.parametrize("size", [(1920, 1080), (1280, 1024), (1280, 800), (1024, 768), (800, 600)])
@pytest.mark.parametrize("buttons", ["row", "keypad"])
def test_buttons_are_large_separate_and_on_screen(size, buttons):
    width, height = size
    lay = screen_layout(width / height, buttons, 0.05)
    boxes = list(lay.buttons.values())
    assert len(boxes) == 9
    half = width / height / 2
    for box in boxes:
        assert min(box.w, box.h) * max(height, MIN_SCREEN_PX) >= MIN_TARGET_PX
        assert -half < box.x - box.w / 2 and box.x + box.w / 2 < half and box.y - box.h / 2 > -0.5
        assert box.y + box.h / 2 < lay.key_bottom
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert abs(a.x - b.x) >= (a.w + b.w) / 2 or abs(a.y - b.y) >= (a.h + b.h) / 2
    item = lay.centre_size * 1.25 / 2
    assert lay.centre_y + item < lay.key_bottom
    for box in boxes:  # the item's box and the buttons do not touch
        assert abs(box.x - lay.centre_x) >= box.w / 2 + item or abs(box.y - lay.centre_y) >= box.h / 2 + item
    keys = lay.key_xs(9)
    assert keys[0] - lay.cell / 2 > -half and keys[-1] + lay.cell / 2 < half
