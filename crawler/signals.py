"""warta's own Scrapy signals."""

# Sent when a URL could not be used: keyword arguments source, url, stage
# ("feed", "fetch", "extract", "store", ...), reason and status (HTTP status or None).
url_failed = object()
