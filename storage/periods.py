"""Turning the dates people type into the UTC bounds warta's times are compared with.

People think in WIB (UTC+7) days: ``--since 2025-11-20`` means from midnight in
Jakarta. Stored times are UTC ``YYYY-MM-DDTHH:MM:SSZ`` strings, which compare
correctly as text, so a bound is such a string and the comparison uses indexes.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone

__all__ = ["WIB", "check_day", "to_wib", "utc_bounds", "wib_day_start"]

WIB = timezone(timedelta(hours=7), "WIB")
FIRST_DAY, LAST_DAY = date(2, 1, 1), date(9998, 12, 31)  # days whose neighbours exist too
_STORED = "%Y-%m-%dT%H:%M:%SZ"


def wib_day_start(day: date) -> str:
    """The UTC time at which WIB day ``day`` begins, in the stored format."""
    start = datetime(day.year, day.month, day.day, tzinfo=WIB)
    return start.astimezone(UTC).strftime(_STORED)


def utc_bounds(since: str | None, until: str | None) -> tuple[str | None, str | None]:
    """``[start, end)`` UTC bounds for the WIB days ``since`` to ``until``, both inclusive.

    Each may be a date (``2025-11-20``), a time with a zone
    (``2025-11-20T08:00:00Z``, ``2025-11-20T15:00+07:00``) or None for no bound.
    A time without a zone is read as WIB. An ``until`` time includes the whole of its
    last written unit: ``T15:00`` runs to 15:00:59. Raises ValueError saying what is
    expected.
    """
    start, end = _bound(since, "since", next_day=False), _bound(until, "until", next_day=True)
    if start is not None and end is not None and start >= end:
        raise ValueError(f"--since {since} comes after --until {until}: nothing lies between")
    return start, end


def check_day(day: date, name: str) -> date:
    """``day``, or ValueError when it is so near the ends of the calendar that its WIB
    bounds or its neighbours cannot be represented."""
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ValueError(f"{name}: " * bool(name) + f"{day.isoformat()!r} is out of range "
                         f"(years {FIRST_DAY.year:04d} to {LAST_DAY.year})")
    return day


def _bound(value: str | None, name: str, next_day: bool) -> str | None:
    if value is None:
        return None
    try:
        moment = date.fromisoformat(value) if len(value) == 10 else datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{name}: expected a date YYYY-MM-DD or a time like "
                         f"2025-11-20T08:00:00Z, got {value!r}") from None
    day = check_day(moment if type(moment) is date else moment.date(), name)
    if type(moment) is date:
        return wib_day_start(day + timedelta(days=1) if next_day else day)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=WIB)
    if next_day:
        moment += _UNIT[_PRECISION.search(value).lastindex]
    return moment.astimezone(UTC).strftime(_STORED)


# How finely a time is written: hours, minutes or seconds (and fractions of them).
_PRECISION = re.compile(r"[T ]\d{2}(?:(:?\d{2})(?:(:?\d{2}(?:[.,]\d+)?))?)?")
_UNIT = {None: timedelta(hours=1), 1: timedelta(minutes=1), 2: timedelta(seconds=1)}


def to_wib(stored: str | None) -> str:
    """A stored UTC time as a Jakarta reader sees it, ``YYYY-MM-DD HH:MM`` ('' for None)."""
    if not stored:
        return ""
    moment = datetime.fromisoformat(stored)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(WIB).strftime("%Y-%m-%d %H:%M")
