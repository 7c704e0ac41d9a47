"""Hostile input: every file of the bad-config corpus gives exit 2 and one clear line per problem.

Each file in ``tests/data/bad_configs/`` is checked with ``cogtrain validate`` and
``cogtrain run ... --simulate``. To keep the suite fast the commands run in one
fresh interpreter through the command line's entry point (anything escaping
``main`` shows there as a traceback); a sample also runs as separate
``python -m cogtrain`` processes, checking the real exit status and stderr. A problem line
must name the file and the key (or the line, for files that are not valid YAML),
and stderr must never hold a traceback.
"""
from __future__ import annotations

import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "tests" / "data" / "bad_configs"
GOOD = REPO / "configs" / "ms_training.yaml"

#: What each corpus file must be reported for: fragments every one of which appears in stderr.
EXPECTED: dict[str, list[str]] = {
    "bad_colours.yaml": ["display.background: 'black'", "display.foreground: '#GGGGGG'", "display.accent:"],
    "bad_indentation.yaml": ["line 4, column 4: invalid YAML"],
    "billion_laughs.yaml": ["line 2", "aliases (*name) are not allowed"],
    "binary.yaml": ["not UTF-8 text"],
    "boolean_name_keys.yaml": ["keys.continue[0]: True", "keys.quit[0]: False"],
    "complex_key.yaml": ["line 2", "is not a plain value"],
    "control_chars.yaml": ["invalid YAML: unacceptable character"],
    "custom_tag.yaml": ["line 3", "'!include'"],
    "deeply_nested_block.yaml": ["tasks[0].settings.k0: unknown key"],
    "deeply_nested_flow.yaml": ["nesting too deep"],
    "duplicate_key.yaml": ["line 2", "duplicate key 'name'"],
    "duplicate_task.yaml": ["tasks[1].task: 'nback' is listed twice"],
    "empty.yaml": ["file is empty"],
    "empty_document.yaml": ["file is empty"],
    "empty_tasks.yaml": ["tasks: [] is not valid"],
    "huge_numbers.yaml": ["display.size[1]", "breaks.min_duration_s", "plan.weeks"],
    "latin1.yaml": ["not UTF-8 text"],
    "long_key.yaml": ["invalid YAML"],
    "long_line_no_newline.yaml": ["tasks: required key is missing"],
    "long_string_value.yaml": ["display.background: '####", "display.font"],
    "malformed_yaml.yaml": ["line 5, column 8: invalid YAML"],
    "merge_key_alias.yaml": ["line 6", "aliases (*name) are not allowed"],
    "missing_required.yaml": ["name: required key is missing", "tasks: required key is missing"],
    "multiple_documents.yaml": ["line 3", "another document"],
    "nan_inf.yaml": ["display.text_height: nan", "display.wrap_width: inf", "simulation.rt_median_s: -inf",
                     "simulation.lapse_rate: nan"],
    "negative_numbers.yaml": ["display.screen: -1", "display.text_height: -0.05", "breaks.min_duration_s: -10"],
    "nul_bytes.yaml": ["contains NUL bytes"],
    "null_values.yaml": ["name: None", "display: None", "tasks[0].task: None", "tasks[0].settings: None"],
    "only_comments.yaml": ["file is empty"],
    "out_of_range_settings.yaml": ["tasks[0].settings.target_rate: 0.9", "tasks[0].settings.level.start: 12",
                                   "tasks[0].settings.level.floor: 0", "tasks[0].settings.level.ceiling: 40"],
    "png_renamed.yaml": ["not UTF-8 text"],
    "python_tag.yaml": ["line 1", "python/object/apply"],
    "tab_indentation.yaml": ["line 3", "'\\t'"],
    "task_entry_not_mapping.yaml": ["tasks[0]: 'nback'", "tasks[1]: 'tower'"],
    "tasks_not_a_list.yaml": ["tasks: {'nback': {}} is not valid"],
    "top_level_list.yaml": ["top level is a list"],
    "top_level_scalar.yaml": ["top level is a str"],
    "unknown_breaks_key.yaml": ["breaks.between_task: unknown key (did you mean 'between_tasks'?)"],
    "unknown_display_key.yaml": ["display.text_hieght: unknown key (did you mean 'text_height'?)"],
    "unknown_keys_key.yaml": ["keys.contine: unknown key (did you mean 'continue'?)"],
    "unknown_nested_task_setting.yaml": ["tasks[0].settings.level.strat: unknown key (did you mean 'start'?)"],
    "unknown_plan_key.yaml": ["plan.week: unknown key (did you mean 'weeks'?)"],
    "unknown_sim_ability.yaml": ["simulation.ability.nbakc: unknown task (did you mean 'nback'?)"],
    "unknown_simulation_key.yaml": ["simulation.rt_median: unknown key (did you mean 'rt_median_s'?)"],
    "unknown_task.yaml": ["tasks[0].task: unknown task 'nbak' (did you mean 'nback'?)"],
    "unknown_task_entry_key.yaml": ["tasks[0].setings: unknown key (did you mean 'settings'?)"],
    "unknown_task_setting.yaml": ["tasks[0].settings.blokcs: unknown key (did you mean 'blocks'?)"],
    "unknown_top_key.yaml": ["dispaly: unknown key (did you mean 'display'?)"],
    "utf16.yaml": ["not UTF-8 text"],
    "wrong_types.yaml": ["name: ['not', 'a', 'string']", "order: 3", "display.fullscreen: 'sometimes'",
                         "display.size: 'big'", "display.text_height: 'large'", "keys.continue: 'space bar'"],
    "low_contrast_text.yaml": ["display.foreground: '#777777'", "contrast with background #000000 is 4.7:1"],
    "low_contrast_accent.yaml": ["display.accent: '#303030'", "at least 3:1"],
    "errors_in_every_section.yaml": ["display.text_height: 5", "tasks[0].settings.blocks: -1",
                                     "tasks[1].settings.balls: 99", "tasks[2].settings.lists: 0"],
    "pool_folder.yaml": ["tasks[0].settings.pool:", "is a folder, not a regular file"],
    "pool_latin1.yaml": ["tasks[0].settings.pool:", "pools/latin1.tsv: not UTF-8 text"],
    "pool_no_zipf.yaml": ["tasks[0].settings.pool:", "missing column(s) zipf"],
    "pool_tiny.yaml": ["tasks[0].settings: pool", "has 3 words; a session may need 52"],
}

#: Bad participant profiles, applied to the good battery: fragments expected in stderr.
PROFILES: dict[str, list[str]] = {
    "unknown_key.yaml": ["colours: unknown key"],
    "bad_display.yaml": ["display.text_height: 9", "display.foreground: 'white'", "keys.continue: []"],
    "bad_task_settings.yaml": ["task_settings.nback.stimulus_frames: -1",
                               "task_settings.nback.keyz: unknown key (did you mean 'keys'?)"],
    "not_mapping.yaml": ["top level is a list"],
    "not_utf8.yaml": ["not UTF-8 text"],
    "missing.yaml": ["file not found"],
    "task_not_in_battery.yaml": ["task_settings.digit_symbol: task 'digit_symbol' is not in the battery",
                                 "task_settings.nbak: task 'nbak' is not in the battery", "did you mean 'nback'?"],
}


def cogtrain(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess:
    """Run the cogtrain command line in a fresh interpreter."""
    return subprocess.run([sys.executable, "-m", "cogtrain", *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, timeout=120)


#: Participant IDs that must be refused (path separators, dots, spaces, control characters, ...).
BAD_PARTICIPANTS = ["../evil", "a/b", "a\\b", "P.1", "..", "P 1", "P\x01", "P\n1", "", "-P1", "P" * 65, "Pé"]

#: Runs ``cogtrain.cli.main`` on each argument list read from stdin; prints exit codes and stderr.
DRIVER = """
import contextlib, io, json, sys, traceback
from cogtrain.cli import main
out = []
for args in json.load(sys.stdin):
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        try:
            code = main(args)
        except BaseException:
            traceback.print_exc()
            code = None
    out.append([code, err.getvalue()])
json.dump(out, sys.stdout)
"""


def _jobs(data: Path) -> dict[tuple[str, str], list[str]]:
    jobs = {}
    for name in EXPECTED:
        path = CORPUS / name
        jobs[("validate", name)] = ["validate", path]
        jobs[("run", name)] = ["run", path, "--participant", "P1", "--simulate", "--data", data]
    for name in PROFILES:
        profile = CORPUS / "profiles" / name
        jobs[("validate-profile", name)] = ["validate", GOOD, "--profile", profile]
        jobs[("run-profile", name)] = ["run", GOOD, "--profile", profile, "--participant", "P1",
                                       "--simulate", "--data", data]
    for participant in BAD_PARTICIPANTS:
        jobs[("participant", participant)] = ["run", GOOD, "--participant", participant, "--simulate",
                                              "--data", data]
    return {key: [str(a) for a in args] for key, args in jobs.items()}


#: Corpus entries also run as separate processes (the real exit path).
ALONE = [("validate", "billion_laughs.yaml"), ("run", "binary.yaml"), ("validate", "python_tag.yaml"),
         ("run", "wrong_types.yaml"), ("run-profile", "missing.yaml"), ("validate", "complex_key.yaml"),
         ("participant", "../evil")]


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    """Every command of the corpus, run once for the module."""
    data = tmp_path_factory.mktemp("data")
    jobs = _jobs(data)
    proc = subprocess.run([sys.executable, "-c", DRIVER], input=json.dumps(list(jobs.values())),
                          cwd=REPO, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    done = {key: subprocess.CompletedProcess(args, code, "", err)
            for key, args, (code, err) in zip(jobs, jobs.values(), json.loads(proc.stdout))}
    with ThreadPoolExecutor(max_workers=2) as pool:
        alone = pool.map(lambda key: cogtrain(*jobs[key], cwd=REPO), ALONE)
        done.update({(f"{command} (process)", name): p for (command, name), p in zip(ALONE, alone)})
    return done, data


def test_corpus_and_expectations_match():
    on_disk = {p.name for p in CORPUS.glob("*.yaml")}
    assert on_disk == set(EXPECTED)
    assert {p.name for p in (CORPUS / "profiles").glob("*.yaml")} | {"missing.yaml"} == set(PROFILES)


def _check(proc: subprocess.CompletedProcess, named: Path, fragments: list[str]) -> None:
    assert "Traceback" not in proc.stderr
    assert proc.returncode == 2, proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert lines, "no error message"
    rel = str(named.relative_to(REPO)) if named.is_relative_to(REPO) else str(named)
    for line in lines:
        assert rel in line or str(named) in line, f"line does not name the file: {line[:200]}"
        assert len(line) < 2000, "an error line should be readable"
    for fragment in fragments:
        assert fragment in proc.stderr, f"{fragment!r} missing from: {proc.stderr[:1000]}"


@pytest.mark.parametrize("command", ["validate", "run"])
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_config_gives_clear_errors(results, name, command):
    done, _data = results
    _check(done[(command, name)], CORPUS / name, EXPECTED[name])


@pytest.mark.parametrize("command", ["validate-profile", "run-profile"])
@pytest.mark.parametrize("name", sorted(PROFILES))
def test_bad_profile_gives_clear_errors(results, name, command):
    done, _data = results
    _check(done[(command, name)], CORPUS / "profiles" / name, PROFILES[name])


@pytest.mark.parametrize("command, name", [job for job in ALONE if job[0] != "participant"])
def test_bad_config_in_its_own_process(results, command, name):
    done, _data = results
    named = CORPUS / ("profiles/" if command.endswith("profile") else "") / name
    _check(done[(f"{command} (process)", name)], named, (PROFILES if "profile" in command else EXPECTED)[name])


def test_no_data_written_for_a_bad_config(results):
    _done, data = results
    assert not any(data.iterdir()), "a rejected config must not create participant folders"


def test_oversized_file_is_refused(tmp_path):
    path = tmp_path / "big.yaml"
    path.write_text("name: big\ntasks: [{task: nback}]\n" + "# padding\n" * 120_000, encoding="utf-8")
    proc = cogtrain("validate", path, cwd=tmp_path)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert proc.stderr.strip() == f"{path}: is {path.stat().st_size} bytes; a YAML file is at most 1000000 bytes"


@pytest.mark.parametrize("command, participant", [("participant", p) for p in BAD_PARTICIPANTS]
                         + [("participant (process)", "../evil")])
def test_bad_participant_ids_are_rejected(results, participant, command):
    done, _data = results
    proc = done[(command, participant)]
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    assert "--participant" in proc.stderr
