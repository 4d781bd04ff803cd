"""Scrapy settings for warta.

Only what does not depend on the configuration lives here; everything a user
configures in warta.toml (politeness, sources, watch terms, database) is applied
by the ``news`` spider's ``update_settings`` from the file named by
``WARTA_CONFIG`` (see :mod:`crawler.configured`).
"""

BOT_NAME = "warta"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

WARTA_CONFIG = "warta.toml"
WARTA_LOCK_HELD = False  # True when warta crawl holds the crawl lock (else CrawlLock takes it)

ROBOTSTXT_OBEY = True
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
LOG_LEVEL = "INFO"
FEED_EXPORT_ENCODING = "utf-8"

# An article response yields one item; Scrapy starts this many tasks per response
# to process its output, so a small number saves a lot of scheduling.
CONCURRENT_ITEMS = 16

AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0

RETRY_ENABLED = True
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
RETRY_BACKOFF_BASE = 1.0  # seconds before the first retry; doubles each time
RETRY_BACKOFF_MAX = 60.0
RETRY_GIVE_UP_LOG_LEVEL = "INFO"  # the failure is recorded in the run ledger instead

# A page that sends the browser on by script is followed as a redirect: its request
# carries the chain of addresses on purpose (crawler.redirects.script_redirect).
META_COPY_WARN_SKIP_KEYS = ["redirect_urls"]

DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawler.stopping.LeaveAfterStop": 150,  # after robots.txt (100): what waited on it
    "crawler.middlewares.BackoffRetryMiddleware": 550,
}

# The frontier and the seen-URL filter are chosen here; a shared (e.g. Redis)
# scheduler and dupefilter for several workers replace these two lines.
SCHEDULER = "scrapy.core.scheduler.Scheduler"
DUPEFILTER_CLASS = "scrapy.dupefilters.RFPDupeFilter"

ITEM_PIPELINES = {
    "pipelines.extraction.ExtractionPipeline": 100,
    "pipelines.walls.WallPipeline": 120,
    "pipelines.identity.IdentityPipeline": 150,
    "pipelines.relevance.RelevancePipeline": 200,
    "pipelines.clustering.pipeline.ClusteringPipeline": 300,
    "pipelines.storage.StoragePipeline": 400,
}

EXTENSIONS = {
    "scrapy.extensions.remote_control.RemoteControl": None,
    "crawler.extensions.CrawlLock": 50,
    "crawler.extensions.RunLedger": 100,
    "crawler.extensions.Progress": 200,
    "crawler.politeness.DelayFloor": 300,  # after AutoThrottle (0): it has the last word
    "crawler.stopping.PromptStop": 400,
    "crawler.collector.QuietCollector": 500,
}
CRAWL_DELAY_MAX = 60.0  # seconds: the longest robots.txt Crawl-delay waited between requests
PROGRESS_INTERVAL = 5.0  # seconds between progress lines on stderr
LOG_FORMATTER = "crawler.logformatter.ShortLogFormatter"

STORAGE_BATCH_SIZE = 50  # articles written per transaction
STORAGE_BATCH_SECONDS = 1.0  # and at least this often
