"""The screens of ``cogtrain start`` in the PsychoPy window: start screen, chooser, researcher dialog.

View code (it draws in a :class:`cogtrain.window.WindowFrontend`); what the
screens say comes from :mod:`cogtrain.programme` and :mod:`cogtrain.start`.
Every screen works with keys and with the mouse; Escape leaves it (Not now).
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any, Sequence

from psychopy import visual

from cogtrain.layoutview import TARGET
from cogtrain.window import IDLE_S, LARGE_PRINT, ClickReader, WindowFrontend

#: Title text of the start screens relative to large print (the buttons use large print).
TITLE_SCALE = 1.25
#: Share of a button's width its label may take.
LABEL_SHARE = 0.9
#: Space kept free at the window's edges, and between the title and the buttons (height units).
EDGE, GAP = 0.03, 0.05
#: Text height of the researcher dialog (researcher-facing, so not in large print).
DIALOG_HEIGHT = 0.045
#: Keys that confirm a choice besides the battery's continue key, and that leave a screen.
CONFIRM, LEAVE = ["return"], ["escape"]
NUMBERS = [str(i) for i in range(1, 10)]


def _aspect(fe: WindowFrontend) -> float:
    return float(fe.win.size[0]) / float(fe.win.size[1])


def _heights(fe: WindowFrontend) -> tuple[float, float]:
    """Title and button text heights: large print, or the participant's text if larger."""
    button = max(LARGE_PRINT, fe.display.text_height)
    return TITLE_SCALE * button, button


@dataclass
class Button:
    """A framed label that can be highlighted and clicked."""

    box: Any
    label: Any
    value: Any

    def paint(self, fe: WindowFrontend, on: bool) -> None:
        """Filled when highlighted, outlined otherwise."""
        self.box.fillColor = fe.display.foreground if on else None
        self.box.lineWidth = 6 if on else 3
        self.label.color = fe.display.background if on else fe.display.foreground

    def draw(self) -> None:
        self.box.draw()
        self.label.draw()


def _button(fe: WindowFrontend, text: str, pos: tuple[float, float], size: tuple[float, float],
            height: float, value: Any) -> Button:
    box = visual.Rect(fe.win, width=size[0], height=size[1], pos=pos, lineWidth=3,
                      lineColor=fe.display.foreground, colorSpace="hex", fillColor=None, name=f"{TARGET} {text}")
    label = fe.text(text, pos=pos, height=height)
    label.wrapWidth = None  # one line, made smaller if it is wider than the button
    room = LABEL_SHARE * size[0]
    wide = _width(fe, label)
    if wide > room:
        label.height = height * room / wide
    return Button(box, label, value)


def _width(fe: WindowFrontend, stim: Any) -> float:
    """Width of a laid-out text in height units."""
    return float(stim.boundingBox[0]) / float(fe.win.size[1])


def menu(fe: WindowFrontend, title: str, options: Sequence[str], screen: str,
         preselect: int | None = None) -> int | None:
    """A large title above large buttons; return the index chosen, or None for Escape.

    Options that do not fit one screen are paged (More / Back buttons, ← → keys).
    Keys: ↑ ↓ ← → move the highlight, 1-9 choose a button of the page, the continue
    key or Enter confirms the highlight; a click on a button chooses it.
    """
    title_h, button_h = _heights(fe)
    aspect = _aspect(fe)
    heading = fe.text(title, pos=(0, 0.5 - EDGE), height=title_h)
    heading.wrapWidth = 0.94 * aspect
    heading.anchorVert = "top"
    probe = fe.text("", height=button_h)
    probe.wrapWidth = None
    widest = 0.0
    for k, option in enumerate(options):
        probe.text = f"{option}  ({k % len(NUMBERS) + 1})"
        widest = max(widest, _width(fe, probe))
    two = min(0.9 * aspect / 2, max(0.5, 8 * button_h))
    columns = 2 if len(options) > 1 and widest <= LABEL_SHARE * two else 1
    width = two if columns == 2 else min(0.9 * aspect, max(0.5, widest / LABEL_SHARE))
    row, pitch = 1.9 * button_h, 2.2 * button_h  # button height, and distance between rows
    nav_y = -0.5 + 0.14 + row * 0.35  # the More / Back row, above the footer
    top = 0.5 - EDGE - float(heading.boundingBox[1]) / float(fe.win.size[1]) - GAP

    def rows_above(bottom: float) -> int:
        return max(1, int((top - bottom + pitch - row) // pitch))

    unpaged = rows_above(-0.38) * columns
    per_page = min(len(NUMBERS), len(options) if len(options) <= unpaged
                   else rows_above(nav_y + row * 0.35 + GAP / 2) * columns)
    pages = [list(range(i, min(i + per_page, len(options)))) for i in range(0, len(options), per_page)]
    text = fe.catalogue.text
    footer = fe.footer(text("start.hint", key=fe.catalogue.key_label(fe.keymap.continue_[0]),
                            leave=fe.catalogue.key_label(LEAVE[0])))
    back_label, more_label = text("start.back"), text("start.more")
    page, chosen = 0, preselect
    keys = fe.keymap.continue_ + CONFIRM + LEAVE + ["up", "down", "left", "right", "pageup", "pagedown"] + NUMBERS

    def layout(p: int) -> tuple[list[Button], list[Button]]:
        buttons = []
        for k, index in enumerate(pages[p]):
            r, c = divmod(k, columns)
            x = (c - (columns - 1) / 2) * (width + 0.03) if len(pages[p]) > 1 else 0.0
            y = top - row / 2 - r * pitch
            buttons.append(_button(fe, f"{options[index]}  ({k + 1})", (x, y), (width, row), button_h, index))
        nav = []
        if len(pages) > 1:
            if p > 0:
                nav.append(_button(fe, back_label, (-0.3 * aspect, nav_y), (0.4, row * 0.7), button_h * 0.8, -1))
            if p < len(pages) - 1:
                nav.append(_button(fe, more_label, (0.3 * aspect, nav_y), (0.4, row * 0.7), button_h * 0.8, +1))
        return buttons, nav

    buttons, nav = layout(page)
    counter = fe.text(text("start.page", page=1, pages=len(pages)), pos=(0, nav_y),
                      height=button_h * 0.7)

    def turn_page(step: int) -> None:
        """Show the page ``step`` pages on (if there is one); a highlight moves to its first button."""
        nonlocal page, buttons, nav, chosen
        if 0 <= page + step < len(pages):
            page += step
            buttons, nav = layout(page)
            counter.text = fe.catalogue.text("start.page", page=page + 1, pages=len(pages))
            chosen = pages[page][0] if chosen is not None else None

    fe.keys.clear()
    clicks = ClickReader(fe)
    while True:
        for button in buttons:
            button.paint(fe, button.value == chosen)
        for stim in (heading, *buttons, *nav, footer, *([counter] if len(pages) > 1 else [])):
            stim.draw()
        fe.screenshot_once(f"{screen}_{page + 1}" if len(pages) > 1 else screen)
        fe.flip()
        for key in fe.keys.read(keys):  # in the order pressed: a page turned by one key is the next key's page
            turn = 0
            if key.name in LEAVE:
                return None
            if key.name in fe.keymap.continue_ + CONFIRM:
                if chosen is not None:
                    return chosen
                footer.text = text("screens.choose_first")
            elif key.name in NUMBERS and int(key.name) <= len(pages[page]):
                chosen = pages[page][int(key.name) - 1]
            elif key.name in ("pageup", "pagedown"):
                turn = -1 if key.name == "pageup" else 1
            else:
                on_page = pages[page]
                step = {"up": -columns, "down": columns, "left": -1, "right": 1}[key.name]
                if chosen is None or chosen not in on_page:
                    chosen = on_page[0]
                elif 0 <= on_page.index(chosen) + step < len(on_page):
                    chosen = on_page[on_page.index(chosen) + step]
                elif key.name in ("left", "right"):
                    turn = step
            if turn:
                turn_page(turn)
        click = clicks.poll()
        if click is not None:
            for button in buttons:
                if button.box.contains(click[0], click[1]):
                    return button.value
            for button in nav:
                if button.box.contains(click[0], click[1]):
                    turn_page(button.value)
                    break
        time.sleep(IDLE_S)


def dialog(fe: WindowFrontend, title: str, fields: Sequence[tuple[str, Sequence[str]]], screen: str,
           note: str = "") -> list[int] | None:
    """A form of fields, each a list of values (PsychoPy's start dialog, drawn in the window).

    Returns the index of the value chosen in each field, or None for Cancel / Escape.
    ↑ ↓ move between fields, ← → change the value, Enter confirms; a click on a
    value shows the next one, a click on OK or Cancel ends the dialog.
    """
    _, button_h = _heights(fe)
    h = DIALOG_HEIGHT
    aspect = _aspect(fe)
    heading = fe.text(title, pos=(0, 0.4), height=button_h)
    text = fe.catalogue.text
    hint = fe.footer(text("start.dialog_hint", confirm=fe.catalogue.key_label(CONFIRM[0]),
                          leave=fe.catalogue.key_label(LEAVE[0])))
    remark = fe.text(note, pos=(0, -0.13), height=h * 0.8)
    remark.wrapWidth = 0.9 * aspect
    chosen = [0] * len(fields)
    focus = 0
    rows = []
    box_width = 0.62 * aspect
    box_x = aspect / 2 - EDGE - box_width / 2
    for i, (label, values) in enumerate(fields):
        y = 0.26 - i * 2.4 * h
        name = fe.text(label, pos=(box_x - box_width / 2 - h, y), height=h)
        name.anchorHoriz, name.alignText = "right", "right"
        box = visual.Rect(fe.win, width=box_width, height=1.8 * h, pos=(box_x, y), lineWidth=3,
                          lineColor=fe.display.foreground, colorSpace="hex", fillColor=None, name=f"{TARGET} {label}")
        value = fe.text("", pos=(box_x, y), height=h)
        value.wrapWidth = None
        longest = max((f"← {v} →" for v in values), key=len, default="")
        value.text = longest
        if _width(fe, value) > LABEL_SHARE * box_width:
            value.height = h * LABEL_SHARE * box_width / _width(fe, value)
        rows.append((name, box, value))
    ok = _button(fe, text("start.ok"), (0.2, -0.26), (0.3, 2 * h), h, "ok")
    cancel = _button(fe, text("start.cancel"), (-0.2, -0.26), (0.3, 2 * h), h, "cancel")
    keys = CONFIRM + LEAVE + ["up", "down", "left", "right", "tab"]
    fe.keys.clear()
    clicks = ClickReader(fe)
    while True:
        for i, ((_, values), (_, box, value)) in enumerate(zip(fields, rows)):
            shown = values[chosen[i]] if values else ""
            arrows = len(values) > 1
            value.text = f"← {shown} →" if arrows and i == focus else shown
            box.lineWidth = 6 if i == focus else 2
        for stim in (heading, *[s for r in rows for s in r], remark, hint):
            stim.draw()
        ok.draw()
        cancel.draw()
        fe.screenshot_once(screen)
        fe.flip()
        for key in fe.keys.read(keys):
            if key.name in LEAVE:
                return None
            if key.name in CONFIRM:
                return chosen
            if key.name in ("up", "down", "tab"):
                focus = (focus + (-1 if key.name == "up" else 1)) % len(fields)
            elif fields[focus][1]:
                chosen[focus] = (chosen[focus] + (-1 if key.name == "left" else 1)) % len(fields[focus][1])
        click = clicks.poll()
        if click is not None:
            if ok.box.contains(click[0], click[1]):
                return chosen
            if cancel.box.contains(click[0], click[1]):
                return None
            for i, (_, box, _) in enumerate(rows):
                if box.contains(click[0], click[1]) and fields[i][1]:
                    focus = i
                    chosen[i] = (chosen[i] + 1) % len(fields[i][1])
        time.sleep(IDLE_S)


def getting_ready(fe: WindowFrontend) -> None:
    """One frame saying that the session is being prepared (loading takes a moment)."""
    fe.text(fe.catalogue.text("start.ready"), height=_heights(fe)[1]).draw()
    fe.screenshot_once("getting_ready")
    fe.flip()
