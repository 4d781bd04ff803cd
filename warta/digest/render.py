"""The digest as text: Markdown for chat tools, plain text, JSON for other programs.

``render(digest, fmt)`` is the one entry point; HTML comes from
:mod:`warta.digest.html`. Every scraped string (headlines, titles,
summaries, URLs) is escaped for the format it lands in.
"""

from __future__ import annotations

import dataclasses
import json
import re
import textwrap

from warta.digest import phrasing as say
from warta.digest.html import render_html
from warta.digest.model import Digest, Entry, Report

__all__ = ["FORMATS", "JSON_SCHEMA", "render", "render_json", "render_markdown", "render_text",
           "to_dict"]

FORMATS = ("md", "html", "json", "txt")
JSON_SCHEMA = "warta.digest/1"  # bump when a key is renamed or removed; see docs/digest.md
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")
_WIDTH = 78
# Characters that would end or confuse a Markdown link target, percent-encoded.
_URL_QUOTED = str.maketrans({c: f"%{ord(c):02X}" for c in " ()<>[]"})
_CONTROL = dict.fromkeys(c for c in range(32) if c not in (9, 10, 13))  # tab and newlines stay


def render(digest: Digest, fmt: str) -> str:
    """``digest`` in ``fmt`` (one of :data:`FORMATS`)."""
    renderers = {"md": render_markdown, "html": render_html, "json": render_json,
                 "txt": render_text}
    if fmt not in renderers:
        raise ValueError(f"unknown digest format {fmt!r}; expected one of {', '.join(FORMATS)}")
    return renderers[fmt](digest)


def to_dict(digest: Digest) -> dict:
    """The JSON shape documented in docs/digest.md."""
    return {"schema": JSON_SCHEMA, **dataclasses.asdict(digest)}


def render_json(digest: Digest) -> str:
    return json.dumps(to_dict(digest), ensure_ascii=False, indent=2) + "\n"


# -- Markdown ---------------------------------------------------------------------------------

def _md(text: str) -> str:
    """Scraped text made inert in Markdown: every markup character backslash-escaped."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join((text or "").split()))


def _md_link(title: str, url: str) -> str:
    safe = say.safe_url(url)
    if safe is None:
        return _md(title or url)
    return f"[{_md(title or safe)}]({safe.translate(_URL_QUOTED)})"


def render_markdown(digest: Digest) -> str:
    day = digest.day
    lines = [f"# Kemenham coverage, {say.day_title(day)}", "", f"**{say.counts_line(digest)}**", "",
             say.crawls_line(digest)]
    lines += [f"- ⚠ {_md(say.failed_line(f))}" for f in digest.crawls.failed_sources]
    if not digest.entries:
        lines += ["", say.empty_line(digest)]
    for number, entry in enumerate(digest.entries, 1):
        lines += ["", f"## {number}. {_md(entry.headline)}", "",
                  "_" + _md(" · ".join(say.entry_facts(entry, day))) + "_", ""]
        if entry.summary:
            lines += [_md(" ".join(entry.summary)), ""]
        for report, official in say.listed(entry):
            lines.append(f"- {_md_report(report, day, official=official)}")
            lines += [f"  - wire copy: {_md_report(c, day)}" for c in report.copies]
        lines += _md_release(entry, day)
        if entry.matched_terms:
            lines += ["", "Watch terms: " + _md(", ".join(entry.matched_terms))]
    if digest.late:
        lines += ["", "## Came in late", "", _md(say.late_line(digest))]
        for story, reports, rest in say.late_shown(digest):
            lines += ["", f"**{_md(story.headline)}**", ""]
            lines += [f"- {_md_report(report, day)}" for report in reports]
            lines += [f"- {rest}"] * bool(rest)
        more = say.late_more(digest)
        lines += ["", more] if more else []
    return "\n".join(lines) + "\n"


def _md_report(report: Report, day: str, official: bool = False) -> str:
    label = " (official)" if official else ""
    return (f"**{_md(report.source)}**{label}: {_md_link(report.title, report.url)}, "
            f"{say.report_time(report, day)}")


def _md_release(entry: Entry, day: str) -> list[str]:
    if entry.release is None:
        return []
    release = entry.release
    picked = ", ".join(_md(say.pickup(p)) for p in release.pickups) or "no outlet yet"
    return ["", (f"Started by a press release: {_md_report(release.report, day)}. "
                 f"Picked up by: {picked}.")]


# -- plain text -------------------------------------------------------------------------------

def _wrap(text: str, indent: str, lead: str | None = None) -> list[str]:
    """``text`` wrapped to the page, its lines after the first under ``indent`` (the first
    starts with ``lead``, else ``indent``), control characters (terminal escapes) dropped."""
    first = indent if lead is None else lead
    return textwrap.wrap(" ".join(text.translate(_CONTROL).split()), _WIDTH, initial_indent=first,
                         subsequent_indent=indent, break_on_hyphens=False) or [first.rstrip()]


def render_text(digest: Digest) -> str:
    day = digest.day
    lines = [f"KEMENHAM COVERAGE, {say.day_title(day).upper()}", say.counts_line(digest),
             *_wrap(say.crawls_line(digest), "")]
    for failed in digest.crawls.failed_sources:
        lines += _wrap(say.failed_line(failed), "    ", lead="  ! ")
    if not digest.entries:
        lines += ["", *_wrap(say.empty_line(digest), "")]
    for number, entry in enumerate(digest.entries, 1):
        lines += ["", *_wrap(entry.headline, "   ", f"{number}. "),
                  *_wrap(" · ".join(say.entry_facts(entry, day)), "   ")]
        if entry.summary:
            lines += _wrap(" ".join(entry.summary), "   ")
        for report, official in say.listed(entry):
            lines += _text_report(report, day, "   - ", official)
            for copy in report.copies:
                lines += _text_report(copy, day, "       wire copy: ")
        if entry.release is not None:
            release = entry.release
            picked = ", ".join(say.pickup(p) for p in release.pickups) or "no outlet yet"
            lines += _wrap(f"Started by a press release of {release.report.source}, "
                           f"{say.report_time(release.report, day)}. Picked up by: {picked}.",
                           "   ")
        if entry.matched_terms:
            lines += _wrap("Watch terms: " + ", ".join(entry.matched_terms), "   ")
    if digest.late:
        lines += ["", "CAME IN LATE", *_wrap(say.late_line(digest), "")]
        for story, reports, rest in say.late_shown(digest):
            lines += ["", *_wrap(story.headline, "")]
            for report in reports:
                lines += _text_report(report, day, "   - ")
            lines += [f"   - {rest}"] * bool(rest)
        more = say.late_more(digest)
        lines += ["", more] if more else []
    return "\n".join(lines) + "\n"


def _text_report(report: Report, day: str, lead: str, official: bool = False) -> list[str]:
    label = " (official)" if official else ""
    indent = " " * len(lead)
    return [*_wrap(f"{report.source}{label}, {say.report_time(report, day)}: {report.title}",
                   indent, lead),
            indent + report.url.translate(_CONTROL)]
