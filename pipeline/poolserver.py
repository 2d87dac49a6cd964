"""Imported by the extraction pool's fork server (in its preload list), not otherwise.

Importing it loads what every worker would otherwise load on its first page, the
language identifier's model (about half a second of CPU): the workers are forked from
the fork server with it in memory, so a run's pool starts warm however many workers it
starts or replaces.
"""

import contextlib

from newsdedup.pipeline.extract.language import load_model

# Anything but an ImportError here would stop the fork server; a worker that finds no
# model loaded loads it itself (and fails its page the way it would have anyway).
with contextlib.suppress(Exception):
    load_model()
