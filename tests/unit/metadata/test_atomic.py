"""Replacing a file: the old one or the new one, never a mix; nothing left behind."""

from __future__ import annotations

import fcntl
import os
import stat
from pathlib import Path

import pytest

from viewer.metadata import atomic
from viewer.metadata.atomic import Identity, replace_file


def identity(path: Path) -> Identity:
    return Identity.of(os.stat(path))


def test_a_file_is_replaced_with_its_permissions_and_nothing_left(tmp_path: Path) -> None:
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(b"old")
    photo.chmod(0o640)
    checked: list[bytes] = []
    replace_file(photo, b"new", expected=identity(photo), mode=0o640,
                 check=lambda temporary: checked.append(temporary.read_bytes()))  # fmt: skip
    assert photo.read_bytes() == b"new"
    assert stat.S_IMODE(photo.stat().st_mode) == 0o640
    assert checked == [b"new"], "the check reads the temporary file, already complete"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["photo.jpg"]


def test_a_failing_check_leaves_the_file_as_it_was(tmp_path: Path) -> None:
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(b"old")

    def refuse(_temporary: Path) -> None:
        raise ValueError("no")

    with pytest.raises(ValueError, match="no"):
        replace_file(photo, b"new", expected=identity(photo), check=refuse)
    assert photo.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["photo.jpg"]


def test_a_file_changed_meanwhile_is_left_alone(tmp_path: Path) -> None:
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(b"old")
    seen = identity(photo)
    photo.write_bytes(b"changed by someone else")
    with pytest.raises(atomic.ChangedError, match="changed or was replaced while Photo Desk"):
        replace_file(photo, b"new", expected=seen)
    assert photo.read_bytes() == b"changed by someone else"
    assert not atomic.temporary_for(photo).exists()


def test_a_new_file_must_not_appear_meanwhile(tmp_path: Path) -> None:
    sidecar = tmp_path / "photo.xmp"
    replace_file(sidecar, b"<x/>", expected=None)
    assert sidecar.read_bytes() == b"<x/>"
    with pytest.raises(atomic.ChangedError, match="appeared"):
        replace_file(sidecar, b"<y/>", expected=None)


def test_two_writers_of_one_file_never_share_its_temporary_file(tmp_path: Path) -> None:
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(b"old")
    temporary = atomic.temporary_for(photo)
    with temporary.open("wb") as other:
        fcntl.flock(other.fileno(), fcntl.LOCK_EX)
        with pytest.raises(atomic.BusyError, match="another Photo Desk is writing it"):
            replace_file(photo, b"new", expected=identity(photo))
    assert photo.read_bytes() == b"old"


def test_a_temporary_file_left_by_a_killed_write_is_reused(tmp_path: Path) -> None:
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(b"old")
    atomic.temporary_for(photo).write_bytes(b"half a file from a killed run" * 100)
    replace_file(photo, b"new", expected=identity(photo))
    assert photo.read_bytes() == b"new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["photo.jpg"]


def test_stale_temporary_files_are_cleaned_but_not_live_ones(tmp_path: Path) -> None:
    stale = atomic.temporary_for(tmp_path / "a.jpg")
    live = atomic.temporary_for(tmp_path / "b.jpg")
    stale.write_bytes(b"x")
    live.write_bytes(b"y")
    (tmp_path / ".hidden").write_bytes(b"not ours")
    with live.open("rb") as held:
        fcntl.flock(held.fileno(), fcntl.LOCK_EX)
        assert atomic.clean_stale_temporaries(tmp_path) == 1
    assert not stale.exists() and live.exists() and (tmp_path / ".hidden").exists()


def test_temporary_names_are_hidden_and_say_what_they_replace(tmp_path: Path) -> None:
    temporary = atomic.temporary_for(tmp_path / "IMG_1.JPG")
    assert temporary.name == ".IMG_1.JPG.photodesk.tmp"
    assert atomic.target_of(temporary) == tmp_path / "IMG_1.JPG"
    assert atomic.target_of(tmp_path / ".photodesk.tmp") is None
    assert atomic.target_of(tmp_path / "IMG_1.JPG") is None


def test_a_symlink_in_the_way_of_the_temporary_file_is_not_followed(tmp_path: Path) -> None:
    photo, elsewhere = tmp_path / "photo.jpg", tmp_path / "elsewhere"
    photo.write_bytes(b"old")
    elsewhere.write_bytes(b"precious")
    atomic.temporary_for(photo).symlink_to(elsewhere)
    with pytest.raises(OSError, match="Too many levels of symbolic links"):
        replace_file(photo, b"new", expected=identity(photo))
    assert elsewhere.read_bytes() == b"precious" and photo.read_bytes() == b"old"


def test_own_files_are_written_whatever_they_hold(tmp_path: Path) -> None:
    settings = tmp_path / "templates.json"
    atomic.write_own_file(settings, b"{}")
    settings.chmod(0o600)
    atomic.write_own_file(settings, b'{"a": 1}')
    assert settings.read_bytes() == b'{"a": 1}'
    assert stat.S_IMODE(settings.stat().st_mode) == 0o600
