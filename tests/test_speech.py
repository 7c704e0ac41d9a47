"""Spoken instructions: the text goes to the speech program on stdin, in the voice of the texts' language."""
import stat
import time

from cogtrain.speech import Speaker


def fake_engine(tmp_path):
    """A stand-in for espeak-ng that writes its arguments, then what it was asked to say, to a file."""
    said = tmp_path / "said.txt"
    script = tmp_path / "fake-espeak"
    script.write_text(f'#!/bin/sh\necho "$@" > {said}.args\ncat > {said}.tmp && mv {said}.tmp {said}\n')
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return script, said


def heard(path, timeout=5.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not path.exists():
        time.sleep(0.01)
    return path.read_text(encoding="utf-8") if path.exists() else ""


def test_the_voice_is_the_language_of_the_texts(tmp_path):
    script, said = fake_engine(tmp_path)
    speaker = Speaker(str(script), voice="de")
    speaker.say("Zeit für eine kurze Pause.")
    assert heard(said) == "Zeit für eine kurze Pause."
    assert (tmp_path / "said.txt.args").read_text().split() == ["--stdin", "-v", "de"]


def test_without_a_language_the_program_chooses_its_voice(tmp_path):
    script, said = fake_engine(tmp_path)
    Speaker(str(script)).say("Time for a short break.")
    assert heard(said) == "Time for a short break."
    assert (tmp_path / "said.txt.args").read_text().split() == ["--stdin"]


def test_for_display_is_silent_when_off_and_names_the_voice_in_lower_case():
    assert Speaker.for_display(False, "pt-BR").engine is None
    assert Speaker.for_display(False, "pt-BR").voice == "pt-br"
