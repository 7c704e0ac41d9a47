"""PsychoPy view of the recall task: words one at a time, sums, a typing screen, recognition.

The typing screen is a TextStim showing what has been typed so far (letters are
read through ``frontend.keys`` and assembled here; Backspace deletes), with the
words already entered listed below it. Large, high-contrast text; no timer is
shown until the last 30 seconds of the (generous) time limit.
"""
from __future__ import annotations

import time
from typing import Any, Callable, Sequence

from cogtrain.tasks.recall.config import RecallSettings
from cogtrain.tasks.recall.editor import DIGITS, TYPED, LineEditor
from cogtrain.tasks.recall.logic import RecallCue, RecognitionAnswer
from psychopy import visual

from cogtrain.timing import frames
from cogtrain.window import IDLE_S

#: Seconds before the time limit from which the remaining time is shown.
SHOW_TIME_LEFT_S = 30.0
#: Entered words listed per column on the typing screen.
PER_COLUMN = 8


class RecallView:
    """The window player (see :class:`~cogtrain.tasks.recall.logic.RecallPlayer`)."""

    def __init__(self, frontend: Any, settings: RecallSettings):
        self.fe = frontend
        self.settings = settings
        self.catalogue = catalogue = frontend.catalogue
        fg = frontend.display.foreground
        h = frontend.display.text_height
        self.word = frontend.text("", height=settings.study.word_height)
        self.prompt = frontend.text("", pos=(0, 0.36))
        self.box = visual.Rect(frontend.win, width=0.9, height=h * 2.0, pos=(0, 0.18), lineWidth=4,
                               lineColor=frontend.display.accent, fillColor=None, colorSpace="hex")
        self.typed = frontend.text("", pos=(0, 0.18), height=h * 1.3)
        self.entered = [frontend.text("", pos=(x, -0.12), height=h * 0.9) for x in (-0.45, 0.0, 0.45)]
        self.status = frontend.text("", pos=(0, 0.06), height=h * 0.8, color=fg)
        self.recall_footer = frontend.footer(catalogue.text(
            "recall.footer", enter=catalogue.key_label("return"), done=catalogue.key_label(settings.recall.done_key)))

    # -- simple screens ----------------------------------------------------------------------
    def announce(self, text: str, screen: str) -> None:
        self.fe.show_message(text, screen=screen)

    def study(self, word: str, position: int, length: int) -> float:
        s = self.settings.study
        self.word.text = word
        onset = self.fe.show_frames([self.word], frames(s, "word", self.fe.frame_rate), "recall_study")
        blank = frames(s, "isi", self.fe.frame_rate)
        if blank:
            self.fe.show_frames([], blank, "recall_blank")
        return onset

    def distractor(self, problems: Sequence[tuple[int, int]], duration_s: float) -> None:
        end = self.fe.clock.now() + duration_s
        problem = self.fe.text("", pos=(0, 0.1), height=self.fe.display.text_height * 1.6)
        hint = self.fe.footer(self.catalogue.text("recall.sum_hint", enter=self.catalogue.key_label("return")))
        editor = LineEditor(max_length=3, chars=DIGITS)
        i = 0
        self.fe.keys.clear()
        while self.fe.clock.now() < end:
            a, b = problems[i % len(problems)]
            problem.text = f"{a} + {b} = {editor.text}"
            for stim in (problem, hint):
                stim.draw()
            self.fe.screenshot_once("recall_distractor")
            self.fe.flip()
            for key in self.fe.keys.get(list(DIGITS) + ["backspace", "return"]):
                if key.name == "return" and editor.text:
                    editor.take()
                    i += 1
                else:
                    editor.press(key.name)

    def wait_until(self, t: float, text: str) -> None:
        msg = self.fe.text("", pos=(0, 0.05))
        while self.fe.clock.now() < t:
            left = int(round(t - self.fe.clock.now()))
            msg.text = text.format(remaining=f"{left // 60}:{left % 60:02d}")
            msg.draw()
            self.fe.screenshot_once("recall_wait")
            self.fe.flip()
            self.fe.check_quit()
            time.sleep(IDLE_S)

    # -- typed recall ------------------------------------------------------------------------
    def draw_recall(self, prompt: str, typed: str, entered: Sequence[str], status: str) -> None:
        """Draw the typing screen (also used by tests to take a screenshot of a given state)."""
        self.prompt.text = prompt
        self.typed.text = typed + "_"
        columns = [entered[i:i + PER_COLUMN] for i in range(0, len(entered), PER_COLUMN)][-len(self.entered):]
        for stim, col in zip(self.entered, columns + [[]] * len(self.entered)):
            stim.text = "\n".join(col)
        self.status.text = status
        for stim in [self.prompt, self.box, self.typed, self.status, *self.entered, self.recall_footer]:
            stim.draw()

    def recall_status(self, entered: Sequence[str], time_left_s: float, confirming: bool, done_key: str) -> str:
        """The line under the typing box: words entered, the last seconds, or the finish question."""
        if confirming:
            return self.catalogue.text("recall.confirm_finish", done=self.catalogue.key_label(done_key))
        if time_left_s <= SHOW_TIME_LEFT_S:
            return self.catalogue.text("recall.seconds_left", seconds=int(time_left_s))
        return self.catalogue.text("recall.words_entered", n=len(entered))

    def recall(self, cue: RecallCue, on_entry: Callable[[str, float], None]) -> None:
        """Typed recall; the done key asks for a second press (a slip of the hand does not end it).

        A word typed but not yet entered when recall ends is entered then.
        """
        editor = LineEditor(max_length=cue.max_entry_length)
        entered: list[str] = []
        confirming = False
        end = self.fe.clock.now() + cue.time_limit_s

        def enter(t: float) -> None:
            if editor.text.strip():
                text = editor.take()
                entered.append(text)
                on_entry(text, t)

        wanted = list(TYPED) + ["backspace", "return", cue.done_key]
        self.fe.keys.clear()
        while self.fe.clock.now() < end:
            status = self.recall_status(entered, end - self.fe.clock.now(), confirming, cue.done_key)
            self.draw_recall(cue.prompt, editor.text, entered, status)
            self.fe.screenshot_once(f"recall_typing_{cue.phase}")
            self.fe.flip()
            for key in self.fe.keys.get(wanted):
                if key.name == cue.done_key and confirming:
                    enter(key.t)
                    return
                confirming = key.name == cue.done_key
                if key.name == "return":
                    enter(key.t)
                elif not confirming:
                    editor.press(key.name)
        enter(self.fe.clock.now())

    # -- recognition -------------------------------------------------------------------------
    def recognise(self, word: str, position: int, total: int) -> RecognitionAnswer:
        r = self.settings.recognition
        self.word.text = word
        label, text = self.catalogue.key_label, self.catalogue.text
        labels = [self.fe.text(f"{label(r.old_key)}\n{text('recall.answer_seen')}", pos=(-0.4, -0.25)),
                  self.fe.text(f"{label(r.new_key)}\n{text('recall.answer_new')}", pos=(0.4, -0.25)),
                  self.fe.footer(text("recall.word_of", number=position, total=total))]
        self.fe.keys.clear()
        onset = None
        while True:
            for stim in [self.word, *labels]:
                stim.draw()
            self.fe.screenshot_once("recall_recognition")
            t = self.fe.flip()
            onset = t if onset is None else onset
            for key in self.fe.keys.get([r.old_key, r.new_key]):
                response = "old" if key.name == r.old_key else "new"
                return RecognitionAnswer(response, key.name, onset, max(0.0, key.t - onset))
            if self.fe.clock.now() - onset >= r.time_limit_s:
                return RecognitionAnswer(None, None, onset, None)
