"""``newsdedup import``: legacy dumps stored as articles, then through the dedup stages."""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from newsdedup.core.config import STORED_NAME_RULE, Config, is_storable_source_name
from newsdedup.core.errors import UsageError
from newsdedup.core.records import Article, limit_paragraphs, utcnow
from newsdedup.pipeline.dedup import DedupStage, check_signature_scheme
from newsdedup.pipeline.extract.blocks import Block
from newsdedup.pipeline.extract.body import clean_blocks
from newsdedup.pipeline.imports.formats import FORMATS, read_jsonl, read_text
from newsdedup.storage.articles import save_articles
from newsdedup.storage.db import Database
from newsdedup.storage.sources import ensure_sources

__all__ = ["ImportReport", "import_paths"]

#: Articles stored per transaction.
BATCH = 1000
_JSONL_SUFFIXES = (".jsonl", ".ndjson")
# A line the old scraper kept from a list: "- Title", "• Title", "* Title".
_BULLET = re.compile(r"^[-•*·▪–]\s+\S")
# Bullet signs are stripped from kept items; dashes stay (a dash opens dialogue too).
_MARKER = re.compile(r"^[•*·▪]\s+")


@dataclass
class ImportReport:
    """What an import did. ``saved`` counts ``new``, ``updated`` and ``unchanged``
    articles; ``empty`` documents held no paragraph (or nothing but page chrome);
    ``chrome`` counts the chrome lines left out, by kind (the extractor's line rules:
    error notices, share bars, appeals, timers, "most popular" lists...); ``dedup`` is
    the dedup stage's stats; ``truncated`` documents were cut at the paragraph or size
    limit (``newsdedup.core.records.MAX_PARAGRAPHS``, ``MAX_TEXT_CHARS``)."""

    files: int = 0
    articles: int = 0
    empty: int = 0
    truncated: int = 0
    chrome: Counter[str] = field(default_factory=Counter)
    saved: Counter[str] = field(default_factory=Counter)
    sources: Counter[str] = field(default_factory=Counter)
    dedup: Counter[str] = field(default_factory=Counter)


def import_paths(config: Config, db: Database, paths: Sequence[Path], *, source: str | None,
                 fmt: str, known_sources: Collection[str] | None = None) -> ImportReport:
    """Import files (folders: every file in them, sorted) in ``fmt`` (``text``, ``jsonl``,
    or ``auto``: by suffix), under ``source`` unless a record names its own.

    With ``known_sources``, a record naming any other source is malformed (the CLI
    passes the config's and the database's sources unless told to create new ones).

    Articles are stored in batches, each one transaction, then deduplicated. A malformed
    record raises UsageError naming ``file:line``; everything before it has been stored
    and deduplicated by then. Raises ConfigError when stored dedup signatures need a
    rebuild (before anything is written).
    """
    if fmt not in (*FORMATS, "auto"):
        raise UsageError(f"unknown import format {fmt!r}: use text, jsonl or auto")
    files = list(_files(paths))
    check_signature_scheme(config.dedup, db)
    report = ImportReport()
    batch: list[Article] = []
    source_ids: set[int] = set()
    failure: UsageError | None = None
    try:
        for path in files:
            report.files += 1
            for found in _articles(path, source, fmt, known_sources):
                limited = _within_limits(found, report) if found is not None else None
                article = without_chrome(limited, report.chrome) if limited is not None else None
                if article is None:
                    report.empty += 1
                    continue
                batch.append(article)
                if len(batch) >= BATCH:
                    source_ids |= _store(db, batch, report)
                    batch = []
    except UsageError as exc:
        failure = exc
    if batch:
        source_ids |= _store(db, batch, report)
    if source_ids:
        report.dedup = DedupStage(config.dedup, db).run(sorted(source_ids))
    if failure is not None:
        raise failure
    return report


def _within_limits(article: Article, report: ImportReport) -> Article:
    """The article cut to MAX_PARAGRAPHS paragraphs and MAX_TEXT_CHARS characters (marked
    ``truncated``, counted), before anything else reads all of it."""
    kept, cut = limit_paragraphs(article.paragraphs)
    if not cut:
        return article
    report.truncated += 1
    return dataclasses.replace(article, paragraphs=tuple(kept), kinds=(), truncated=True)


def without_chrome(article: Article, dropped: Counter[str]) -> Article | None:
    """The article without the page chrome an old scraper kept as text, by the line
    rules the extractor applies to HTML bodies (its title repeated at the top, error
    notices, share bars, appeals, timers, teaser lists under a "most popular" heading);
    None when nothing else is left. Its URL stays the one made from the dump's text."""
    blocks: list[Block] = [
        ("item" if _BULLET.match(text) else "text", text) for text in article.paragraphs
    ]
    kept = clean_blocks(blocks, article.title, dropped)
    if not kept:
        return None
    # A list item keeps its words, not the dump's bullet: "• Title" is the same line as
    # the title that follows it, for the paragraph stage and for a reader.
    paragraphs = tuple(_MARKER.sub("", text, count=1) if kind == "item" else text for kind, text in kept)
    if paragraphs == article.paragraphs:
        return article
    return dataclasses.replace(article, paragraphs=paragraphs, kinds=())


def _files(paths: Sequence[Path]) -> Iterator[Path]:
    for path in paths:
        if path.is_dir():
            yield from sorted(
                p for p in path.rglob("*") if p.is_file() and not p.name.startswith(".")
            )
        elif path.exists():
            yield path
        else:
            raise UsageError(f"{path}: no such file or folder")


def _articles(path: Path, source: str | None, fmt: str,
              known: Collection[str] | None) -> Iterator[Article | None]:
    kind = fmt
    if kind == "auto":
        kind = "jsonl" if path.suffix.lower() in _JSONL_SUFFIXES else "text"
    if kind == "text":
        article = read_text(path, source)
        _check_source(article, str(path), known)
        yield article
    else:
        for line, article in read_jsonl(path, source):
            _check_source(article, f"{path}:{line}", known)
            yield article


def _check_source(article: Article | None, where: str, known: Collection[str] | None) -> None:
    """A record's source must be known, or, when sources may be created (``known`` None),
    a name a stored source can have (``STORED_NAME_RULE``: "Daily Record Online" is fine,
    a NUL or 101 characters are not)."""
    if article is None or (known is not None and article.source in known):
        return
    if known is None:
        if not is_storable_source_name(article.source):
            raise UsageError(f"{where}: invalid source name {article.source!r}: {STORED_NAME_RULE}")
        return
    names = ", ".join(sorted(known)) or "none"
    raise UsageError(f"{where}: unknown source {article.source!r} (known: {names}); "
                     "give --create-sources to add it")


def _store(db: Database, articles: Sequence[Article], report: ImportReport) -> set[int]:
    now = utcnow()
    with db.session() as session:
        ids = ensure_sources(session, {article.source for article in articles})
        saved = save_articles(session, [(article, ids[article.source]) for article in articles],
                              origin="import", now=now)
        statuses = [result.status for result in saved]
    # Counted once committed.
    report.articles += len(articles)
    report.saved.update(statuses)
    report.sources.update(article.source for article in articles)
    return set(ids.values())
