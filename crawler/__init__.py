"""The crawl phase: one config-driven Scrapy spider per source, run by :func:`newsdedup.crawler.run.crawl`.

Modules: ``run`` (entry point, ``python -m newsdedup.crawler.run``), ``spider`` (discovery and
fetches), ``discovery`` (feeds, sitemaps), ``listing`` (section pages), ``middlewares``
(robots Crawl-delay, retry backoff, guarded redirects), ``newsdedup.pipeline`` (the one item
pipeline, batched writes through ``newsdedup.storage.frontier``), ``settings``, ``outcomes``.

Stats returned per source (``collections.Counter``, all integers):

- ``fetch/<outcome>`` for every outcome of ``newsdedup.storage.frontier.FETCH_OUTCOMES`` (``ok``,
  ``not_modified``, ``http_error``, ``timeout``, ``connection_error``,
  ``robots_disallowed``, ``offsite``, ``too_large``, ``not_html``, ``not_a_feed``, ``redirect_loop``,
  ``too_many_redirects``, ``redirected``, ``error``), counted for feeds, sitemaps,
  listings and articles alike; ``fetch/errors`` (the failed ones), ``fetch/cancelled``
  (cut short by a stop), ``fetch/requests``, ``fetch/retries``, ``fetch/bytes``.
- ``pages/fetched`` (article responses), ``pages/stored``, ``pages/unchanged``.
- ``discover/links``, ``discover/new``, ``discover/known``, ``discover/too_old``,
  ``discover/offsite``, ``discover/invalid_url``, ``discover/requested``,
  ``discover/deferred`` (over ``max_pages_per_run``: left in the frontier),
  ``discover/duplicate``, ``discover/frontier`` (loaded from earlier runs),
  ``discover/rss|atom|jsonfeed|urlset|sitemapindex|html|unknown`` (documents read),
  ``discover/sitemaps``, ``discover/sitemap_too_old``, ``discover/listing_pages``,
  ``discover/advertised_feed`` (a configured feed's HTML page named the feed read instead),
  ``discover/pagination``.
- ``db/batches``, ``db/records``, ``db/read_ms``, ``db/write_ms``, ``db/errors``.
- ``robots/requests``, ``robots/crawl_delay_ms/<host>``.
- ``run/interrupted`` (a signal stopped it), ``run/timeout`` (``max_run_minutes``).
"""
