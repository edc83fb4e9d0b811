"""File > Export Story: one self-contained, escaped, offline HTML page (no Qt needed)."""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import io
import os
import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from tests.builders import QUIRKS, jpeg_bytes
from viewer.imaging.story_export import (
    EXPORT_EDGE,
    ExportError,
    export_story,
    page_order,
    story_command,
)
from viewer.metadata import iptc
from viewer.model import Gallery, Passage, files_gallery, load_manifest
from viewer.model.story_edit import add_photos, new_story, set_overrides, set_photo_passage
from viewer.model.story_file import save_story

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


# --- the page's structure, alt text and warnings (issue 15) --------------------------------

VOID = {"meta", "img", "br"}
KNOWN = VOID | {"html", "head", "title", "style", "body", "article", "header", "h1", "p",
                "time", "figure", "figcaption", "span", "footer", "aside", "ul", "li"}  # fmt: skip


@dataclasses.dataclass
class _Element:
    tag: str
    attrs: dict[str, str]
    children: list[_Element | str] = dataclasses.field(default_factory=list)

    def elements(self, tag: str | None = None) -> list[_Element]:
        return [c for c in self.children if isinstance(c, _Element) and tag in (None, c.tag)]

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def find_all(self, tag: str) -> list[_Element]:
        found = [self] if self.tag == tag else []
        for child in self.elements():
            found += child.find_all(tag)
        return found


class _Tree(HTMLParser):
    """A strict reading of the page: known elements only, each closed where it was opened."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Element("#document", {})
        self.stack = [self.root]
        self.doctype = ""

    def handle_decl(self, decl: str) -> None:
        self.doctype = decl

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        assert tag in KNOWN, f"unexpected element <{tag}>"
        values = {k: v or "" for k, v in attrs}
        assert len(values) == len(attrs), f"an attribute twice in <{tag}>"
        element = _Element(tag, values)
        self.stack[-1].children.append(element)
        if tag not in VOID:
            self.stack.append(element)

    def handle_endtag(self, tag: str) -> None:
        assert tag not in VOID, f"</{tag}> closes a void element"
        assert self.stack[-1].tag == tag, f"</{tag}> closes <{self.stack[-1].tag}>"
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        if data.strip():
            self.stack[-1].children.append(data)


def _tree(path: Path) -> _Element:
    data = path.read_bytes()
    text = data.decode("utf-8")  # strict: the page is valid UTF-8
    tree = _Tree()
    tree.feed(text)
    tree.close()
    assert tree.stack == [tree.root], "every element is closed"
    assert tree.doctype == "DOCTYPE html"
    return tree.root


def _story(folder: Path, names: list[str], **story: Any) -> Gallery:
    paths = []
    for number, name in enumerate(names):
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(jpeg_bytes(size=(40, 30), color=(50 * number % 255, 80, 120)))
        paths.append(path)
    return new_story(paths, date=dt.date(2024, 5, 1), **story)


def test_the_article_reads_headline_dateline_byline_summary_then_passages_and_figures(
    tmp_path: Path,
) -> None:
    story = _story(
        tmp_path,
        ["lead.jpg", "one.jpg", "two.jpg"],
        headline="Rover lands",
        publication="The Test Times",
        byline="Jane Doe",
        summary="What happened.",
        passages=["First passage.\n\nIts second paragraph.", "Second passage.", "Coda."],
    )
    story = set_photo_passage(story, 1, "p2")
    story = set_photo_passage(story, 2, "p1")  # the strip puts it after p2's photo
    for index in range(3):
        story = set_overrides(story, index, alt_text=f"Alt {index}", caption=f"Caption {index}")
    report = export_story(story, story.photos, tmp_path / "page.html")
    assert not report.problems and not report.warnings
    (html_element,) = _tree(report.target).elements("html")
    (body,) = html_element.elements("body")
    (article,) = body.elements("article")
    header, *middle, footer = article.elements()
    assert [e.tag for e in header.elements()] == ["h1", "p", "p", "p"]
    h1, dateline, byline, summary = header.elements()
    assert h1.text() == "Rover lands"
    assert dateline.text() == "The Test Times · Wednesday, 1 May 2024"
    assert dateline.elements("time")[0].attrs["datetime"] == "2024-05-01"
    assert (byline.attrs["class"], byline.text()) == ("byline", "By Jane Doe")
    assert (summary.attrs["class"], summary.text()) == ("summary", "What happened.")
    shown = [e.text() if e.tag == "p" else e.find_all("img")[0].attrs["alt"] for e in middle]
    assert shown == [
        "Alt 0",  # illustrates no passage: where the strip has it
        "First passage.",
        "Its second paragraph.",
        "Second passage.",
        "Alt 1",  # after its passage, p2
        "Alt 2",  # p1 is told already: where the strip has it
        "Coda.",  # no photo reaches it: last
    ]
    assert footer.tag == "footer" and not footer.find_all("aside")


def test_every_picture_is_a_figure_with_a_figcaption(tmp_path: Path) -> None:
    story = _story(tmp_path, ["a.jpg", "b.jpg"], headline="H")
    story = set_overrides(story, 0, caption="A caption", credit="An agency", alt_text="Alt")
    story = dataclasses.replace(
        story, photos=(dataclasses.replace(story.photos[0], illustration=True), story.photos[1])
    )
    report = export_story(story, story.photos, tmp_path / "page.html")
    root = _tree(report.target)
    figures = root.find_all("figure")
    assert len(figures) == 2
    for figure in figures:
        assert [e.tag for e in figure.elements()] == ["img", "figcaption"]
    first = figures[0].elements("figcaption")[0]
    assert [(s.attrs["class"], s.text()) for s in first.elements("span")] == [
        ("title", "a.jpg"),
        ("note", "Illustration, not a photograph."),
        ("caption", "A caption"),
        ("credit", "Credit: An agency"),
    ]


def test_alt_text_comes_from_the_story_or_the_file_and_never_stands_in(tmp_path: Path) -> None:
    (tmp_path / "from-file.jpg").write_bytes(QUIRKS["quirk-newsroom.jpg"]())
    story = _story(tmp_path, ["own.jpg", "words-only.jpg", "photo-3.jpg"], headline="H")
    story = add_photos(story, [tmp_path / "from-file.jpg"])
    story = set_overrides(story, 0, alt_text="The story's alt text")
    story = set_overrides(story, 1, title="A title", caption="A caption")
    report = export_story(story, story.photos, tmp_path / "page.html")
    root = _tree(report.target)
    assert [img.attrs["alt"] for img in root.find_all("img")] == [
        "The story's alt text",
        "",  # not its caption or title
        "",  # not its file name
        "A six-wheeled rover on red dust",  # the file's own Alt Text
    ]
    assert report.warnings == ("no alt text: words-only.jpg", "no alt text: photo-3.jpg")
    (aside,) = root.find_all("aside")
    assert [li.text() for li in aside.find_all("li")] == list(report.warnings)
    assert not report.problems, "a warning leaves nothing out"
    raw = report.target.read_text(encoding="utf-8")
    assert 'alt=""' in raw and 'alt="photo-3.jpg"' not in raw


def test_a_missing_photo_is_a_note_in_its_place(tmp_path: Path) -> None:
    story = _story(tmp_path, ["a.jpg", "gone.jpg", "c.jpg"], headline="H")
    save_story(story, story.source)
    (tmp_path / "gone.jpg").unlink()
    loaded = load_manifest(story.source)
    report = export_story(loaded, loaded.photos, tmp_path / "page.html")
    assert report.pictures == 2
    assert report.problems == ("gone.jpg: the photo is missing (moved, renamed or deleted)",)
    figures = _tree(report.target).find_all("figure")
    assert "gone.jpg: the photo is missing" in figures[1].text()
    assert not figures[1].find_all("img")


def test_names_that_are_not_utf8_make_a_valid_utf8_page(tmp_path: Path) -> None:
    odd = tmp_path / os.fsdecode(b"caf\xe9.jpg")
    odd.write_bytes(jpeg_bytes(size=(20, 10)))
    gallery = files_gallery(tmp_path, [odd])
    report = export_story(gallery, gallery.photos, tmp_path / "page.html")
    root = _tree(report.target)  # decodes strictly as UTF-8
    assert root.find_all("figcaption")[0].text() == "caf\ufffd.jpg"
    assert report.warnings == ("no alt text: caf\ufffd.jpg",)


def test_hostile_story_words_stay_text(tmp_path: Path) -> None:
    hostile = '</p><script>alert(1)</script><img src="https://x">'
    story = _story(
        tmp_path, ["a.jpg"], headline=hostile, byline=hostile, summary=hostile, passages=[hostile]
    )
    story = set_overrides(story, 0, alt_text='" onerror="alert(1)', caption=hostile)
    report = export_story(story, story.photos, tmp_path / "page.html")
    root = _tree(report.target)
    assert not root.find_all("script")
    assert [img.attrs["alt"] for img in root.find_all("img")] == ['" onerror="alert(1)']
    assert all(img.attrs["src"].startswith("data:image/") for img in root.find_all("img"))
    assert hostile in root.text()


def test_the_story_file_is_never_overwritten_by_its_page(tmp_path: Path) -> None:
    story = _story(tmp_path, ["a.jpg"], headline="H")
    save_story(story, story.source)
    before = story.source.read_bytes()
    with pytest.raises(ExportError, match="the story file"):
        export_story(story, story.photos, story.source)
    assert story.source.read_bytes() == before


def test_page_order_keeps_text_in_order_and_pictures_after_their_passage(tmp_path: Path) -> None:
    story = _story(tmp_path, ["a.jpg", "b.jpg", "c.jpg"], passages=["1", "2", "3"])
    story = set_photo_passage(set_photo_passage(story, 0, "p3"), 1, "p1")
    order = [item.id if isinstance(item, Passage) else item.path.name
             for item in page_order(story, story.photos)]  # fmt: skip
    assert order == ["p1", "p2", "p3", "a.jpg", "b.jpg", "c.jpg"]
    no_story = files_gallery(tmp_path, [p.path for p in story.photos])
    assert page_order(no_story, no_story.photos) == list(no_story.photos)


# --- photodesk --export-story, without the command line -------------------------------------


def _run(target: Path, source: Path) -> tuple[int, str]:
    messages = io.StringIO()
    status = story_command(target, source, messages)
    return status, messages.getvalue()


def test_a_folder_without_a_story_becomes_one_in_natural_order(tmp_path: Path) -> None:
    for name in ("IMG_10.jpg", "IMG_9.jpg"):
        (tmp_path / "photos" / name).parent.mkdir(exist_ok=True)
        (tmp_path / "photos" / name).write_bytes(QUIRKS["quirk-newsroom.jpg"]())
    status, said = _run(tmp_path / "page.html", tmp_path / "photos")
    assert status == 0, said
    assert "wrote" in said and "2 pictures" in said
    root = _tree(tmp_path / "page.html")
    assert root.find_all("h1")[0].text() == "photos"
    titles = [f.find_all("span")[0].text() for f in root.find_all("figcaption")]
    assert titles == ["Zhurong at the landing site"] * 2, "the files' own words"
    assert "The Zhurong rover beside its landing platform." in root.text()


def test_a_story_file_or_its_folder_gives_the_story(
    make_gallery: MakeGallery, tmp_path: Path
) -> None:
    manifest = make_gallery(2)
    for source in (manifest, manifest.parent):
        status, said = _run(tmp_path / "page.html", source)
        assert status == 0, said
        assert _tree(tmp_path / "page.html").find_all("h1")[0].text() == "A test headline"


def test_photos_left_out_exit_1_and_are_named(tmp_path: Path) -> None:
    story = _story(tmp_path, ["a.jpg", "b.jpg"], headline="H")
    save_story(story, story.source)
    (tmp_path / "b.jpg").write_bytes(b"\xff\xd8\xff\xe0 broken")
    status, said = _run(tmp_path / "page.html", story.source)
    assert status == 1
    assert "left out: b.jpg" in said and "1 left out" in said
    assert "no alt text: a.jpg" in said


def _empty(folder: Path) -> Path:
    (folder / "empty").mkdir()
    return folder / "empty"


def _photo(folder: Path) -> Path:
    (folder / "a.jpg").write_bytes(jpeg_bytes(size=(8, 8)))
    return folder / "a.jpg"


def _broken_manifest(folder: Path) -> Path:
    (folder / "gallery.json").write_text("{ not json")
    return folder


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda d: d / "nowhere", "no such file or folder"),
        (_empty, "no photos in this folder"),
        (_photo, "this is a photo"),
        (_broken_manifest, "not valid JSON"),
    ],
)
def test_nothing_to_export_exits_2_and_says_why(
    tmp_path: Path, make: Callable[[Path], Path], words: str
) -> None:
    status, said = _run(tmp_path / "page.html", make(tmp_path))
    assert status == 2
    assert said.startswith("photodesk: ") and words in said
    assert not (tmp_path / "page.html").exists()


def test_an_output_that_cannot_be_written_exits_2(
    make_gallery: MakeGallery, tmp_path: Path
) -> None:
    status, said = _run(tmp_path / "no-such-folder" / "page.html", make_gallery(1))
    assert status == 2 and "cannot write" in said
