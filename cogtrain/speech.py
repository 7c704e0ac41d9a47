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
    voice : str or None
        The voice (``-v``), named by the language of the texts (``de``, ``pt-br``); None: the program's own.
    """

    def __init__(self, engine: str | None, voice: str | None = None):
        self.engine = engine
        self.voice = voice
        self._proc: subprocess.Popen | None = None

    @classmethod
    def for_display(cls, enabled: bool, language: str | None = None) -> Speaker:
        """espeak-ng (or espeak) in ``language`` if speech is enabled and one is installed, else a silent speaker."""
        return cls((shutil.which("espeak-ng") or shutil.which("espeak")) if enabled else None,
                   None if language is None else language.lower())

    def say(self, text: str) -> None:
        """Start reading ``text``, interrupting anything still being read."""
        if self.engine is None:
            return
        self.stop()
        try:
            voice = [] if self.voice is None else ["-v", self.voice]
            self._proc = subprocess.Popen([self.engine, "--stdin", *voice], stdin=subprocess.PIPE,
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
