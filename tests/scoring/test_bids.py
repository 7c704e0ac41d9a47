import json
import re

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
