import json
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from cogtrain.errors import UsageError
from cogtrain.scoring import export_study

NAME = re.compile(r"sub-(?P<sub>[A-Za-z0-9]+)_ses-(?P<ses>[0-9]+)_task-(?P<task>[A-Za-z0-9]+)_beh\.tsv")


@pytest.fixture
def bids(study_dir, fake_tasks, tmp_path):
    out = tmp_path / "bids"
    result = export_study(study_dir, "bids", out, tasks=fake_tasks, progress=False)
    return result, out


def test_required_files_and_layout(bids):
    result, out = bids
    description = json.loads((out / "dataset_description.json").read_text())
    assert {"Name", "BIDSVersion", "DatasetType"} <= set(description)
    assert description["DatasetType"] == "raw"
    assert (out / "README").read_text().strip()
    participants = pd.read_csv(out / "participants.tsv", sep="\t")
    assert participants["participant_id"].tolist() == ["sub-A1", "sub-B2"]
    assert set(participants.columns) <= set(json.loads((out / "participants.json").read_text()))
    tsvs = sorted(out.glob("sub-*/ses-*/beh/*.tsv"))
    assert len(tsvs) == 5
    for tsv in tsvs:
        match = NAME.fullmatch(tsv.name)
        assert match, tsv.name
        assert tsv.parent.parent.name == f"ses-{match['ses']}"
        assert tsv.parent.parent.parent.name == f"sub-{match['sub']}"
    assert any(p.name == "sub-A1_sessions.tsv" for p in result.paths)


def test_every_tsv_column_is_described_in_its_sidecar(bids):
    _, out = bids
    for tsv in out.rglob("*.tsv"):
        sidecar = tsv.with_suffix(".json")
        if tsv.name == "participants.tsv":
            sidecar = out / "participants.json"
        described = json.loads(sidecar.read_text())
        header = tsv.read_text().splitlines()[0].split("\t")
        for column in header:
            assert column in described, (tsv.name, column)
            assert described[column]["Description"] and described[column]["LongName"]


def test_values_are_tab_separated_with_na_and_marked_rows(bids):
    _, out = bids
    table = pd.read_csv(out / "sub-A1" / "ses-002" / "beh" / "sub-A1_ses-002_task-fake_beh.tsv", sep="\t",
                        keep_default_na=False)
    assert table["superseded"].tolist() == [0, 0, 1, 0, 0]  # block 2 of run 1 re-run after the resume
    first = pd.read_csv(out / "sub-A1" / "ses-001" / "beh" / "sub-A1_ses-001_task-fake_beh.tsv", sep="\t",
                        keep_default_na=False)
    assert first.loc[2, "rt_s"] == "n/a" and first["practice"].tolist() == [1, 0, 0, 0, 0]
    third = (out / "sub-A1" / "ses-003" / "beh" / "sub-A1_ses-003_task-fake_beh.tsv").read_text()
    assert 'a, quoted "cell"' in third


def test_formula_like_responses_are_neutralised(study_dir, fake_tasks, tmp_path):
    log = study_dir / "sub-A1" / "ses-001" / "fake.csv"
    log.write_text(log.read_text().replace("A1,1,fake,1,1,2.0,0.6,space", "A1,1,fake,1,1,2.0,0.6,=cmd|' /C calc'!A0"))
    export_study(study_dir, "bids", tmp_path / "bids", tasks=fake_tasks, progress=False)
    text = (tmp_path / "bids" / "sub-A1" / "ses-001" / "beh" / "sub-A1_ses-001_task-fake_beh.tsv").read_text()
    assert "\t'=cmd|' /C calc'!A0\t" in text
    assert "\t-" not in text.replace("\t-0", "")  # no other cell starts with a minus sign


def test_unknown_format_is_a_usage_error(study_dir, fake_tasks, tmp_path):
    with pytest.raises(UsageError, match="unknown export format 'xlsx'"):
        export_study(study_dir, "xlsx", tmp_path, tasks=fake_tasks)


#: Recommended keys cogtrain cannot know: ontology IDs of the tasks, HED annotations, and the
#: source datasets (the export is the raw data).
UNKNOWABLE = {"CogAtlasID", "CogPOID", "HEDVersion", "SourceDatasets"}
ODD_TEXT_BATTERY = """
name: "=every task, odd\\ttext"
tasks:
  - task: tower
    settings:
      instructions: ["Plan first.\\tThen move.", "Line one\\nline two\\r\\nline three"]
      problems: [{start: "RG|B|", goal: "R|G|B", id: "tab\\there"}, {start: "RG|B|", goal: "RB|G|", id: "cr\\rlf\\n"}]
      puzzle: tol
      practice_problems: 0
      blocks: 1
  - task: nback
    settings: {blocks: 1, mode: single, practice: {enabled: false}}
  - task: recall
    settings: {lists: 1, learning_trials: 1}
  - task: symbol_digit
    settings: {training: {blocks: 1, items_per_block: 5}, practice: {items: 2}}
breaks: {between_tasks: false, fatigue_rating: false}
dataset:
  authors: [Ada Lovelace, Alan Turing]
  license: CC0
  institution_name: MS Centre
  institution_address: 1 Main Street, Town
  institution_department: Neurology
"""


def validator() -> str:
    """The ``bids-validator-deno`` command of this environment, or of the one that holds its deno runtime."""
    import deno

    for folder in (Path(sys.executable).parent, Path(deno.__file__).resolve().parents[4] / "bin"):
        if (folder / "bids-validator-deno").exists():
            return str(folder / "bids-validator-deno")
    pytest.fail("bids-validator-deno is not installed (pip install -e '.[test]')")


@pytest.fixture(scope="module")
def validated(tmp_path_factory):
    """Two simulated sessions of every task, exported to BIDS and checked by the official validator."""
    from cogtrain.cli import main

    root = tmp_path_factory.mktemp("validated")
    config = root / "battery.yaml"
    config.write_text(ODD_TEXT_BATTERY, encoding="utf-8")
    for seed in (1, 2):
        assert main(["run", str(config), "--participant", "V1", "--simulate", "--data", str(root / "data"),
                     "--seed", str(seed)]) == 0
    out = root / "bids"
    assert main(["export", str(root / "data"), "--format", "bids", "--out", str(out)]) == 0
    proc = subprocess.run([validator(), str(out), "--format", "json", "--max-rows", "-1"],
                          capture_output=True, text=True, timeout=300)
    return out, json.loads(proc.stdout)["issues"]["issues"]


def test_bids_validator_finds_no_error(validated):
    _out, issues = validated
    assert [i for i in issues if i["severity"] == "error"] == []


def test_bids_validator_misses_only_keys_cogtrain_cannot_know(validated):
    _out, issues = validated
    assert {i.get("subCode") for i in issues if i["severity"] == "warning"} <= UNKNOWABLE


def test_sidecars_hold_the_instructions_shown_and_lists_have_no_units(validated):
    out, _issues = validated
    sidecar = json.loads(next(out.glob("sub-V1/ses-001/beh/*task-tower_beh.json")).read_text(encoding="utf-8"))
    assert sidecar["Instructions"] == "Plan first.\tThen move.\n\nLine one\nline two\r\nline three"
    assert "Units" not in sidecar["move_times_s"]  # a list such as 3.280;4.149 is not a number
    assert sidecar["planning_time_s"]["Units"] == "s"
    symbols = json.loads(next(out.glob("sub-V1/ses-001/beh/*task-symboldigit_beh.json")).read_text(encoding="utf-8"))
    assert symbols["TaskName"] == "symbol_digit"
    description = json.loads((out / "dataset_description.json").read_text(encoding="utf-8"))
    assert description["Authors"] == ["Ada Lovelace", "Alan Turing"] and description["License"] == "CC0"
