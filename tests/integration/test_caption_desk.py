"""The caption desk in the real window: edit one photo or many, save, undo, ask first.

Everything is typed with the keyboard into the real window (offscreen); what was
written is read back by ExifTool when it is installed, else by our own reader.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.builders import jpeg_bytes
from tests.integration.conftest import (
    MakeWindow,
    click_later,
    opened_window,
    shown_text,
    wait_until_idle,
)
from viewer.metadata import iptc, read_metadata
from viewer.metadata.templates import TemplateStore
from viewer.ui.caption_editor import MIXED_TEXT
from viewer.ui.main_window import MainWindow
from viewer.ui.templates_menu import delete_template

EXIFTOOL = shutil.which("exiftool")
CTRL = Qt.KeyboardModifier.ControlModifier


def desk_folder(tmp_path: Path, count: int = 3) -> Path:
    """Photos with their own captions and one shared credit."""
    folder = tmp_path / "desk"
    folder.mkdir()
    for n in range(1, count + 1):
        (folder / f"IMG_{n}.jpg").write_bytes(
            jpeg_bytes(
                iptc_fields=[(iptc.CAPTION, f"Own caption {n}"), (iptc.CREDIT, "Wire")],
                color=(40 * n, 90, 120),
            )
        )
    return folder


def open_editor(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.keyClick(window.strip, Qt.Key.Key_E)
    qtbot.waitUntil(lambda: window.desk.editor is not None and window.desk.editor.isVisible())
    editor = window.desk.editor
    assert editor is not None
    qtbot.waitUntil(editor.isEnabled, timeout=10_000)  # the photos' fields are read


def saved(qtbot: QtBot, window: MainWindow, action: Callable[[], None]) -> None:
    """Run ``action`` and wait until the save it starts has reported."""
    with qtbot.waitSignal(window.state.caption_edits().saved, timeout=20_000):
        action()
    wait_until_idle(qtbot, window.state)


def tags(path: Path, *names: str) -> dict[str, object]:
    """The tags ExifTool reads from ``path`` (our reader's fields without ExifTool)."""
    if EXIFTOOL is None:
        meta = read_metadata(path)
        return {"caption": meta.caption, "credit": meta.credit}
    out = subprocess.run(
        [EXIFTOOL, "-j", "-G1", *(f"-{n}" for n in names), str(path)],
        capture_output=True,
        check=True,
    )
    found: dict[str, object] = json.loads(out.stdout)[0]
    return found


def all_tags(path: Path) -> dict[str, object]:
    out = subprocess.run(
        [str(EXIFTOOL), "-j", "-a", "-G1", "-s", "-n", str(path)], capture_output=True, check=True
    )
    found: dict[str, object] = json.loads(out.stdout)[0]
    for volatile in ("SourceFile", "System:FileModifyDate", "System:FileAccessDate"):
        found.pop(volatile, None)
    found.pop("System:FileInodeChangeDate", None)
    return found


def test_one_photo_captioned_from_the_keyboard_only_the_caption_changes(
    qtbot: QtBot, tmp_path: Path, make_window: MakeWindow
) -> None:
    folder = desk_folder(tmp_path)
    before = all_tags(folder / "IMG_1.jpg") if EXIFTOOL else {}
    window = opened_window(qtbot, make_window, folder)
    open_editor(qtbot, window)
    editor = window.desk.editor
    assert editor is not None
    caption = editor.field("caption")
    assert caption.hasFocus(), "the keyboard starts in the caption"
    assert caption.toPlainText() == "Own caption 1"  # type: ignore[union-attr]
    assert editor.field("credit").text() == "Wire"  # type: ignore[union-attr]
    caption.selectAll()
    qtbot.keyClicks(caption, "Zhurong seen from its camera, a sunny Mars day")
    assert editor._labels["caption"].font().bold(), "a changed field is marked"
    assert not editor._labels["credit"].font().bold()
    assert "Changed" in caption.accessibleDescription()
    saved(qtbot, window, lambda: qtbot.keyClick(caption, Qt.Key.Key_Return, CTRL))
    assert window.state.current_row() == 1, "Ctrl+Enter saves and goes on to the next photo"
    assert read_metadata(folder / "IMG_1.jpg").caption == (
        "Zhurong seen from its camera, a sunny Mars day"
    )
    assert read_metadata(folder / "IMG_2.jpg").caption == "Own caption 2"
    qtbot.waitUntil(lambda: editor.field("caption").toPlainText() == "Own caption 2")  # type: ignore[union-attr]
    if EXIFTOOL:
        after = all_tags(folder / "IMG_1.jpg")
        changed = {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}
        assert after["IPTC:Caption-Abstract"] == "Zhurong seen from its camera, a sunny Mars day"
        assert after["XMP-dc:Description"] == "Zhurong seen from its camera, a sunny Mars day"
        expected = {"IPTC:Caption-Abstract", "XMP-dc:Description", "System:FileSize",
                    "IPTC:CodedCharacterSet", "File:CurrentIPTCDigest", "Photoshop:IPTCDigest",
                    "XMP-x:XMPToolkit", "File:ExifByteOrder"}  # fmt: skip
        assert changed - expected == {x for x in changed if x.startswith("XMP-")} - expected, (
            changed
        )
        assert not {k for k in changed - expected if not k.startswith("XMP")}, changed
    # the photo is shown with its new caption after going back
    qtbot.keyClick(window.strip, Qt.Key.Key_Left)
    qtbot.waitUntil(
        lambda: shown_text(window.detail.info.caption).startswith("Zhurong seen"), timeout=10_000
    )
    qtbot.keyClick(editor.field("caption"), Qt.Key.Key_Escape)
    assert not editor.isVisible()


def test_many_photos_only_the_fields_typed_are_written_and_undo_takes_it_back(
    qtbot: QtBot, tmp_path: Path, make_window: MakeWindow
) -> None:
    folder = desk_folder(tmp_path)
    originals = {p.name: p.read_bytes() for p in folder.iterdir()}
    window = opened_window(qtbot, make_window, folder)
    qtbot.keyClick(window.strip, Qt.Key.Key_A, CTRL)
    assert len(window.state.selected_photos()) == 3
    open_editor(qtbot, window)
    editor = window.desk.editor
    assert editor is not None
    caption = editor.field("caption")
    assert caption.toPlainText() == ""  # type: ignore[union-attr]
    assert caption.placeholderText() == MIXED_TEXT
    assert editor.field("credit").text() == "Wire", "a value all share is shown"  # type: ignore[union-attr]
    assert "3 photos" in editor.heading.text()
    editor.caption_mode.setCurrentIndex(editor.caption_mode.findData("after"))
    qtbot.keyClicks(caption, "({filename})")
    credit = editor.field("credit")
    credit.setFocus()
    credit.selectAll()
    qtbot.keyClicks(credit, "CNSA / Xinhua")
    resets: list[int] = []
    window.state.shown.modelReset.connect(lambda: resets.append(1))
    saved(qtbot, window, editor.save_button.click)
    qtbot.wait(600)  # the folder watcher's pause after a change
    wait_until_idle(qtbot, window.state)
    for n in (1, 2, 3):
        meta = read_metadata(folder / f"IMG_{n}.jpg")
        assert meta.caption == f"Own caption {n} (IMG_{n}.jpg)"
        assert meta.credit == "CNSA / Xinhua"
    assert not resets, "the folder's own writes do not reload the strip"
    assert len(window.state.selected_photos()) == 3, "the selection stays"
    assert "3 written into the file" in window.statusBar().currentMessage()
    # Ctrl+Z from the strip writes back what the save replaced: the files read as before
    window.strip.setFocus()
    saved(qtbot, window, lambda: qtbot.keyClick(window.strip, Qt.Key.Key_Z, CTRL))
    for n in (1, 2, 3):
        meta = read_metadata(folder / f"IMG_{n}.jpg")
        assert (meta.caption, meta.credit) == (f"Own caption {n}", "Wire")
    if EXIFTOOL:
        for name, data in originals.items():
            copy = tmp_path / f"orig-{name}"
            copy.write_bytes(data)
            assert (
                tags(copy, "IPTC:all")["IPTC:Caption-Abstract"]
                == tags(folder / name, "IPTC:all")["IPTC:Caption-Abstract"]
            )
    editor.cancel_requested.emit()


def test_leaving_unsaved_changes_asks_first(
    qtbot: QtBot, tmp_path: Path, make_window: MakeWindow
) -> None:
    folder = desk_folder(tmp_path)
    original = (folder / "IMG_1.jpg").read_bytes()
    window = opened_window(qtbot, make_window, folder)
    open_editor(qtbot, window)
    editor = window.desk.editor
    assert editor is not None
    qtbot.keyClicks(editor.field("caption"), " more")
    # Cancel: the window stays on the photo being edited, the changes kept
    asked = click_later("Cancel")
    window.state.move_by(1)
    assert asked == ["Save the changes to IMG_1.jpg?"]
    assert window.state.current_row() == 0
    assert window.desk.is_dirty()
    # Discard: nothing is written, the next photo is shown
    click_later("Discard")
    window.state.move_by(1)
    assert window.state.current_row() == 1
    assert not window.desk.is_dirty()
    wait_until_idle(qtbot, window.state)
    assert (folder / "IMG_1.jpg").read_bytes() == original
    # closing with changes asks too; Save writes them
    qtbot.waitUntil(editor.isEnabled, timeout=10_000)
    editor.field("caption").setFocus()
    qtbot.keyClicks(editor.field("caption"), " and saved")
    click_later("Save")
    assert window.desk.confirm_close()
    qtbot.waitUntil(lambda: not window.state.caption_edits().is_busy(), timeout=20_000)
    assert read_metadata(folder / "IMG_2.jpg").caption == "Own caption 2 and saved"


def test_codes_expand_as_typed_and_templates_fill_fields(
    qtbot: QtBot, tmp_path: Path, make_window: MakeWindow
) -> None:
    folder = desk_folder(tmp_path, count=1)
    codes = tmp_path / "codes.txt"
    codes.write_text("zr\tZhurong rover\tthe rover\nbad line without a tab\n", "utf-8")
    window = opened_window(qtbot, make_window, folder)
    open_editor(qtbot, window)
    editor = window.desk.editor
    assert editor is not None
    window.desk.load_codes(codes)
    assert "1 codes loaded" in window.statusBar().currentMessage()
    skipped = window.messages.open_messages()
    assert skipped, "the lines skipped are told"
    assert "line 2: no tab after the code" in skipped[-1].text()
    window.messages.close_all()
    headline = editor.field("headline")
    headline.setFocus()
    qtbot.keyClicks(headline, "The =zr= on Mars")
    assert headline.text() == "The Zhurong rover on Mars"  # type: ignore[union-attr]
    TemplateStore().save("Mars desk", {"city": "Utopia Planitia", "byline": ("CNSA",)})
    window.desk.apply_values(TemplateStore().load()["Mars desk"])
    assert editor.field("city").text() == "Utopia Planitia"  # type: ignore[union-attr]
    assert editor.field("byline").text() == "CNSA"  # type: ignore[union-attr]
    saved(qtbot, window, editor.save_button.click)
    meta = read_metadata(folder / "IMG_1.jpg")
    assert (meta.headline, meta.city, meta.bylines) == (
        "The Zhurong rover on Mars",
        "Utopia Planitia",
        ("CNSA",),
    )
    assert meta.caption == "Own caption 1", "fields not typed are left alone"
    editor.cancel_requested.emit()


def test_a_variable_that_does_not_exist_saves_nothing_and_says_so(
    qtbot: QtBot, tmp_path: Path, make_window: MakeWindow
) -> None:
    folder = desk_folder(tmp_path, count=1)
    original = (folder / "IMG_1.jpg").read_bytes()
    window = opened_window(qtbot, make_window, folder)
    open_editor(qtbot, window)
    editor = window.desk.editor
    assert editor is not None
    qtbot.keyClicks(editor.field("caption"), " {ctiy}")
    editor.save_button.click()
    boxes = window.messages.open_messages()
    assert boxes and "IMG_1.jpg" in boxes[-1].text() and "ctiy" in boxes[-1].text()
    assert window.desk.is_dirty(), "the changes are kept to be corrected"
    assert (folder / "IMG_1.jpg").read_bytes() == original
    window.messages.close_all()
    window.desk.cancel()


def test_a_photo_that_cannot_be_written_is_named_and_the_others_are_saved(
    qtbot: QtBot, tmp_path: Path, make_window: MakeWindow
) -> None:
    folder = desk_folder(tmp_path, count=2)
    locked = folder / "IMG_2.jpg"
    locked.chmod(0o444)  # read-only: left as it is, and said so
    original = locked.read_bytes()
    window = opened_window(qtbot, make_window, folder)
    qtbot.keyClick(window.strip, Qt.Key.Key_A, CTRL)
    open_editor(qtbot, window)
    editor = window.desk.editor
    assert editor is not None
    credit = editor.field("credit")
    credit.setFocus()
    credit.selectAll()
    qtbot.keyClicks(credit, "Pool")
    saved(qtbot, window, editor.save_button.click)
    assert read_metadata(folder / "IMG_1.jpg").credit == "Pool"
    boxes = window.messages.open_messages()
    assert boxes, "a problem is told"
    text = boxes[-1].text()
    assert "IMG_2.jpg" in text and "read-only" in text and "1 written into the file" in text
    assert locked.read_bytes() == original
    window.messages.close_all()
    editor.cancel_requested.emit()


def test_deleting_a_template_asks_first(
    qtbot: QtBot, tmp_path: Path, make_window: MakeWindow
) -> None:
    window = opened_window(qtbot, make_window, desk_folder(tmp_path, count=1))
    store = TemplateStore()
    store.save("<b>Mars</b> desk", {"city": "Utopia Planitia"})
    asked = click_later("Cancel")
    delete_template(window.desk, store, "<b>Mars</b> desk")
    assert asked == ["Delete the template “<b>Mars</b> desk”?"]
    assert "<b>Mars</b> desk" in store.load(), "Cancel keeps it"
    click_later("Yes")
    delete_template(window.desk, store, "<b>Mars</b> desk")
    assert store.load() == {}
