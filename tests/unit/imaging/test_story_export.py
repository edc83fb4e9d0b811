"""File > Export Story: one self-contained, escaped, offline HTML page (no Qt needed)."""

from __future__ import annotations

import base64
import io
import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from viewer.imaging.story_export import EXPORT_EDGE, ExportError, export_story
from viewer.metadata import iptc
from viewer.model import Gallery, files_gallery, load_manifest

MakeGallery = Callable[..., Path]
WriteJpeg = Callable[..., Path]


class _Page(HTMLParser):
    """Collects the images (attributes) and the visible text of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.images: list[dict[str, str]] = []
        self.text: list[str] = []
        self.tags: list[str] = []
        self.meta: list[dict[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        values = {k: v or "" for k, v in attrs}
        if tag == "img":
            self.images.append(values)
        if tag == "meta":
            self.meta.append(values)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def _decoded(uri: str) -> Image.Image:
    kind, data = uri.split(",", 1)
    assert kind in ("data:image/jpeg;base64", "data:image/png;base64"), kind
    image = Image.open(io.BytesIO(base64.b64decode(data)))
    image.load()
    return image


def test_the_story_page_carries_pictures_and_words(
    make_gallery: MakeGallery, tmp_path: Path
) -> None:
    hostile = "<script>alert(1)</script> & <b>bold</b>"

    def edit(doc: dict[str, Any]) -> None:
        doc["photos"][0]["caption"] = hostile
        doc["story"]["headline"] = "Rovers & <landers>"

    gallery = load_manifest(make_gallery(3, edit))
    target = tmp_path / "out" / "story.html"
    target.parent.mkdir()
    report = export_story(gallery, gallery.photos, target)
    assert report.pictures == 3 and not report.problems
    html_text = target.read_text(encoding="utf-8")
    page = _parse(target)
    assert "script" not in page.tags, "captions are text, never markup"
    assert "&lt;script&gt;" in html_text
    assert hostile in "".join(page.text)
    assert "Rovers & <landers>" in "".join(page.text)
    csp = [m for m in page.meta if m.get("http-equiv") == "Content-Security-Policy"]
    assert csp and "default-src 'none'" in csp[0]["content"], "the page fetches nothing"
    assert not re.search(r"(src|href)=\"(https?:|//)", html_text), "nothing outside the file"
    assert [img["alt"] for img in page.images] == ["Alt text 1", "Alt text 2", "Alt text 3"]
    for img, photo in zip(page.images, gallery.photos, strict=True):
        picture = _decoded(img["src"])
        with Image.open(photo.path) as original:
            assert picture.size == original.size  # small pictures are not enlarged
        assert (int(img["width"]), int(img["height"])) == picture.size
    text = "".join(page.text)
    for words in ("Credit: Credit 2", "The first passage.", "The Test Times", "11 June 2021"):
        assert words in text, words
    assert not list(target.parent.glob("*.part")), "no temporary file left behind"


def test_pictures_are_upright_and_reduced(write_jpeg: WriteJpeg, tmp_path: Path) -> None:
    tall = write_jpeg("turned.jpg", size=(3000, 2000), exif={0x0112: 6})
    gallery = files_gallery(tmp_path, [tall])
    report = export_story(gallery, gallery.photos, tmp_path / "page.html")
    picture = _decoded(_parse(report.target).images[0]["src"])
    assert picture.size == (round(EXPORT_EDGE * 2 / 3), EXPORT_EDGE), (
        "turned upright, long edge 1600"
    )


def test_file_metadata_fills_in_and_broken_files_are_named(
    write_jpeg: WriteJpeg, tmp_path: Path
) -> None:
    good = write_jpeg(
        "good.jpg", iptc_fields=[(iptc.CAPTION, "From the file"), (iptc.CREDIT, "Agency")]
    )
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")
    gallery = files_gallery(tmp_path, [good, broken])
    report = export_story(gallery, gallery.photos, tmp_path / "page.html")
    assert report.pictures == 1
    assert len(report.problems) == 1 and "broken.jpg" in report.problems[0]
    text = "".join(_parse(report.target).text)
    assert "From the file" in text and "Credit: Agency" in text
    assert "broken.jpg" in text, "the page says which picture is missing and why"


def test_an_export_never_overwrites_a_photo(write_jpeg: WriteJpeg, tmp_path: Path) -> None:
    photo = write_jpeg("a.jpg")
    before = photo.read_bytes()
    gallery: Gallery = files_gallery(tmp_path, [photo])
    with pytest.raises(ExportError, match="one of the photos"):
        export_story(gallery, gallery.photos, photo)
    assert photo.read_bytes() == before
    with pytest.raises(ExportError, match="cannot write"):
        export_story(gallery, gallery.photos, tmp_path / "no-such-folder" / "page.html")
