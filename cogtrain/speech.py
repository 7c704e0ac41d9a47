"""Spoken instructions: screen texts read aloud by a text-to-speech program, never waited for."""
from __future__ import annotations

import shutil
import subprocess


class Speaker:
    """Reads screen texts aloud with a text-to-speech program, without waiting for it.

    Parameters
    ----------
    engine : str or None
        The program (``espeak-ng`` style: text on stdin with ``--stdin``); None is silent.
    """

    def __init__(self, engine: str | None):
        self.engine = engine
        self._proc: subprocess.Popen | None = None

    @classmethod
    def for_display(cls, enabled: bool) -> Speaker:
        """espeak-ng (or espeak) if speech is enabled and one is installed, else a silent speaker."""
        return cls((shutil.which("espeak-ng") or shutil.which("espeak")) if enabled else None)

    def say(self, text: str) -> None:
        """Start reading ``text``, interrupting anything still being read."""
        if self.engine is None:
            return
        self.stop()
        try:
            self._proc = subprocess.Popen([self.engine, "--stdin"], stdin=subprocess.PIPE,
                                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            self._proc.stdin.write(text.encode("utf-8"))
            self._proc.stdin.close()
        except OSError:
            self.engine = None  # the program is gone or broken: carry on silently

    def stop(self) -> None:
        """Stop reading."""
        if self._proc is not None and self._proc.poll() is None:
            self._proc.terminate()
        self._proc = None
