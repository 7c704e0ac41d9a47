"""HTML pages of the reports: layout, escaping, numbers, and the charts a page carries.

A page is plain HTML with one shared style sheet and one shared script
(``report.css``, ``report.js``, copied beside the pages); each chart is a
``<figure>`` whose data travel in the page as JSON. Everything from data files
is HTML-escaped.
"""
from __future__ import annotations

import html
import json
import math
from typing import Any

import pandas as pd

from cogtrain.scoring.report.charts import Chart


class Page:
    """An HTML page being assembled: its parts and the charts they refer to.

    Parameters
    ----------
    title : str
        The page title.
    """

    def __init__(self, title: str):
        self.title = title
        self.parts: list[str] = []
        self.charts: list[dict[str, Any]] = []

    def add(self, *parts: str) -> None:
        """Append HTML fragments."""
        self.parts.extend(p for p in parts if p)

    def chart(self, chart: Chart, caption: str = "") -> str:
        """A ``<figure>`` for ``chart`` (its data go into the page); the subtitle states its direction."""
        self.charts.append(chart.to_json())
        subtitle = f"<div class='chart-subtitle'>{html.escape(chart.subtitle)}</div>" if chart.subtitle else ""
        return (f"<figure data-chart='{len(self.charts) - 1}' style='max-width:{chart.width}px'>"
                f"<div class='chart-title'>{html.escape(chart.title)}</div>{subtitle}"
                f"<figcaption>{html.escape(caption)}</figcaption></figure>")

    def html(self) -> str:
        """The whole page."""
        data = json.dumps(self.charts, allow_nan=False, separators=(",", ":")).replace("</", "<\\/")
        return ("<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
                "<meta name='viewport' content='width=device-width, initial-scale=1'>"
                f"<title>{html.escape(self.title)}</title><link rel='stylesheet' href='report.css'></head><body>\n"
                + "\n".join(self.parts)
                + "\n<noscript><p class='note'>The charts need JavaScript; every number is also in the tables."
                "</p></noscript>\n"
                f"<script type='application/json' id='chart-data'>{data}</script>\n"
                "<script src='report.js'></script>\n</body></html>\n")


def num(value: Any, digits: int = 2, signed: bool = False) -> str:
    """A number for a table cell: a dash when missing, a real minus sign, never "-0.00".

    Examples
    --------
    >>> num(-0.001)
    '0.00'
    >>> num(float("nan"))
    '&ndash;'
    >>> num(1.5, signed=True)
    '+1.50'
    """
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return "&ndash;"
    value = float(value)
    if abs(value) < 0.5 * 10 ** -digits:
        value = 0.0
    text = f"{value:+.{digits}f}" if signed else f"{value:.{digits}f}"
    return text.replace("-", "&minus;")


def when(value: Any) -> str:
    """A session's start as ``YYYY-MM-DD HH:MM`` (UTC), or "unknown"."""
    return value.strftime("%Y-%m-%d %H:%M") if isinstance(value, pd.Timestamp) and value == value else "unknown"


def esc(value: Any) -> str:
    """HTML-escaped text of any value."""
    return html.escape(str(value))


def table(header: list[str], rows: list[list[str]], css: str = "", text: tuple[int, ...] = (0,)) -> str:
    """An HTML table from already escaped cells; columns ``text`` are text (left-aligned), others numbers."""
    def cell(i: int, value: str, tag: str = "td") -> str:
        if value.startswith("<td"):
            return value
        return f"<{tag} class='text'>{value}</{tag}>" if i in text else f"<{tag}>{value}</{tag}>"

    head = "".join(cell(i, h, "th") for i, h in enumerate(header))
    body = "".join("<tr>" + "".join(cell(i, v) for i, v in enumerate(row)) + "</tr>" for row in rows)
    return f"<table class='{css}'><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
