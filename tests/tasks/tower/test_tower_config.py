"""Settings: the documented defaults validate, bad values are refused with a clear message."""
import pytest
import yaml
from pydantic import ValidationError

from cogtrain.tasks.tower import TASK
from cogtrain.tasks.tower.config import TowerSettings
from cogtrain.timing import duration_names


def defaults() -> dict:
    return yaml.safe_load(TASK.defaults.read_text())


def test_defaults_yaml_is_the_model_default():
    assert TowerSettings(**defaults()) == TowerSettings()


def test_every_parameter_is_documented_in_defaults_yaml():
    fields = set(TowerSettings.model_fields)
    frames_spelling = {f"{name}_frames" for name in duration_names(fields)}  # documented beside the _ms key
    assert set(defaults()) == fields - frames_spelling


@pytest.mark.parametrize("override, message", [
    ({"puzzle": "hanoy"}, "puzzle"),
    ({"capacities": [1, 1, 1]}, "no free place"),
    ({"capacities": [3, 0, 1]}, "capacities.1"),
    ({"balls": 6, "capacities": [6, 6, 6, 6, 6]}, "at most 2500"),
    ({"staircase": {"start": 3, "floor": 2, "ceiling": 9}}, r"\[9\] minimum moves"),
    ({"keys": {"pegs": ["1", "2"]}}, "expected one per peg: 3"),
    ({"keys": {"pegs": ["z", "b", "m"]}}, "'b' is also the letter on a ball"),
    ({"keys": {"pegs": ["1", "2", "s"]}}, "must all differ"),
    ({"problems": [{"start": "RG|B|", "goal": "R|GB|", "min_moves": 4}]}, r"problems\[0\]: .*min_moves is 4"),
    ({"problems": [{"start": "RG|B|", "goal": "RGB"}]}, "not a tol3-321 state"),
    ({"disks": 7, "puzzle": "hanoi"}, "disks"),
    ({"time_limit_s": 0}, "time_limit_s"),
    ({"colour": "red"}, "colour"),
])
def test_bad_settings_name_the_problem(override, message):
    with pytest.raises(ValidationError, match=message):
        TowerSettings(**{**defaults(), **override})


def test_hanoi_and_fixed_sets_validate():
    hanoi = TowerSettings(puzzle="hanoi", disks=6, staircase={"start": 7, "floor": 3, "ceiling": 63})
    assert hanoi.make_puzzle().key == "hanoi6"
    fixed = TowerSettings(problems=[{"start": "RG|B|", "goal": "R|GB|"}], staircase={"start": 3, "floor": 2,
                                                                                   "ceiling": 8})
    assert fixed.problems[0].goal == "R|GB|"
