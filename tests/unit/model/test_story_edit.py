"""Changing a story without Qt: every helper returns a new gallery and keeps the old one."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.builders import jpeg_bytes
from viewer.model import Gallery, Photo, files_gallery, load_manifest
from viewer.model.story_edit import (
    StoryError,
    add_passage,
    add_photos,
    clean_text,
    edit_story,
    move_passage,
    move_photo,
    move_photo_by,
    move_photos,
    new_story,
    relative_name,
    remove_passage,
    remove_photo,
    set_overrides,
    set_passage_text,
    set_photo_passage,
)

DAY = dt.date(2024, 5, 1)


def _photos(folder: Path, *names: str) -> list[Path]:
    paths = []
    for name in names:
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(jpeg_bytes(size=(16, 12)))
        paths.append(path)
    return paths


def _names(gallery: Gallery) -> list[str]:
    return [photo.path.name for photo in gallery.photos]


def test_a_new_story_holds_the_photos_in_order_with_the_files_own_words(tmp_path: Path) -> None:
    paths = _photos(tmp_path, "b.jpg", "a.jpg", "sub/c.jpg")
    story = new_story(
        paths,
        headline="  Rover lands ",
        publication="The Test Times",
        date=DAY,
        byline="Jane Doe",
        summary="What happened.",
        passages=["First.", "Second."],
    )
    assert story.source == tmp_path / "gallery.json", "saved in the photos' common folder"
    assert _names(story) == ["b.jpg", "a.jpg", "c.jpg"]
    assert all(p.root == tmp_path.resolve() for p in story.photos), "reads stay confined"
    assert all((p.title, p.caption, p.credit, p.alt_text) == ("",) * 4 for p in story.photos)
    assert story.story is not None
    assert story.story.headline == "Rover lands", "surrounding space is not kept"
    assert story.story.byline == "Jane Doe" and story.story.date == DAY
    assert [(p.id, p.text) for p in story.story.passages] == [("p1", "First."), ("p2", "Second.")]
    assert story.title == "Rover lands", "the title follows the headline"


def test_a_new_story_is_dated_today_and_may_start_empty(tmp_path: Path) -> None:
    story = new_story(_photos(tmp_path, "a.jpg"))
    assert story.story is not None
    assert story.story.date == dt.date.today()
    assert story.story.headline == "" and story.story.passages == ()
    assert story.title == "gallery.json"


def test_a_new_story_from_photos_keeps_their_words_but_not_their_passages(tmp_path: Path) -> None:
    (path,) = _photos(tmp_path, "a.jpg")
    given = Photo(path, " Title ", "Caption", "Credit", "Alt", passage_id="old", illustration=True)
    story = new_story([given, path], date=DAY)
    (photo,) = story.photos  # listed twice, kept once
    assert (photo.title, photo.caption, photo.credit, photo.alt_text) == (
        "Title",
        "Caption",
        "Credit",
        "Alt",
    )
    assert photo.illustration and photo.passage_id is None


def test_a_new_story_needs_photos_inside_its_folder(tmp_path: Path) -> None:
    with pytest.raises(StoryError, match="at least one photo"):
        new_story([])
    (inside,) = _photos(tmp_path / "story", "a.jpg")
    (outside,) = _photos(tmp_path / "elsewhere", "b.jpg")
    with pytest.raises(StoryError, match=r"b\.jpg is outside the story's folder"):
        new_story([inside, outside], tmp_path / "story")


def test_story_fields_change_and_the_derived_title_follows(tmp_path: Path) -> None:
    story = new_story(_photos(tmp_path, "a.jpg"), headline="Old", date=DAY)
    changed = edit_story(story, headline="New", byline=" By Jane ", date=dt.date(2020, 1, 2))
    assert changed.story is not None and story.story is not None
    assert (changed.story.headline, changed.story.byline) == ("New", "By Jane")
    assert changed.story.date == dt.date(2020, 1, 2)
    assert changed.title == "New"
    assert story.story.headline == "Old", "the old gallery is unchanged (undo keeps it)"
    cleared = edit_story(changed, byline="")
    assert cleared.story is not None and cleared.story.byline == ""
    assert cleared.story.headline == "New", "None leaves a field as it is"
    titled = edit_story(Gallery(story.source, story.photos, story.story, "Mine"), headline="X")
    assert titled.title == "Mine", "a title given stays"


def test_a_gallery_without_a_story_gets_one(tmp_path: Path) -> None:
    paths = _photos(tmp_path, "a.jpg")
    gallery = files_gallery(tmp_path, paths)
    told = edit_story(gallery, headline="Now a story")
    assert told.story is not None and told.story.headline == "Now a story"


def test_passages_are_added_edited_moved_and_removed(tmp_path: Path) -> None:
    story = new_story(_photos(tmp_path, "a.jpg", "b.jpg"), date=DAY, passages=["One."])
    story, second = add_passage(story, "Two.")
    story, first = add_passage(story, "Zero.", at=0)
    assert (second, first) == ("p2", "p3"), "new ids never reuse one in use"
    assert story.story is not None
    assert [p.text for p in story.story.passages] == ["Zero.", "One.", "Two."]
    story = set_passage_text(story, "p1", " Uno. ")
    story = move_passage(story, "p3", 99)
    assert story.story is not None
    assert [(p.id, p.text) for p in story.story.passages] == [
        ("p1", "Uno."),
        ("p2", "Two."),
        ("p3", "Zero."),
    ]
    story = set_photo_passage(story, 1, "p2")
    assert story.photos[1].passage_id == "p2"
    story = remove_passage(story, "p2")
    assert story.photos[1].passage_id is None, "its photo now illustrates no passage"
    changes: list[Callable[[], Gallery]] = [
        lambda: set_passage_text(story, "p9", "x"),
        lambda: move_passage(story, "p9", 0),
        lambda: remove_passage(story, "p9"),
        lambda: set_photo_passage(story, 0, "p9"),
    ]
    for change in changes:
        with pytest.raises(StoryError, match="no passage with the id 'p9'"):
            change()


def test_a_photos_own_words_are_set_and_cleared(tmp_path: Path) -> None:
    story = new_story(_photos(tmp_path, "a.jpg", "b.jpg"), date=DAY, passages=["One."])
    story = set_photo_passage(story, 0, "p1")
    changed = set_overrides(story, 0, caption=" Mine ", alt_text="A rover.")
    photo = changed.photos[0]
    assert (photo.title, photo.caption, photo.credit, photo.alt_text) == (
        "",
        "Mine",
        "",
        "A rover.",
    )
    assert photo.passage_id == "p1", "its passage is kept"
    back = set_overrides(changed, 0, caption="")
    assert back.photos[0].caption == "" and back.photos[0].alt_text == "A rover."
    assert story.photos[0].caption == ""
    with pytest.raises(IndexError):
        set_overrides(story, 5, caption="x")


def test_photos_move_by_one_or_to_a_row_and_stop_at_the_ends(tmp_path: Path) -> None:
    story = new_story(_photos(tmp_path, "a.jpg", "b.jpg", "c.jpg"), date=DAY)
    assert _names(move_photo_by(story, 0, 1)) == ["b.jpg", "a.jpg", "c.jpg"]
    assert _names(move_photo_by(story, 2, -1)) == ["a.jpg", "c.jpg", "b.jpg"]
    assert move_photo_by(story, 0, -1) == story, "Alt+Left on the first photo changes nothing"
    assert move_photo_by(story, 2, 1) == story
    assert _names(move_photo(story, 0, 2)) == ["b.jpg", "c.jpg", "a.jpg"]
    assert _names(move_photo(story, 2, -5)) == ["c.jpg", "a.jpg", "b.jpg"]
    with pytest.raises(IndexError):
        move_photo(story, 3, 0)


def test_photos_dragged_together_land_before_the_photo_they_were_dropped_on(
    tmp_path: Path,
) -> None:
    story = new_story(_photos(tmp_path, "a.jpg", "b.jpg", "c.jpg", "d.jpg", "e.jpg"), date=DAY)
    assert _names(move_photos(story, [0, 2], 4)) == ["b.jpg", "d.jpg", "a.jpg", "c.jpg", "e.jpg"]
    assert _names(move_photos(story, [4, 3], 1)) == ["a.jpg", "d.jpg", "e.jpg", "b.jpg", "c.jpg"]
    assert _names(move_photos(story, [1], 5)) == ["a.jpg", "c.jpg", "d.jpg", "e.jpg", "b.jpg"]
    assert move_photos(story, [1, 2], 2) == story, "dropped where they are: no change"
    assert move_photos(story, [1, 2], 3) == story
    with pytest.raises(IndexError):
        move_photos(story, [5], 0)


def test_photos_are_added_from_the_folder_or_below_only(tmp_path: Path) -> None:
    folder = tmp_path / "story"
    story = new_story(_photos(folder, "a.jpg"), date=DAY)
    below, beside = _photos(folder, "sub/b.jpg", "c.jpg")
    added = add_photos(story, [below, beside, below], at=0)
    assert _names(added) == ["b.jpg", "c.jpg", "a.jpg"], "each once, where asked"
    assert added.photos[0].root == folder.resolve()
    assert add_photos(added, [beside]) == added, "a photo already in the story is not added"
    (outside,) = _photos(tmp_path, "outside.jpg")
    with pytest.raises(StoryError, match=r"outside\.jpg is outside the story's folder"):
        add_photos(story, [beside, outside])
    (folder / "notes").mkdir()
    with pytest.raises(StoryError, match="is not a file"):
        add_photos(story, [folder / "notes"])
    with pytest.raises(StoryError, match="is not a file"):
        add_photos(story, [folder / "gone.jpg"])


def test_removing_a_photo_never_touches_its_file(tmp_path: Path) -> None:
    paths = _photos(tmp_path, "a.jpg", "b.jpg")
    before = [path.read_bytes() for path in paths]
    story = new_story(paths, date=DAY)
    smaller = remove_photo(story, 0)
    assert _names(smaller) == ["b.jpg"]
    assert [path.read_bytes() for path in paths] == before
    with pytest.raises(StoryError, match="at least one photo"):
        remove_photo(smaller, 0)


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
def test_a_link_leading_out_of_the_folder_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "story"
    story = new_story(_photos(folder, "a.jpg"), date=DAY)
    (secret,) = _photos(tmp_path, "secret.jpg")
    (folder / "link.jpg").symlink_to(secret)
    with pytest.raises(StoryError, match="link to a file outside"):
        add_photos(story, [folder / "link.jpg"])


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
def test_a_folder_reached_through_a_link_names_photos_by_the_real_folder(tmp_path: Path) -> None:
    real = tmp_path / "real"
    (photo,) = _photos(real, "sub/a.jpg")
    (tmp_path / "alias").symlink_to(real)
    assert relative_name(tmp_path / "alias" / "sub" / "a.jpg", real) == "sub/a.jpg"
    assert relative_name(photo, tmp_path / "alias") == "sub/a.jpg"


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("back\\slash.jpg", "'\\\\'"),
        ("C:photo.jpg", "drive"),
        (os.fsdecode(b"caf\xe9.jpg"), "not UTF-8"),
    ],
)
def test_names_a_story_file_cannot_hold_are_refused_in_words(
    tmp_path: Path, name: str, words: str
) -> None:
    path = tmp_path / name
    try:
        path.write_bytes(jpeg_bytes(size=(8, 8)))
    except (OSError, UnicodeEncodeError):
        pytest.skip("this file system cannot hold such a name")
    with pytest.raises(StoryError, match=words):
        relative_name(path, tmp_path)


def test_text_is_cleaned_as_loading_reads_it() -> None:
    assert clean_text("  a\x00b \n") == "ab"
    assert clean_text("caf\udce9") == "caf\ufffd"
    with pytest.raises(StoryError, match="the caption is longer than 20,000 characters"):
        clean_text("x" * 20_001, "the caption")


def test_a_loaded_version_1_story_can_be_edited(make_gallery: Callable[..., Path]) -> None:
    manifest = make_gallery(2)
    gallery = load_manifest(manifest)
    moved = move_photo_by(gallery, 0, 1)
    assert _names(moved) == ["photo-2.jpg", "photo-1.jpg"]
    assert moved.title == gallery.title == "Test story"
