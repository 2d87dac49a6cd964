"""Page chrome the outlets share: icons, banners, appeals, link lists, players, comments.

Everything here is the text a good extractor must leave out of an article body. Each
function returns an HTML fragment with its text escaped.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape

from newsweb.content.textgen import slugify
from newsweb.model import Link

__all__ = [
    "SHARE_ICONS",
    "author_bio",
    "comments",
    "cookie_banner",
    "donation_appeal",
    "figure",
    "icon",
    "icon_sprite",
    "link_list",
    "newsletter_box",
    "podcast_player",
    "share_bar",
    "tag_list",
]

_PATHS = {
    "bookmark": "M6 2h12v20l-6-4-6 4z",
    "camera": "M4 7h4l2-3h4l2 3h4v12H4z",
    "check": "M4 12l5 5L20 6",
    "chevron-down": "M6 9l6 6 6-6",
    "chevron-left": "M15 6l-6 6 6 6",
    "chevron-right": "M9 6l6 6-6 6",
    "close": "M6 6l12 12M18 6L6 18",
    "download": "M12 3v12m-5-5 5 5 5-5M4 21h16",
    "facebook": "M14 8h3V4h-3a4 4 0 0 0-4 4v3H7v4h3v7h4v-7h3l1-4h-4V8z",
    "x": "M4 4l16 16M20 4L4 20",
    "telegram": "M2 11l19-8-3 18-6-5-3 4v-6l9-8-11 7z",
    "mail": "M3 5h18v14H3zM3 5l9 8 9-8",
    "link": "M10 14a5 5 0 0 0 7 0l3-3a5 5 0 0 0-7-7l-1 1",
    "play": "M8 5v14l11-7z",
    "pause": "M7 5h4v14H7zM13 5h4v14h-4z",
    "search": "M11 4a7 7 0 1 0 0 14 7 7 0 0 0 0-14zm9 16-4-4",
    "menu": "M4 6h16M4 12h16M4 18h16",
    "comment": "M4 4h16v12H8l-4 4z",
    "user": "M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8zm-8 9a8 8 0 0 1 16 0",
}

#: (icon name, accessible title) of the share buttons.
SHARE_ICONS = (
    ("facebook", "Share on Facebook"),
    ("x", "Share on X"),
    ("telegram", "Share on Telegram"),
    ("mail", "Send by email"),
    ("link", "Copy link"),
)


def icon(name: str, title: str | None = None) -> str:
    """An inline SVG icon whose <title> names it (text that leaks into naive extraction)."""
    label = escape(title or f"icon {name.replace('-', ' ')}")
    return (
        f'<svg class="icon icon-{name}" viewBox="0 0 24 24" role="img" width="20" height="20">'
        f'<title>{label}</title><path d="{_PATHS.get(name, "M0 0h24v24H0z")}"/></svg>'
    )


def icon_sprite(names: Iterable[str]) -> str:
    """A hidden SVG sprite of <symbol>s, each with a <title>, as many sites inline at the top."""
    symbols = "".join(
        f'<symbol id="i-{name}" viewBox="0 0 24 24"><title>icon {escape(name.replace("-", " "))}</title>'
        f'<path d="{_PATHS.get(name, "M0 0h24v24H0z")}"/></symbol>'
        for name in names
    )
    return f'<svg xmlns="http://www.w3.org/2000/svg" style="display:none">{symbols}</svg>'


def cookie_banner(outlet_name: str, policy_url: str = "/privacy") -> str:
    return (
        '<div class="cookie-banner" role="dialog" aria-label="Cookie consent">'
        f"<p>{escape(outlet_name)} uses cookies to measure traffic and to personalise content and ads. "
        "By clicking \u201cAccept all\u201d you agree to the storing of cookies on your device. "
        f'Read our <a href="{escape(policy_url)}">privacy policy</a>.</p>'
        '<button class="accept">Accept all</button><button class="reject">Reject non-essential</button>'
        '<button class="settings">Cookie settings</button></div>'
    )


def share_bar(url: str, title: str, heading: str = "Share this article") -> str:
    buttons = "".join(
        f'<a class="share share-{name}" href="https://share.invalid/{name}?u={escape(url)}" '
        f'title="{escape(label)}">{icon(name, label)}</a>'
        for name, label in SHARE_ICONS
    )
    return (
        f'<div class="share-bar" data-title="{escape(title)}"><span class="share-label">'
        f"{escape(heading)}</span>{buttons}</div>"
    )


def newsletter_box(outlet_name: str, pitch: str) -> str:
    return (
        '<aside class="newsletter-signup"><h4>Get our morning briefing</h4>'
        f"<p>{escape(pitch)}</p>"
        '<form action="/newsletter" method="post"><input type="email" name="email" '
        'placeholder="Your email address"><button type="submit">Subscribe</button></form>'
        f"<small>You can unsubscribe at any time. {escape(outlet_name)} will never share your address.</small>"
        "</aside>"
    )


def donation_appeal(heading: str, text: str, button: str) -> str:
    return (
        f'<aside class="support-appeal"><h3>{escape(heading)}</h3><p>{escape(text)}</p>'
        f'<a class="button" href="/support">{escape(button)}</a>'
        '<p class="small">Cancel anytime. Payments are processed securely.</p></aside>'
    )


def link_list(heading: str, links: Sequence[Link], css: str, *, numbered: bool = False) -> str:
    if not links:
        return ""
    tag = "ol" if numbered else "ul"
    items = "".join(
        f'<li><a href="{escape(link.url)}">{escape(link.title)}</a></li>' for link in links
    )
    return f'<section class="{css}"><h3>{escape(heading)}</h3><{tag}>{items}</{tag}></section>'


def tag_list(tags: Sequence[str], base: str = "/tag/", label: str = "Tags:") -> str:
    if not tags:
        return ""
    items = ", ".join(
        f'<a rel="tag" href="{base}{escape(_slug(tag))}">{escape(tag)}</a>' for tag in tags
    )
    return f'<div class="tags"><span>{escape(label)}</span> {items}</div>'


def author_bio(name: str, bio: str, base: str = "/author/") -> str:
    return (
        f'<div class="author-bio">{icon("user", "Author")}'
        f'<a class="author-name" href="{base}{escape(_slug(name))}">{escape(name)}</a>'
        f"<p>{escape(bio)}</p></div>"
    )


def figure(src: str, caption: str, credit: str) -> str:
    return (
        f'<figure class="article-image"><img src="{escape(src)}" alt="{escape(caption)}" '
        f'width="1200" height="675" loading="lazy"><figcaption>{escape(caption)} '
        f'<span class="credit">({escape(credit)})</span></figcaption></figure>'
    )


def podcast_player(heading: str, episodes: Sequence[tuple[str, str]]) -> str:
    """A podcast block: one player per (episode title, duration), with timer text."""
    players = "".join(
        f'<div class="player" data-src="/audio/{_slug(title)}.mp3"><button class="play">'
        f'{icon("play", "icon v-play")}</button><span class="episode">{escape(title)}</span>'
        f'<span class="timer current">0:00</span><span class="timer total">{escape(duration)}</span>'
        f'<button class="mute">{icon("pause", "icon nomuted")}</button></div>'
        for title, duration in episodes
    )
    return f'<section class="podcasts"><h3>{escape(heading)}</h3>{players}</section>'


def comments(items: Sequence[tuple[str, str]], heading: str = "Comments",
             policy: str = "") -> str:
    if not items and not policy:
        return ""
    entries = "".join(
        f'<li class="comment"><span class="comment-author">{escape(name)}</span>'
        f'<span class="comment-time">{index + 2} hours ago</span><p>{escape(body)}</p>'
        f'<a class="reply" href="#reply">Reply</a> <span class="votes">{index * 3 + 1}</span></li>'
        for index, (name, body) in enumerate(items)
    )
    note = f'<p class="policy">{escape(policy)}</p>' if policy else ""
    return (
        f'<section class="comments" id="comments"><h3>{escape(heading)} ({len(items)})</h3>'
        f"{note}<ol>{entries}</ol></section>"
    )


def _slug(text: str) -> str:
    return slugify(text, max_words=6)
