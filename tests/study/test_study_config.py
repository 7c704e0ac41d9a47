"""study.yaml is validated like a battery: every problem named with file, key, value and expectation."""
import shutil
from pathlib import Path

import pytest

from cogtrain.cli import main
from cogtrain.errors import ConfigError
from cogtrain.study.config import load_study

DATA = Path(__file__).resolve().parent.parent / "data" / "study"
CONFIGS = Path(__file__).resolve().parent.parent.parent / "configs"


def test_the_shipped_example_study_loads():
    study = load_study(CONFIGS / "example_study.yaml")
    assert list(study.arms) == ["training", "control"]
    assert study.arms["control"].task_names == study.arms["training"].task_names
    assert study.assessment.config.purpose == "assessment"
    assert study.reference_arm == "control"
    assert study.config.schedule.training_sessions == 24
    assert study.counterbalanced("training") == ["nback", "tower", "symbol_digit"]
    assert "symbol_digit.correct_per_90s" in study.config.analysis.outcomes  # a metric of assessment mode only


def test_validate_accepts_study_files(capsys):
    assert main(["validate", str(CONFIGS / "example_study.yaml"), str(CONFIGS / "ms_control.yaml"),
                 str(CONFIGS / "ms_assessment.yaml")]) == 0
    assert "study; arms: training, control" in capsys.readouterr().out


@pytest.fixture
def folder(tmp_path):
    for path in DATA.glob("*.yaml"):
        shutil.copy(path, tmp_path / path.name)
    return tmp_path


def problems(folder: Path, old: str, new: str) -> str:
    path = folder / "study.yaml"
    path.write_text(path.read_text().replace(old, new))
    with pytest.raises(ConfigError) as caught:
        load_study(path)
    return str(caught.value)


@pytest.mark.parametrize("old, new, expected", [
    ("allocation:", "alocation: {}\nallocation:", "alocation: unknown key (did you mean 'allocation'?)"),
    ("block_sizes: [2, 4]", "block_sizes: [3]", "allocation.block_sizes: [3] not a multiple of 2"),
    ("label: Active control", "label: Active control, ratio: 0", "arms.control.ratio: 0 is not valid"),
    ("day: 21", "day: 0", "visits: days must increase"),
    ("{name: baseline, day: 0", "{name: baseline, day: 3", "the first visit (baseline) is day 0"),
    ("window: [3, 7]", "window: [-3, 7]", "expected [days before, days after], each >= 0"),
    ("name: post", "name: baseline", "visits: names must differ"),
    ("learning_rate: {training", "learning_rate: {trainng: 0.1, training", "unknown arm(s) ['trainng']"),
    ("[nback.mean_n_level]", "[nback.mean_nlevel]", "analysis.training[0]: 'nback.mean_nlevel' is not a "
                                                     "'task.metric' of a registered task (did you mean "
                                                     "'nback.mean_n_level'?)"),
    ("battery: control.yaml", "battery: missing.yaml", "arms.control.battery: "),
    ("assessment: assessment.yaml", "assessment: control.yaml",
     "has purpose: training; expected purpose: assessment"),
    ("battery: control.yaml", "battery: assessment.yaml", "has purpose: assessment; expected purpose: training"),
    ("  strata: {site: [A, B]}", "  strata: {site: [A, A]}", "list each level once"),
])
def test_bad_study_files_are_named_precisely(folder, old, new, expected):
    message = problems(folder, old, new)
    assert expected in message
    assert str(folder / "study.yaml") in message


def test_counterbalanced_tasks_must_be_in_every_arm(folder):
    message = problems(folder, "analysis:", "counterbalance: {tasks: [tower]}\nanalysis:")
    assert "counterbalance.tasks: ['tower'] not in arm 'training''s battery (its tasks: nback)" in message


def test_validate_lists_every_problem_and_exits_2(folder, capsys):
    path = folder / "study.yaml"
    path.write_text(path.read_text().replace("block_sizes: [2, 4]", "block_sizes: [3]")
                    .replace("name: test study", "name: test study\ncolour: red"))
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert "colour: unknown key" in err
