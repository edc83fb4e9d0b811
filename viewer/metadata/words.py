"""What Find looks at in a file's own metadata (run in a worker process, no Qt)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from viewer.metadata import read_metadata

if TYPE_CHECKING:
    from viewer.metadata.provenance import Provenance


def metadata_words(paths: list[Path]) -> dict[Path, list[str]]:
    """The words of each file's metadata, as Find reads them.

    They are its title, headline, caption, credit, people, event, place and keywords,
    and for a photo with Content Credentials what :func:`credential_words` gives.
    """
    return {path: words for path, (words, _state) in find_entries(paths).items()}


def find_entries(paths: list[Path]) -> dict[Path, tuple[list[str], str]]:
    """Each file's words (as :func:`metadata_words`) and its Content Credentials state.

    The state is one of :data:`viewer.metadata.provenance.STATES` ("none" for a file
    without credentials or one that cannot be read), for Find's filter by credentials.
    """
    entries: dict[Path, tuple[list[str], str]] = {}
    for path in paths:
        meta = read_metadata(path)  # never raises: an unreadable file has no words
        words = [
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
            *credential_words(meta.provenance),
        ]
        state = meta.provenance.state if meta.provenance is not None else "none"
        entries[path] = (words, state)
    return entries


def credential_words(provenance: Provenance | None) -> list[str]:
    """What lets Find pick out photos by their Content Credentials.

    A signed photo is found by "signed" and "Content Credentials", by its signer and
    claim generator, by "trusted", by "changed" (changed after signing) or "broken"
    when its credentials do not hold, and by "generative AI". A photo without
    credentials gets no word: Find matches parts of words, so an "unsigned" would be
    found by "signed" too (the window's filter by state finds those).
    """
    if provenance is None or provenance.state == "none":
        return []
    words = ["Content Credentials", provenance.signer, provenance.generator]
    if provenance.state == "error":
        words.append("online, not checked" if provenance.remote else "unreadable")
    else:
        words.append("signed")
    if provenance.state == "trusted":
        words.append("trusted")
    if provenance.state == "invalid":
        words.append("changed after signing" if provenance.changed else "broken signature")
    if provenance.ai_generated:
        words.append("generative AI")
    return [word for word in words if word]
