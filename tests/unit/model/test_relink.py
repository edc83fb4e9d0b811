"""Finding a story's missing photo again, by name and by content, within bounds."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from pathlib import Path

import pytest

from tests.builders import jpeg_bytes
from viewer.fileaccess import NotRegularFileError
from viewer.model import Fingerprint, load_manifest
from viewer.model import relink as relink_module
from viewer.model.relink import (
    HASH_LIMIT,
    find_again,
    fingerprint_of,
    relink_photo,
)
from viewer.model.story_edit import StoryError, new_story
from viewer.model.story_file import save_story

DAY = dt.date(2024, 5, 1)


def _write(path: Path, color: tuple[int, int, int] = (10, 20, 30)) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(jpeg_bytes(size=(24, 16), color=color))
    return path


def _saved_story(folder: Path, *names: str) -> Path:
    paths = [_write(folder / name, (30 * n, 60, 90)) for n, name in enumerate(names)]
    story = new_story(paths, date=DAY)
    save_story(story, story.source)
    return story.source


def test_a_fingerprint_is_the_size_and_a_short_sha256(tmp_path: Path) -> None:
    path = _write(tmp_path / "a.jpg")
    data = path.read_bytes()
    assert fingerprint_of(path) == Fingerprint(len(data), hashlib.sha256(data).hexdigest()[:32])


def test_a_fingerprint_reads_at_most_the_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(relink_module, "HASH_LIMIT", 1000)
    path = tmp_path / "big.bin"
    path.write_bytes(b"a" * 1000 + b"b" * 5000)
    other = tmp_path / "other.bin"
    other.write_bytes(b"a" * 1000 + b"c" * 5000)
    assert fingerprint_of(path).digest == fingerprint_of(other).digest, "only the first bytes"
    assert fingerprint_of(path).size == 6000
    assert HASH_LIMIT >= 100 * 1024 * 1024, "a 100 MB photo is hashed whole"


def test_a_fifo_is_refused_not_waited_on(tmp_path: Path) -> None:
    fifo = tmp_path / "p.jpg"
    os.mkfifo(fifo)
    with pytest.raises(NotRegularFileError, match="named pipe"):
        fingerprint_of(fifo)


def test_a_moved_photo_is_found_by_name_below_the_folder(tmp_path: Path) -> None:
    manifest = _saved_story(tmp_path, "a.jpg", "b.jpg")
    (tmp_path / "2024").mkdir()
    (tmp_path / "a.jpg").rename(tmp_path / "2024" / "a.jpg")
    story = load_manifest(manifest)
    assert story.photos[0].missing
    found = find_again(story.photos[0], tmp_path)
    assert found == [tmp_path / "2024" / "a.jpg"]
    relinked = relink_photo(story, 0, found[0])
    assert not relinked.photos[0].missing
    assert relinked.photos[0].path == tmp_path / "2024" / "a.jpg"
    save_story(relinked, manifest)
    assert load_manifest(manifest) == relinked


def test_a_renamed_photo_is_found_by_content(tmp_path: Path) -> None:
    manifest = _saved_story(tmp_path, "a.jpg", "b.jpg")
    (tmp_path / "a.jpg").rename(tmp_path / "renamed.jpg")
    _write(tmp_path / "same-size-other.jpg", (255, 0, 0))
    story = load_manifest(manifest)
    assert find_again(story.photos[0], tmp_path) == [tmp_path / "renamed.jpg"]


def test_name_and_content_together_come_first_then_name_then_content(tmp_path: Path) -> None:
    manifest = _saved_story(tmp_path, "a.jpg")
    original = (tmp_path / "a.jpg").read_bytes()
    (tmp_path / "a.jpg").unlink()
    story = load_manifest(manifest)
    (tmp_path / "content-only.jpg").write_bytes(original)
    _write(tmp_path / "near" / "A.JPG", (1, 2, 3))
    _write(tmp_path / "near" / "a.jpeg", (1, 2, 3))
    _write(tmp_path / "far" / "deeper" / "a.jpg", (9, 9, 9))
    (tmp_path / "deep" / "deeper").mkdir(parents=True)
    (tmp_path / "deep" / "deeper" / "a.jpg").write_bytes(original)
    (tmp_path / "near" / "a.xmp").write_text("sidecar, not a photo")
    assert find_again(story.photos[0], tmp_path) == [
        tmp_path / "deep" / "deeper" / "a.jpg",  # its name and its content
        tmp_path / "far" / "deeper" / "a.jpg",  # its name
        tmp_path / "near" / "A.JPG",  # its name, but for case
        tmp_path / "near" / "a.jpeg",  # its name with another image extension
        tmp_path / "content-only.jpg",  # its content
    ]


def test_a_photo_without_a_fingerprint_is_found_by_name_only(tmp_path: Path) -> None:
    path = _write(tmp_path / "a.jpg")
    story = new_story([path], date=DAY)  # never saved: no fingerprint
    (tmp_path / "copy.jpg").write_bytes(path.read_bytes())
    assert find_again(story.photos[0], tmp_path) == [path]


def test_the_search_stays_in_the_folder(tmp_path: Path) -> None:
    folder = tmp_path / "story"
    manifest = _saved_story(folder, "a.jpg")
    data = (folder / "a.jpg").read_bytes()
    (folder / "a.jpg").unlink()
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "a.jpg").write_bytes(data)
    (folder / "linked-folder").symlink_to(tmp_path / "outside")
    (folder / "linked-file.jpg").symlink_to(tmp_path / "outside" / "a.jpg")
    (folder / ".hidden").mkdir()
    (folder / ".hidden" / "a.jpg").write_bytes(data)
    os.mkfifo(folder / "fifo.jpg")
    story = load_manifest(manifest)
    assert find_again(story.photos[0], folder) == []


def test_content_matching_is_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    manifest = _saved_story(tmp_path, "a.jpg")
    data = (tmp_path / "a.jpg").read_bytes()
    (tmp_path / "a.jpg").unlink()
    for n in range(5):
        (tmp_path / f"copy-{n}.jpg").write_bytes(data)
    monkeypatch.setattr(relink_module, "MAX_HASHED_BYTES", 2 * len(data))
    story = load_manifest(manifest)
    assert len(find_again(story.photos[0], tmp_path)) == 2, "it stops hashing at its budget"
    monkeypatch.setattr(relink_module, "MAX_SCAN_ENTRIES", 1)
    monkeypatch.setattr(relink_module, "MAX_HASHED_BYTES", 10 * len(data))
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.jpg").write_bytes(data)
    assert tmp_path / "sub" / "a.jpg" not in find_again(story.photos[0], tmp_path)


def test_relinking_is_held_to_the_folder(tmp_path: Path) -> None:
    folder = tmp_path / "story"
    story = load_manifest(_saved_story(folder, "a.jpg"))
    outside = _write(tmp_path / "a.jpg")
    with pytest.raises(StoryError, match="outside the story's folder"):
        relink_photo(story, 0, outside)
    (folder / "sub").mkdir()
    with pytest.raises(StoryError, match="is not a file"):
        relink_photo(story, 0, folder / "sub")
