"""The extractor on the fixture news web's outlets: golden pages, and the web's ground truth.

Pages are served in-process by ``Site.respond`` (no proxy, no network) from a site built
at a fixed moment, so dates are stable. Golden files are ``expected/newsweb_<name>.json``.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from golden_view import golden_view

from newsdedup.core.config import ExtractConfig, SourceConfig
from newsdedup.core.records import Article, FetchedPage, Rejection
from newsdedup.pipeline.extract import Extractor
from newsdedup.pipeline.extract.chrome import chrome_rule
from newsweb import ArticleTruth, Site, build_test_site

HERE = Path(__file__).parent
NOW = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)
SITE = build_test_site(now=NOW)

# name -> (url, source); URLs come from the site's own ground truth where it has one.
_BAD = {page.kind: page for page in SITE.bad_pages.values()}
_NON_ARTICLES = {kind: url for url, kind in reversed(list(SITE.non_article_pages.items()))}
_FIRST_OF: dict[tuple[str, str], ArticleTruth] = {}
for _article in SITE.articles:
    _FIRST_OF.setdefault((_article.outlet, _article.role), _article)
CASES: dict[str, tuple[str, str]] = {
    "kyiv_original": (_FIRST_OF["kyiv-daily", "original"].url, "kyiv-daily"),
    "kyiv_amp": (_FIRST_OF["kyiv-daily", "original"].url + "/amp", "kyiv-daily"),
    "kyiv_copy": (_FIRST_OF["kyiv-daily", "copy"].url, "kyiv-daily"),
    "steppe_original": (_FIRST_OF["steppe-wire", "original"].url, "steppe-wire"),
    "menafeed_copy": (_FIRST_OF["menafeed", "copy"].url, "menafeed"),
    "menafeed_unique": (_FIRST_OF["menafeed", "unique"].url, "menafeed"),
    "dnipro_unique": (_FIRST_OF["dnipro-pravda", "unique"].url, "dnipro-pravda"),
    "dnipro_windows1251": (_BAD["windows_1251"].url, "dnipro-pravda"),
    "kyiv_soft404": (_BAD["soft_404"].url, "kyiv-daily"),
    "dnipro_soft404": (_BAD["soft_404_uk"].url, "dnipro-pravda"),
    "menafeed_403": (_BAD["error_403_with_article"].url, "menafeed"),
    "menafeed_pdf": (_BAD["pdf"].url, "menafeed"),
    "kyiv_listing": ("http://kyiv-daily.test/news", "kyiv-daily"),
    "kyiv_tag": (_NON_ARTICLES["tag"], "kyiv-daily"),
    "kyiv_author": (_NON_ARTICLES["author"], "kyiv-daily"),
    "menafeed_home": ("http://menafeed.test/", "menafeed"),
    "dnipro_listing": ("http://dnipro-pravda.test/novyny", "dnipro-pravda"),
}


def fetch(site: Site, url: str, source: str) -> FetchedPage:
    parts = urlsplit(url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    response = site.respond("GET", parts.hostname or "", target, {})
    assert response is not None, f"{url}: the fixture web does not serve it"
    return FetchedPage(
        source=source, url=url, final_url=url, status=response.status,
        headers={"content-type": response.content_type} if response.content_type else {},
        body=response.body, fetched_at=NOW,
    )


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    sources = {
        spec["name"]: SourceConfig.model_validate(spec)
        for spec in SITE.config_mapping("sqlite:///unused.db")["sources"]
    }
    return Extractor(ExtractConfig(), sources)


@pytest.mark.parametrize("name", sorted(CASES))
def test_newsweb_golden_page(name: str, extractor: Extractor, request: pytest.FixtureRequest) -> None:
    url, source = CASES[name]
    view = golden_view(extractor.extract(fetch(SITE, url, source)))
    expected_path = HERE / "expected" / f"newsweb_{name}.json"
    if request.config.getoption("--update-golden"):
        expected_path.write_text(json.dumps(view, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    assert expected_path.exists(), f"{expected_path} missing: run pytest --update-golden"
    assert view == json.loads(expected_path.read_text(encoding="utf-8"))


def test_every_non_article_page_is_rejected(extractor: Extractor) -> None:
    for url, kind in SITE.non_article_pages.items():
        result = extractor.extract(fetch(SITE, url, "kyiv-daily"))
        assert isinstance(result, Rejection) and result.reason == "not_article", f"{kind} page {url}: {result}"


def _organisation_credit(name: str, truth: ArticleTruth) -> bool:
    """Desk and outlet credits ("Steppe Wire staff", "Kyiv Daily") are not authors for us."""
    outlets = {o.name.lower() for o in SITE.outlets.values()}
    lowered = name.lower()
    return lowered in outlets or any(lowered.startswith(o) for o in outlets)


@pytest.mark.parametrize("truth", list(SITE.articles), ids=lambda a: a.url.rsplit("/", 1)[-1][:40])
def test_articles_match_the_fixture_truth(truth: ArticleTruth, extractor: Extractor) -> None:
    if truth.url in {page.url for page in SITE.bad_pages.values() if page.kind == "flaky_500"}:
        SITE.reset()  # the flaky page fails first; its truth is what it serves afterwards
        fetch(SITE, truth.url, truth.outlet)
    result = extractor.extract(fetch(SITE, truth.url, truth.outlet))
    assert isinstance(result, Article), result
    assert result.title == truth.title
    assert result.published_at == truth.published_at
    assert result.modified_at == truth.modified_at
    assert result.language == truth.language
    assert result.canonical_url == truth.canonical_url
    assert result.authors == tuple(a for a in truth.authors if not _organisation_credit(a, truth))
    # Every paragraph we keep is the article's; the truth's paragraphs we drop are ones
    # our chrome rules remove on purpose (the seeds' "Dear readers!" comment notice).
    assert [p for p in result.paragraphs if p not in truth.body] == []
    missing = [p for p in truth.body if p not in result.paragraphs]
    assert [p for p in missing if chrome_rule(p) is None] == []
    kinds = dict(zip(result.paragraphs, result.kinds, strict=True))
    assert [kinds[p] for p in truth.body if p in kinds] == [
        k for p, k in zip(truth.body, truth.kinds, strict=True) if p in kinds
    ]
