"""Replace a command's outputs all at once: write them aside, then move them into place.

``score`` and ``export`` write every file into a hidden staging folder inside the
output folder. Only when all are written are the outputs of the previous run
removed and the new ones renamed into place, so a killed or failed run leaves
the previous outputs as they were (and a hidden folder that the next run
removes), and tables of two runs are never mixed. Files of the output folder
that the command does not own are left alone.
"""
from __future__ import annotations

import fnmatch
import os
import shutil
import tempfile
from pathlib import Path
from typing import Iterable

from cogtrain.scoring.tables import output_folder

PREFIX = ".cogtrain-staging-"


class Staging:
    """Context manager giving a staging folder whose content replaces the command's outputs.

    Parameters
    ----------
    out_dir : Path
        The output folder (created).
    owned : iterable of str
        Glob patterns of the names (files or folders directly in ``out_dir``)
        that the command owns: entries matching them, and entries of the names
        written into the staging folder, are replaced at the end.

    Examples
    --------
    >>> import tempfile
    >>> out = Path(tempfile.mkdtemp())
    >>> (out / "old.csv").write_text("x")
    1
    >>> with Staging(out, ["*.csv"]) as folder:
    ...     _ = (folder / "new.csv").write_text("y")
    >>> sorted(p.name for p in out.iterdir())
    ['new.csv']
    """

    def __init__(self, out_dir: Path, owned: Iterable[str]):
        self.out_dir = Path(out_dir)
        self.owned = tuple(owned)
        self.folder = self.out_dir

    def __enter__(self) -> Path:
        output_folder(self.out_dir)
        for stale in self.out_dir.glob(f"{PREFIX}*"):
            shutil.rmtree(stale, ignore_errors=True)  # left by a run that was killed
        self.folder = Path(tempfile.mkdtemp(prefix=PREFIX, dir=self.out_dir))
        return self.folder

    def __exit__(self, kind: type | None, *exc: object) -> None:
        try:
            if kind is None:
                self._commit()
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)

    def _commit(self) -> None:
        """Remove the previous outputs (renamed aside first), then rename the new ones into place."""
        trash = Path(tempfile.mkdtemp(prefix=PREFIX, dir=self.out_dir))
        new = {entry.name for entry in self.folder.iterdir()}
        for entry in sorted(self.out_dir.iterdir()):
            owned = entry.name in new or any(fnmatch.fnmatchcase(entry.name, p) for p in self.owned)
            if owned and not entry.name.startswith(PREFIX):
                os.replace(entry, trash / entry.name)
        for entry in sorted(self.folder.iterdir()):
            os.replace(entry, self.out_dir / entry.name)
        shutil.rmtree(trash, ignore_errors=True)

