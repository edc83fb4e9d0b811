"""Safe from the first file: odd names, FIFOs swapped in, huge decodes, closing at any
moment, hostile manifests and settings, names that are not UTF-8."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from PIL import Image
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from tests.builders import jpeg_bytes
from tests.hostile import make_fifo
from tests.integration.conftest import MakeWindow, shown_text, wait_until_idle
from viewer.model import files_gallery
from viewer.ui.preferences import RECENT_LIMIT, Preferences


def _photos(folder: Path, names: list[str]) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for index, name in enumerate(names):
        path = folder / name
        path.write_bytes(jpeg_bytes(size=(320, 200), color=(40 * index % 255, 90, 160)))
        paths.append(path)
    return paths


def test_a_folder_with_an_odd_digit_in_a_name_opens_whole(
    qtbot: QtBot, tmp_path: Path, make_window: MakeWindow
) -> None:
    folder = tmp_path / "odd"
    _photos(folder, ["1²2.jpg", "IMG_10.jpg", "IMG_9.jpg", "٣.jpg"])
    window = make_window()
    with qtbot.waitSignal(window.photo_shown, timeout=10_000):
        window.state.open_path(folder)
        window.show()
    wait_until_idle(qtbot, window.state)
    names = [photo.path.name for photo in window.state.shown_photos()]
    assert sorted(names) == sorted(["1²2.jpg", "IMG_10.jpg", "IMG_9.jpg", "٣.jpg"])
    assert names.index("IMG_9.jpg") < names.index("IMG_10.jpg")


def test_a_photo_swapped_for_a_fifo_is_an_error_not_a_hang(
    qtbot: QtBot, tmp_path: Path, make_window: MakeWindow
) -> None:
    photos = _photos(tmp_path / "photos", ["a.jpg", "b.jpg", "c.jpg"])
    window = make_window(files_gallery(photos[0].parent, photos))
    wait_until_idle(qtbot, window.state)
    swapped = photos[2]  # not next to the first photo: never decoded in advance
    swapped.unlink()
    make_fifo(swapped)
    with qtbot.waitSignal(window.photo_shown, timeout=10_000):
        window.state.go_to(2)
    view = window.detail.photo_view
    assert not view.has_picture()
    assert "c.jpg" in view.error_message() and "named pipe" in view.error_message()
    wait_until_idle(qtbot, window.state)
    assert "named pipe" in shown_text(window.detail.info.camera)


def test_closing_during_a_large_decode_does_not_wait_for_it(
    qtbot: QtBot, tmp_path: Path, make_window: MakeWindow
) -> None:
    """A 64-MP PNG is decoded in the large lane for a second or more; the window closes
    and its workers stop at once, the decode with them (no thread is left behind)."""
    folder = tmp_path / "big"
    folder.mkdir()
    big = folder / "big.png"
    Image.new("RGB", (8000, 8000), (30, 60, 90)).save(big, compress_level=1)
    small = _photos(folder, ["small.jpg"])[0]
    window = make_window(files_gallery(folder, [small, big]))
    window.state.go_to(1)  # the big decode starts in a worker
    qtbot.waitUntil(lambda: not window.state.is_idle())
    window.close()
    assert window.state.workers.close(), "a thread was still waiting on the decode"
    assert window.state.workers.pool.workers_running() == 0


def test_a_gallery_that_fails_at_start_gives_way_to_the_bundled_story(
    qtbot: QtBot, tmp_path: Path, make_window: MakeWindow
) -> None:
    manifest = tmp_path / "gallery.json"
    manifest.write_text('{"photodesk_gallery": ' + "7" * 5000 + ', "photos": []}')
    window = make_window()
    with qtbot.waitSignal(window.state.problem, timeout=10_000) as problem:
        window.state.open_path(manifest, fallback=True)
    title, text = problem.args
    assert title == "Cannot open this gallery"
    assert "gallery.json" in text and "bundled story" in text
    with qtbot.waitSignal(window.photo_shown, timeout=10_000):
        window.show()
    gallery = window.state.gallery()
    assert gallery is not None and "Zhurong" in gallery.title


def test_an_empty_first_folder_gives_way_to_the_bundled_story(
    qtbot: QtBot, tmp_path: Path, make_window: MakeWindow
) -> None:
    empty = tmp_path / "nothing-here"
    empty.mkdir()
    (empty / "notes.txt").write_text("no photos")
    window = make_window()
    with qtbot.waitSignal(window.state.problem, timeout=10_000):
        window.state.open_path(empty, fallback=True)
        window.show()
    qtbot.waitUntil(lambda: window.state.gallery() is not None, timeout=10_000)
    gallery = window.state.gallery()
    assert gallery is not None and "Zhurong" in gallery.title


def test_file_recent_reads_at_most_ten_entries(tmp_path: Path) -> None:
    ini = tmp_path / "photodesk.conf"
    settings = QSettings(str(ini), QSettings.Format.IniFormat)
    settings.setValue("recent", [str(tmp_path / f"folder-{n}") for n in range(100_000)])
    settings.sync()
    preferences = Preferences(QSettings(str(ini), QSettings.Format.IniFormat))
    recent = preferences.recent()
    assert len(recent) == RECENT_LIMIT
    assert recent[0] == tmp_path / "folder-0"


def test_a_page_of_names_that_are_not_utf8_is_written(
    qtbot: QtBot, tmp_path: Path, make_window: MakeWindow
) -> None:
    folder = tmp_path / os.fsdecode(b"r\xe9sum\xe9")
    photo = _photos(folder, [os.fsdecode(b"caf\xe9.jpg")])[0]
    window = make_window(files_gallery(folder, [photo]))
    page = tmp_path / "page.html"
    previous = os.umask(0o027)
    try:
        with qtbot.waitSignal(window.sharing.story_exported, timeout=20_000):
            window.sharing.export_story_to(page)
    finally:
        os.umask(previous)
    text = page.read_bytes().decode("utf-8")  # valid UTF-8, or this raises
    assert "caf\ufffd.jpg" in text
    assert stat.S_IMODE(page.stat().st_mode) == 0o640, "the umask is followed"
    page.chmod(0o600)
    with qtbot.waitSignal(window.sharing.story_exported, timeout=20_000):
        window.sharing.export_story_to(page)
    assert stat.S_IMODE(page.stat().st_mode) == 0o600, "a replaced page keeps its mode"
    for box in window.messages.open_messages():
        box.close()
