"""The tower task in a PsychoPy window: the goal and the participant's pegs, moved by mouse or keys.

To move, the participant clicks (or presses the key of) the peg to take
from — its top piece rises above the pegs and the peg's column gets a thick
frame — then the peg to put it on. Clicking the same peg again puts the piece
back. Refused moves get a short, neutral note and change nothing. The rules
and timing live in :class:`~cogtrain.tasks.tower.attempt.Attempt`; this
module only draws and reads input.
"""
from __future__ import annotations

from typing import Any

from psychopy import visual

from cogtrain.layout import MIN_TARGET_PX
from cogtrain.tasks.tower.attempt import Attempt, TowerTrial, refusal_texts
from cogtrain.tasks.tower.layout import (FRAME_PAD, MIN_TARGET, Board, label_colour, piece_colour, screen_layout,
                                         text_lines, text_width, wrap_parts)
from cogtrain.tasks.tower.puzzle import State
from cogtrain.timing import frames
from cogtrain.window import ClickReader

#: Between the parts of the status line.
STATUS_SEPARATOR = " · "
#: Stands for the widest number in the status line and outcome (two digits: Hanoi 6 needs 63 moves).
WIDE_NUMBER = 88


class _BoardStims:
    """Pegs, base and pieces of one board, drawn at a state."""

    def __init__(self, win: visual.Window, board: Board, display: Any):
        self.board = board
        fg = display.foreground
        puzzle = board.puzzle
        peg_w = max(0.018, 0.2 * board.piece)
        self.fixed = [visual.Rect(win, width=board.width * 0.96, height=0.25 * board.piece,
                                  pos=(board.left + board.width / 2, board.bottom + 0.125 * board.piece),
                                  fillColor=fg, lineColor=None, colorSpace="hex")]
        for peg in range(puzzle.n_pegs):
            h = board.peg_height(peg)
            self.fixed.append(visual.Rect(win, width=peg_w, height=h, pos=(board.peg_x(peg), board.base_y + h / 2),
                                          fillColor=fg, lineColor=None, colorSpace="hex"))
        self.pieces: dict[str, tuple[visual.BaseVisualStim, visual.TextStim]] = {}
        for piece in puzzle.pieces:
            fill, w = piece_colour(puzzle, piece), board.piece_width(piece)
            if puzzle.kind == "tol":
                shape = visual.Circle(win, radius=w / 2 * 0.96, edges=64, fillColor=fill, lineColor=fg,
                                      lineWidth=3, colorSpace="hex")
            else:
                shape = visual.Rect(win, width=w, height=board.piece * 0.92, fillColor=fill, lineColor=fg,
                                    lineWidth=3, colorSpace="hex")
            label_h = board.piece * (0.55 if puzzle.kind == "tol" else 0.7)
            label = visual.TextStim(win, text=piece, height=label_h, color=label_colour(fill),
                                    colorSpace="hex", font=display.font, bold=True)
            self.pieces[piece] = (shape, label)

    def draw(self, state: State, lifted: int | None = None) -> None:
        for stim in self.fixed:
            stim.draw()
        for piece, x, y in self.board.pieces(state, lifted):
            shape, label = self.pieces[piece]
            shape.pos = label.pos = (x, y)
            shape.draw()
            label.draw()


class _Button:
    """A large labelled button, wide enough for its label (click target well over 44 px)."""

    def __init__(self, frontend: Any, text: str, pos: tuple[float, float], size: tuple[float, float],
                 right_edge: float | None = None):
        display = frontend.display
        label_h = min(display.text_height * 0.8, size[1] * 0.6)
        width = max(size[0], text_width(text, label_h) + 0.06)
        x = pos[0] if right_edge is None else right_edge - width / 2
        self.pos, self.size = (x, pos[1]), (width, size[1])
        self.box = visual.Rect(frontend.win, width=width, height=size[1], pos=self.pos, name=f"target {text}",
                               lineColor=display.foreground, lineWidth=4, fillColor=None, colorSpace="hex")
        self.label = frontend.text(text, pos=self.pos, height=label_h)

    def contains(self, x: float, y: float) -> bool:
        """Whether (x, y) is on the button."""
        return abs(x - self.pos[0]) <= self.size[0] / 2 and abs(y - self.pos[1]) <= self.size[1] / 2

    def draw(self) -> None:
        """Draw frame and label."""
        self.box.draw()
        self.label.draw()


class TowerView:
    """Window player of the tower task (implements ``TowerPlayer``).

    Parameters
    ----------
    frontend : cogtrain.window.WindowFrontend
    settings : TowerSettings
    """

    def __init__(self, frontend: Any, settings: Any):
        self.frontend = frontend
        self.settings = settings
        self.keys = settings.keys
        self.catalogue = catalogue = frontend.catalogue
        text = catalogue.text
        #: Labels above the goal picture (a copy problem's goal shows the move to copy) and the participant's pegs.
        self.goal_text, self.copy_text = text("tower.goal_label"), text("tower.copy_label")
        self.work_text = text("tower.work_label")
        self.refusals = refusal_texts(catalogue, catalogue.key_label(self.keys.plan_done))
        win = frontend.win
        self.puzzle = puzzle = settings.make_puzzle()
        display = frontend.display
        aspect = win.size[0] / win.size[1]
        target = max(MIN_TARGET, MIN_TARGET_PX / float(win.size[1]))
        first = screen_layout(puzzle, aspect, display.text_height, min_target=target)  # widths, whatever the lines
        status = wrap_parts(self._widest_status_parts(), STATUS_SEPARATOR, first.text_width, first.status_height)
        message = max(text_lines(text, first.text_width, display.text_height) for text in self._messages())
        labels = [self.goal_text, self.work_text, *([self.copy_text] if settings.motor_control else [])]
        label = max(text_lines(text, first.label_width, display.text_height, bold=True) for text in labels)
        self.layout = layout = screen_layout(puzzle, aspect, display.text_height, len(status), message, label,
                                             min_target=target)
        self.goal_stims = _BoardStims(win, layout.goal, display)
        self.work_stims = _BoardStims(win, layout.work, display)
        g = layout.goal
        self.goal_frame = visual.Rect(win, width=g.width + 2 * FRAME_PAD, height=g.height + 2 * FRAME_PAD,
                                      pos=(g.left + g.width / 2, g.bottom + g.height / 2),
                                      lineColor=display.foreground, lineWidth=2, fillColor=None, colorSpace="hex")
        w = layout.work
        self.selection = visual.Rect(win, width=w.column * 0.96, height=w.height, lineColor=display.accent,
                                     lineWidth=8, fillColor=None, colorSpace="hex")
        self.peg_numbers = [frontend.text(catalogue.key_label(key), pos=(w.peg_x(p), layout.peg_numbers.y),
                                          height=layout.peg_number_height)
                            for p, key in enumerate(self.keys.pegs)]
        self.goal_label = frontend.text(self.goal_text, pos=(g.left + g.width / 2, layout.goal_label.y), bold=True)
        self.work_label = frontend.text(self.work_text, pos=(w.left + w.width / 2, layout.work_label.y), bold=True)
        self.goal_label.wrapWidth = self.work_label.wrapWidth = layout.label_width
        self.status = frontend.text("", pos=(0.0, layout.status.y), height=layout.status_height)
        self.message = frontend.text("", pos=(0.0, layout.message.y), color=display.accent)
        self.status.wrapWidth = self.message.wrapWidth = layout.text_width
        self.skip = _Button(frontend, f"{text('tower.skip_button')} ({catalogue.key_label(self.keys.give_up)})",
                            layout.skip_button, layout.button_size,
                            right_edge=layout.skip_button[0] + layout.button_size[0] / 2)
        self.ready = _Button(frontend, f"{text('tower.ready_button')} ({catalogue.key_label(self.keys.plan_done)})",
                             layout.ready_button, layout.button_size)
        self.continue_prompt = frontend.footer(text("tower.continue_footer",
                                                    key=catalogue.key_label(frontend.keymap.continue_[0])))
        self.continue_prompt.pos = (0.0, layout.skip_button[1])
        self.clicks = ClickReader(frontend)
        self.message_frames = frames(settings, "message", frontend.frame_rate)

    # -- one problem -------------------------------------------------------------------
    def play(self, trial: TowerTrial, attempt: Attempt) -> None:
        """Show the problem until it is solved, skipped or a limit ends it; then the outcome."""
        fe = self.frontend
        selected: tuple[int, float] | None = None  # (peg, time picked up)
        note, note_frames = "", 0
        motor = trial.problem_type == "motor"
        self.goal_label.text = self.copy_text if motor else self.goal_text
        self.message.text = ""
        fe.keys.clear()
        wanted = [*self.keys.pegs, self.keys.give_up, self.keys.plan_done]
        asking = False  # the skip key was pressed once: a second press skips, anything else carries on
        while not attempt.finished:
            if note_frames:
                note_frames -= 1
            self.message.text = (self._skip_question() if asking else note if note_frames
                                 else self._hint(trial, attempt, selected))
            self._draw(trial, attempt, None if selected is None else selected[0])
            fe.screenshot_once(f"tower_{trial.problem_type}_skip" if asking
                               else self._screen_name(trial, attempt, selected, bool(note_frames)))
            t = fe.flip()
            if attempt.onset is None:
                attempt.begin(t)
                self.clicks.reset()
            for peg, t_in, action in self._inputs(fe.keys.get(wanted)):
                if attempt.finished:
                    break
                if action == "give_up" and not asking:
                    asking = True
                    continue
                asking = False
                selected, refusal = self._act(attempt, selected, peg, t_in, action)
                note, note_frames = (self.refusals[refusal], self.message_frames) if refusal else ("", 0)
            attempt.check_time(fe.clock.now())
        self._outcome(trial, attempt)

    def _act(self, attempt: Attempt, selected: tuple[int, float] | None, peg: int,
             t: float, action: str) -> tuple[tuple[int, float] | None, str | None]:
        """Apply one input; return the new selection and the refusal reason (None if accepted).

        The first peg chosen lifts its top piece, the second receives it (a refused
        move leaves it lifted); choosing the lifted piece's peg again puts it back.
        """
        if action == "give_up":
            attempt.give_up(t)
            return None, None
        if action == "ready":
            attempt.confirm_plan(t)
            return selected, None
        if selected is None:
            refusal = attempt.pick_refusal(peg)
            return (None, refusal) if refusal else ((peg, t), None)
        if selected[0] == peg:
            return None, None
        refusal = attempt.try_move(selected[0], peg, selected[1], t)
        return (selected, refusal) if refusal else (None, None)  # a refused move leaves the piece in hand

    def _inputs(self, keys: list) -> list[tuple[int, float, str]]:
        """Key presses and clicks as ``(peg, time, action)``, in time order."""
        found = []
        for key in keys:
            if key.name == self.keys.give_up:
                found.append((-1, key.t, "give_up"))
            elif key.name == self.keys.plan_done:
                found.append((-1, key.t, "ready"))
            else:
                found.append((self.keys.pegs.index(key.name), key.t, "peg"))
        click = self.clicks.poll()
        if click:
            x, y, t = click
            peg = self.layout.work.peg_at(x, y)
            if peg is not None:
                found.append((peg, t, "peg"))
            elif self.skip.contains(x, y):
                found.append((-1, t, "give_up"))
            elif self.ready.contains(x, y):
                found.append((-1, t, "ready"))
        return sorted(found, key=lambda item: item[1])

    def _hint(self, trial: TowerTrial, attempt: Attempt, selected: tuple[int, float] | None) -> str:
        if attempt.awaiting_plan:
            return self._plan_hint()
        if trial.problem_type == "motor" and attempt.expected_move:
            return self._copy_hint(*attempt.expected_move)
        if selected is not None:
            return self.catalogue.text("tower.put_hint")
        return ""

    def _skip_question(self) -> str:
        """The question after the skip key or button was used once."""
        return self.catalogue.text("tower.skip_question", key=self.catalogue.key_label(self.keys.give_up),
                                   button=self.catalogue.text("tower.skip_button"))

    def _plan_hint(self) -> str:
        """The hint while a plan-first problem waits for the plan."""
        return self.catalogue.text("tower.plan_hint", key=self.catalogue.key_label(self.keys.plan_done))

    def _copy_hint(self, source: int, target: int) -> str:
        """The hint naming the move to copy."""
        pegs, label = self.keys.pegs, self.catalogue.key_label
        return self.catalogue.text("tower.copy_hint", source=label(pegs[source]), target=label(pegs[target]))

    def _status_parts(self, practice: bool, number: int, problems: int, min_moves: int | None, moves: int,
                      move_limit: int | None, time_left: float | None) -> list[str]:
        """The pieces of the status line (``min_moves`` None: a copy problem shows no minimum)."""
        text = self.catalogue.text
        parts = [text("tower.practice")] if practice else []
        if problems:
            parts.append(text("tower.problem_of", number=number, problems=problems))
        if min_moves is not None:
            parts.append(text("tower.fewest", moves=min_moves))
        parts.append(text("tower.moves_of", moves=moves, limit=move_limit) if move_limit
                     else text("tower.moves", moves=moves))
        if time_left is not None:
            parts.append(text("tower.time_left", seconds=f"{time_left:.0f}"))
        return parts

    def _widest_status_parts(self) -> list[str]:
        """The status line at its longest under these settings (to reserve its lines)."""
        s = self.settings
        return self._status_parts(s.practice_problems > 0, WIDE_NUMBER, WIDE_NUMBER, WIDE_NUMBER,
                                  s.move_limit or WIDE_NUMBER, s.move_limit, s.time_limit_s)

    def _status(self, trial: TowerTrial, attempt: Attempt) -> str:
        left = None
        if trial.time_limit_s and attempt.onset is not None:
            left = max(0.0, attempt.onset + trial.time_limit_s - self.frontend.clock.now())
        min_moves = None if trial.problem_type == "motor" else trial.problem.min_moves
        parts = self._status_parts(trial.practice, trial.number, trial.problems, min_moves, len(attempt.moves),
                                   trial.move_limit, left)
        return "\n".join(wrap_parts(parts, STATUS_SEPARATOR, self.layout.text_width, self.layout.status_height))

    def _messages(self) -> list[str]:
        """Every note, hint and outcome these settings can show, with the widest numbers."""
        s = self.settings
        unused = {"peg full" if self.puzzle.kind == "hanoi" else "larger on smaller"}
        unused |= set() if s.plan_first else {"plan first"}
        unused |= set() if s.motor_control else {"off guide"}
        notes = [note for reason, note in self.refusals.items() if reason not in unused]
        hints = [self.catalogue.text("tower.put_hint"), self._skip_question()]
        if s.plan_first:
            hints.append(self._plan_hint())
        if s.motor_control:
            widest = self.keys.pegs.index(max(self.keys.pegs, key=len))
            hints.append(self._copy_hint(widest, widest))
        outcomes = [self._outcome_line(reason == "solved", WIDE_NUMBER, WIDE_NUMBER - 1, reason)
                    for reason in ("solved", "gave_up", "time_limit", "move_limit")]
        return [*notes, *hints, *outcomes, self.catalogue.text("tower.done")]

    def _draw(self, trial: TowerTrial, attempt: Attempt, lifted: int | None, show_buttons: bool = True) -> None:
        goal = attempt.guide_state if trial.problem_type == "motor" else trial.problem.goal
        self.goal_frame.draw()
        self.goal_stims.draw(goal)
        self.work_stims.draw(attempt.state, lifted)
        if lifted is not None:
            w = self.layout.work
            self.selection.pos = (w.peg_x(lifted), w.bottom + w.height / 2)
            self.selection.draw()
        for stim in (*self.peg_numbers, self.goal_label, self.work_label):
            stim.draw()
        self.status.text = self._status(trial, attempt)
        self.status.draw()
        if self.message.text:
            self.message.draw()
        if show_buttons:
            self.skip.draw()
            if attempt.awaiting_plan:
                self.ready.draw()

    @staticmethod
    def _screen_name(trial: TowerTrial, attempt: Attempt, selected: Any, refused: bool) -> str:
        base = f"tower_{trial.problem_type}"
        if refused:
            return f"{base}_refused"
        if attempt.awaiting_plan:
            return f"{base}_planning"
        return f"{base}_selected" if selected is not None else base

    # -- after the problem -------------------------------------------------------------
    def _outcome_text(self, trial: TowerTrial, attempt: Attempt) -> str:
        return self._outcome_line(attempt.solved, len(attempt.moves), trial.problem.min_moves, attempt.end_reason)

    def _outcome_line(self, solved: bool, moves: int, best: int, end_reason: str | None) -> str:
        """What the participant is told at the end of a problem."""
        text = self.catalogue.text
        if solved:
            return (text("tower.solved_fewest", moves=moves) if moves == best
                    else text("tower.solved_in", moves=moves, best=best))
        if end_reason == "time_limit":
            return text("tower.time_up")
        if end_reason == "move_limit":
            return text("tower.last_move")
        return text("tower.skipped")

    def _outcome(self, trial: TowerTrial, attempt: Attempt) -> None:
        """Show the final pegs with the outcome; self-paced when feedback is on."""
        fe = self.frontend
        self.message.text = self._outcome_text(trial, attempt) if trial.feedback else self.catalogue.text("tower.done")
        fe.keys.clear()
        self.clicks.reset()
        shown = 0
        while True:
            self._draw(trial, attempt, None, show_buttons=False)
            if trial.feedback:
                self.continue_prompt.draw()
            fe.screenshot_once(f"tower_{trial.problem_type}_outcome")
            fe.flip()
            shown += 1
            if not trial.feedback:
                fe.check_quit()
                if shown >= self.message_frames // 2:
                    return
            elif fe.keys.get(fe.keymap.continue_) or self.clicks.poll():
                return
