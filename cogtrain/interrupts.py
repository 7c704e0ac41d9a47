"""Hold Ctrl-C and SIGTERM back while files that must agree are written.

A block is committed by writing ``session.json`` and then ``state.json``. A
signal arriving between the two would end the run with the files disagreeing,
so :func:`deferred_interrupts` records it and delivers it once both are
written. A hard kill cannot be held back; for that, the session records are
the source from which ``state.json`` is repaired (docs/robustness.md).
"""
from __future__ import annotations

import signal
import threading
from contextlib import contextmanager
from typing import Iterator

#: The signals held back (SIGTERM exists on every platform Python supports; Windows never sends it).
HELD = (signal.SIGINT, signal.SIGTERM)


@contextmanager
def deferred_interrupts() -> Iterator[None]:
    """Run the body with SIGINT and SIGTERM recorded instead of handled, then deliver them.

    Only the main thread can set signal handlers; elsewhere the body runs unguarded.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[int] = []
    previous = {sig: signal.signal(sig, lambda signum, frame: received.append(signum)) for sig in HELD}
    previous = {sig: signal.SIG_DFL if handler is None else handler for sig, handler in previous.items()}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        for sig in dict.fromkeys(received):
            signal.raise_signal(sig)
