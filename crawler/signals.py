"""warta's own Scrapy signals."""

# Sent when a URL could not be used: keyword arguments source, url, stage
# ("feed", "fetch", "extract", "store", ...), reason, status (HTTP status or None) and,
# optionally, refused: True when the site answered with something other than the
# article that asking again will not change (a page too large, a login wall, HTTP 403);
# optionally, gone: True when the article is no longer there though the status does not
# say so (an error page served with HTTP 200).
url_failed = object()

# Sent once when the crawl starts to stop, whatever the reason (keyword argument
# reason: Scrapy's close reason): from then on no request is sent or retried.
crawl_stopping = object()
