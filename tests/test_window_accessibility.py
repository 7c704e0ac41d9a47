"""Window accessibility: spoken instructions (never waited for, silent without an engine), large-text layout."""
import stat
import time

import pytest

pytestmark = pytest.mark.gui


@pytest.fixture
def engine(tmp_path):
    """A stand-in for espeak-ng that writes what it was asked to say to a file."""
    said = tmp_path / "said.txt"
    script = tmp_path / "fake-espeak"
    script.write_text(f"#!/bin/sh\n[ \"$1\" = --stdin ] && cat > {said}\n")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return script, said


@pytest.fixture
def speaking(window, engine):
    from cogtrain.speech import Speaker

    silent = window.speaker
    window.speaker = Speaker(str(engine[0]))
    yield window
    window.speaker.stop()
    window.speaker = silent


def wait_for(path, timeout=5.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists() and path.read_text():
            return path.read_text()
        time.sleep(0.01)
    return ""


def test_messages_are_read_aloud(speaking, engine):
    speaking.keys.schedule("space", speaking.clock.now() + 0.05)
    speaking.show_message("Time for a short break.", screen="break")
    assert wait_for(engine[1]) == "Time for a short break."


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
