"""Clean text: a fetched page becomes headline, body text and metadata.

The pure extraction lives in ``extract.py`` (``extract_page``); the Scrapy stage
``ExtractionPipeline`` (``stage.py``) is loaded on first use, so that storage and
the command line can use the pure modules without importing Scrapy.
"""

__all__ = ["ExtractionPipeline"]


def __getattr__(name: str):
    if name == "ExtractionPipeline":
        from pipelines.extraction.stage import ExtractionPipeline

        return ExtractionPipeline
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
