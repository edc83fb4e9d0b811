"""Recovery copies of unsaved stories: written atomically, listed at start, discarded."""

from __future__ import annotations

import datetime as dt
import json
import os
import stat
from pathlib import Path

import pytest

from tests.builders import jpeg_bytes
from viewer.model import Gallery
from viewer.model.recovery import (
    discard_recovery,
    find_recoveries,
    recovery_folder,
    recovery_path,
    write_recovery,
)
from viewer.model.story_edit import StoryError, new_story, set_overrides
from viewer.model.story_file import save_story

DAY = dt.date(2024, 5, 1)


def _story(folder: Path, headline: str = "Unsaved") -> Gallery:
    paths = []
    for name in ("a.jpg", "b.jpg"):
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(jpeg_bytes(size=(16, 12)))
        paths.append(path)
    return set_overrides(new_story(paths, headline=headline, date=DAY), 1, caption="Typed")


def test_the_recovery_folder_is_beside_the_log_in_the_state_folder(tmp_path: Path) -> None:
    state = str(tmp_path / "state")
    linux = recovery_folder({"XDG_STATE_HOME": state}, "linux")
    assert linux == tmp_path / "state" / "photodesk" / "recovery"
    windows = recovery_folder({"LOCALAPPDATA": str(tmp_path)}, "win32")
    assert windows == tmp_path / "photodesk" / "recovery", "beside logs, not in it"


def test_a_copy_is_written_privately_and_offered_as_it_was(tmp_path: Path) -> None:
    story = _story(tmp_path / "photos")
    folder = tmp_path / "recovery"
    when = dt.datetime(2024, 5, 1, 10, 30, tzinfo=dt.UTC)
    copy = write_recovery(story, folder, now=when)
    assert copy == recovery_path(story.source, folder)
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert not story.source.exists(), "the story file itself is not written"
    (found,) = find_recoveries(folder)
    assert found.gallery == story and not found.problem
    assert found.story_file == story.source and found.written == when
    assert found.path == copy


def test_a_later_copy_of_the_same_story_replaces_the_earlier(tmp_path: Path) -> None:
    folder = tmp_path / "recovery"
    story = _story(tmp_path / "one")
    write_recovery(story, folder)
    write_recovery(set_overrides(story, 0, title="Later"), folder)
    write_recovery(_story(tmp_path / "two", "Other"), folder)
    copies = find_recoveries(folder)
    assert len(copies) == 2
    assert {c.gallery.photos[0].title for c in copies if c.gallery} == {"Later", ""}
    assert [p.name for p in folder.iterdir() if p.name.startswith(".")] == [], "no temp files"


def test_copies_are_listed_newest_first(tmp_path: Path) -> None:
    folder = tmp_path / "recovery"
    for hour, name in ((9, "morning"), (15, "afternoon"), (12, "noon")):
        when = dt.datetime(2024, 5, 1, hour, tzinfo=dt.UTC)
        write_recovery(_story(tmp_path / name, name), folder, now=when)
    headlines = [
        c.gallery.story.headline for c in find_recoveries(folder) if c.gallery and c.gallery.story
    ]
    assert headlines == ["afternoon", "noon", "morning"]


def test_a_photo_gone_since_is_offered_missing(tmp_path: Path) -> None:
    story = _story(tmp_path / "photos")
    folder = tmp_path / "recovery"
    write_recovery(story, folder)
    story.photos[0].path.unlink()
    (found,) = find_recoveries(folder)
    assert found.gallery is not None
    assert [p.missing for p in found.gallery.photos] == [True, False]


def test_discarding_removes_the_copy_and_never_the_story(tmp_path: Path) -> None:
    story = _story(tmp_path / "photos")
    save_story(story, story.source)
    folder = tmp_path / "recovery"
    write_recovery(story, folder)
    (found,) = find_recoveries(folder)
    discard_recovery(found)
    assert find_recoveries(folder) == []
    assert story.source.is_file() and all(p.path.is_file() for p in story.photos)
    discard_recovery(found.path)  # already gone: no error


def test_broken_copies_are_listed_with_the_reason(tmp_path: Path) -> None:
    folder = tmp_path / "recovery"
    folder.mkdir()
    (folder / "story-garbage.json").write_bytes(b"\xff not json")
    (folder / "story-other.json").write_text('{"photos": []}')
    (folder / "story-nameless.json").write_text('{"photodesk_recovery": 1, "story": {}}')
    bad_story = {
        "photodesk_recovery": 1,
        "story_file": str(tmp_path / "gallery.json"),
        "written": "not a time",
        "story": {"photodesk_gallery": 2, "photos": []},
    }
    (folder / "story-bad.json").write_text(json.dumps(bad_story))
    (folder / "notes.txt").write_text("not a copy")
    os.mkfifo(folder / "story-fifo.json")
    problems = {c.path.name: c.problem for c in find_recoveries(folder)}
    assert all(c.gallery is None for c in find_recoveries(folder))
    assert "not UTF-8" in problems["story-garbage.json"]
    assert "not a recovery copy" in problems["story-other.json"]
    assert "which story" in problems["story-nameless.json"]
    assert "at least one photo" in problems["story-bad.json"]
    assert "named pipe" in problems["story-fifo.json"]
    assert "notes.txt" not in problems


def test_no_recovery_folder_means_no_copies(tmp_path: Path) -> None:
    assert find_recoveries(tmp_path / "nowhere") == []


def test_a_story_that_could_not_be_saved_gets_no_copy(tmp_path: Path) -> None:
    story = _story(tmp_path / "photos")
    elsewhere = Gallery(tmp_path / "photos" / "sub" / "gallery.json", story.photos, story.story)
    with pytest.raises(StoryError, match="outside the story's folder"):
        write_recovery(elsewhere, tmp_path / "recovery")
