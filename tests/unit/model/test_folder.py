"""A folder (or a handful of files) as a gallery: no story, and words that come from the
files themselves once read (so none yet)."""

from __future__ import annotations

import os
from pathlib import Path

from tests.builders import QUIRKS, jpeg_bytes
from viewer.captions import photo_text
from viewer.metadata import read_metadata
from viewer.model import files_gallery, files_photo


def test_a_photo_known_only_by_its_file_starts_without_words(tmp_path: Path) -> None:
    path = tmp_path / "IMG_1.jpg"
    path.write_bytes(QUIRKS["quirk-newsroom.jpg"]())
    photo = files_photo(path)
    assert (photo.title, photo.caption, photo.credit, photo.alt_text) == ("", "", "", "")
    assert photo.path == path
    assert photo.root is None, "a file the user opened is read wherever it is"
    assert photo.passage_id is None and not photo.illustration
    shown = photo_text(photo, read_metadata(path))
    assert shown.caption == "The Zhurong rover beside its landing platform.", "its file speaks"


def test_a_folder_gallery_keeps_the_order_given(tmp_path: Path) -> None:
    files = [tmp_path / name for name in ("b.jpg", "a.jpg", "c.jpg")]
    for path in files:
        path.write_bytes(jpeg_bytes(size=(8, 8)))
    gallery = files_gallery(tmp_path, files)
    assert [photo.path for photo in gallery.photos] == files
    assert gallery.story is None
    assert gallery.source == tmp_path
    assert gallery.title == tmp_path.name
    assert gallery.passage_for(gallery.photos[0]) is None


def test_the_title_is_given_or_the_folders_printable_name(tmp_path: Path) -> None:
    assert files_gallery(tmp_path, [], title="Holiday").title == "Holiday"
    odd = tmp_path / os.fsdecode(b"Ferien \xe9t\xe9")
    odd.mkdir()
    assert files_gallery(odd, []).title == "Ferien \ufffdt\ufffd"
    root = files_gallery(Path("/"), [])
    assert root.title == "/", "the root folder has no name: its path is the title"
