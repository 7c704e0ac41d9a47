"""Randomised allocation: permuted blocks within strata, from a secret seed, with a log.

Each stratum (one level of every stratification factor, e.g. ``site=A,edss=low``)
has its own sequence of permuted blocks: a block size drawn from the study's
``block_sizes``, holding every arm in its ratio, shuffled. The sequences come
from a 128-bit seed drawn when the first participant is enrolled and kept in
``DATA/allocation/seed`` (readable by its owner only, never printed), so the
next arm cannot be known beforehand by anyone reading the study file or the
log, yet the whole allocation can be re-derived and audited from the seed.
Random block sizes hide the end of a block (Schulz & Grimes, 2002, Lancet
359:515-519).

Within each arm, participants get the Williams-design task orders in
enrolment order (the first one in the arm row 1, the next row 2, ...), so
orders are balanced within each arm. The log ``DATA/allocation/allocation.json``
records every allocation with its stratum, block and task order; it is
rewritten atomically under a lock.
"""
from __future__ import annotations

import hashlib
import os
import secrets
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from cogtrain.errors import CogtrainError, UsageError
from cogtrain.files import UnreadableFile, read_json, read_limited, write_json_atomic
from cogtrain.lock import ParticipantLock
from cogtrain.paths import check_participant
from cogtrain.study.config import Study
from cogtrain.study.williams import williams_orders

ALLOCATION_DIR = "allocation"
#: Stratum of a study without stratification factors.
UNSTRATIFIED = "all"
#: Largest size of the seed file (a 128-bit number in decimal and a line end).
SEED_LIMIT = 64


@dataclass(frozen=True)
class Allocation:
    """One participant's allocation, as logged.

    Attributes
    ----------
    participant : str
        The participant ID.
    arm : str
        The arm allocated.
    stratum : str
        ``factor=level`` pairs in the study's factor order, or ``"all"``.
    stratum_number : int
        Position of this allocation within its stratum (from 1).
    block : int
        Number of the permuted block within the stratum (from 1).
    block_size : int
        Size of that block.
    arm_number : int
        Position of this participant within the arm, in enrolment order (from 1).
    order_row : int
        Row of the arm's Williams design used (from 1).
    task_order : list of str
        The arm battery's tasks in this participant's order.
    allocated : str
        Date and time of the allocation (ISO 8601, UTC).
    """

    participant: str
    arm: str
    stratum: str
    stratum_number: int
    block: int
    block_size: int
    arm_number: int
    order_row: int
    task_order: list[str]
    allocated: str


def stratum_key(study: Study, given: dict[str, str]) -> str:
    """The stratum of a participant from ``--strata`` values, checked against the study's factors.

    Examples
    --------
    The key lists factors in the study's order, whatever order they were given in:
    ``{"edss": "low", "site": "A"}`` gives ``"site=A,edss=low"``.

    Raises
    ------
    UsageError
        For a missing or unknown factor or a level the study does not declare.
    """
    declared = study.config.allocation.strata
    unknown = sorted(set(given) - set(declared))
    if unknown:
        raise UsageError(f"--strata: unknown factor(s) {', '.join(unknown)}; {study.path} declares "
                         f"{', '.join(declared) or 'no stratification factors'}")
    missing = [factor for factor in declared if factor not in given]
    if missing:
        raise UsageError(f"--strata: {', '.join(missing)} missing; {study.path} stratifies by "
                         + ", ".join(f"{f} ({'/'.join(levels)})" for f, levels in declared.items()))
    for factor, levels in declared.items():
        if given[factor] not in levels:
            raise UsageError(f"--strata: {factor}={given[factor]!r} is not a level of {factor}; "
                             f"expected one of {', '.join(levels)}")
    return ",".join(f"{factor}={given[factor]}" for factor in declared) or UNSTRATIFIED


def parse_strata(text: str) -> dict[str, str]:
    """``"site=A,edss=low"`` → ``{"site": "A", "edss": "low"}``.

    Raises
    ------
    UsageError
        For a part that is not ``factor=level`` or a factor given twice.
    """
    found: dict[str, str] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        factor, sep, level = (s.strip() for s in part.partition("="))
        if not (sep and factor and level):
            raise UsageError(f"--strata: {part!r}: expected factor=level, e.g. site=A,edss=low")
        if factor in found:
            raise UsageError(f"--strata: {factor} given twice")
        found[factor] = level
    return found


def block_sequence(seed: int, stratum: str, ratios: dict[str, int], block_sizes: list[int],
                   length: int) -> list[tuple[str, int, int]]:
    """The first ``length`` allocations of a stratum: ``(arm, block number, block size)``.

    Each block has a size drawn from ``block_sizes`` and holds every arm
    ``size / sum(ratios) * ratio`` times, in random order. The same seed and
    stratum always give the same sequence; strata are independent.

    Parameters
    ----------
    seed : int
        The study's secret seed.
    stratum : str
        Stratum key (see :func:`stratum_key`).
    ratios : dict of str to int
        Allocation weight per arm, in the study's arm order.
    block_sizes : list of int
        Block sizes to draw from, each a multiple of ``sum(ratios)``.
    length : int
        Number of allocations wanted.

    Returns
    -------
    list of tuple
        One ``(arm, block, block_size)`` per allocation.
    """
    digest = int.from_bytes(hashlib.sha256(stratum.encode()).digest()[:8], "big")
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(digest,)))
    total = sum(ratios.values())
    out: list[tuple[str, int, int]] = []
    block = 0
    while len(out) < length:
        size = int(rng.choice(block_sizes))
        block += 1
        arms = [arm for arm, ratio in ratios.items() for _ in range(ratio * size // total)]
        out += [(arms[i], block, size) for i in rng.permutation(len(arms))]
    return out[:length]


def arm_task_order(study: Study, arm: str, arm_number: int) -> tuple[int, list[str]]:
    """Williams row (from 1) and task order of the ``arm_number``-th participant of ``arm``.

    Counterbalanced tasks are permuted among the places they hold in the
    battery; other tasks keep their place.
    """
    names = study.arms[arm].task_names
    moving = study.counterbalanced(arm)
    orders = williams_orders(len(moving)) if moving else [[]]
    row = (arm_number - 1) % len(orders)
    permuted = iter(moving[i] for i in orders[row])
    return row + 1, [next(permuted) if name in moving else name for name in names]


class AllocationLog:
    """``DATA/allocation/``: the secret seed and the log of allocations of one study.

    Parameters
    ----------
    data_dir : Path
        The study's data folder.
    """

    def __init__(self, data_dir: Path):
        self.folder = Path(data_dir) / ALLOCATION_DIR
        self.log_path = self.folder / "allocation.json"
        self.seed_path = self.folder / "seed"

    def entries(self) -> list[Allocation]:
        """Every allocation so far, in order (empty before the first)."""
        return self._load()[1]

    def _load(self) -> tuple[str | None, list[Allocation]]:
        """The study name the log belongs to and its allocations."""
        if not self.log_path.exists():
            return None, []
        data = read_json(self.log_path)
        if not isinstance(data, dict) or not isinstance(data.get("allocations"), list):
            raise CogtrainError(f"{self.log_path}: not a cogtrain allocation log (no 'allocations' list)")
        try:
            return data.get("study"), [Allocation(**entry) for entry in data["allocations"]]
        except TypeError as exc:
            raise CogtrainError(f"{self.log_path}: malformed allocation entry ({exc})") from None

    def find(self, participant: str) -> Allocation | None:
        """The participant's allocation, if any."""
        return next((a for a in self.entries() if a.participant == participant), None)

    def allocate(self, study: Study, participant: str, strata: dict[str, str],
                 now: datetime | None = None) -> Allocation:
        """Allocate ``participant`` to the next arm of their stratum and log it.

        Raises
        ------
        UsageError
            If the participant is already allocated, or the strata do not fit the study.
        """
        check_participant(participant)
        stratum = stratum_key(study, strata)
        self.folder.mkdir(parents=True, exist_ok=True)
        with ParticipantLock(self.folder):
            logged, entries = self._load()
            if logged is not None and logged != study.config.name:
                raise UsageError(f"{self.log_path} belongs to study {logged!r}, not {study.config.name!r}; "
                                 "use that study's data folder")
            earlier = next((a for a in entries if a.participant == participant), None)
            if earlier is not None:
                raise UsageError(f"participant {participant} was allocated to arm {earlier.arm!r} on "
                                 f"{earlier.allocated}; an allocation is never repeated")
            position = sum(a.stratum == stratum for a in entries) + 1
            ratios = {name: arm.ratio for name, arm in study.config.arms.items()}
            arm, block, size = block_sequence(self._seed(), stratum, ratios, study.config.allocation.block_sizes,
                                              position)[-1]
            arm_number = sum(a.arm == arm for a in entries) + 1
            row, order = arm_task_order(study, arm, arm_number)
            when = (now or datetime.now(timezone.utc)).isoformat(timespec="seconds")
            entry = Allocation(participant, arm, stratum, position, block, size, arm_number, row, order, when)
            write_json_atomic(self.log_path, {"study": study.config.name,
                                              "allocations": [asdict(a) for a in entries + [entry]]})
        return entry

    def create_seed(self, seed: int | None = None) -> None:
        """Store the allocation seed, owner-readable only: ``seed``, or 128 random bits (the default).

        A given seed is for simulated studies, whose allocation need not be secret.

        Raises
        ------
        UsageError
            If the study already has a seed (changing it would change the allocation).
        """
        self.folder.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(self.seed_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            raise UsageError(f"{self.seed_path} exists; a study's allocation seed is never replaced") from None
        with os.fdopen(fd, "w") as fh:
            fh.write(f"{secrets.randbits(128) if seed is None else seed}\n")
            fh.flush()
            os.fsync(fh.fileno())

    def _seed(self) -> int:
        """The study's secret seed, drawn (128 bits) and stored owner-readable at first use."""
        if not self.seed_path.exists():
            self.create_seed()
        try:
            return int(read_limited(self.seed_path, limit=SEED_LIMIT, what="allocation seed").decode("ascii"))
        except (UnreadableFile, ValueError, UnicodeDecodeError) as exc:
            raise CogtrainError(f"{self.seed_path}: unreadable allocation seed ({exc}); restore it from "
                                "the study's backup — a new seed would change the allocation") from None
