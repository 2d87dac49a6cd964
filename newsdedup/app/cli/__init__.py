"""The ``newsdedup`` command line: a thin layer over the Python API.

Each command lives in its own module and registers itself on :data:`main` when
imported; the list below is the one place that names them all.
"""

from newsdedup.app.cli import (  # noqa: F401  (importing registers the commands)
    crawl,
    db_commands,
    demo,
    export,
    extract,
    import_cmd,
    report,
    scheduling,
    status,
)
from newsdedup.app.cli.app import main

__all__ = ["main"]
