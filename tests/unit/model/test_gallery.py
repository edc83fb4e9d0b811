"""The data a gallery is made of: its story, its photos in order, and their passages."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from viewer.model import Fingerprint, Gallery, Passage, Photo, Story
from viewer.model.gallery import long_date


def photo(name: str, passage: str | None = None) -> Photo:
    return Photo(Path("/g") / name, name, "", "", "", passage_id=passage)


STORY = Story(
    headline="Rover lands",
    publication="The Test Times",
    date=dt.date(2021, 6, 11),
    summary="",
    passages=(Passage("p1", "First."), Passage("p2", "Second.")),
)


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (dt.date(2021, 6, 11), "Friday, 11 June 2021"),
        (dt.date(2000, 1, 1), "Saturday, 1 January 2000"),
        (dt.date(1969, 7, 20), "Sunday, 20 July 1969"),
    ],
)
def test_long_dates_read_the_same_everywhere(day: dt.date, text: str) -> None:
    assert long_date(day) == text


def test_a_photo_finds_its_passage_in_the_story() -> None:
    first, second, unplaced = photo("a.jpg", "p1"), photo("b.jpg", "p2"), photo("c.jpg")
    gallery = Gallery(Path("/g/gallery.json"), (first, second, unplaced), STORY)
    assert gallery.passage_for(first) == Passage("p1", "First.")
    assert gallery.passage_for(second) == Passage("p2", "Second.")
    assert gallery.passage_for(unplaced) is None
    assert STORY.passage("p9") is None and STORY.passage(None) is None
    no_story = Gallery(Path("/g"), (first,))
    assert no_story.passage_for(first) is None


def test_the_title_is_given_else_the_headline_else_the_source_name() -> None:
    photos = (photo("a.jpg"),)
    assert Gallery(Path("/g/gallery.json"), photos, STORY, "Own title").title == "Own title"
    assert Gallery(Path("/g/gallery.json"), photos, STORY).title == "Rover lands"
    assert Gallery(Path("/photos/Holiday"), photos).title == "Holiday"


def test_photos_keep_their_order_and_are_found_by_path() -> None:
    photos = tuple(photo(name) for name in ("c.jpg", "a.jpg", "b.jpg"))
    gallery = Gallery(Path("/g"), photos)
    assert len(gallery) == 3
    assert [p.path.name for p in gallery.photos] == ["c.jpg", "a.jpg", "b.jpg"]
    assert gallery.index_of(Path("/g/a.jpg")) == 1
    assert gallery.index_of(Path("/g/missing.jpg")) == -1
    assert len(Gallery(Path("/g"), ())) == 0


def test_galleries_and_photos_are_values_that_cannot_change() -> None:
    one = photo("a.jpg")
    with pytest.raises(dataclasses.FrozenInstanceError):
        one.title = "changed"  # type: ignore[misc]
    assert one == photo("a.jpg"), "equal by content"
    assert one.root is None and not one.illustration
    gallery = Gallery(Path("/g"), (one,))
    with pytest.raises(dataclasses.FrozenInstanceError):
        gallery.photos = ()  # type: ignore[misc]
    assert hash(gallery) == hash(Gallery(Path("/g"), (photo("a.jpg"),)))


def test_stories_built_as_before_have_no_byline() -> None:
    assert STORY.byline == ""
    assert Story("H", "P", dt.date(2021, 6, 11), "", (), "By Jane").byline == "By Jane"


def test_a_draft_story_without_a_headline_is_titled_by_its_file() -> None:
    draft = Story("", "", dt.date(2024, 5, 1), "")
    gallery = Gallery(Path("/g/gallery.json"), (photo("a.jpg"),), draft)
    assert gallery.title == gallery.default_title() == "gallery.json"


def test_a_photo_is_present_unless_marked_missing_and_its_fingerprint_is_not_compared() -> None:
    one = photo("a.jpg")
    assert not one.missing and one.fingerprint is None
    printed = dataclasses.replace(one, fingerprint=Fingerprint(10, "0" * 32))
    assert printed == one and hash(printed) == hash(one), "the file's digest is not the story"
    assert dataclasses.replace(one, missing=True) != one
