"""``python -m newsdedup``: the ``newsdedup`` command (the daemon starts its runs this way)."""

from newsdedup.app.cli import main

if __name__ == "__main__":
    main(prog_name="newsdedup")
