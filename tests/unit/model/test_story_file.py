"""Saving a story as a format 2 manifest: what is saved loads back equal, atomically."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import stat
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.builders import jpeg_bytes
from viewer.model import Fingerprint, Gallery, Photo, load_manifest
from viewer.model.relink import fingerprint_of
from viewer.model.story_edit import (
    StoryError,
    add_passage,
    move_photo,
    new_story,
    set_overrides,
    set_photo_passage,
    set_title,
)
from viewer.model.story_file import save_story, story_document, write_atomically

DAY = dt.date(2024, 5, 1)
NAMES = ("a.jpg", "b.jpg", "sub/c.jpg", "sub/deeper/d e.jpg", "é.jpg")


def _folder(root: Path) -> list[Path]:
    paths = []
    for number, name in enumerate(NAMES):
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(jpeg_bytes(size=(16 + number, 12), color=(40 * number, 90, 30)))
        paths.append(path)
    return paths


def _saved(target: Path) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(target.read_text(encoding="utf-8"))
    return document


def test_only_what_the_story_sets_is_written(tmp_path: Path) -> None:
    paths = _folder(tmp_path)
    story = new_story(paths[:3], headline="Rover lands", date=DAY, passages=["One.", ""])
    story = set_overrides(story, 1, caption="Its own caption")
    story = set_photo_passage(story, 2, "p1")
    save_story(story, story.source)
    document = _saved(story.source)
    assert document == {
        "photodesk_gallery": 2,
        "story": {
            "headline": "Rover lands",
            "date": "2024-05-01",
            "passages": [{"id": "p1", "text": "One."}, {"id": "p2"}],
        },
        "photos": [
            {"file": "a.jpg", **_recorded(paths[0])},
            {"file": "b.jpg", "caption": "Its own caption", **_recorded(paths[1])},
            {"file": "sub/c.jpg", "passage": "p1", **_recorded(paths[2])},
        ],
    }
    assert "title" not in document, "the title is the headline: not repeated"
    assert story.source.read_bytes().endswith(b"\n")


def _recorded(path: Path) -> dict[str, Any]:
    fingerprint = fingerprint_of(path)
    return {"size": fingerprint.size, "digest": fingerprint.digest}


def test_a_saved_story_loads_back_equal_with_its_fingerprints(tmp_path: Path) -> None:
    paths = _folder(tmp_path)
    story = new_story(
        paths, headline="H", publication="P", date=DAY, byline="B", summary="S", passages=["T"]
    )
    story = Gallery(story.source, story.photos, story.story, "An own title")
    save_story(story, story.source)
    loaded = load_manifest(story.source)
    assert loaded == story
    assert loaded.title == "An own title"
    assert [p.fingerprint for p in loaded.photos] == [fingerprint_of(p) for p in paths]
    assert all(not p.missing for p in loaded.photos)


texts = st.text(max_size=30) | st.sampled_from(["", "  ", "<b>&amp;</b>", "\u2028", "é\x00"])


@st.composite
def edits(draw: st.DrawFn) -> dict[str, Any]:
    count = draw(st.integers(min_value=1, max_value=len(NAMES)))
    return {
        "chosen": draw(st.permutations(range(len(NAMES))))[:count],
        "story": draw(
            st.fixed_dictionaries(dict.fromkeys(("headline", "byline", "summary"), texts))
        ),
        "publication": draw(texts),
        "date": draw(st.dates()),
        "passages": draw(st.lists(texts, max_size=4)),
        "words": draw(
            st.lists(st.tuples(texts, texts, texts, texts), min_size=count, max_size=count)
        ),
        "links": draw(st.lists(st.integers(0, 5), min_size=count, max_size=count)),
        "illustrations": draw(st.lists(st.booleans(), min_size=count, max_size=count)),
        "move": draw(st.tuples(st.integers(0, count - 1), st.integers(-1, count))),
        "title": draw(st.none() | texts),
    }


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(change=edits())
def test_what_is_saved_loads_back_equal(tmp_path: Path, change: dict[str, Any]) -> None:
    paths = _folder(tmp_path)
    story = new_story(
        [paths[i] for i in change["chosen"]],
        tmp_path,
        publication=change["publication"],
        date=change["date"],
        passages=change["passages"],
        **change["story"],
    )
    story, extra = add_passage(story, "Added.")
    ids = [p.id for p in story.story.passages] if story.story else []
    for index, (words, link, drawn) in enumerate(
        zip(change["words"], change["links"], change["illustrations"], strict=True)
    ):
        title, caption, credit, alt = words
        story = set_overrides(story, index, title=title, caption=caption, credit=credit,
                              alt_text=alt)  # fmt: skip
        story = set_photo_passage(story, index, ids[link] if link < len(ids) else None)
        photos = list(story.photos)
        photos[index] = dataclasses.replace(photos[index], illustration=drawn)
        story = dataclasses.replace(story, photos=tuple(photos))
    story = move_photo(story, *change["move"])
    if change["title"] is not None:
        story = set_title(story, change["title"])
    save_story(story, story.source)
    assert load_manifest(story.source) == story
    assert extra in story.source.read_text(encoding="utf-8")


def test_a_missing_photo_keeps_its_place_and_recorded_fingerprint(tmp_path: Path) -> None:
    paths = _folder(tmp_path)
    story = new_story(paths[:3], date=DAY)
    save_story(story, story.source)
    recorded = fingerprint_of(paths[1])
    paths[1].unlink()
    loaded = load_manifest(story.source)
    assert [p.missing for p in loaded.photos] == [False, True, False]
    save_story(loaded, loaded.source)  # saved again while the photo is still missing
    again = load_manifest(story.source)
    assert again == loaded
    assert again.photos[1].path == paths[1] and again.photos[1].fingerprint == recorded


def test_a_photo_outside_the_folder_is_refused_by_name(tmp_path: Path) -> None:
    paths = _folder(tmp_path / "story")
    story = new_story(paths[:2], date=DAY)
    target = tmp_path / "story" / "sub" / "gallery.json"
    with pytest.raises(StoryError, match=r"a\.jpg is outside the story's folder"):
        save_story(story, target)
    assert not target.exists()
    stray = Photo(tmp_path / "stray.jpg", "", "", "", "")
    with pytest.raises(StoryError, match=r"stray\.jpg is outside"):
        save_story(dataclasses.replace(story, photos=(stray,)), story.source)


def test_a_story_that_would_not_open_is_not_saved(tmp_path: Path) -> None:
    paths = _folder(tmp_path)
    story = new_story(paths[:1], date=DAY)
    broken = dataclasses.replace(story.photos[0], passage_id="nowhere")
    with pytest.raises(StoryError, match=r"photos\[0\]\.passage.*nowhere"):
        save_story(dataclasses.replace(story, photos=(broken,)), story.source)
    assert not story.source.exists()


def test_saving_replaces_the_old_file_and_keeps_its_mode(tmp_path: Path) -> None:
    paths = _folder(tmp_path)
    story = new_story(paths[:1], headline="Old", date=DAY)
    save_story(story, story.source)
    os.chmod(story.source, 0o640)
    newer = new_story(paths[:2], headline="New", date=DAY)
    save_story(newer, story.source)
    assert stat.S_IMODE(story.source.stat().st_mode) == 0o640
    assert load_manifest(story.source).title == "New"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")] == []


def test_a_new_file_gets_the_users_umask(tmp_path: Path) -> None:
    story = new_story(_folder(tmp_path)[:1], date=DAY)
    old = os.umask(0o027)
    try:
        save_story(story, story.source)
    finally:
        os.umask(old)
    assert stat.S_IMODE(story.source.stat().st_mode) == 0o640


def test_a_failed_write_leaves_the_old_story_and_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    story = new_story(_folder(tmp_path)[:1], headline="Old", date=DAY)
    save_story(story, story.source)
    before = story.source.read_bytes()

    def full_disk(*_args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    with pytest.raises(StoryError, match=r"cannot be saved here.*No space left"):
        save_story(new_story(_folder(tmp_path)[:2], headline="New", date=DAY), story.source)
    assert story.source.read_bytes() == before
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]


def test_a_target_that_is_not_a_file_is_refused(tmp_path: Path) -> None:
    story = new_story(_folder(tmp_path)[:1], date=DAY)
    story.source.mkdir()
    with pytest.raises(StoryError, match="not a regular file"):
        save_story(story, story.source)
    with pytest.raises(StoryError, match="cannot be saved here"):
        save_story(story, tmp_path / ("x" * 300 + ".json"))  # longer than a name may be


def test_write_atomically_can_write_a_private_file(tmp_path: Path) -> None:
    target = tmp_path / "copy.json"
    write_atomically(target, b"{}", private=True)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600 and target.read_bytes() == b"{}"


def test_a_document_without_hashing_keeps_the_fingerprints_it_had(tmp_path: Path) -> None:
    (path,) = _folder(tmp_path)[:1]
    story = new_story([path], date=DAY)
    known = Fingerprint(size=1, digest="0" * 32)
    story = dataclasses.replace(
        story, photos=(dataclasses.replace(story.photos[0], fingerprint=known),)
    )
    photo = story_document(story, tmp_path, hash_files=False)["photos"][0]
    assert (photo["size"], photo["digest"]) == (1, "0" * 32)
    assert story_document(story, tmp_path)["photos"][0]["digest"] == fingerprint_of(path).digest
