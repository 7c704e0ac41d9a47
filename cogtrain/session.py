"""The session runner: one participant, one session, every task of a battery.

Data flow: validated battery → task sessions (logic) driven through a frontend
(window or simulated participant) → trial CSVs, ``session.json`` and
``state.json``. Every finished block is committed in ``session.json`` (its
progress and the task's carried state, one atomic write), then copied to
``state.json``; a run stopped between the two is repaired from the session
records when the next one starts. So ``--resume`` continues at the first
unfinished block after a crash, a kill or Escape, with the levels reached.
"""
from __future__ import annotations

import hashlib
import platform
import secrets
import zlib
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

import numpy as np

import cogtrain
from cogtrain.carry import carried_for, migrate, with_carried
from cogtrain.config import CHECKIN_TEXT, Battery, CheckinQuestion
from cogtrain.enrolment import first_difference, load_enrolment
from cogtrain.errors import CogtrainError, SessionAborted, UsageError
from cogtrain.files import UnreadableFile, read_json, write_json_atomic
from cogtrain.interrupts import deferred_interrupts
from cogtrain.lock import ParticipantLock
from cogtrain.frontend import Frontend
from cogtrain.paths import existing_sessions, participant_dir, session_dir
from cogtrain.programme import end_summary, level_of
from cogtrain.quality import add_flag
from cogtrain.refresh import changed as refresh_changed
from cogtrain.registry import get_task
from cogtrain.resumable import check_resumable
from cogtrain.state import ParticipantState
from cogtrain.study.williams import williams_orders
from cogtrain.task import Block, TaskContext, TaskSession
from cogtrain.text import load as load_catalogue
from cogtrain.timing import durations
from cogtrain.triallog import TrialLog

#: Builds the frontend for a session: ``make_frontend(seed, start_s, session)``.
FrontendFactory = Callable[[int, float, int], Frontend]

#: ``after_task`` of the fatigue rating at the end of a session (after every task, delayed ones included).
END_OF_SESSION = "end"
#: Statuses of a session that will not be continued.
FINISHED = ("complete", "abandoned")
#: Carried state per battery purpose: an assessment visit never moves a training level, and its
#: alternate forms (words, problems used) follow earlier visits only.
STATE_FILES = {"training": "state.json", "assessment": "assessment_state.json"}


@dataclass(frozen=True)
class SessionRequest:
    """What the researcher asked for on the command line."""

    participant: str
    data_dir: Path
    session: int | None = None
    seed: int | None = None
    resume: bool = False
    task_order: tuple[str, ...] | None = None
    """A study's counterbalanced order of the battery's tasks (default: the battery's ``order`` rule)."""
    arm: str | None = None
    """The participant's study arm, recorded in session.json."""
    visit: str | None = None
    """The study visit this session is (None: a training session), recorded in session.json."""
    new_session: bool = False
    reason: str | None = None
    settings: dict[str, Any] | None = None
    """Where the settings came from, kept in session.json: ``battery_sha256``, ``profile``
    (``{"path", "sha256"}`` or None) and ``override`` (``{"reason", "difference"}`` or None)."""


@dataclass(frozen=True)
class SessionOutcome:
    """Where the session was written, how it ended ("complete" or "aborted"), and repairs made on the way."""

    folder: Path
    session: int
    status: str
    notes: tuple[str, ...] = ()




def block_rng(seed: int, task: str, block: int) -> np.random.Generator:
    """The generator of one block: the same seed, task and block always give the same block."""
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(zlib.crc32(task.encode()), block)))


def block_seed(seed: int, task: str, block: int) -> np.random.SeedSequence:
    """A seed for the frontend's own draws during one block (distinct from :func:`block_rng`'s stream)."""
    return np.random.SeedSequence(seed, spawn_key=(zlib.crc32(task.encode()), block, 1))


def task_order(battery: Battery, participant: str, seed: int) -> list[str]:
    """Order of the tasks: as listed, shuffled by the session seed, or a balanced Latin square row.

    The Williams design (square and mirror for an odd number of tasks)
    balances first-order carry-over; the order is chosen from a checksum of
    the participant ID, so a participant keeps the same order in every
    session. In a study, orders follow enrolment order instead (the order is
    given in the request; see :mod:`cogtrain.study.williams`).
    """
    names = battery.task_names
    if battery.config.order == "random":
        return [names[i] for i in np.random.default_rng(seed).permutation(len(names))]
    if battery.config.order == "latin_square":
        orders = williams_orders(len(names))
        return [names[i] for i in orders[zlib.crc32(participant.encode()) % len(orders)]]
    return names


class SessionRecord:
    """``session.json``: resolved config, seed, versions, times, status and block progress."""

    def __init__(self, path: Path, data: dict[str, Any], previous_run: dict[str, Any] | None = None):
        self.path = path
        self.data = data
        self.notes: list[str] = []
        #: The last run of the participant's previous session (for a new session; None otherwise).
        self.previous_run = previous_run

    def save(self) -> None:
        """Write atomically (the session folder is created with the first save)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        write_json_atomic(self.path, self.data)

    @property
    def done(self) -> set[str]:
        """Keys (``task:block``) of finished blocks."""
        return set(self.data["progress"]["done"])

    def mark_done(self, task: str, block: Block, snapshot: dict, carried: dict, commit: int,
                  elapsed: float) -> None:
        """Commit a finished block: its key, the task's progress and carried state, in one save.

        ``commit`` orders the carried states of every session of the participant
        (see :meth:`cogtrain.state.ParticipantState.reconcile`).
        """
        progress = self.data["progress"]
        progress["done"].append(block_key(task, block))
        progress["snapshots"][task] = snapshot
        progress.setdefault("carried", {})[task] = {"commit": commit, "state": carried}
        self.data["duration_s"] = round(elapsed, 3)
        self.save()


def block_key(task: str, block: Block) -> str:
    """Stable identifier of a block within a session."""
    return f"{task}:{block.number}"


def open_record(battery: Battery, request: SessionRequest, state: ParticipantState) -> SessionRecord:
    """Continue the participant's unfinished last session, or create the record of a new one.

    The last session is continued unless it is complete or abandoned, a session
    number is asked for, or ``new_session`` is set: then it is marked abandoned
    with ``request.reason`` and a new session starts.
    """
    sub = participant_dir(request.data_dir, request.participant)
    sessions = existing_sessions(sub)
    if request.resume:
        return _reopen(battery, request, sessions)
    last = last_record(request.data_dir, request.participant)
    if request.session is None and is_unfinished(last):
        if not request.new_session:
            _check_same_settings(battery, last, "--new-session to abandon it and start a new one")
            return _reopen(battery, request, sessions)
        _abandon(last, request.reason or "a new session was started with --new-session")
    number = request.session or (max(sessions) + 1 if sessions else 1)
    folder = session_dir(request.data_dir, request.participant, number)
    if (folder / "session.json").exists():
        raise UsageError(f"{folder}: session {number} already exists; use --resume to continue it, "
                         "or leave out --session to start the next one")
    seed = request.seed if request.seed is not None else secrets.randbits(31)
    order = list(request.task_order) if request.task_order else task_order(battery, request.participant, seed)
    if sorted(order) != sorted(battery.task_names):
        raise UsageError(f"task order {order} does not list the tasks of {battery.path} "
                         f"({', '.join(battery.task_names)}) once each")
    data = {
        "participant": request.participant,
        "session": number,
        "seed": seed,
        "config_path": str(battery.path),
        "config": battery.resolved(),
        "versions": versions(),
        "task_order": order,
        "arm": request.arm,
        "visit": request.visit,
        "started": None,
        "ended": None,
        "status": "running",
        "duration_s": 0.0,
        "runs": [],
        "carried_start": {name: carried_for(state.task(name), battery.task_settings[name]) for name in order},
        "progress": {"done": [], "snapshots": {}, "carried": {}},
        "fatigue": [],
        "flags": [],
        **_provenance(request.settings),
    }
    if data["override"]:
        add_flag(data, "settings_override", f"{data['override']['difference']} ({data['override']['reason']})")
    previous = (last.data.get("profile") or {}).get("sha256") if last is not None else None
    current = (data["profile"] or {}).get("sha256")
    if last is not None and "profile" in last.data and previous != current:
        add_flag(data, "profile_changed", f"profile {str(previous)[:12]} in session {last.data.get('session')}, "
                                          f"now {str(current)[:12]}")
    runs = last.data.get("runs") if last is not None else None
    return SessionRecord(folder / "session.json", data,
                         previous_run=runs[-1] if isinstance(runs, list) and runs and isinstance(runs[-1], dict)
                         else None)


def _provenance(settings: dict[str, Any] | None) -> dict[str, Any]:
    """The ``profile``, ``battery_sha256`` and ``override`` keys of a new session.json."""
    settings = settings or {}
    return {"battery_sha256": settings.get("battery_sha256"), "profile": settings.get("profile"),
            "override": settings.get("override")}


def last_record(data_dir: Path, participant: str) -> SessionRecord | None:
    """The participant's latest session record (None before the first, or if it cannot be read)."""
    sessions = existing_sessions(participant_dir(data_dir, participant))
    if not sessions:
        return None
    path = session_dir(data_dir, participant, max(sessions)) / "session.json"
    try:
        data = read_json(path, what="session record")
    except CogtrainError:
        return None  # an unreadable record is never continued; a new session starts beside it
    return SessionRecord(path, data) if isinstance(data, dict) and isinstance(data.get("progress"), dict) else None


def is_unfinished(record: SessionRecord | None) -> bool:
    """Whether a plain run continues this session (it is neither complete nor abandoned)."""
    return record is not None and record.data.get("status") not in FINISHED


def _check_same_settings(battery: Battery, record: SessionRecord, remedy: str) -> None:
    """Refuse to continue a session with other settings than it started with."""
    difference = first_difference(battery.resolved(), record.data.get("config"))
    if difference:
        raise UsageError(f"session {record.data.get('session')} of {record.data.get('participant')} is "
                         f"unfinished and started with other settings ({difference}, now against then); "
                         f"run it with its battery and profile to continue it, or add {remedy}")


def _check_same_seed(request: SessionRequest, record: SessionRecord) -> None:
    """A continued session keeps its seed: refuse another one rather than ignore it."""
    if request.seed is not None and request.seed != record.data.get("seed"):
        raise UsageError(f"--seed {request.seed}: session {record.data.get('session')} of "
                         f"{record.data.get('participant')} is continued with its own seed "
                         f"{record.data.get('seed')}; leave out --seed, or add --new-session")


def _abandon(record: SessionRecord, reason: str) -> None:
    """Mark an unfinished session abandoned: it will not be continued."""
    record.data["status"] = "abandoned"
    record.data["abandoned"] = {"date": datetime.now(timezone.utc).isoformat(timespec="seconds"), "reason": reason}
    add_flag(record.data, "abandoned", reason)
    record.save()


def host_id() -> str:
    """A short hash of this computer's network name: tells computers apart without naming them."""
    return hashlib.sha256(platform.node().encode("utf-8")).hexdigest()[:12]


def _reopen(battery: Battery, request: SessionRequest, sessions: list[int]) -> SessionRecord:
    number = request.session or max(sessions)
    folder = session_dir(request.data_dir, request.participant, number)
    path = folder / "session.json"
    if not path.exists():
        raise UsageError(f"--resume: {path} does not exist; nothing to resume")
    data = read_json(path, what="session record")
    if isinstance(data, dict) and data.get("status") in FINISHED:
        raise UsageError(f"--resume: session {number} of {request.participant} is already {data['status']}")
    notes = check_resumable(data, path, battery, request.participant, number)
    record = SessionRecord(path, data)
    record.notes += notes
    _check_same_seed(request, record)
    return record


def versions() -> dict[str, str]:
    """Versions recorded in session.json (psychopy only if already imported by the window)."""
    import sys

    found = {"cogtrain": cogtrain.__version__, "python": platform.python_version(),
             "numpy": np.__version__, "platform": platform.platform()}
    psychopy = sys.modules.get("psychopy")
    if psychopy is not None:
        found["psychopy"] = getattr(psychopy, "__version__", "")
    return found


def run_session(battery: Battery, request: SessionRequest, make_frontend: FrontendFactory) -> SessionOutcome:
    """Run (or resume) one session and return where it was written and how it ended."""
    sub = participant_dir(request.data_dir, request.participant)
    if request.resume and not existing_sessions(sub):  # checked before any folder is made
        raise UsageError(f"--resume: participant {request.participant} has no session to resume")
    sub.mkdir(parents=True, exist_ok=True)
    with ParticipantLock(sub):
        purpose = battery.config.purpose
        state = ParticipantState(sub / STATE_FILES[purpose], request.participant)
        state.reconcile((label, record) for label, record in session_records(sub)
                        if record_purpose(record) == purpose)
        migrate(state, sub, request.participant)
        record = open_record(battery, request, state)
        frontend = make_frontend(record.data["seed"], float(record.data.get("duration_s") or 0.0),
                                 record.data["session"])
        try:
            outcome = Session(battery, record, state, frontend).run()
        finally:
            frontend.close()
    return SessionOutcome(outcome.folder, outcome.session, outcome.status, tuple(state.notes + record.notes))


def record_purpose(record: object) -> str:
    """The purpose (training or assessment) of the battery a session record ran; "training" if it says none."""
    config = record.get("config") if isinstance(record, dict) else None
    purpose = config.get("purpose") if isinstance(config, dict) else None
    return purpose if purpose in STATE_FILES else "training"


def session_records(sub: Path) -> list[tuple[str, dict]]:
    """``(label, content)`` of every readable ``session.json`` of a participant (damaged ones are skipped)."""
    found = []
    for number in existing_sessions(sub):
        path = sub / f"ses-{number:03d}" / "session.json"
        try:
            found.append((f"{path.parent.name}/{path.name}", read_json(path, what="session record")))
        except UnreadableFile:
            continue
    return found


class Session:
    """Drives every block of every task through one frontend, saving after each block."""

    def __init__(self, battery: Battery, record: SessionRecord, state: ParticipantState, frontend: Frontend):
        self.battery = battery
        self.record = record
        self.state = state
        self.frontend = frontend
        self.catalogue = load_catalogue(battery.config.language)
        data = record.data
        self.folder = record.path.parent
        self.run_number = len(data["runs"]) + 1
        ctx = TaskContext(participant=data["participant"], session=data["session"],
                          clock=frontend.clock, seed=data["seed"], frame_rate=frontend.frame_rate,
                          catalogue=self.catalogue)
        self.task_sessions: dict[str, TaskSession] = {name: self._start_task(ctx, name)
                                                        for name in data["task_order"]}
        self.players: dict[str, Any] = {}
        self.logs: dict[str, TrialLog] = {}

    def _start_task(self, ctx: TaskContext, name: str) -> TaskSession:
        """The task's session from its carried state (and snapshot, when resuming); one line if they are damaged."""
        data = self.record.data
        resumed = bool(data["runs"])
        carried, snapshot = data["carried_start"].get(name), data["progress"]["snapshots"].get(name)
        origin = (f"{self.record.path}: key carried_start.{name}" if resumed
                  else f"{self.state.path}: key tasks.{name}")
        todo = ("restore the record from a backup, or leave out --resume to start a new session" if resumed
                else f"fix it, or delete the entry to start {name} at its first-session level")
        attempts = [(None, origin)] + ([(snapshot, f"{self.record.path}: key progress.snapshots.{name}")]
                                       if snapshot is not None else [])
        for snap, where in attempts:  # the carried state alone first, so a problem is put at the right key
            try:
                task = get_task(name).session(ctx, self.battery.task_settings[name], carried, snap)
            except (KeyError, TypeError, ValueError, AttributeError, OverflowError, IndexError) as exc:
                raise CogtrainError(f"{where}: cannot be used ({type(exc).__name__}: {exc}); {todo}") from None
        return task

    def schedule(self) -> list[tuple[str, Block]]:
        """Every block in running order: each task's regular blocks, then the deferred ones."""
        order = self.record.data["task_order"]
        regular = [(n, b) for n in order for b in self.task_sessions[n].blocks() if not b.deferred]
        deferred = [(n, b) for n in order for b in self.task_sessions[n].blocks() if b.deferred]
        return regular + deferred

    def now_iso(self) -> str:
        """The frontend's wall-clock time, ISO 8601."""
        return self.frontend.wall_time().isoformat(timespec="seconds")

    def run(self) -> SessionOutcome:
        """Run the remaining blocks; an abort leaves the session resumable."""
        data = self.record.data
        data["started"] = data["started"] or self.now_iso()
        data["status"] = "running"
        entry = self._run_entry()
        self._flag_changes(entry)
        data["runs"].append(entry)
        try:
            self.record.save()
            self._check_display()
            self._welcome_back()
            self._check_in()
            self._run_blocks()
            self._rate_fatigue(after=END_OF_SESSION, save=False)  # saved with the end, in one write
            self._finish("complete")
            self.frontend.show_summary(self._summary(), screen="end")
        except SessionAborted as exc:
            if data["status"] != "complete":  # Escape on the end screen changes nothing
                add_flag(data, "aborted", f"run {self.run_number}: {exc}")
                self._finish("aborted")
        except BaseException as exc:
            if data["status"] != "complete":  # a signal after the last save leaves the session complete
                data["error"] = f"{type(exc).__name__}: {exc}"
                add_flag(data, "aborted", f"run {self.run_number}: {data['error']}")
                try:
                    self._finish("aborted")
                except OSError:
                    pass  # the disk refused the record too: the trial rows already written stay
                if self.record.path.exists():
                    exc.add_note(f"the trials finished so far are saved in {self.folder}; continue with --resume")
            raise
        finally:
            for log in self.logs.values():
                log.close()
        return SessionOutcome(self.folder, data["session"], data["status"])

    def _summary(self) -> str:
        """The participant's end summary: levels against last time, sessions done against the plan."""
        data = self.record.data
        sub = self.folder.parent
        try:
            enrolment = load_enrolment(sub.parent, data["participant"])
        except CogtrainError:
            enrolment = None  # a damaged record names no plan; the session itself is saved
        plan = enrolment.plan if enrolment is not None else None
        done = sum(record.get("status") == "complete" and record_purpose(record) == "training"
                   for _, record in session_records(sub) if isinstance(record, dict))  # the plan counts training
        levels = []
        if self.battery.config.purpose == "training":  # an assessment keeps its levels fixed
            for name in data["task_order"]:
                today = level_of(self.task_sessions[name].carried_state())
                if today is not None:
                    levels.append((self.catalogue.task_title(name, default=get_task(name).title),
                                   level_of(data["carried_start"].get(name)), today))
        return end_summary(self.catalogue, data["session"], levels, done, plan.sessions if plan is not None else None,
                           assessment=self.battery.config.purpose == "assessment")

    def _run_entry(self) -> dict[str, Any]:
        """This run's entry of ``runs``: times, frontend, and the refresh rate durations are converted at.

        A refresh rate that was not measured, or differs from the last run's, flags the session.
        """
        entry = {"run": self.run_number, "started": self.now_iso(), "ended": None, "status": "running",
                 "frontend": self.frontend.kind, "frame_rate_hz": round(self.frontend.frame_rate, 2),
                 "host": host_id(), "screen": self.frontend.screen_size}
        refresh = self.frontend.refresh
        if refresh is not None:
            entry["refresh"] = refresh.record(self.frontend.frame_rate)
            earlier = [run["refresh"] for run in self.record.data["runs"] if run.get("refresh")]
            if not refresh.ok:
                add_flag(self.record.data, "refresh_unmeasured", f"run {self.run_number}: {refresh.status}: "
                                                                  f"{refresh.detail}")
            if earlier and refresh_changed(earlier[-1], entry["refresh"]):
                add_flag(self.record.data, "refresh_changed", f"run {self.run_number}: the refresh rate differs "
                                                               "from the last run's")
        entry["durations"] = {name: durations(self.battery.task_settings[name].model_dump(),
                                              self.frontend.frame_rate)
                              for name in self.record.data["task_order"]}
        return entry

    def _flag_changes(self, this_run: dict[str, Any]) -> None:
        """Flag a continued session, and a computer or screen other than the previous run's."""
        data = self.record.data
        runs = data["runs"]
        if runs:
            if runs[-1].get("status") == "running":  # the previous run died without a word
                runs[-1]["status"] = "killed"
                add_flag(data, "aborted", f"run {runs[-1].get('run')} was killed or crashed")
            add_flag(data, "resumed", f"run {self.run_number} continued the session")
        before = runs[-1] if runs else self.record.previous_run
        if not before:
            return
        if before.get("host") and before["host"] != this_run["host"]:
            add_flag(data, "host_changed", f"computer {this_run['host']}, before {before['host']}")
        screen, earlier = this_run["screen"], before.get("screen")
        if screen and earlier and list(screen) != list(earlier):
            add_flag(data, "screen_changed", f"window {screen[0]}x{screen[1]}, before {earlier[0]}x{earlier[1]}")

    def _welcome_back(self) -> None:
        """On a continued session, say where it continues."""
        if self.run_number == 1:
            return
        done = self.record.done
        remaining = [(n, b) for n, b in self.schedule() if block_key(n, b) not in done]
        if not remaining:
            return
        name, block = remaining[0]
        regular = [b for b in self.task_sessions[name].blocks() if not b.practice and not b.deferred]
        place = (self.catalogue.text("session.place_practice") if block.practice
                 else self.catalogue.text("session.place_deferred") if block.deferred
                 else self.catalogue.text("session.place_block", number=block.number, blocks=len(regular)))
        title = self.catalogue.task_title(name, default=get_task(name).title)
        self.frontend.show_message(self.catalogue.text("session.welcome_back", task=title, place=place),
                                   screen="welcome_back")

    def _check_in(self) -> None:
        """Ask the check-in questions once per session (not again when it is continued)."""
        checkin = self.battery.config.checkin
        data = self.record.data
        if not checkin.enabled or data.get("checkin"):
            return
        answers = []
        for question in checkin.questions:
            prompt, anchors = self._question_text(question)
            if question.kind == "yes_no":
                options = [self.catalogue.text("checkin.answer_no"), self.catalogue.text("checkin.answer_yes")]
                answer = ("no", "yes")[self.frontend.ask_choice(prompt, options, screen=f"checkin_{question.id}")]
            else:
                answer = self.frontend.ask_rating(prompt, screen=f"checkin_{question.id}",
                                                  low=question.low, high=question.high, anchors=anchors)
            answers.append({"id": question.id, "prompt": prompt, "answer": answer,
                            "onset_s": round(self.frontend.clock.now(), 3)})
        data["checkin"] = answers
        self.record.save()

    def _question_text(self, question: CheckinQuestion) -> tuple[str, tuple[str, str]]:
        """Prompt and end labels of a check-in question: the battery's, else the catalogue's default."""
        if question.prompt is not None:
            return question.prompt, question.anchors or ("", "")
        prompt, low, high = CHECKIN_TEXT[question.id]
        ends = tuple(self.catalogue.text(key) if key else "" for key in (low, high))
        return self.catalogue.text(prompt), question.anchors or ends

    def _check_display(self) -> None:
        """Refuse to start on a display that cannot show the screens, or at an unusable refresh rate.

        An unusable refresh rate is accepted when the battery allows it.
        """
        problem = self.frontend.display_problem()
        if problem is not None:
            self._refuse(f"display: {problem}", self.catalogue.text("session.display_refused", detail=problem),
                         "display_refused")
        refresh = self.frontend.refresh
        if refresh is None or refresh.ok or self.battery.config.display.allow_unmeasured_refresh:
            return
        self._refuse(f"refresh rate {refresh.status}: {refresh.detail}",
                     self.catalogue.text("session.refresh_refused", detail=refresh.detail), "refresh_refused")

    def _refuse(self, reason: str, text: str, screen: str) -> None:
        """Record why the session cannot start, tell the researcher, and end it resumable."""
        self.record.data["refused"] = reason
        self.frontend.show_message(text, screen=screen)
        raise SessionAborted(reason)

    def _run_blocks(self) -> None:
        done = self.record.done
        previous: str | None = None
        for name, block in self.schedule():
            if block_key(name, block) in done:
                continue
            task = self.task_sessions[name]
            if name != previous:
                if previous is not None:
                    self._take_break(after=previous)
                if not block.deferred:
                    pages = task.instructions()
                    self.record.data.setdefault("instructions", {})[name] = pages  # saved with the block
                    self.frontend.show_pages(pages, screen=f"instructions_{name}")
                previous = name
            intro = task.block_intro(block)
            if intro:
                self.frontend.show_message(intro, screen=f"intro_{name}_{block.label}")
            seed = self.record.data["seed"]
            self.frontend.start_block(block_seed(seed, name, block.number))
            task.run_block(block, self._player(name), self._log(name), block_rng(seed, name, block.number))
            self._commit(name, block, task)
            feedback = task.block_feedback(block)
            if feedback:
                self.frontend.show_message(feedback, screen=f"feedback_{name}")

    def _commit(self, name: str, block: Block, task: TaskSession) -> None:
        """Save a finished block: session.json is the commit, state.json a copy repaired from it if need be."""
        carried = with_carried(self.state.task(name), self.battery.task_settings[name], task.carried_state())
        commit = self.state.next_commit()
        with deferred_interrupts():
            self.record.mark_done(name, block, task.snapshot(), carried, commit, self.frontend.clock.now())
            self.state.update_task(name, carried, commit)

    def _player(self, name: str) -> Any:
        if name not in self.players:
            self.players[name] = self.frontend.make_player(get_task(name), self.battery.task_settings[name])
        return self.players[name]

    def _log(self, name: str) -> TrialLog:
        if name not in self.logs:
            spec = get_task(name)
            data = self.record.data
            self.logs[name] = TrialLog(
                self.folder / f"{name}.csv", spec.log_columns(self.battery.task_settings[name]),
                fixed={"participant": data["participant"], "session": data["session"], "task": name,
                       "run": self.run_number})
        return self.logs[name]

    def _take_break(self, after: str) -> None:
        breaks = self.battery.config.breaks
        if not breaks.between_tasks:
            return
        self._rate_fatigue(after)
        self.frontend.show_message(self.catalogue.text("session.break"), screen="break",
                                   min_duration_s=breaks.min_duration_s)

    def _rate_fatigue(self, after: str, save: bool = True) -> None:
        if not self.battery.config.breaks.fatigue_rating:
            return
        rating = self.frontend.ask_rating(self.catalogue.text("fatigue.prompt"), screen="fatigue",
                                          anchors=(self.catalogue.text("fatigue.low"), self.catalogue.text("fatigue.high")))
        self.record.data["fatigue"].append(
            {"after_task": after, "rating": rating, "answered": rating is not None,
             "onset_s": round(self.frontend.clock.now(), 3)})
        if save:
            self.record.save()

    def _finish(self, status: str) -> None:
        data = self.record.data
        data["status"] = status
        data["duration_s"] = round(self.frontend.clock.now(), 3)
        data["runs"][-1].update(ended=self.now_iso(), status=status)
        if status == "complete":
            data["ended"] = self.now_iso()
        self.record.save()
