"""The warta configuration: one TOML file, validated at start.

Every section is a frozen dataclass. ``load_config`` reads the file, refuses
unknown keys and wrong types, and raises :class:`ConfigError` naming the file,
the key and what was expected, so a broken config stops a run before it starts.
"""

from __future__ import annotations

import dataclasses
import math
import re
import tomllib
import types
import typing
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from urllib.parse import urlsplit

__all__ = [
    "DEFAULT_CONFIG_NAME",
    "Config",
    "ConfigError",
    "CrawlJob",
    "CrawlSettings",
    "DigestSettings",
    "ScheduleSettings",
    "SmtpSettings",
    "Source",
    "WatchTerms",
    "WebhookSettings",
    "load_config",
]

DEFAULT_CONFIG_NAME = "warta.toml"
_TIME_OF_DAY = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
_NAME = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")


class ConfigError(Exception):
    """A configuration file that cannot be used, with the place and the reason."""

    def __init__(self, path: Path | str, key: str, expected: str):
        self.path, self.key, self.expected = str(path), key, expected
        where = f"{self.path}: {key}: " if key else f"{self.path}: "
        super().__init__(where + expected)


@dataclass(frozen=True)
class CrawlSettings:
    """Politeness and limits that apply to every source unless it overrides them."""

    contact: str = "https://github.com/warta-news/warta"
    concurrency: int = 8
    per_domain_concurrency: int = 2
    delay: float = 1.0
    max_pages: int = 500
    recheck_hours: float = 0.0
    retry_refused_days: float = 3.0
    sitemap_window_days: float = 7.0
    timeout: float = 30.0
    retries: int = 3
    max_page_bytes: int = 5_000_000
    autothrottle: bool = True
    obey_robots: bool = True
    extract_workers: int = 0


@dataclass(frozen=True)
class WatchTerms:
    """What makes an article ministry coverage, and what alone does not.

    ``people`` are the names of the ministry's people, which count only in an article
    that also names the ministry or one of its offices (a ``terms`` entry): a name is
    also its namesakes'. An article dated before ``since`` (the day the ministry was
    formed) is not coverage of it, whatever it names."""

    terms: list[str] = field(default_factory=list)
    people: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    threshold: float = 1.0
    since: date | None = None


@dataclass(frozen=True)
class Source:
    """One outlet (or search feed) and how to find its articles."""

    name: str
    feeds: list[str] = field(default_factory=list)
    sitemaps: list[str] = field(default_factory=list)
    start_urls: list[str] = field(default_factory=list)
    article_pattern: str | None = None
    aliases: list[str] = field(
        default_factory=list
    )  # hosts serving variants (mobile, AMP) of its pages
    canonical_host: str | None = (
        None  # host the aliases map to; default: host of the first entry point
    )
    full_text_param: str | None = (
        None  # query that returns a multi-page article whole, e.g. "page=all"
    )
    official: bool = False
    search: bool = False
    group: str = "default"
    concurrency: int | None = None
    delay: float | None = None
    max_pages: int | None = None

    @property
    def entry_points(self) -> list[str]:
        return [*self.feeds, *self.sitemaps, *self.start_urls]


@dataclass(frozen=True)
class CrawlJob:
    """A scheduled crawl of one source group (or of every source)."""

    id: str
    groups: list[str] = field(default_factory=list)
    interval_minutes: int | None = None
    cron: str | None = None
    budget_minutes: int = 50


@dataclass(frozen=True)
class ScheduleSettings:
    timezone: str = "Asia/Jakarta"
    crawls: list[CrawlJob] = field(
        default_factory=lambda: [CrawlJob(id="crawl-all", interval_minutes=60)]
    )
    digest_time: str = "07:00"
    maintenance_cron: str = "30 3 * * sun"
    misfire_grace_seconds: int = 900
    log_file: str = "data/logs/warta.log"
    json_logs: bool = False


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int = 587
    starttls: bool = True
    ssl: bool = False  # implicit TLS from the first byte (port 465) instead of STARTTLS
    user: str | None = None
    password_env: str = "WARTA_SMTP_PASSWORD"
    sender: str = "warta@localhost"
    recipients: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class WebhookSettings:
    url: str
    timeout: float = 10.0


@dataclass(frozen=True)
class DigestSettings:
    format: str = "md"
    out_dir: str = "data/digests"
    retries: int = 3
    smtp: SmtpSettings | None = None
    webhook: WebhookSettings | None = None

    @property
    def sends(self) -> bool:
        """Whether a digest is sent anywhere (by e-mail or webhook), not only written."""
        return self.smtp is not None or self.webhook is not None


@dataclass(frozen=True)
class Config:
    """The whole configuration; ``path`` is the file it came from."""

    database: str = "data/warta.db"
    crawl: CrawlSettings = field(default_factory=CrawlSettings)
    watch: WatchTerms = field(default_factory=WatchTerms)
    sources: list[Source] = field(default_factory=list)
    schedule: ScheduleSettings = field(default_factory=ScheduleSettings)
    digest: DigestSettings = field(default_factory=DigestSettings)
    path: str = field(default=DEFAULT_CONFIG_NAME, metadata={"internal": True})

    def source(self, name: str) -> Source:
        for source in self.sources:
            if source.name == name:
                return source
        known = ", ".join(s.name for s in self.sources) or "none"
        raise ConfigError(self.path, "sources", f"no source named {name!r} (known: {known})")

    def with_database(self, database: str | None) -> Config:
        return self if database is None else dataclasses.replace(self, database=database)


def load_config(path: Path | str) -> Config:
    """Read and validate ``path``; raise :class:`ConfigError` on any problem."""
    path = Path(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(path, "", "file not found (pass --config FILE or create warta.toml)")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(path, "", f"cannot read the file ({exc})") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(path, "", f"not valid TOML ({exc})") from exc
    config = _build(Config, raw, path, "")
    _check(config, path, raw)
    return dataclasses.replace(config, path=str(path))


def _build(cls: type, data: object, path: Path, where: str):
    if not isinstance(data, dict):
        raise ConfigError(path, where or "(top level)", f"expected a table, got {_kind(data)}")
    hints = typing.get_type_hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls) if not f.metadata.get("internal")}
    unknown = sorted(set(data) - set(fields))
    if unknown:
        allowed = ", ".join(sorted(fields))
        raise ConfigError(path, _join(where, unknown[0]), f"unknown key (allowed here: {allowed})")
    values = {}
    for name, f in fields.items():
        key = _join(where, name)
        if name in data:
            values[name] = _convert(hints[name], data[name], path, key)
        elif f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
            raise ConfigError(path, key, "required key is missing")
    return cls(**values)


def _item_key(key: str, index: int, value: object) -> str:
    """Where item ``index`` of list ``key`` is, counted from 0 and, for a table with a
    name, named: "sources[3] (kabar6)"."""
    name = value.get("name") if isinstance(value, dict) else None
    return f"{key}[{index}]" + (f" ({name})" if isinstance(name, str) and name else "")


def _convert(hint, value, path: Path, key: str):
    origin = typing.get_origin(hint)
    if origin in (types.UnionType, typing.Union):
        inner = next(a for a in typing.get_args(hint) if a is not type(None))
        return _convert(inner, value, path, key)
    if origin is list:
        (item,) = typing.get_args(hint)
        if not isinstance(value, list):
            raise ConfigError(path, key, f"expected a list, got {_kind(value)}")
        return [_convert(item, v, path, _item_key(key, i, v)) for i, v in enumerate(value)]
    if dataclasses.is_dataclass(hint):
        return _build(hint, value, path, key)
    if hint is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if hint is float and isinstance(value, float) and not math.isfinite(value):
        raise ConfigError(path, key, f"expected a finite number, got {value}")
    if hint is date and isinstance(value, datetime):  # a TOML date-time is no date
        raise ConfigError(path, key, f"expected {_NAMES[date]}, got a date and time")
    if hint is bool and not isinstance(value, bool):
        raise ConfigError(path, key, f"expected true or false, got {_kind(value)}")
    if hint is int and (isinstance(value, bool) or not isinstance(value, int)):
        raise ConfigError(path, key, f"expected a whole number, got {_kind(value)}")
    if not isinstance(value, hint):
        raise ConfigError(
            path, key, f"expected {_NAMES.get(hint, hint.__name__)}, got {_kind(value)}"
        )
    return value


def _check_article_host(source: Source, path: Path, where: str) -> None:
    """An alias that ``article_pattern`` names is where the articles live: mapped to
    another canonical host (by default the first entry point's, an index or feed host)
    every article would be asked for on the wrong host."""
    canonical = (source.canonical_host or urlsplit(source.entry_points[0]).hostname or "").lower()
    pattern = source.article_pattern.replace("\\.", ".").lower()
    for alias in source.aliases:
        if alias.lower() != canonical and f"//{alias.lower()}/" in pattern:
            raise ConfigError(
                path, f"{where}.aliases",
                f"{alias} is the host article_pattern names, but aliases map to {canonical}: its "
                f"articles would be fetched there; set canonical_host = {alias!r} and leave it "
                "out of aliases")


def _check(config: Config, path: Path, raw: dict) -> None:
    """Checks that types alone cannot express (``raw``: the file's tables, which tell
    the keys given from the defaults)."""
    _crawl_limits(config.crawl, "crawl", path)
    seen: set[str] = set()
    for i, source in enumerate(config.sources):
        where = _item_key("sources", i, {"name": source.name})
        if not _NAME.match(source.name):
            raise ConfigError(
                path, f"{where}.name", "expected lower-case letters, digits, '-', '_' or '.'"
            )
        if source.name in seen:
            raise ConfigError(path, f"{where}.name", f"duplicate source name {source.name!r}")
        seen.add(source.name)
        if not source.entry_points:
            raise ConfigError(
                path, where, f"source {source.name!r} has no feeds, sitemaps or start_urls"
            )
        for kind in ("feeds", "sitemaps", "start_urls"):
            for j, url in enumerate(getattr(source, kind)):
                if not _is_http_url(url):
                    raise ConfigError(
                        path, f"{where}.{kind}[{j}]", f"expected an http(s) URL, got {url!r}"
                    )
        for j, host in enumerate(source.aliases):
            _check_host(host, path, f"{where}.aliases[{j}]")
        if source.canonical_host is not None:
            _check_host(source.canonical_host, path, f"{where}.canonical_host")
        if source.start_urls and not source.article_pattern:
            raise ConfigError(
                path,
                f"{where}.article_pattern",
                "required with start_urls (a regex for article URLs)",
            )
        if source.article_pattern is not None:
            try:
                re.compile(source.article_pattern)
            except re.error as exc:
                raise ConfigError(
                    path, f"{where}.article_pattern", f"expected a regular expression ({exc})"
                )
            _check_article_host(source, path, where)
        _crawl_limits(source, where, path)
    if not config.watch.terms:
        raise ConfigError(path, "watch.terms", "expected at least one watch term")
    for kind in ("terms", "people", "exclude"):
        for i, term in enumerate(getattr(config.watch, kind)):
            if not term.strip():
                raise ConfigError(path, f"watch.{kind}[{i}]",
                                  "expected a word or phrase, got a blank term")
    _above_zero(config.watch, "watch", ("threshold",), path)
    if not _TIME_OF_DAY.match(config.schedule.digest_time):
        raise ConfigError(path, "schedule.digest_time",
                          "expected HH:MM (24-hour, in schedule.timezone)")
    for i, job in enumerate(config.schedule.crawls):
        if (job.interval_minutes is None) == (job.cron is None):
            raise ConfigError(
                path, f"schedule.crawls[{i}]", "expected exactly one of interval_minutes or cron"
            )
        _above_zero(job, f"schedule.crawls[{i}]", ("interval_minutes", "budget_minutes"), path)
        if job.interval_minutes is not None and job.budget_minutes >= job.interval_minutes:
            given = "budget_minutes" in raw["schedule"]["crawls"][i]
            default = "" if given else " (the default: budget_minutes is not set)"
            limit = job.interval_minutes - 1
            advice = (f"set budget_minutes to {limit} or less" if limit >= 1
                      else "raise interval_minutes to 2 or more")
            raise ConfigError(
                path, f"schedule.crawls[{i}].budget_minutes",
                f"a budget of {job.budget_minutes} min{default} fills the interval of "
                f"{job.interval_minutes} min, and a crawl takes a little longer than its budget "
                f"to start and close: the next crawl would find this one running and be "
                f"skipped; {advice}")
    _above_zero(config.schedule, "schedule", ("misfire_grace_seconds",), path)
    _not_negative(config.digest, "digest", ("retries",), path)
    if config.digest.webhook:
        _above_zero(config.digest.webhook, "digest.webhook", ("timeout",), path)
    if config.digest.smtp and not 0 < config.digest.smtp.port < 65536:
        raise ConfigError(path, "digest.smtp.port",
                          f"expected a port from 1 to 65535, got {config.digest.smtp.port}")
    if config.digest.format not in ("md", "html", "json", "txt"):
        raise ConfigError(path, "digest.format", "expected one of md, html, json, txt")
    if config.digest.webhook and not _is_http_url(config.digest.webhook.url):
        raise ConfigError(path, "digest.webhook.url", "expected an http(s) URL")
    smtp = config.digest.smtp
    if smtp and smtp.ssl and smtp.starttls:
        raise ConfigError(path, "digest.smtp.ssl", "ssl (implicit TLS, port 465) and starttls "
                                                   "exclude each other: set starttls = false")


# The most a crawl setting may be: beyond it a value is a typo (a delay of a day, a
# recheck window of centuries that no date can hold) or would bring the machine down
# (a hundred thousand extraction processes).
_CRAWL_MAXIMA = {
    "concurrency": (1000, "requests at once"), "per_domain_concurrency": (1000, "requests at once"),
    "delay": (3600, "seconds (an hour)"), "timeout": (3600, "seconds (an hour)"),
    "recheck_hours": (87_600, "hours (ten years)"), "retry_refused_days": (3650, "days (ten years)"),
    "sitemap_window_days": (3650, "days (ten years)"), "retries": (100, "tries"),
    "extract_workers": (64, "processes"), "max_page_bytes": (1_000_000_000, "bytes (1 GB)"),
}


def _crawl_limits(section, where: str, path: Path) -> None:
    _above_zero(section, where,
                ("concurrency", "per_domain_concurrency", "max_pages", "timeout", "max_page_bytes"),
                path)
    _not_negative(section, where, ("delay", "recheck_hours", "retry_refused_days",
                                   "sitemap_window_days", "retries", "extract_workers"), path)
    for name, (most, unit) in _CRAWL_MAXIMA.items():
        value = getattr(section, name, None)
        if value is not None and value > most:
            raise ConfigError(path, f"{where}.{name}", f"expected at most {most:,} {unit}, got {value:g}")


def _above_zero(section, where: str, names: tuple[str, ...], path: Path) -> None:
    for name in names:
        value = getattr(section, name, None)
        if value is not None and value <= 0:
            raise ConfigError(path, f"{where}.{name}", f"expected a number above 0, got {value}")


def _not_negative(section, where: str, names: tuple[str, ...], path: Path) -> None:
    for name in names:
        value = getattr(section, name, None)
        if value is not None and value < 0:
            raise ConfigError(
                path, f"{where}.{name}", f"expected a number of 0 or more, got {value}"
            )


def _check_host(host: str, path: Path, key: str) -> None:
    """A host name, with a port if need be ("m.antaranews.com", "127.0.0.24:8850")."""
    if not _HOST.match(host):
        hint = " (a host, not a URL: drop the scheme and the path)" if "/" in host else ""
        raise ConfigError(path, key, f"expected a host name such as m.example.com, got {host!r}{hint}")


def _is_http_url(url: str) -> bool:
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:  # e.g. "http://[broken": an unclosed IPv6 bracket
        return False
    return parts.scheme in ("http", "https") and bool(host) and " " not in url


def _join(where: str, name: str) -> str:
    return f"{where}.{name}" if where else name


_HOST = re.compile(r"^(?=.{1,253}(?::\d{1,5})?$)\w(?:[\w-]{0,61}\w)?(?:\.\w(?:[\w-]{0,61}\w)?)*"
                   r"(?::\d{1,5})?$")
_NAMES = {str: "a string", float: "a number", int: "a whole number", bool: "true or false",
          date: "a date (YYYY-MM-DD, unquoted)"}


def _kind(value) -> str:
    """What ``value`` is, and for a single value what it says: "a number (1.5)"."""
    if isinstance(value, dict):
        return "a table"
    kind = {
        bool: "true/false",
        int: "a whole number",
        float: "a number",
        str: "a string",
        list: "a list",
    }.get(type(value), type(value).__name__)
    if isinstance(value, (bool, int, float, str)):
        shown = repr(value) if len(repr(value)) <= 40 else repr(value)[:39] + "…"
        kind += f" ({'true' if value is True else 'false' if value is False else shown})"
    return kind
