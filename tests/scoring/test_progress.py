import io

from tqdm import tqdm

from cogtrain.scoring.progress import show_progress, track


def test_bar_only_on_a_terminal(monkeypatch):
    monkeypatch.setattr("sys.stderr", io.StringIO())  # a pipe, not a terminal
    assert show_progress(None) is False
    assert show_progress(True) is True and show_progress(False) is False
    items = [1, 2, 3]
    assert track(items, None, "x") is items
    bar = track(items, True, "x")
    assert isinstance(bar, tqdm) and list(bar) == items
