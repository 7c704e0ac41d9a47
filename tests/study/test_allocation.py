"""Permuted-block allocation: balanced within blocks and strata, reproducible from the seed, secret."""
from collections import Counter
from pathlib import Path

import pytest

from cogtrain.errors import UsageError
from cogtrain.study.allocation import AllocationLog, block_sequence, parse_strata, stratum_key
from cogtrain.study.config import load_study

STUDY = Path(__file__).resolve().parent.parent / "data" / "study" / "study.yaml"
RATIOS = {"training": 1, "control": 1}


@pytest.fixture(scope="module")
def study():
    return load_study(STUDY)


def test_every_block_holds_each_arm_in_its_ratio():
    for ratios, sizes in [(RATIOS, [2, 4, 6]), ({"a": 2, "b": 1}, [3, 6]), ({"a": 1, "b": 1, "c": 1}, [3])]:
        sequence = block_sequence(12345, "site=A", ratios, sizes, 300)
        blocks: dict[int, list[str]] = {}
        for arm, block, size in sequence:
            blocks.setdefault(block, []).append(arm)
        total = sum(ratios.values())
        for block, arms in list(blocks.items())[:-1]:  # the last block may be cut by the length
            counts = Counter(arms)
            assert {arm: counts[arm] * total for arm in ratios} == {arm: r * len(arms) for arm, r in ratios.items()}
        assert {size for _, _, size in sequence} <= set(sizes)
        assert len({size for _, _, size in sequence}) > 1 or len(sizes) == 1  # sizes are drawn, not fixed


def test_same_seed_same_sequence_other_seed_or_stratum_another():
    first = block_sequence(2**100 + 7, "site=A", RATIOS, [2, 4], 40)
    assert block_sequence(2**100 + 7, "site=A", RATIOS, [2, 4], 40) == first
    assert block_sequence(2**100 + 8, "site=A", RATIOS, [2, 4], 40) != first
    assert block_sequence(2**100 + 7, "site=B", RATIOS, [2, 4], 40) != first
    assert block_sequence(2**100 + 7, "site=A", RATIOS, [2, 4], 10) == first[:10]  # prefix: no look-ahead effect


def test_allocation_is_balanced_within_each_stratum_and_logged(study, tmp_path):
    log = AllocationLog(tmp_path)
    for i in range(24):
        log.allocate(study, f"P{i}", {"site": "AB"[i % 2]})
    entries = log.entries()
    assert [e.participant for e in entries] == [f"P{i}" for i in range(24)]
    for site in "AB":
        own = [e for e in entries if e.stratum == f"site={site}"]
        assert [e.stratum_number for e in own] == list(range(1, 13))
        complete = {e.block for e in own if sum(o.block == e.block for o in own) == e.block_size}
        for block in complete:
            assert Counter(e.arm for e in own if e.block == block) == {"training": len(
                [e for e in own if e.block == block]) // 2, "control": len([e for e in own if e.block == block]) // 2}
        counts = Counter(e.arm for e in own)
        assert abs(counts["training"] - counts["control"]) <= 2  # at most half the largest block apart
    seed = int((tmp_path / "allocation" / "seed").read_text())
    again = block_sequence(seed, "site=A", RATIOS, [2, 4], 12)
    assert [arm for arm, _, _ in again] == [e.arm for e in entries if e.stratum == "site=A"]


def test_seed_is_private_and_not_in_the_log(study, tmp_path):
    log = AllocationLog(tmp_path)
    log.allocate(study, "P1", {"site": "A"})
    seed_file = tmp_path / "allocation" / "seed"
    assert seed_file.stat().st_mode & 0o777 == 0o600
    assert seed_file.read_text().strip() not in log.log_path.read_text()


def test_other_seeds_allocate_differently(study, tmp_path):
    arms = []
    for k in range(2):
        log = AllocationLog(tmp_path / str(k))
        arms.append([log.allocate(study, f"P{i}", {"site": "A"}).arm for i in range(30)])
    assert arms[0] != arms[1]


def test_task_orders_follow_enrolment_order_within_the_arm(tmp_path):
    (tmp_path / "three.yaml").write_text(
        (STUDY.parent / "training.yaml").read_text().replace(
            "tasks:\n", "tasks:\n  - task: tower\n    settings: {blocks: 1, problems_per_block: 2}\n"
                        "  - task: recall\n    settings: {lists: 1, delayed: {enabled: false}}\n"))
    for name in ("control.yaml", "assessment.yaml"):
        (tmp_path / name).write_text((STUDY.parent / name).read_text())
    text = STUDY.read_text().replace("battery: training.yaml", "battery: three.yaml")
    (tmp_path / "study.yaml").write_text(text)
    study = load_study(tmp_path / "study.yaml")
    log = AllocationLog(tmp_path / "data")
    entries = [log.allocate(study, f"P{i}", {"site": "AB"[i % 2]}) for i in range(16)]
    training = [e for e in entries if e.arm == "training"]
    assert [e.arm_number for e in training] == list(range(1, len(training) + 1))
    assert [e.order_row for e in training] == [(k % 6) + 1 for k in range(len(training))]
    assert training[0].task_order == ["tower", "recall", "nback"]
    assert training[1].task_order == ["recall", "nback", "tower"]
    assert training[3].task_order == ["nback", "recall", "tower"]  # the mirror of row 1
    assert all(e.task_order == ["nback"] for e in entries if e.arm == "control")


def test_a_participant_is_allocated_once(study, tmp_path):
    log = AllocationLog(tmp_path)
    first = log.allocate(study, "P1", {"site": "A"})
    with pytest.raises(UsageError, match=f"allocated to arm '{first.arm}'"):
        log.allocate(study, "P1", {"site": "B"})


@pytest.mark.parametrize("given, message", [
    ({}, "site missing; .* stratifies by site \\(A/B\\)"),
    ({"site": "C"}, "site='C' is not a level of site; expected one of A, B"),
    ({"site": "A", "edss": "low"}, "unknown factor\\(s\\) edss"),
])
def test_strata_must_match_the_study(study, given, message):
    with pytest.raises(UsageError, match=message):
        stratum_key(study, given)


def test_strata_text_is_parsed_strictly():
    assert parse_strata("site=A, edss=low") == {"site": "A", "edss": "low"}
    for bad in ("site", "site=", "=A", "site=A,site=B"):
        with pytest.raises(UsageError, match="--strata"):
            parse_strata(bad)


def test_a_log_of_another_study_is_refused(study, tmp_path):
    AllocationLog(tmp_path).allocate(study, "P1", {"site": "A"})
    log = AllocationLog(tmp_path)
    log.log_path.write_text(log.log_path.read_text().replace('"test study"', '"other study"'))
    with pytest.raises(UsageError, match="belongs to study 'other study'"):
        log.allocate(study, "P2", {"site": "A"})
