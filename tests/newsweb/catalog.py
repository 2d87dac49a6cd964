"""An outlet's articles and what its listings, feeds and sitemaps show, in order.

``Catalog`` is the interface an outlet serves from; ``ListCatalog`` holds a handful of
hand-placed entries (test and demo sites). The bench site generates its own on demand.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol

from newsweb.model import ArticleTruth, Channel, Entry, Link
from newsweb.responses import SiteState

__all__ = ["Catalog", "ListCatalog", "current", "link_of"]


def current(entry: Entry, state: SiteState) -> ArticleTruth:
    """The revision of ``entry`` the site serves now."""
    index = min(state.revision(entry.first.canonical_url), len(entry.revisions) - 1)
    return entry.revisions[index]


def link_of(truth: ArticleTruth, url: str | None = None) -> Link:
    summary = truth.lead or (truth.clean[0] if truth.clean else "")
    return Link(url or truth.url, truth.title, truth.published_at, truth.modified_at,
                summary[:200])


class Catalog(Protocol):
    """An outlet's articles, newest first, and the links around them."""

    def __len__(self) -> int: ...

    def entry(self, index: int) -> Entry: ...

    def find(self, path: str) -> Entry | None:
        """The entry served at ``path`` (no query, no trailing slash), or None."""
        ...

    def links(self, channel: Channel, state: SiteState) -> Sequence[Link]:
        """What ``channel`` lists, in its order (articles and any other links)."""
        ...

    def sidebar(self, state: SiteState) -> Sequence[Link]:
        """The "most read" box of listing pages."""
        ...

    def related(self, entry: Entry, state: SiteState) -> Sequence[Link]: ...

    def popular(self, state: SiteState) -> Sequence[Link]: ...

    def teaser(self, entry: Entry, state: SiteState) -> Link | None: ...


class ListCatalog:
    """Entries given in full. ``channel_items`` fixes each channel's order; an item is an
    entry (shown in its current revision) or a fixed link (bad pages, URL variants,
    offsite links). ``sidebar_items`` is the listing pages' "most read" box."""

    def __init__(self, entries: Sequence[Entry],
                 channel_items: Mapping[Channel, Sequence[Entry | Link]],
                 sidebar_items: Sequence[Entry | Link] = ()) -> None:
        self._entries = tuple(entries)
        self._by_path = {entry.path: entry for entry in self._entries}
        for entry in self._entries:
            for alias in entry.aliases:
                self._by_path[alias] = entry
        self._channels = {key: tuple(items) for key, items in channel_items.items()}
        self._sidebar = tuple(sidebar_items)
        # Related and popular lists link only to what the listings link to anyway, so
        # following them never discovers an article the ground truth says is hidden.
        self._linkable = tuple(e for e in self._entries if "listing" in e.first.channels
                               and e.linkable)

    def __len__(self) -> int:
        return len(self._entries)

    def entry(self, index: int) -> Entry:
        return self._entries[index]

    def find(self, path: str) -> Entry | None:
        return self._by_path.get(path)

    def _resolve(self, items: Sequence[Entry | Link], state: SiteState) -> list[Link]:
        return [link_of(current(item, state)) if isinstance(item, Entry) else item
                for item in items]

    def links(self, channel: Channel, state: SiteState) -> Sequence[Link]:
        return self._resolve(self._channels.get(channel, ()), state)

    def sidebar(self, state: SiteState) -> Sequence[Link]:
        return self._resolve(self._sidebar, state)

    def related(self, entry: Entry, state: SiteState) -> Sequence[Link]:
        others = [e for e in self._linkable if e is not entry]
        if not others:
            return []
        start = sum(ord(ch) for ch in entry.path) % len(others)
        picked = (others + others)[start:start + 3]
        return [link_of(current(e, state)) for e in dict.fromkeys(picked)]

    def popular(self, state: SiteState) -> Sequence[Link]:
        return [link_of(current(e, state)) for e in self._linkable[:5]]

    def teaser(self, entry: Entry, state: SiteState) -> Link | None:
        related = self.related(entry, state)
        return related[-1] if related else None
