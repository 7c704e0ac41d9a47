"""Symbol-digit session logic: blocks, items, scoring, adaptive level (no psychopy).

A session is: a practice block with feedback (block 0), the motor-control
block (a digit is shown, the same digit is answered), the symbol blocks —
one fixed 90-s block in assessment mode, adaptive blocks in training mode —
and, when enabled, the incidental-learning block (each symbol of the key,
without the key). The logic hands one item at a time to a *player* (the
PsychoPy view or the simulated participant), scores what came back, writes
the log row, and only then asks for the next item.

A player provides::

    play(item: Item, ends_at: float | None) -> ItemResponse   # show it, collect the answer, then a gap
    item_feedback(text: str, ms: int) -> None                     # practice feedback line

``ends_at`` is the session time at which the block's time runs out (the 90-s
block), None otherwise. ``ItemResponse.onset_s`` is the session-clock time of
the flip that showed the item; the answer's time is on the same clock.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, dataclass
from typing import Any, Literal, Protocol

import numpy as np

from cogtrain.adaptive import Staircase
from cogtrain.task import Block, TaskContext, TaskSession
from cogtrain.text import Catalogue
from cogtrain.triallog import TrialLog

from .config import DIGITS, Level, SymbolDigitSettings
from .forms import Form, balanced_order, session_form

#: Length of the assessment block: the SDMT's 90 s (Smith, 1982, Symbol Digit Modalities
#: Test manual, Western Psychological Services), kept by the computerized c-SDMT
#: (Akbar et al., 2011, J Neurol 258(3):373-379).
ASSESSMENT_S = 90.0

#: Log columns after the common ones (docs/data-format.md, "Trial logs", lists the common ones).
COLUMNS: tuple[str, ...] = ("item_type", "mode", "level", "pairs", "deadline_s", "stimulus", "answer",
                            "input", "end", "shown_s", "pairing")

ItemType = Literal["symbol", "digit", "recall"]
End = Literal["response", "time_out", "block_time"]


def columns(settings: SymbolDigitSettings) -> list[str]:
    """Task-specific log columns, fixed when the log opens (the same for every setting).

    Examples
    --------
    >>> columns(SymbolDigitSettings())[:3]
    ['item_type', 'mode', 'level']
    """
    return list(COLUMNS)


@dataclass(frozen=True)
class Item:
    """One item as the player needs it.

    ``stimulus`` is a symbol name (``symbol``, ``recall`` items) or a digit
    (``digit`` items); ``key`` the symbols shown in the key (empty: no key);
    ``deadline_ms`` the per-item deadline (None: ``limit_ms`` ends it).
    """

    block: int
    number: int
    item_type: ItemType
    stimulus: str
    answer: int
    key: tuple[str, ...]
    deadline_ms: int | None
    limit_ms: int
    digits: tuple[int, ...]
    practice: bool = False

    @property
    def time_limit_ms(self) -> int:
        """How long the item may stay on screen without an answer."""
        return self.deadline_ms if self.deadline_ms is not None else self.limit_ms


@dataclass(frozen=True)
class ItemResponse:
    """What a player returns.

    Attributes
    ----------
    onset_s : float
        Session time of the flip that showed the item.
    offset_s : float
        Session time the item ended: the answer's time, or the last flip before the limit.
    end : {"response", "time_out", "block_time"}
        An answer, the item's limit, or the block's time running out.
    digit : int or None
        The digit answered.
    via : {"key", "click"} or None
        How it was answered.
    """

    onset_s: float
    offset_s: float
    end: End
    digit: int | None = None
    via: str | None = None


class SymbolDigitPlayer(Protocol):
    """What the view and the simulator provide to the logic."""

    def play(self, item: Item, ends_at: float | None) -> ItemResponse: ...

    def item_feedback(self, text: str, ms: int) -> None: ...


def score_item(item: Item, response: ItemResponse, mode: str, level: int | None, form: Form) -> dict[str, Any]:
    """The log row of one item.

    ``correct`` is empty for an item the block's time cut short (it is not
    scored), otherwise whether the digit answered is the item's digit (a
    time-out is wrong). ``rt_s`` is the time from the onset to the answer.

    Examples
    --------
    >>> item = Item(2, 1, "symbol", "ring", 3, ("wave", "arch", "ring"), 2000, 30000, (1, 2, 3))
    >>> row = score_item(item, ItemResponse(10.0, 10.8, "response", 3, "key"), "training", 4, Form(("wave",)))
    >>> row["correct"], round(row["rt_s"], 3), row["deadline_s"], row["response"]
    (True, 0.8, 2.0, '3')
    """
    answered = response.end == "response" and response.digit is not None
    return {
        "block": item.block, "trial": item.number, "onset_s": response.onset_s,
        "rt_s": response.offset_s - response.onset_s if answered else None,
        "response": str(response.digit) if answered else "",
        "correct": None if response.end == "block_time" else bool(answered and response.digit == item.answer),
        "practice": item.practice, "item_type": item.item_type, "mode": mode,
        "level": level, "pairs": len(item.key) or None,
        "deadline_s": item.deadline_ms / 1000 if item.deadline_ms is not None else None,
        "stimulus": item.stimulus, "answer": item.answer, "input": response.via if answered else "",
        "end": response.end, "shown_s": response.offset_s - response.onset_s, "pairing": form.text(),
    }


def feedback_text(item: Item, row: dict[str, Any], catalogue: Catalogue) -> str:
    """The practice feedback line, in words (never colour alone).

    Examples
    --------
    >>> from cogtrain.text import load
    >>> item = Item(0, 1, "symbol", "ring", 3, ("ring",), None, 30000, (1, 2, 3), practice=True)
    >>> feedback_text(item, {"correct": False, "response": "7"}, load("en"))
    'This symbol is 3 (you answered 7).'
    """
    if row["correct"]:
        return catalogue.text("symbol_digit.right_feedback", answer=item.answer)
    if row["response"]:
        return catalogue.text("symbol_digit.wrong_feedback", answer=item.answer, response=row["response"])
    return catalogue.text("symbol_digit.missed_feedback", answer=item.answer)


@dataclass
class BlockSummary:
    """Tallies of one finished block, for the adaptive rule and the feedback screen."""

    number: int
    kind: str
    items: int
    correct: int
    level: int | None = None
    next_level: int | None = None

    @property
    def accuracy(self) -> float:
        """Share of the block's scored items answered right."""
        return self.correct / self.items if self.items else 0.0


class SymbolDigitSession(TaskSession):
    """One session of the symbol-digit task."""

    def __init__(self, ctx: TaskContext, settings: SymbolDigitSettings, carried: dict | None,
                 snapshot: dict | None = None):
        super().__init__(ctx, settings, carried, snapshot)
        self.settings: SymbolDigitSettings = settings
        self.form = session_form(ctx.seed, ctx.session)
        self.ladder: list[Level] = settings.adaptive.ladder()
        if snapshot:
            self.staircase = Staircase.restore(snapshot["staircase"], settings.level)
            self.summaries = [BlockSummary(**s) for s in snapshot["blocks"]]
        else:
            self.staircase = Staircase.from_settings(settings.level, self.carried or None)
            self.summaries = []

    @property
    def assessment(self) -> bool:
        """Whether this session is the fixed 90-s assessment."""
        return self.settings.mode == "assessment"

    # -- plan -------------------------------------------------------------
    def blocks(self) -> list[Block]:
        """Practice (0), motor control (1), the symbol blocks, then incidental learning."""
        s = self.settings
        plan = [Block(0, practice=True, label="practice")] if s.practice.enabled else []
        number = 1
        if s.motor_control.enabled:
            plan.append(Block(number, label="motor"))
            number += 1
        main = 1 if self.assessment else s.training.blocks
        label = "assessment" if self.assessment else "training"
        plan += [Block(number + k, label=label) for k in range(main)]
        if s.incidental.enabled:
            plan.append(Block(number + main, label="incidental"))
        return plan

    def current_level(self) -> Level:
        """Key size and deadline of the next symbol block (assessment: 9 pairs, no deadline)."""
        if self.assessment:
            return Level(pairs=len(DIGITS), deadline_ms=None)
        return self.ladder[self.staircase.level - 1]

    # -- run --------------------------------------------------------------
    def run_block(self, block: Block, player: SymbolDigitPlayer, log: TrialLog, rng: np.random.Generator) -> None:
        """Run every item of ``block``, writing each row before the next item starts.

        The assessment block's 90 s run from the onset of its first item; an item
        on screen when they run out is logged as cut short and not scored.
        """
        kind = block.label
        level = self.staircase.level if kind == "training" else None
        scored = correct = 0
        ends_at: float | None = None
        for item in self._items(block, rng):
            response = player.play(item, ends_at)
            row = score_item(item, response, self.settings.mode, level, self.form)
            log.write(row)
            if row["correct"] is not None:
                scored += 1
                correct += row["correct"]
            if block.practice:
                player.item_feedback(feedback_text(item, row, self.ctx.catalogue), self.settings.practice.feedback_ms)
            if kind == "assessment" and ends_at is None:
                ends_at = response.onset_s + ASSESSMENT_S
            if ends_at is not None and (response.end == "block_time" or self.ctx.clock.now() >= ends_at):
                break
        summary = BlockSummary(number=block.number, kind=kind, items=scored, correct=correct, level=level)
        if kind == "training":
            if self.settings.adaptive.rule == "fixed":
                self.staircase.move(0)
            else:
                self.staircase.update(summary.accuracy >= self.settings.adaptive.criterion)
            summary.next_level = self.staircase.level
        self.summaries = [s for s in self.summaries if s.number != block.number] + [summary]

    def _items(self, block: Block, rng: np.random.Generator) -> Iterator[Item]:
        """The items of one block (the assessment block's are endless: its time ends it)."""
        s = self.settings
        limit = s.item_limit_ms
        if block.label == "motor":
            order = balanced_order(rng, len(DIGITS))
            for n in range(1, s.motor_control.items + 1):
                d = DIGITS[next(order)]
                yield Item(block.number, n, "digit", str(d), d, (), None, limit, DIGITS)
            return
        if block.label == "incidental":
            seen = self.form.key(max(self._pairs_shown(), default=len(DIGITS)))
            for n, i in enumerate(rng.permutation(len(seen)), start=1):
                symbol = seen[int(i)]
                yield Item(block.number, n, "recall", symbol, self.form.digit(symbol), (), None, limit,
                           tuple(range(1, len(seen) + 1)))
            return
        rung = self.current_level()
        key = self.form.key(rung.pairs)
        deadline = None if block.practice else rung.deadline_ms
        order = balanced_order(rng, len(key))
        count = {"practice": s.practice.items, "training": s.training.items_per_block}.get(block.label)
        n = 0
        while count is None or n < count:
            n += 1
            symbol = key[next(order)]
            yield Item(block.number, n, "symbol", symbol, self.form.digit(symbol), key, deadline, limit,
                       tuple(range(1, len(key) + 1)), practice=block.practice)

    def _pairs_shown(self) -> list[int]:
        """Key sizes of the symbol blocks run so far this session."""
        return [len(DIGITS) if s.level is None else self.ladder[s.level - 1].pairs
                for s in self.summaries if s.kind in ("training", "assessment")]

    # -- texts --------------------------------------------------------------
    def instructions(self) -> list[str]:
        """Self-paced pages naming the answer keys, the buttons and what comes."""
        if self.settings.instructions:
            return list(self.settings.instructions)
        s, catalogue = self.settings, self.ctx.catalogue
        text = catalogue.text
        keys = (text("symbol_digit.number_keys") if s.keys.digits == [str(d) for d in DIGITS]
                else text("symbol_digit.custom_keys", pairs=", ".join(
                    text("symbol_digit.key_for_digit", key=catalogue.key_label(k), digit=d)
                    for d, k in zip(DIGITS, s.keys.digits))))
        how = (text("symbol_digit.answer_with", keys=keys) if s.buttons == "none"
               else text("symbol_digit.answer_with_or_click", keys=keys))
        pages = [text("symbol_digit.intro"), text("symbol_digit.give_number", how=how)]
        pages.append(text("symbol_digit.timed_test", seconds=f"{ASSESSMENT_S:.0f}") if self.assessment
                     else text("symbol_digit.adapts"))
        if s.practice.enabled and s.motor_control.enabled:
            pages.append(text("symbol_digit.first_both"))
        elif s.practice.enabled:
            pages.append(text("symbol_digit.first_practice"))
        elif s.motor_control.enabled:
            pages.append(text("symbol_digit.first_motor"))
        return pages

    def block_intro(self, block: Block) -> str | None:
        """Self-paced screen before each block."""
        s, catalogue = self.settings, self.ctx.catalogue
        text = catalogue.text
        if block.label == "practice":
            return text("symbol_digit.practice_intro")
        if block.label == "motor":
            return text("symbol_digit.motor_intro")
        if block.label == "incidental":
            return text("symbol_digit.incidental_intro")
        if self.assessment:
            return text("symbol_digit.test_intro", seconds=f"{ASSESSMENT_S:.0f}")
        rung = self.current_level()
        time_text = (text("symbol_digit.time_per_symbol", seconds=catalogue.decimal(rung.deadline_ms / 1000, 1))
                     if rung.deadline_ms is not None else text("symbol_digit.no_time_limit"))
        number = block.number - (2 if s.motor_control.enabled else 1) + 1
        return text("symbol_digit.block_intro", number=number, blocks=s.training.blocks, level=self.staircase.level,
                    pairs=rung.pairs, time=time_text)

    def block_feedback(self, block: Block) -> str | None:
        """What the participant is told after a block: the count right and, in training, the next level."""
        summary = next((s for s in self.summaries if s.number == block.number), None)
        if summary is None or summary.kind == "incidental":
            return None
        text = self.ctx.catalogue.text
        right = text("symbol_digit.right", correct=summary.correct, items=summary.items)
        if summary.kind == "assessment":
            return text("symbol_digit.time_up")
        if summary.kind == "practice":
            return text("symbol_digit.practice_done", right=right)
        if summary.kind == "motor":
            return text("symbol_digit.motor_done", right=right)
        before, after = summary.level, summary.next_level
        if after is not None and before is not None and after > before:
            change = text("symbol_digit.harder", level=after)
        elif after is not None and before is not None and after < before:
            change = text("symbol_digit.easier", level=after)
        else:
            change = text("symbol_digit.stays", level=after)
        return text("symbol_digit.block_done", right=right, change=change)

    # -- state --------------------------------------------------------------
    def carried_state(self) -> dict:
        """``state.json`` entry: the training level reached (an assessment leaves it as it was)."""
        if self.assessment:
            return dict(self.carried)
        levels = [s.level for s in self.summaries if s.level is not None]
        return {"level": self.staircase.level, "max_level": max(levels, default=self.staircase.level),
                "session": self.ctx.session}

    def snapshot(self) -> dict:
        """Progress after the last finished block, for ``--resume``."""
        return {"staircase": self.staircase.to_dict(), "blocks": [asdict(s) for s in self.summaries]}
