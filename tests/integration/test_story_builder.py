"""The story builder in the real window, from the keyboard: make, edit, reorder, save,
reopen and export a story; missing photos; unsaved stories are never lost silently."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QInputDialog, QPlainTextEdit
from pytestqt.qtbot import QtBot

from tests.builders import jpeg_bytes
from tests.integration.conftest import (
    MakeWindow,
    click_later,
    opened_window,
    press_enter_later,
    shown_text,
    wait_until_idle,
)
from viewer.metadata import iptc
from viewer.model import MANIFEST_NAME, load_manifest
from viewer.model.story_edit import new_story
from viewer.model.story_file import save_story
from viewer.ui.main_window import MainWindow

ALT = Qt.KeyboardModifier.AltModifier
CTRL = Qt.KeyboardModifier.ControlModifier


def photo_folder(tmp_path: Path, count: int = 3) -> Path:
    folder = tmp_path / "mars"
    folder.mkdir()
    for n in range(1, count + 1):
        (folder / f"sol-{n}.jpg").write_bytes(
            jpeg_bytes(
                iptc_fields=[(iptc.CAPTION, f"File caption {n}"), (iptc.CREDIT, "CNSA")],
                color=(60 * n, 80, 100),
            )
        )
    return folder


def save_with_keys(qtbot: QtBot, window: MainWindow) -> None:
    window.activateWindow()  # a question closed: the window manager gives focus back
    qtbot.waitUntil(window.isActiveWindow, timeout=5_000)
    with qtbot.waitSignal(window.stories.session.save_ended, timeout=10_000):
        qtbot.keyClick(window.strip, Qt.Key.Key_S, CTRL)


def test_a_story_made_edited_reordered_saved_reopened_and_exported_from_the_keyboard(
    qtbot: QtBot, tmp_path: Path, make_window: MakeWindow
) -> None:
    folder = photo_folder(tmp_path)
    window = opened_window(qtbot, make_window, folder)
    qtbot.keyClick(window.strip, Qt.Key.Key_N, CTRL)
    editor = window.stories.editor
    assert editor is not None and editor.isVisible()
    assert editor.headline.hasFocus(), "a new story starts in its headline"
    assert window.stories.session.is_dirty(), "a story never saved is unsaved"
    qtbot.keyClicks(editor.headline, "Zhurong's first pictures")
    qtbot.keyClick(editor.headline, Qt.Key.Key_Tab)
    assert editor.publication.hasFocus()
    qtbot.keyClicks(editor.publication, "The Desk")
    info = window.detail.info
    assert shown_text(info.headline) == "Zhurong's first pictures", "the pane follows live"
    assert "The Desk" in shown_text(info.dateline)
    # the photo's own words: empty means the file's own, which the field shows in grey
    caption = editor.own["caption"]
    assert isinstance(caption, QPlainTextEdit) and caption.toPlainText() == ""
    qtbot.waitUntil(lambda: caption.placeholderText() == "From the file: File caption 1")
    caption.setFocus()
    qtbot.keyClicks(caption, "The rover's own words")
    qtbot.waitUntil(lambda: shown_text(info.caption) == "The rover's own words")
    # Alt+Right twice: the first photo goes to the end, and stays current
    window.strip.setFocus()
    qtbot.keyClick(window.strip, Qt.Key.Key_Right, ALT)
    qtbot.keyClick(window.strip, Qt.Key.Key_Right, ALT)
    gallery = window.state.gallery()
    assert gallery is not None
    assert [p.path.name for p in gallery.photos] == ["sol-2.jpg", "sol-3.jpg", "sol-1.jpg"]
    assert window.state.current_row() == 2
    assert [p.path.name for p in window.state.shown_photos()][2] == "sol-1.jpg"
    # Ctrl+S: gallery.json in the photos' folder, relative paths, only what was given
    save_with_keys(qtbot, window)
    assert not window.stories.session.is_dirty()
    document = json.loads((folder / MANIFEST_NAME).read_text("utf-8"))
    assert document["photodesk_gallery"] == 2
    assert document["story"]["headline"] == "Zhurong's first pictures"
    assert [p["file"] for p in document["photos"]] == ["sol-2.jpg", "sol-3.jpg", "sol-1.jpg"]
    assert document["photos"][2]["caption"] == "The rover's own words"
    assert "caption" not in document["photos"][0], "the file's own is not repeated"
    # reopened: the same story, the file's own caption where the story says nothing
    other = opened_window(qtbot, make_window, folder)
    reopened = other.state.gallery()
    assert reopened is not None and reopened.story is not None
    assert reopened.story.headline == "Zhurong's first pictures"
    assert shown_text(other.detail.info.caption) == "File caption 2"
    assert not other.stories.session.is_dirty()
    # exported: a figure per photo, the override in its figcaption
    page = tmp_path / "story.html"
    with qtbot.waitSignal(other.sharing.story_exported, timeout=30_000):
        other.sharing.export_story_to(page)
    html = page.read_text("utf-8")
    assert html.count("<figure") == 3
    assert "The rover&#x27;s own words" in html or "The rover's own words" in html
    other.messages.close_all()


def test_saving_over_a_story_file_asks_and_enter_replaces_it(
    qtbot: QtBot, tmp_path: Path, make_window: MakeWindow
) -> None:
    folder = photo_folder(tmp_path, count=2)
    window = opened_window(qtbot, make_window, folder / "sol-1.jpg")
    qtbot.keyClick(window.strip, Qt.Key.Key_N, CTRL)
    editor = window.stories.editor
    assert editor is not None
    qtbot.keyClicks(editor.headline, "Second story")
    (folder / MANIFEST_NAME).write_text("{}", "utf-8")  # someone else's file appears
    asked = press_enter_later()
    save_with_keys(qtbot, window)
    assert asked and "gallery.json is already in" in asked[0]
    assert load_manifest(folder / MANIFEST_NAME).story.headline == "Second story"  # type: ignore[union-attr]
    # once saved there, Ctrl+S saves without asking again
    qtbot.keyClicks(editor.headline, " again")
    save_with_keys(qtbot, window)
    assert load_manifest(folder / MANIFEST_NAME).story.headline == "Second story again"  # type: ignore[union-attr]


def test_an_unsaved_story_asks_before_it_is_left(
    qtbot: QtBot, tmp_path: Path, make_window: MakeWindow
) -> None:
    folder = photo_folder(tmp_path, count=2)
    window = opened_window(qtbot, make_window, folder)
    window.stories.new_story()
    editor = window.stories.editor
    assert editor is not None
    qtbot.keyClicks(editor.headline, "Not saved yet")
    asked = click_later("Cancel")
    assert not window.confirm_close()
    assert asked == ["Save the story “Not saved yet”?"]
    assert window.stories.session.is_dirty()
    # opening something else asks too; Cancel keeps the story shown
    click_later("Cancel")
    window.state.open_bundled_story()
    gallery = window.state.gallery()
    assert gallery is not None and gallery.story is not None
    assert gallery.story.headline == "Not saved yet"
    # Save from the question: written, then the window may close
    click_later("Save")
    assert window.confirm_close()
    assert load_manifest(folder / MANIFEST_NAME).story.headline == "Not saved yet"  # type: ignore[union-attr]


def test_photos_dropped_in_the_strip_move_in_the_story(
    qtbot: QtBot, tmp_path: Path, make_window: MakeWindow
) -> None:
    folder = photo_folder(tmp_path, count=3)
    save_story(new_story(sorted(folder.iterdir()), headline="Dragged"), folder / MANIFEST_NAME)
    window = opened_window(qtbot, make_window, folder)
    strip = window.strip
    assert strip.dragEnabled(), "a story in its own order can be dragged"
    first = strip.visualRect(window.state.shown.index(0))
    last = strip.visualRect(window.state.shown.index(2))
    assert strip.drop_row(QPoint(first.left() + 2, first.center().y())) == 0
    assert strip.drop_row(QPoint(last.right() - 2, last.center().y())) == 3
    strip.rows_dropped.emit([0], 3)
    gallery = window.state.gallery()
    assert gallery is not None
    assert [p.path.name for p in gallery.photos] == ["sol-2.jpg", "sol-3.jpg", "sol-1.jpg"]
    assert window.stories.session.is_dirty()
    # Ctrl+Z takes it back
    qtbot.keyClick(strip, Qt.Key.Key_Z, CTRL)
    gallery = window.state.gallery()
    assert gallery is not None
    assert [p.path.name for p in gallery.photos] == ["sol-1.jpg", "sol-2.jpg", "sol-3.jpg"]
    # sorted by name, the story's order is not what is shown: dragging is off
    window.sort_by("date")
    assert not strip.dragEnabled()
    window.sort_by("story")
    assert strip.dragEnabled()
    window.stories.session.discard()


def test_a_missing_photo_keeps_its_place_and_is_found_again(
    qtbot: QtBot, tmp_path: Path, make_window: MakeWindow
) -> None:
    folder = photo_folder(tmp_path, count=2)
    save_story(new_story(sorted(folder.iterdir()), headline="Moved"), folder / MANIFEST_NAME)
    (folder / "archive").mkdir()
    (folder / "sol-1.jpg").rename(folder / "archive" / "sol-1-renamed.jpg")
    window = make_window()
    with qtbot.waitSignal(window.state.current_changed, timeout=10_000):
        window.state.open_path(folder)
        window.show()
    wait_until_idle(qtbot, window.state)
    info = window.detail.info
    assert info.missing_note.isVisibleTo(window)
    assert "sol-1.jpg" in shown_text(info.missing_note)
    assert info.find_button.isVisibleTo(window)
    offered: list[list[str]] = []

    def choose_first() -> None:  # in the real dialog: Enter takes what it proposes
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QInputDialog):
            QTimer.singleShot(20, choose_first)
            return
        offered.append(dialog.comboBoxItems())
        QTest.keyClick(dialog, Qt.Key.Key_Return)

    QTimer.singleShot(0, choose_first)
    info.find_button.click()
    qtbot.waitUntil(lambda: bool(offered), timeout=10_000)
    assert offered[0][0] == "archive/sol-1-renamed.jpg", "found by its content"
    gallery = window.state.gallery()
    assert gallery is not None
    assert gallery.photos[0].path == folder / "archive" / "sol-1-renamed.jpg"
    assert not gallery.photos[0].missing
    qtbot.waitUntil(lambda: not info.missing_note.isVisibleTo(window), timeout=10_000)
    window.stories.session.discard()


def test_the_bundled_story_is_not_edited_and_says_why(qtbot: QtBot, window: MainWindow) -> None:
    window.stories.show_editor()
    boxes = window.messages.open_messages()
    assert boxes and "comes with Photo Desk" in boxes[-1].text()
    assert window.stories.editor is None or not window.stories.editor.isVisible()
    window.messages.close_all()


def test_the_bundled_storys_pictures_are_not_captioned(qtbot: QtBot, window: MainWindow) -> None:
    assert not window.detail.info.edit_button.isVisibleTo(window)
    window.desk.open()
    boxes = window.messages.open_messages()
    assert boxes and "come with Photo Desk and are not changed" in boxes[-1].text()
    assert window.desk.editor is None
    window.messages.close_all()
