"""Durations in milliseconds become whole frames at the measured refresh rate; frames stay accepted."""
import pytest

from cogtrain.config import deep_merge
from cogtrain.tasks.nback.config import NbackSettings
from cogtrain.tasks.recall.config import RecallSettings
from cogtrain.timing import durations, frames, frames_for

#: Hand-computed: ms × Hz / 1000, halves rounded up.
EXPECTED = {  # (ms, Hz): frames
    (500, 60): 30, (500, 75): 38, (500, 120): 60, (500, 144): 72,        # 37.5 -> 38
    (2500, 60): 150, (2500, 75): 188, (2500, 120): 300, (2500, 144): 360,  # 187.5 -> 188
    (2000, 60): 120, (2000, 75): 150, (2000, 120): 240, (2000, 144): 288,
    (1000, 60): 60, (1000, 75): 75, (1000, 120): 120, (1000, 144): 144,
    (10, 60): 1,  # 0.6 frame: still shown
}


@pytest.mark.parametrize("ms, hz", list(EXPECTED))
def test_milliseconds_are_the_expected_whole_frames(ms, hz):
    assert frames_for(ms, hz) == EXPECTED[(ms, hz)]


@pytest.mark.parametrize("hz", [60, 75, 120, 144])
def test_task_durations_in_ms_follow_the_refresh_rate(hz):
    s = NbackSettings()  # 500 ms stimulus, 2500 ms interval, 1000 ms practice feedback
    assert frames(s, "stimulus", hz) == EXPECTED[(500, hz)]
    assert frames(s, "isi", hz) == EXPECTED[(2500, hz)]
    assert frames(s.practice, "feedback", hz) == EXPECTED[(1000, hz)]
    assert frames(RecallSettings().study, "word", hz) == EXPECTED[(2000, hz)]


@pytest.mark.parametrize("hz", [60, 144])
def test_frames_of_older_configs_are_kept_as_written(hz):
    s = NbackSettings(stimulus_frames=30)
    assert s.stimulus_ms is None and frames(s, "stimulus", hz) == 30


def test_a_duration_in_both_units_is_refused():
    with pytest.raises(ValueError, match="stimulus_ms and stimulus_frames are both given"):
        NbackSettings(stimulus_ms=500, stimulus_frames=30)


def test_frames_in_a_config_replace_the_default_milliseconds():
    merged = deep_merge({"stimulus_ms": 500, "isi_ms": 2500}, {"isi_frames": 180})
    assert merged == {"stimulus_ms": 500, "isi_frames": 180}
    assert frames(NbackSettings(**merged), "isi", 120) == 180


def test_durations_record_requested_and_shown_time():
    table = durations(RecallSettings().model_dump(), 75.0)
    assert table["study.word"] == {"requested_ms": 2000.0, "requested_frames": None, "frames": 150,
                                   "shown_ms": 2000.0}
    table = durations(NbackSettings(stimulus_frames=30).model_dump(), 75.0)
    assert table["stimulus"] == {"requested_ms": None, "requested_frames": 30, "frames": 30, "shown_ms": 400.0}
