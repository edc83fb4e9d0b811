"""Which words a reader sees with a photo: the gallery's first, then the file's (its Title
or Headline, caption, credit line, alt text), the file name for the title only."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.builders import QUIRKS, alt, bag, jpeg_with, rich_xmp, xmp_segment
from viewer.captions import PhotoText, photo_text
from viewer.metadata import PhotoMetadata, read_metadata
from viewer.model import Photo, files_photo, load_manifest


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def xmp_file(tmp_path: Path, name: str, body: str, attributes: str = "") -> Path:
    return write(tmp_path, name, jpeg_with(xmp_segment(rich_xmp(body, attributes))))


def test_the_gallerys_words_win_over_the_files(make_gallery: Callable[..., Path]) -> None:
    manifest = make_gallery(1)
    photo = load_manifest(manifest).photos[0]
    photo.path.write_bytes(QUIRKS["quirk-newsroom.jpg"]())
    text = photo_text(photo, read_metadata(photo.path))
    assert text == PhotoText("Photo 1", "Caption 1", "Credit 1", "Alt text 1", frozenset())


def test_a_photo_known_by_its_file_speaks_for_itself(tmp_path: Path) -> None:
    path = write(tmp_path, "IMG_0001.jpg", QUIRKS["quirk-newsroom.jpg"]())
    text = photo_text(files_photo(path), read_metadata(path))
    assert text.title == "Zhurong at the landing site"
    assert text.caption == "The Zhurong rover beside its landing platform."
    assert text.credit == "Remote camera / CNSA via Storyful · © 2021 CNSA"
    assert text.alt_text == "A six-wheeled rover on red dust"
    assert text.from_file == {"title", "caption", "credit", "alt_text"}


def test_the_headline_is_the_title_when_the_file_has_no_title(tmp_path: Path) -> None:
    path = xmp_file(tmp_path, "h.jpg", "", 'photoshop:Headline="Rover lands"')
    assert photo_text(files_photo(path), read_metadata(path)).title == "Rover lands"
    both = xmp_file(tmp_path, "t.jpg", alt("dc:title", "Title"), 'photoshop:Headline="Headline"')
    assert photo_text(files_photo(both), read_metadata(both)).title == "Title"


def test_each_field_falls_back_on_its_own(tmp_path: Path) -> None:
    path = xmp_file(
        tmp_path,
        "mixed.jpg",
        alt("dc:title", "File title")
        + alt("dc:description", "File caption")
        + alt("Iptc4xmpCore:AltTextAccessibility", "File alt text"),
        'photoshop:Credit="File credit"',
    )
    own = Photo(path=path, title="Own title", caption="", credit="Own credit", alt_text="")
    text = photo_text(own, read_metadata(path))
    assert (text.title, text.caption, text.credit, text.alt_text) == (
        "Own title",
        "File caption",
        "Own credit",
        "File alt text",
    )
    assert text.from_file == {"caption", "alt_text"}


def test_the_file_name_is_a_title_and_never_a_caption_or_alt_text(tmp_path: Path) -> None:
    path = write(tmp_path, "IMG_0042.jpg", jpeg_with())
    for metadata in (read_metadata(path), None, PhotoMetadata()):
        text = photo_text(files_photo(path), metadata)
        assert text == PhotoText("IMG_0042.jpg", "", "", "", frozenset())
        assert text.description() == "", "a screen reader is not read a file name as a caption"
        assert text.lines() == []
        assert text.lines(with_title=True) == ["IMG_0042.jpg"]


def test_an_unreadable_file_gives_the_name_only(tmp_path: Path) -> None:
    path = tmp_path / "gone.jpg"
    text = photo_text(files_photo(path), read_metadata(path))
    assert (text.title, text.caption, text.credit, text.alt_text) == ("gone.jpg", "", "", "")


def test_a_name_that_is_not_utf8_becomes_a_printable_title(tmp_path: Path) -> None:
    path = write(tmp_path, os.fsdecode(b"caf\xe9.jpg"), jpeg_with())
    text = photo_text(files_photo(path), read_metadata(path))
    assert text.title == "caf\ufffd.jpg"
    text.title.encode("utf-8")


@pytest.mark.parametrize(
    ("bylines", "credit", "rights", "line"),
    [
        (["Jane Doe"], "Reuters", "© 2021 Reuters", "Jane Doe / Reuters · © 2021 Reuters"),
        (["Jane Doe"], "", "", "Jane Doe"),
        (["A", "B"], "AP", "AP", "A; B / AP"),
        ([], "", "© X", "© X"),
    ],
)
def test_the_files_credit_is_its_credit_line(
    tmp_path: Path, bylines: list[str], credit: str, rights: str, line: str
) -> None:
    body = bag("dc:creator", bylines, "Seq") if bylines else ""
    body += alt("dc:rights", rights) if rights else ""
    path = xmp_file(tmp_path, "c.jpg", body, f'photoshop:Credit="{credit}"' if credit else "")
    assert photo_text(files_photo(path), read_metadata(path)).credit == line


def test_lines_and_description_say_what_is_there() -> None:
    text = PhotoText("Title", "Caption.", "Agency", "", frozenset())
    assert text.lines() == ["Caption.", "Credit: Agency"]
    assert text.lines(with_title=True) == ["Title", "Caption.", "Credit: Agency"]
    assert text.description() == "Caption.", "no alt text: the caption describes it"
    described = PhotoText("Title", "Caption.", "", "What it shows", frozenset())
    assert described.description() == "What it shows"
    assert described.lines() == ["Caption."]
