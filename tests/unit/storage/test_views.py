"""The downstream views agree with the export and show stories with their outlets."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import text, update

from newsdedup.core.records import Article
from newsdedup.storage.articles import save_article
from newsdedup.storage.db import Database
from newsdedup.storage.export import iter_export
from newsdedup.storage.models import ArticleRow, ClusterRow
from newsdedup.storage.sources import ensure_sources

NOW = datetime(2025, 6, 7, 18, 0, tzinfo=UTC)


def test_views_show_finished_articles_and_their_stories(db: Database) -> None:
    with db.session() as session:
        ids = ensure_sources(session, ["rt", "menafn", "kyiv"])
        saved = {}
        for name, source, offset in [("orig", "rt", 0), ("copy", "menafn", 1),
                                     ("other", "kyiv", 2), ("pending", "kyiv", 3)]:
            saved[name] = save_article(
                session,
                Article(source=source, url=f"https://{source}.example/{name}",
                        canonical_url=f"https://{source}.example/{name}", title=name,
                        paragraphs=(f"{name} body.",)),
                source_id=ids[source], origin="crawl", now=NOW + timedelta(hours=offset),
            ).article_id
        story = ClusterRow(canonical_article_id=saved["orig"], size=2, created_at=NOW,
                           updated_at=NOW)
        single = ClusterRow(canonical_article_id=saved["other"], size=1, created_at=NOW,
                            updated_at=NOW)
        session.add_all([story, single])
        session.flush()
        session.execute(update(ArticleRow).where(ArticleRow.id != saved["pending"])
                        .values(dedup_state="done"))
        session.execute(update(ArticleRow).where(ArticleRow.id.in_([saved["orig"], saved["copy"]]))
                        .values(cluster_id=story.id))
        session.execute(update(ArticleRow).where(ArticleRow.id == saved["copy"])
                        .values(is_canonical=False, duplicate_of=saved["orig"], similarity=0.93,
                                match_method="containment"))
        session.execute(update(ArticleRow).where(ArticleRow.id == saved["other"])
                        .values(cluster_id=single.id))
        story_id = story.id

    with db.reader() as session:
        exported = [(r["id"], r["source"], r["cluster_id"]) for r in iter_export(session)]
        viewed = [tuple(row) for row in session.execute(
            text("SELECT id, source, cluster_id FROM article_export ORDER BY id"))]
        assert viewed == exported
        assert len(viewed) == 3  # the pending article is not shown

        stories = {row.cluster_id: row for row in session.execute(text("SELECT * FROM stories"))}
        assert stories[story_id].title == "orig"
        assert stories[story_id].canonical_source == "rt"
        assert (stories[story_id].articles, stories[story_id].outlets) == (2, 2)

        outlets = session.execute(text(
            "SELECT source, is_canonical, duplicate_of, match_method FROM story_outlets "
            "WHERE cluster_id = :c ORDER BY article_id"), {"c": story_id}).all()
        assert [(o.source, bool(o.is_canonical), o.duplicate_of, o.match_method) for o in outlets] == [
            ("rt", True, None, None),
            ("menafn", False, saved["orig"], "containment"),
        ]
