"""How every digest format words the same facts: times in WIB, delays, status, the header.

The renderers share these so a digest reads alike as Markdown, plain text and
HTML. They return plain strings; each renderer escapes them for its format.
"""

from __future__ import annotations

from datetime import date
from urllib.parse import urlsplit

from storage.periods import to_wib
from warta.digest.model import Digest, Entry, FailedSource, LateStory, Pickup, Report

__all__ = [
    "LATE_REPORTS_SHOWN", "LATE_STORIES_SHOWN", "counts_line", "crawls_line", "day_title",
    "delay", "empty_line", "entry_facts", "failed_line", "late_line", "late_more",
    "late_shown", "listed", "pickup", "report_time", "safe_url", "status", "when",
]

# A backfill (a source added with its archive) can bring hundreds of late articles:
# the text formats show this many stories and reports a story; JSON has them all.
LATE_STORIES_SHOWN = 20
LATE_REPORTS_SHOWN = 5

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def day_title(day: str) -> str:
    """``2025-11-20`` as ``Thu 20 Nov 2025``."""
    d = date.fromisoformat(day)
    return f"{_DAYS[d.weekday()]} {d.day} {_MONTHS[d.month - 1]} {d.year}"


def when(stored: str, day: str) -> str:
    """A stored UTC time in WIB: ``13:10 WIB`` on ``day``, else with the date."""
    local = to_wib(stored)
    if local[:10] == day:
        return f"{local[11:]} WIB"
    return f"{_day_month(local[:10], day)} {local[11:]} WIB"


def report_time(report: Report, day: str) -> str:
    """When ``report`` appeared; a fetch time (no publication date found) and a date
    without a time say so, and so does an update on the day."""
    updated = f", updated {when(report.revised, day)}" if report.revised else ""
    if report.day_only:
        local = to_wib(report.at)[:10]
        shown = "today, no time given" if local == day else f"{_day_month(local, day)}, no time given"
    else:
        shown = when(report.at, day) if report.dated else f"fetched {when(report.at, day)}"
    return shown + updated


def _day_month(local: str, day: str) -> str:
    """WIB day ``local`` as ``18 Nov`` (``18 Nov 2024`` in another year than ``day``)."""
    d = date.fromisoformat(local)
    year = f" {d.year}" if d.year != date.fromisoformat(day).year else ""
    return f"{d.day} {_MONTHS[d.month - 1]}{year}"


def delay(minutes: int | None) -> str:
    """``+45 min``, ``+2 h 05 min``, ``+1 d 3 h``; ``no time given`` for None."""
    if minutes is None:
        return "no time given"
    sign = "-" if minutes < 0 else "+"
    minutes = abs(minutes)
    if minutes < 60:
        return f"{sign}{minutes} min"
    hours, rest = divmod(minutes, 60)
    if hours < 24:
        return f"{sign}{hours} h {rest:02d} min"
    days, hours = divmod(hours, 24)
    return f"{sign}{days} d {hours} h"


def status(entry: Entry, day: str) -> str:
    """``new today`` or ``continuing since 18 Nov 13:10 WIB``."""
    if entry.new:
        return "new today"
    first = entry.first_report
    since = _day_month(to_wib(first.at)[:10], day) if first.day_only else when(first.at, day)
    return f"continuing since {since}"


def listed(entry: Entry) -> list[tuple[Report, bool]]:
    """The reports an entry lists, each with whether its outlet is official: the day's
    reports outlet by outlet, then the updates (each with its wire copies under it)."""
    return ([(report, coverage.official) for coverage in entry.outlets for report in coverage.reports]
            + [(update, False) for update in entry.updates])


def entry_facts(entry: Entry, day: str) -> list[str]:
    """The short facts under a headline: status, outlets, articles, first report."""
    articles = f"{entry.article_count} article{_s(entry.article_count)}"
    if entry.wire_copies:
        articles += f" ({entry.wire_copies} wire cop{'y' if entry.wire_copies == 1 else 'ies'})"
    facts = [status(entry, day), f"{entry.outlet_count} outlet{_s(entry.outlet_count)}", articles]
    if entry.updates:
        facts.append(f"{entry.updated} updated")
    if not entry.new:
        facts.append(f"{entry.story_articles} in all")
    first = entry.first_report
    facts.append(f"first report: {first.source}, {report_time(first, day)}")
    return facts


def pickup(p: Pickup) -> str:
    """``Detak Berita +45 min`` (``(wire copy of Nusa)`` added for a copy)."""
    copy = f" (wire copy of {p.copy_of})" if p.copy_of else ""
    return f"{p.source} {delay(p.delay_minutes)}{copy}"


def counts_line(digest: Digest) -> str:
    c = digest.counts
    line = (f"{c.articles} article{_s(c.articles)} · {c.stories} stor{'y' if c.stories == 1 else 'ies'}"
            f" ({c.new_stories} new) · {c.outlets} outlet{_s(c.outlets)}")
    if c.unclustered:
        line += f" · {c.unclustered} relevant article{_s(c.unclustered)} not yet in a story"
    if c.late:
        line += f" · {c.late} late"
    if c.updated:
        line += f" · {c.updated} updated"
    return line


def late_line(digest: Digest) -> str:
    """What the section of late articles holds."""
    late = digest.counts.late
    return (f"{late} article{_s(late)} of earlier days came in after the digest of "
            f"{'its' if late == 1 else 'their'} day went out:")


def late_shown(digest: Digest) -> list[tuple[LateStory, tuple[Report, ...], str | None]]:
    """The late stories the text formats show, each with the reports shown and what is
    left out of it (``and 3 more``); :func:`late_more` tells the stories left out."""
    shown = []
    for story in digest.late[:LATE_STORIES_SHOWN]:
        rest = len(story.reports) - LATE_REPORTS_SHOWN
        shown.append((story, story.reports[:LATE_REPORTS_SHOWN],
                      f"and {rest} more" if rest > 0 else None))
    return shown


def late_more(digest: Digest) -> str | None:
    """``and 4 more stories with 9 late articles``, for the stories left out."""
    left = digest.late[LATE_STORIES_SHOWN:]
    if not left:
        return None
    articles = sum(len(story.reports) for story in left)
    return (f"and {len(left)} more stor{'y' if len(left) == 1 else 'ies'} with {articles} "
            f"late article{_s(articles)}")


def crawls_line(digest: Digest) -> str:
    """What the day's crawls were, or a warning that none ran."""
    crawls = digest.crawls
    if not crawls.runs and digest.counts.articles:  # a backfill, or a day looked back on
        return ("No crawl ran on this day; its articles were fetched by later crawls, "
                "so coverage may be incomplete.")
    if not crawls.runs:
        return "No crawl ran on this day: coverage may be missing."
    outcomes = ", ".join(f"{n} {outcome}" for outcome, n in crawls.outcomes.items())
    line = f"Crawls: {crawls.runs} run{_s(crawls.runs)} ({outcomes})."
    if crawls.failed_sources:
        line += " Coverage may be incomplete; sources with failures:"
    return line


def failed_line(failed: FailedSource) -> str:
    """``Kabar6: 3 URLs failed; 3 errors (feed, fetch): HTTP 503 (and 1 other reason)``."""
    name = failed.source or "crawl (no single source)"
    parts = []
    if failed.failed:
        parts.append(f"{failed.failed} URL{_s(failed.failed)} failed")
    if failed.errors:
        parts.append(f"{failed.errors} error{_s(failed.errors)} ({', '.join(failed.stages)})")
    text = f"{name}: {'; '.join(parts)}"
    if not failed.reason:
        return text
    others = failed.other_reasons
    more = f" (and {others} other reason{_s(others)})" if others else ""
    return f"{text}: {failed.reason}{more}"


def empty_line(digest: Digest) -> str:
    """The whole body of a digest with no stories, saying whether the crawls ran."""
    outcomes = digest.crawls.outcomes
    if not digest.crawls.runs:
        ran = "no crawl ran"
    elif outcomes.get("ok") or outcomes.get("partial"):
        ran = "the crawls ran and found none"
    else:
        ran = f"the crawls ran but none completed: {', '.join(outcomes)}"
    return f"No coverage of the ministry on {day_title(digest.day)} ({ran})."


def safe_url(url: str) -> str | None:
    """``url`` if it is an http(s) link, else None (never link a ``javascript:`` URL)."""
    parts = urlsplit(url or "")
    return url if parts.scheme in ("http", "https") and parts.netloc else None


def _s(count: int) -> str:
    return "" if count == 1 else "s"
