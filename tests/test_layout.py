"""The layout rules on hand-made screens (pixel boxes from the window's centre)."""
from cogtrain.layout import Item, check_items

W, H = 800, 600


def text(label, left, bottom, right, top, height_px=30.0):
    return Item("text", label, left, bottom, right, top, height_px)


def kinds(items):
    return sorted(p.kind for p in check_items(items, W, H))


def test_a_screen_that_fits_passes():
    assert kinds([text("Title", -100, 200, 100, 240), text("Press SPACE", -150, -280, 150, -250)]) == []


def test_text_past_the_edge_is_clipped():
    (problem,) = check_items([text("Memory training", -100, 280, 100, 320)], W, H)
    assert problem.kind == "clipped" and "20 px past the edge of the 800x600 window" in problem.detail


def test_two_texts_overlapping_are_reported_and_touching_is_not():
    assert kinds([text("body", -200, -260, 200, 0), text("footer", -150, -280, 150, -250)]) == ["overlap"]
    assert kinds([text("body", -200, -250, 200, 0), text("footer", -150, -280, 150, -249)]) == []


def test_a_label_inside_its_ball_may_cover_the_peg_under_it():
    ball = Item("shape", "ball", -30, -30, 30, 30)
    peg = Item("shape", "peg", -5, -100, 5, 100)
    assert kinds([peg, ball, text("R", -10, -12, 10, 12)]) == []
    status = text("Finished?", -200, 80, 200, 130)
    box = Item("shape", "box", -250, 110, 250, 200)
    assert kinds([box, status]) == ["overlap"]


def test_small_text_and_small_targets_are_reported():
    assert kinds([text("tiny", -50, 0, 50, 10, height_px=12)]) == ["small_text"]
    skip = Item("shape", "target skip", -60, -20, 60, 20, target=True)
    assert kinds([skip]) == ["small_target"]
    assert kinds([Item("shape", "target skip", -60, -22, 60, 22, target=True)]) == []
