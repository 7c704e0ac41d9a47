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
