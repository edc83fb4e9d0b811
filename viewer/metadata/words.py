"""What Find looks at in a file's own metadata (run in a worker process, no Qt)."""

from __future__ import annotations

from pathlib import Path

from viewer.metadata.reader import read_metadata


def metadata_words(paths: list[Path]) -> dict[Path, list[str]]:
    """The words of each file's metadata, as Find reads them.

    They are its title, headline, caption, credit, people, event, place and keywords.
    """
    words: dict[Path, list[str]] = {}
    for path in paths:
        meta = read_metadata(path)  # never raises: an unreadable file has no words
        words[path] = [
            meta.title,
            meta.caption,
            meta.credit_text,  # as the window shows it: by-line, credit, copyright
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
