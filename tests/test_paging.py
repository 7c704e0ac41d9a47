"""Cutting a text into pages that fit: paragraphs first, then lines, then words."""
from cogtrain.paging import paginate


def at_most(n):
    return lambda text: len(text) <= n


def test_a_text_that_fits_is_one_page():
    assert paginate("short\n\ntext", at_most(100)) == ["short\n\ntext"]


def test_pages_break_between_paragraphs_and_keep_those_that_fit_together():
    text = "aaaa\n\nbbbb\n\ncccc"
    assert paginate(text, at_most(10)) == ["aaaa\n\nbbbb", "cccc"]


def test_a_paragraph_too_long_breaks_between_its_lines():
    text = "line one\nline two\nline three"
    assert paginate(text, at_most(17)) == ["line one\nline two", "line three"]


def test_a_line_too_long_breaks_between_words_and_nothing_is_lost():
    text = "one two three four five six seven"
    pages = paginate(text, at_most(9))
    assert all(len(page) <= 9 for page in pages)
    assert " ".join(pages).split() == text.split()
