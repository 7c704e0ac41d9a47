import numpy as np
import pandas as pd

from cogtrain.scoring.tables import neutralise_formulas, write_table


def test_formula_cells_get_a_quote_and_numbers_do_not():
    df = pd.DataFrame({"text": ["=HYPERLINK(\"http://x\")", "+1+2", "-cmd", "@SUM(A1)", "\tx", "-0.5",
                                "+3", "word", None],
                       "number": [-0.5, 1, 2, 3, 4, 5, 6, 7, 8]})
    out = neutralise_formulas(df)
    assert out["text"].tolist()[:8] == ["'=HYPERLINK(\"http://x\")", "'+1+2", "'-cmd", "'@SUM(A1)", "'\tx",
                                        "-0.5", "+3", "word"]
    assert pd.isna(out["text"].iloc[8])
    assert out["number"].tolist() == df["number"].tolist()
    assert df["text"].iloc[0].startswith("=")  # input left unchanged


def test_write_table_neutralises_csv_and_tsv(tmp_path):
    df = pd.DataFrame({"participant": ["P1"], "response": ["=1+1"], "value": [-0.25]})
    write_table(df, tmp_path / "a.csv")
    write_table(df, tmp_path / "b.tsv", sep="\t", na_rep="n/a")
    assert (tmp_path / "a.csv").read_text().splitlines()[1] == "P1,'=1+1,-0.25"
    assert (tmp_path / "b.tsv").read_text().splitlines()[1] == "P1\t'=1+1\t-0.25"


def test_header_cells_are_neutralised_too(tmp_path):
    df = pd.DataFrame({"=HYPERLINK(\"http://x\")": [1], "@cmd": ["a"], "-0.5": [2], "ok": [3]})
    write_table(df, tmp_path / "a.csv")
    assert (tmp_path / "a.csv").read_text().splitlines()[0] == '"\'=HYPERLINK(""http://x"")",\'@cmd,-0.5,ok'


def test_whole_numbers_are_written_as_integers(tmp_path):
    df = pd.DataFrame({"a": [1.0, 2.5, None, -3.0, 1e20], "b": pd.array([1, None, 3, 4, 5], dtype="Int64"),
                       "c": [2.0, "x", None, 0.25, True]})
    write_table(df, tmp_path / "a.csv")
    assert (tmp_path / "a.csv").read_text().splitlines() == [
        "a,b,c", "1,1,2", "2.5,,x", ",3,", "-3,4,0.25", "1e+20,5,True"]


def test_tabs_and_line_breaks_never_break_a_tsv_row(tmp_path):
    df = pd.DataFrame({"odd\theader\nname": ["tab\there", "cr\rlf\r\nend", "=1+1"], "n": [1.0, 2.0, 3.5]})
    write_table(df, tmp_path / "a.tsv", sep="\t", na_rep="n/a")
    lines = (tmp_path / "a.tsv").read_text().split("\n")
    assert lines == ["odd header name\tn", "tab here\t1", "cr lf end\t2", "'=1+1\t3.5", ""]


def test_csv_cells_with_line_breaks_round_trip(tmp_path):
    df = pd.DataFrame({"text": ["a\rb", "c\nd", 'say "hi", then go', "\0nul"]})
    write_table(df, tmp_path / "a.csv")
    back = pd.read_csv(tmp_path / "a.csv", dtype=str, keep_default_na=False)
    assert back["text"].tolist() == df["text"].tolist()


def test_a_table_written_in_pieces_is_the_text_of_each_row_in_order(tmp_path, monkeypatch):
    from cogtrain.scoring import tables

    monkeypatch.setattr(tables, "CHUNK_ROWS", 2)
    df = pd.DataFrame({"=id": ["a", "=b", "c,d", None, 'say "hi"'], "n": [1.0, -0.5, None, 2.25, 3.0],
                       "mixed": [1.5, "x", "-y", 4.0, None]})
    write_table(df, tmp_path / "t.csv")
    assert (tmp_path / "t.csv").read_text() == (
        "'=id,n,mixed\n"
        "a,1,1.5\n"
        "'=b,-0.5,x\n"
        '"c,d",,\'-y\n'
        ",2.25,4\n"
        '"say ""hi""",3,\n')
    write_table(df.iloc[:0], tmp_path / "empty.tsv", sep="\t")
    assert (tmp_path / "empty.tsv").read_text() == "'=id\tn\tmixed\n"


def _rows(path):
    return path.read_bytes().decode().split("\n")


def test_float_edge_values_are_written_as_python_writes_them(tmp_path):
    values = [float("nan"), float("inf"), -float("inf"), -0.0, 0.0, 1e-05, 1e-4, 1e16, 0.1 + 0.2, 2.0**53,
              2.0**53 - 1, -(2.0**53 - 1), 123.456, 5e-324, 1.7976931348623157e308, -1e-07, 1e15 + 0.5, 2.5e-7]
    write_table(pd.DataFrame({"x": values, "y": values[::-1]}), tmp_path / "a.csv")
    text = ["", "inf", "-inf", "0", "0", "1e-05", "0.0001", "1e+16", "0.30000000000000004", "9007199254740992.0",
            "9007199254740991", "-9007199254740991", "123.456", "5e-324", "1.7976931348623157e+308", "-1e-07",
            "1000000000000000.5", "2.5e-07"]
    assert _rows(tmp_path / "a.csv") == ["x,y", *(f"{a},{b}" for a, b in zip(text, text[::-1])), ""]


def test_random_floats_are_their_shortest_round_trip_text(tmp_path):
    rng = np.random.default_rng(7)
    bits = rng.integers(0, 2**63, 20_000, dtype=np.int64).view(np.float64)
    values = np.concatenate([bits[np.isfinite(bits)], rng.normal(0, 1, 5_000), rng.integers(-50, 50, 5_000) / 7,
                             np.round(rng.random(5_000), 3)])
    write_table(pd.DataFrame({"x": values}), tmp_path / "a.csv")
    written = _rows(tmp_path / "a.csv")[1:-1]
    assert [float(t) for t in written] == values.tolist()
    assert written == [str(int(v)) if v.is_integer() and abs(v) < 2**53 else repr(v) for v in values.tolist()]


def test_integer_columns_are_exact_up_to_two_to_the_53(tmp_path):
    df = pd.DataFrame({"small": [2**53 - 1, -(2**53 - 1), 0], "large": [2**53 + 1, 2**62, 7],
                       "nullable": pd.array([None, -5, 2**53 - 1], dtype="Int64"),
                       "none": pd.array([None, None, None], dtype="Int64")})
    write_table(df, tmp_path / "a.csv")
    # beyond 2**53 a number is written as the float64 it is scored as
    assert _rows(tmp_path / "a.csv") == ["small,large,nullable,none", "9007199254740991,9007199254740992.0,,",
                                         "-9007199254740991,4.611686018427388e+18,-5,",
                                         "0,7,9007199254740991,", ""]


def test_text_cells_are_quoted_and_neutralised_in_every_column_kind(tmp_path):
    text = ["a,b", 'say "hi"', "x\ny", "=cmd", "-0.5", "+x", None, "@", "\tz", "-inf", "plain"]
    joined = pd.concat([pd.Series(text[:4], dtype="str"), pd.Series(text[4:], dtype="str")], ignore_index=True)
    df = pd.DataFrame({"str": joined, "object": pd.Series(text, dtype=object),
                       "mixed": pd.Series([1.0, "x", None, -0.0, True, "=1", "-0.5", (1, 2), 2.5, 1e-05, "ok"],
                                          dtype=object)})
    write_table(df, tmp_path / "a.csv")
    write_table(df, tmp_path / "a.tsv", sep="\t", na_rep="n/a")
    cells = ['"a,b"', '"say ""hi"""', '"x\ny"', "'=cmd", "-0.5", "'+x", "", "'@", "'\tz", "-inf", "plain"]
    mixed = ["1", "x", "", "0", "True", "'=1", "-0.5", '"(1, 2)"', "2.5", "1e-05", "ok"]
    assert (tmp_path / "a.csv").read_bytes().decode() == "str,object,mixed\n" + "".join(
        f"{c},{c},{m}\n" for c, m in zip(cells, mixed))
    cells = ["a,b", 'say "hi"', "x y", "'=cmd", "-0.5", "'+x", "n/a", "'@", "' z", "-inf", "plain"]
    mixed = ["1", "x", "n/a", "0", "True", "'=1", "-0.5", "(1, 2)", "2.5", "1e-05", "ok"]
    assert (tmp_path / "a.tsv").read_bytes().decode() == "str\tobject\tmixed\n" + "".join(
        f"{c}\t{c}\t{m}\n" for c, m in zip(cells, mixed))


def test_dates_booleans_and_categories_are_written_as_their_text(tmp_path):
    df = pd.DataFrame({"when": pd.to_datetime(["2026-01-05T10:00:00Z", None], utc=True),
                       "ok": [True, False], "kind": pd.Categorical(["=a", "b"])})
    write_table(df, tmp_path / "a.csv")
    assert _rows(tmp_path / "a.csv") == ["when,ok,kind", "2026-01-05 10:00:00+00:00,True,'=a", ",False,b", ""]
