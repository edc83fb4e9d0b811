"""Find: does a photo match what the user typed?

Matching is forgiving the way a person expects: case and accents are ignored ("cafe"
finds "Café"), every word typed must appear somewhere (in any order), and the words may
come from different fields (title, caption, credit, keywords, file name).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from viewer.model.gallery import Photo


def fold(text: str) -> str:
    """``text`` without case or accents, for comparing what people type."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def query_words(query: str) -> tuple[str, ...]:
    """The folded words of a query; an empty tuple matches everything."""
    return tuple(fold(query).split())


def search_text(photo: Photo, more: Iterable[str] = ()) -> str:
    """Everything Find looks at for ``photo``, folded.

    That is its own fields, its file name, and ``more`` (what the file's metadata says:
    caption, credit, keywords...).
    """
    parts = [photo.title, photo.caption, photo.credit, photo.alt_text, photo.path.name, *more]
    return "\n".join(fold(part) for part in parts if part)


def matches(text: str, words: tuple[str, ...]) -> bool:
    """True when every word occurs in ``text`` (both already folded)."""
    return all(word in text for word in words)
