"""Opening folders, photos, several files and dropped files; text from the files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QMimeData, QPoint, QPointF, QSettings, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from pytestqt.qtbot import QtBot

from tests.builders import jpeg_bytes
from tests.integration.conftest import MakeWindow, shown_text
from viewer.metadata import iptc
from viewer.model import Photo
from viewer.ui.main_window import MainWindow

WriteJpeg = Callable[..., Path]


def empty_window(make_window: MakeWindow, settings: QSettings | None = None) -> MainWindow:
    """A window with nothing open yet, on screen."""
    window = make_window(settings=settings)
    window.show()
    return window


def names(window: MainWindow) -> list[str]:
    """The names of the photos in the strip, in the order shown."""
    return [photo.path.name for photo in window.state.shown_photos()]


def photo_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "wire photos"
    folder.mkdir()
    for name in ("IMG_10.jpg", "IMG_9.JPG", "IMG_100.jpeg"):
        (folder / name).write_bytes(
            jpeg_bytes(
                iptc_fields=[(iptc.CAPTION, f"Caption of {name}"), (iptc.CREDIT, "Wire / Agency")]
            )
        )
    (folder / "no-extension").write_bytes(jpeg_bytes())  # recognised by its content
    (folder / "notes.txt").write_text("not a photo")
    (folder / ".hidden.jpg").write_bytes(jpeg_bytes())
    return folder


def test_a_folder_opens_in_natural_order_with_captions_from_the_files(
    qtbot: QtBot, tmp_path: Path, make_window: MakeWindow
) -> None:
    folder = photo_folder(tmp_path)
    window = empty_window(make_window)
    with qtbot.waitSignal(window.photo_shown, timeout=10_000):
        window.state.open_path(folder)
    assert names(window) == ["IMG_9.JPG", "IMG_10.jpg", "IMG_100.jpeg", "no-extension"]
    assert window.windowTitle() == "wire photos — 1 of 4"
    qtbot.waitUntil(window.state.details_ready, timeout=10_000)
    info = window.detail.info
    assert shown_text(info.caption) == "Caption of IMG_9.JPG"
    assert shown_text(info.credit) == "Credit: Wire / Agency"
    assert not info.illustration_note.isVisibleTo(window)
    assert not info.headline.isVisibleTo(window), "a folder has no story"


def test_a_photo_opens_its_folder_with_it_selected(
    qtbot: QtBot, tmp_path: Path, make_window: MakeWindow
) -> None:
    folder = photo_folder(tmp_path)
    window = empty_window(make_window)
    with qtbot.waitSignal(window.photo_shown, timeout=10_000):
        window.state.open_path(folder / "IMG_100.jpeg")
    qtbot.waitUntil(lambda: window.state.current_row() == 2, timeout=10_000)
    assert window.windowTitle() == "wire photos — 3 of 4"
    qtbot.waitUntil(lambda: window.detail.photo_view.path() == folder / "IMG_100.jpeg")


def test_several_files_become_a_gallery_of_them(
    qtbot: QtBot, tmp_path: Path, make_window: MakeWindow
) -> None:
    folder = photo_folder(tmp_path)
    window = empty_window(make_window)
    with qtbot.waitSignal(window.photo_shown, timeout=10_000):
        window.state.open_files([folder / "IMG_10.jpg", folder / "notes.txt", folder / "IMG_9.JPG"])
    assert names(window) == ["IMG_10.jpg", "IMG_9.JPG"]
    assert window.windowTitle() == "2 photos — 1 of 2"


def test_dropped_files_are_opened(qtbot: QtBot, tmp_path: Path, make_window: MakeWindow) -> None:
    folder = photo_folder(tmp_path)
    window = empty_window(make_window)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(folder))])
    where = QPointF(50, 50)
    buttons, keys = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(QPoint(50, 50), Qt.DropAction.CopyAction, mime, buttons, keys)
    window.dragEnterEvent(enter)
    assert enter.isAccepted(), "a dragged folder is welcome"
    drop = QDropEvent(where, Qt.DropAction.CopyAction, mime, buttons, keys)
    # Qt only routes a drop event during a real drag, so the handler is called directly.
    with qtbot.waitSignal(window.photo_shown, timeout=10_000):
        window.dropEvent(drop)
    assert window.state.shown.rowCount() == 4


def test_what_cannot_be_opened_is_said_and_nothing_changes(
    qtbot: QtBot, tmp_path: Path, make_window: MakeWindow
) -> None:
    window = empty_window(make_window)
    (tmp_path / "empty").mkdir()
    (tmp_path / "notes.txt").write_text("words")
    for target, words in (
        (tmp_path / "missing", "no such file"),
        (tmp_path / "empty", "holds no images"),
        (tmp_path / "notes.txt", "not an image"),
    ):
        window.state.open_path(target)
        qtbot.waitUntil(lambda: bool(window.messages.open_messages()), timeout=10_000)
        (box,) = window.messages.open_messages()
        assert box.isVisible()
        assert str(target) in box.text()
        assert words in box.text()
        box.close()
        qtbot.waitUntil(lambda: not window.messages.open_messages())
    assert window.state.gallery() is None
    assert window.state.current_photo() is None


def test_the_info_panel_lists_metadata_in_groups(
    qtbot: QtBot, write_jpeg: WriteJpeg, make_window: MakeWindow
) -> None:
    from tests.builders import CAMERA_EXIF, CAMERA_EXIF_IFD  # noqa: PLC0415

    photo = write_jpeg(
        "wire/shot.jpg",
        exif=CAMERA_EXIF,
        exif_ifd=CAMERA_EXIF_IFD,
        iptc_fields=[(iptc.CITY, "Pasadena"), (iptc.KEYWORDS, "football")],
    )
    window = empty_window(make_window)
    with qtbot.waitSignal(window.photo_shown, timeout=10_000):
        window.state.open_path(photo)
    qtbot.waitUntil(window.state.details_ready, timeout=10_000)
    assert not window.info_dock.isVisible()
    qtbot.keyClick(window, Qt.Key.Key_I)
    qtbot.waitUntil(window.info_dock.isVisible)
    text = window.info_dock.text.toPlainText()
    for expected in (
        "DESCRIPTION",
        "Caption",
        "EXIF description",
        "football",
        "CAMERA",
        "Canon EOS 7D",
        "EXPOSURE",
        "1/250 s",
        "f/2.8",
        "LOCATION",
        "Pasadena",
        "FILE",
        "shot.jpg",
        "320 × 200",
    ):
        assert expected in text, expected
    assert window.info_dock.text.isReadOnly()
    window.info_dock.text.selectAll()
    assert "Canon EOS 7D" in window.info_dock.text.textCursor().selectedText()
    qtbot.keyClick(window, Qt.Key.Key_I)
    qtbot.waitUntil(lambda: not window.info_dock.isVisible())


def folder_of(folder: Path, count: int, name: str) -> Path:
    """``count`` tiny JPEGs named by ``name.format(i)``."""
    folder.mkdir()
    data = jpeg_bytes(size=(32, 24))
    for i in range(count):
        (folder / name.format(i)).write_bytes(data)
    return folder


def test_the_photo_opened_is_scrolled_into_view(
    qtbot: QtBot, tmp_path: Path, make_window: MakeWindow
) -> None:
    folder = folder_of(tmp_path / "many", 40, "p{:02d}.jpg")
    window = empty_window(make_window)
    with qtbot.waitSignal(window.photo_shown, timeout=10_000):
        window.state.open_path(folder / "p33.jpg")
    qtbot.waitUntil(lambda: 33 in window.strip.visible_rows(), timeout=5_000)
    window.state.go_to(39)
    qtbot.waitUntil(lambda: 39 in window.strip.visible_rows(), timeout=5_000)
    window.info_dock.show()  # the strip gets narrower
    window.resize(700, 800)
    qtbot.waitUntil(lambda: 39 in window.strip.visible_rows(), timeout=5_000)


def test_the_folder_is_watched(qtbot: QtBot, tmp_path: Path, make_window: MakeWindow) -> None:
    folder = photo_folder(tmp_path)
    window = empty_window(make_window)
    with qtbot.waitSignal(window.photo_shown, timeout=10_000):
        window.state.open_path(folder / "IMG_10.jpg")
    qtbot.waitUntil(lambda: window.state.current_row() == 1, timeout=5_000)
    (folder / "IMG_1.jpg").write_bytes(jpeg_bytes())  # appears
    qtbot.waitUntil(lambda: "IMG_1.jpg" in names(window), timeout=3_000)
    assert names(window)[0] == "IMG_1.jpg", "in its natural place"
    assert window.detail.photo_view.path() == folder / "IMG_10.jpg", "still on the same photo"
    (folder / "IMG_9.JPG").unlink()  # vanishes
    qtbot.waitUntil(lambda: "IMG_9.JPG" not in names(window), timeout=3_000)
    (folder / "IMG_100.jpeg").rename(folder / "IMG_50.jpeg")  # renamed
    qtbot.waitUntil(
        lambda: "IMG_50.jpeg" in names(window) and "IMG_100.jpeg" not in names(window),
        timeout=3_000,
    )
    assert window.detail.photo_view.path() == folder / "IMG_10.jpg"


def test_a_rewritten_photo_is_shown_anew(
    qtbot: QtBot, tmp_path: Path, make_window: MakeWindow
) -> None:
    folder = tmp_path / "live"
    folder.mkdir()
    photo = folder / "now.jpg"
    photo.write_bytes(jpeg_bytes(size=(400, 300), color=(250, 0, 0)))
    window = empty_window(make_window)
    with qtbot.waitSignal(window.photo_shown, timeout=10_000):
        window.state.open_path(photo)
    qtbot.waitUntil(window.detail.photo_view.has_picture, timeout=5_000)

    def centre_green() -> int:
        view = window.detail.photo_view
        return view.grab().toImage().pixelColor(view.picture_rect().center()).green()

    assert centre_green() < 200
    # Another program overwrites the file in place with a green picture.
    photo.write_bytes(jpeg_bytes(size=(400, 300), color=(0, 250, 0)))
    qtbot.waitUntil(
        lambda: window.detail.photo_view.has_picture() and centre_green() > 150, timeout=5_000
    )


def test_recent_is_remembered_across_windows(
    qtbot: QtBot, tmp_path: Path, make_window: MakeWindow
) -> None:
    folder = photo_folder(tmp_path)
    settings_file = str(tmp_path / "settings.ini")
    first = empty_window(make_window, QSettings(settings_file, QSettings.Format.IniFormat))
    with qtbot.waitSignal(first.photo_shown, timeout=10_000):
        first.state.open_path(folder / "IMG_10.jpg")
    qtbot.waitUntil(lambda: bool(first.preferences.recent()), timeout=5_000)
    first.close()
    second = empty_window(make_window, QSettings(settings_file, QSettings.Format.IniFormat))
    assert second.preferences.recent() == [folder / "IMG_10.jpg"]
    second.menus.recent_menu.aboutToShow.emit()
    (entry,) = [a for a in second.menus.recent_menu.actions() if "IMG_10" in a.text()]
    with qtbot.waitSignal(second.photo_shown, timeout=10_000):
        entry.trigger()
    qtbot.waitUntil(lambda: second.state.current_row() == 1, timeout=5_000)


def test_sort_by_date_taken_and_back_by_name(
    qtbot: QtBot, tmp_path: Path, make_window: MakeWindow
) -> None:
    folder = tmp_path / "day"
    folder.mkdir()
    taken = {
        "a.jpg": "2021:06:11 12:00:00",
        "b.jpg": "2021:06:11 08:00:00",
        "c.jpg": "2021:06:11 10:00:00",
    }
    for name, when in taken.items():
        (folder / name).write_bytes(jpeg_bytes(exif_ifd={0x9003: when}))
    (folder / "d.jpg").write_bytes(jpeg_bytes())  # no EXIF date: its file time, i.e. now
    window = empty_window(make_window)
    with qtbot.waitSignal(window.photo_shown, timeout=10_000):
        window.state.open_path(folder / "c.jpg")
    assert names(window) == ["a.jpg", "b.jpg", "c.jpg", "d.jpg"]
    by_name, by_date = window.menus.sort_actions["name"], window.menus.sort_actions["date"]
    by_date.trigger()
    qtbot.waitUntil(lambda: names(window) == ["b.jpg", "c.jpg", "a.jpg", "d.jpg"], timeout=5_000)
    assert by_date.isChecked() and not by_name.isChecked()
    assert window.detail.photo_view.path() == folder / "c.jpg", "the same photo stays on"
    assert window.windowTitle().endswith("2 of 4")
    by_name.trigger()
    qtbot.waitUntil(lambda: names(window) == ["a.jpg", "b.jpg", "c.jpg", "d.jpg"], timeout=5_000)
    assert by_name.isChecked() and not by_date.isChecked()
    assert window.detail.photo_view.path() == folder / "c.jpg"
    assert window.windowTitle().endswith("3 of 4")


def test_a_big_folder_streams_into_the_strip(
    qtbot: QtBot, tmp_path: Path, make_window: MakeWindow
) -> None:
    folder = folder_of(tmp_path / "big", 3000, "IMG_{}.jpg")
    window = empty_window(make_window)
    shown = window.state.shown  # what the strip shows
    counts: list[int] = []
    shown.modelReset.connect(lambda: counts.append(shown.rowCount()))
    listed_when_chosen: list[int] = []

    def on_current_changed(photo: Photo | None) -> None:
        if photo is not None and not listed_when_chosen:
            listed_when_chosen.append(shown.rowCount())

    window.state.current_changed.connect(on_current_changed)
    opened: list[Path] = []
    window.state.opened.connect(opened.append)
    with qtbot.waitSignal(window.photo_shown, timeout=10_000):
        window.state.open_path(folder)
    (first_count,) = listed_when_chosen
    assert first_count < 3000, "the first photo is chosen (and shown) before the listing ends"
    qtbot.waitUntil(lambda: shown.rowCount() == 3000, timeout=20_000)
    assert len(set(counts)) >= 3, f"the strip grew in steps: {sorted(set(counts))}"
    assert names(window)[:12] == [f"IMG_{i}.jpg" for i in range(12)]
    qtbot.waitUntil(lambda: window.detail.photo_view.path() == folder / "IMG_0.jpg")
    assert window.state.current_row() == 0, "untouched, the selection follows the first photo"
    qtbot.waitUntil(lambda: opened == [folder], timeout=10_000)  # wholly listed: followed
    assert window.state.folder.folder() == folder
    assert not window.state.folder.is_listing()
