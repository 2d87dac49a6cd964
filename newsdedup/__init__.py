"""newsdedup: scheduled news crawling, extraction and MinHash deduplication."""

__version__ = "0.1.0"
