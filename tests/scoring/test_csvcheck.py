import csv
import io
import subprocess
import sys

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from cogtrain.scoring.csvcheck import drop_spans, scan_records


def test_fields_counted_outside_quotes_only():
    buf = b'a,b,c\n"x,y",z\n"multi\nline, with ""quotes""",2,3\n\n1,2\n'
    records = scan_records(buf)
    assert records.fields.tolist() == [3, 2, 3, 1, 2]
    assert records.blank.tolist() == [False, False, False, True, False]
    assert buf[records.starts[2]:records.ends[2]] == b'"multi\nline, with ""quotes""",2,3'


def test_empty_buffer_has_no_records():
    assert len(scan_records(b"").fields) == 0


def test_drop_spans_removes_whole_records():
    buf = b"1,2\nbad\n3,4\nworse\n"
    records = scan_records(buf)
    bad = records.fields != 2
    assert drop_spans(buf, records.starts[bad], records.ends[bad]) == b"1,2\n3,4\n"
    assert drop_spans(buf, np.array([], dtype=int), np.array([], dtype=int)) == buf


# A bare carriage return is left out: trial logs end lines with "\n" and quote any "\r".
cells = st.text(alphabet=st.sampled_from(list('ab,"\n x')), max_size=6)


@given(st.lists(st.lists(cells, min_size=1, max_size=5), min_size=1, max_size=8))
def test_field_counts_agree_with_the_csv_module(rows):
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    records = scan_records(buffer.getvalue().encode())
    parsed = list(csv.reader(io.StringIO(buffer.getvalue(), newline="")))
    assert records.fields.tolist() == [max(len(r), 1) for r in parsed]


def test_scoring_imports_without_psychopy():
    code = ("import sys; sys.modules['psychopy'] = None\n"
            "import cogtrain.scoring.study, cogtrain.scoring.export, cogtrain.scoring.bids\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
