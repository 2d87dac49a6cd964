"""The progress line: drawn in place on a terminal, throttled, cleared; silent elsewhere."""

from __future__ import annotations

import io

from newsdedup.core.progress import Progress


def test_silent_when_not_a_terminal() -> None:
    stream = io.StringIO()
    line = Progress(stream)
    line.show("crawling", force=True)
    line.clear()
    assert stream.getvalue() == ""


def test_redraws_in_place_throttled_and_clears() -> None:
    stream = io.StringIO()
    with Progress(stream, enabled=True, interval=3600) as line:
        line.show("processing pages: 50/200")
        line.show("processing pages: 100/200")  # within the interval: skipped
        line.show("done 7", force=True)
    text = stream.getvalue()
    assert "100/200" not in text
    assert text.startswith("\rprocessing pages: 50/200")
    assert "\rdone 7" + " " * (len("processing pages: 50/200") - len("done 7")) in text
    assert text.endswith("\r")  # the line is wiped before the summary prints
