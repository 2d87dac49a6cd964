"""URLs from feeds, sitemaps, pages and imports: canonicalisation never fails any other
way than ValueError, is idempotent, and the helpers the crawler calls on every link
never raise."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st
from hypothesis.provisional import urls
from support import cpu_hang_guard

from newsdedup.core.urls import canonicalize_url, host_of, is_amp_url, same_site

_PIECES = st.sampled_from([
    "http://", "https://", "HTTP://", "ftp://", "//", "[", "]", "::1", "%", "%zz", "%00",
    "@", ":", ":99999", ":-1", ":80", "?", "#", "&", "=", "utm_source=x", "/amp", ".amp",
    "/./", "/../", ";jsessionid=1", "xn--", "ünïcødé", "\u200b", " ", "\t", "\n", "\x00",
    "example.org", "www.", "amp.", "a" * 300, "/" * 50, "\udcff", "."])
# Strings built from the pieces that break URL parsers, and arbitrary text.
NASTY_URLS = st.one_of(
    st.lists(_PIECES, max_size=12).map("".join),
    st.text(max_size=200),
    urls(),
    st.tuples(urls(), st.lists(_PIECES, max_size=6).map("".join)).map("".join),
)
# CPU seconds per call: a hang guard against runaway parsing (say, a regex that
# backtracks), not a performance assertion. The worst example measured takes under 1 ms;
# the bound stays well above what a garbage-collection pause can add. Hypothesis'
# wall-clock deadline (200 ms by default) is off: it fails on a loaded machine.
HANG_GUARD_CPU_SECONDS = 1.0


@settings(max_examples=400, deadline=None)
@given(NASTY_URLS)
@example("http://[::1")
@example("https://example.org:99999/a")
@example("http://example.org/%E0%A4%A")
@example("https://xn--/a")
@example("HTTP://0/AMP ?")
@example("http://example.org/a/amp/amp")
@example("HTTP://0/;/")
def test_canonical_urls_are_http_idempotent_or_a_value_error(url: str) -> None:
    try:
        with cpu_hang_guard(HANG_GUARD_CPU_SECONDS, "canonicalize_url"):
            canonical = canonicalize_url(url)
    except ValueError:
        return
    assert canonical.startswith(("http://", "https://"))
    assert "#" not in canonical
    assert canonicalize_url(canonical) == canonical


@settings(max_examples=400, deadline=None)
@given(NASTY_URLS, NASTY_URLS)
@example("http://[::1", "https://example.org/")
def test_link_helpers_never_raise(url_a: str, url_b: str) -> None:
    with cpu_hang_guard(HANG_GUARD_CPU_SECONDS, "the link helpers"):
        assert isinstance(host_of(url_a), str)
        assert isinstance(is_amp_url(url_a), bool)
        assert isinstance(same_site(url_a, url_b, ("example.org",)), bool)
