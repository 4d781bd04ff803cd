"""From a warta configuration to Scrapy settings, and the source each URL belongs to."""

from __future__ import annotations

from urllib.parse import urlsplit

from scrapy.settings import BaseSettings

from crawler.urls import HostMap, host_of
from warta import __version__
from warta.config import Config, Source, load_config

__all__ = ["SourceMap", "apply_config", "scrapy_settings"]


class SourceMap:
    """The configured sources and the hosts each one serves."""

    def __init__(self, sources: list[Source]):
        self.sources = {s.name: s for s in sources}
        pairs, self._by_host, self._hosts_of = [], {}, {}
        for source in sources:
            canonical = (source.canonical_host or host_of(source.entry_points[0])).lower()
            pairs += [(alias, canonical) for alias in source.aliases]
            hosts = {h.lower() for h in [canonical, *source.aliases, *map(host_of, source.entry_points)]}
            self._hosts_of[source.name] = hosts
            for host in sorted(hosts):
                self._by_host.setdefault(host, source.name)
        self.hosts = HostMap(pairs)

    def source_for(self, url: str, default: str, found_by: str | None = None) -> str:
        """The configured source serving ``url``: ``found_by`` (the source whose feed or
        index listed it) when it serves the URL's host, since several sources may share
        one; else the first that does; ``default`` when none does (a search feed's link to
        an outlet that is not configured is named by its host)."""
        host = self.hosts.canonical(host_of(url))
        if host in self._hosts_of.get(found_by, ()):
            return found_by
        return self._by_host.get(host, default)


def scrapy_settings(config: Config) -> dict:
    """The Scrapy settings a configuration implies."""
    crawl = config.crawl
    slots = {}
    for source in config.sources:
        hosts = {urlsplit(u).hostname for u in source.entry_points} | {
            urlsplit("//" + a).hostname for a in [*source.aliases, source.canonical_host or ""]
        }
        for host in filter(None, hosts):
            slots[host] = {
                "concurrency": source.concurrency or crawl.per_domain_concurrency,
                "delay": crawl.delay if source.delay is None else source.delay,
                # the delay is a floor: Scrapy's default jitter (±50 %) would halve it
                "jitter": 0.0,
            }
    return {
        "USER_AGENT": f"warta/{__version__} (+{crawl.contact})",
        "CONCURRENT_REQUESTS": crawl.concurrency,
        "CONCURRENT_REQUESTS_PER_DOMAIN": crawl.per_domain_concurrency,
        "DOWNLOAD_DELAY": crawl.delay,
        "DOWNLOAD_SLOTS": slots,
        "DOWNLOAD_TIMEOUT": crawl.timeout,
        "DOWNLOAD_MAXSIZE": crawl.max_page_bytes,
        "DOWNLOAD_WARNSIZE": 0,
        "RETRY_TIMES": crawl.retries,
        "AUTOTHROTTLE_ENABLED": crawl.autothrottle,
        "AUTOTHROTTLE_START_DELAY": max(crawl.delay, 0.1),
        "ROBOTSTXT_OBEY": crawl.obey_robots,
        "EXTRACT_WORKERS": crawl.extract_workers,
        "STORAGE_DB_PATH": config.database,
        "WATCH_TERMS": config.watch,
        "WARTA_CONFIG_OBJECT": config,
    }


def apply_config(settings: BaseSettings) -> None:
    """Load the file named by ``WARTA_CONFIG`` and set what it implies, at spider
    priority (a ``-s`` on the command line still wins)."""
    config = settings.get("WARTA_CONFIG_OBJECT")
    if config is None:
        config = load_config(settings.get("WARTA_CONFIG")).with_database(settings.get("WARTA_DB"))
    for name, value in scrapy_settings(config).items():
        settings.set(name, value, priority="spider")
