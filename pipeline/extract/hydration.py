"""The article body a script-rendered page keeps only in its inline state.

Some pages render their body in the browser: the HTML holds an empty shell and a script
with the framework's state (a JSON object), in which the body is one string of HTML
under a field such as ``contentHtml``. When the page shows no body, that string is the
article.
"""

from __future__ import annotations

import json
import re

from lxml.html import HtmlElement

__all__ = ["state_html"]

# A JSON string field named for HTML content, at least a few paragraphs long.
_HTML_FIELD = re.compile(
    r'"(?:(?:content|body|article|story|post)_?html|html_?(?:content|body))"\s*:\s*"((?:[^"\\]|\\.){400,})"',
    re.IGNORECASE,
)
_MIN_SCRIPT_CHARS = 400


def state_html(tree: HtmlElement) -> str | None:
    """The longest HTML string an inline script's state holds under a content field, or None."""
    best: str | None = None
    for script in tree.iter("script"):
        text = script.text or ""
        if len(text) < _MIN_SCRIPT_CHARS or "html" not in text.lower():
            continue
        for match in _HTML_FIELD.finditer(text):
            try:
                value = json.loads(f'"{match.group(1)}"')
            except ValueError:
                continue
            if "<" in value and (best is None or len(value) > len(best)):
                best = value
    return best
