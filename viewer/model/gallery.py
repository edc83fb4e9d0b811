"""The data a gallery is made of: a story and the photos that belong to it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path


def long_date(day: dt.date) -> str:
    """``Friday, 11 June 2021``: unambiguous in every locale."""
    return f"{day:%A}, {day.day} {day:%B %Y}"


@dataclass(frozen=True)
class Passage:
    """One passage of a story's text, which photos can point to by ``id``."""

    id: str
    text: str


@dataclass(frozen=True)
class Story:
    """The article a gallery's photos belong to.

    Attributes:
        headline, publication: the article's headline and where it appeared ("" in a
            story still being written).
        date: the publication date.
        summary: a sentence or two above the article ("" when there is none).
        passages: the article's text, in reading order.
        byline: who wrote the story, as the page says it ("" when not given).
    """

    headline: str
    publication: str
    date: dt.date
    summary: str
    passages: tuple[Passage, ...] = ()
    byline: str = ""

    def passage(self, passage_id: str | None) -> Passage | None:
        """Return the passage with ``passage_id``, or None."""
        return next((p for p in self.passages if p.id == passage_id), None)


@dataclass(frozen=True)
class Fingerprint:
    """What a photo's file was when its story was saved, to find it again by content.

    Attributes:
        size: the file's size in bytes.
        digest: 32 lowercase hexadecimal digits, the first 128 bits of the SHA-256 of the
            file's bytes (of its first 256 MiB for a larger file; see viewer.model.relink).
    """

    size: int
    digest: str


@dataclass(frozen=True)
class Photo:
    """One picture of a gallery and what is said about it.

    Attributes:
        path: absolute path of the image file.
        title: a short name for the strip and the window.
        caption: what the picture shows, in a sentence or two.
        credit: who made it and who distributes it.
        alt_text: a description for people who cannot see the picture.
        passage_id: the story passage this picture illustrates, if any.
        illustration: True when the picture is a drawing standing in for a photograph.
        root: for a gallery's photo, the gallery's folder: every read of the file checks
            that what it opens is still beneath it (None: a photo the user opened
            directly, read wherever it is).
        missing: True when the story names this photo but its file was not there when
            the story was opened (moved, renamed or deleted): the photo keeps its place
            and its words, and viewer.model.relink can find it again.
        fingerprint: the file's size and digest as recorded when the story was saved
            (None when unknown). Not part of equality: it describes the file, not the
            story, so a story is equal to itself read back from disk.
    """

    path: Path
    title: str
    caption: str
    credit: str
    alt_text: str
    passage_id: str | None = None
    illustration: bool = False
    root: Path | None = None
    missing: bool = False
    fingerprint: Fingerprint | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Gallery:
    """An ordered set of photos, optionally told as a story.

    Attributes:
        source: the manifest or folder the gallery was loaded from.
        photos: the pictures in display order.
        story: the article the photos belong to, if the gallery has one.
    """

    source: Path
    photos: tuple[Photo, ...]
    story: Story | None = None
    title: str = field(default="")

    def __post_init__(self) -> None:
        if not self.title:
            object.__setattr__(self, "title", self.default_title())

    def default_title(self) -> str:
        """The title when none is given: the story's headline, else the source's name."""
        return (self.story.headline if self.story else "") or self.source.name

    def __len__(self) -> int:
        return len(self.photos)

    def index_of(self, path: Path) -> int:
        """The row of the photo at ``path``, or -1."""
        return next((i for i, photo in enumerate(self.photos) if photo.path == path), -1)

    def passage_for(self, photo: Photo) -> Passage | None:
        """Return the story passage ``photo`` belongs to, if there is one."""
        return self.story.passage(photo.passage_id) if self.story else None
