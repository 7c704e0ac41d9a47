"""Progress bars that show on a terminal and stay quiet in pipes and logs."""
from __future__ import annotations

import sys
from typing import Iterable, TypeVar

from tqdm import tqdm

T = TypeVar("T")


def show_progress(progress: bool | None) -> bool:
    """Resolve the ``progress`` argument: None means "only if stderr is a terminal"."""
    if progress is None:
        return bool(getattr(sys.stderr, "isatty", lambda: False)())
    return progress


def track(items: Iterable[T], progress: bool | None, desc: str, total: int | None = None) -> Iterable[T]:
    """Wrap ``items`` in a tqdm bar on stderr when progress is shown.

    Parameters
    ----------
    items : iterable
        What to iterate over.
    progress : bool or None
        True, False, or None for "only on a terminal".
    desc : str
        Label of the bar.
    total : int, optional
        Number of items when ``items`` has no length.

    Returns
    -------
    iterable
        ``items`` itself, or a tqdm wrapper around it.
    """
    if not show_progress(progress):
        return items
    return tqdm(items, desc=desc, total=total, file=sys.stderr, leave=False)
