"""How much the fixture news web costs, so crawl benchmarks know it is not their bottleneck.

Usage:
    python bench/fixture_web.py [--articles N] [--requests N] [--clients N]

Prints: build time and traced memory of a generated web of N articles; memory after
making 5,000 articles; the time to make every article's ground truth; then, serving, article pages
per second fetched through its proxy by keep-alive clients in threads, and the time to
serve one gzip sitemap of 1,000 URLs. The clients share the machine's cores with the
server, as a crawler would.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import sys
import threading
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))  # tests/newsweb
from newsweb import NewsWeb, build_bench_site


def _fetch_all(port: int, urls: list[str], sizes: list[int]) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        for url in urls:
            connection.request("GET", url)  # absolute-form target: a proxy request
            response = connection.getresponse()
            body = response.read()
            if response.status != 200:
                raise RuntimeError(f"{url}: HTTP {response.status}")
            sizes.append(len(body))
    finally:
        connection.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--requests", type=int, default=2_000)
    parser.add_argument("--clients", type=int, default=4)
    args = parser.parse_args()

    tracemalloc.start()
    started = time.perf_counter()
    site = build_bench_site(args.articles, seed=1)
    built = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    print(f"web of {args.articles:,} articles: built in {built * 1000:.1f} ms, "
          f"peak traced memory {peak / 1e6:.2f} MB")
    # Memory once the caches are full (their sizes bound it): walk 5,000 articles traced.
    for article in itertools.islice(site.articles, 5000):
        len(article.body)
    current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"after making 5,000 articles: traced memory {current / 1e6:.2f} MB, peak {peak / 1e6:.2f} MB")
    started = time.perf_counter()
    words = sum(len(" ".join(article.body).split()) for article in site.articles)
    walked = time.perf_counter() - started
    print(f"ground truth of all {args.articles:,} articles: {walked:.1f} s "
          f"({walked / args.articles * 1000:.2f} ms/article, {words / args.articles:.0f} words each)")

    step = max(1, args.articles // args.requests)
    urls = [site.articles[i].url for i in range(0, args.articles, step)][: args.requests]
    with NewsWeb(site) as web:
        sizes: list[int] = []
        threads = [threading.Thread(target=_fetch_all, args=(web.port, urls[k::args.clients], sizes))
                   for k in range(args.clients)]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
        print(f"article pages: {len(sizes):,} in {elapsed:.2f} s = {len(sizes) / elapsed:,.0f} pages/s "
              f"({sum(sizes) / elapsed / 1e6:.1f} MB/s, {sum(sizes) / len(sizes) / 1000:.1f} KB/page, "
              f"{args.clients} keep-alive clients)")
        outlet = next(iter(site.outlets.values()))
        started = time.perf_counter()
        _fetch_all(web.port, [f"{outlet.base_url}/sitemaps/articles-1.xml.gz"], sizes)
        print(f"one gzip sitemap of 1,000 URLs: {(time.perf_counter() - started) * 1000:.0f} ms")
        if web.errors:
            raise SystemExit("the web failed:\n" + "\n".join(web.errors))


if __name__ == "__main__":
    main()
