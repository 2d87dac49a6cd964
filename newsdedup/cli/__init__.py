"""The ``newsdedup`` command line: a thin layer over the Python API.

Each command lives in its own module and registers itself on :data:`main` when
imported; the list below is the one place that names them all.
"""

from newsdedup.cli import crawl, db_commands, export, scheduling, status  # noqa: F401  (registers their commands)
from newsdedup.cli.app import main

__all__ = ["main"]
