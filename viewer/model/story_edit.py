"""Change a story without Qt: pure functions that take a gallery and return a new one.

A story is a :class:`~viewer.model.gallery.Gallery` whose ``source`` is its manifest
(``folder/gallery.json``), as :func:`new_story` and :func:`~viewer.model.load_manifest`
make it. Its photos are in that folder or below it: the rule that opening and saving hold
a story to (:func:`relative_name`). Galleries, photos and stories are frozen
dataclasses, so every function here returns a new gallery and leaves the one given as it
was: an editor keeps the old one for undo, and compares with the saved one to know
whether there are unsaved changes.

Texts are cleaned as they are set (surrounding white space and NUL characters removed,
half characters shown as U+FFFD), the way loading reads them, so that what is saved loads
back equal. An empty title, caption, credit or alt text means "the file's own". Photos
are addressed by their row in the story (``index``). Nothing here touches a photo's file.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from collections.abc import Iterable, Sequence
from pathlib import Path, PurePosixPath

from viewer.errors import PhotoDeskError
from viewer.fileaccess import display_name, is_regular_file, printable
from viewer.model.gallery import Gallery, Passage, Photo, Story
from viewer.model.manifest import MANIFEST_NAME, MAX_TEXT_CHARS

_SURROGATE_RANGE = range(0xD800, 0xE000)


class StoryError(PhotoDeskError, ValueError):
    """A change or a save that a story cannot take; the message names the photo and why."""


def story_folder(gallery: Gallery) -> Path:
    """The folder a story's photo paths are relative to: its manifest's folder."""
    return gallery.source.parent


def relative_name(path: Path, folder: Path) -> str:
    """``path`` relative to ``folder`` with "/" separators, as a story file names a photo.

    The rules are those of opening a story: inside the folder or below it (also once
    links are followed), and a name that every system reads the same way.

    Raises:
        StoryError: the photo is outside the folder, is a link leading out of it, or has
            a name a story file cannot hold (not UTF-8, a backslash, a drive letter).
    """
    folder = Path(os.path.abspath(folder))
    lexical = Path(os.path.abspath(path))
    real_folder = Path(os.path.realpath(folder))
    shown = display_name(path)
    if lexical.is_relative_to(folder) and lexical != folder:
        parts = lexical.relative_to(folder).parts
    else:
        real = Path(os.path.realpath(path))
        if not real.is_relative_to(real_folder) or real == real_folder:
            raise StoryError(
                f"{shown} is outside the story's folder {display_name(folder)}: a story "
                "holds only photos in its folder or below it"
            )
        parts = real.relative_to(real_folder).parts
    if os.path.lexists(lexical):
        real = Path(os.path.realpath(lexical))
        if not real.is_relative_to(real_folder):
            raise StoryError(f"{shown} is a link to a file outside the story's folder")
    name = "/".join(parts)
    if any(ord(char) in _SURROGATE_RANGE for char in name):
        raise StoryError(f"{shown}: the name is not UTF-8 text; rename the file to keep it")
    if "\\" in name:
        raise StoryError(
            f"{shown}: a name with '\\' cannot be saved in a story (Windows reads it as a "
            "folder); rename the file"
        )
    if len(name) > 1 and name[1] == ":":
        raise StoryError(
            f"{shown}: a name like 'C:...' cannot be saved in a story (Windows reads it as "
            "a drive); rename the file"
        )
    return name


def story_photo(path: Path, folder: Path) -> Photo:
    """A photo of the story in ``folder``, with no words of its own (the file's own)."""
    name = relative_name(path, folder)
    return Photo(
        path=_in_folder(folder, name),
        title="",
        caption="",
        credit="",
        alt_text="",
        root=Path(os.path.realpath(folder)),
    )


def clean_text(text: str, what: str = "the text") -> str:
    """``text`` as a story keeps it: no NUL, no half characters, no surrounding space.

    Raises:
        StoryError: it is longer than a story file allows (``what`` names it).
    """
    cleaned = printable(text.replace("\x00", "")).strip()
    if len(cleaned) > MAX_TEXT_CHARS:
        raise StoryError(f"{what} is longer than {MAX_TEXT_CHARS:,} characters")
    return cleaned


def new_story(
    photos: Iterable[Photo | Path],
    folder: Path | None = None,
    *,
    headline: str = "",
    publication: str = "",
    date: dt.date | None = None,
    byline: str = "",
    summary: str = "",
    passages: Sequence[str] = (),
) -> Gallery:
    """A story of ``photos``, to be saved as ``folder/gallery.json``.

    Photos given as :class:`Photo` keep their own words and illustration flag (a story
    made from another story's photos says what it said); a path starts with none (the
    file's own). A photo listed twice is kept once. ``folder`` is by default the
    deepest folder holding every photo; ``date`` is by default today; ``passages`` are
    the texts of the article's passages, which get the ids ``p1``, ``p2``...

    Raises:
        StoryError: no photos, or a photo outside ``folder``.
    """
    given = list(photos)
    if not given:
        raise StoryError("a story needs at least one photo")
    paths = [item.path if isinstance(item, Photo) else item for item in given]
    if folder is None:
        folder = Path(os.path.commonpath([os.path.abspath(p.parent) for p in paths]))
    folder = Path(os.path.abspath(folder))
    chosen: list[Photo] = []
    for item, path in zip(given, paths, strict=True):
        fresh = story_photo(path, folder)
        if any(photo.path == fresh.path for photo in chosen):
            continue
        if isinstance(item, Photo):
            words = (item.title, item.caption, item.credit, item.alt_text)
            fresh = dataclasses.replace(
                _own_words(item, fresh.path, fresh.root, *words), passage_id=None
            )
        chosen.append(fresh)
    story = Story(
        headline=clean_text(headline, "the headline"),
        publication=clean_text(publication, "the publication"),
        date=date or dt.date.today(),
        summary=clean_text(summary, "the summary"),
        passages=tuple(
            Passage(f"p{number}", clean_text(text, f"passage {number}"))
            for number, text in enumerate(passages, start=1)
        ),
        byline=clean_text(byline, "the by-line"),
    )
    return Gallery(source=folder / MANIFEST_NAME, photos=tuple(chosen), story=story)


def _own_words(
    photo: Photo, path: Path, root: Path | None, title: str, caption: str, credit: str, alt: str
) -> Photo:
    name = display_name(path.name)
    return dataclasses.replace(
        photo,
        path=path,
        root=root,
        title=clean_text(title, f"the title of {name}"),
        caption=clean_text(caption, f"the caption of {name}"),
        credit=clean_text(credit, f"the credit of {name}"),
        alt_text=clean_text(alt, f"the alt text of {name}"),
    )


def _in_folder(folder: Path, name: str) -> Path:
    return Path(os.path.abspath(folder)).joinpath(*PurePosixPath(name).parts)


# --- the story's own fields ---------------------------------------------------------------


def _story_of(gallery: Gallery) -> Story:
    return gallery.story or Story("", "", dt.date.today(), "")


def _with_story(gallery: Gallery, story: Story) -> Gallery:
    # A title that was only the headline follows the headline; one given stays.
    title = "" if gallery.title == gallery.default_title() else gallery.title
    return dataclasses.replace(gallery, story=story, title=title)


def set_title(gallery: Gallery, title: str) -> Gallery:
    """The story with its own window title ("": the headline's, else the file's name)."""
    return dataclasses.replace(gallery, title=clean_text(title, "the title"))


def edit_story(
    gallery: Gallery,
    *,
    headline: str | None = None,
    publication: str | None = None,
    date: dt.date | None = None,
    byline: str | None = None,
    summary: str | None = None,
) -> Gallery:
    """The story with the fields given changed (None: unchanged; "": cleared).

    A gallery without a story gets one, dated today unless ``date`` says otherwise.
    """
    story = _story_of(gallery)

    def changed(value: str | None, old: str, what: str) -> str:
        return old if value is None else clean_text(value, what)

    story = dataclasses.replace(
        story,
        headline=changed(headline, story.headline, "the headline"),
        publication=changed(publication, story.publication, "the publication"),
        date=story.date if date is None else date,
        byline=changed(byline, story.byline, "the by-line"),
        summary=changed(summary, story.summary, "the summary"),
    )
    return _with_story(gallery, story)


def _passage_index(story: Story, passage_id: str) -> int:
    for index, passage in enumerate(story.passages):
        if passage.id == passage_id:
            return index
    raise StoryError(f"the story has no passage with the id {passage_id!r}")


def add_passage(gallery: Gallery, text: str = "", at: int | None = None) -> tuple[Gallery, str]:
    """The story with a new passage at ``at`` (default: the end), and the new passage's id."""
    story = _story_of(gallery)
    used = {passage.id for passage in story.passages}
    passage_id = next(f"p{n}" for n in range(1, len(used) + 2) if f"p{n}" not in used)
    passages = list(story.passages)
    where = len(passages) if at is None else max(0, min(at, len(passages)))
    passages.insert(where, Passage(passage_id, clean_text(text, "the passage")))
    return _with_story(gallery, dataclasses.replace(story, passages=tuple(passages))), passage_id


def set_passage_text(gallery: Gallery, passage_id: str, text: str) -> Gallery:
    """The story with the passage ``passage_id`` saying ``text``.

    Raises:
        StoryError: no passage has that id.
    """
    story = _story_of(gallery)
    passages = list(story.passages)
    index = _passage_index(story, passage_id)
    passages[index] = Passage(passage_id, clean_text(text, "the passage"))
    return _with_story(gallery, dataclasses.replace(story, passages=tuple(passages)))


def move_passage(gallery: Gallery, passage_id: str, to: int) -> Gallery:
    """The story with the passage ``passage_id`` moved to row ``to`` (kept in range).

    Raises:
        StoryError: no passage has that id.
    """
    story = _story_of(gallery)
    passages = list(story.passages)
    moved = passages.pop(_passage_index(story, passage_id))
    passages.insert(max(0, min(to, len(passages))), moved)
    return _with_story(gallery, dataclasses.replace(story, passages=tuple(passages)))


def remove_passage(gallery: Gallery, passage_id: str) -> Gallery:
    """The story without the passage ``passage_id``; its photos then illustrate none.

    Raises:
        StoryError: no passage has that id.
    """
    story = _story_of(gallery)
    passages = list(story.passages)
    del passages[_passage_index(story, passage_id)]
    photos = tuple(
        dataclasses.replace(photo, passage_id=None) if photo.passage_id == passage_id else photo
        for photo in gallery.photos
    )
    gallery = dataclasses.replace(gallery, photos=photos)
    return _with_story(gallery, dataclasses.replace(story, passages=tuple(passages)))


# --- the photos ---------------------------------------------------------------------------


def _replace_photo(gallery: Gallery, index: int, photo: Photo) -> Gallery:
    photos = list(gallery.photos)
    photos[index] = photo
    return dataclasses.replace(gallery, photos=tuple(photos))


def set_overrides(
    gallery: Gallery,
    index: int,
    *,
    title: str | None = None,
    caption: str | None = None,
    credit: str | None = None,
    alt_text: str | None = None,
) -> Gallery:
    """The story with the photo at ``index`` saying its own words.

    None leaves a field as it is; "" goes back to the file's own.

    Raises:
        IndexError: there is no photo at ``index``.
    """
    photo = gallery.photos[index]
    changed = _own_words(
        photo,
        photo.path,
        photo.root,
        photo.title if title is None else title,
        photo.caption if caption is None else caption,
        photo.credit if credit is None else credit,
        photo.alt_text if alt_text is None else alt_text,
    )
    return _replace_photo(gallery, index, changed)


def set_photo_passage(gallery: Gallery, index: int, passage_id: str | None) -> Gallery:
    """The story with the photo at ``index`` illustrating ``passage_id`` (None: none).

    Raises:
        StoryError: the story has no passage with that id.
        IndexError: there is no photo at ``index``.
    """
    if passage_id is not None:
        _passage_index(_story_of(gallery), passage_id)
    photo = dataclasses.replace(gallery.photos[index], passage_id=passage_id)
    return _replace_photo(gallery, index, photo)


def move_photo(gallery: Gallery, index: int, to: int) -> Gallery:
    """The story with the photo at ``index`` moved to row ``to`` (kept in range).

    Raises:
        IndexError: there is no photo at ``index``.
    """
    if not 0 <= index < len(gallery.photos):
        raise IndexError(f"no photo at row {index}")
    photos = list(gallery.photos)
    moved = photos.pop(index)
    photos.insert(max(0, min(to, len(photos))), moved)
    return dataclasses.replace(gallery, photos=tuple(photos))


def move_photos(gallery: Gallery, indexes: Iterable[int], to: int) -> Gallery:
    """The story with the photos at ``indexes`` moved together before row ``to``.

    ``to`` counts rows as they are before the move (dragging photos onto the photo at
    ``to`` puts them in front of it; ``len(photos)``: at the end). The photos moved keep
    their order among themselves.

    Raises:
        IndexError: there is no photo at one of ``indexes``.
    """
    moving = sorted(set(indexes))
    for index in moving:
        if not 0 <= index < len(gallery.photos):
            raise IndexError(f"no photo at row {index}")
    chosen = set(moving)
    staying = [photo for row, photo in enumerate(gallery.photos) if row not in chosen]
    at = max(0, min(to, len(gallery.photos))) - sum(1 for row in moving if row < to)
    staying[at:at] = [gallery.photos[row] for row in moving]
    return dataclasses.replace(gallery, photos=tuple(staying))


def move_photo_by(gallery: Gallery, index: int, step: int) -> Gallery:
    """The story with the photo at ``index`` moved ``step`` rows (-1: one to the left).

    A move past either end stops there (Alt+Left on the first photo changes nothing).

    Raises:
        IndexError: there is no photo at ``index``.
    """
    return move_photo(gallery, index, index + step)


def add_photos(gallery: Gallery, paths: Iterable[Path], at: int | None = None) -> Gallery:
    """The story with the photos at ``paths`` inserted at row ``at`` (default: the end).

    They start with no words of their own (the file's own). A photo already in the story
    is not added again.

    Raises:
        StoryError: a path is outside the story's folder or is not a file; nothing is
            added then.
    """
    folder = story_folder(gallery)
    present = {photo.path for photo in gallery.photos}
    added: list[Photo] = []
    for path in paths:
        photo = story_photo(path, folder)
        if not is_regular_file(photo.path):
            raise StoryError(f"{display_name(path)} is not a file")
        if photo.path not in present:
            present.add(photo.path)
            added.append(photo)
    photos = list(gallery.photos)
    where = len(photos) if at is None else max(0, min(at, len(photos)))
    photos[where:where] = added
    return dataclasses.replace(gallery, photos=tuple(photos))


def remove_photo(gallery: Gallery, index: int) -> Gallery:
    """The story without the photo at ``index``; the file itself is left alone.

    Raises:
        StoryError: it is the story's last photo (a story keeps at least one).
        IndexError: there is no photo at ``index``.
    """
    photos = list(gallery.photos)
    del photos[index]
    if not photos:
        raise StoryError("a story keeps at least one photo: add another before removing this one")
    return dataclasses.replace(gallery, photos=tuple(photos))
