"""The daily digest as data: one entry per story active on a WIB day, ranked by coverage.

``build_digest`` turns the rows ``storage.digests`` reads into a :class:`Digest`;
it does no I/O, so ranking, wire-copy grouping, new-or-continuing and press-release
pickup are plain functions of their input. Times stay UTC ISO-8601 strings as
stored; renderers show them in WIB.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from storage.periods import to_wib

__all__ = [
    "Counts", "Crawls", "Digest", "Entry", "FailedSource", "LateStory", "OutletCoverage",
    "Pickup", "Release", "Report", "build_digest", "rank_key",
]


@dataclass(frozen=True)
class Report:
    """One article: ``at`` is its publication time, or its fetch time when ``dated`` is
    false; when ``day_only`` (the page gives a date without a time) it is a time on that
    day it is known to have been out by (see ``storage.articles.reported_at``).
    ``copies`` are the day's wire copies of it published by other outlets; ``revised``
    is when a report of an earlier day was revised on the day, else None."""

    id: int
    source: str
    title: str
    url: str
    at: str
    dated: bool
    today: bool
    copies: tuple[Report, ...] = ()
    day_only: bool = False
    revised: str | None = None


@dataclass(frozen=True)
class OutletCoverage:
    """An outlet's own reports of a story on the day (wire copies sit under their original)."""

    source: str
    official: bool
    reports: tuple[Report, ...]


@dataclass(frozen=True)
class Pickup:
    """An outlet's first report of a story an official release started, and how long after."""

    source: str
    title: str
    url: str
    at: str
    delay_minutes: int | None  # None when the release or this report gives a day alone
    copy_of: str | None  # the source whose report this one copies, if it is a wire copy


@dataclass(frozen=True)
class Release:
    report: Report
    pickups: tuple[Pickup, ...]


@dataclass(frozen=True)
class Entry:
    story_id: int
    headline: str
    summary: tuple[str, ...]
    first_report: Report
    new: bool
    outlets: tuple[OutletCoverage, ...]
    outlet_count: int  # media outlets with a report on the day (official sources excluded)
    report_count: int  # the day's own reports (wire copies excluded)
    article_count: int  # every article of the day: reports, wire copies, releases
    wire_copies: int
    story_articles: int  # all days
    story_outlets: int  # outlets with their own report on any day (official excluded)
    matched_terms: tuple[str, ...]
    release: Release | None  # the official release that started the story
    updates: tuple[Report, ...] = ()  # its reports of earlier days revised on the day

    @property
    def updated(self) -> int:
        """Its articles revised on the day: the updates with the wire copies under them,
        and the reports listed among the outlets' (an earlier day's report whose copies
        came out on the day) that were revised too."""
        return (sum(1 + len(update.copies) for update in self.updates)
                + sum(r.revised is not None for c in self.outlets for r in c.reports))


@dataclass(frozen=True)
class LateStory:
    """A story's articles of earlier days that came in after their day's digest went out."""

    story_id: int
    headline: str
    reports: tuple[Report, ...]  # oldest first


@dataclass(frozen=True)
class Counts:
    articles: int
    stories: int
    new_stories: int
    outlets: int
    unclustered: int  # relevant articles of the day not (yet) in any story
    late: int  # articles of earlier days first named in this digest
    updated: int = 0  # articles of earlier days revised on the day


@dataclass(frozen=True)
class FailedSource:
    source: str | None
    failed: int
    fetched: int
    errors: int
    stages: tuple[str, ...]
    reason: str | None
    other_reasons: int


@dataclass(frozen=True)
class Crawls:
    runs: int
    outcomes: dict[str, int]
    failed_sources: tuple[FailedSource, ...]


@dataclass(frozen=True)
class Digest:
    day: str
    generated_at: str
    counts: Counts
    crawls: Crawls
    entries: tuple[Entry, ...]
    late: tuple[LateStory, ...]  # most late articles first


def build_digest(
    day: date,
    stories: Sequence[dict],
    crawls: dict,
    unclustered: int,
    summarize: Callable[[list[str]], list[str]],
    generated_at: str,
    late: Sequence[dict] = (),
) -> Digest:
    """The digest of ``day`` from ``storage.digests`` rows (``day_stories``, ``day_crawls``,
    ``late_articles``).

    ``summarize`` turns the texts of a story's reports of the day into sentences.
    """
    entries = sorted((_entry(day, story, summarize) for story in stories), key=rank_key)
    articles = [a for story in stories for a in story["articles"] if a["today"]]
    counts = Counts(
        articles=len(articles),
        stories=len(entries),
        new_stories=sum(e.new for e in entries),
        outlets=len({a["source"] for story in stories for a in _own_today(story)
                     if not a["official"]}),
        unclustered=unclustered,
        late=len(late),
        updated=sum(e.updated for e in entries),
    )
    failed = tuple(FailedSource(f["source"], f["failed"], f["fetched"], f["errors"],
                                tuple(f["stages"]), f["reason"], f["other_reasons"])
                   for f in crawls["failed_sources"])
    return Digest(day.isoformat(), generated_at, counts,
                  Crawls(crawls["runs"], dict(crawls["outcomes"]), failed), tuple(entries),
                  _late_stories(late))


def _late_stories(late: Sequence[dict]) -> tuple[LateStory, ...]:
    """Late articles by story: the story with the most first, then the oldest."""
    by_story: dict[int, list[dict]] = {}
    for a in sorted(late, key=lambda a: (a["at"], a["id"])):
        by_story.setdefault(a["cluster_id"], []).append(a)
    stories = [LateStory(story_id, rows[0]["headline"] or rows[0]["title"] or "",
                         tuple(map(_report, rows)))
               for story_id, rows in by_story.items()]
    return tuple(sorted(stories, key=lambda s: (-len(s.reports), s.reports[0].at, s.story_id)))


def rank_key(entry: Entry) -> tuple:
    """Most outlets first, then most reports, then most articles, then most updates;
    earlier stories break ties."""
    return (-entry.outlet_count, -entry.report_count, -entry.article_count,
            -entry.updated, entry.first_report.at, entry.story_id)


def _own_today(story: dict) -> list[dict]:
    """The story's articles of the day that copy none of its others."""
    by_id = {a["id"]: a for a in story["articles"]}
    return [a for a in story["articles"] if a["today"] and _original(a, by_id) == a["id"]]


def _headline(story: dict, own_today: list[dict], fresh: list[dict]) -> str:
    """The story's headline when its representative report is of the day; else, for a
    story going on from earlier days, the title of the day's first own report by a
    media outlet (or of its first report revised that day, when it has no report of the
    day): what is new that day, and the same whenever the day is made again. ``fresh``
    is what the day brought: its own reports, else its articles, else its updates."""
    leading = next((a for a in fresh if not a["official"]), fresh[0])
    if any(a["id"] == story["representative_article_id"] for a in own_today):
        return story["headline"] or leading["title"] or ""
    return leading["title"] or story["headline"] or ""


def _entry(day: date, story: dict, summarize: Callable[[list[str]], list[str]]) -> Entry:
    rows = sorted(story["articles"], key=lambda a: (a["at"], a["id"]))
    by_id = {a["id"]: a for a in rows}
    origin = {a["id"]: _original(a, by_id) for a in rows}
    today = [a for a in rows if a["today"]]
    copies: dict[int, list[dict]] = {}
    for a in today:
        if origin[a["id"]] != a["id"]:
            copies.setdefault(origin[a["id"]], []).append(a)
    first = rows[0]
    release = _release(first, rows, by_id, origin) if first["official"] else None
    originals = [a for a in rows if ((a["today"] and origin[a["id"]] == a["id"]) or a["id"] in copies)
                 and not (release and a["id"] == first["id"])]  # the release has its own place

    outlets: dict[str, list[Report]] = {}
    for a in originals:
        outlets.setdefault(a["source"], []).append(
            _report(a, tuple(_report(c) for c in copies.get(a["id"], ()))))
    coverage = tuple(OutletCoverage(source, _official(rows, source),
                                    tuple(reports)) for source, reports in outlets.items())

    own_today = _own_today(story)
    revised = [a for a in rows if a["revised"]]
    texts = ([a["text"] for a in own_today if a["text"]] or [a["text"] for a in today if a["text"]]
             or [a["text"] for a in revised if a["text"]])
    terms = Counter(t for a in today or revised for t in dict.fromkeys(a["matched_terms"]))
    return Entry(
        story_id=story["id"],
        headline=_headline(story, own_today, own_today or today or revised),
        summary=tuple(summarize(texts)),
        first_report=_report(first),
        new=_wib_day(first["at"]) == day,
        outlets=coverage,
        outlet_count=len({a["source"] for a in own_today if not a["official"]}),
        report_count=sum(not a["official"] for a in own_today),
        article_count=len(today),
        wire_copies=len(today) - len(own_today),
        story_articles=len(rows),
        story_outlets=len({a["source"] for a in rows
                           if not a["official"] and origin[a["id"]] == a["id"]}),
        matched_terms=tuple(term for term, _ in terms.most_common()),
        release=release,
        updates=_updates([a for a in revised if a not in originals], origin),
    )


def _updates(revised: list[dict], origin: dict[int, int]) -> tuple[Report, ...]:
    """The reports revised on the day, each wire copy revised with its original listed
    under it (as a copy of the day's report is), not as an update of its own."""
    ids = {a["id"] for a in revised}
    copies: dict[int, list[dict]] = {}
    for a in revised:
        if origin[a["id"]] != a["id"] and origin[a["id"]] in ids:
            copies.setdefault(origin[a["id"]], []).append(a)
    nested = {c["id"] for group in copies.values() for c in group}
    return tuple(_report(a, tuple(map(_report, copies.get(a["id"], ()))))
                 for a in revised if a["id"] not in nested)


def _official(rows: Sequence[dict], source: str) -> bool:
    return any(a["official"] for a in rows if a["source"] == source)


def _original(article: dict, by_id: dict[int, dict]) -> int:
    """The id of the report ``article`` copies (following chains), or its own id.

    A copy whose original is not part of the story stands as a report of its own.
    """
    current, seen = article, {article["id"]}
    while current["duplicate_of"] in by_id and current["duplicate_of"] not in seen:
        current = by_id[current["duplicate_of"]]
        seen.add(current["id"])
    return current["id"]


def _release(first: dict, rows: list[dict], by_id: dict[int, dict],
             origin: dict[int, int]) -> Release:
    """The official report that started the story and each outlet's first report after it."""
    pickups: dict[str, Pickup] = {}
    for a in rows:
        if a["official"] or a["source"] in pickups:
            continue
        original = by_id[origin[a["id"]]]
        pickups[a["source"]] = Pickup(
            source=a["source"], title=a["title"] or "", url=a["url"],
            at=a["at"], delay_minutes=None if not (_timed(first) and _timed(a))
            else _minutes_between(first["at"], a["at"]),
            copy_of=original["source"] if original["id"] != a["id"] else None)
    return Release(_report(first), tuple(sorted(pickups.values(), key=lambda p: (p.at, p.source))))


def _report(a: dict, copies: tuple[Report, ...] = ()) -> Report:
    return Report(id=a["id"], source=a["source"], title=a["title"] or "",
                  url=a["url"], at=a["at"], dated=a["published_at"] is not None,
                  today=a["today"], copies=copies, day_only=_day_only(a),
                  revised=a["revised_at"] if a.get("revised") else None)


def _day_only(a: dict) -> bool:
    return a.get("published_precision") == "day"


def _timed(a: dict) -> bool:
    """Whether the page gave the time it came out (not a day alone, not nothing: the
    time of an undated report is when warta fetched it)."""
    return a["published_at"] is not None and not _day_only(a)


def _parse(stored: str) -> datetime:
    return datetime.fromisoformat(stored)


def _minutes_between(start: str, end: str) -> int:
    return round((_parse(end) - _parse(start)).total_seconds() / 60)


def _wib_day(stored: str) -> date:
    return date.fromisoformat(to_wib(stored)[:10])
