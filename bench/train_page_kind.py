"""Train the page-kind model (``pipeline/extract/page_model.json``) and print its figures.

Usage:
    python bench/train_page_kind.py [--data DIR] [--cache FILE] [--recollect] [--write]
                                    [--tune-only] [--ranking] [--drop NAME,...]

Data: extraction-wcxb-dev (page types labelled: article, listing, collection, forum,
service, product, documentation) and extraction-dev (all articles), under DIR (default
``$NEWSDEDUP_DEV_DATA`` or ../shared/data), read with ``pipeline/extract/devsets.py``.
Split: each domain falls in the tuning or the validation part by the fixed hash of
``devsets.part_of_domain`` (``bench/page_kinds.py``'s ``domain_split`` puts every dev page
in the same part). The model is fitted on the tuning part only; the validation part is
only measured.

Steps:
1. Collect: the extractor runs on every page with its model switched off and records each
   page's signal vector (``page_model.page_vector``) and what the rules alone decided.
   Vectors are cached in FILE (default /tmp/newsdedup-page-kind-vectors.json).
2. Fit: gradient-boosted regression trees of depth 3 on the logistic loss (Newton steps,
   L2 on leaf values), label 1 = not an article. Articles weigh ``ARTICLE_WEIGHT`` times
   a non-article: rejecting an article costs far more than keeping a listing.
3. Thresholds, on out-of-fold scores of the tuning part (five folds by domain, so a
   site's pages never score each other): ``threshold``, from which the model rejects a
   page on its own, is the score only ``ALONE_SHARE`` of the tuning articles reach;
   ``veto``, below which it overrules a page-type rule, is the score only ``VETO_SHARE``
   of them reach. Each then goes up
   by ``MARGIN`` (log-odds): the tuning part is small, and rejecting an article is the
   costly mistake (the issue allows at most 1% on each set).
4. The final trees are fitted on all tuning pages; with ``--write`` they and the threshold
   go to page_model.json. Printed: the out-of-fold tuning figures and the validation ones
   (``--tune-only``: the tuning ones only, for comparing choices without seeing the
   validation part).

``--ranking`` prints a steadier yardstick for comparing signals and settings than the
figures above, which hang on the two or three highest-scoring articles: for three
assignments of the tuning domains to folds, the share of the (scored) wcxb non-articles
that score above the 3rd, 5th and 9th highest out-of-fold article, and their mean.
``--drop`` leaves the named signals out (ablation).
"""

from __future__ import annotations

import argparse
import collections
import hashlib
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import numpy as np

from newsdedup.core.config import ExtractConfig
from newsdedup.core.records import Article
from newsdedup.pipeline.extract import Extractor
from newsdedup.pipeline.extract.devsets import Part, load_dev_set
from newsdedup.pipeline.extract.page_kind import BODY_RULES, MODEL_ONLY_RULES, STANDING_RULES

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO / ".." / "shared" / "data"
# The labelled set first: the order the rows (and the cached vectors) have always had.
SETS = ("extraction-wcxb-dev", "extraction-dev")
# A row's split under the names of ``bench/page_kinds.py``, which cached vectors carry.
SPLIT_NAMES: dict[Part, str] = {"tuning": "tune", "validation": "validation"}
MODEL_FILE = REPO / "pipeline" / "extract" / "page_model.json"
DEFAULT_CACHE = Path("/tmp/newsdedup-page-kind-vectors.json")
ARTICLE_WEIGHT = 6.0
MARGIN = 1.0
VETO_SHARE = 0.01
ALONE_SHARE = 0.002
TREES = 200
DEPTH = 2
RATE = 0.1
L2 = 2.0
MIN_LEAF_HESSIAN = 1.0
FOLDS = 5
# The rule the model never overrules (``page_kind``): not one of its signals.
STANDING = "rule_teasers_only"
# The forum and manual rules stand too (``page_kind.STANDING_RULES``), but the model reads
# them as signals (those added after its training are not among its features).
STANDING_SIGNALS = tuple(f"rule_{name}" for name in STANDING_RULES)
# On a paginated page any rule stands but these, which need the model's word there too.
MODEL_ONLY_SIGNALS = frozenset(f"rule_{name}" for name in MODEL_ONLY_RULES)
# The body rules are asked only of pages with no article markup and no date (``decide``).
BODY_SIGNALS = frozenset(f"rule_{name}" for name in BODY_RULES)


@dataclass
class Row:
    """One page: where it comes from, its label, what the rules decided, its vector."""

    dataset: str
    split: str
    page_type: str
    domain: str
    outcome: str
    detail: str
    vector: dict[str, float] | None


def collect(root: Path) -> list[Row]:
    """A row for every page of both sets under ``root``, with the model switched off.

    Raises FileNotFoundError naming a set that is missing (``load_dev_set``).
    """
    extractor = Extractor(ExtractConfig())
    extractor.page_model = None
    seen: list[dict[str, float]] = []
    extractor.on_page_vector = seen.append
    rows = []
    for dataset in SETS:
        for page in load_dev_set(root / dataset):
            seen.clear()
            result = extractor.extract(page.fetched())
            outcome, detail = ("article", "") if isinstance(result, Article) else (result.reason, result.detail)
            host = (urlsplit(page.url).hostname or "").lower().removeprefix("www.")
            rows.append(Row(
                dataset, SPLIT_NAMES[page.part], page.page_type, host, outcome, detail, seen[0] if seen else None,
            ))
    return rows


# --- gradient-boosted trees -------------------------------------------------------------


def _best_split(x: np.ndarray, g: np.ndarray, h: np.ndarray, idx: np.ndarray) -> tuple[float, int, float]:
    """(gain, feature, threshold) of the best split of the rows ``idx``."""
    gs, hs = g[idx].sum(), h[idx].sum()
    parent = gs * gs / (hs + L2)
    best = (0.0, -1, 0.0)
    for f in range(x.shape[1]):
        values = x[idx, f]
        order = np.argsort(values, kind="stable")
        v = values[order]
        gl = np.cumsum(g[idx][order])[:-1]
        hl = np.cumsum(h[idx][order])[:-1]
        valid = (v[:-1] < v[1:]) & (hl >= MIN_LEAF_HESSIAN) & (hs - hl >= MIN_LEAF_HESSIAN)
        if not valid.any():
            continue
        gain = gl * gl / (hl + L2) + (gs - gl) ** 2 / (hs - hl + L2) - parent
        gain = np.where(valid, gain, -np.inf)
        k = int(np.argmax(gain))
        if gain[k] > best[0]:
            best = (float(gain[k]), f, float((v[k] + v[k + 1]) / 2))
    return best


def _fit_tree(x: np.ndarray, g: np.ndarray, h: np.ndarray) -> dict[str, list[Any]]:
    tree: dict[str, list[Any]] = {"feature": [], "threshold": [], "left": [], "right": [], "value": []}

    def grow(idx: np.ndarray, depth: int) -> int:
        node = len(tree["feature"])
        for key, default in (("feature", -1), ("threshold", 0.0), ("left", -1), ("right", -1)):
            tree[key].append(default)
        tree["value"].append(float(-g[idx].sum() / (h[idx].sum() + L2)))
        if depth >= DEPTH:
            return node
        _gain, feature, threshold = _best_split(x, g, h, idx)
        if feature < 0:
            return node
        mask = x[idx, feature] <= threshold
        tree["feature"][node], tree["threshold"][node] = feature, threshold
        tree["left"][node] = grow(idx[mask], depth + 1)
        tree["right"][node] = grow(idx[~mask], depth + 1)
        return node

    grow(np.arange(len(g)), 0)
    return tree


def _predict_tree(tree: dict[str, list[Any]], x: np.ndarray) -> np.ndarray:
    out = np.empty(len(x))
    for i, row in enumerate(x):
        node = 0
        while tree["feature"][node] >= 0:
            node = tree["left"][node] if row[tree["feature"][node]] <= tree["threshold"][node] else tree["right"][node]
        out[i] = tree["value"][node]
    return out


def fit(x: np.ndarray, y: np.ndarray, w: np.ndarray) -> dict[str, Any]:
    prior = float(np.clip(np.average(y, weights=w), 1e-3, 1 - 1e-3))
    base = float(np.log(prior / (1 - prior)))
    score = np.full(len(y), base)
    trees = []
    for _ in range(TREES):
        p = 1 / (1 + np.exp(-score))
        g, h = w * (p - y), w * p * (1 - p)
        tree = _fit_tree(x, g, h)
        trees.append(tree)
        score += RATE * _predict_tree(tree, x)
    return {"base": base, "rate": RATE, "trees": trees}


def predict(model: dict[str, Any], x: np.ndarray) -> np.ndarray:
    score = np.full(len(x), model["base"])
    for tree in model["trees"]:
        score += model["rate"] * _predict_tree(tree, x)
    return score


# --- figures ------------------------------------------------------------------------------

NON_ARTICLE = ("listing", "collection", "forum", "service", "product", "documentation")


def rejected(row: Row, score: float, cut: tuple[float, float] | None) -> bool:
    """Whether the page ends as not_article. ``cut`` None: by the rules alone (the outcome
    recorded). Else (threshold, veto): the rules before the body (URL, JSON-LD), the
    gallery rule and the standing rules (teasers only, ``STANDING_RULES``, any on a paginated page
    but ``MODEL_ONLY_RULES``)
    still reject; a page-type rule stands when the score reaches the veto
    line; the model rejects on its own from the threshold."""
    if cut is None or row.vector is None:
        return row.outcome == "not_article"
    threshold, veto = cut
    vector = row.vector
    body_rules_apply = not vector.get("declared_article") and not vector.get("has_date")
    paged = bool(vector.get("paginated")) and any(
        value for name, value in vector.items()
        if name.startswith("rule_") and name not in MODEL_ONLY_SIGNALS and (body_rules_apply or name not in BODY_SIGNALS)
    )
    standing = vector.get(STANDING) or paged or any(vector.get(name) for name in STANDING_SIGNALS)
    if row.outcome == "not_article" and (row.detail.startswith("gallery:") or standing):
        return True
    return score >= threshold or (row.outcome == "not_article" and score >= veto)


def figures(rows: list[Row], scores: np.ndarray, cut: tuple[float, float] | None) -> list[str]:
    lines = []
    for dataset in ("extraction-wcxb-dev", "extraction-dev"):
        chosen = [(r, s) for r, s in zip(rows, scores, strict=True) if r.dataset == dataset]
        pages: collections.Counter[str] = collections.Counter(r.page_type for r, _ in chosen)
        hits: collections.Counter[str] = collections.Counter(
            r.page_type for r, s in chosen if rejected(r, s, cut)
        )
        if not chosen:
            continue
        listing = (hits["listing"] + hits["collection"]) / max(pages["listing"] + pages["collection"], 1)
        non = sum(hits[t] for t in NON_ARTICLE) / max(sum(pages[t] for t in NON_ARTICLE), 1)
        per_type = ", ".join(f"{t} {hits[t]}/{pages[t]}" for t in NON_ARTICLE if pages[t])
        lines.append(
            f"  {dataset}: listing+collection {listing:.3f}, all non-articles {non:.3f}, "
            f"articles rejected {hits['article']}/{pages['article']}" + (f"; {per_type}" if per_type else "")
        )
    return lines


def _fold(domain: str, salt: bytes = b"fold:") -> int:
    return hashlib.sha256(salt + domain.encode("utf-8")).digest()[0] % FOLDS


def choose_cut(rows: list[Row], scores: np.ndarray) -> tuple[float, float]:
    """(threshold, veto): the scores that only ``ALONE_SHARE`` and ``VETO_SHARE`` of the
    tuning articles reach, each plus MARGIN. The model rejects on its own only a page that
    scores like almost no article does; a rule stands only on a page that scores like few
    articles do (the few tuning articles a rule rejected are too few to place the line)."""
    articles = [s for r, s in zip(rows, scores, strict=True) if r.page_type == "article" and r.vector is not None]
    threshold = float(np.quantile(articles, 1 - ALONE_SHARE))
    veto = float(np.quantile(articles, 1 - VETO_SHARE))
    return threshold + MARGIN, veto + MARGIN


def matrix(rows: list[Row], names: list[str]) -> np.ndarray:
    return np.array([[(r.vector or {}).get(n, 0.0) for n in names] for r in rows], dtype=float)


RANKING_SALTS = (b"fold:", b"a:", b"b:")
RANKING_PLACES = (2, 4, 8)


def out_of_fold(rows: list[Row], names: list[str], salt: bytes = b"fold:") -> np.ndarray:
    """Scores of ``rows`` (all with vectors) by trees fitted on the other folds' domains."""
    x, y = matrix(rows, names), np.array([float(r.page_type != "article") for r in rows])
    w = np.where(y == 0, ARTICLE_WEIGHT, 1.0)
    folds = np.array([_fold(r.domain, salt) for r in rows])
    oof = np.zeros(len(rows))
    for k in range(FOLDS):
        held = folds == k
        oof[held] = predict(fit(x[~held], y[~held], w[~held]), x[held])
    return oof


def ranking(rows: list[Row], names: list[str]) -> str:
    """``--ranking``: shares of wcxb non-articles above the k-th highest article, by salt."""
    results = []
    for salt in RANKING_SALTS:
        scores = out_of_fold(rows, names, salt)
        articles = np.sort([s for r, s in zip(rows, scores, strict=True) if r.page_type == "article"])[::-1]
        others = np.array([s for r, s in zip(rows, scores, strict=True)
                           if r.page_type != "article" and r.dataset == "extraction-wcxb-dev"])
        results.append([float((others > articles[k]).mean()) for k in RANKING_PLACES])
    mean = np.mean(results, axis=0)
    places = " / ".join(f"above article #{k + 1}" for k in RANKING_PLACES)
    return f"ranking ({places}, mean of {len(RANKING_SALTS)} fold draws): " + \
        " / ".join(f"{m:.3f}" for m in mean) + f"; mean {float(mean.mean()):.3f}"


def _load_rows(path: Path) -> list[Row]:
    return [Row(**item) for item in json.loads(path.read_text(encoding="utf-8"))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", help="folder holding extraction-wcxb-dev and extraction-dev")
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--recollect", action="store_true", help="run the extractor again, ignore the cache")
    parser.add_argument("--write", action="store_true", help="write the model to " + str(MODEL_FILE))
    parser.add_argument("--tune-only", action="store_true", help="print no validation figures")
    parser.add_argument("--ranking", action="store_true", help="print the out-of-fold ranking yardstick")
    parser.add_argument("--drop", default="", help="signals to leave out, comma-separated")
    args = parser.parse_args(argv)
    if args.recollect or not args.cache.is_file():
        rows = collect(Path(args.data or os.environ.get("NEWSDEDUP_DEV_DATA") or DEFAULT_DATA))
        args.cache.write_text(json.dumps([r.__dict__ for r in rows]), encoding="utf-8")
    else:
        rows = _load_rows(args.cache)
    dropped = {n for n in args.drop.split(",") if n}
    names = sorted({n for r in rows if r.vector for n in r.vector} - {STANDING} - dropped)
    tuning = [r for r in rows if r.split == "tune"]
    validation = [r for r in rows if r.split == "validation"]
    usable = [r for r in tuning if r.vector is not None]
    x, y = matrix(usable, names), np.array([float(r.page_type != "article") for r in usable])
    w = np.where(y == 0, ARTICLE_WEIGHT, 1.0)
    if args.ranking:
        print(ranking(usable, names))
    # Out-of-fold scores on the tuning part: the threshold is chosen on pages the trees never saw.
    oof = out_of_fold(usable, names)
    tuning_scores = np.full(len(tuning), -1e9)
    position = {id(r): i for i, r in enumerate(usable)}
    for i, r in enumerate(tuning):
        if id(r) in position:
            tuning_scores[i] = oof[position[id(r)]]
    cut = choose_cut(tuning, tuning_scores)
    model = fit(x, y, w)
    validation_scores = predict(model, matrix(validation, names))
    print(f"{len(tuning)} tuning pages ({len(usable)} scored), {len(validation)} validation pages, "
          f"{len(names)} signals; threshold {cut[0]:.3f}, veto {cut[1]:.3f}")
    print("rules alone, tuning:")
    print("\n".join(figures(tuning, np.full(len(tuning), -1e9), None)))
    print("rules + model, tuning (out-of-fold scores):")
    print("\n".join(figures(tuning, tuning_scores, cut)))
    if not args.tune_only:
        print("rules alone, validation:")
        print("\n".join(figures(validation, np.full(len(validation), -1e9), None)))
        print("rules + model, validation:")
        print("\n".join(figures(validation, validation_scores, cut)))
    if args.write:
        data = {"features": names, "threshold": cut[0], "veto": cut[1], **model,
                "trained": "bench/train_page_kind.py on the tuning part of extraction-wcxb-dev and extraction-dev"}
        MODEL_FILE.write_text(json.dumps(data, separators=(",", ":")) + "\n", encoding="utf-8")
        print(f"wrote {MODEL_FILE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
