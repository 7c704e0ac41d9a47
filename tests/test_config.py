"""Battery config loading: every mistake is reported with file, key, value and expectation."""
import pytest

from cogtrain.config import load_battery
from cogtrain.errors import ConfigError

GOOD = """
name: test
tasks:
  - task: fake
"""


def problems(path, profile=None):
    with pytest.raises(ConfigError) as info:
        load_battery(path, profile=profile)
    return info.value.problems


def test_defaults_are_merged_with_battery_overrides(fake_task, write_config):
    battery = load_battery(write_config(GOOD + "    settings: {blocks: 5}\n"))
    assert battery.task_settings["fake"].blocks == 5
    assert battery.config.display.text_height == 0.05
    assert battery.resolved()["tasks"][0]["settings"]["blocks"] == 5


def test_unknown_key_suggests_the_close_one(fake_task, write_config):
    path = write_config(GOOD + "dispaly: {}\n")
    (problem,) = problems(path)
    assert problem == f"{path}: dispaly: unknown key (did you mean 'display'?)"


def test_unknown_nested_key_lists_what_is_allowed(fake_task, write_config):
    (problem,) = problems(write_config(GOOD + "breaks: {zzz: 1}\n"))
    assert "breaks.zzz: unknown key; allowed keys: between_tasks" in problem


def test_unknown_task_setting_is_named_with_its_path(fake_task, write_config):
    (problem,) = problems(write_config(GOOD + "    settings: {blokcs: 2}\n"))
    assert "tasks[0].settings.blokcs: unknown key (did you mean 'blocks'?)" in problem


def test_all_errors_are_reported_at_once(fake_task, write_config):
    text = GOOD + "order: sideways\ndisplay: {text_height: 5, background: red}\n"
    found = problems(write_config(text))
    assert len(found) == 3
    assert any("order: 'sideways' is not valid" in p and "'fixed', 'random' or 'latin_square'" in p
               for p in found)
    assert any("display.text_height: 5 is not valid (expected 0.02 to 0.065 of the screen height" in p
               for p in found)
    assert any("display.background: 'red' is not valid (expected a colour like '#FFFFFF')" in p for p in found)


def test_wrong_type_and_range_in_task_settings(fake_task, write_config):
    (problem,) = problems(write_config(GOOD + "    settings: {staircase: {start: 20, floor: 1, ceiling: 9}}\n"))
    assert "tasks[0].settings.staircase" in problem and "floor <= start <= ceiling" in problem
    (problem,) = problems(write_config(GOOD + "    settings: {blocks: many}\n"))
    assert "tasks[0].settings.blocks: 'many' is not valid" in problem


def test_unknown_task_and_duplicates(fake_task, write_config):
    (problem,) = problems(write_config(GOOD + "  - task: fak\n"))
    assert "tasks[1].task: unknown task 'fak' (did you mean 'fake'?)" in problem
    (problem,) = problems(write_config(GOOD + "  - task: fake\n"))
    assert "tasks[1].task: 'fake' is listed twice" in problem
    (problem,) = problems(write_config("name: x\ntasks:\n  - task: nosuch\n"))
    assert "tasks[0].task: unknown task 'nosuch'" in problem


def test_missing_required_keys(fake_task, write_config):
    found = problems(write_config("description: no name and no tasks\n"))
    assert any(p.endswith("name: required key is missing") for p in found)
    assert any(p.endswith("tasks: required key is missing") for p in found)


@pytest.mark.parametrize("content, message", [
    (b"", "file is empty"),
    (b"- a\n- b\n", "top level is a list"),
    (b"name: [unclosed\n", "line 2, column 1: invalid YAML"),
    (b"a: &x [1]\nb: *x\n", "aliases"),
    (b"name: a\nname: b\n", "duplicate key 'name'"),
    (b"name: \xff\xfe\n", "not UTF-8"),
    (b"\x00\x01\x02", "NUL"),
    (b"name: !!python/object:os.system x\n", "invalid YAML"),
])
def test_unreadable_files(tmp_path, content, message):
    path = tmp_path / "bad.yaml"
    path.write_bytes(content)
    (problem,) = problems(path)
    assert problem.startswith(str(path)) and message in problem


def test_missing_file(tmp_path):
    (problem,) = problems(tmp_path / "nope.yaml")
    assert problem == f"{tmp_path / 'nope.yaml'}: file not found; expected a YAML file"


def test_profile_overrides_display_keys_and_task_settings(fake_task, write_config):
    battery_path = write_config(GOOD)
    profile = write_config("display: {text_height: 0.06}\nkeys: {continue: [return]}\n"
                           "task_settings: {fake: {blocks: 1}}\n", "profile.yaml")
    battery = load_battery(battery_path, profile=profile)
    assert battery.config.display.text_height == 0.06
    assert battery.config.keys.continue_ == ["return"]
    assert battery.task_settings["fake"].blocks == 1


def test_profile_errors_name_the_profile(fake_task, write_config):
    profile = write_config("dispay: {}\n", "profile.yaml")
    (problem,) = problems(write_config(GOOD), profile=profile)
    assert problem.startswith(f"{profile}: dispay: unknown key (did you mean 'display'?)")


def test_profile_settings_for_a_registered_task_not_in_the_battery_are_an_error(write_config):
    battery = write_config("name: b\ntasks: [{task: nback}]\n")
    profile = write_config("task_settings: {tower: {balls: 4}}\n", "profile.yaml")
    (problem,) = problems(battery, profile=profile)
    assert problem == (f"{profile}: task_settings.tower: task 'tower' is not in the battery {battery} "
                       "(its tasks: nback); these settings would be lost")


def test_every_section_is_checked_when_one_fails(write_config):
    found = problems(write_config("name: b\ndisplay: {text_height: 9}\n"
                                  "tasks: [{task: nback, settings: {blocks: 0}}, {task: tower, settings: {balls: 99}}]\n"))
    assert [p.split(": ")[1] for p in found] == ["display.text_height", "tasks[0].settings.blocks",
                                                 "tasks[1].settings.balls"]


def test_reliable_change_reference_values(fake_task, write_config):
    ok = GOOD + "reliable_change:\n  fake.accuracy: {sd: 0.1, reliability: 0.8, source: pilot}\n"
    battery = load_battery(write_config(ok))
    assert battery.config.reliable_change.root["fake.accuracy"].reliability == 0.8
    (problem,) = problems(write_config(GOOD + "reliable_change:\n  fak.accuracy: {sd: 1, reliability: 0.5, source: x}\n"))
    assert "reliable_change.fak.accuracy: unknown task 'fak' (did you mean 'fake'?)" in problem
    (problem,) = problems(write_config(GOOD + "reliable_change:\n  fake.accuracy: {sd: -1, reliability: 0.5, source: x}\n"))
    assert "reliable_change.fake.accuracy.sd: -1 is not valid" in problem


# --- small but real: values pydantic would quietly convert, keys bound twice ---------------------------------
@pytest.mark.parametrize("settings, message", [
    ("{blocks: true}", "tasks[0].settings: blocks: true is a yes/no value; expected a number"),
    ("{blocks: false}", "tasks[0].settings: blocks: false is a yes/no value; expected a number"),
])
def test_yes_no_values_are_not_numbers(fake_task, write_config, settings, message):
    path = write_config(f"name: t\ntasks:\n  - task: fake\n    settings: {settings}\n")
    with pytest.raises(ConfigError) as caught:
        load_battery(path)
    assert any(message in p for p in caught.value.problems), caught.value.problems


@pytest.mark.parametrize("ability", ["-2", "0", "true", ".nan", ".inf"])
def test_simulation_abilities_must_be_positive_numbers(fake_task, write_config, ability):
    path = write_config(f"name: t\ntasks:\n  - task: fake\nsimulation: {{ability: {{fake: {ability}}}}}\n")
    with pytest.raises(ConfigError) as caught:
        load_battery(path)
    assert any("simulation.ability.fake" in p for p in caught.value.problems), caught.value.problems


@pytest.mark.parametrize("keys, task_settings, message", [
    ("{continue: [escape]}", "", "keys.quit and keys.continue are both 'escape'"),
    ("{back: [space]}", "", "keys.continue and keys.back are both 'space'"),
    ("{confirm_quit: [n]}", "", "keys.confirm_quit and keys.cancel_quit are both 'n'"),
    ("{quit: [a]}", "", "keys.quit and tasks.nback.settings.keys.position are both 'a'"),
    ("{}", "{keys: {letter: escape}}", "keys.quit and tasks.nback.settings.keys.letter are both 'escape'"),
])
def test_one_key_is_never_bound_to_two_actions(write_config, keys, task_settings, message):
    settings = f"\n    settings: {task_settings}" if task_settings else ""
    path = write_config(f"name: t\nkeys: {keys}\ntasks:\n  - task: nback{settings}\n")
    with pytest.raises(ConfigError) as caught:
        load_battery(path)
    assert any(p == f"{path}: {message}; give each action its own key" for p in caught.value.problems), \
        caught.value.problems


def test_tower_and_recall_keys_are_checked_against_quit(write_config):
    path = write_config("name: t\nkeys: {quit: [s]}\ntasks:\n  - task: tower\n  - task: recall\n")
    with pytest.raises(ConfigError) as caught:
        load_battery(path)
    assert any("keys.quit and tasks.tower.settings.keys.give_up are both 's'" in p for p in caught.value.problems)


@pytest.mark.parametrize("value", [0.0101, 0.2])
def test_text_too_small_to_read_or_too_large_to_fit_is_refused(write_config, value):
    profile = write_config(f"display: {{text_height: {value}}}\n", "profile.yaml")
    battery = write_config(GOOD.replace("fake", "nback"))
    with pytest.raises(ConfigError) as error:
        load_battery(battery, profile=profile)
    assert str(error.value) == (f"{profile}: display.text_height: {value} is not valid (expected 0.02 to 0.065 of "
                                "the screen height: below 0.02 text is too small to read, above 0.065 the screens do "
                                "not all fit a 4:3 window (large_print is 0.065))")
