"""Publication times as Indonesian pages write them, turned into UTC.

Machine-readable values (ISO-8601, RFC 2822, "2015/11/05 10:08:45") and visible
ones: "Senin, 24 November 2025 16:40 WIB", "24/11/2025, 16:40 WIB", "Kamis,
05/11/2015 09:25 WIB", "16:40 WIB, Senin 24 November 2025", "November 24, 2025
4:40 PM", "24 Nov 2025", "2025-11-24 14:30", "2 jam lalu", "Kemarin, 14:05". A time
without a zone is Jakarta time (WIB, UTC+7), what Indonesian outlets print; WITA is
UTC+8, WIT UTC+9, and the neighbours' MYT and SGT UTC+8.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

__all__ = [
    "WIB",
    "is_timestamp_line",
    "local_zone",
    "machine_day_only",
    "names_zone",
    "parse_machine_date",
    "parse_url_date",
    "parse_visible_date",
    "shows_day_only",
    "to_utc_iso",
]

WIB = timezone(timedelta(hours=7), "WIB")
ZONES = {
    "wib": WIB,
    "wita": timezone(timedelta(hours=8), "WITA"),
    "wit": timezone(timedelta(hours=9), "WIT"),
    "myt": timezone(timedelta(hours=8), "MYT"),
    "sgt": timezone(timedelta(hours=8), "SGT"),
    "utc": UTC,
    "gmt": UTC,
    "z": UTC,
}
# Countries whose pages read in a zone of their own when they name none (by the top
# domain of the address or the region of the declared language).
_COUNTRY_ZONES = {"my": ZONES["myt"], "sg": ZONES["sgt"], "bn": timezone(timedelta(hours=8), "BNT")}
MONTHS = {
    "januari": 1, "jan": 1, "january": 1,
    "februari": 2, "pebruari": 2, "feb": 2, "february": 2, "peb": 2,
    "maret": 3, "mar": 3, "march": 3,
    "april": 4, "apr": 4,
    "mei": 5, "may": 5,
    "juni": 6, "jun": 6, "june": 6,
    "juli": 7, "jul": 7, "july": 7,
    "agustus": 8, "agu": 8, "agt": 8, "ags": 8, "aug": 8, "august": 8,
    "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "okt": 10, "oct": 10, "october": 10,
    "november": 11, "nov": 11, "nopember": 11, "nop": 11,
    "desember": 12, "des": 12, "dec": 12, "december": 12,
}
DAYS = (
    "senin", "selasa", "rabu", "kamis", "jumat", "jum'at", "sabtu", "minggu", "ahad",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "mon", "tue", "wed", "thu", "fri", "sat", "sun",
)
RELATIVE_UNITS = {
    "detik": "seconds", "menit": "minutes", "jam": "hours", "hari": "days", "minggu": "weeks",
    "second": "seconds", "seconds": "seconds", "minute": "minutes", "minutes": "minutes",
    "hour": "hours", "hours": "hours", "day": "days", "days": "days",
    "week": "weeks", "weeks": "weeks",
}
EARLIEST = datetime(1995, 1, 1, tzinfo=UTC)  # before this no Indonesian site was online

_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_DAY = "|".join(sorted(DAYS, key=len, reverse=True))
_ZONE = r"(?P<zone>WIB|WITA|WIT|MYT|SGT|UTC|GMT)?(?:\s*(?P<offset>[+-]\d{1,2}(?::?\d{2})?))?"
_CLOCK = (r"(?:pukul|jam|pkl\.?|at)?\s*(?P<hour>\d{1,2})[:.](?P<minute>\d{2})(?:[:.](?P<second>\d{2}))?"
          r"(?:\s*(?P<half>[ap])\.?\s?m\b\.?)?")
_TIME = rf"(?:[,\s]+{_CLOCK})?"
# What may stand between a date and its time: "24 Nov 2025 | 16:40", "• 16:40", "/ 4:40 pm"
_DATE_TIME_SEP = r"(?:\s*[|–—•·●/@-])?"
# A time written before the date: "16:40 WIB, Senin 24 November 2025"
_TIME_BEFORE = re.compile(rf"(?<![\w:.]){_CLOCK}\s*{_ZONE}\s*[,|–-]?\s*$", re.IGNORECASE)
_DAY_PREFIX = rf"(?:(?:{_DAY})\s*,?\s*)?"
_VISIBLE = [
    # 24 November 2025 16:40 WIB / Senin, 24 Nov 2025 | 16:40 / 04 November, 2015 | 07:28
    re.compile(
        _DAY_PREFIX + rf"(?P<day>\d{{1,2}})\s+(?P<month>{_MONTH})\.?,?\s+(?P<year>\d{{4}})"
        + _DATE_TIME_SEP + _TIME + r"\s*" + _ZONE,
        re.IGNORECASE,
    ),
    # 24/11/2025, 16:40 WIB / 24-11-2025 (day first, as Indonesia writes it)
    re.compile(
        _DAY_PREFIX + r"(?P<day>\d{1,2})[/.-](?P<month>\d{1,2})[/.-](?P<year>\d{4})"
        + _DATE_TIME_SEP + _TIME + r"\s*" + _ZONE,
        re.IGNORECASE,
    ),
    # November 24, 2025 4:40 (English month first)
    re.compile(
        _DAY_PREFIX + rf"(?P<month>{_MONTH})\.?\s+(?P<day>\d{{1,2}}),?\s+(?P<year>\d{{4}})"
        + _DATE_TIME_SEP + _TIME + r"\s*" + _ZONE,
        re.IGNORECASE,
    ),
    # 2025-11-24 14:30 / 2025/11/24 | 14:30 WITA (year first, as a database prints it)
    re.compile(
        _DAY_PREFIX + r"(?<!\d)(?P<year>\d{4})[/.-](?P<month>\d{1,2})[/.-](?P<day>\d{1,2})(?!\d)"
        + _DATE_TIME_SEP + _TIME + r"\s*" + _ZONE,
        re.IGNORECASE,
    ),
]
# "Kemarin, 14:05", "Hari ini 09:30 WIB": a day named by its distance from the fetch.
_DAY_WORD = re.compile(rf"(?<!\w)(?P<day_word>hari ini|kemarin|today|yesterday)\b\s*,?\s*{_CLOCK}\s*{_ZONE}",
                       re.IGNORECASE)
_DAYS_BACK = {"hari ini": 0, "today": 0, "kemarin": 1, "yesterday": 1}
_RELATIVE = re.compile(
    r"(?<!\w)(?P<amount>\d+|se|an?)\s*(?P<unit>detik|menit|jam|hari|minggu|seconds?|minutes?|hours?|days?|weeks?)"
    r"\s+(?:yang\s+)?(?:lalu|ago)",
    re.IGNORECASE,
)
# A permalink's date: "/2025/11/19/slug", "/read/2025/11/19/10000061/slug".
_URL_DATE = re.compile(r"/((?:19|20)\d{2})/(\d{1,2})/(\d{1,2})(?=/|$)")
_MACHINE = re.compile(
    r"(?P<year>\d{4})[-/.](?P<month>\d{1,2})[-/.](?P<day>\d{1,2})"
    r"(?:[T\s]+(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:\.\d+)?)?)?"
    r"\s*(?P<tz>Z|[+-]\d{2}:?\d{2}|WIB|WITA|WIT|UTC|GMT)?",
    re.IGNORECASE,
)
# What may surround a date on a line that holds nothing else.
_STAMP_WORDS = re.compile(
    r"(?i)\b(?:diperbarui|diperbaharui|dipublikasikan|diterbitkan|dipublish|terbit|tayang|"
    r"update|updated|published|posted|diposting|pada|pukul|jam|wib|wita|wit)\b"
)


def to_utc_iso(moment: datetime) -> str:
    """``moment`` as warta stores times: ``YYYY-MM-DDTHH:MM:SSZ`` (a naive one is WIB)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=WIB)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _plausible(moment: datetime, now: datetime | None) -> datetime | None:
    aware = moment if moment.tzinfo else moment.replace(tzinfo=WIB)  # RFC 2822 "-0000"
    latest = (now or datetime.now(UTC)) + timedelta(days=2)
    return aware if EARLIEST <= aware <= latest else None


def local_zone(url: str | None, language: str | None) -> timezone:
    """The zone of a page's times that name none: Malaysia's, Singapore's or Brunei's
    for a page at such an address or in Malay, else Jakarta's (WIB)."""
    host = urlsplit(url or "").hostname or ""
    country = host.rpartition(".")[2]
    primary, _, region = (language or "").casefold().replace("_", "-").partition("-")
    for code in (country, region, "my" if primary == "ms" else ""):
        if code in _COUNTRY_ZONES:
            return _COUNTRY_ZONES[code]
    return WIB


def _zone_of(zone: str | None, offset: str | None, local: timezone = WIB) -> timezone:
    """The zone named (WIB, WITA, WIT, UTC) or the offset given ("+07:00", "+0700", "+7");
    ``local`` when neither is."""
    if not offset:
        return ZONES.get(zone.casefold(), local) if zone else local
    sign = -1 if offset[0] == "-" else 1
    digits = offset[1:].replace(":", "")
    hours, minutes = (digits[:-2], digits[-2:]) if len(digits) > 2 else (digits, "0")
    return timezone(sign * timedelta(hours=int(hours), minutes=int(minutes)))


def _build(year, month, day, hour, minute, second, tz, now) -> datetime | None:
    try:
        moment = datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0),
                          int(second or 0), tzinfo=tz)
    except ValueError:
        return None
    return _plausible(moment, now)


def parse_machine_date(value: str, now: datetime | None = None,
                       local: timezone = WIB) -> datetime | None:
    """A date from metadata: ISO-8601 and its common variants, or RFC 2822 (one with
    no zone is in ``local``)."""
    value = (value or "").strip()
    if not value:
        return None
    match = _MACHINE.search(value)
    if match:
        tz_text = match["tz"]
        if tz_text and tz_text[0] in "+-":
            tz = _zone_of(None, tz_text)
        else:
            tz = _zone_of(tz_text, None, local)
        return _build(match["year"], match["month"], match["day"], match["hour"],
                      match["minute"], match["second"], tz, now)
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return _plausible(moment, now)


def machine_day_only(value: str) -> bool:
    """Whether a machine-readable date is a day without a time ("2025-11-24")."""
    match = _MACHINE.search(value or "")
    return match is not None and match["hour"] is None


def names_zone(value: str) -> bool:
    """Whether a machine-readable date says its zone or offset (RFC 2822 always does)."""
    match = _MACHINE.search(value or "")
    return match is None or match["tz"] is not None


def parse_url_date(url: str | None, now: datetime | None = None,
                   local: timezone = WIB) -> datetime | None:
    """The day a page's address gives ("/2025/11/19/slug"), midnight in ``local``."""
    match = _URL_DATE.search(url or "")
    return _build(*match.groups(), None, None, None, local, now) if match else None


def _visible_match(text: str) -> tuple[int, int, dict] | None:
    """Where a visible date is in ``text`` (with a time written before it) and its
    fields: day, month (a number), year, hour, minute, second, half (a/p), zone, offset."""
    for pattern in _VISIBLE:
        match = pattern.search(text)
        if match:
            fields = match.groupdict()
            month = fields["month"]
            fields["month"] = int(month) if month.isdigit() else MONTHS[month.casefold()]
            start = match.start()
            before = _TIME_BEFORE.search(text, 0, start) if fields["hour"] is None else None
            if before:
                start = before.start()
                fields.update({k: v for k, v in before.groupdict().items()
                               if v is not None and (k not in ("zone", "offset")
                                                     or not (fields["zone"] or fields["offset"]))})
            return start, match.end(), fields
    return None


def _hour(hour: str | None, half: str | None) -> str | None:
    """A 24-hour clock's hour from a 12-hour one's ("4" and "p" are 16)."""
    if hour is None or half is None or not 1 <= int(hour) <= 12:
        return hour
    return str(int(hour) % 12 + (12 if half.casefold() == "p" else 0))


def shows_day_only(text: str) -> bool:
    """Whether the date ``text`` shows is a day without a time ("Selasa (18/11/2025)")."""
    found = _visible_match(" ".join((text or "").split()))
    return found is not None and found[2]["hour"] is None


def parse_visible_date(text: str, now: datetime | None = None,
                       local: timezone = WIB) -> datetime | None:
    """A date as a page shows it to readers, or ``None`` (one with no zone is in ``local``).

    Relative times ("2 jam lalu", "5 menit yang lalu") count back from ``now``
    (the fetch time), which they need."""
    text = " ".join((text or "").split())
    found = _visible_match(text)
    if found:
        date = found[2]
        tz = _zone_of(date["zone"], date["offset"], local)
        return _build(date["year"], date["month"], date["day"], _hour(date["hour"], date["half"]),
                      date["minute"], date["second"], tz, now)
    named = _DAY_WORD.search(text)
    if named and now is not None:
        tz = _zone_of(named["zone"], named["offset"], local)
        day = (now.astimezone(tz) - timedelta(days=_DAYS_BACK[named["day_word"].casefold()])).date()
        return _build(day.year, day.month, day.day, _hour(named["hour"], named["half"]),
                      named["minute"], named["second"], tz, now)
    relative = _RELATIVE.search(text)
    if relative and now is not None:
        amount = relative["amount"]
        count = int(amount) if amount.isdigit() else 1
        unit = RELATIVE_UNITS[relative["unit"].casefold()]
        return now - timedelta(**{unit: count})
    return None


def is_timestamp_line(line: str) -> bool:
    """Is ``line`` nothing but a date stamp ("- Kamis, 05/11/2015 09:25 WIB")?"""
    if len(line) > 80:
        return False
    found = _visible_match(line)
    if found:
        start, end, _ = found
        rest = line[:start] + line[end:]
    else:
        relative = _RELATIVE.search(line)
        if not relative:
            return False
        rest = line[: relative.start()] + line[relative.end():]
    rest = _STAMP_WORDS.sub(" ", rest)
    return not re.search(r"\w", rest)
