"""The outlet templates, by name: each renders one outlet's articles, listings and 404s."""

from __future__ import annotations

from newsweb.templates.base import ArticleView, ListingView, Template
from newsweb.templates.dnipro import DniproTemplate
from newsweb.templates.kyiv import KyivTemplate
from newsweb.templates.menafeed import ERROR_BANNER, MenafeedTemplate
from newsweb.templates.steppe import SteppeTemplate

__all__ = ["ERROR_BANNER", "TEMPLATES", "ArticleView", "ListingView", "Template"]

TEMPLATES: dict[str, Template] = {
    template.name: template
    for template in (KyivTemplate(), SteppeTemplate(), MenafeedTemplate(), DniproTemplate())
}
