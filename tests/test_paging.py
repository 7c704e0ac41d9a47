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


def test_the_last_two_words_of_every_line_stay_together():
    from cogtrain.paging import NO_BREAK_SPACE, keep_last_words

    text = "Time for a rest.\n\nIt starts when you are ready.\nPress SPACE\nWait"
    kept = keep_last_words(text)
    assert kept.split("\n") == [f"Time for a{NO_BREAK_SPACE}rest.", "", f"It starts when you are{NO_BREAK_SPACE}ready.",
                                "Press SPACE", "Wait"]
    assert kept.replace(NO_BREAK_SPACE, " ") == text
