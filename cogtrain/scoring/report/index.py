"""The index page: one row per participant, with adherence and change, linking to their pages."""
from __future__ import annotations

import pandas as pd

from cogtrain.scoring.compute import Scores
from cogtrain.scoring.labels import COMPOSITE, domain_label
from cogtrain.scoring.reliable import RCI_CRITICAL
from cogtrain.scoring.report.page import Page, esc, num, table
from cogtrain.scoring.report.participant import adherence_headline


def index_page(scores: Scores, doses: pd.DataFrame, warnings: list[str]) -> str:
    """The HTML of ``index.html``.

    Parameters
    ----------
    scores : Scores
        Computed tables.
    doses : pandas.DataFrame
        Adherence of each participant, with ``sessions_due`` and ``as_of`` (as on their pages).
    warnings : list of str
        All warnings, listed at the end.

    Returns
    -------
    str
        The page.
    """
    summary = scores.summary
    composites = summary[summary["task"] == COMPOSITE]
    change = {(r.participant, r.metric): (num(r.gain, signed=True) if r.n_sessions >= 2 else "no data yet")
              for r in composites.itertuples()}
    domains = sorted(composites["metric"].unique())
    has_rci = set(summary.loc[summary["rci"].notna(), "participant"])
    reliable = summary[summary["rci"].abs() > RCI_CRITICAL]["participant"].value_counts()
    rows = []
    for a in doses.itertuples():
        p = a.participant
        rows.append([f"<a href='sub-{esc(p)}.html'>{esc(p)}</a>", esc(adherence_headline(a._asdict())),
                     f"{a.sessions_complete} / {a.sessions_started}", num(a.minutes_trained, 0),
                     f"{a.first_date} to {a.last_date}" if a.first_date else "unknown"]
                    + [change.get((p, d), "&ndash;") for d in domains]
                    + [str(int(reliable.get(p, 0))) if p in has_rci else "&ndash;"])
    header = (["Participant", "Adherence", "Training sessions completed / started", "Active minutes", "Training dates"]
              + [f"{esc(domain_label(d))} composite change (z)" for d in domains]
              + ["Measures with reliable change"])
    page = Page("Cognitive training: all participants")
    page.add("<h1>Cognitive training: all participants</h1>", table(header, rows, "wide", text=(0, 1, 4)),
             f"<p class='muted'>Composite change: the domain composite's change from the first to the last "
             f"session, in units of the reference SD ({esc(scores.reference_note)}). Reliable change "
             "(|RCI| &gt; 1.96) needs reference values in the battery's <code>reliable_change</code> settings; "
             "&ndash; means none were configured. Active minutes leave waits and breaks out.</p>",
             "<h2>Data notes</h2>",
             "<ul class='warnings'>" + "".join(f"<li>{esc(w)}</li>" for w in warnings) + "</ul>" if warnings
             else "<p>All files were read without problems.</p>")
    return page.html()
