"""Opening the user's files: regular files only, never a hang, confined to a gallery's
folder when asked (checked on what was opened), names shown even when they are not UTF-8."""

from __future__ import annotations

import os
import pickle
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from viewer.errors import PhotoDeskError
from viewer.fileaccess import (
    FileAccessError,
    NotRegularFileError,
    OutsideGalleryError,
    current_umask,
    display_name,
    is_regular_file,
    kind_of,
    open_regular,
    printable,
    read_regular,
)

CONTENT = b"\xff\xd8\xff\xe0 the first bytes of a photo"


@pytest.fixture
def photo(tmp_path: Path) -> Path:
    path = tmp_path / "photo.jpg"
    path.write_bytes(CONTENT)
    return path


@pytest.fixture
def unix_socket(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "socket.jpg"
    listening = socket.socket(socket.AF_UNIX)
    listening.bind(str(path))
    try:
        yield path
    finally:
        listening.close()


def refusal(path: Path, root: Path | None = None) -> FileAccessError:
    with pytest.raises(FileAccessError) as refused:
        open_regular(path, root)
    return refused.value


def test_a_regular_file_is_opened_for_reading_in_blocking_mode(photo: Path) -> None:
    with open_regular(photo) as stream:
        assert os.get_blocking(stream.fileno()), "handed back as an ordinary file"
        assert stream.read() == CONTENT
    assert read_regular(photo, 4) == CONTENT[:4]
    assert read_regular(photo, 10_000) == CONTENT


def test_a_fifo_is_refused_at_once_not_waited_on(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.jpg"
    os.mkfifo(fifo)
    error = refusal(fifo)
    assert isinstance(error, NotRegularFileError)
    assert error.reason == "this is a named pipe (FIFO), not a file"
    assert str(error) == f"{fifo}: this is a named pipe (FIFO), not a file"


def test_a_socket_is_refused(unix_socket: Path) -> None:
    error = refusal(unix_socket)
    assert isinstance(error, NotRegularFileError)
    assert "socket" in error.reason


def test_a_device_named_like_a_photo_is_refused(tmp_path: Path) -> None:
    for device in ("/dev/zero", "/dev/null"):
        link = tmp_path / f"{Path(device).name}.jpg"
        link.symlink_to(device)
        error = refusal(link)
        assert isinstance(error, NotRegularFileError)
        assert error.reason == "this is a device, not a file"


def test_a_folder_named_like_a_photo_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "album.jpg"
    folder.mkdir()
    error = refusal(folder)
    assert isinstance(error, NotRegularFileError)
    assert error.reason == "this is a folder, not a file"


def test_a_missing_file_is_an_os_error_as_before(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        open_regular(tmp_path / "gone.jpg")


def test_refusals_are_os_errors_and_the_projects_own(tmp_path: Path) -> None:
    """Callers that treat an unreadable file as absent keep doing so; the window shows
    the reason; and the error crosses from worker processes whole."""
    fifo = tmp_path / "pipe.jpg"
    os.mkfifo(fifo)
    error = refusal(fifo)
    assert isinstance(error, OSError) and isinstance(error, PhotoDeskError)
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is NotRegularFileError
    assert (copy.path, copy.reason, str(copy)) == (error.path, error.reason, str(error))


def test_a_file_inside_its_root_is_opened_through_links_inside_it(tmp_path: Path) -> None:
    root = tmp_path / "gallery"
    (root / "sub").mkdir(parents=True)
    (root / "sub" / "a.jpg").write_bytes(CONTENT)
    (root / "alias.jpg").symlink_to(root / "sub" / "a.jpg")
    real_root = root.resolve()
    assert read_regular(root / "sub" / "a.jpg", 100, real_root) == CONTENT
    assert read_regular(root / "alias.jpg", 100, real_root) == CONTENT


def test_a_link_leaving_the_root_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "gallery"
    root.mkdir()
    secret = tmp_path / "secret.jpg"
    secret.write_bytes(CONTENT)
    (root / "link.jpg").symlink_to(secret)
    error = refusal(root / "link.jpg", root.resolve())
    assert isinstance(error, OutsideGalleryError)
    assert error.reason == "this file now leads outside the gallery's folder"
    assert read_regular(root / "link.jpg", 100) == CONTENT, "without a root, links are followed"


def test_a_file_swapped_for_a_link_after_the_check_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "gallery"
    root.mkdir()
    photo = root / "a.jpg"
    photo.write_bytes(CONTENT)
    real_root = root.resolve()
    assert read_regular(photo, 100, real_root) == CONTENT
    secret = tmp_path / "secret.jpg"
    secret.write_bytes(b"somebody else's bytes")
    photo.unlink()
    photo.symlink_to(secret)
    assert isinstance(refusal(photo, real_root), OutsideGalleryError)


def test_a_folder_swapped_for_a_link_is_refused(tmp_path: Path) -> None:
    """The root is the folder's real path when the gallery was checked; it is not resolved
    again, so a gallery folder replaced by a link to another folder is caught."""
    root = tmp_path / "gallery"
    root.mkdir()
    (root / "a.jpg").write_bytes(CONTENT)
    real_root = root.resolve()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "a.jpg").write_bytes(b"somebody else's bytes")
    root.rename(tmp_path / "gallery-old")
    root.symlink_to(elsewhere)
    assert isinstance(refusal(root / "a.jpg", real_root), OutsideGalleryError)
    assert read_regular(root / "a.jpg", 100) == b"somebody else's bytes", "no root: followed"


def test_a_root_that_merely_shares_a_prefix_is_not_inside(tmp_path: Path) -> None:
    root = tmp_path / "gallery"
    root.mkdir()
    twin = tmp_path / "gallery-2"
    twin.mkdir()
    (twin / "a.jpg").write_bytes(CONTENT)
    (root / "a.jpg").symlink_to(twin / "a.jpg")
    assert isinstance(refusal(root / "a.jpg", root.resolve()), OutsideGalleryError)


def test_is_regular_file_never_opens_and_never_raises(tmp_path: Path, photo: Path) -> None:
    fifo = tmp_path / "pipe.jpg"
    os.mkfifo(fifo)
    link = tmp_path / "link.jpg"
    link.symlink_to(photo)
    dangling = tmp_path / "dangling.jpg"
    dangling.symlink_to(tmp_path / "gone.jpg")
    assert is_regular_file(photo) and is_regular_file(link)
    for path in (fifo, tmp_path, dangling, tmp_path / "gone.jpg", Path("nul\x00.jpg")):
        assert not is_regular_file(path), path


def test_kinds_are_said_in_words(tmp_path: Path, unix_socket: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    assert kind_of(os.stat(tmp_path).st_mode) == "a folder"
    assert kind_of(os.stat(fifo).st_mode) == "a named pipe (FIFO)"
    assert kind_of(os.stat(unix_socket).st_mode) == "a socket"
    assert kind_of(os.stat("/dev/null").st_mode) == "a device"


def test_a_name_that_is_not_utf8_opens_by_its_bytes_and_shows_as_text(tmp_path: Path) -> None:
    name = os.fsdecode(b"caf\xe9 \xff.jpg")  # Latin-1 bytes, as an old camera card has them
    photo = tmp_path / name
    photo.write_bytes(CONTENT)
    assert read_regular(photo, 100) == CONTENT
    assert display_name(photo.name) == "caf\ufffd \ufffd.jpg"
    assert display_name(photo) == f"{tmp_path}/caf\ufffd \ufffd.jpg"
    assert display_name(photo).encode("utf-8"), "the text can be written anywhere"
    folder = tmp_path / os.fsdecode(b"dossier \xe9t\xe9.jpg")
    folder.mkdir()
    error = refusal(folder)
    assert "dossier \ufffdt\ufffd.jpg: this is a folder" in str(error)
    str(error).encode("utf-8")


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("plain.jpg", "plain.jpg"),
        ("Ünïcödé ✓.jpg", "Ünïcödé ✓.jpg"),
        ("caf\udce9.jpg", "caf\ufffd.jpg"),  # an undecodable byte, as os.fsdecode keeps it
        ("\udcc3\udca9t\udcc3\udca9.jpg", "été.jpg"),  # escaped bytes that are UTF-8 together
        ("half \ud800.jpg", "half \ufffd.jpg"),  # a lone surrogate that stands for no byte
        ("\udfff", "\ufffd"),
    ],
)
def test_display_names_are_always_printable_text(name: str, shown: str) -> None:
    assert display_name(name) == shown
    assert display_name(Path(name)) == shown
    shown.encode("utf-8")


def test_printable_replaces_only_lone_surrogates() -> None:
    assert printable("caf\udce9 \ud800 ok ✓") == "caf\ufffd \ufffd ok ✓"
    assert printable("plain") == "plain"


def test_the_umask_is_read_without_being_changed() -> None:
    previous = os.umask(0o027)
    try:
        assert current_umask() == 0o027
        assert os.umask(0o027) == 0o027, "still what it was"
        os.umask(0o077)
        assert current_umask() == 0o077
    finally:
        os.umask(previous)
