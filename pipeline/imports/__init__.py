"""Imports of legacy dumps (the old scraper's text files, JSON lines) as articles."""

from newsdedup.pipeline.imports.formats import FORMATS, read_jsonl, read_text, stable_url
from newsdedup.pipeline.imports.importer import ImportReport, import_paths

__all__ = ["FORMATS", "ImportReport", "import_paths", "read_jsonl", "read_text", "stable_url"]
