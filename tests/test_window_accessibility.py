"""Window accessibility: spoken instructions (never waited for, silent without an engine), large-text layout."""
import pytest

pytestmark = pytest.mark.gui


@pytest.fixture
def speaking(window, speech_engine):
    from cogtrain.speech import Speaker

    silent = window.speaker
    window.speaker = Speaker(str(speech_engine.script))
    yield window
    window.speaker.stop()
    window.speaker = silent


def test_messages_are_read_aloud(speaking, speech_engine):
    speaking.keys.schedule("space", speaking.clock.now() + 0.05)
    speaking.show_message("Time for a short break.", screen="break")
    assert speech_engine.heard() == "Time for a short break."


def test_off_by_default_and_missing_engine_is_silent(window, tmp_path):
    from cogtrain.config import DisplaySettings
    from cogtrain.speech import Speaker

    assert DisplaySettings().speak_instructions is False and window.speaker.engine is None
    broken = Speaker(str(tmp_path / "no-such-program"))
    broken.say("hello")  # must not raise
    assert broken.engine is None


def test_footer_stays_on_one_line_with_large_text(window):
    from cogtrain.config import DisplaySettings

    normal = window.display
    window.display = DisplaySettings(preset="large_print", fullscreen=False)
    try:
        footer = window.footer("Press SPACE to continue  ·  LEFT to go back   (page 3 of 4)")
        footer.draw()
        line_px = window.display.text_height * 0.75 * window.win.size[1]
        assert footer.boundingBox[1] < 1.6 * line_px  # one line, not two
    finally:
        window.display = normal
