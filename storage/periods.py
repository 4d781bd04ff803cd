"""Turning the dates people type into the UTC bounds warta's times are compared with.

People think in WIB (UTC+7) days: ``--since 2025-11-20`` means from midnight in
Jakarta. Stored times are UTC ``YYYY-MM-DDTHH:MM:SSZ`` strings, which compare
correctly as text, so a bound is such a string and the comparison uses indexes.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

__all__ = ["WIB", "to_wib", "utc_bounds", "wib_day_start"]

WIB = timezone(timedelta(hours=7), "WIB")
_STORED = "%Y-%m-%dT%H:%M:%SZ"


def wib_day_start(day: date) -> str:
    """The UTC time at which WIB day ``day`` begins, in the stored format."""
    start = datetime(day.year, day.month, day.day, tzinfo=WIB)
    return start.astimezone(UTC).strftime(_STORED)


def utc_bounds(since: str | None, until: str | None) -> tuple[str | None, str | None]:
    """``[start, end)`` UTC bounds for the WIB days ``since`` to ``until``, both inclusive.

    Each may be a date (``2025-11-20``), a time with a zone
    (``2025-11-20T08:00:00Z``, ``2025-11-20T15:00+07:00``) or None for no bound.
    A time without a zone is read as WIB. Raises ValueError saying what is expected.
    """
    return _bound(since, "since", next_day=False), _bound(until, "until", next_day=True)


def _bound(value: str | None, name: str, next_day: bool) -> str | None:
    if value is None:
        return None
    try:
        if len(value) == 10:
            day = date.fromisoformat(value)
            return wib_day_start(day + timedelta(days=1) if next_day else day)
        moment = datetime.fromisoformat(value)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=WIB)
        return moment.astimezone(UTC).strftime(_STORED)
    except ValueError:
        raise ValueError(f"{name}: expected a date YYYY-MM-DD or a time like "
                         f"2025-11-20T08:00:00Z, got {value!r}") from None
    except OverflowError:  # the first or last representable day, shifted by the time zone
        raise ValueError(f"{name}: {value!r} is out of range (years 0002 to 9998)") from None


def to_wib(stored: str | None) -> str:
    """A stored UTC time as a Jakarta reader sees it, ``YYYY-MM-DD HH:MM`` ('' for None)."""
    if not stored:
        return ""
    moment = datetime.fromisoformat(stored)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(WIB).strftime("%Y-%m-%d %H:%M")
