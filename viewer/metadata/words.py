"""What Find looks at in a file's own metadata (run in a worker process, no Qt)."""

from __future__ import annotations

from pathlib import Path

from viewer.metadata.reader import read_metadata


def metadata_words(paths: list[Path]) -> dict[Path, list[str]]:
    """Title, headline, caption, credit, people, event, place and keywords of each file,
    as Find reads them."""
    words: dict[Path, list[str]] = {}
    for path in paths:
        meta = read_metadata(path)  # never raises: an unreadable file has no words
        words[path] = [
            meta.title,
            meta.caption,
            meta.credit_line,
            meta.headline,
            meta.event,
            meta.sublocation,
            meta.city,
            meta.state,
            meta.country,
            *meta.persons,
            *meta.keywords,
        ]
    return words
