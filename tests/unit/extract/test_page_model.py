"""The page-kind model: the signal vector, the trees' scoring and its explanation, the
shipped weights, and how the model and the page-type rules decide together."""

from __future__ import annotations

import lxml.html
import pytest

from newsdedup.pipeline.extract.metadata import PageMetadata
from newsdedup.pipeline.extract.page_kind import BODY_RULES, RULE_NAMES, decide
from newsdedup.pipeline.extract.page_layout import read_layout
from newsdedup.pipeline.extract.page_model import (
    BodyFacts,
    PageModel,
    Verdict,
    load_page_model,
    page_vector,
)
from newsdedup.pipeline.extract.page_signals import read_signals
from newsdedup.pipeline.extract.page_words import read_words
from newsdedup.pipeline.extract.text import length_in_words

# One split on "cards" at 1.0: many cards push the score up by 2, few pull it down by 1.
STUMP = {
    "features": ["cards", "prices"],
    "base": 0.0,
    "rate": 1.0,
    "threshold": 0.5,
    "veto": 0.0,
    "trees": [{"feature": [0, -1, -1], "threshold": [1.0, 0.0, 0.0], "left": [1, -1, -1],
               "right": [2, -1, -1], "value": [0.0, -1.0, 2.0]}],
}

PAGE = """<html><head><title>t</title></head><body>
<nav><a href="/a">Home</a> <a href="/b">World news</a></nav>
<main>
<h1>Shop</h1>
<h2><a href="/p/1">A fine red teapot for four cups</a></h2><span>$19.99</span>
<h2><a href="/p/2">A plain white mug with a handle</a></h2><span>$7.50</span>
<form><input name="q"><button>Search</button></form>
<table><tr><td>size</td><td>large</td></tr></table>
<pre>code</pre>
<p>This paragraph is prose. It has two sentences.</p>
</main></body></html>"""


def test_a_stump_scores_both_sides_and_credits_the_signal_it_split_on() -> None:
    model = PageModel(STUMP)
    high = model.judge({"cards": 3.0})
    low = model.judge({"cards": 0.0, "prices": 5.0})
    assert (high.score, high.rejects) == (2.0, True)
    assert (low.score, low.rejects) == (-1.0, False)
    assert high.reasons == (("cards", 3.0),)
    assert low.reasons == ()  # a signal that pulled towards "article" is no reason to reject
    assert "cards 3.0" in high.detail() and "score 2.00 >= 0.50" in high.detail()


def test_missing_signals_read_as_zero() -> None:
    assert PageModel(STUMP).judge({}).score == -1.0


def test_layout_counts_links_headings_forms_tables_and_prose() -> None:
    layout = read_layout(lxml.html.fromstring(PAGE).find("body"))
    assert layout.h1 == 1 and layout.h2 == 2 and layout.linked_headings == 2
    assert layout.headline_anchors == 2 and layout.anchors == 4
    assert (layout.forms, layout.fields, layout.buttons, layout.tables, layout.pres) == (1, 1, 1, 1, 1)
    assert layout.paragraphs == 1 and layout.sentence_paragraphs == 1 and layout.prose_paragraphs == 0
    assert 0 < layout.chrome_chars < layout.link_chars < layout.chars


def test_layout_counts_chinese_prose_by_reading_length() -> None:
    # Chinese is written without spaces: a paragraph of 120 characters is one run of word
    # characters; read as two characters a word, it is a paragraph of prose, as its English
    # translation would be.
    paragraph = "\u6e2f\u6e7e\u5e02\u8bae\u4f1a" * 24 + "\u3002"
    html = f"<html><body><main><p>{paragraph}</p><p>{paragraph[:30]}</p></main></body></html>"
    layout = read_layout(lxml.html.fromstring(html).find("body"))
    assert layout.paragraphs == 2 and layout.prose_paragraphs == 1
    assert layout.paragraph_words == 60 + 15


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("The council met on Tuesday.", 5),
        ("\u6e2f\u6e7e\u5e02\u8bae\u4f1a\u5468", 3),  # Chinese: two characters a word
        ("WTO \u7ec4\u7ec7", 2),
        # Thai: 45 characters (vowel signs and tone marks included) are ten words, not the
        # runs between its marks.
        ("\u0e2a\u0e20\u0e32\u0e40\u0e21\u0e37\u0e2d\u0e07" * 5 + "\u0e17\u0e48\u0e32\u0e40\u0e23", 10),
        ("Bangkok \u0e2a\u0e20\u0e32\u0e40\u0e21\u0e37\u0e2d\u0e07 2026", 4),
        # Tai Tham and New Tai Lue, written without spaces like Thai: 45 characters, ten words.
        ("\u1a20\u1a36\u1a63\u1a3e\u1a65\u1a37\u1a74\u1a43\u1a6e" * 5, 10),
        ("\u1980\u19b1\u1989\u19c8\u1991" * 9, 10),
        # Myanmar's extension A (Shan and Khamti letters) counts with Myanmar.
        ("\u1000\u102c\uaa60\uaa61\u103a" * 9, 10),
        # Japanese iteration marks and Han past U+FFFF are Chinese characters like any other.
        ("\u4eba\u3005", 1),
        ("\u6642\u3005\u523b\u3005", 2),
        ("\U00020bb7" * 4, 2),
    ],
)
def test_length_in_words_reads_scripts_without_spaces_by_their_characters(text: str, words: int) -> None:
    assert length_in_words(text) == words


@pytest.mark.parametrize(
    "paragraph",
    [
        pytest.param("\u092a\u0930\u093f\u0937\u0926 \u0928\u0947 \u092e\u0902\u091c\u0942\u0930\u0940 \u0926\u0940\u0964", id="hindi-danda"),
        pytest.param("\u06a9\u0648\u0646\u0633\u0644 \u0646\u06d2 \u0645\u0646\u0638\u0648\u0631\u06cc \u062f\u06cc\u06d4", id="urdu-full-stop"),
        pytest.param("\u0647\u0644 \u0648\u0627\u0641\u0642 \u0627\u0644\u0645\u062c\u0644\u0633\u061f", id="arabic-question-mark"),
        pytest.param("\u1000\u1031\u102c\u1004\u103a\u1005\u102e\u104b", id="myanmar-section-mark"),
        pytest.param("\u1218\u1295\u130d\u1235\u1272 \u12a0\u1338\u12f0\u1240\u1362", id="ethiopic-full-stop"),
    ],
)
def test_layout_knows_the_full_stops_of_other_scripts(paragraph: str) -> None:
    html = f"<html><body><main><p>{paragraph}</p><p>{paragraph[:-1]}</p></main></body></html>"
    layout = read_layout(lxml.html.fromstring(html).find("body"))
    assert layout.paragraphs == 2 and layout.sentence_paragraphs == 1


def _vector(html: str, url: str, rules: frozenset[str] = frozenset()) -> dict[str, float]:
    tree = lxml.html.fromstring(html)
    signals = read_signals(tree, PageMetadata(), url, declared_article=False, hinted_date=False)
    return page_vector(signals, BodyFacts(("This paragraph is prose. It has two sentences.",), 0.0, 0), rules)


def test_the_vector_reads_url_shape_layout_body_and_rules() -> None:
    vector = _vector(PAGE, "https://shop.example/products/red-teapot/?ref=1", frozenset({"shop"}))
    assert vector["url_shop"] == 1.0 and vector["url_query"] == 1.0 and vector["url_ends_slash"] == 1.0
    assert vector["url_depth"] == 2.0 and vector["slug_words"] == 2.0
    assert vector["prices"] > 0 and vector["rule_shop"] == 1.0 and "rule_bare" not in vector
    assert vector["body_sentence_share"] == 1.0 and vector["ld_none"] == 1.0 and vector["og_none"] == 1.0
    assert all(isinstance(value, float) for value in vector.values())


def test_the_shipped_model_reads_only_signals_the_vector_has() -> None:
    model = load_page_model()
    known = set(_vector(PAGE, "https://a.example/x")) | {f"rule_{name}" for name in RULE_NAMES}
    assert model.trees, "page_model.json holds no trees: run bench/train_page_kind.py --write"
    assert set(model.features) <= known
    assert model.judge(_vector(PAGE, "https://a.example/x")).threshold == model.threshold


INTERFACE = """<html><body>
<script>var label = "add to cart in stock";</script>
<nav><a href="/">Home</a> <a href="/docs">Docs</a></nav>
<div class="buy"><button>Add to cart</button> <span>In stock</span> <span>Free shipping on this lamp</span></div>
<aside><p>On this page</p><a href="#a">Install</a></aside>
<div class="post"><span>Joined: March</span> <span>12 replies</span> <a>Reply</a> <a>Quote</a></div>
<p>Sign up for a free trial. Ein Klick: In den Warenkorb.</p>
</body></html>"""


def test_interface_phrases_are_counted_by_class_in_the_visible_text_only() -> None:
    words = read_words(lxml.html.fromstring(INTERFACE).find("body"))
    assert words.phrases["shop"] == 4  # add to cart, in stock, free shipping, in den Warenkorb (not the script's)
    assert words.phrases["forum"] == 4  # joined, replies, reply, quote
    assert words.phrases["service"] == 2 and words.phrases["docs"] == 1 and words.phrases["article"] == 0
    assert words.words > 30


def test_the_vector_reads_the_body_shape_and_the_interface_phrases() -> None:
    signals = read_signals(lxml.html.fromstring(INTERFACE), PageMetadata(), "https://a.example/lamp",
                           declared_article=False, hinted_date=False)
    paragraphs = ("Pricing", "Do you need a lamp? We ship it to you for $19 in 2 days.",
                  "Our lamps last 10 years.", "print(lamp)")
    vector = page_vector(signals, BodyFacts(paragraphs, 0.0, 0, ("heading", "text", "item", "text")))
    assert vector["shape_heading_share"] == 0.25 and vector["shape_item_share"] == 0.25
    assert vector["shape_short_share"] == 0.75 and vector["shape_code_share"] == 0.25
    words = 1 + 15 + 5 + 2
    assert vector["shape_you"] == pytest.approx(200 / words) and vector["shape_we"] == pytest.approx(200 / words)
    assert vector["shape_prices"] == pytest.approx(100 / words)
    assert vector["text_shop"] > vector["text_article"] == 0.0


RULES = {"teasers": "a list of teaser links", "shop": "a shop or pricing page"}


@pytest.mark.parametrize(
    ("verdict", "body_rules_apply", "expected"),
    [
        (None, True, "a list of teaser links"),
        (None, False, "a shop or pricing page"),
        (Verdict(0.5, 5.0, 1.0, ()), True, None),  # reads as an article: the rules are overruled
        (Verdict(2.0, 5.0, 1.0, (("cards", 2.0),)), False, "a shop or pricing page (page-kind model agrees"),
        (Verdict(2.0, 5.0, 1.0, (("cards", 2.0),)), True, "a list of teaser links (page-kind model agrees"),
    ],
)
def test_a_rule_stands_when_the_model_does_not_veto_it(
    verdict: Verdict | None, body_rules_apply: bool, expected: str | None
) -> None:
    why = decide(verdict, RULES, body_rules_apply=body_rules_apply)
    assert (why if expected is None or why is None else why[: len(expected)]) == expected


def test_the_model_rejects_on_its_own_from_its_threshold_and_names_its_signals() -> None:
    assert decide(Verdict(4.0, 5.0, 1.0, (("cards", 2.0),)), {}, body_rules_apply=True) is None
    why = decide(Verdict(6.0, 5.0, 1.0, (("cards", 2.0),)), {}, body_rules_apply=True)
    assert why is not None and why.startswith("page-kind model: not an article") and "cards 2.0" in why
    assert set(BODY_RULES) < set(RULE_NAMES)


def test_a_section_page_with_no_prose_of_its_own_is_not_overruled() -> None:
    rules = {"section": "a section page", "teasers_only": "a section page"}
    assert decide(Verdict(-3.0, 5.0, 1.0, ()), rules, body_rules_apply=True) == "a section page"
    assert decide(Verdict(-3.0, 5.0, 1.0, ()), {"section": "a section page"}, body_rules_apply=True) is None


def test_a_rule_on_a_paginated_page_is_not_overruled() -> None:
    rules = {"headlines": "a listing: 4 of 9 paragraphs are headline links"}
    assert decide(Verdict(-3.0, 5.0, 1.0, ()), rules, body_rules_apply=True, paginated=True) == rules["headlines"]
    assert decide(Verdict(-3.0, 5.0, 1.0, ()), rules, body_rules_apply=True, paginated=False) is None


def test_a_forum_thread_rule_is_not_overruled() -> None:
    rules = {"bare": "no article metadata", "forum": "a forum thread: 30 post boxes"}
    assert decide(Verdict(-3.0, 5.0, 1.0, ()), rules, body_rules_apply=True) == "a forum thread: 30 post boxes"
    assert decide(Verdict(-3.0, 5.0, 1.0, ()), {"bare": "no article metadata"}, body_rules_apply=True) is None


def test_a_landing_page_rule_needs_the_model_even_on_a_paginated_page() -> None:
    landing = {"landing": "a landing page: 3 paragraphs of prose and a 1-word URL slug"}
    assert decide(Verdict(-3.0, 5.0, 1.0, ()), landing, body_rules_apply=True, paginated=True) is None
    why = decide(Verdict(2.0, 5.0, 1.0, ()), landing, body_rules_apply=True, paginated=True)
    assert why is not None and why.startswith(landing["landing"])
    both = {**landing, "bare": "no article metadata"}
    assert decide(Verdict(-3.0, 5.0, 1.0, ()), both, body_rules_apply=True, paginated=True) == "no article metadata"


def test_the_forum_words_and_manual_path_rules_are_not_overruled() -> None:
    for name in ("forum_talk", "manual"):
        rules = {"bare": "no article metadata", name: f"{name} answers"}
        assert decide(Verdict(-3.0, 5.0, 1.0, ()), rules, body_rules_apply=True) == f"{name} answers"


def test_the_unmarked_rule_needs_the_model_always_and_stands_without_it_never() -> None:
    unmarked = {"unmarked": "no article metadata (no article markup, date or author), 2 paragraphs of prose"}
    assert decide(None, unmarked, body_rules_apply=True) is None
    assert decide(Verdict(0.5, 5.0, 1.0, ()), unmarked, body_rules_apply=True, paginated=True) is None
    why = decide(Verdict(2.0, 5.0, 1.0, ()), unmarked, body_rules_apply=True)
    assert why is not None and why.startswith(unmarked["unmarked"]) and "model agrees" in why
