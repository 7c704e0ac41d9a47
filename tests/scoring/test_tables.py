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
