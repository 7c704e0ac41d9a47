"""Spoken instructions: the text goes to the speech program on stdin, in the voice of the texts' language."""
from cogtrain.speech import Speaker


def test_the_voice_is_the_language_of_the_texts(speech_engine):
    Speaker(str(speech_engine.script), voice="de").say("Zeit für eine kurze Pause.")
    assert speech_engine.heard() == "Zeit für eine kurze Pause."
    assert speech_engine.arguments() == ["--stdin", "-v", "de"]


def test_without_a_language_the_program_chooses_its_voice(speech_engine):
    Speaker(str(speech_engine.script)).say("Time for a short break.")
    assert speech_engine.heard() == "Time for a short break."
    assert speech_engine.arguments() == ["--stdin"]


def test_for_display_is_silent_when_off_and_names_the_voice_in_lower_case():
    assert Speaker.for_display(False, "pt-BR").engine is None
    assert Speaker.for_display(False, "pt-BR").voice == "pt-br"
