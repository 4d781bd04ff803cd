"""Configuration: the shipped file is valid and complete; every kind of bad file
stops with a message naming the file, the key and what was expected."""

from pathlib import Path

import pytest

from warta.config import ConfigError, load_config

ROOT = Path(__file__).resolve().parents[1]

MINIMAL = """
[watch]
terms = ["Kemenham"]

[[sources]]
name = "contoh"
feeds = ["https://contoh.id/rss"]
"""


def write(tmp_path, text: str) -> Path:
    path = tmp_path / "warta.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_shipped_config_lists_real_outlets_and_a_news_search_feed():
    config = load_config(ROOT / "warta.toml")
    outlets = [s for s in config.sources if not s.search and not s.official]
    assert len(outlets) >= 12
    assert all(s.feeds or s.sitemaps or s.start_urls for s in outlets)
    assert len({s.name for s in config.sources}) == len(config.sources)
    search = [s for s in config.sources if s.search]
    assert search and "format=rss" in search[0].feeds[0] and "cc=ID" in search[0].feeds[0]
    assert {"Komnas HAM", "Kemenkumham"} <= set(config.watch.exclude)
    assert config.database == "data/warta.db"


def test_minimal_config_gets_defaults(tmp_path):
    config = load_config(write(tmp_path, MINIMAL))
    assert config.database == "data/warta.db"
    assert config.crawl.per_domain_concurrency > 0
    assert config.source("contoh").feeds == ["https://contoh.id/rss"]
    assert config.with_database("other.db").database == "other.db"


@pytest.mark.parametrize(
    ("text", "key", "expected"),
    [
        (MINIMAL + "\n[crawl]\ndelai = 2\n", "crawl.delai", "unknown key"),
        (MINIMAL + '\n[digest.smtp]\nhost = "mail.contoh.id"\nport = 465\nssl = true\n',
         "digest.smtp.ssl", "starttls = false"),
        (
            MINIMAL.replace('name = "contoh"', 'name = "contoh"\nofficial = "ya"'),
            "sources[0] (contoh).official",
            "true or false",
        ),
        ('[crawl]\nconcurrency = "many"\n' + MINIMAL, "crawl.concurrency",
         "expected a whole number, got a string ('many')"),
        ("[crawl]\nretries = 1.5\n" + MINIMAL, "crawl.retries",
         "expected a whole number, got a number (1.5)"),
        (MINIMAL + "\n[crawl]\nconcurrency = 0\n", "crawl.concurrency", "above 0"),
        (MINIMAL + "\n[crawl]\nextract_workers = 100000\n", "crawl.extract_workers",
         "at most 64 processes, got 100000"),
        (MINIMAL + "\n[crawl]\nrecheck_hours = 100000000\n", "crawl.recheck_hours",
         "at most 87,600 hours (ten years)"),
        (MINIMAL + "\n[crawl]\ndelay = 1e308\n", "crawl.delay", "at most 3,600 seconds"),
        (MINIMAL + "\n[crawl]\nretry_refused_days = 1000000\n", "crawl.retry_refused_days",
         "at most 3,650 days"),
        (
            MINIMAL.replace('feeds = ["https://contoh.id/rss"]', ""),
            "sources[0] (contoh)",
            "no feeds, sitemaps or start_urls",
        ),
        (
            MINIMAL.replace("https://contoh.id/rss", "contoh.id/rss"),
            "sources[0] (contoh).feeds[0]",
            "http(s) URL",
        ),
        (
            MINIMAL.replace('feeds = ["https://contoh.id/rss"]', 'feeds = "https://contoh.id/rss"'),
            "sources[0] (contoh).feeds",
            "a list",
        ),
        (
            MINIMAL.replace(
                'feeds = ["https://contoh.id/rss"]', 'start_urls = ["https://contoh.id/"]'
            ),
            "sources[0] (contoh).article_pattern",
            "required with start_urls",
        ),
        (
            MINIMAL.replace(
                'feeds = ["https://contoh.id/rss"]',
                'start_urls = ["https://contoh.id/"]\narticle_pattern = "(["',
            ),
            "sources[0] (contoh).article_pattern",
            "regular expression",
        ),
        (
            MINIMAL
            + MINIMAL.split("[watch]")[0]
            + '[[sources]]\nname = "contoh"\nfeeds = ["https://a.id/rss"]\n',
            "sources[1] (contoh).name",
            "duplicate",
        ),
        (
            '[watch]\nterms = []\n[[sources]]\nname = "a"\nfeeds = ["https://a.id/rss"]\n',
            "watch.terms",
            "at least one",
        ),
        (MINIMAL + '\n[schedule]\ndigest_time = "7 pagi"\n', "schedule.digest_time", "HH:MM"),
        (MINIMAL + '\n[[schedule.crawls]]\nid = "x"\n', "schedule.crawls[0]", "exactly one of"),
        (MINIMAL + '\n[digest]\nformat = "pdf"\n', "digest.format", "one of md, html, json, txt"),
        ("sources = 3\n", "sources", "a list"),
        (MINIMAL.replace('terms = ["Kemenham"]', 'terms = ["Kemenham", " "]'),
         "watch.terms[1]", "blank term"),
        (MINIMAL.replace('terms = ["Kemenham"]', 'terms = ["Kemenham"]\nexclude = [""]'),
         "watch.exclude[0]", "blank term"),
        (MINIMAL.replace('terms = ["Kemenham"]', 'terms = ["Kemenham"]\nthreshold = nan'),
         "watch.threshold", "finite number"),
        (MINIMAL + "\n[crawl]\ndelay = inf\n", "crawl.delay", "finite number"),
        (MINIMAL.replace('terms = ["Kemenham"]', 'terms = ["Kemenham"]\nthreshold = 0'),
         "watch.threshold", "above 0"),
        (MINIMAL.replace("https://contoh.id/rss", "http://[contoh"), "sources[0] (contoh).feeds[0]",
         "http(s) URL"),
        (
            MINIMAL.replace('name = "contoh"', 'name = "contoh"\naliases = ["http://m.contoh.id/"]'),
            "sources[0] (contoh).aliases[0]",
            "a host, not a URL",
        ),
        (
            MINIMAL.replace('name = "contoh"', 'name = "contoh"\ncanonical_host = "contoh id"'),
            "sources[0] (contoh).canonical_host",
            "expected a host name",
        ),
        (
            MINIMAL.replace('feeds = ["https://contoh.id/rss"]',
                            'start_urls = ["https://indeks.contoh.id/"]\n'
                            "article_pattern = '^https://berita\\.contoh\\.id/read/'\n"
                            'aliases = ["m.contoh.id", "berita.contoh.id"]'),
            "sources[0] (contoh).aliases",
            "berita.contoh.id is the host article_pattern names",
        ),
        (MINIMAL + '\n[[schedule.crawls]]\nid = "x"\ninterval_minutes = -5\n',
         "schedule.crawls[0].interval_minutes", "above 0"),
        (MINIMAL + '\n[[schedule.crawls]]\nid = "x"\ncron = "0 * * * *"\nbudget_minutes = 0\n',
         "schedule.crawls[0].budget_minutes", "above 0"),
        (MINIMAL + '\n[[schedule.crawls]]\nid = "x"\ninterval_minutes = 30\n',
         "schedule.crawls[0].budget_minutes", "50 min (the default: budget_minutes is not set) fills the interval of 30"),
        (MINIMAL + '\n[[schedule.crawls]]\nid = "x"\ninterval_minutes = 30\nbudget_minutes = 50\n',
         "schedule.crawls[0].budget_minutes", "a budget of 50 min fills the interval of 30 min"),
        (MINIMAL + '\n[[schedule.crawls]]\nid = "x"\ninterval_minutes = 30\nbudget_minutes = 30\n',
         "schedule.crawls[0].budget_minutes", "be skipped; set budget_minutes to 29 or less"),
        (MINIMAL + '\n[[schedule.crawls]]\nid = "x"\ninterval_minutes = 1\nbudget_minutes = 1\n',
         "schedule.crawls[0].budget_minutes", "raise interval_minutes to 2 or more"),
        (MINIMAL + "\n[schedule]\nmisfire_grace_seconds = 0\n",
         "schedule.misfire_grace_seconds", "above 0"),
        (MINIMAL + '\n[digest.smtp]\nhost = "mail.contoh.id"\nport = 0\n', "digest.smtp.port",
         "1 to 65535"),
        (MINIMAL + '\n[digest.webhook]\nurl = "https://hook.contoh.id/"\ntimeout = -1\n',
         "digest.webhook.timeout", "above 0"),
    ],
)
def test_bad_config_names_file_key_and_expectation(tmp_path, text, key, expected):
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_config(path)
    message = str(info.value)
    assert message.startswith(str(path))
    assert info.value.key == key
    assert expected in message


def test_unreadable_files(tmp_path):
    with pytest.raises(ConfigError, match="file not found"):
        load_config(tmp_path / "missing.toml")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(write(tmp_path, "[crawl\n"))
    bad = tmp_path / "latin.toml"
    bad.write_bytes(b'database = "caf\xe9.db"\n')
    with pytest.raises(ConfigError, match="cannot read"):
        load_config(bad)
    with pytest.raises(ConfigError, match="cannot read"):
        load_config(tmp_path)


def test_a_sources_politeness_reaches_its_canonical_host(tmp_path):
    from crawler.configured import scrapy_settings

    text = MINIMAL.replace('name = "contoh"', 'name = "contoh"\ndelay = 3.0\n'
                           'canonical_host = "www.contoh.id"')
    slots = scrapy_settings(load_config(write(tmp_path, text)))["DOWNLOAD_SLOTS"]
    assert slots["contoh.id"]["delay"] == slots["www.contoh.id"]["delay"] == 3.0
