"""Session logic of word-list free recall: lists, learning trials, delayed recall, recognition.

Each regular block studies one new word list (an alternate form, see
:mod:`forms`) ``learning_trials`` times; each learning trial is a study phase,
an optional arithmetic distractor and a typed free-recall period. The deferred
block (run after every task of the battery) recalls every list of the session
again, waiting first until ``delayed.min_delay_s`` has passed since the last
immediate recall, then optionally runs an old/new recognition test.

Log layout (``recall.csv``, docs/data-format.md), one row per study item and per recall event:

- ``list`` numbers each study + immediate recall set, unique within the session:
  a list learnt over 3 learning trials is logged as 3 lists (1, 2, 3) with the
  same ``form`` and ``learning_trial`` 1, 2, 3. The practice list is list 0.
  A delayed recall is logged under the ``list`` number of the last learning
  trial of the form it recalls, with ``phase=delayed`` (no study rows of its own).
- ``position``: study position, or output position (order of entry) in recall.
- Recall rows: ``onset_s`` = start of the recall period, ``rt_s`` = seconds from
  then to the Enter press, ``raw_response`` = typed text, ``response`` = the
  normalised text, ``item``/``scoring_rule``/``edit_distance``/``list_lag``/
  ``source_list`` from :mod:`scoring`, ``correct`` = 1 for exact, typo, plural.
- Recognition rows have ``test=recognition`` (recall and study rows have
  ``test=recall``), ``phase=delayed``, ``trial_type=recall``, an empty
  ``scoring_rule``, ``probe`` = old/new (the truth), ``response`` = old/new (the
  answer), ``raw_response`` = the key, ``correct``; ``list`` is the list of an old
  probe, empty for a new one. Every recall analysis selects ``test == "recall"``.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Protocol, Sequence

import numpy as np

from cogtrain.adaptive import Staircase
from cogtrain.task import Block, TaskContext, TaskSession
from cogtrain.tasks.recall.config import RecallSettings
from cogtrain.tasks.recall.forms import FormBuilder, Matching
from cogtrain.tasks.recall.pool import load_pool
from cogtrain.tasks.recall.scoring import RecallScorer, ScoredEntry
from cogtrain.triallog import TrialLog

#: Task-specific columns of recall.csv, in file order.
COLUMNS: tuple[str, ...] = (
    "list", "phase", "trial_type", "position", "item", "raw_response", "scoring_rule",
    "test", "form", "learning_trial", "list_length", "edit_distance", "list_lag", "source_list",
    "delay_s", "probe",
)


def columns(settings: RecallSettings) -> list[str]:
    """The task's log columns (the same for every configuration)."""
    return list(COLUMNS)


@dataclass(frozen=True)
class RecallCue:
    """What a player needs for one typed recall period.

    ``studied`` and ``other_lists`` are for the simulated participant; the
    window view never shows them.
    """

    list_number: int
    phase: str
    prompt: str
    time_limit_s: float
    done_key: str
    max_entry_length: int
    studied: tuple[str, ...]
    other_lists: tuple[tuple[str, ...], ...]
    learning_trial: int
    delay_s: float = 0.0


@dataclass(frozen=True)
class RecognitionAnswer:
    """Answer to one recognition probe: ``old``/``new`` (None when the time ran out)."""

    response: str | None
    key: str | None
    onset_s: float
    rt_s: float | None


class RecallPlayer(Protocol):
    """What :class:`RecallSession` asks of the window view and the simulated participant."""

    def announce(self, text: str, screen: str) -> None:
        """A self-paced message."""

    def study(self, word: str, position: int, length: int) -> float:
        """Show one word (then the blank interval); return the session time it appeared."""

    def distractor(self, problems: Sequence[tuple[int, int]], duration_s: float) -> None:
        """Run the arithmetic interval for ``duration_s`` seconds."""

    def recall(self, cue: RecallCue, on_entry: Callable[[str, float], None]) -> None:
        """Collect typed words; call ``on_entry(text, t)`` at each Enter (t: session time)."""

    def wait_until(self, t: float, text: str) -> None:
        """A rest until at least session time ``t``; the window then waits until the participant is ready."""

    def recognise(self, word: str, position: int, total: int) -> RecognitionAnswer:
        """Ask old or new for one word."""


@dataclass
class FormRecord:
    """One word list of the session and its learning trials."""

    form: int
    words: list[str]
    lists: list[int]
    recalled: list[int]
    ended_s: float

    def to_dict(self) -> dict:
        """JSON-serialisable form."""
        return dict(self.__dict__)


class RecallSession(TaskSession):
    """One session of the recall task (see the module docstring for the log layout)."""

    def __init__(self, ctx: TaskContext, settings: RecallSettings, carried: dict | None,
                 snapshot: dict | None = None):
        super().__init__(ctx, settings, carried, snapshot)
        self.pool = load_pool(settings.pool)
        matching = Matching(zipf=settings.match_zipf, length=settings.match_length,
                            max_typo_distance=settings.recall.typo_max_distance)
        source = snapshot or self.carried
        self.staircase = (Staircase.restore(snapshot["staircase"], settings.length) if snapshot
                          else Staircase.from_settings(settings.length, self.carried))
        self.builder = FormBuilder(self.pool, used=set(source.get("used_words", [])),
                                   cycle=int(source.get("pool_cycle", 0)), matching=matching,
                                   session_words=set((snapshot or {}).get("session_words", [])))
        self.forms = [FormRecord(**f) for f in (snapshot or {}).get("forms", [])]
        self.practice_words: list[str] = list((snapshot or {}).get("practice_words", []))
        self.next_list = int((snapshot or {}).get("next_list", 1))
        self.delayed_recalled: list[int] = list((snapshot or {}).get("delayed_recalled", []))

    # -- plan --------------------------------------------------------------------------------
    def blocks(self) -> list[Block]:
        s = self.settings
        plan = [Block(0, practice=True, label="practice")] if s.practice_length else []
        plan += [Block(i, label=f"list{i}") for i in range(1, s.lists + 1)]
        if s.delayed.enabled:
            plan.append(Block(s.lists + 1, deferred=True, label="delayed"))
        return plan

    def instructions(self) -> list[str]:
        if self.settings.instructions:
            return list(self.settings.instructions)
        s, catalogue = self.settings, self.ctx.catalogue
        enter = catalogue.key_label("return")
        pages = [catalogue.text("recall.intro"),
                 catalogue.text("recall.how_to_type", enter=enter, backspace=catalogue.key_label("backspace"),
                                done=catalogue.key_label(s.recall.done_key))]
        if s.distractor.enabled:
            pages.insert(1, catalogue.text("recall.sums", enter=enter))
        if s.delayed.enabled:
            pages.append(catalogue.text("recall.again_later"))
        return pages

    def block_intro(self, block: Block) -> str | None:
        catalogue = self.ctx.catalogue
        if block.practice:
            return catalogue.text("recall.practice_intro", words=self.settings.practice_length)
        if block.deferred:
            return catalogue.text("recall.delayed_intro")
        return catalogue.text("recall.list_intro", number=block.number, lists=self.settings.lists,
                              words=self.staircase.level)

    # -- blocks ------------------------------------------------------------------------------
    def run_block(self, block: Block, player: RecallPlayer, log: TrialLog, rng: np.random.Generator) -> None:
        counter = _Counter()
        if block.deferred:
            self._delayed_block(block, player, log, rng, counter)
            return
        if block.practice:
            words = self.builder.draw(self.settings.practice_length, rng)
            self.practice_words = words
            self._learning_trial(block, player, log, rng, counter, words, list_number=0, form=0, trial=1)
            return
        words = self.builder.draw(self.staircase.level, rng)
        record = FormRecord(form=block.number, words=words, lists=[], recalled=[], ended_s=0.0)
        for trial in range(1, self.settings.learning_trials + 1):
            number = self.next_list
            self.next_list += 1
            if trial > 1:
                player.announce(self.ctx.catalogue.text("recall.learning_trial", trial=trial,
                                                        trials=self.settings.learning_trials),
                                screen="recall_learning_trial")
            order = words if trial == 1 else [words[i] for i in rng.permutation(len(words))]
            recalled = self._learning_trial(block, player, log, rng, counter, order, number, block.number, trial)
            record.lists.append(number)
            record.recalled.append(recalled)
        record.ended_s = self.ctx.clock.now()
        self.forms.append(record)
        self.staircase.update(record.recalled[0] / len(words) >= self.settings.length.criterion)

    def _learning_trial(self, block: Block, player: RecallPlayer, log: TrialLog, rng: np.random.Generator,
                        counter: "_Counter", words: list[str], list_number: int, form: int, trial: int) -> int:
        common = {"block": block.number, "practice": block.practice, "list": list_number, "test": "recall",
                  "form": form, "learning_trial": trial, "list_length": len(words)}
        for position, word in enumerate(words, start=1):
            onset = player.study(word, position, len(words))
            log.write({**common, "trial": counter.next(), "onset_s": onset, "phase": "immediate",
                       "trial_type": "study", "position": position, "item": word})
        dist = self.settings.distractor
        if dist.enabled:
            problems = [tuple(int(x) for x in rng.integers(1, dist.max_operand + 1, size=2))
                        for _ in range(int(dist.duration_s) + 1)]
            player.distractor(problems, dist.duration_s)
        others = self._other_lists(exclude_form=form)
        cue = self._cue(list_number, "immediate", words, others, trial,
                        self.ctx.catalogue.text("recall.type_words", enter=self.ctx.catalogue.key_label("return")))
        return self._recall(cue, others, player, log, counter, common)

    def _other_lists(self, exclude_form: int) -> dict[int, list[str]]:
        others = {0: self.practice_words} if self.practice_words and exclude_form != 0 else {}
        for record in self.forms:
            if record.form != exclude_form:
                others.update({n: record.words for n in record.lists})
        return others

    def _cue(self, number: int, phase: str, words: list[str], others: dict[int, list[str]], trial: int,
             prompt: str, delay_s: float = 0.0) -> RecallCue:
        r = self.settings.recall
        return RecallCue(list_number=number, phase=phase, prompt=prompt, time_limit_s=r.time_limit_s,
                         done_key=r.done_key, max_entry_length=r.max_entry_length, studied=tuple(words),
                         other_lists=tuple(tuple(w) for _, w in sorted(others.items())),
                         learning_trial=trial, delay_s=delay_s)

    def _recall(self, cue: RecallCue, others: dict[int, list[str]], player: RecallPlayer, log: TrialLog,
                counter: "_Counter", common: dict) -> int:
        scorer = RecallScorer(list(cue.studied), cue.list_number, others, self.pool.lexicon,
                              self.settings.recall.typo_max_distance)
        start = self.ctx.clock.now()
        output = _Counter()
        correct: set[str] = set()

        def on_entry(text: str, t: float) -> None:
            entry: ScoredEntry = scorer.score(text)
            if entry.correct:
                correct.add(entry.item)
            log.write({**common, "trial": counter.next(), "onset_s": start, "rt_s": max(0.0, t - start),
                       "response": entry.text, "correct": entry.correct, "phase": cue.phase,
                       "trial_type": "recall", "position": output.next(), "item": entry.item,
                       "raw_response": text, "scoring_rule": entry.rule, "edit_distance": entry.distance,
                       "list_lag": entry.list_lag, "source_list": entry.source_list,
                       "delay_s": round(cue.delay_s, 3) if cue.phase == "delayed" else None})

        player.recall(cue, on_entry)
        if output.n == 0:  # nothing typed: one empty entry, so the recall period is in the log
            on_entry("", self.ctx.clock.now())
        return len(correct)

    def _delayed_block(self, block: Block, player: RecallPlayer, log: TrialLog, rng: np.random.Generator,
                       counter: "_Counter") -> None:
        if not self.forms:
            return
        ready_at = max(f.ended_s for f in self.forms) + self.settings.delayed.min_delay_s
        if self.ctx.clock.now() < ready_at:
            player.wait_until(ready_at, self.ctx.catalogue.text("recall.rest"))
        self.delayed_recalled = []
        for record in self.forms:
            number = record.lists[-1]
            others = {f.lists[-1]: f.words for f in self.forms if f is not record}
            prompt = self.ctx.catalogue.text("recall.type_words_of_list", number=record.form,
                                             enter=self.ctx.catalogue.key_label("return"))
            cue = self._cue(number, "delayed", record.words, others, len(record.lists), prompt,
                            delay_s=self.ctx.clock.now() - record.ended_s)
            common = {"block": block.number, "practice": False, "list": number, "test": "recall",
                      "form": record.form, "learning_trial": len(record.lists), "list_length": len(record.words)}
            self.delayed_recalled.append(self._recall(cue, others, player, log, counter, common))
        if self.settings.recognition.enabled:
            self._recognition(block, player, log, rng, counter)

    def _recognition(self, block: Block, player: RecallPlayer, log: TrialLog, rng: np.random.Generator,
                     counter: "_Counter") -> None:
        studied = [(w, f.lists[-1], f) for f in self.forms for w in f.words]
        n_old = min(self.settings.recognition.old_items, len(studied))
        old = [studied[i] for i in rng.choice(len(studied), size=n_old, replace=False)]
        lures = self.builder.draw(n_old, rng)
        probes = [(w, n, f.form, "old") for w, n, f in old] + [(w, None, None, "new") for w in lures]
        catalogue, keys = self.ctx.catalogue, self.settings.recognition
        yes = f"{catalogue.key_label(keys.old_key)} = {catalogue.text('recall.answer_seen')}"
        no = f"{catalogue.key_label(keys.new_key)} = {catalogue.text('recall.answer_new')}"
        player.announce(catalogue.text("recall.recognition_intro", yes=yes, no=no), screen="recall_recognition_intro")
        for position, i in enumerate(rng.permutation(len(probes)), start=1):
            word, number, form, truth = probes[i]
            answer = player.recognise(word, position, len(probes))
            log.write({"block": block.number, "practice": False, "trial": counter.next(),
                       "onset_s": answer.onset_s, "rt_s": answer.rt_s, "response": answer.response,
                       "correct": None if answer.response is None else answer.response == truth,
                       "list": number, "phase": "delayed", "trial_type": "recall", "position": position,
                       "item": word, "raw_response": answer.key, "test": "recognition", "form": form,
                       "probe": truth})

    # -- feedback and state ------------------------------------------------------------------
    def block_feedback(self, block: Block) -> str | None:
        if not self.settings.feedback:
            return None
        text = self.ctx.catalogue.text
        if block.deferred:
            if not self.delayed_recalled:
                return None
            return text("recall.delayed_feedback", recalled=sum(self.delayed_recalled))
        if block.practice:
            return text("recall.practice_done")
        record = next((f for f in self.forms if f.form == block.number), None)
        if record is None:
            return None
        if len(record.recalled) == 1:
            return text("recall.list_feedback", recalled=record.recalled[0], words=len(record.words))
        counts = ", ".join(str(n) for n in record.recalled)
        return text("recall.tries_feedback", counts=counts, words=len(record.words))

    def carried_state(self) -> dict:
        return {"level": self.staircase.level, "staircase": self.staircase.to_dict(), **self.builder.state()}

    def snapshot(self) -> dict:
        return {"staircase": self.staircase.to_dict(), **self.builder.state(),
                "session_words": sorted(self.builder.session_words),
                "forms": [f.to_dict() for f in self.forms], "practice_words": self.practice_words,
                "next_list": self.next_list, "delayed_recalled": self.delayed_recalled}


class _Counter:
    """1, 2, 3, … on successive calls."""

    def __init__(self) -> None:
        self.n = 0

    def next(self) -> int:
        self.n += 1
        return self.n

