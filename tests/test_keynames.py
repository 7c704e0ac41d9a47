"""Key names in configs are checked when the config is loaded."""
import pytest

from cogtrain.keynames import key_name


@pytest.mark.parametrize("given, name", [("A", "a"), (" space ", "space"), (5, "5"), ("F12", "f12"),
                                         ("num_4", "num_4"), ("lshift", "lshift")])
def test_valid_names_are_normalised(given, name):
    assert key_name(given) == name


@pytest.mark.parametrize("bad", ["spcae", "", "ab", "f13", None, True, 12, "ctrl+c", "é"])
def test_invalid_names_are_refused(bad):
    with pytest.raises(ValueError, match="expected a key name"):
        key_name(bad)


def test_battery_keys_are_checked(fake_task, write_config):
    from cogtrain.config import load_battery
    from cogtrain.errors import ConfigError

    with pytest.raises(ConfigError, match=r"keys\.continue\[0\]: 'spcae' is not valid \(expected a key name"):
        load_battery(write_config("name: x\ntasks: [{task: fake}]\nkeys: {continue: [spcae]}\n"))
