"""URL state: the crawl frontier and the outcome of every fetch, one row per canonical URL.

The crawler reads it to decide what to request (known URLs, validators, the frontier of
discovered-but-unfetched articles) and writes fetch outcomes, newly discovered URLs and
fetched pages through :func:`record_fetches`, in the caller's transaction: a batch is
all or nothing. Same statements on SQLite and Postgres.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import String, Table, and_, case, func, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from newsdedup.core.records import FetchedPage, PageHints
from newsdedup.storage.lifecycle import article_for_url, mark_deleted, restore_deleted
from newsdedup.storage.models import UrlStateRow
from newsdedup.storage.pages import body_hash, page_values, save_pages
from newsdedup.storage.rows import record_of

__all__ = [
    "ERROR_OUTCOMES",
    "FETCH_OUTCOMES",
    "URL_KINDS",
    "URL_STATES",
    "BatchResult",
    "Discovered",
    "FetchRecord",
    "KnownUrl",
    "backdate_url_state",
    "children_of",
    "count_outcomes",
    "count_states",
    "load_frontier",
    "load_revisits",
    "lookup",
    "outcome_state",
    "record_fetches",
    "revisit_steps",
]

URL_KINDS = ("article", "feed", "sitemap", "listing")
URL_STATES = ("discovered", "fetched", "failed", "skipped")

#: Every fetch outcome (``last_outcome``; the crawler counts each as ``fetch/<outcome>``).
FETCH_OUTCOMES = (
    "ok",                  # a 2xx response
    "not_modified",        # 304 to a conditional request: nothing changed
    "http_error",          # a 4xx/5xx response (after retries for 5xx)
    "timeout",             # no complete response within the timeout (after retries)
    "connection_error",    # DNS, refused or dropped connection (after retries)
    "robots_disallowed",   # robots.txt forbids it: never requested
    "offsite",             # outside the source's domains: never requested
    "too_large",           # over the size cap: aborted
    "not_html",            # an article URL that answered with another media type
    "not_a_feed",          # a feed or sitemap URL that answered with something else (an HTML page)
    "redirect_loop",       # a redirect came back to a URL of its own chain
    "too_many_redirects",  # the redirect limit was reached
    "redirected",          # redirected to a URL this run fetches anyway
    "error",               # anything else (the message is in last_error)
)

#: Outcomes that count as a failed attempt (``error_count`` grows; others reset it).
ERROR_OUTCOMES = frozenset(
    {"http_error", "timeout", "connection_error", "redirect_loop", "too_many_redirects", "error",
     "not_a_feed"}
)
_TRANSIENT = frozenset({"timeout", "connection_error", "error"})
_NEVER_AGAIN = frozenset(
    {"robots_disallowed", "offsite", "too_large", "not_html", "redirect_loop",
     "too_many_redirects"}
)


def outcome_state(outcome: str, status: int | None = None) -> str:
    """The ``state`` a URL takes after ``outcome``.

    ``failed`` (tried again by later runs, a bounded number of times) is for transient
    failures: timeouts, connection errors and 5xx/408/429 answers. A 4xx answer is
    ``fetched`` (its page is stored and the process phase rejects it). Policy refusals
    are ``skipped``: for good, except ``robots_disallowed``, which the spider asks again
    when discovery lists the URL again (robots.txt changes).
    """
    if outcome not in FETCH_OUTCOMES:
        raise ValueError(f"unknown fetch outcome {outcome!r}")
    if outcome in _TRANSIENT:
        return "failed"
    if outcome == "http_error" and (status is None or status >= 500 or status in (408, 429)):
        return "failed"
    if outcome in _NEVER_AGAIN:
        return "skipped"
    return "fetched"


@dataclass(frozen=True, slots=True)
class KnownUrl:
    """What url_state holds for one URL, as the crawler needs it."""

    url: str
    source_id: int
    kind: str
    state: str
    last_outcome: str | None
    etag: str | None
    last_modified: str | None
    content_hash: str | None
    error_count: int
    hints: PageHints
    first_seen_at: datetime | None = None
    last_fetched_at: datetime | None = None
    revisits: int = 0


@dataclass(frozen=True, slots=True)
class Discovered:
    """A URL found by discovery (feed entry, sitemap entry, listing link).

    With ``outcome`` (e.g. ``offsite``) it is recorded as ``skipped`` without a request;
    otherwise it enters the frontier as ``discovered``. An existing row only has its
    ``last_seen_at`` and missing hints updated: discovery never overrides a fetch. The
    one exception is a row another source recorded as ``offsite``: the source the URL
    belongs to takes it over into its own frontier.
    """

    url: str
    kind: str = "article"
    hints: PageHints = field(default_factory=PageHints)
    outcome: str | None = None


@dataclass(frozen=True, slots=True, repr=False)
class FetchRecord:
    """The outcome of one request (or of one URL refused before any request).

    ``url`` is the canonical URL requested (the url_state identity). ``page`` is set for
    a response worth storing (HTML, any status). ``discovered`` holds what the response
    revealed (a feed's entries), stored in the same transaction as its validators.
    ``aliases`` are other canonical URLs the same response answers (redirect targets):
    they are marked fetched too, so a later discovery of them costs no request.
    ``revisits``: the steps of the revisit schedule behind the URL once this fetch is
    done (:func:`revisit_steps`; 0 for a URL first seen now, and for other kinds).
    """

    url: str
    kind: str
    outcome: str
    fetched_at: datetime
    status: int | None = None
    final_url: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    error: str | None = None
    page: FetchedPage | None = None
    discovered: tuple[Discovered, ...] = ()
    discovered_from: str | None = None
    hints: PageHints | None = None
    aliases: tuple[str, ...] = ()
    revisits: int = 0

    def __repr__(self) -> str:  # bodies are large: Scrapy logs items with repr()
        size = f", page={len(self.page.body)}B" if self.page is not None else ""
        found = f", discovered={len(self.discovered)}" if self.discovered else ""
        return (
            f"FetchRecord({self.kind} {self.url} -> {self.outcome}"
            f"{'' if self.status is None else f' {self.status}'}{size}{found})"
        )

    @property
    def responded(self) -> bool:
        """Whether a server answered (the row's ``fetch_count`` grows)."""
        return self.status is not None


@dataclass
class BatchResult:
    """What one :func:`record_fetches` call wrote."""

    records: int = 0
    pages_stored: int = 0
    pages_unchanged: int = 0
    discovered: int = 0
    deleted: int = 0
    restored: int = 0


_TABLE = cast(Table, UrlStateRow.__table__)


def _insert(session: Session) -> Any:
    name = session.get_bind().dialect.name
    return postgresql.insert(_TABLE) if name == "postgresql" else sqlite.insert(_TABLE)


def _known(row: UrlStateRow) -> KnownUrl:
    hints = PageHints(
        title=row.hint_title,
        published_at=row.hint_published_at,
        published_from="feed" if row.hint_published_at is not None else None,
        discovered_from=row.discovered_from,
    )
    return record_of(KnownUrl, row, hints=hints)


def lookup(session: Session, urls: Iterable[str], *, chunk: int = 500) -> dict[str, KnownUrl]:
    """The stored state of those of ``urls`` that url_state knows (canonical URLs)."""
    wanted = list(dict.fromkeys(urls))
    found: dict[str, KnownUrl] = {}
    for start in range(0, len(wanted), chunk):
        part = wanted[start : start + chunk]
        for row in session.scalars(select(UrlStateRow).where(UrlStateRow.url.in_(part))):
            found[row.url] = _known(row)
    return found


def load_frontier(
    session: Session, source_id: int, *, limit: int, max_errors: int
) -> list[KnownUrl]:
    """Article URLs of the source still to fetch: discovered ones, and failed ones with
    fewer than ``max_errors`` consecutive errors. Newest (by feed date) first, then in
    discovery order; at most ``limit``."""
    query = (
        select(UrlStateRow)
        .where(
            UrlStateRow.source_id == source_id,
            UrlStateRow.kind == "article",
            or_(
                UrlStateRow.state == "discovered",
                and_(UrlStateRow.state == "failed", UrlStateRow.error_count < max_errors),
            ),
        )
        .order_by(UrlStateRow.hint_published_at.desc().nulls_last(), UrlStateRow.id)
        .limit(limit)
    )
    return [_known(row) for row in session.scalars(query)]


def load_revisits(
    session: Session, source_id: int, delays: Sequence[timedelta], *, now: datetime, limit: int
) -> list[KnownUrl]:
    """Fetched article URLs of the source due for a revisit: with ``k`` steps of
    ``delays`` behind them and ``first_seen_at + delays[k]`` past. Most overdue first
    (the oldest first seen); at most ``limit``. A URL whose last fetch failed for a
    transient reason (5xx, 429, timeout, connection error: ``failed``) stays on the
    schedule: the frontier retries it up to ``max_errors`` times, and an outage that
    outlasts those retries must not end its revisits for good (its later edits and its
    take-down were never seen). The targets of a redirect recorded without a request of
    their own (``final_url`` NULL) are not revisited: the URL that redirected is."""
    if not delays or limit <= 0:
        return []
    due = or_(*(
        and_(UrlStateRow.revisits == step, UrlStateRow.first_seen_at <= now - delay)
        for step, delay in enumerate(delays)
    ))
    query = (
        select(UrlStateRow)
        .where(
            UrlStateRow.source_id == source_id,
            UrlStateRow.kind == "article",
            or_(
                and_(UrlStateRow.state == "fetched",
                     UrlStateRow.last_outcome.in_(("ok", "not_modified", "http_error"))),
                UrlStateRow.state == "failed",
            ),
            UrlStateRow.final_url.is_not(None),
            due,
        )
        .order_by(UrlStateRow.first_seen_at, UrlStateRow.id)
        .limit(limit)
    )
    return [_known(row) for row in session.scalars(query)]


def revisit_steps(first_seen_at: datetime | None, delays: Sequence[timedelta],
                  now: datetime) -> int:
    """How many steps of ``delays`` lie behind a URL first seen at ``first_seen_at``."""
    if first_seen_at is None:
        return 0
    return sum(1 for delay in delays if first_seen_at + delay <= now)


def backdate_url_state(session: Session, by: timedelta, *, last_fetch: bool = True) -> None:
    """Move every URL's first sighting, and with ``last_fetch`` its last fetch, ``by``
    into the past: the clock of a later crawl, for tests and benchmarks that simulate
    time passing (revisit steps fall due; a feed's ``<updated>`` may then be later than
    the last fetch)."""
    for row in session.scalars(select(UrlStateRow)):
        row.first_seen_at -= by
        if last_fetch and row.last_fetched_at is not None:
            row.last_fetched_at -= by


def children_of(session: Session, source_id: int, parent_url: str, kind: str) -> list[KnownUrl]:
    """URLs of ``kind`` first discovered from ``parent_url`` (a sitemap index's sitemaps):
    what to follow when the parent answers 304."""
    query = (
        select(UrlStateRow)
        .where(
            UrlStateRow.source_id == source_id,
            UrlStateRow.discovered_from == parent_url,
            UrlStateRow.kind == kind,
        )
        .order_by(UrlStateRow.id)
    )
    return [_known(row) for row in session.scalars(query)]


def count_states(session: Session, source_id: int | None = None) -> Counter[str]:
    """``kind/state`` -> number of URLs (of one source, or all)."""
    query = select(UrlStateRow.kind, UrlStateRow.state, func.count()).group_by(
        UrlStateRow.kind, UrlStateRow.state
    )
    if source_id is not None:
        query = query.where(UrlStateRow.source_id == source_id)
    return Counter({f"{kind}/{state}": int(n) for kind, state, n in session.execute(query)})


def count_outcomes(session: Session, source_id: int | None = None) -> Counter[str]:
    """``last_outcome`` -> number of URLs (of one source, or all); never-fetched ones are
    counted under ``none``."""
    query = select(UrlStateRow.last_outcome, func.count()).group_by(UrlStateRow.last_outcome)
    if source_id is not None:
        query = query.where(UrlStateRow.source_id == source_id)
    return Counter({outcome or "none": int(n) for outcome, n in session.execute(query)})


def _hint_values(hints: PageHints | None) -> dict[str, Any]:
    if hints is None:
        return {"hint_published_at": None, "hint_title": None}
    return {"hint_published_at": hints.published_at, "hint_title": hints.title}


def _add_discovered(
    session: Session,
    source_id: int,
    run_id: int | None,
    discovered: Sequence[Discovered],
    parent: str,
    now: datetime,
) -> int:
    # One row per URL: Postgres refuses an upsert touching the same row twice.
    unique: dict[str, Discovered] = {}
    for item in discovered:
        unique.setdefault(item.url, item)
    if not unique:
        return 0
    rows = [
        {
            "source_id": source_id,
            "url": item.url,
            "kind": item.kind,
            "state": "discovered" if item.outcome is None else outcome_state(item.outcome),
            "last_outcome": item.outcome,
            **_hint_values(item.hints),
            "discovered_from": item.hints.discovered_from or parent,
            "first_seen_at": now,
            "last_seen_at": now,
            "fetch_count": 0,
            "error_count": 0,
            "last_run_id": run_id,
        }
        for item in unique.values()
    ]
    statement = _insert(session)
    excluded = statement.excluded
    table = _TABLE.c
    take_over = and_(
        table.last_outcome == "offsite",
        table.source_id != excluded.source_id,
        excluded.last_outcome.is_(None),
    )
    statement = statement.on_conflict_do_update(
        index_elements=["url"],
        set_={
            "source_id": case((take_over, excluded.source_id), else_=table.source_id),
            "state": case((take_over, excluded.state), else_=table.state),
            "last_outcome": case((take_over, None), else_=table.last_outcome),
            "last_seen_at": statement.excluded.last_seen_at,
            "hint_published_at": func.coalesce(
                _TABLE.c.hint_published_at, statement.excluded.hint_published_at
            ),
            "hint_title": func.coalesce(_TABLE.c.hint_title, statement.excluded.hint_title),
        },
    )
    session.execute(statement, rows)
    return len(rows)


def _fetch_upsert(dialect: str) -> Any:
    """The url_state upsert of one fetch outcome (parameters: the row's columns).

    Built once per dialect and run per row: it returns the row's id.
    """
    statement = (postgresql.insert(_TABLE) if dialect == "postgresql" else sqlite.insert(_TABLE))
    excluded = statement.excluded
    table = _TABLE.c
    # A fresh 2xx replaces the validators (a server may stop sending them), and so does a
    # 2xx that is no feed (the feed's validators, sent to the page now there, could get a
    # 304 that passes for an unchanged feed); any other answer keeps the stored ones.
    fresh = and_(excluded.last_outcome.in_(("ok", "not_a_feed")), excluded.last_status.between(200, 299))
    return statement.on_conflict_do_update(
        index_elements=["url"],
        set_={
            "source_id": excluded.source_id,
            "kind": excluded.kind,
            "state": excluded.state,
            "final_url": excluded.final_url,
            "last_status": func.coalesce(excluded.last_status, table.last_status),
            "last_outcome": excluded.last_outcome,
            "etag": case((fresh, excluded.etag), else_=func.coalesce(excluded.etag, table.etag)),
            "last_modified": case(
                (fresh, excluded.last_modified),
                else_=func.coalesce(excluded.last_modified, table.last_modified),
            ),
            "content_hash": func.coalesce(excluded.content_hash, table.content_hash),
            "hint_published_at": func.coalesce(table.hint_published_at, excluded.hint_published_at),
            "hint_title": func.coalesce(table.hint_title, excluded.hint_title),
            "last_seen_at": excluded.last_seen_at,
            "last_fetched_at": func.coalesce(excluded.last_fetched_at, table.last_fetched_at),
            "fetch_count": table.fetch_count + excluded.fetch_count,
            "error_count": case(
                (excluded.error_count == 0, 0), else_=table.error_count + excluded.error_count
            ),
            "last_error": excluded.last_error,
            "last_run_id": excluded.last_run_id,
            "revisits": excluded.revisits,
        },
    ).returning(table.id)


def _fitting_last_modified(value: str | None) -> str | None:
    """A Last-Modified value, None when too long for its column: an HTTP date has 29
    characters, so a longer value is a server's nonsense, not worth sending back (and
    Postgres would refuse the whole batch for it)."""
    return value if value is None or len(value) <= _LAST_MODIFIED_LENGTH else None


_LAST_MODIFIED_LENGTH = cast(String, _TABLE.c.last_modified.type).length or 64
_FETCH_UPSERTS = {name: _fetch_upsert(name) for name in ("postgresql", "sqlite")}


def _upsert_fetch(
    session: Session,
    record: FetchRecord,
    *,
    url: str,
    source_id: int,
    run_id: int | None,
    content_hash: str | None,
    final_url: str | None,
    validators: bool,
    discovered_from: str | None,
) -> int:
    values = {
        "source_id": source_id,
        "url": url,
        "kind": record.kind,
        "state": outcome_state(record.outcome, record.status),
        "canonical_url": None,
        "final_url": final_url,
        "last_status": record.status,
        "last_outcome": record.outcome,
        "etag": record.etag if validators else None,
        "last_modified": _fitting_last_modified(record.last_modified) if validators else None,
        "content_hash": content_hash,
        **_hint_values(record.hints),
        "discovered_from": discovered_from,
        "first_seen_at": record.fetched_at,
        "last_seen_at": record.fetched_at,
        "last_fetched_at": record.fetched_at if record.responded else None,
        "fetch_count": 1 if record.responded else 0,
        "error_count": 1 if record.outcome in ERROR_OUTCOMES else 0,
        "last_error": record.error,
        "last_run_id": run_id,
        "revisits": record.revisits,
    }
    statement = _FETCH_UPSERTS[session.get_bind().dialect.name]
    return int(session.execute(statement, values).scalar_one())


def record_fetches(
    session: Session,
    records: Sequence[FetchRecord],
    *,
    source_id: int,
    run_id: int | None,
    now: datetime,
) -> BatchResult:
    """Write a batch of fetch outcomes, their discoveries and their pages.

    A page whose body hash equals the one stored for its URL is not stored again
    (``pages_unchanged``). Run it inside one transaction: a batch lands whole or not at all.
    """
    result = BatchResult(records=len(records))
    page_urls = [record.url for record in records if record.page is not None]
    stored_hashes: Mapping[str, KnownUrl] = lookup(session, page_urls) if page_urls else {}
    # Within a batch the same URL may appear twice (a refetch): compare with the newest.
    batch_hashes: dict[str, str] = {}
    pages: list[dict[str, Any]] = []
    for record in records:
        if record.discovered:
            result.discovered += _add_discovered(
                session, source_id, run_id, record.discovered, record.url, now
            )
        page = record.page
        new_hash = body_hash(page.body) if page is not None else None
        unchanged = False
        if new_hash is not None:
            previous = batch_hashes.get(record.url)
            if previous is None and record.url in stored_hashes:
                previous = stored_hashes[record.url].content_hash
            unchanged = previous == new_hash
            batch_hashes[record.url] = new_hash
        url_state_id = _upsert_fetch(
            session, record, url=record.url, source_id=source_id, run_id=run_id,
            content_hash=new_hash, final_url=record.final_url, validators=True,
            discovered_from=record.discovered_from,
        )
        for alias in record.aliases:
            if alias != record.url:
                _upsert_fetch(
                    session, record, url=alias, source_id=source_id, run_id=run_id,
                    content_hash=new_hash, final_url=None, validators=False,
                    discovered_from=record.url,
                )
        if page is None:
            continue
        if unchanged:
            result.pages_unchanged += 1
            continue
        pages.append(page_values(page, source_id=source_id, url_state_id=url_state_id,
                                 run_id=run_id, content_hash=new_hash))
    save_pages(session, pages)
    result.pages_stored = len(pages)
    _follow_lifecycle(session, records, now, result)
    return result


#: Answers that say an article's page is gone for good.
GONE_STATUSES = frozenset({404, 410})


def _follow_lifecycle(session: Session, records: Sequence[FetchRecord], now: datetime,
                      result: BatchResult) -> None:
    """A stored article whose page answered 404/410 is marked deleted; one marked deleted
    whose page answered 304 (unchanged since it was stored) is restored. A 200 restores
    it in the process phase, when its page becomes an article again."""
    gone: list[int] = []
    for record in records:
        if record.kind != "article":
            continue
        if record.status in GONE_STATUSES:
            article_id = article_for_url(session, record.url)
            if article_id is not None:
                gone.append(article_id)
        elif record.outcome == "not_modified":
            article_id = article_for_url(session, record.url)
            if article_id is not None and restore_deleted(session, article_id):
                result.restored += 1
    result.deleted += len(mark_deleted(session, gone, now))
