"""Load and validate a gallery manifest (``gallery.json``), format version 1 or 2.

The flow: read at most :data:`MAX_MANIFEST_BYTES` bytes, decode UTF-8, parse JSON
(refusing duplicate keys), then walk the document field by field. Every problem raises
:class:`ManifestError` naming the manifest file, the field (``photos[2].file``) and what
is wrong, so an author can fix it without guessing. Nothing is half-loaded: either the
whole gallery is valid or the caller gets the first error.

Version 1 is written by hand: every photo gives its title, caption, credit and alt text,
and a photo whose file is missing is an error. Version 2 is what the story editor saves
(viewer.model.story_file): a photo needs only its file, its words are optional ("" means
the file's own), the story may have a by-line and be a draft (empty headline,
publication or passage text), each photo may record its file's size and digest, and a
photo whose file is missing keeps its place, marked missing, instead of failing the whole
story.

The format is documented in README.md ("Gallery manifests").
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from collections.abc import Mapping
from pathlib import Path, PurePosixPath
from typing import Any

from viewer.errors import PhotoDeskError
from viewer.fileaccess import (
    FileAccessError,
    display_name,
    is_regular_file,
    printable,
    read_regular,
)
from viewer.model.gallery import Fingerprint, Gallery, Passage, Photo, Story

MANIFEST_NAME = "gallery.json"
FORMAT_KEY = "photodesk_gallery"
FORMAT_VERSION = 2  # the newest version read, and the one the story editor writes
VERSIONS = (1, 2)
MAX_MANIFEST_BYTES = 4 * 1024 * 1024
MAX_TEXT_CHARS = 20_000
MAX_FILE_SIZE = 2**53 - 1  # the largest whole number every JSON reader reads exactly
_DIGEST = re.compile("[0-9a-f]{32}")
_SURROGATE = re.compile("[\ud800-\udfff]")

_TOP_FIELDS = {FORMAT_KEY: True, "title": False, "story": False, "photos": True}
_STORY_FIELDS = {
    "headline": True,
    "publication": True,
    "date": True,
    "summary": False,
    "passages": False,
}
_PASSAGE_FIELDS = {"id": True, "text": True}
_PHOTO_FIELDS = {
    "file": True,
    "title": True,
    "caption": True,
    "credit": True,
    "alt": True,
    "passage": False,
    "illustration": False,
}
# Version 2: only a photo's file and a passage's id are required (see README.md).
_STORY_FIELDS_2 = {**dict.fromkeys(_STORY_FIELDS, False), "date": True, "byline": False}
_PASSAGE_FIELDS_2 = {"id": True, "text": False}
_PHOTO_FIELDS_2 = {
    **dict.fromkeys(_PHOTO_FIELDS, False),
    "file": True,
    "size": False,
    "digest": False,
}


class ManifestError(PhotoDeskError, ValueError):
    """A manifest that cannot be loaded.

    Attributes:
        path: the manifest file.
        field: where in the document the problem is (``photos[1].file``), or "" for the
            file as a whole.
        problem: what is wrong, in words.
    """

    def __init__(self, path: Path, field: str, problem: str) -> None:
        self.path = path
        self.field = field
        self.problem = problem
        name = display_name(path)
        where = f"{name}: {printable(field)}" if field else name
        super().__init__(f"{where}: {printable(problem)}")

    def __reduce__(self) -> tuple[object, ...]:  # it crosses from worker threads' results
        return (ManifestError, (self.path, self.field, self.problem))


class _DuplicateKeyError(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _refuse_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKeyError(key)
        result[key] = value
    return result


def _type_name(value: object) -> str:
    names = {
        dict: "an object",
        list: "a list",
        str: "a string",
        bool: "true/false",
        int: "a number",
        float: "a number",
        type(None): "null",
    }
    return names.get(type(value), type(value).__name__)


class _Validator:
    """Walks one parsed manifest; every method raises ManifestError on the first fault."""

    def __init__(self, manifest_path: Path) -> None:
        self.path = manifest_path
        self.folder = manifest_path.parent
        # Checked now, and again each time a photo is read (it may be swapped for a link).
        self.root = Path(os.path.realpath(self.folder))
        self.version = FORMAT_VERSION

    def fail(self, field: str, problem: str) -> ManifestError:
        return ManifestError(self.path, field, problem)

    def fields(self, value: object, where: str, allowed: Mapping[str, bool]) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(where, f"must be an object, not {_type_name(value)}")
        for key in value:
            if key not in allowed:
                known = ", ".join(allowed)
                raise self.fail(_join(where, key), f"unknown field (known fields: {known})")
        for key, required in allowed.items():
            if required and key not in value:
                raise self.fail(_join(where, key), "missing field")
        return value

    def text(self, obj: Mapping[str, Any], key: str, where: str, *, required: bool) -> str:
        field = _join(where, key)
        if key not in obj:
            return ""
        value = obj[key]
        if not isinstance(value, str):
            raise self.fail(field, f"must be a string, not {_type_name(value)}")
        value = value.strip()
        if required and not value:
            raise self.fail(field, "must not be empty")
        if len(value) > MAX_TEXT_CHARS:
            raise self.fail(field, f"is longer than {MAX_TEXT_CHARS} characters")
        if "\x00" in value:
            raise self.fail(field, "contains a NUL character")
        return value

    def flag(self, obj: Mapping[str, Any], key: str, where: str) -> bool:
        value = obj.get(key, False)
        if not isinstance(value, bool):
            raise self.fail(_join(where, key), f"must be true or false, not {_type_name(value)}")
        return value

    def items(self, obj: Mapping[str, Any], key: str, where: str) -> list[Any]:
        value = obj.get(key, [])
        if not isinstance(value, list):
            raise self.fail(_join(where, key), f"must be a list, not {_type_name(value)}")
        return value

    def date(self, obj: Mapping[str, Any], key: str, where: str) -> dt.date:
        raw = self.text(obj, key, where, required=True)
        try:
            return dt.date.fromisoformat(raw)
        except ValueError:
            raise self.fail(
                _join(where, key), f"must be a date like 2021-06-11, not {raw!r}"
            ) from None

    def whole_number(self, obj: Mapping[str, Any], key: str, where: str, most: int) -> int:
        value = obj[key]
        field = _join(where, key)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(field, f"must be a whole number, not {_type_name(value)}")
        if not 0 <= value <= most:
            raise self.fail(field, f"must be a whole number from 0 to {most}")
        return value

    def image_path(self, raw: str, field: str) -> tuple[Path, bool]:
        """Resolve a photo's ``file`` and make sure it stays inside the gallery folder.

        Returns the path and whether the file is missing (allowed from version 2 on).
        """
        if "\\" in raw or (len(raw) > 1 and raw[1] == ":"):
            raise self.fail(field, f"must be a relative path with '/' separators, not {raw!r}")
        relative = PurePosixPath(raw)
        if relative.is_absolute():
            raise self.fail(field, f"must be relative to the gallery folder, not {raw!r}")
        if ".." in relative.parts:
            raise self.fail(field, f"leaves the gallery folder ({raw!r} contains '..')")
        candidate = self.folder.joinpath(*relative.parts)
        try:
            resolved = candidate.resolve(strict=True)
        except (FileNotFoundError, NotADirectoryError):
            if self.version >= 2:  # a story keeps the photo's place, marked missing
                return candidate, True
            raise self.fail(field, f"image {raw!r} does not exist") from None
        except (OSError, RuntimeError, ValueError) as exc:  # RuntimeError: symlink loop
            raise self.fail(field, f"image {raw!r} cannot be reached ({exc})") from None
        if not resolved.is_relative_to(self.root):
            raise self.fail(field, f"image {raw!r} is a link that leaves the gallery folder")
        if not is_regular_file(resolved):
            raise self.fail(field, f"{raw!r} is not a file")
        return candidate, False


def _join(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key


def _read_document(path: Path) -> object:
    try:
        raw = read_regular(path, MAX_MANIFEST_BYTES + 1)
    except FileAccessError as exc:
        raise ManifestError(path, "", f"cannot be read ({exc.reason})") from None
    except OSError as exc:
        raise ManifestError(path, "", f"cannot be read ({exc.strerror or exc})") from None
    if len(raw) > MAX_MANIFEST_BYTES:
        limit = MAX_MANIFEST_BYTES // (1024 * 1024)
        raise ManifestError(
            path, "", f"is larger than {limit} MiB; a manifest is a small text file"
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ManifestError(path, "", f"is not UTF-8 text (byte {exc.start})") from None
    try:
        return json.loads(text, object_pairs_hook=_refuse_duplicate_keys)
    except _DuplicateKeyError as exc:
        raise ManifestError(path, exc.key, "appears twice in the same object") from None
    except json.JSONDecodeError as exc:
        problem = f"is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
        raise ManifestError(path, "", problem) from None
    except RecursionError:
        raise ManifestError(path, "", "is nested too deeply to be a gallery manifest") from None
    except ValueError as exc:  # a number of thousands of digits, and the like
        problem = f"holds a value that cannot be read ({printable(str(exc))[:120]})"
        raise ManifestError(path, "", problem) from None


def _refuse_lone_surrogates(check: _Validator, document: object) -> None:
    r"""Refuse any string, keys included, that cannot be written as UTF-8.

    Every string must be Unicode that can be: JSON allows escapes such as "\ud800" that
    stand for half a character.
    """
    pending: list[tuple[str, object]] = [("", document)]
    while pending:
        where, value = pending.pop()
        if isinstance(value, dict):
            for key, item in value.items():
                if _SURROGATE.search(key):
                    raise check.fail(where, "has a field name that is not valid Unicode text")
                pending.append((_join(where, key), item))
        elif isinstance(value, list):
            pending.extend((f"{where}[{index}]", item) for index, item in enumerate(value))
        elif isinstance(value, str) and _SURROGATE.search(value):
            raise check.fail(
                where, "is not valid Unicode text (it holds half of a character, such as \\ud800)"
            )


def _load_story(check: _Validator, value: object) -> Story:
    draft = check.version >= 2  # version 2 may save a story still being written
    story = check.fields(value, "story", _STORY_FIELDS_2 if draft else _STORY_FIELDS)
    passages: list[Passage] = []
    seen: set[str] = set()
    for index, item in enumerate(check.items(story, "passages", "story")):
        where = f"story.passages[{index}]"
        entry = check.fields(item, where, _PASSAGE_FIELDS_2 if draft else _PASSAGE_FIELDS)
        passage_id = check.text(entry, "id", where, required=True)
        if passage_id in seen:
            raise check.fail(f"{where}.id", f"{passage_id!r} is used by an earlier passage")
        seen.add(passage_id)
        text = check.text(entry, "text", where, required=not draft)
        passages.append(Passage(id=passage_id, text=text))
    return Story(
        headline=check.text(story, "headline", "story", required=not draft),
        publication=check.text(story, "publication", "story", required=not draft),
        date=check.date(story, "date", "story"),
        summary=check.text(story, "summary", "story", required=False),
        passages=tuple(passages),
        byline=check.text(story, "byline", "story", required=False),
    )


def _fingerprint(check: _Validator, entry: Mapping[str, Any], where: str) -> Fingerprint | None:
    """A version 2 photo's recorded ``size`` and ``digest``: both or neither."""
    if "size" not in entry and "digest" not in entry:
        return None
    for key in ("size", "digest"):
        if key not in entry:
            other = "digest" if key == "size" else "size"
            raise check.fail(_join(where, key), f"missing field (it goes with {other!r})")
    size = check.whole_number(entry, "size", where, MAX_FILE_SIZE)
    digest = entry["digest"]
    if not isinstance(digest, str) or not _DIGEST.fullmatch(digest):
        raise check.fail(
            _join(where, "digest"), "must be 32 lowercase hexadecimal digits (0-9, a-f)"
        )
    return Fingerprint(size=size, digest=digest)


def _load_photo(check: _Validator, item: object, index: int, story: Story | None) -> Photo:
    where = f"photos[{index}]"
    own_words = check.version < 2  # version 1 gives every photo its own words
    entry = check.fields(item, where, _PHOTO_FIELDS if own_words else _PHOTO_FIELDS_2)
    file_name = check.text(entry, "file", where, required=True)
    passage_id = check.text(entry, "passage", where, required=False) or None
    if passage_id is not None and (story is None or story.passage(passage_id) is None):
        raise check.fail(f"{where}.passage", f"no story passage has the id {passage_id!r}")
    fingerprint = None if own_words else _fingerprint(check, entry, where)
    path, missing = check.image_path(file_name, f"{where}.file")
    return Photo(
        path=path,
        title=check.text(entry, "title", where, required=own_words),
        caption=check.text(entry, "caption", where, required=own_words),
        credit=check.text(entry, "credit", where, required=own_words),
        alt_text=check.text(entry, "alt", where, required=own_words),
        passage_id=passage_id,
        illustration=check.flag(entry, "illustration", where),
        root=check.root,
        missing=missing,
        fingerprint=fingerprint,
    )


def read_document(path: Path) -> object:
    """The parsed JSON of ``path``, read as a manifest is: bounded, UTF-8, no duplicate keys.

    Raises:
        ManifestError: the file cannot be read, is too large, or is not JSON.
    """
    return _read_document(Path(path).absolute())


def gallery_from_document(document: object, path: Path) -> Gallery:
    """The gallery described by ``document``, read as if it were the manifest at ``path``.

    Photo paths are relative to ``path``'s folder and held to it; a recovery copy, kept
    elsewhere, is read this way for the story file it belongs to.

    Raises:
        ManifestError: as :func:`load_manifest`, naming ``path``.
    """
    path = Path(path).absolute()
    check = _Validator(path)
    _refuse_lone_surrogates(check, document)
    top = check.fields(document, "", _TOP_FIELDS)
    version = top[FORMAT_KEY]
    if isinstance(version, bool) or not isinstance(version, int):
        raise check.fail(FORMAT_KEY, f"must be a whole number, not {_type_name(version)}")
    if version not in VERSIONS:
        shown = f"version {version}" if abs(version) < 1_000_000 else "this version"
        readable = " and ".join(str(v) for v in VERSIONS)
        raise check.fail(FORMAT_KEY, f"{shown} is not supported (this Photo Desk reads {readable})")
    check.version = version
    story = _load_story(check, top["story"]) if "story" in top else None
    photo_items = check.items(top, "photos", "")
    if not photo_items:
        raise check.fail("photos", "must list at least one photo")
    photos = tuple(_load_photo(check, item, i, story) for i, item in enumerate(photo_items))
    return Gallery(
        source=path,
        photos=photos,
        story=story,
        title=check.text(top, "title", "", required=False),
    )


def load_manifest(path: Path) -> Gallery:
    """Load the gallery described by the manifest at ``path``.

    Args:
        path: a ``gallery.json`` file; image paths in it are relative to its folder.

    Returns:
        The gallery, with absolute photo paths. In a version 2 manifest, a photo whose
        file is missing is kept in its place with ``missing=True``.

    Raises:
        ManifestError: the file cannot be read or any field is missing, of the wrong type,
            or names an image outside the manifest's folder (or, in version 1, a missing
            image).
    """
    return gallery_from_document(read_document(path), path)
