"""The refresh rate: measured, or recorded as unmeasured / unstable / out of range and flagged; timed tasks wait."""
import json

import pytest

from cogtrain.config import load_battery
from cogtrain.refresh import changed, classify
from cogtrain.session import SessionRequest, run_session
from tests.conftest import SMALL_NBACK


def test_steady_60_hz_is_measured():
    r = classify([1 / 60] * 40)
    assert (r.status, round(r.measured_hz, 2), r.ok) == ("measured", 60.0, True)


@pytest.mark.parametrize("intervals, status", [
    ([], "unmeasured"),
    ([1 / 60] * 5, "unmeasured"),
    ([1 / 60, 1 / 30] * 20, "unstable"),
    ([0.0015] * 40, "out_of_range"),   # no vsync: 667 Hz
    ([1 / 30] * 40, "out_of_range"),
])
def test_unusable_measurements_are_named(intervals, status):
    r = classify(intervals)
    assert r.status == status and not r.ok
    assert r.record(60.0)["assumed"] is True and r.record(60.0)["converted_at_hz"] == 60.0


def test_a_changed_rate_or_status_between_runs_is_noticed():
    sixty, hundred = classify([1 / 60] * 40).record(60), classify([1 / 100] * 40).record(100)
    assert not changed(None, sixty) and not changed(sixty, dict(sixty))
    assert changed(sixty, hundred) and changed(sixty, classify([]).record(60))


def failing_probe(win):
    raise RuntimeError("forced failure")


#: One short n-back block (6 trials of 20 + 20 ms).
SHORT = SMALL_NBACK.replace("{blocks: 2,", "{blocks: 1, trials_per_block: 6, level: {start: 1, ceiling: 2}, "
                                          "stimulus_ms: 20, isi_ms: 20,")


def window_session(tmp_path, battery_path, probe):
    from cogtrain.window import WindowFrontend

    battery = load_battery(battery_path)
    shots = tmp_path / "shots"

    def factory(seed, start_s, session):
        fe = WindowFrontend(battery.config.display, battery.config.keys, windowed=True, screenshots=shots,
                            start_s=start_s, refresh_probe=probe)
        release = fe.keys._release_due

        def keep_pressing_space():  # answers every screen, however slow the machine; n-back ignores it
            if not fe.keys._scheduled:
                fe.keys.schedule("space", fe.clock.now() + 0.05)
            release()

        fe.keys._release_due = keep_pressing_space
        return fe

    outcome = run_session(battery, SessionRequest("R1", tmp_path / "data", seed=3), factory)
    return outcome, json.loads((outcome.folder / "session.json").read_text()), shots


@pytest.mark.gui
def test_a_failed_measurement_is_recorded_flagged_and_stops_timed_tasks(tmp_path, write_config):
    outcome, record, shots = window_session(tmp_path, write_config(SMALL_NBACK), failing_probe)
    run = record["runs"][0]
    assert run["refresh"]["status"] == "unmeasured" and run["refresh"]["measured_hz"] is None
    assert "forced failure" in run["refresh"]["detail"] and run["refresh"]["assumed"] is True
    assert [f["flag"] for f in record["flags"]] == ["refresh_unmeasured", "aborted"]  # refused: ended early
    assert outcome.status == "aborted" and record["refused"].startswith("refresh rate unmeasured")
    assert not (outcome.folder / "nback.csv").exists()  # no trial was run
    assert [p.name for p in sorted(shots.glob("*.png"))] == ["01_refresh_refused.png"]


@pytest.mark.gui
def test_the_battery_may_allow_an_unmeasured_rate_which_is_then_recorded_as_assumed(tmp_path, write_config):
    battery = write_config(SHORT + "display: {allow_unmeasured_refresh: true}\n")
    outcome, record, _ = window_session(tmp_path, battery, failing_probe)
    run = record["runs"][0]
    assert outcome.status == "complete" and [f["flag"] for f in record["flags"]] == ["refresh_unmeasured"]
    assert run["refresh"]["converted_at_hz"] == 60.0 and run["refresh"]["assumed"] is True


@pytest.mark.gui
def test_a_measured_144_hz_display_converts_milliseconds_at_144(tmp_path, write_config):
    battery = write_config(SHORT.replace("stimulus_ms: 20, isi_ms: 20", "stimulus_ms: 500, isi_ms: 100"))
    outcome, record, _ = window_session(tmp_path, battery, lambda win: [1 / 144] * 40)
    run = record["runs"][0]
    assert run["refresh"] == {"status": "measured", "measured_hz": 144.0, "detail": "144.00 Hz from 40 frame "
                              "intervals", "converted_at_hz": 144.0, "assumed": False}
    assert run["durations"]["nback"]["stimulus"]["frames"] == 72 and run["durations"]["nback"]["isi"]["frames"] == 14
    assert record["flags"] == [] and outcome.status == "complete"
