"""Printing rows of results: an aligned table for people, JSON or CSV for programs."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Callable, Sequence

import click

__all__ = ["FORMATS", "emit_json", "emit_rows", "format_option"]

FORMATS = ("table", "json", "csv")
_CELL_WIDTH = 70


def format_option(*choices: str):
    """``--format`` with the given choices (default: the first)."""
    choices = choices or FORMATS
    others = " or ".join(c for c in choices if c != "table")
    return click.option(
        "--format", "fmt", type=click.Choice(choices), default=choices[0], show_default=True,
        help=f"table for reading; {others} for other programs.",
    )


def emit_json(value: object) -> None:
    """Print ``value`` as indented JSON (UTF-8 kept readable)."""
    click.echo(json.dumps(value, ensure_ascii=False, indent=2, default=str))


def emit_rows(
    rows: Sequence[dict],
    columns: Sequence[str],
    fmt: str,
    *,
    show: dict[str, Callable[[object], str]] | None = None,
    footer: str | None = None,
) -> None:
    """Print ``rows`` (dicts) as ``fmt``: ``columns`` in the table and CSV, whole rows in JSON.

    ``show`` maps a column to how the table renders its value (e.g. UTC as WIB), and
    ``footer`` follows the table (say, which zone its times are in); JSON and CSV carry
    the stored values unchanged. A table of no rows is "(none)".
    """
    if fmt == "json":
        emit_json(list(rows))
    elif fmt == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=list(columns), extrasaction="ignore",
                                lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    elif not rows:
        click.echo("(none)")
    else:
        show = show or {}
        cells = [[_cell(show.get(c, _plain)(row.get(c)), whole=c == "url") for c in columns]
                 for row in rows]
        widths = [max([len(c), *(len(r[i]) for r in cells)]) for i, c in enumerate(columns)]
        for line in [list(columns), ["-" * w for w in widths], *cells]:
            click.echo("  ".join(v.ljust(w) for v, w in zip(line, widths)).rstrip())
        if footer:
            click.echo(footer)


def _plain(value: object) -> str:
    return "" if value is None else str(value)


def _cell(text: str, whole: bool = False) -> str:
    """One table cell on one line, cut to ``_CELL_WIDTH`` unless ``whole`` (a link must
    stay whole to be opened or copied)."""
    text = " ".join(text.split())
    return text if whole or len(text) <= _CELL_WIDTH else text[: _CELL_WIDTH - 1] + "…"
