"""N-back session logic: blocks, trials, scoring, adaptive n (no psychopy).

The logic builds each block's trials from the seeded generator, hands one
trial at a time to a *player* (the PsychoPy view or the simulated
participant), scores what came back, writes the log row, and only then asks
for the next trial. After a block it moves n by the configured rule.

A player provides::

    play(trial: NbackTrial) -> TrialResponse   # show it, collect keys
    trial_feedback(text: str, frames: int) -> None  # practice feedback line

``TrialResponse.onset_s`` is the session-clock time of the flip that showed
the stimulus and every :class:`KeyPress` carries a time on the same clock.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping, Protocol

import numpy as np

from cogtrain.adaptive import Staircase
from cogtrain.text import Catalogue
from cogtrain.task import Block, TaskContext, TaskSession
from cogtrain.timing import frames
from cogtrain.triallog import TrialLog

from .config import NbackSettings
from .sequence import GRID_CELLS, generate_stream, rounded_count

#: Jaeggi, Buschkuehl, Jonides & Perrig (2008), PNAS 105(19):6829-6833, Methods:
#: "If the participant made fewer than three mistakes per modality, the level of
#: n increased by 1. It was decreased by 1 if more than five mistakes were made,
#: and in all other cases, n remained unchanged." (configurable in ``adaptive``).
JAEGGI_ADVANCE_BELOW = 3
JAEGGI_FALLBACK_ABOVE = 5

#: Per-modality log columns, in this order after ``n_level`` (docs/data-format.md).
MODALITY_FIELDS: tuple[str, ...] = ("stimulus", "is_target", "is_lure", "responded", "rt_s")



def columns(settings: NbackSettings) -> list[str]:
    """Task-specific log columns, fixed when the log opens.

    Examples
    --------
    >>> columns(NbackSettings(mode="single", modality="letter"))
    ['n_level', 'letter_stimulus', 'letter_is_target', 'letter_is_lure', 'letter_responded', 'letter_rt_s']
    """
    return ["n_level"] + [f"{m}_{f}" for m in settings.modalities() for f in MODALITY_FIELDS]


@dataclass(frozen=True)
class NbackTrial:
    """One trial as the player needs it: what to show, for how long, and the keys."""

    block: int
    number: int
    n: int
    stimuli: Mapping[str, Any]
    is_target: Mapping[str, bool]
    is_lure: Mapping[str, bool]
    keys: Mapping[str, str]
    stimulus_frames: int
    isi_frames: int
    practice: bool = False


@dataclass(frozen=True)
class KeyPress:
    """A key name and its press time (session clock, seconds)."""

    key: str
    t: float


@dataclass(frozen=True)
class TrialResponse:
    """What a player returns: the stimulus onset and the keys pressed during the trial."""

    onset_s: float
    presses: tuple[KeyPress, ...] = ()


@dataclass(frozen=True)
class TrialOutcome:
    """A scored trial: the log row plus per-modality correctness."""

    row: dict[str, Any]
    correct: Mapping[str, bool]
    responded: Mapping[str, bool]


class NbackPlayer(Protocol):
    """What the view and the simulator provide to the logic."""

    def play(self, trial: NbackTrial) -> TrialResponse: ...

    def trial_feedback(self, text: str, frames: int) -> None: ...


def make_block(rng: np.random.Generator, settings: NbackSettings, n: int, block: int,
               practice: bool = False, hz: float = 60.0) -> list[NbackTrial]:
    """All trials of one block, with exact target and lure counts per modality.

    Durations are converted to frames at ``hz``.

    Each modality gets its own stream, drawn independently, so targets in one
    modality say nothing about targets in the other.
    """
    n_trials = settings.trials_for(n, practice)
    scorable = n_trials - n
    n_targets = rounded_count(settings.target_rate, scorable)
    n_lures = rounded_count(settings.lure_rate, scorable)
    alphabets = {"letter": list(settings.letters), "position": list(GRID_CELLS)}
    streams = {m: generate_stream(rng, n, n_trials, len(alphabets[m]), n_targets, n_lures)
               for m in settings.modalities()}
    keys = {m: getattr(settings.keys, m) for m in settings.modalities()}
    return [
        NbackTrial(
            block=block, number=i + 1, n=n,
            stimuli={m: alphabets[m][int(s.codes[i])] for m, s in streams.items()},
            is_target={m: bool(s.is_target[i]) for m, s in streams.items()},
            is_lure={m: bool(s.is_lure[i]) for m, s in streams.items()},
            keys=keys, stimulus_frames=frames(settings, "stimulus", hz),
            isi_frames=frames(settings, "isi", hz), practice=practice,
        )
        for i in range(n_trials)
    ]


def score_trial(trial: NbackTrial, response: TrialResponse) -> TrialOutcome:
    """Score one trial and build its log row.

    The first press of each modality's key counts (repeats are ignored);
    ``response`` lists the keys in the order first pressed (``"a+l"``),
    ``rt_s`` is the first of them, and ``correct`` needs every modality right
    (a press on a target, no press otherwise). Presses of other keys, or
    stamped before the onset, are ignored.
    """
    modality_of = {key: m for m, key in trial.keys.items()}
    first: dict[str, float] = {}
    order: list[str] = []
    for press in sorted(response.presses, key=lambda p: p.t):
        m = modality_of.get(press.key)
        if m is None or m in first or press.t < response.onset_s:
            continue
        first[m] = press.t - response.onset_s
        order.append(press.key)
    responded = {m: m in first for m in trial.keys}
    correct = {m: responded[m] == trial.is_target[m] for m in trial.keys}
    row: dict[str, Any] = {
        "block": trial.block, "trial": trial.number, "onset_s": response.onset_s,
        "rt_s": min(first.values()) if first else None, "response": "+".join(order),
        "correct": all(correct.values()), "practice": trial.practice, "n_level": trial.n,
    }
    for m in trial.keys:
        row.update({f"{m}_stimulus": trial.stimuli[m], f"{m}_is_target": trial.is_target[m],
                    f"{m}_is_lure": trial.is_lure[m], f"{m}_responded": responded[m],
                    f"{m}_rt_s": first.get(m)})
    return TrialOutcome(row=row, correct=correct, responded=responded)


def jaeggi_step(errors: Mapping[str, int], advance_below: int = JAEGGI_ADVANCE_BELOW,
                fallback_above: int = JAEGGI_FALLBACK_ABOVE) -> int:
    """Jaeggi et al. (2008) rule: +1, -1 or 0 from the errors of each modality in a block.

    Errors are misses plus false alarms. n rises when *every* modality has
    fewer than ``advance_below`` errors, falls when *any* has more than
    ``fallback_above``, and stays otherwise.

    Examples
    --------
    >>> jaeggi_step({"position": 2, "letter": 0}), jaeggi_step({"position": 2, "letter": 6})
    (1, -1)
    >>> jaeggi_step({"position": 3, "letter": 5})
    0
    """
    if all(e < advance_below for e in errors.values()):
        return 1
    if any(e > fallback_above for e in errors.values()):
        return -1
    return 0


def modality_label(catalogue: Catalogue, modality: str) -> str:
    """The name of a modality on screen ("Position", "Letter")."""
    return {"position": catalogue.text("nback.label_position"), "letter": catalogue.text("nback.label_letter")}[modality]


def trial_feedback_text(trial: NbackTrial, outcome: TrialOutcome, catalogue: Catalogue) -> str:
    """One plain line per modality for practice trials (words, never colour alone)."""
    lines = []
    for m in sorted(trial.keys, key=("position", "letter").index):  # position (key A) first
        label = modality_label(catalogue, m)
        if trial.is_target[m] and outcome.responded[m]:
            lines.append(catalogue.text("nback.hit", label=label))
        elif trial.is_target[m]:
            lines.append(catalogue.text("nback.miss", label=label, key=catalogue.key_label(trial.keys[m])))
        elif outcome.correct[m]:
            lines.append(catalogue.text("nback.correct_rejection", label=label))
        else:
            lines.append(catalogue.text("nback.false_alarm", label=label))
    return "\n".join(lines)


@dataclass
class BlockSummary:
    """Per-block tallies used for the adaptive rule and the feedback screen."""

    number: int
    n: int
    trials: int
    practice: bool
    errors: dict[str, int] = field(default_factory=dict)
    #: Right answers per modality among the scorable trials (after the first n), for feedback.
    scored_right: dict[str, int] = field(default_factory=dict)
    step: int = 0
    next_level: int = 0

    @property
    def accuracy(self) -> float:
        """Share of modality decisions that were right."""
        total = self.trials * len(self.errors)
        return 1 - sum(self.errors.values()) / total if total else 0.0


class NbackSession(TaskSession):
    """One session of n-back: an optional practice block, then adaptive blocks."""

    def __init__(self, ctx: TaskContext, settings: NbackSettings, carried: dict | None,
                 snapshot: dict | None = None):
        super().__init__(ctx, settings, carried, snapshot)
        self.settings: NbackSettings = settings
        if snapshot:
            self.staircase = Staircase.restore(snapshot["staircase"], settings.level)
            self.start_level = int(snapshot["start_level"])
            self.summaries = [BlockSummary(**s) for s in snapshot["blocks"]]
        else:
            self.staircase = Staircase.from_settings(settings.level, self.carried or None)
            self.start_level = self.staircase.level
            self.summaries = []

    # -- plan -------------------------------------------------------------
    def blocks(self) -> list[Block]:
        """Practice block 0 (if enabled), then blocks 1..``settings.blocks``."""
        plan = [Block(0, practice=True, label="practice")] if self.settings.practice.enabled else []
        return plan + [Block(k, label="main") for k in range(1, self.settings.blocks + 1)]

    @property
    def practice_n(self) -> int:
        """Practice n: the configured one, never above the session's start level."""
        return min(self.settings.practice.n, self.start_level)

    def instructions(self) -> list[str]:
        """Self-paced pages naming this session's keys and start level."""
        if self.settings.instructions:
            return list(self.settings.instructions)
        s, text = self.settings, self.ctx.catalogue.text
        shown = {
            ("position",): text("nback.shown_position"),
            ("letter",): text("nback.shown_letter"),
            ("position", "letter"): text("nback.shown_dual"),
        }[self.shown_modalities()]
        rules = {"position": text("nback.rule_position", key=self._key("position")),
                 "letter": text("nback.rule_letter", key=self._key("letter"))}
        example = text("nback.example_letter") if "letter" in s.modalities() else text("nback.example_position")
        start = [text("nback.start_level", level=self.start_level)]
        if s.practice.enabled:
            start.append(text("nback.practice_first", level=self.practice_n))
        return [
            "\n\n".join([text("nback.heading"), shown, "\n".join(rules[m] for m in self.shown_modalities()),
                          text("nback.no_match")]),
            "\n\n".join([example, text("nback.adapts")]),
            "\n\n".join([*start, text("nback.rest")]),
        ]

    def _key(self, modality: str) -> str:
        """The response key of ``modality`` as written on screen."""
        return self.ctx.catalogue.key_label(getattr(self.settings.keys, modality))

    def shown_modalities(self) -> tuple[str, ...]:
        """Modalities in on-screen order: position first (its default key, A, is on the left)."""
        return tuple(m for m in ("position", "letter") if m in self.settings.modalities())

    def key_line(self) -> str:
        """The response keys in words, e.g. "A = same place    L = same letter"."""
        text = self.ctx.catalogue.text
        what = {"position": text("nback.key_position", key=self._key("position")),
                "letter": text("nback.key_letter", key=self._key("letter"))}
        return "    ".join(what[m] for m in self.shown_modalities())

    def block_intro(self, block: Block) -> str | None:
        """Self-paced screen before each block naming its n and the keys."""
        text = self.ctx.catalogue.text
        if block.practice:
            return "\n\n".join([text("nback.practice_intro", level=self.practice_n), self.key_line(),
                                 text("nback.no_match")])
        return "\n\n".join([text("nback.block_intro", number=block.number, blocks=self.settings.blocks,
                                  level=self.staircase.level), self.key_line()])

    # -- run --------------------------------------------------------------
    def run_block(self, block: Block, player: NbackPlayer, log: TrialLog,
                  rng: np.random.Generator) -> None:
        """Run every trial of ``block``, writing each row before the next trial starts."""
        n = self.practice_n if block.practice else self.staircase.level
        trials = make_block(rng, self.settings, n, block.number, practice=block.practice,
                            hz=self.ctx.frame_rate)
        errors = {m: 0 for m in self.settings.modalities()}
        scored_right = {m: 0 for m in self.settings.modalities()}
        show_feedback = block.practice and self.settings.practice.feedback
        for trial in trials:
            outcome = score_trial(trial, player.play(trial))
            log.write(outcome.row)
            for m, ok in outcome.correct.items():
                errors[m] += not ok
                if trial.number > n:  # the first n trials have nothing n back to match
                    scored_right[m] += ok
            if show_feedback:
                player.trial_feedback(trial_feedback_text(trial, outcome, self.ctx.catalogue),
                                      frames(self.settings.practice, "feedback", self.ctx.frame_rate))
        summary = BlockSummary(number=block.number, n=n, trials=len(trials),
                               practice=block.practice, errors=errors, scored_right=scored_right)
        if not block.practice:
            summary.step = self._adapt(summary)
        summary.next_level = self.staircase.level
        self.summaries = [s for s in self.summaries if s.number != block.number] + [summary]

    def _adapt(self, summary: BlockSummary) -> int:
        before = self.staircase.level
        rule = self.settings.adaptive
        if rule.rule == "jaeggi":
            self.staircase.move(jaeggi_step(summary.errors, rule.advance_below, rule.fallback_above))
        elif rule.rule == "staircase":
            self.staircase.update(summary.accuracy >= rule.criterion)
        else:
            self.staircase.move(0)
        return self.staircase.level - before

    # -- texts --------------------------------------------------------------
    def block_feedback(self, block: Block) -> str | None:
        """Encouraging summary of the block and, always, the level that comes next."""
        summary = next((s for s in self.summaries if s.number == block.number), None)
        if summary is None:
            return None
        text = self.ctx.catalogue.text
        scorable = summary.trials - summary.n  # the first n trials have nothing n back to match
        right = "\n".join(text("nback.right", label=modality_label(self.ctx.catalogue, m),
                               right=summary.scored_right.get(m, 0), trials=scorable)
                          for m in self.shown_modalities())
        level = summary.next_level
        if summary.practice:
            return "\n\n".join([text("nback.practice_done"), right, text("nback.training_starts", level=level)])
        head = [text("nback.block_done", number=block.number, blocks=self.settings.blocks), right]
        return "\n\n".join([*head, self._next_level_text(block, summary)])

    def _next_level_text(self, block: Block, summary: BlockSummary) -> str:
        """What comes next after a training block: the next block's level, or the next session's."""
        text, level = self.ctx.catalogue.text, summary.next_level
        if block.number == self.settings.blocks:
            nxt = Staircase.from_settings(self.settings.level, {"level": level}).level
            return text("nback.last_block_warmup", level=nxt) if nxt < level else text("nback.last_block", level=nxt)
        if summary.step > 0:
            return text("nback.step_up", level=level)
        if summary.step < 0:
            return text("nback.step_down", level=level)
        if level == self.settings.level.ceiling and self.settings.adaptive.rule != "fixed":
            return text("nback.at_top", level=level)
        return text("nback.stays", level=level)

    # -- state --------------------------------------------------------------
    def carried_state(self) -> dict:
        """``state.json`` entry: the level reached (warm-up is applied at the next start)."""
        done = [s for s in self.summaries if not s.practice]
        return {
            "level": self.staircase.level,
            "rule": self.settings.adaptive.rule,
            "max_level": max([s.n for s in done], default=self.staircase.level),
            "session": self.ctx.session,
        }

    def snapshot(self) -> dict:
        """Progress after the last finished block, for ``--resume``."""
        return {
            "staircase": self.staircase.to_dict(),
            "start_level": self.start_level,
            "blocks": [vars(s).copy() for s in self.summaries],
        }
