"""The ``cogtrain`` command line (``cogtrain --help``)."""
from __future__ import annotations

import argparse
import math
import signal
import sys
import tempfile
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Sequence

from cogtrain import __version__
from cogtrain.errors import CogtrainError, UsageError

if TYPE_CHECKING:
    from cogtrain.config import Battery
    from cogtrain.frontend import Frontend

# Modules that pull in pandas, scipy or psychopy are imported inside the commands that use
# them, so that 'cogtrain start' reaches its first frame quickly (scripts/bench_timing.py).

REPO_CONFIGS = Path(__file__).resolve().parent.parent / "configs"
EXIT_ABORTED = 3
#: Spacing of the demo's simulated sessions when its battery plans none.
DEMO_SESSIONS_PER_WEEK = 3


class _Parser(argparse.ArgumentParser):
    """ArgumentParser whose errors are one line and exit with status 2."""

    def error(self, message: str) -> None:  # noqa: D102
        raise UsageError(f"{self.prog}: {message} (see {self.prog} --help)")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every subcommand."""
    parser = _Parser(prog="cogtrain", description="Adaptive cognitive training for people with MS: "
                     "run sessions, validate configs, score and export results.")
    parser.add_argument("--version", action="version", version=f"cogtrain {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    run = sub.add_parser("run", help="run (or continue) a training session for one participant",
                         description="Run a training session of the battery in CONFIG for one participant, "
                         "or continue their unfinished last session. Data go to DATA/sub-<ID>/ses-<NNN>/. "
                         "For an enrolled participant CONFIG and --profile default to the enrolled ones.")
    run.add_argument("config", type=Path, nargs="?",
                     help="battery YAML file (see configs/); leave out for an enrolled participant")
    run.add_argument("--participant", required=True, help="participant ID: letters and digits only")
    run.add_argument("--session", type=_positive_int, help="session number (default: the next one)")
    run.add_argument("--data", type=_folder, default=Path("data"), help="output folder (default: ./data)")
    run.add_argument("--seed", type=_seed, help="random seed (default: a fresh one, logged in session.json)")
    _window_options(run)
    run.add_argument("--resume", action="store_true",
                     help="continue the participant's last unfinished session at its first unfinished block "
                     "(the default when the last session is unfinished)")
    run.add_argument("--new-session", action="store_true",
                     help="mark an unfinished last session abandoned (with --reason) and start a new one")
    run.add_argument("--override", action="store_true",
                     help="run an enrolled participant with another CONFIG or --profile (needs --reason)")
    run.add_argument("--reason", metavar="TEXT",
                     help="why: recorded in session.json for --override and --new-session")
    run.add_argument("--profile", type=Path, metavar="FILE",
                     help="participant profile YAML overriding display, keys, breaks or task settings")
    run.add_argument("--simulate", action="store_true",
                     help="no display: a simulated participant responds (for demos and tests)")
    run.add_argument("--sim-ability", type=_abilities, default={}, metavar="TASK=LEVEL,...",
                     help="with --simulate: level at which the simulated participant is at threshold "
                     "(nback: n; tower: minimum moves; recall: list length recalled at 50%%; "
                     "symbol_digit: symbols answered right in the 90-s assessment)")

    start = sub.add_parser("start", help="open the window on the start screen and run today's session",
                           description="Open the window on a start screen in large print (session, planned length, "
                           "last session) with Start and Not now, then run the enrolled battery in the same window; "
                           "an unfinished session is continued. Without ID: a chooser of the enrolled participants, "
                           "unless the machine set-up file names one (docs/home-use.md).")
    start.add_argument("participant", metavar="ID", nargs="?", help="an enrolled participant")
    start.add_argument("--data", type=_folder, help="data folder (default: the machine set-up file's, else ./data)")
    start.add_argument("--researcher", action="store_true",
                       help="a start dialog in the window first: participant, new or continued session, battery")
    _window_options(start)

    launcher = sub.add_parser("desktop-launcher", help="write a desktop launcher that runs 'cogtrain start' (Linux)",
                              description="Write a freedesktop.org .desktop file running 'cogtrain start' for a "
                              "participant and data folder (default: into the applications menu). Windows and "
                              "macOS: docs/home-use.md.")
    launcher.add_argument("participant", metavar="ID", nargs="?",
                          help="the participant it starts (default: a chooser, or the machine set-up file's)")
    launcher.add_argument("--data", type=_folder, default=Path("data"), help="data folder (default: ./data)")
    launcher.add_argument("--out", type=Path, metavar="FILE",
                          help="where to write it: a file, or a folder to write cogtrain[-ID].desktop into "
                               "(default: ~/.local/share/applications)")

    enrol = sub.add_parser("enrol", help="enrol a participant: battery, profile, arm and plan kept in their record",
                           description="Write the participant's record under DATA/sub-<ID>/: resolved copies "
                           "of the battery and profile with their hashes, the plan, arm and language. "
                           "Later sessions use it: 'cogtrain run --participant ID' needs no CONFIG.")
    enrol.add_argument("participant", metavar="ID", help="participant ID: letters and digits only")
    enrol.add_argument("--battery", type=Path, metavar="CONFIG", help="battery YAML file")
    enrol.add_argument("--study", type=Path, metavar="STUDY.yaml",
                       help="enrol in a study instead: allocates an arm (its battery) and a task order")
    enrol.add_argument("--strata", type=_strata, default={}, metavar="FACTOR=LEVEL,...",
                       help="with --study: the participant's stratum, e.g. site=A,edss=low")
    enrol.add_argument("--profile", type=Path, metavar="FILE", help="participant profile YAML")
    enrol.add_argument("--arm", help="study arm (stored under the key 'arm')")
    enrol.add_argument("--language", metavar="CODE", help="language of the participant's screens (en, de, pt-BR)")
    enrol.add_argument("--data", type=_folder, default=Path("data"), help="data folder (default: ./data)")
    enrol.add_argument("--sessions-per-week", type=_positive_float(14), metavar="N",
                       help="planned sessions a week (default: the battery's plan)")
    enrol.add_argument("--minutes-per-session", type=_positive_float(240), metavar="MIN",
                       help="planned minutes a session (default: the battery's plan)")
    enrol.add_argument("--weeks", type=_whole_number(1, 104), help="planned weeks (default: the battery's plan)")

    part = sub.add_parser("participant", help="show a participant's record; change their profile",
                          description="Show the participant's record and audit log. --set-profile replaces "
                          "the enrolled profile and logs date, OS user, old and new hash and the reason.")
    part.add_argument("participant", metavar="ID")
    part.add_argument("--data", type=_folder, default=Path("data"), help="data folder (default: ./data)")
    part.add_argument("--set-profile", type=Path, metavar="FILE", help="new profile YAML (needs --reason)")
    part.add_argument("--withdraw", action="store_true",
                      help="record that the participant withdrew from the study (needs --reason)")
    part.add_argument("--reason", metavar="TEXT", help="why the record changes (kept in the audit log)")

    event = sub.add_parser("event", help="record a clinical event (relapse, steroids, treatment change)",
                           description="Record a clinical event of a participant in DATA/sub-<ID>/events.jsonl; "
                           "'cogtrain score' lists events in events.csv for the report timeline.")
    event.add_argument("participant", metavar="ID")
    event.add_argument("--date", required=True, metavar="YYYY-MM-DD", help="the day it happened or began")
    event.add_argument("--type", required=True, dest="kind", metavar="TYPE",
                       help="relapse, steroids, dmt_start, dmt_change or other")
    event.add_argument("--note", default="", metavar="TEXT", help="a short note (needed for 'other')")
    event.add_argument("--data", type=Path, default=Path("data"), help="data folder (default: ./data)")

    val = sub.add_parser("validate", help="check battery and study files; exit 2 listing every problem")
    val.add_argument("configs", type=Path, nargs="+", metavar="CONFIG")
    val.add_argument("--profile", type=Path, metavar="FILE", help="also apply this participant profile")

    sub.add_parser("list-tasks", help="list the tasks this installation provides")

    score = sub.add_parser("score", help="score every session in DATA_DIR")
    score.add_argument("data_dir", type=_folder, metavar="DATA_DIR")
    score.add_argument("--out", type=_folder, required=True, metavar="OUT_DIR")
    score.add_argument("--no-report", action="store_true",
                       help="tables only, no HTML reports and plots (faster on large studies)")
    cache = score.add_mutually_exclusive_group()
    cache.add_argument("--cache", type=Path, metavar="DIR",
                       help="columnar cache folder: only changed sessions are read and scored again "
                       "(default: a folder per data folder under ~/.cache/cogtrain)")
    cache.add_argument("--no-cache", action="store_true", help="read and score everything, keep no cache")
    spread = score.add_mutually_exclusive_group()
    spread.add_argument("--jobs", type=_whole_number(1, 1024), metavar="N",
                        help="worker processes on this computer (default: one per core it may use; 1: none)")
    spread.add_argument("--workers", type=_whole_number(1, 1024), metavar="N",
                        help="score participants on a local Dask cluster of N worker processes")
    spread.add_argument("--scheduler", metavar="ADDRESS",
                        help="score participants on the Dask cluster of this scheduler (e.g. tcp://host:8786)")

    export = sub.add_parser("export", help="export results in a standard format")
    export.add_argument("data_dir", type=_folder, metavar="DATA_DIR")
    export.add_argument("--format", required=True, dest="fmt", metavar="FORMAT",
                        help="bids, or a format a task offers (an unknown name lists them)")
    export.add_argument("--out", type=_folder, required=True, metavar="OUT_DIR")

    codebook = sub.add_parser("codebook", help="write the data dictionary: every file, column and metric "
                              "with unit, direction and meaning (CSV)")
    codebook.add_argument("--out", type=Path, required=True, metavar="FILE")

    analyze = sub.add_parser("analyze", help="group analysis of a study: flow, trajectories and outcomes by arm",
                             description="Analyse a study's data folder by arm and write tidy CSV tables, "
                             "figures and group_report.html to OUT.")
    analyze.add_argument("data_dir", type=Path, metavar="DATA")
    analyze.add_argument("--study", type=Path, required=True, metavar="STUDY.yaml")
    analyze.add_argument("--out", type=Path, required=True, metavar="DIR")

    demo = sub.add_parser("demo", help="simulate a participant's sessions (or a whole study), score them and "
                                       "write a report")
    demo.add_argument("--out", type=Path, help="output folder (default: a new temporary folder)")
    demo.add_argument("--config", type=Path, default=REPO_CONFIGS / "ms_training.yaml")
    demo.add_argument("--sessions", type=_positive_int, default=3)
    demo.add_argument("--participant", default="DEMO01")
    demo.add_argument("--study", type=Path, metavar="STUDY.yaml",
                      help="simulate this study end to end (enrolment, visits, training) and analyse it")
    demo.add_argument("--no-learning", action="store_true",
                      help="with --study: nobody learns, whatever the arms' learning rates (a null study)")
    return parser


def _window_options(parser: argparse.ArgumentParser) -> None:
    """``--windowed`` and ``--screenshots``, shared by the commands that open the window."""
    parser.add_argument("--windowed", action="store_true", help="use a window instead of the full screen")
    parser.add_argument("--screenshots", type=Path, metavar="DIR",
                        help="save a PNG of the first frame of every distinct screen into DIR")


def _whole_number(low: int, high: int) -> Callable[[str], int]:
    """Argument type: a whole number from ``low`` to ``high``."""
    def parse(text: str) -> int:
        if not text.isascii():  # int() also reads Arabic-Indic, Devanagari, full-width ... digits
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number written with the digits 0-9")
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{text!r} must be between {low} and {high}")
        return value
    return parse


def _folder(text: str) -> Path:
    """Argument type: a folder path (an empty one would mean the current folder unnoticed)."""
    if not text.strip():
        raise argparse.ArgumentTypeError("empty folder name; give a folder such as ./data")
    return Path(text)


_positive_int = _whole_number(1, 9999)


def _positive_float(high: float) -> Callable[[str], float]:
    """Argument type: a number above 0 and at most ``high``."""
    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            value = float("nan")
        if not 0 < value <= high:
            raise argparse.ArgumentTypeError(f"{text!r} must be a number above 0 and at most {high:g}")
        return value
    return parse
_seed = _whole_number(0, 2**63 - 1)


def _abilities(text: str) -> dict[str, float]:
    found: dict[str, float] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        task, sep, level = part.partition("=")
        try:
            value = float(level)
        except ValueError:
            value = float("nan")
        if not sep or not task or not math.isfinite(value) or value <= 0:
            raise argparse.ArgumentTypeError(f"{part!r}: expected TASK=LEVEL with a positive number "
                                             "(task names: cogtrain list-tasks)")
        found[task.strip()] = value
    return found


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: run a subcommand and turn user errors into one line and an exit status."""
    try:
        args = build_parser().parse_args(argv)
        return COMMANDS[args.command](args)
    except CogtrainError as exc:
        print(f"cogtrain: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except OSError as exc:
        where = f" {exc.filename}:" if exc.filename else ""
        print(f"cogtrain: error:{where} {exc.strerror or exc}{_kept(exc)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt as exc:
        print(f"cogtrain: interrupted{_kept(exc)}", file=sys.stderr)
        return 130


def _kept(exc: BaseException) -> str:
    """What was kept, said only when a session had saved something (notes added by Session.run)."""
    notes = getattr(exc, "__notes__", None)
    return f" — {'; '.join(notes)}" if notes else ""


def cmd_run(args: argparse.Namespace) -> int:
    """``cogtrain run``."""
    if args.resume and args.new_session:
        raise UsageError("--resume and --new-session contradict each other; choose one")
    if args.reason is not None and not (args.override or args.new_session):
        raise UsageError("--reason goes with --override or --new-session")
    from cogtrain.choice import choose
    from cogtrain.registry import all_tasks
    from cogtrain.session import SessionRequest

    choice = choose(args.data, args.participant, config=args.config, profile=args.profile, override=args.override,
                    reason=args.reason, new_session=args.new_session)
    battery = choice.battery
    unknown = set(args.sim_ability) - set(all_tasks())
    if unknown:
        raise UsageError(f"--sim-ability: unknown task(s) {', '.join(sorted(unknown))}; "
                         f"known: {', '.join(all_tasks())}")
    if args.sim_ability and not args.simulate:
        raise UsageError("--sim-ability needs --simulate")
    request = SessionRequest(participant=args.participant, data_dir=args.data, session=args.session,
                             seed=args.seed, resume=args.resume, new_session=args.new_session,
                             reason=args.reason, settings=choice.settings, arm=choice.arm, visit=choice.visit,
                             task_order=choice.task_order)
    if choice.due:
        print(f"study: {choice.due}")
    if args.simulate:
        factory = simulated_factory(battery, args.sim_ability)
    else:
        factory = window_factory(battery, windowed=args.windowed, screenshots=args.screenshots)
    return run_and_report(battery, request, factory)


def run_and_report(battery: Battery, request, factory) -> int:
    """Run the session (SIGTERM ends it resumable) and report where it was written; the exit status."""
    from cogtrain.session import run_session

    signal.signal(signal.SIGTERM, _interrupt)
    outcome = run_session(battery, request, factory)
    for note in outcome.notes:
        print(f"cogtrain: note: {note}", file=sys.stderr)
    print(f"session {outcome.session} {outcome.status}: {outcome.folder}")
    if outcome.status != "complete":
        print("the same command continues it")
        return EXIT_ABORTED
    return 0


def _interrupt(signum: int, frame: object) -> None:
    """Treat SIGTERM like Ctrl-C: the session is recorded as aborted and stays resumable."""
    raise KeyboardInterrupt


def simulated_factory(battery: Battery, abilities: dict[str, float],
                      start_wall: Callable[[int], datetime] | None = None,
                      learning_rate: float = 0.0, practice: int = 0):
    """Frontend factory for ``--simulate``.

    ``start_wall(session)`` may give the date a simulated session is recorded as
    starting (the demo spreads its sessions over past weeks as the plan would).
    ``learning_rate`` and ``practice`` set the participant's learning model
    (see :class:`cogtrain.simulate.ParticipantModel`).
    """
    import numpy as np

    from cogtrain.registry import all_tasks
    from cogtrain.simulate import ParticipantModel, SimClock, SimulatedFrontend

    sim = battery.config.simulation

    def make(seed: int, start_s: float, session: int) -> Frontend:
        model = ParticipantModel(
            abilities={**sim.ability, **abilities},
            rng=np.random.default_rng([seed, session, 0xC06]),
            rt_median_s=sim.rt_median_s, rt_sigma=sim.rt_sigma, lapse_rate=sim.lapse_rate,
            defaults={name: spec.sim_ability for name, spec in all_tasks().items()},
            learning_rate=learning_rate, practice=practice)
        return SimulatedFrontend(model, SimClock(start_s), reading_s=sim.reading_s,
                                 start_wall=start_wall(session) if start_wall else None)

    return make


def window_factory(battery: Battery, windowed: bool, screenshots: Path | None):
    """Frontend factory for the PsychoPy window (imports psychopy only when called)."""

    def make(seed: int, start_s: float, session: int) -> Frontend:
        from cogtrain.glyphs import texts_in
        from cogtrain.text import load as load_catalogue
        from cogtrain.window import WindowFrontend

        return WindowFrontend(battery.config.display, battery.config.keys, windowed=windowed,
                              screenshots=screenshots, start_s=start_s, texts=texts_in(battery.resolved()),
                              catalogue=load_catalogue(battery.config.language))

    return make


def cmd_start(args: argparse.Namespace) -> int:
    """``cogtrain start``: the start screens, then the session in the same window."""
    from cogtrain.choice import choose
    from cogtrain.session import SessionRequest
    from cogtrain.start import NEW_SESSION_REASON, open_start

    choice = open_start(args.participant, args.data, windowed=args.windowed, screenshots=args.screenshots,
                        researcher=args.researcher)
    if choice is None:
        print("not now: no session was started")
        return 0
    from cogtrain.glyphs import texts_in
    from cogtrain.startview import getting_ready
    from cogtrain.window import check_font

    try:
        getting_ready(choice.frontend)
        chosen = choose(choice.data, choice.participant, new_session=choice.new_session)
        check_font(chosen.battery.config.display.font, texts_in(chosen.battery.resolved()))
        if chosen.due:
            print(f"study: {chosen.due}")
        request = SessionRequest(participant=choice.participant, data_dir=choice.data, settings=chosen.settings,
                                 arm=chosen.arm, visit=chosen.visit, task_order=chosen.task_order,
                                 new_session=choice.new_session,
                                 reason=NEW_SESSION_REASON if choice.new_session else None)
        return run_and_report(chosen.battery, request, choice.factory)
    finally:
        if not choice.handed_over:  # the session runner closes the window it was given
            choice.frontend.close()


def cmd_desktop_launcher(args: argparse.Namespace) -> int:
    """``cogtrain desktop-launcher``."""
    from cogtrain.enrolment import require_enrolment
    from cogtrain.launcher import applications_folder, write_launcher

    if args.participant:
        require_enrolment(args.data, args.participant).refuse_if_withdrawn()  # else the icon would start nothing
    name = f"cogtrain-{args.participant}.desktop" if args.participant else "cogtrain.desktop"
    out = args.out or applications_folder()
    path = write_launcher(out / name if out.is_dir() else out, args.participant, args.data)
    print(f"launcher written: {path}")
    print("copy it to the desktop for an icon there; docs/home-use.md covers Windows and macOS")
    return 0


def cmd_enrol(args: argparse.Namespace) -> int:
    """``cogtrain enrol``."""
    from cogtrain.enrolment import enrol

    plan = {key: value for key, value in (("sessions_per_week", args.sessions_per_week),
                                          ("minutes_per_session", args.minutes_per_session),
                                          ("weeks", args.weeks)) if value is not None}
    if args.study is not None:
        return _enrol_in_study(args, plan)
    if args.battery is None:
        raise UsageError("enrol needs --battery CONFIG, or --study STUDY.yaml to allocate an arm")
    if args.strata:
        raise UsageError("--strata goes with --study")
    record = enrol(args.data, args.participant, args.battery, profile_path=args.profile, arm=args.arm,
                   language=args.language, plan=plan)
    print(f"enrolled {record.participant}: {record.folder}")
    print(describe_enrolment(record))
    return 0


def _enrol_in_study(args: argparse.Namespace, plan: dict) -> int:
    """``cogtrain enrol ID --study``: allocate, then enrol with the arm's battery."""
    from cogtrain.enrolment import require_enrolment
    from cogtrain.study.config import load_study
    from cogtrain.study.enrol import enrol_in_study

    clash = [name for name, value in (("--battery", args.battery), ("--arm", args.arm)) if value is not None]
    if clash or plan:
        raise UsageError(f"--study allocates the arm and its battery and plan; leave out "
                         f"{', '.join(clash) or 'the plan options'}")
    allocation = enrol_in_study(load_study(args.study), args.data, args.participant, args.strata,
                                profile=args.profile, language=args.language)
    record = require_enrolment(args.data, args.participant)
    print(f"enrolled {record.participant} in {args.study}: arm {allocation.arm}, stratum {allocation.stratum}, "
          f"task order {', '.join(allocation.task_order)} (allocation logged in "
          f"{args.data / 'allocation' / 'allocation.json'})")
    print(describe_enrolment(record))
    return 0


def _strata(text: str) -> dict[str, str]:
    from cogtrain.study.allocation import parse_strata

    try:
        return parse_strata(text)
    except UsageError as exc:
        raise argparse.ArgumentTypeError(str(exc).removeprefix("--strata: ")) from None


def cmd_participant(args: argparse.Namespace) -> int:
    """``cogtrain participant``: show the record, or change the profile."""
    from cogtrain.enrolment import require_enrolment, set_profile

    if args.reason is not None and args.set_profile is None and not args.withdraw:
        raise UsageError("--reason goes with --set-profile FILE or --withdraw")
    if args.withdraw and args.set_profile is not None:
        raise UsageError("--withdraw and --set-profile are separate changes; make one at a time")
    if args.withdraw:
        from cogtrain.enrolment import withdraw

        record = withdraw(args.data, args.participant, args.reason or "")
        print(f"{record.participant} withdrawn on {record.data['withdrawn']['date']}")
    elif args.set_profile is not None:
        if not args.reason:
            raise UsageError("--set-profile needs --reason TEXT saying why the profile changes")
        record = set_profile(args.data, args.participant, args.set_profile, args.reason)
        print(f"profile of {record.participant} changed to {args.set_profile}")
    else:
        record = require_enrolment(args.data, args.participant)
    print(describe_enrolment(record))
    return 0


def describe_enrolment(record) -> str:
    """The record and its audit log as readable lines."""
    data, plan = record.data, record.plan
    profile = data.get("profile")
    lines = [
        f"participant: {record.participant} (enrolled {data['created']})",
        f"battery:     {data['battery']['name']} from {data['battery']['source']} "
        f"(sha256 {record.battery_hash[:12]})",
        f"profile:     {profile['source']} (sha256 {profile['sha256'][:12]})" if profile else "profile:     none",
        f"arm:         {record.arm or '-'}",
        f"language:    {data.get('language') or '-'}",
        f"plan:        {plan.sessions} sessions: {plan.sessions_per_week:g} a week for {plan.weeks} weeks, "
        f"{plan.minutes_per_session:g} minutes each" if plan else "plan:        none configured",
    ]
    study, withdrawn = data.get("study"), data.get("withdrawn")
    if isinstance(study, dict):
        lines.append(f"study:       {study.get('name')} ({study.get('file')}); stratum {study.get('stratum')}; "
                     f"task order {', '.join(study.get('task_order') or [])}")
    if isinstance(withdrawn, dict):
        lines.append(f"withdrawn:   {withdrawn.get('date')}: {withdrawn.get('reason')}")
    lines.append("audit log:")
    for entry in record.audit():
        change = (f" {str(entry.get('old_sha256'))[:12]} -> {str(entry.get('new_sha256'))[:12]}"
                  if "new_sha256" in entry else "")
        reason = f": {entry['reason']}" if entry.get("reason") else ""
        lines.append(f"  {entry.get('date')} {entry.get('user')} {entry.get('action')}{change}{reason}")
    return "\n".join(lines)


def cmd_event(args: argparse.Namespace) -> int:
    """``cogtrain event``."""
    from cogtrain.clinical import record_event

    entry = record_event(args.data, args.participant, args.date, args.kind, args.note)
    print(f"recorded {entry['type']} on {entry['date']} for {args.participant}")
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    """``cogtrain validate``: every problem of every file, then exit 2 if any."""
    from cogtrain.config import load_battery
    from cogtrain.study.config import is_study_file, load_study

    failed = False
    for path in args.configs:
        try:
            if is_study_file(path):
                study = load_study(path)
                print(f"{path}: ok (study; arms: {', '.join(study.config.arms)})")
                continue
            battery = load_battery(path, profile=args.profile)
        except CogtrainError as exc:
            failed = True
            print(str(exc), file=sys.stderr)
            continue
        print(f"{path}: ok ({', '.join(battery.task_names)})")
    return 2 if failed else 0


def cmd_list_tasks(args: argparse.Namespace) -> int:
    """``cogtrain list-tasks``."""
    from cogtrain.registry import all_tasks

    tasks = all_tasks()
    width = max(map(len, tasks), default=0)
    for name, spec in tasks.items():
        print(f"{name:{width}s}  {spec.title} ({spec.domain.replace('_', ' ')})")
    return 0


def cmd_score(args: argparse.Namespace) -> int:
    """``cogtrain score``."""
    from cogtrain.scoring import score_study
    from cogtrain.scoring.cache import default_cache_dir
    from cogtrain.scoring.processes import available_cores

    cache = None if args.no_cache else args.cache or default_cache_dir(args.data_dir)
    result = score_study(args.data_dir, args.out, reports=not args.no_report, cache=cache,
                         jobs=args.jobs or available_cores(), workers=args.workers, scheduler=args.scheduler)
    print(result.summary_text)
    print(f"scores written to {args.out}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    """``cogtrain export``."""
    from cogtrain.scoring import export_study

    result = export_study(args.data_dir, args.fmt, args.out)
    print(getattr(result, "summary_text", f"{args.fmt} export written to {args.out}"))
    return 0


def cmd_codebook(args: argparse.Namespace) -> int:
    """``cogtrain codebook``."""
    from cogtrain.registry import all_tasks
    from cogtrain.scoring.codebook import write_codebook

    print(f"codebook written to {write_codebook(all_tasks(), args.out)}")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    """``cogtrain demo``: a simulated participant trains, then everything is scored."""
    from cogtrain.config import load_battery
    from cogtrain.scoring import score_study
    from cogtrain.session import SessionRequest, run_session

    out = args.out or Path(tempfile.mkdtemp(prefix="cogtrain-demo-"))
    if args.study:
        from cogtrain.study.demo import study_demo

        return study_demo(args.study, out, learning=not args.no_learning)
    if args.no_learning:
        raise UsageError("--no-learning needs --study")
    battery = load_battery(args.config)
    data = out / "data"
    plan = battery.config.plan
    days_apart = 7.0 / (plan.sessions_per_week if plan else DEMO_SESSIONS_PER_WEEK)
    first = datetime.now(timezone.utc) - timedelta(days=days_apart * args.sessions)
    factory = simulated_factory(
        battery, {}, start_wall=lambda session: first + timedelta(days=days_apart * (session - 1)))
    for number in range(1, args.sessions + 1):
        outcome = run_session(battery, SessionRequest(participant=args.participant, data_dir=data,
                                                      seed=number), factory)
        print(f"simulated session {outcome.session}: {outcome.status} ({outcome.folder})")
    result = score_study(data, out / "scores")
    print(result.summary_text)
    for path in result.report_paths:
        print(f"report: {path}")
    print(f"everything is in {out}")
    return 0


def cmd_analyze(args: argparse.Namespace) -> int:
    """``cogtrain analyze``: the group analysis of a study."""
    from cogtrain.analysis.results import analyze_study
    from cogtrain.study.config import load_study

    results, report = analyze_study(args.data_dir, load_study(args.study), args.out)
    print(f"analysed {len(results.data.allocations)} allocated participants, {len(results.data.sessions)} sessions "
          f"({len(results.data.warnings)} warnings)")
    print(f"tables: {', '.join(p.name for p in results.tables)} in {args.out}")
    print(f"group report: {report}")
    return 0


COMMANDS = {"run": cmd_run, "start": cmd_start, "desktop-launcher": cmd_desktop_launcher, "enrol": cmd_enrol, "participant": cmd_participant, "event": cmd_event,
            "validate": cmd_validate, "list-tasks": cmd_list_tasks, "score": cmd_score, "export": cmd_export,
            "codebook": cmd_codebook, "demo": cmd_demo, "analyze": cmd_analyze}
