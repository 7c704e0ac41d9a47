"""The PsychoPy window frontend: generic screens, timed flips and hardware-timestamped keys.

This module and the tasks' ``view.py`` modules are the only ones that import
psychopy. Screens are self-paced; Escape (configurable) asks for confirmation
and then ends the session as aborted, with every finished trial on disk.
"""
from __future__ import annotations

import math
import os
import time
import unicodedata
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from cogtrain.config import PRESETS, DisplaySettings, KeySettings
from cogtrain.errors import CogtrainError, SessionAborted
from cogtrain.frontend import Frontend
from cogtrain.glyphs import INTERFACE_TEXT, describe, missing_glyphs, texts_in
from cogtrain.layout import MIN_TEXT_PX
from cogtrain.layoutview import REPORT, LayoutProbe
from cogtrain.paging import keep_last_words, paginate
from cogtrain.refresh import Refresh, classify
from cogtrain.speech import Speaker
from cogtrain.text import REFERENCE, Catalogue
from cogtrain.text import load as load_catalogue

if not os.environ.get("DISPLAY") and os.name == "posix" and not os.environ.get("WAYLAND_DISPLAY"):
    raise CogtrainError("no display found: run on a desktop, under xvfb-run, or use --simulate")

from psychopy import core, event, logging, visual  # noqa: E402
from psychopy.hardware import keyboard  # noqa: E402

logging.console.setLevel(logging.ERROR)

#: Rate durations are converted at when the refresh rate is unknown and the battery allows
#: it (``display.allow_unmeasured_refresh``); recorded as assumed, never as measured.
NOMINAL_HZ = 60.0
#: Flips before, and intervals of, the refresh measurement when the window opens.
WARMUP_FRAMES, MEASURED_FRAMES = 5, 40
#: Space kept free at the window's edges, and between the footer and the text above, in height units.
EDGE, GAP = 0.02, 0.02
#: Footer text height relative to the display's text height.
FOOTER_SCALE = 0.75
#: The smallest window the screens are laid out for (landscape), pixels.
MIN_WINDOW = (800, 600)
#: Share of the screen a window that does not fit it is shrunk to.
WINDOW_SHARE = 0.9
#: Seconds counted down before the session carries on after "no" to the quit question.
RESUME_COUNTDOWN_S = 3
#: Seconds within which a second digit key completes a two-digit rating (1 then 0 gives 10).
DIGIT_GAP_S = 1.5
#: Window title.
TITLE = "cogtrain"
#: Seconds after which the end summary closes by itself (time enough to read it).
SUMMARY_S = 120.0
#: Text height of the screens in large print (start screens, end summary), unless the participant's is larger.
LARGE_PRINT = PRESETS["large_print"]["text_height"]
#: Pause between polls on self-paced screens (no timing depends on it).
IDLE_S = 0.01


def flip_intervals(win: "visual.Window") -> list[float]:
    """Seconds between successive flips of ``win``, after a few warm-up flips."""
    for _ in range(WARMUP_FRAMES):
        win.flip()
    times = []
    for _ in range(MEASURED_FRAMES + 1):
        win.flip()
        times.append(time.perf_counter())
    return [b - a for a, b in zip(times, times[1:])]


def fit_window(size: tuple[int, int], screen: tuple[int, int] | None) -> tuple[int, int]:
    """``size``, or the largest window of its shape within :data:`WINDOW_SHARE` of a smaller ``screen``."""
    if screen is None or (size[0] <= screen[0] and size[1] <= screen[1]):
        return size
    scale = WINDOW_SHARE * min(screen[0] / size[0], screen[1] / size[1])
    return int(size[0] * scale), int(size[1] * scale)


def screen_size(index: int) -> tuple[int, int] | None:
    """Pixels of monitor ``index`` (None if the display does not say)."""
    import pyglet

    try:
        screens = pyglet.canvas.get_display().get_screens()
    except Exception:  # no display information: the window is opened as asked
        return None
    chosen = screens[min(index, len(screens) - 1)]
    return int(chosen.width), int(chosen.height)


def check_font(font: str, texts: Iterable[str]) -> None:
    """Refuse a font that is not installed, or lacks a character of ``texts`` (no silent substitute)."""
    from psychopy.tools.fontmanager import FontManager

    manager = FontManager()
    found = manager.getFontsMatching(font, fallback=False)
    if not found:
        installed = ", ".join(sorted(str(name) for name in manager.getFontFamilyNames())[:12])
        raise CogtrainError(f"display.font: {font!r} is not installed on this computer; installed fonts "
                            f"include {installed}")
    missing = missing_glyphs(Path(str(found[0].path)), texts)
    if missing:
        raise CogtrainError(f"display.font: {font!r} cannot draw {describe(missing)}, used in the battery's "
                            "texts; install and choose a font that has these characters")


def language_style(text: str) -> str:
    """PsychoPy's ``languageStyle`` for ``text``: Arabic (shaped and reordered), RTL, or LTR."""
    classes = {unicodedata.bidirectional(ch) for ch in text}
    return "Arabic" if "AL" in classes else "RTL" if "R" in classes else "LTR"


def scale_box_width(boxes: int, text_height: float, screen_width: float) -> float:
    """Width of one box of a rating scale, in screen heights: room for two digits, within the screen."""
    return min(0.92 * screen_width / boxes, max(0.11, 2 * text_height))


@dataclass(frozen=True)
class KeyEvent:
    """One key press: its name and the session time it was pressed (hardware timestamp)."""

    name: str
    t: float


class SessionClock:
    """Seconds since the session started (continuing after a resume)."""

    def __init__(self, start_s: float = 0.0):
        self.start_s = start_s
        self.clock = core.Clock()

    def now(self) -> float:
        """Session seconds."""
        return self.start_s + self.clock.getTime()


class KeyReader:
    """Keys with press times on the session clock, from PsychoPy's Keyboard (ptb backend if present).

    Quit keys are always listened for: the first one pressed asks the
    participant to confirm, then raises :class:`SessionAborted`.
    """

    def __init__(self, frontend: "WindowFrontend"):
        self.frontend = frontend
        self.clock = frontend.clock
        self.kb = keyboard.Keyboard(clock=frontend.clock.clock)
        self.kb.clock = frontend.clock.clock  # the device is shared: make sure it uses this session's clock
        self.backend = self.kb.getBackend()
        self._scheduled: list[tuple[float, str]] = []
        self._reported: deque = deque(maxlen=256)

    def schedule(self, name: str, at_s: float) -> None:
        """Press key ``name`` at session time ``at_s`` through the keyboard device.

        The press enters PsychoPy's keyboard exactly as a hardware event with
        that timestamp would; tests and the timing benchmark use it.
        """
        self._scheduled.append((at_s, name))
        self._scheduled.sort()

    def _release_due(self) -> None:
        now = self.clock.now()
        while self._scheduled and self._scheduled[0][0] <= now:
            at_s, name = self._scheduled.pop(0)
            press = self.kb.device.makeResponse(code=name, tDown=at_s, name=name)
            press.rt = at_s - self.clock.start_s
            press.duration = 0.05

    def clear(self) -> None:
        """Forget keys pressed so far (scheduled presses still happen)."""
        self.kb.clearEvents()
        event.clearEvents()

    def read(self, names: list[str] | None) -> list:
        """PsychoPy key presses among ``names`` since the last read, each reported once, on key-down.

        Presses are taken when the key goes down (``waitRelease=False``), so a key
        held past the end of a trial still counts for the trial it was pressed
        in; a press released before this poll (a quick tap between two polls,
        which ``waitRelease=False`` never returns) is taken from the released
        keys. A press seen on key-down comes back once more on release: it is
        recognised and not reported twice.
        """
        self._release_due()
        if self.backend == "event":
            presses = self._read_event_backend(names)
        else:
            presses = (self.kb.getKeys(keyList=names, waitRelease=False)
                       + self.kb.getKeys(keyList=names, waitRelease=True))
        fresh = [p for p in presses if not any(p is seen for seen in self._reported)]
        self._reported.extend(fresh)
        return sorted(fresh, key=lambda p: p.rt)

    def _read_event_backend(self, names: list[str] | None) -> list:
        """Presses from PsychoPy's event backend (no psychtoolbox), which names a press ``[name, time]``.

        With such names ``keyList`` never matches, so every press is read and filtered
        here (real presses come without a release, injected ones with one). Its time is
        the poll's, not the key's: see docs/timing.md.
        """
        presses = self.kb.getKeys(waitRelease=False) + self.kb.getKeys(waitRelease=True)
        for press in presses:
            if not isinstance(press.name, str):
                press.name = str(press.name[0])
        return [p for p in presses if names is None or p.name in names]

    def get(self, names: list[str] | None = None) -> list[KeyEvent]:
        """Keys pressed since the last call, restricted to ``names`` (and the quit keys)."""
        quit_keys = self.frontend.keymap.quit
        wanted = None if names is None else list(names) + list(quit_keys)
        found = []
        for key in self.read(wanted):
            if key.name in quit_keys:
                self.frontend.confirm_quit()
                continue
            found.append(KeyEvent(key.name, self.clock.start_s + float(key.rt)))
        return found


class ClickReader:
    """Left-button presses since the last poll, with their session times (short taps are not lost).

    Task views that take clicks make one from the window frontend (its ``mouse`` and ``clock``).
    """

    def __init__(self, frontend: "WindowFrontend"):
        self.frontend = frontend
        self.mouse = frontend.mouse
        self.reset()

    def reset(self) -> None:
        """Forget earlier presses."""
        self.mouse.clickReset()
        self._since = self.frontend.clock.now()

    def poll(self) -> tuple[float, float, float] | None:
        """``(x, y, t)`` of a press since the last poll, or None."""
        _, times = self.mouse.getPressed(getTime=True)
        if not times[0]:
            return None
        x, y = self.mouse.getPos()
        t = self._since + float(times[0])
        self.reset()
        return float(x), float(y), t


class WindowFrontend(Frontend):
    """A PsychoPy window in ``height`` units with the battery's colours, font and keys.

    Parameters
    ----------
    display, keys : DisplaySettings, KeySettings
        Validated settings of the battery (after the participant profile).
    windowed : bool
        A window of ``display.size`` instead of the full screen.
    screenshots : Path or None
        Folder for a PNG of the first frame of every distinct screen, and for the layout
        check of every frame drawn (``layout.json``, :mod:`cogtrain.layoutview`).
    start_s : float
        Session time already elapsed (when resuming).
    refresh_probe : callable or None
        ``probe(win) -> flip intervals in seconds`` measuring the refresh rate
        (tests replace it to simulate a monitor or a failed measurement). None
        opens the window without measuring: call :meth:`measure_refresh` before
        a session runs (``cogtrain start`` shows its first screen sooner so).
    catalogue : Catalogue, optional
        The participant's texts (default: English).
    texts : iterable of str
        The battery's own texts (instructions, words), checked against the font with the catalogue's.

    Raises
    ------
    CogtrainError
        When the font is not installed or cannot draw a character of the texts.
    """

    kind = "window"
    player_attr = "view"

    def __init__(self, display: DisplaySettings, keys: KeySettings, windowed: bool = False,
                 screenshots: Path | None = None, start_s: float = 0.0,
                 refresh_probe: Callable[["visual.Window"], list[float]] | None = flip_intervals,
                 catalogue: Catalogue | None = None, texts: Iterable[str] = ()):
        self.display = display
        self.keymap = keys
        self.catalogue = catalogue or load_catalogue(REFERENCE)
        check_font(display.font, [INTERFACE_TEXT, *texts_in(self.catalogue.entries), *texts])
        fullscreen = display.fullscreen and not windowed
        size = display.size if fullscreen else fit_window(display.size, screen_size(display.screen))
        try:
            self.win = visual.Window(size=list(size), fullscr=fullscreen, screen=display.screen,
                                     units="height", color=display.background, colorSpace="hex",
                                     allowGUI=not fullscreen, checkTiming=False, winType="pyglet", title=TITLE)
        except Exception as exc:  # pyglet raises several unrelated types when no GL display is usable
            raise CogtrainError(f"cannot open the display window ({type(exc).__name__}: {exc})") from None
        self.win.mouseVisible = True
        self.screen_size = [int(v) for v in self.win.size]
        self.win.recordFrameIntervals = True
        self.refresh: Refresh | None = None
        self.frame_rate = NOMINAL_HZ
        if refresh_probe is not None:
            self.measure_refresh(refresh_probe)
        self.restart_clock(start_s)
        self.mouse = event.Mouse(win=self.win)
        self.screenshots = Path(screenshots) if screenshots else None
        if self.screenshots:
            self.screenshots.mkdir(parents=True, exist_ok=True)
        self._shot_names: set[str] = set()
        #: Measures every frame while screenshots are taken; saved as layout.json beside them.
        self.layout_probe = LayoutProbe(self, self.screenshots / REPORT).__enter__() if self.screenshots else None
        self.current_screen = ""
        self._last_flip = 0.0
        self.speaker = Speaker.for_display(display.speak_instructions, self.catalogue.language)

    def measure_refresh(self, probe: Callable[["visual.Window"], list[float]] = flip_intervals) -> Refresh:
        """Measure the refresh rate from flip intervals and convert durations at it from now on.

        A probe that fails leaves the rate unmeasured (durations then use :data:`NOMINAL_HZ`,
        recorded as assumed).
        """
        try:
            self.refresh = classify(list(probe(self.win)))
        except Exception as exc:  # any failure of the measurement is recorded, not fatal
            self.refresh = Refresh("unmeasured", None, f"the measurement failed ({type(exc).__name__}: {exc})")
        self.frame_rate = self.refresh.measured_hz if self.refresh.ok else NOMINAL_HZ
        return self.refresh

    def restart_clock(self, start_s: float) -> None:
        """Start the session clock at ``start_s`` seconds (a continued session's time so far)."""
        self.clock = SessionClock(start_s)
        self.keys = KeyReader(self)

    def display_problem(self) -> str | None:
        """Why this window cannot show the screens: portrait, too small, or text too small on it."""
        width, height = (int(v) for v in self.win.size)
        if width < height:
            return (f"the window is {width}x{height} pixels, taller than wide: turn the screen to landscape "
                    f"(at least {MIN_WINDOW[0]}x{MIN_WINDOW[1]})")
        if width < MIN_WINDOW[0] or height < MIN_WINDOW[1]:
            return f"the window is {width}x{height} pixels; at least {MIN_WINDOW[0]}x{MIN_WINDOW[1]} is needed"
        smallest = self.display.text_height * FOOTER_SCALE * height
        if smallest < MIN_TEXT_PX - 0.5:
            needed = MIN_TEXT_PX / (FOOTER_SCALE * height)
            return (f"display.text_height {self.display.text_height:g} gives {smallest:.0f}-pixel text on this "
                    f"{height}-line screen; at least {MIN_TEXT_PX:.0f} pixels are needed (text_height {needed:.3f} "
                    "or more)")
        return None

    @property
    def aspect(self) -> float:
        """Window width / height."""
        return float(self.win.size[0]) / float(self.win.size[1])

    @property
    def line_width(self) -> float:
        """Width text wraps at: the display's, within the window's edges."""
        return min(self.display.wrap_width, self.aspect - 2 * EDGE)

    def height_of(self, stim: visual.TextStim) -> float:
        """Height of a text as laid out, in height units."""
        return float(stim.boundingBox[1]) / float(self.win.size[1])

    # -- drawing primitives used by task views ---------------------------------------------
    def text(self, text: str, pos: tuple[float, float] = (0.0, 0.0), height: float | None = None,
             color: str | None = None, bold: bool = False) -> visual.TextStim:
        """A TextStim in the battery's font, size and colour, wrapped within the window.

        Right-to-left text is shaped and ordered by PsychoPy's language style; a wrapped
        line never ends a paragraph with one word alone.
        """
        return visual.TextStim(self.win, text=keep_last_words(text), pos=pos, height=height or self.display.text_height,
                               color=color or self.display.foreground, colorSpace="hex",
                               font=self.display.font, wrapWidth=self.line_width,
                               alignText="center", anchorHoriz="center", anchorVert="center", bold=bold,
                               languageStyle=language_style(text))

    def flip(self) -> float:
        """Show the back buffer; return the session time of the flip."""
        self.win.callOnFlip(self._mark_flip)
        self.win.flip()
        return self._last_flip

    def _mark_flip(self) -> None:
        self._last_flip = self.clock.now()

    def show_frames(self, stims: list, frames: int, screen: str) -> float:
        """Draw ``stims`` on ``frames`` successive frames (at least one), polling the quit keys after each.

        The first frame is saved as screenshot ``screen``. Returns the session time
        of the first flip, when the stimuli appeared.
        """
        onset = None
        for i in range(max(frames, 1)):
            for stim in stims:
                stim.draw()
            if i == 0:
                self.screenshot_once(screen)
            t = self.flip()
            onset = t if onset is None else onset
            self.check_quit()
        return float(onset)

    def screenshot_once(self, name: str) -> None:
        """Name the screen being drawn; save the back buffer as ``NN_<name>.png`` the first time it is drawn."""
        self.current_screen = name
        if self.screenshots is None or name in self._shot_names:
            return
        self._shot_names.add(name)
        self.win.getMovieFrame(buffer="back")
        self.win.saveMovieFrames(str(self.screenshots / f"{len(self._shot_names):02d}_{name}.png"))
        self.win.movieFrames = []

    def footer(self, text: str) -> visual.TextStim:
        """Small prompt at the bottom of the screen (:data:`FOOTER_SCALE` of the text height).

        It may use the whole width of the screen, so that with large text it stays on one
        line where it can; when it wraps, it grows upwards from the bottom edge.
        """
        stim = self.text(text, height=self.display.text_height * FOOTER_SCALE)
        stim.wrapWidth = self.aspect - 2 * EDGE
        stim.pos = (0, -0.5 + EDGE + self.height_of(stim) / 2)
        return stim

    def body(self, text: str, footer: visual.TextStim) -> visual.TextStim:
        """The main text of a screen, centred in the room above ``footer``."""
        bottom = footer.pos[1] + self.height_of(footer) / 2 + GAP
        return self.text(text, pos=(0, (0.5 - EDGE + bottom) / 2))

    def pages_of(self, text: str, footer: visual.TextStim) -> list[str]:
        """``text`` cut into pages that each fit above ``footer``."""
        room = 0.5 - EDGE - (footer.pos[1] + self.height_of(footer) / 2 + GAP)
        probe = self.text("")

        def fits(chunk: str) -> bool:
            probe.text = keep_last_words(chunk)
            return self.height_of(probe) <= room and float(probe.boundingBox[0]) <= self.line_width * self.win.size[1]

        return paginate(text, fits)

    def _key_label(self, keys: list[str]) -> str:
        return self.catalogue.key_label(keys[0])

    # -- generic screens ------------------------------------------------------------------
    def _wait_screen(self, stims: list, screen: str, keys: list[str], min_duration_s: float = 0.0,
                     footer: visual.TextStim | None = None, poll: Callable | None = None) -> str:
        """Draw ``stims`` until one of ``keys`` is pressed (not before ``min_duration_s``).

        While the minimum duration runs, ``footer`` counts down the seconds left;
        then it says which key continues. ``poll`` reads the keys (default: with
        the quit keys handled, :meth:`KeyReader.get`).
        """
        poll = poll or self.keys.get
        start = self.clock.now()
        ready_text = footer.text if footer is not None else ""
        drawn = [*stims, footer] if footer is not None else stims
        self.keys.clear()
        while True:
            remaining = min_duration_s - (self.clock.now() - start)
            if footer is not None:
                wanted = (self.catalogue.text("screens.wait", seconds=math.ceil(remaining)) if remaining > 0
                          else ready_text)
                if footer.text != wanted:
                    footer.text = wanted
            for stim in drawn:
                stim.draw()
            self.screenshot_once(screen)
            self.flip()
            for key in poll(keys):
                if remaining <= 0:
                    return key.name
            time.sleep(IDLE_S)

    def _page_hint(self, i: int, n: int) -> str:
        """Footer of page ``i`` (from 0) of ``n``."""
        forward, back = self.keymap.continue_, self.keymap.back
        hint = (self.catalogue.text("screens.continue_or_back", key=self._key_label(forward),
                                    back=self._key_label(back)) if i > 0 and back
                else self.catalogue.text("screens.continue", key=self._key_label(forward)))
        return self.catalogue.text("screens.paged", hint=hint, page=i + 1, pages=n)

    def show_pages(self, pages: list[str], screen: str, min_duration_s: float = 0.0) -> None:
        """Instruction pages; a page too long for the window is shown as several.

        The last page cannot be left before ``min_duration_s``.
        """
        widest = self.footer(self._page_hint(1, 99))
        pages = [part for page in pages for part in self.pages_of(page, widest)]
        forward, back = self.keymap.continue_, self.keymap.back
        i = 0
        while i < len(pages):
            footer = self.footer(self._page_hint(i, len(pages)))
            self.speaker.say(pages[i])
            key = self._wait_screen([self.body(pages[i], footer)], f"{screen}_{i + 1}", forward + back,
                                    min_duration_s if i == len(pages) - 1 else 0.0, footer=footer)
            i = i - 1 if key in back and i > 0 else i + (key in forward)

    def show_message(self, text: str, screen: str, min_duration_s: float = 0.0) -> None:
        """A message on one screen, or as numbered pages when it does not fit one."""
        footer = self.footer(self.catalogue.text("screens.continue", key=self._key_label(self.keymap.continue_)))
        if len(self.pages_of(text, footer)) > 1:
            self.show_pages([text], screen, min_duration_s)
            return
        self.speaker.say(text)
        self._wait_screen([self.body(text, footer)], screen, self.keymap.continue_, min_duration_s,
                          footer=footer)

    def show_summary(self, text: str, screen: str) -> None:
        """The last screen: it ends with the continue key, a click, the quit key, or by itself.

        Nothing follows it, so its footer says that it closes; it closes by itself after
        :data:`SUMMARY_S` seconds so that the window never waits on nothing. Large print
        where it fits, else smaller down to the display's text size, on pages if need be.
        """
        footer = self.footer(self.catalogue.text("session.close", key=self._key_label(self.keymap.continue_)))
        body = self.body(text, footer)
        body.wrapWidth = self.aspect - 2 * EDGE
        room = 0.5 - EDGE - (footer.pos[1] + self.height_of(footer) / 2 + GAP)
        body.height = large = max(LARGE_PRINT, self.display.text_height)
        if self.height_of(body) > room:  # large print where it fits, else down to the display's own size
            body.height = max(self.display.text_height, large * room / self.height_of(body))
        if self.height_of(body) > room:  # still too long: the display's size, on pages
            *before, last = self.pages_of(text, footer)
            if before:
                self.show_pages(before, screen)
            body = self.body(last, footer)
        self.speaker.say(text)
        self.keys.clear()
        clicks = ClickReader(self)
        end = self.clock.now() + SUMMARY_S
        while self.clock.now() < end:
            body.draw()
            footer.draw()
            self.screenshot_once(screen)
            self.flip()
            if self.keys.read(self.keymap.continue_ + self.keymap.quit) or clicks.poll() is not None:
                return
            time.sleep(IDLE_S)

    def ask_rating(self, prompt: str, screen: str, low: int = 0, high: int = 10,
                   anchors: tuple[str, str] = ("", "")) -> int | None:
        """Rating by arrow keys, digit keys or a click, confirmed with the continue key.

        Nothing is chosen at first; the continue key without a choice asks for one, and
        pressed again skips the question (None). Two digits typed in quick succession make
        one number (1 then 0 gives 10).
        """
        values = list(range(low, high + 1))
        value: int | None = None
        height = self.display.text_height
        width = scale_box_width(len(values), height, self.aspect)
        xs = [(i - (len(values) - 1) / 2) * width for i in range(len(values))]
        boxes = [visual.Rect(self.win, width=width * 0.9, height=width * 0.9, pos=(x, -0.05), lineWidth=3,
                             lineColor=self.display.foreground, colorSpace="hex", fillColor=None,
                             name=f"target rating {v}")
                 for v, x in zip(values, xs)]
        labels = [self.text(str(v), pos=(x, -0.05)) for v, x in zip(values, xs)]
        ends = [self.text(anchor, pos=(x, -0.05 - width), height=height * FOOTER_SCALE) for anchor, x in
                zip(anchors, (xs[0] - width / 2, xs[-1] + width / 2)) if anchor]
        for end, side in zip(ends, ("left", "right")):
            end.anchorHoriz = side
            end.alignText = side
        digit_keys = [str(d) for d in range(10)]
        keys = self.keymap.continue_ + ["left", "right", "return"] + digit_keys
        go = self._key_label(self.keymap.continue_)
        hint = self.footer(self.catalogue.text("screens.rating_hint", key=go))
        question = self.text(prompt, pos=(0, 0.2))
        ask = self.text(self.catalogue.text("screens.choose_or_skip", key=go),
                        pos=(0, 0.2 - self.height_of(question) / 2 - GAP), height=height * FOOTER_SCALE,
                        color=self.display.accent)
        ask.pos = (0, ask.pos[1] - self.height_of(ask) / 2)
        self.speaker.say(" ".join([prompt, *anchors]))
        self.keys.clear()
        clicks = ClickReader(self)
        shown, asked, digit = -1, False, None  # digit: (value, time) of a digit that may start two
        while True:
            if value != shown:  # repaint the boxes only when the choice changes
                for v, box, label in zip(values, boxes, labels):
                    box.fillColor = self.display.foreground if v == value else None
                    label.color = self.display.background if v == value else self.display.foreground
                    box.lineWidth = 6 if v == value else 3
                shown = value
            for stim in (*boxes, *labels, question, hint, *ends, *([ask] if asked else [])):
                stim.draw()
            self.screenshot_once(f"{screen}_ask" if asked else screen)
            self.flip()
            for key in self.keys.get(keys):
                if key.name in self.keymap.continue_ or key.name == "return":
                    if value is not None or asked:
                        return value
                    asked = True
                elif key.name in ("left", "right"):
                    step = -1 if key.name == "left" else 1
                    value = values[len(values) // 2] if value is None else min(high, max(low, value + step))
                elif key.name in digit_keys:
                    both = None if digit is None else digit[0] * 10 + int(key.name)
                    if both is not None and key.t - digit[1] <= DIGIT_GAP_S and low <= both <= high:
                        value, digit = both, None
                    else:
                        value = int(key.name) if low <= int(key.name) <= high else value
                        digit = (int(key.name), key.t)
            click = clicks.poll()  # a click since the last poll, however short
            if click:
                value = next((v for v, box in zip(values, boxes) if box.contains(*click[:2])), value)
            time.sleep(IDLE_S)

    def ask_choice(self, prompt: str, options: list[str], screen: str) -> int:
        """Large answer boxes chosen by ← →, by number keys 1, 2, ... or by a click; nothing is chosen first.

        The continue key confirms; pressed before a choice, it asks for one.
        """
        height = self.display.text_height
        width = min(0.9 * self.win.size[0] / self.win.size[1] / len(options), max(0.35, 5 * height))
        xs = [(i - (len(options) - 1) / 2) * width for i in range(len(options))]
        boxes = [visual.Rect(self.win, width=width * 0.9, height=3 * height, pos=(x, -0.05), lineWidth=3,
                             lineColor=self.display.foreground, colorSpace="hex", fillColor=None,
                             name=f"target {option}") for option, x in zip(options, xs)]
        labels = [self.text(f"{option}  ({i + 1})", pos=(x, -0.05)) for i, (option, x) in enumerate(zip(options, xs))]
        number_keys = [str(i + 1) for i in range(len(options))]
        keys = self.keymap.continue_ + ["left", "right", "return"] + number_keys
        hint = self.footer(self.catalogue.text("screens.choice_hint", key=self._key_label(self.keymap.continue_)))
        question = self.text(prompt, pos=(0, 0.2))
        self.speaker.say(" ".join([prompt, *options]))
        self.keys.clear()
        clicks = ClickReader(self)
        chosen: int | None = None
        shown: int | None = -1
        while True:
            if chosen != shown:
                for i, (box, label) in enumerate(zip(boxes, labels)):
                    box.fillColor = self.display.foreground if i == chosen else None
                    label.color = self.display.background if i == chosen else self.display.foreground
                    box.lineWidth = 6 if i == chosen else 3
                shown = chosen
            for stim in (*boxes, *labels, question, hint):
                stim.draw()
            self.screenshot_once(screen)
            self.flip()
            for key in self.keys.get(keys):
                if key.name in self.keymap.continue_ or key.name == "return":
                    if chosen is not None:
                        return chosen
                    hint.text = self.catalogue.text("screens.choose_first")
                elif key.name == "left":
                    chosen = len(options) - 1 if chosen is None else max(0, chosen - 1)
                elif key.name == "right":
                    chosen = 0 if chosen is None else min(len(options) - 1, chosen + 1)
                elif key.name in number_keys:
                    chosen = number_keys.index(key.name)
            click = clicks.poll()
            if click:
                chosen = next((i for i, box in enumerate(boxes) if box.contains(*click[:2])), chosen)
            time.sleep(IDLE_S)

    def confirm_quit(self) -> None:
        """Ask whether to end the session; raise SessionAborted on yes, return on no."""
        yes, no = self.keymap.confirm_quit, self.keymap.cancel_quit
        question = self.text(self.catalogue.text("screens.quit_question"), pos=(0, 0.08))
        footer = self.footer(self.catalogue.text("screens.quit_footer", yes=self._key_label(yes),
                                                 no=self._key_label(no)))
        if self._wait_screen([question], "confirm_quit", yes + no, footer=footer, poll=self.keys.read) in yes:
            raise SessionAborted("ended by the participant")
        self._count_down(lambda left: self.catalogue.text("screens.carry_on_in", seconds=left),
                         RESUME_COUNTDOWN_S, "resume_countdown")

    def _count_down(self, text: Callable[[int], str], seconds: float, screen: str) -> None:
        """Show ``text(whole seconds left)`` for ``seconds`` (no keys are read)."""
        stim = self.text("")
        end = self.clock.now() + seconds
        while (left := end - self.clock.now()) > 0:
            stim.text = text(math.ceil(left))
            stim.draw()
            self.screenshot_once(screen)
            self.flip()
            time.sleep(IDLE_S)
        self.keys.clear()

    def check_quit(self) -> None:
        """Poll the quit keys between frames (trial loops call this if they read no other keys)."""
        self.keys.get([])

    def close(self) -> None:
        if self.layout_probe is not None:
            self.layout_probe.__exit__(None, None, None)
        self.speaker.stop()
        self.win.close()
