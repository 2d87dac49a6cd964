"""``import_paths``: legacy text and JSON-lines dumps become clean, clustered articles."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from dedup_helpers import articles, fates
from dedup_stories import EARNINGS, MATCH, TRAM, edited
from sqlalchemy import select

from newsdedup.core.config import Config
from newsdedup.core.errors import UsageError
from newsdedup.pipeline.imports import import_paths, read_text
from newsdedup.storage.db import Database
from newsdedup.storage.models import ArticleRow, SourceRow

# Written in the shape of ../shared/seeds: seed 000 (an HTTP 403 page with its body
# stored twice), seed 001 (the date line swallowed the first paragraph) and seed 002 (a
# feed summary cut mid-word and the title twice).
REPEATED_BLOCK = "\n".join([" date 2025-08-07 403", "Sorry!!", TRAM[0], *TRAM[1:5], *TRAM[1:5],
                            "Legal Disclaimer:"])
DATE_AND_PARAGRAPH = f" date 2025-06-07 {MATCH[0]}\n\n" + "\n\n".join(MATCH[1:]) + "\n"
TITLE = "Norvale Foods profit rises 12 percent"
SUMMARY_AND_TITLE = "\n".join([
    "Vue normale", "",
    f"  \u2022 {TITLE}",
    "    " + (EARNINGS[0] + " " + EARNINGS[1])[:230], "    \u00a0", "",
    TITLE, "", "4 juin 2025 \u00e0 14:58", "", *EARNINGS,
])


def write(folder: Path, name: str, content: str) -> Path:
    # A folder of its own: the SQLite database of the test lives in tmp_path too.
    folder = folder / "dump"
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(content, encoding="utf-8")
    return path


def by_url(db: Database) -> dict[str, int]:
    with db.reader() as session:
        return {url: i for url, i in session.execute(select(ArticleRow.canonical_url, ArticleRow.id))}


def test_seed_like_text_files_become_clean_articles(db: Database, tmp_path: Path) -> None:
    [write(tmp_path, "000.txt", REPEATED_BLOCK), write(tmp_path, "001.txt", DATE_AND_PARAGRAPH),
             write(tmp_path, "002.txt", SUMMARY_AND_TITLE)]
    report = import_paths(Config(), db, [tmp_path / "dump"], source="seeds", fmt="text")
    assert report.files == 3 and report.saved["new"] == 3
    assert report.dedup["dedup/articles"] == 3
    with db.reader() as session:
        first, second, third = session.execute(
            select(ArticleRow.id, ArticleRow.http_status, ArticleRow.published_at, ArticleRow.text)
            .order_by(ArticleRow.id)
        ).all()
    # Seed 000: HTTP status and date kept, the repeated block gone from the clean body.
    assert first.http_status == 403
    assert first.published_at == datetime(2025, 8, 7, tzinfo=UTC)
    assert first.text.count(TRAM[1]) == 1 and TRAM[4] in first.text
    # The error page's "Sorry!!" and the disclaimer are chrome, left out before storage;
    # the second copy of the block is stored, as repeats of the first.
    assert "Sorry!!" not in first.text and "Legal Disclaimer" not in first.text
    assert fates(db, first.id) == ["kept"] * 5 + ["repeat"] * 4
    # Seed 001: the paragraph after the date is the first paragraph.
    assert second.http_status is None
    assert second.text.startswith(MATCH[0])
    # Seed 002: the clipped feed summary and the second title are gone.
    assert third.text.count(EARNINGS[0][:60]) == 1
    assert third.text.count(TITLE) == 1
    assert "truncated_repeat" in fates(db, third.id)
    assert "repeat" in fates(db, third.id)


def test_importing_the_same_files_again_stores_nothing_new(db: Database, tmp_path: Path) -> None:
    write(tmp_path, "000.txt", REPEATED_BLOCK)
    import_paths(Config(), db, [tmp_path / "dump"], source="seeds", fmt="text")
    again = import_paths(Config(), db, [tmp_path / "dump"], source="seeds", fmt="text")
    assert again.saved == {"unchanged": 1}
    assert len(articles(db)) == 1


def test_jsonl_rows_name_their_source_and_copies_cluster(db: Database, tmp_path: Path) -> None:
    rows = [
        {"url": "https://wire.example/tram?utm_source=x", "title": "Tram approved",
         "text": "\n\n".join(TRAM), "published_at": "2025-06-03T10:00:00Z", "source": "wire"},
        {"title": "Tram approved", "text": "\n\n".join(edited(TRAM)), "source": "post",
         "published_at": "2025-06-04"},
        {"text": "\n".join(MATCH)},
    ]
    path = write(tmp_path, "dump.jsonl", "\n".join(json.dumps(r) for r in rows) + "\n\n")
    report = import_paths(Config(), db, [path], source="fallback", fmt="auto")
    assert report.articles == 3 and report.sources == {"wire": 1, "post": 1, "fallback": 1}
    urls = by_url(db)
    assert "https://wire.example/tram" in urls  # canonicalised
    found = articles(db)
    wire = urls["https://wire.example/tram"]
    post = next(i for u, i in urls.items() if u.startswith("import://post/"))
    assert found[post].duplicate_of == wire
    with db.reader() as session:
        assert set(session.scalars(select(SourceRow.name))) == {"wire", "post", "fallback"}


def test_a_malformed_line_names_file_and_line_and_keeps_what_came_before(
    db: Database, tmp_path: Path
) -> None:
    good = json.dumps({"text": "\n\n".join(TRAM), "source": "wire"})
    path = write(tmp_path, "dump.jsonl", f"{good}\n{{not json\n{json.dumps({'text': 'late'})}\n")
    with pytest.raises(UsageError, match=rf"{path}:2: not a JSON object"):
        import_paths(Config(), db, [path], source=None, fmt="jsonl")
    stored = articles(db)
    assert len(stored) == 1
    assert next(iter(stored.values())).dedup_state == "done"



def test_a_line_nested_past_the_parser_stack_is_a_malformed_line(db: Database, tmp_path: Path) -> None:
    """Arrays nested 100,000 deep raised RecursionError out of the JSON parser: a
    traceback instead of the file and line."""
    good = json.dumps({"text": "\n\n".join(TRAM), "source": "wire"})
    path = write(tmp_path, "dump.jsonl", f"{good}\n{'[' * 100_000}{']' * 100_000}\n")
    with pytest.raises(UsageError, match=rf"{path}:2: not a JSON object: nested too deeply"):
        import_paths(Config(), db, [path], source=None, fmt="jsonl")
    assert len(articles(db)) == 1


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        pytest.param('{"title": "no text"}', "'text' is required", id="no-text"),
        pytest.param('{"text": "x", "url": 5}', "'url' must be a string", id="url-type"),
        pytest.param('{"text": "x", "source": "s", "published_at": "yesterday"}', "invalid date",
                     id="bad-date"),
        # Past the range of datetime once in UTC: an OverflowError, not a malformed line.
        pytest.param('{"text": "x", "source": "s", "published_at": "0001-01-01T00:00:00+14:00"}',
                     "invalid date", id="date-before-year-1-in-utc"),
        pytest.param('{"text": "x", "source": "s", "published_at": "9999-12-31T23:00:00-14:00"}',
                     "invalid date", id="date-after-9999-in-utc"),
        pytest.param('{"text": "x", "source": "s", "url": "http://news.example:99999/a"}',
                     "not an http", id="port-out-of-range"),
        pytest.param('{"text": "x", "source": "s", "url": "http://[::1]x/a"}', "not an http",
                     id="port-after-ipv6-host"),
        pytest.param('{"text": "x", "source": "s", "url": "http://news.example/a\\u0000b"}',
                     "not an http", id="nul-in-url"),
        pytest.param('["a list"]', "expected a JSON object", id="not-object"),
        pytest.param('{"text": "x"}', "no source", id="no-source"),
        # A name no source can have: a driver error on Postgres (a NUL, past the column).
        pytest.param('{"text": "x", "source": "The Wire\\u0000"}', "invalid source name", id="nul-in-source"),
        pytest.param('{"text": "x", "source": "' + "w" * 101 + '"}', "invalid source name", id="long-source"),
    ],
)
def test_malformed_records_are_refused(db: Database, tmp_path: Path, line: str, problem: str) -> None:
    path = write(tmp_path, "bad.jsonl", line + "\n")
    with pytest.raises(UsageError, match=rf"bad.jsonl:1: .*{problem}"):
        import_paths(Config(), db, [path], source=None, fmt="jsonl")



def test_an_import_names_its_sources_as_the_old_scraper_did(db: Database, tmp_path: Path) -> None:
    """Dumps name their outlets as people do ("Daily Record Online"): created so, unlike
    a config's names."""
    path = write(tmp_path, "dump.jsonl", json.dumps({"text": "\n\n".join(TRAM), "source": "The Wire"}) + "\n")
    report = import_paths(Config(), db, [path], source=None, fmt="jsonl")
    assert report.articles == 1 and report.saved["new"] == 1
    with db.reader() as session:
        assert set(session.scalars(select(SourceRow.name))) == {"The Wire"}

def test_nul_and_control_characters_in_text_and_title_are_dropped(db: Database, tmp_path: Path) -> None:
    """Postgres refuses text holding a NUL: one such line failed the import's batch with
    a driver traceback."""
    text = "\n\n".join(TRAM).replace(" ", "\x00 ", 3)
    line = json.dumps({"text": text, "title": "Tram\x00 line\x07 opens", "source": "wire"})
    path = write(tmp_path, "dump.jsonl", line + "\n")
    import_paths(Config(), db, [path], source=None, fmt="jsonl")
    with db.reader() as session:
        title, stored = session.execute(select(ArticleRow.title, ArticleRow.text)).one()
    assert title == "Tram line opens"
    assert "\x00" not in stored and stored.startswith(TRAM[0].split(" ")[0])


def test_text_files_need_a_source_and_existing_paths(db: Database, tmp_path: Path) -> None:
    path = write(tmp_path, "a.txt", "One paragraph of text.\n")
    with pytest.raises(UsageError, match="--source"):
        import_paths(Config(), db, [path], source=None, fmt="text")
    with pytest.raises(UsageError, match="no such file"):
        import_paths(Config(), db, [tmp_path / "dump" / "missing.txt"], source="x", fmt="text")
    with pytest.raises(UsageError, match="unknown import format"):
        import_paths(Config(), db, [path], source="x", fmt="csv")


@pytest.mark.parametrize(
    ("first_line", "published", "status", "first_paragraph"),
    [
        pytest.param(" date 2025-08-07 403", "2025-08-07", 403, "Body.", id="date-and-status"),
        pytest.param(" date 2025-06-07", "2025-06-07", None, "Body.", id="date-only"),
        pytest.param(" date 2025-06-07 200 people were freed", "2025-06-07", None,
                     "200 people were freed", id="date-and-a-paragraph-starting-with-a-number"),
        pytest.param("No date line here", None, None, "No date line here", id="no-date-line"),
    ],
)
def test_the_optional_first_line_of_a_text_file(tmp_path: Path, first_line: str,
                                                 published: str | None, status: int | None,
                                                 first_paragraph: str) -> None:
    article = read_text(write(tmp_path, "a.txt", f"{first_line}\nBody.\n"), "seeds")
    assert article is not None
    assert (article.published_at.date().isoformat() if article.published_at else None) == published
    assert article.http_status == status
    assert article.paragraphs[0] == first_paragraph
    assert article.url.startswith("import://seeds/")


def test_an_empty_text_file_is_counted_not_stored(db: Database, tmp_path: Path) -> None:
    write(tmp_path, "empty.txt", "\n \n")
    report = import_paths(Config(), db, [tmp_path / "dump"], source="seeds", fmt="text")
    assert report.empty == 1 and report.articles == 0


CHROME_DUMP = "\n".join([
    " date 2025-08-07 403",
    "Error! We're sorry, but the page you were looking for doesn't exist.",
    "icon bookmark-bicon bookmarkicon cameraicon checkicon chevron downicon fbicon",
    *TRAM[:4],
    "Dear readers! Thank you for your vibrant engagement with our content. Please check our commenting policy",
    "0:00", "24:55",
    "Legal Disclaimer:",
    "Most popular stories",
    "- BTSE Sponsors Major Blockchain Conferences In Vietnam",
    "- Primexbt Partners With A Primary School To Support Education",
    "\u274c",
    "Author: Daria Shulzhenko",
])


def test_page_chrome_in_a_dump_is_left_out_and_counted(db: Database, tmp_path: Path) -> None:
    write(tmp_path, "000.txt", CHROME_DUMP)
    report = import_paths(Config(), db, [tmp_path / "dump"], source="seeds", fmt="text")
    (article,) = articles(db).values()
    assert article.text == "\n\n".join(TRAM[:4])
    assert sum(report.chrome.values()) == 11
    # The lines under "Most popular stories" go with it, as teasers.
    assert report.chrome == {"error_notice": 1, "icons": 1, "comments": 1, "media": 2,
                             "legal": 1, "related": 5}
    # The URL is still the one made from the dump as it was: a re-import finds it.
    again = import_paths(Config(), db, [tmp_path / "dump"], source="seeds", fmt="text")
    assert again.saved == {"unchanged": 1}


def test_a_dump_of_nothing_but_chrome_is_empty(db: Database, tmp_path: Path) -> None:
    write(tmp_path, "000.txt", "Share on Facebook\n0:00\n\u274c\n")
    report = import_paths(Config(), db, [tmp_path / "dump"], source="seeds", fmt="text")
    assert report.empty == 1 and report.articles == 0
    assert articles(db) == {}


def test_a_feed_readers_bulleted_title_is_the_title(db: Database, tmp_path: Path) -> None:
    # seeds/002: the reader lists the story as "• Title" above the page's own title.
    write(tmp_path, "002.txt", "\n".join(["Vue normale", f"  \u2022 {TITLE}", "", TITLE, "", *EARNINGS,
                                          "\u2013 A dash opening dialogue stays as written."]))
    report = import_paths(Config(), db, [tmp_path / "dump"], source="seeds", fmt="text")
    (article,) = articles(db).values()
    assert article.text.split("\n\n")[0] == TITLE
    assert article.text.count(TITLE) == 1
    assert article.text.endswith("\u2013 A dash opening dialogue stays as written.")
    assert report.chrome["feed_reader"] == 1
