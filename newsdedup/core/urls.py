"""URL canonicalisation: one identity for the many spellings of one article's URL.

Used before any URL is looked up or stored: tracking parameters, fragments, default
ports, host case, trailing-slash variants and AMP spellings collapse to one form.
Query parameters that are not tracking stay, sorted (they may select the article).
"""

from __future__ import annotations

import contextlib
import ipaddress
import re
from collections.abc import Iterable
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from w3lib.url import canonicalize_url as _w3lib_canonicalize

__all__ = [
    "TRACKING_PARAMS",
    "TRACKING_PREFIXES",
    "absolute_url",
    "canonicalize_url",
    "host_of",
    "is_amp_url",
    "is_dns_host",
    "same_site",
    "tracking_set",
]

#: Query parameters known to identify a campaign, a click or a session, never the page.
#: Only these are stripped: a generic name (``sid``, ``src``, ``from``, ``ref``,
#: ``share``, ``feature``, ``via``, ``rss``) selects the article on many sites
#: (``article.pl?sid=24/05/03/1234``), so it stays. A source adds its own with
#: ``tracking_params`` in its config (a name, or a prefix ending in ``*``).
TRACKING_PARAMS = frozenset(
    {
        "fbclid", "gclid", "gclsrc", "dclid", "msclkid", "yclid", "igshid", "twclid",
        "mc_cid", "mc_eid", "_ga", "_gl", "_hsenc", "_hsmi", "mkt_tok", "oly_anon_id",
        "oly_enc_id", "vero_id", "wickedid", "ncid", "ocid", "cmpid", "cmp", "ito",
        "ns_source", "ns_mchannel", "ns_campaign", "ns_linkname", "ns_fee", "at_medium",
        "at_campaign", "at_custom1", "at_custom2", "at_custom3", "at_custom4", "sr_share",
        "smid", "spm", "s_cid", "ref_src", "guccounter", "guce_referrer",
        "guce_referrer_sig", "amp", "outputtype", "jsessionid", "phpsessid",
    }
)
#: Prefixes of tracking parameter names (``utm_source``, ``pk_campaign``, ...).
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hsa_", "__twitter", "oft_")
_AMP_PATH_SUFFIX = re.compile(r"/amp/?$", re.IGNORECASE)
_AMP_PATH_PREFIX = re.compile(r"^/amp(?=/)", re.IGNORECASE)
_AMP_EXTENSION = re.compile(r"\.amp(?=\.html?$|$)", re.IGNORECASE)
_SESSION_PARAM = re.compile(r";jsessionid=[^/?#]*", re.IGNORECASE)
_DEFAULT_PORTS = {"http": 80, "https": 443}
# No host name holds a control character or a blank; a URL whose host does (a NUL from a
# server's Location header) names nothing, and Postgres refuses text holding a NUL.
_NOT_IN_HOST = re.compile(r"[\x00-\x20\x7f]")
# What may follow the "]" of an IPv6 host: nothing, or a port.
_AFTER_IPV6 = re.compile(r"(:\d*)?")


# A DNS label once in ASCII (IDNA): letters, digits, hyphens, and the underscores some
# hosts have.
_LABEL = re.compile(r"[a-z0-9_-]+")


def is_dns_host(host: str) -> bool:
    """Whether ``host`` (as ``urlsplit`` gives it, lower-case) is an IP address or a host
    name DNS can be asked for: not one with a blank, an empty or 64-character label, or
    broken punycode. The strict test, for what an operator configures (every fetch of a
    source would fail); :func:`canonicalize_url` keeps any host a page links to that
    holds no control character or blank, as the page gave it."""
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        pass
    try:
        ascii_host = host.encode("idna").decode("ascii")
    except UnicodeError:
        return False
    return all(_is_dns_label(label) for label in ascii_host.removesuffix(".").split("."))


def _is_dns_label(label: str) -> bool:
    """An ASCII DNS label; one in punycode ("xn--...") must decode. Only that: IDNA 2008
    names that IDNA 2003 (Python's codec) refuses, such as "xn--strae-oqa" (straße), are
    real hosts."""
    if len(label) > 63 or not _LABEL.fullmatch(label):
        return False
    if label.startswith("xn--"):
        try:
            label[4:].encode("ascii").decode("punycode")
        except UnicodeError:
            return False
    return True


def _is_tracking(name: str, extra: frozenset[str]) -> bool:
    lowered = name.lower()
    if lowered in TRACKING_PARAMS or lowered.startswith(TRACKING_PREFIXES):
        return True
    return bool(extra) and (
        lowered in extra or any(p.endswith("*") and lowered.startswith(p[:-1]) for p in extra)
    )


def tracking_set(names: Iterable[str]) -> frozenset[str]:
    """A source's extra tracking parameters as :func:`canonicalize_url` takes them:
    lower-case names, or prefixes ending in ``*``."""
    return frozenset(name.strip().lower() for name in names if name.strip())


def is_amp_url(url: str) -> bool:
    """Whether ``url`` is spelled as an AMP page (path, extension, host or parameter)."""
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
    except ValueError:  # unbalanced brackets of an IPv6 host: not a URL at all
        return False
    query = {k.lower(): v for k, v in parse_qsl(parts.query, keep_blank_values=True)}
    return bool(
        _AMP_PATH_SUFFIX.search(parts.path)
        or _AMP_PATH_PREFIX.search(parts.path)
        or _AMP_EXTENSION.search(parts.path)
        or host.startswith("amp.")
        or host.endswith(".cdn.ampproject.org")
        or "amp" in query
        or query.get("outputtype", "").lower() == "amp"
    )


def _plain_path(path: str) -> str:
    """``path`` without session parameters and AMP spellings, removed until none is left
    (``/a/amp/amp`` is ``/a``), so that canonicalising twice changes nothing."""
    for _ in range(8):
        plain = _SESSION_PARAM.sub("", path) or "/"
        plain = _AMP_PATH_SUFFIX.sub("", plain) or "/"
        plain = _AMP_PATH_PREFIX.sub("", plain) or "/"
        plain = _AMP_EXTENSION.sub("", plain)
        if plain == path:
            break
        path = plain
    return path


def canonicalize_url(url: str, tracking: frozenset[str] = frozenset()) -> str:
    """The identity of ``url``. Raises ValueError when it is not an absolute http(s) URL.

    ``tracking``: more parameters to strip besides :data:`TRACKING_PARAMS` (a source's
    ``tracking_params``, see :func:`tracking_set`).

    The result is stable: ``canonicalize_url(canonicalize_url(u)) == canonicalize_url(u)``.
    """
    canonical = _canonicalize_once(url, tracking)
    # Each step undoes spellings another may expose (w3lib drops an empty ";" that the
    # trailing-slash strip laid bare in "/;/", or blanks that hid an AMP suffix): again
    # until nothing changes.
    for _ in range(4):
        again = _canonicalize_once(canonical, tracking)
        if again == canonical:
            break
        canonical = again
    return canonical


def _canonicalize_once(url: str, tracking: frozenset[str]) -> str:
    text = url.strip()
    parts = urlsplit(text)
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname or _NOT_IN_HOST.search(parts.hostname):
        raise ValueError(f"not an absolute http(s) URL: {url!r}")
    host = parts.hostname.lower().rstrip(".")
    # A host that IDNA refuses is kept as given; w3lib percent-encodes what it must.
    with contextlib.suppress(UnicodeError):
        host = host.encode("idna").decode("ascii")
    if host.startswith("amp."):
        host = host[4:]
    try:
        port = parts.port
    except ValueError as exc:
        raise ValueError(f"bad port in URL: {url!r}") from exc
    if ":" in host:  # an IPv6 address keeps its brackets (urlsplit's hostname drops them)
        if not _AFTER_IPV6.fullmatch(parts.netloc.rpartition("]")[2]):
            raise ValueError(f"not an absolute http(s) URL: {url!r}")
        host = f"[{host}]"
    netloc = host if port in (None, _DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    if parts.username or parts.password:
        auth = parts.username or ""
        auth += f":{parts.password}" if parts.password else ""
        netloc = f"{auth}@{netloc}"

    path = _plain_path(parts.path)
    query_pairs = [
        (name, value)
        for name, value in parse_qsl(parts.query, keep_blank_values=True)
        if not _is_tracking(name, tracking)
    ]
    query = urlencode(query_pairs)
    rebuilt = urlunsplit((scheme, netloc, path, query, ""))
    # w3lib sorts the query and normalises percent-encoding and dot segments; the
    # trailing slash is dropped after it, since resolving "a/." leaves one behind.
    canonical = urlsplit(str(_w3lib_canonicalize(rebuilt, keep_fragments=False)))
    # w3lib may drop what hid an AMP spelling (trailing blanks): strip it again.
    path = _plain_path(canonical.path)
    if len(path) > 1 and path.endswith("/"):
        path = path.rstrip("/") or "/"
    return urlunsplit((canonical.scheme, canonical.netloc, path, canonical.query, ""))



def absolute_url(base: str, href: str) -> str | None:
    """``href`` (blanks around it dropped) made absolute against ``base``; None when it
    is no URL (a host in unbalanced IPv6 brackets): one broken link in a feed, sitemap or
    page must not cost the document its other links."""
    try:
        return urljoin(base, href.strip())
    except ValueError:
        return None

def host_of(url: str) -> str:
    """The lower-case host of ``url`` without a leading ``www.`` ("" when it has none or
    cannot be parsed: a link on a page is any text)."""
    try:
        host = (urlsplit(url).hostname or "").lower()
    except ValueError:  # unbalanced brackets of an IPv6 host
        return ""
    if _NOT_IN_HOST.search(host):
        return ""
    return host[4:] if host.startswith("www.") else host


def same_site(url_a: str, url_b: str, domains: tuple[str, ...] = ()) -> bool:
    """Whether two URLs belong to one site: the same host (``www.`` aside), or both
    inside ``domains`` (a host matches a domain when equal to it or a subdomain of it)."""
    host_a, host_b = host_of(url_a), host_of(url_b)
    if host_a and host_a == host_b:
        return True

    def inside(host: str) -> bool:
        return any(host == d or host.endswith("." + d) for d in domains)

    return bool(domains) and inside(host_a) and inside(host_b)
