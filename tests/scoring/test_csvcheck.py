import numpy as np

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
