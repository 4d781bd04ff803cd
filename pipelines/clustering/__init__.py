"""Duplicate detection and story clustering.

Pure modules (no Scrapy): ``text`` (tokens, names, shingles), ``features`` (IDF-weighted
term vectors), ``index`` (MinHash signatures and LSH), ``clusterer`` (the incremental
decisions), ``metrics`` (B-cubed, pairwise), ``batch`` (JSON Lines in and out),
``explain``. The Scrapy stage is ``pipeline.ClusteringPipeline``; the package imports
nothing of its own, so that storage can use the pure modules without the stage.
"""
