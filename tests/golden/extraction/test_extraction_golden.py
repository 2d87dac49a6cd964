"""Golden extraction cases: hand-written hard pages in, expected JSON out.

Each page in ``pages/`` is the raw body of a response; ``cases.json`` says how it was
fetched and which strings must (not) survive. ``expected/<name>.json`` holds what the
extractor made of it; ``pytest --update-golden`` rewrites those files (review the diff).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from golden_view import golden_view

from newsdedup.core.config import ExtractConfig, SourceConfig
from newsdedup.core.records import Article, FetchedPage, PageHints
from newsdedup.pipeline.extract import Extractor

HERE = Path(__file__).parent
CASES: dict[str, dict[str, Any]] = {
    name: spec
    for name, spec in json.loads((HERE / "cases.json").read_text(encoding="utf-8")).items()
    if not name.startswith("_")
}
FETCHED_AT = datetime(2025, 7, 1, 12, 0, tzinfo=UTC)


def fetched_page(name: str, spec: dict[str, Any]) -> FetchedPage:
    hints = spec.get("hints", {})
    return FetchedPage(
        source=spec.get("source", {}).get("name", "golden"),
        url=spec["url"],
        final_url=spec.get("final_url", spec["url"]),
        status=spec.get("status", 200),
        headers=spec.get("headers", {}),
        body=(HERE / "pages" / f"{name}.html").read_bytes(),
        fetched_at=FETCHED_AT,
        hints=PageHints(
            title=hints.get("title"),
            published_at=datetime.fromisoformat(hints["published_at"]) if "published_at" in hints else None,
            published_from=hints.get("published_from"),
        ),
    )


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    sources = {
        spec["source"]["name"]: SourceConfig.model_validate(spec["source"])
        for spec in CASES.values()
        if "source" in spec
    }
    return Extractor(ExtractConfig(), sources)


@pytest.mark.parametrize("name", sorted(CASES))
def test_golden_page(name: str, extractor: Extractor, request: pytest.FixtureRequest) -> None:
    spec = CASES[name]
    result = extractor.extract(fetched_page(name, spec))
    view = golden_view(result)
    expected_path = HERE / "expected" / f"{name}.json"
    if request.config.getoption("--update-golden"):
        expected_path.write_text(json.dumps(view, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    assert expected_path.exists(), f"{expected_path} missing: run pytest --update-golden"
    assert view == json.loads(expected_path.read_text(encoding="utf-8"))

    shown = result.text if isinstance(result, Article) else ""
    shown_with_title = f"{result.title or ''}\n{shown}"
    for needle in spec.get("must_contain", ()):
        assert needle in shown, f"{name}: {needle!r} missing from the body"
    for needle in spec.get("must_not_contain", ()):
        assert needle not in shown_with_title, f"{name}: chrome {needle!r} leaked into the article"
