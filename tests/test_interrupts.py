"""Ctrl-C and SIGTERM are held back while the two files of a block commit are written."""
import signal

import pytest

from cogtrain.interrupts import deferred_interrupts


def test_sigterm_during_a_commit_is_delivered_after_it():
    steps = []

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        with pytest.raises(KeyboardInterrupt):
            with deferred_interrupts():
                steps.append("session.json")
                signal.raise_signal(signal.SIGTERM)
                steps.append("state.json")
        assert steps == ["session.json", "state.json"]
        assert signal.getsignal(signal.SIGTERM) is interrupt
    finally:
        signal.signal(signal.SIGTERM, previous)


def test_ctrl_c_during_a_commit_is_delivered_once_after_it():
    steps = []
    with pytest.raises(KeyboardInterrupt):
        with deferred_interrupts():
            signal.raise_signal(signal.SIGINT)
            signal.raise_signal(signal.SIGINT)
            steps.append("state.json")
    assert steps == ["state.json"] and signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_nothing_happens_without_a_signal():
    with deferred_interrupts():
        pass
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
