"""The dedup stage on a real database (SQLite and Postgres): clusters, templates, safety."""

from __future__ import annotations

from datetime import timedelta

import pytest
from dedup_helpers import (
    NOW,
    articles,
    cluster_size,
    cluster_sizes,
    fates,
    run,
    same_cluster,
    store,
    store_in_order,
)
from dedup_stories import (
    BUS_ZH,
    EARNINGS,
    EARNINGS_TEMPLATE,
    MATCH,
    TRAM,
    TRAM_FOLLOW_UP,
    TRAM_HARD_NEGATIVE,
    TRAM_ZH,
    TRAM_ZH_COPY,
    UNRELATED,
    edited,
    reordered,
    truncated,
)
from sqlalchemy import func, select, text, update

from newsdedup.app.daemon.report import source_statuses
from newsdedup.core.config import DedupConfig, config_from_mapping
from newsdedup.core.errors import ConfigError
from newsdedup.core.records import utcnow
from newsdedup.pipeline.dedup import DedupStage, check_signature_scheme
from newsdedup.pipeline.dedup.paragraphs import FATES
from newsdedup.storage.db import Database
from newsdedup.storage.models import ArticleRow, ArticleSignatureRow, LshBandRow, ParagraphRow

CASES = {
    "identical-at-another-url": (TRAM, TRAM, True),
    "truncated-copy": (TRAM, truncated(TRAM, 3, "Read the full story at the Harbour Post."), True),
    "edited-copy": (TRAM, edited(TRAM), True),
    "reordered-copy": (MATCH, reordered(MATCH), True),
    "hard-negative": (TRAM, TRAM_HARD_NEGATIVE, False),
    "template-negative": (EARNINGS, EARNINGS_TEMPLATE, False),
    "follow-up-negative": (TRAM, TRAM_FOLLOW_UP, False),
    "unrelated": (TRAM, UNRELATED, False),
    # Chinese is written without spaces: the copy's edits fall in every clause.
    "edited-copy-zh": (TRAM_ZH, TRAM_ZH_COPY, True),
    "same-subject-zh": (TRAM_ZH, BUS_ZH, False),
}


@pytest.mark.parametrize(("first", "second", "joins"), CASES.values(), ids=CASES.keys())
def test_a_copy_joins_the_story_and_a_different_story_does_not(
    db: Database, first: tuple[str, ...], second: tuple[str, ...], joins: bool
) -> None:
    one, two = store_in_order(db, [("wire", "https://wire.example/1", first),
                                   ("post", "https://post.example/2", second)])
    stats = run(db)
    found = articles(db)
    assert same_cluster(found, one, two) is joins
    assert found[one].is_canonical and found[one].duplicate_of is None
    if joins:
        assert not found[two].is_canonical
        assert found[two].duplicate_of == one
        assert found[two].match_method in ("exact", "jaccard", "containment")
        similarity = found[two].similarity
        assert similarity is not None and similarity > 0.5
        assert cluster_size(db, found[one]) == 2
    else:
        assert found[two].is_canonical and found[two].duplicate_of is None
        assert stats["dedup/cluster_new"] == 2


def test_an_exact_copy_joins_with_similarity_one(db: Database) -> None:
    _one, two = store_in_order(db, [("wire", "https://wire.example/a", TRAM),
                                   ("post", "https://post.example/b", TRAM)])
    stats = run(db)
    found = articles(db)
    assert found[two].match_method == "exact" and found[two].similarity == 1.0
    assert stats["dedup/exact_copy"] == 1


def test_a_syndicated_story_is_one_cluster_verified_against_its_canonical(db: Database) -> None:
    ids = store_in_order(db, [
        ("wire", "https://wire.example/tram", TRAM),
        ("post", "https://post.example/tram", edited(TRAM)),
        ("times", "https://times.example/tram", truncated(TRAM, 4)),
        ("herald", "https://herald.example/tram", truncated(TRAM, 2)),
        # Contains the herald's short copy entirely, but is another story: it must be
        # verified against the canonical, not against the copy it resembles most.
        ("herald", "https://herald.example/follow-up", TRAM_FOLLOW_UP),
        ("wire", "https://wire.example/library", TRAM_HARD_NEGATIVE),
    ])
    run(db)
    found = articles(db)
    assert same_cluster(found, *ids[:4])
    assert {found[i].duplicate_of for i in ids[1:4]} == {ids[0]}
    assert found[ids[4]].cluster_id not in {found[ids[0]].cluster_id, found[ids[5]].cluster_id}
    assert cluster_size(db, found[ids[0]]) == 4


def test_every_article_ends_in_a_cluster_and_no_paragraph_is_lost(db: Database) -> None:
    bodies = [TRAM + TRAM[:3], (TRAM[0][:150], *TRAM), MATCH, ("Too short.",), UNRELATED]
    ids = store_in_order(db, [("s", f"https://s.example/{i}", b) for i, b in enumerate(bodies)])
    run(db)
    found = articles(db)
    for article_id, body in zip(ids, bodies, strict=True):
        assert found[article_id].dedup_state == "done"
        assert found[article_id].cluster_id is not None
        paragraph_fates = fates(db, article_id)
        assert len(paragraph_fates) == len(body)
        assert set(paragraph_fates) <= set(FATES)
    assert fates(db, ids[0])[-3:] == ["repeat"] * 3
    assert fates(db, ids[1])[0] == "truncated_repeat"
    assert found[ids[0]].text == "\n\n".join(TRAM)
    assert found[ids[1]].text == "\n\n".join(TRAM)


def test_short_texts_do_not_fall_into_one_cluster(db: Database) -> None:
    page = ("Subscribe to read this article.", "Already a subscriber? Log in.")
    ids = store_in_order(db, [(f"outlet-{i}", f"https://o{i}.example/x", page) for i in range(4)])
    stats = run(db)
    found = articles(db)
    assert len({found[i].cluster_id for i in ids}) == 4
    assert stats["dedup/too_short"] == 4


FOOTER = "Support independent journalism: subscribe to the Harbour Post for one pound a week."


def header(day: int) -> str:
    return f"Filed by the Harbour Post newsroom at 09:{day:02d} on {day} June 2025 and updated later"


def test_templates_are_learned_per_source_and_applied_retroactively(db: Database) -> None:
    stories = [TRAM, MATCH, EARNINGS]
    first = store(db, "post", "https://post.example/1", (header(1), *stories[0], FOOTER))
    run(db)
    assert fates(db, first)[-1] == "kept"  # seen once: content for now
    second = store(db, "post", "https://post.example/2", (header(2), *stories[1], FOOTER),
                   seen=NOW + timedelta(hours=1))
    run(db)
    assert fates(db, second)[-1] == "kept"
    third = store(db, "post", "https://post.example/3", (header(3), *stories[2], FOOTER),
                  seen=NOW + timedelta(hours=2))
    stats = run(db)
    assert stats["dedup/templates_learned"] == 2  # the footer (exact) and the header (near)
    assert stats["dedup/retroactive"] == 2
    found = articles(db)
    for article_id, story in zip((first, second, third), stories, strict=True):
        assert fates(db, article_id)[0] == "template"
        assert fates(db, article_id)[-1] == "template"
        assert found[article_id].text == "\n\n".join(story)


def test_a_paragraph_shared_across_sources_is_not_a_template(db: Database) -> None:
    ids = store_in_order(db, [
        (f"outlet-{i}", f"https://o{i}.example/x", (story[0], FOOTER, *story[1:]))
        for i, story in enumerate((TRAM, MATCH, EARNINGS, UNRELATED))
    ])
    run(db)
    assert all(fates(db, i)[1] == "kept" for i in ids)


def test_the_earliest_published_article_is_the_canonical(db: Database) -> None:
    copy = store(db, "post", "https://post.example/copy", edited(TRAM),
                 published=NOW - timedelta(hours=1), seen=NOW)
    run(db)
    original = store(db, "wire", "https://wire.example/orig", TRAM,
                     published=NOW - timedelta(hours=5), seen=NOW + timedelta(hours=1))
    run(db)
    found = articles(db)
    assert same_cluster(found, copy, original)
    assert found[original].is_canonical and not found[copy].is_canonical
    assert found[copy].duplicate_of == original
    assert found[copy].similarity is not None and found[copy].match_method is not None


def test_source_priority_breaks_ties(db: Database) -> None:
    ids = [
        store(db, source, f"https://{source}.example/x", TRAM, published=NOW, seen=NOW)
        for source in ("wire", "post")
    ]
    stats = DedupStage(DedupConfig(source_priority=("post",)), db).run()
    found = articles(db)
    assert stats["dedup/exact_copy"] == 1
    assert found[ids[1]].is_canonical and found[ids[0]].duplicate_of == ids[1]


def test_copies_are_looked_for_within_the_date_window(db: Database) -> None:
    original = store(db, "wire", "https://wire.example/a", TRAM, published=NOW)
    late = store(db, "post", "https://post.example/b", edited(TRAM),
                 published=NOW + timedelta(days=30))
    run(db, date_window_days=14)
    found = articles(db)
    assert not same_cluster(found, original, late)


def test_a_new_revision_recomputes_its_clusters(db: Database) -> None:
    original, copy, other_copy = store_in_order(db, [
        ("wire", "https://wire.example/a", TRAM),
        ("post", "https://post.example/b", edited(TRAM)),
        ("times", "https://times.example/c", truncated(TRAM, 4)),
    ])
    run(db)
    assert same_cluster(articles(db), original, copy, other_copy)
    # The canonical's page now carries another story: a new revision, not a duplicate.
    store(db, "wire", "https://wire.example/a", UNRELATED, seen=NOW + timedelta(days=1))
    with db.reader() as session:
        wire = session.scalar(text("SELECT id FROM sources WHERE name = 'wire'"))
    # Processing the wire alone also finishes the copies its update sent back.
    stats = DedupStage(DedupConfig(), db).run([wire])
    found = articles(db)
    assert stats["dedup/requeued"] == 2
    assert not same_cluster(found, original, copy)
    assert same_cluster(found, copy, other_copy)
    assert found[copy].is_canonical and found[other_copy].duplicate_of == copy
    assert all(found[i].dedup_state == "done" for i in (original, copy, other_copy))
    assert sum(cluster_sizes(db).values()) == 3


def test_an_updated_copy_leaves_its_cluster(db: Database) -> None:
    original, copy = store_in_order(db, [("wire", "https://wire.example/a", TRAM),
                                         ("post", "https://post.example/b", edited(TRAM))])
    run(db)
    store(db, "post", "https://post.example/b", MATCH, seen=NOW + timedelta(days=1))
    run(db)
    found = articles(db)
    assert not same_cluster(found, original, copy)
    assert cluster_size(db, found[original]) == 1
    assert found[original].is_canonical


def _fail_on_done(db: Database, article_id: int) -> None:
    """A database trigger that refuses to mark one article done: a failure mid-batch."""
    with db.session() as session:
        if db.dialect == "sqlite":
            session.execute(text(
                "CREATE TRIGGER boom BEFORE UPDATE OF dedup_state ON articles "
                f"WHEN NEW.id = {article_id} AND NEW.dedup_state = 'done' "
                "BEGIN SELECT RAISE(ABORT, 'boom'); END"
            ))
        else:
            session.execute(text(
                "CREATE FUNCTION boom() RETURNS trigger AS $$ BEGIN "
                f"IF NEW.id = {article_id} AND NEW.dedup_state = 'done' THEN "
                "RAISE EXCEPTION 'boom'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql"
            ))
            session.execute(text(
                "CREATE TRIGGER boom BEFORE UPDATE ON articles FOR EACH ROW EXECUTE FUNCTION boom()"
            ))


def _attempts(db: Database, article_id: int) -> tuple[str, int, str | None]:
    with db.reader() as session:
        row = session.execute(
            select(ArticleRow.dedup_state, ArticleRow.dedup_attempts, ArticleRow.dedup_error)
            .where(ArticleRow.id == article_id)
        ).one()
    return row.dedup_state, row.dedup_attempts, row.dedup_error


def test_an_article_that_fails_dedup_is_quarantined_and_the_others_finish(db: Database) -> None:
    # Issue 11: one article the stage failed on stayed pending and failed every later
    # batch, so every process and crawl of any source failed from then on.
    ids = store_in_order(db, [
        ("wire", "https://wire.example/a", TRAM),
        ("post", "https://post.example/b", edited(TRAM)),
        ("wire", "https://wire.example/c", MATCH),
        ("post", "https://post.example/d", reordered(MATCH)),
        ("post", "https://post.example/e", EARNINGS),
    ])
    _fail_on_done(db, ids[2])
    stats = DedupStage(DedupConfig(batch_size=2), db).run()
    assert stats["dedup/quarantined"] == 1
    found = articles(db)
    assert [found[i].dedup_state for i in ids] == ["done", "done", "failed", "done", "done"]
    _state, attempts, error = _attempts(db, ids[2])
    # Once in its batch, once alone; the reason is the database's one line.
    assert attempts == 2 and error is not None and "boom" in error and "\n" not in error
    assert _attempts(db, ids[3])[1:] == (0, None)
    # Later runs try it again, up to dedup.max_attempts in all, then leave it alone.
    stats = DedupStage(DedupConfig(batch_size=2), db).run()
    assert (stats["dedup/retried"], stats["dedup/quarantined"]) == (1, 1)
    assert _attempts(db, ids[2])[:2] == ("failed", 3)
    stats = DedupStage(DedupConfig(batch_size=2), db).run()
    assert stats["dedup/retried"] == 0 and _attempts(db, ids[2])[:2] == ("failed", 3)
    # `newsdedup status` shows it under its source, with the reason and attempts.
    config = config_from_mapping({"sources": [
        {"name": name, "feeds": [f"https://{name}.example/feed"]} for name in ("wire", "post")
    ]}, environ={})
    shown = {status.name: status for status in source_statuses(config, db, utcnow())}
    assert shown["post"].quarantine is None
    held = shown["wire"].quarantine
    assert held is not None and (held.count, held.article_id, held.attempts) == (1, ids[2], 3)
    assert "boom" in (held.error or "")
    assert shown["wire"].as_json()["quarantined_articles"] == 1


def test_a_quarantined_article_is_finished_by_a_later_run_once_the_fault_is_gone(db: Database) -> None:
    ids = store_in_order(db, [
        ("wire", "https://wire.example/a", TRAM),
        ("post", "https://post.example/b", edited(TRAM)),
        ("wire", "https://wire.example/c", MATCH),
        ("post", "https://post.example/d", reordered(MATCH)),
    ])
    _fail_on_done(db, ids[2])
    run(db, batch_size=2)
    assert articles(db)[ids[2]].dedup_state == "failed"
    with db.reader() as session:
        signed = set(session.scalars(select(ArticleSignatureRow.article_id)))
        assert ids[2] not in signed
    with db.session() as session:
        session.execute(text("DROP TRIGGER boom" if db.dialect == "sqlite" else "DROP TRIGGER boom ON articles"))
    stats = DedupStage(DedupConfig(batch_size=2), db).run()
    assert stats["dedup/retried"] == 1
    found = articles(db)
    assert all(found[i].dedup_state == "done" for i in ids)
    assert same_cluster(found, ids[0], ids[1]) and same_cluster(found, ids[2], ids[3])
    assert _attempts(db, ids[2]) == ("done", 0, None)


def test_reset_drops_derived_data_and_a_run_rebuilds_it(db: Database) -> None:
    ids = store_in_order(db, [("wire", "https://wire.example/a", TRAM),
                              ("post", "https://post.example/b", edited(TRAM)),
                              ("wire", "https://wire.example/c", MATCH)])
    run(db)
    before = articles(db)
    stage = DedupStage(DedupConfig(), db)
    assert stage.reset() == 3
    with db.reader() as session:
        assert session.scalar(select(func.count()).select_from(LshBandRow)) == 0
        assert session.scalar(select(func.count()).select_from(ArticleSignatureRow)) == 0
        assert set(session.scalars(select(ParagraphRow.fate))) == {"kept"}
    assert {a.dedup_state for a in articles(db).values()} == {"pending"}
    stage.run()
    after = articles(db)
    assert same_cluster(after, ids[0], ids[1]) and not same_cluster(after, ids[0], ids[2])
    assert [after[i].is_canonical for i in ids] == [before[i].is_canonical for i in ids]


def test_reset_of_one_source_dissolves_the_clusters_it_led(db: Database) -> None:
    original, copy, other = store_in_order(db, [("wire", "https://wire.example/a", TRAM),
                                                ("post", "https://post.example/b", edited(TRAM)),
                                                ("post", "https://post.example/c", MATCH)])
    run(db)
    with db.reader() as session:
        wire = session.scalar(text("SELECT id FROM sources WHERE name = 'wire'"))
    marked = DedupStage(DedupConfig(), db).reset([wire])
    found = articles(db)
    assert marked == 2  # the wire's article and the copy of its story
    assert found[original].dedup_state == found[copy].dedup_state == "pending"
    assert found[other].dedup_state == "done"
    run(db)
    assert same_cluster(articles(db), original, copy)


def test_signatures_made_with_other_parameters_are_refused(db: Database) -> None:
    store(db, "wire", "https://wire.example/a", TRAM)
    run(db)
    check_signature_scheme(DedupConfig(), db)
    changed = DedupConfig(num_perm=64, bands=32)
    with pytest.raises(ConfigError, match=r"num_perm=128 \(config: 64\).*newsdedup reprocess --dedup"):
        check_signature_scheme(changed, db)
    with pytest.raises(ConfigError):
        DedupStage(changed, db).run()
    DedupStage(changed, db).reset()
    DedupStage(changed, db).run()
    check_signature_scheme(changed, db)


BOILERPLATE = (
    "The Harbour Post is an independent newspaper owned by its readers. Our journalism is "
    "free to read because thousands of people like you support it every month, and we "
    "would like to thank every one of them for keeping local news alive in this city.",
    "Sign up to our morning briefing for the five stories you need to know before work, "
    "delivered to your inbox at seven o'clock, with the weather, the traffic and the "
    "football results from across the region. You can unsubscribe at any time.",
)


def test_boilerplate_dominated_pages_of_a_source_do_not_end_in_one_cluster(db: Database) -> None:
    stories = [TRAM[0], MATCH[0], EARNINGS[0], UNRELATED[0]]
    ids, learned = [], 0
    for index, story in enumerate(stories):  # one run per article: the crawl's rhythm
        ids.append(store(db, "post", f"https://post.example/{index}", (*BOILERPLATE, story),
                         seen=NOW + timedelta(hours=index)))
        learned += run(db)["dedup/templates_learned"]
    found = articles(db)
    assert learned == 2
    assert len({found[i].cluster_id for i in ids}) == 4
    assert all(found[i].text == story for i, story in zip(ids, stories, strict=True))


def test_a_copy_across_a_time_bucket_boundary_is_found(db: Database) -> None:
    from newsdedup.pipeline.dedup.bands import BUCKET_DAYS

    # The original on the last day of a bucket, the copy 12 days later, in the next one.
    start = NOW - timedelta(days=(NOW.date().toordinal() - 719163) % BUCKET_DAYS + 1)
    original = store(db, "wire", "https://wire.example/a", TRAM, published=start)
    copy = store(db, "post", "https://post.example/b", edited(TRAM), published=start + timedelta(days=12),
                 seen=NOW + timedelta(minutes=1))
    run(db)
    run_found = articles(db)
    assert same_cluster(run_found, original, copy)


def test_articles_a_killed_run_left_are_done_one_by_one_and_quarantined_after_max_attempts(
        db: Database) -> None:
    # What a process killed in the middle of batches (out of memory) leaves: pending
    # articles with attempts counted that never committed.
    ids = store_in_order(db, [
        ("wire", "https://wire.example/a", TRAM),
        ("post", "https://post.example/b", edited(TRAM)),
        ("wire", "https://wire.example/c", MATCH),
    ])
    with db.session() as session:
        session.execute(update(ArticleRow).where(ArticleRow.id.in_(ids[:2])).values(dedup_attempts=1))
        session.execute(update(ArticleRow).where(ArticleRow.id == ids[2]).values(dedup_attempts=3))
    stats = run(db)
    assert stats["dedup/quarantined"] == 1 and stats["dedup/articles"] == 2
    assert _attempts(db, ids[0]) == ("done", 0, None) and _attempts(db, ids[1]) == ("done", 0, None)
    state, attempts, error = _attempts(db, ids[2])
    assert (state, attempts) == ("failed", 3) and "stopped during each of 3 attempts" in (error or "")
    assert same_cluster(articles(db), ids[0], ids[1])
