"""PsychoPy view of the recall task: words one at a time, sums, a typing screen, recognition.

The typing screen is a TextStim showing what has been typed so far (letters are
read through ``frontend.keys`` and assembled here; Backspace deletes), with the
words already entered listed below it. Large, high-contrast text; no timer is
shown until the last 30 seconds of the (generous) time limit.
"""
from __future__ import annotations

from typing import Any, Callable, Sequence

from cogtrain.tasks.recall.config import RecallSettings
from cogtrain.tasks.recall.editor import DIGITS, TYPED, LineEditor
from cogtrain.tasks.recall.logic import RecallCue, RecognitionAnswer
from psychopy import visual

from cogtrain.timing import frames
from cogtrain.layout import MIN_TEXT_PX
from cogtrain.paging import keep_last_words
from cogtrain.window import EDGE, GAP, IDLE_S

#: Seconds before the time limit from which the remaining time is shown.
SHOW_TIME_LEFT_S = 30.0
#: Most columns of entered words on the typing screen.
MAX_COLUMNS = 3
#: Typed text height relative to the display's, when the longest entry fits at it.
TYPED_SCALE = 1.3
#: Letters that stand for an average typed word when measuring the room an entry needs.
SAMPLE = "abcdefghijklmnopqrstuvwxyz"


class RecallView:
    """The window player (see :class:`~cogtrain.tasks.recall.logic.RecallPlayer`)."""

    def __init__(self, frontend: Any, settings: RecallSettings):
        self.fe = frontend
        self.settings = settings
        self.catalogue = catalogue = frontend.catalogue
        h = frontend.display.text_height
        self.word = frontend.text("", height=settings.study.word_height)
        self.recall_footer = frontend.footer(catalogue.text(
            "recall.footer", enter=catalogue.key_label("return"), done=catalogue.key_label(settings.recall.done_key)))
        self.prompt = frontend.text("", pos=(0, 0.5 - EDGE))
        self.prompt.anchorVert = "top"
        self.typed, self.entry_length = self._typed_text(settings.recall.max_entry_length, h * TYPED_SCALE)
        self.box = visual.Rect(frontend.win, width=frontend.aspect - 2 * EDGE, height=self.typed.height * 1.6,
                               lineWidth=4, lineColor=frontend.display.accent, fillColor=None, colorSpace="hex")
        self.status = frontend.text("", height=h * 0.8)
        self.entered = [frontend.text("", height=h * 0.9) for _ in range(MAX_COLUMNS)]
        for column in self.entered:
            column.anchorVert = "top"
        self._placed_for: str | None = None

    def _typed_text(self, max_length: int, height: float) -> tuple[visual.TextStim, int]:
        """The typed line, as high as lets ``max_length`` letters fit the box, and the letters that fit.

        The text is never smaller than the smallest text allowed; a screen too narrow for
        ``max_length`` letters at that size accepts fewer.
        """
        fe = self.fe
        room = (fe.aspect - 2 * EDGE) * 0.92
        stim = fe.text((SAMPLE * 4)[:max_length] + "_", height=height)
        wide = float(stim.boundingBox[0]) / float(fe.win.size[1])
        smallest = MIN_TEXT_PX / float(fe.win.size[1])
        fitted = max(smallest, min(height, height * room / wide))
        per_letter = wide / (max_length + 1) * fitted / height
        stim.height = fitted
        stim.wrapWidth = fe.aspect * 2  # one line: the box holds it
        return stim, min(max_length, int(room / per_letter) - 1)

    def _place(self, prompt: str) -> None:
        """Stack prompt, box, status and entered words from the top (once per prompt)."""
        if self._placed_for == prompt:
            return
        fe = self.fe
        self.prompt.text = keep_last_words(prompt)
        y = 0.5 - EDGE - fe.height_of(self.prompt) - GAP
        self.box.pos = self.typed.pos = (0, y - self.box.height / 2)
        y -= self.box.height + GAP
        self.status.text = self.recall_status([], 0.0, True, self.settings.recall.done_key)  # the longest
        self.status.pos = (0, y - fe.height_of(self.status) / 2)
        y -= fe.height_of(self.status) + GAP
        for column in self.entered:
            column.pos = (column.pos[0], y)
        self._entered_room = y - (self.recall_footer.pos[1] + fe.height_of(self.recall_footer) / 2 + GAP)
        self._placed_for = prompt

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
        """A rest until session time ``t`` (a countdown in the footer), then the participant goes on."""
        self.fe.show_message(text, screen="recall_wait", min_duration_s=max(0.0, t - self.fe.clock.now()))

    # -- typed recall ------------------------------------------------------------------------
    def draw_recall(self, prompt: str, typed: str, entered: Sequence[str], status: str) -> None:
        """Draw the typing screen (also used by tests to take a screenshot of a given state).

        The most recent entered words are listed in as many columns as fit the screen.
        """
        self._place(prompt)
        self.typed.text = typed + "_"
        self.status.text = status
        columns = self._columns(entered)
        for stim, col in zip(self.entered, columns + [[]] * len(self.entered)):
            stim.text = "\n".join(col)
        for stim in [self.prompt, self.box, self.typed, self.status, *self.entered, self.recall_footer]:
            stim.draw()

    def _columns(self, entered: Sequence[str]) -> list[list[str]]:
        """The last entered words that fit, in columns, and place the columns side by side."""
        if not entered:
            return []
        fe, probe = self.fe, self.entered[0]
        line = probe.height * 1.25
        rows = max(1, int(self._entered_room / line))
        shown = list(entered)[-rows * MAX_COLUMNS:]
        probe.text = max(shown, key=len)
        width = float(probe.boundingBox[0]) / float(fe.win.size[1]) + 2 * GAP
        n = max(1, min(MAX_COLUMNS, int((fe.aspect - 2 * EDGE) / width)))
        shown = shown[-rows * n:]
        columns = [shown[i:i + rows] for i in range(0, len(shown), rows)]
        for i, stim in enumerate(self.entered):
            stim.pos = ((i - (len(columns) - 1) / 2) * width, stim.pos[1])
        return columns

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
        editor = LineEditor(max_length=min(cue.max_entry_length, self.entry_length))
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
