"""Without psychtoolbox PsychoPy's keyboard falls back to its event backend: keys must still arrive.

That backend names a press ``[name, time]``, so PsychoPy's own ``keyList`` filter never
matches it; before the key reader filtered presses itself, every response was lost. The
backend is chosen once per process, so the check runs in a fresh interpreter.
"""
import shutil
import subprocess
import sys

import pytest

pytestmark = [pytest.mark.gui,
              pytest.mark.skipif(not shutil.which("xdotool"), reason="needs xdotool to send real X key events")]

CHECK = """
import subprocess, time
from cogtrain import window
from cogtrain.config import DisplaySettings, KeySettings

make = window.keyboard.Keyboard
window.keyboard.Keyboard = lambda **kw: make(backend="event", **kw)
fe = window.WindowFrontend(DisplaySettings(fullscreen=False, size=(400, 300)), KeySettings(), windowed=True)
assert fe.keys.backend == "event", fe.keys.backend

def read(names):
    deadline = time.monotonic() + 3
    while time.monotonic() < deadline:
        fe.flip()
        found = fe.keys.get(names)
        if found:
            return found
    return []

sent = fe.clock.now()
subprocess.run(["xdotool", "key", "l"], check=True)
(real,) = read(["l"])
assert real.name == "l" and sent <= real.t <= fe.clock.now(), real
t = fe.clock.now() + 0.05
fe.keys.schedule("a", t)
(injected,) = read(["a"])
assert injected.name == "a" and abs(injected.t - t) < 1e-6, injected
fe.close()
print("ok")
"""


def test_real_and_injected_keys_arrive_with_the_event_backend():
    proc = subprocess.run([sys.executable, "-c", CHECK], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0 and proc.stdout.strip().endswith("ok"), proc.stderr[-2000:]
