"""``python -m newsweb``: serve a news web in the foreground for manual tries.

Prints the proxy URL and a config.yaml that crawls the site, then serves until Ctrl-C
or SIGTERM. Example::

    python -m newsweb --demo --port 8765 > /tmp/newsweb.yaml
    http_proxy=http://127.0.0.1:8765 newsdedup crawl --config /tmp/newsweb.yaml
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from types import FrameType

import yaml

from newsweb import (
    MIN_BENCH_ARTICLES,
    NewsWeb,
    build_bench_site,
    build_demo_site,
    build_test_site,
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m newsweb",
                                     description=__doc__.splitlines()[0] if __doc__ else None)
    kind = parser.add_mutually_exclusive_group()
    kind.add_argument("--demo", action="store_true", help="the small demo web")
    kind.add_argument("--bench", type=int, metavar="N",
                      help=f"a generated web of N articles (N >= {MIN_BENCH_ARTICLES})")
    parser.add_argument("--seed", type=int, default=1, help="seed of the --bench web")
    parser.add_argument("--port", type=int, default=0, help="port to listen on (default: any)")
    parser.add_argument("--database", default="sqlite:///newsweb.db",
                        help="database URL written into the printed config")
    args = parser.parse_args(argv)
    if args.bench is not None and args.bench < MIN_BENCH_ARTICLES:
        parser.error(f"--bench: N must be at least {MIN_BENCH_ARTICLES}")
    if args.demo:
        site = build_demo_site()
    elif args.bench is not None:
        site = build_bench_site(args.bench, args.seed)
    else:
        site = build_test_site()

    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    with NewsWeb(site, port=args.port) as web:
        print(f"# newsweb '{site.name}': {len(site.articles)} articles on "
              f"{', '.join(sorted(site.hosts))}", file=sys.stderr)
        print(f"# serving; use it with: export http_proxy={web.proxy_url}", file=sys.stderr)
        print(f"# proxy: {web.proxy_url}")
        yaml.safe_dump(site.config_mapping(args.database), sys.stdout, sort_keys=False,
                       allow_unicode=True)
        sys.stdout.flush()
        stop.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
