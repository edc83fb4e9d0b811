"""Opening folders, photos, several files and dropped files; text from the files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QMimeData, QPoint, QPointF, QSettings, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from tests.builders import jpeg_bytes
from viewer.metadata import iptc
from viewer.ui.main_window import MainWindow

WriteJpeg = Callable[..., Path]


def empty_window(qtbot: QtBot) -> MainWindow:
    window = MainWindow()
    window.resize(1200, 800)
    qtbot.addWidget(window, before_close_func=lambda w: w.runner.wait_for_done(10_000))
    window.show()
    return window


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
    qtbot: QtBot, tmp_path: Path
) -> None:
    folder = photo_folder(tmp_path)
    window = empty_window(qtbot)
    with qtbot.waitSignal(window.photo_shown, timeout=10_000):
        window.open_path(folder)
    gallery = window.model.gallery()
    assert gallery is not None
    assert [p.path.name for p in gallery.photos] == [
        "IMG_9.JPG",
        "IMG_10.jpg",
        "IMG_100.jpeg",
        "no-extension",
    ]
    assert window.windowTitle() == "wire photos — 1 of 4"
    qtbot.waitUntil(window.details_ready, timeout=10_000)
    info = window.detail.info
    assert info.caption.text() == "Caption of IMG_9.JPG"
    assert info.credit.text() == "Credit: Wire / Agency"
    assert not info.illustration_note.isVisibleTo(window)
    assert not info.headline.isVisibleTo(window), "a folder has no story"
    window.close()


def test_a_photo_opens_its_folder_with_it_selected(qtbot: QtBot, tmp_path: Path) -> None:
    folder = photo_folder(tmp_path)
    window = empty_window(qtbot)
    with qtbot.waitSignal(window.photo_shown, timeout=10_000):
        window.open_path(folder / "IMG_100.jpeg")
    qtbot.waitUntil(lambda: window.current_row() == 2, timeout=10_000)
    assert window.windowTitle() == "wire photos — 3 of 4"
    qtbot.waitUntil(lambda: window.detail.photo_view.path() == folder / "IMG_100.jpeg")
    window.close()


def test_several_files_become_a_gallery_of_them(qtbot: QtBot, tmp_path: Path) -> None:
    folder = photo_folder(tmp_path)
    window = empty_window(qtbot)
    with qtbot.waitSignal(window.photo_shown, timeout=10_000):
        window.open_files([folder / "IMG_10.jpg", folder / "notes.txt", folder / "IMG_9.JPG"])
    gallery = window.model.gallery()
    assert gallery is not None
    assert [p.path.name for p in gallery.photos] == ["IMG_10.jpg", "IMG_9.JPG"]
    assert window.windowTitle() == "2 photos — 1 of 2"
    window.close()


def test_dropped_files_are_opened(qtbot: QtBot, tmp_path: Path) -> None:
    folder = photo_folder(tmp_path)
    window = empty_window(qtbot)
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
    assert window.model.rowCount() == 4
    window.close()


def test_what_cannot_be_opened_is_said_and_nothing_changes(qtbot: QtBot, tmp_path: Path) -> None:
    window = empty_window(qtbot)
    (tmp_path / "empty").mkdir()
    (tmp_path / "notes.txt").write_text("words")
    for target, words in (
        (tmp_path / "missing", "no such file"),
        (tmp_path / "empty", "holds no images"),
        (tmp_path / "notes.txt", "not an image"),
    ):
        window.open_path(target)

        def shown() -> list[QMessageBox]:
            return [
                w
                for w in QApplication.topLevelWidgets()
                if isinstance(w, QMessageBox) and w.isVisible()
            ]

        qtbot.waitUntil(lambda: bool(shown()), timeout=10_000)
        (box,) = shown()
        assert str(target) in box.text()
        assert words in box.text()
        box.close()
    assert window.model.gallery() is None
    window.close()


def test_the_info_panel_lists_metadata_in_groups(qtbot: QtBot, write_jpeg: WriteJpeg) -> None:
    from tests.builders import CAMERA_EXIF, CAMERA_EXIF_IFD  # noqa: PLC0415

    photo = write_jpeg(
        "wire/shot.jpg",
        exif=CAMERA_EXIF,
        exif_ifd=CAMERA_EXIF_IFD,
        iptc_fields=[(iptc.CITY, "Pasadena"), (iptc.KEYWORDS, "football")],
    )
    window = empty_window(qtbot)
    with qtbot.waitSignal(window.photo_shown, timeout=10_000):
        window.open_path(photo)
    qtbot.waitUntil(window.details_ready, timeout=10_000)
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
    window.close()


def folder_of(folder: Path, count: int, name: str) -> Path:
    """``count`` tiny JPEGs named by ``name.format(i)``."""
    folder.mkdir()
    data = jpeg_bytes(size=(32, 24))
    for i in range(count):
        (folder / name.format(i)).write_bytes(data)
    return folder


def test_the_photo_opened_is_scrolled_into_view(qtbot: QtBot, tmp_path: Path) -> None:
    folder = folder_of(tmp_path / "many", 40, "p{:02d}.jpg")
    window = empty_window(qtbot)
    with qtbot.waitSignal(window.photo_shown, timeout=10_000):
        window.open_path(folder / "p33.jpg")
    qtbot.waitUntil(lambda: 33 in window.strip.visible_rows(), timeout=5_000)
    window.go_to(39)
    qtbot.waitUntil(lambda: 39 in window.strip.visible_rows(), timeout=5_000)
    window.info_dock.show()  # the strip gets narrower
    window.resize(700, 800)
    qtbot.waitUntil(lambda: 39 in window.strip.visible_rows(), timeout=5_000)
    window.close()


def test_the_folder_is_watched(qtbot: QtBot, tmp_path: Path) -> None:
    folder = photo_folder(tmp_path)
    window = empty_window(qtbot)
    with qtbot.waitSignal(window.photo_shown, timeout=10_000):
        window.open_path(folder / "IMG_10.jpg")
    qtbot.waitUntil(lambda: window.current_row() == 1, timeout=5_000)

    def names() -> list[str]:
        gallery = window.model.gallery()
        return [p.path.name for p in gallery.photos] if gallery else []

    (folder / "IMG_1.jpg").write_bytes(jpeg_bytes())  # appears
    qtbot.waitUntil(lambda: "IMG_1.jpg" in names(), timeout=3_000)
    assert names()[0] == "IMG_1.jpg", "in its natural place"
    assert window.detail.photo_view.path() == folder / "IMG_10.jpg", "still on the same photo"
    (folder / "IMG_9.JPG").unlink()  # vanishes
    qtbot.waitUntil(lambda: "IMG_9.JPG" not in names(), timeout=3_000)
    (folder / "IMG_100.jpeg").rename(folder / "IMG_50.jpeg")  # renamed
    qtbot.waitUntil(
        lambda: "IMG_50.jpeg" in names() and "IMG_100.jpeg" not in names(), timeout=3_000
    )
    assert window.detail.photo_view.path() == folder / "IMG_10.jpg"
    window.close()


def test_a_rewritten_photo_is_shown_anew(qtbot: QtBot, tmp_path: Path) -> None:
    folder = tmp_path / "live"
    folder.mkdir()
    photo = folder / "now.jpg"
    photo.write_bytes(jpeg_bytes(size=(400, 300), color=(250, 0, 0)))
    window = empty_window(qtbot)
    with qtbot.waitSignal(window.photo_shown, timeout=10_000):
        window.open_path(photo)
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
    window.close()


def test_recent_is_remembered_across_windows(qtbot: QtBot, tmp_path: Path) -> None:
    folder = photo_folder(tmp_path)
    settings_file = tmp_path / "settings.ini"
    first = MainWindow(settings=QSettings(str(settings_file), QSettings.Format.IniFormat))
    qtbot.addWidget(first, before_close_func=lambda w: w.runner.wait_for_done(10_000))
    first.show()
    with qtbot.waitSignal(first.photo_shown, timeout=10_000):
        first.open_path(folder / "IMG_10.jpg")
    qtbot.waitUntil(lambda: bool(first.recent()), timeout=5_000)
    first.close()
    second = MainWindow(settings=QSettings(str(settings_file), QSettings.Format.IniFormat))
    qtbot.addWidget(second, before_close_func=lambda w: w.runner.wait_for_done(10_000))
    second.show()
    assert second.recent() == [folder / "IMG_10.jpg"]
    second.recent_menu.aboutToShow.emit()
    (entry,) = [a for a in second.recent_menu.actions() if "IMG_10" in a.text()]
    with qtbot.waitSignal(second.photo_shown, timeout=10_000):
        entry.trigger()
    qtbot.waitUntil(lambda: second.current_row() == 1, timeout=5_000)
    second.close()


def test_sort_by_date_taken_and_back_by_name(qtbot: QtBot, tmp_path: Path) -> None:
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
    window = empty_window(qtbot)
    with qtbot.waitSignal(window.photo_shown, timeout=10_000):
        window.open_path(folder / "c.jpg")

    def names() -> list[str]:
        gallery = window.model.gallery()
        return [p.path.name for p in gallery.photos] if gallery else []

    assert names() == ["a.jpg", "b.jpg", "c.jpg", "d.jpg"]
    window.sort_by_date_action.trigger()
    qtbot.waitUntil(lambda: names() == ["b.jpg", "c.jpg", "a.jpg", "d.jpg"], timeout=5_000)
    assert window.detail.photo_view.path() == folder / "c.jpg", "the same photo stays on"
    assert window.windowTitle().endswith("2 of 4")
    window.sort_by_name_action.trigger()
    qtbot.waitUntil(lambda: names() == ["a.jpg", "b.jpg", "c.jpg", "d.jpg"], timeout=5_000)
    assert window.sort_by_name_action.isChecked()
    window.close()


def test_a_big_folder_streams_into_the_strip(qtbot: QtBot, tmp_path: Path) -> None:
    folder = folder_of(tmp_path / "big", 3000, "IMG_{}.jpg")
    window = empty_window(qtbot)
    counts: list[int] = []
    window.model.modelReset.connect(lambda: counts.append(window.model.rowCount()))
    with qtbot.waitSignal(window.photo_shown, timeout=10_000):
        window.open_path(folder)
    assert window.model.rowCount() < 3000, "the first photo shows before the listing ends"
    qtbot.waitUntil(lambda: window.model.rowCount() == 3000, timeout=20_000)
    assert len(set(counts)) >= 3, f"the strip grew in steps: {sorted(set(counts))}"
    gallery = window.model.gallery()
    assert gallery is not None
    assert [p.path.name for p in gallery.photos[:12]] == [f"IMG_{i}.jpg" for i in range(12)]
    qtbot.waitUntil(lambda: window.detail.photo_view.path() == folder / "IMG_0.jpg")
    assert window.current_row() == 0, "untouched, the selection follows the first photo"
    qtbot.waitUntil(lambda: window._watched == folder, timeout=10_000)
    window.close()
