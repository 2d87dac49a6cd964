"""The parameters stored signatures depend on, and the check that they still hold."""

from __future__ import annotations

import json
from typing import Any

from newsdedup.core.config import DedupConfig
from newsdedup.core.errors import ConfigError
from newsdedup.pipeline.dedup.bands import HASH_BITS, PARAGRAPH_BUCKET_DAYS, bucket_days
from newsdedup.pipeline.dedup.minhash import SCHEME
from newsdedup.pipeline.dedup.templates import PARAGRAPH_BANDS, PARAGRAPH_ROWS
from newsdedup.storage.db import Database
from newsdedup.storage.dedup import schemes_in_use

__all__ = ["SEED", "check_signature_scheme", "scheme_json", "scheme_params"]

#: datasketch's seed for the permutations; part of the scheme, not a knob.
SEED = 1
#: Version of the normalisation and tokenisation (newsdedup/core/normalise.py); bump when they change.
NORMALISATION = 2

# Config keys that shape signatures and band keys (the rest are thresholds).
_KEYS = (
    "shingle_size",
    "num_perm",
    "bands",
    "rows",
    "lead_words",
    "paragraph_shingle_size",
    "paragraph_num_perm",
    "paragraph_min_words",
)


def scheme_params(config: DedupConfig) -> dict[str, Any]:
    """Everything a stored signature or band key was computed with."""
    params: dict[str, Any] = {key: getattr(config, key) for key in _KEYS}
    params.update(scheme=SCHEME, seed=SEED, normalisation=NORMALISATION,
                  paragraph_bands=PARAGRAPH_BANDS, paragraph_rows=PARAGRAPH_ROWS,
                  band_hash_bits=HASH_BITS, band_bucket_days=bucket_days(config.date_window_days),
                  paragraph_bucket_days=PARAGRAPH_BUCKET_DAYS)
    return params


def scheme_json(config: DedupConfig) -> str:
    """:func:`scheme_params` as canonical JSON (the stored form)."""
    return json.dumps(scheme_params(config), sort_keys=True, separators=(",", ":"))


def check_signature_scheme(config: DedupConfig, db: Database) -> None:
    """Raise ConfigError (one line) when stored signatures were made with other parameters.

    Mixing schemes would compare incomparable signatures and miss every copy, so the
    stage refuses to run until ``newsdedup reprocess --dedup`` rebuilds them.
    """
    current = scheme_params(config)
    with db.reader() as session:
        used = schemes_in_use(session)
    for _scheme_id, stored_json in used:
        stored: dict[str, Any] = json.loads(stored_json)
        if stored == current:
            continue
        changed = ", ".join(
            f"{key}={stored.get(key)!r} (config: {current.get(key)!r})"
            for key in sorted(set(stored) | set(current))
            if stored.get(key) != current.get(key)
        )
        raise ConfigError(
            f"dedup: stored signatures were made with {changed}: "
            "run `newsdedup reprocess --dedup` to rebuild them"
        )
