"""Content Credentials in the window: the line under the credit, Find's filter by
credentials, and the caption desk leaving signed files as they were signed.

The signed files are made here by the reference library (c2pa-python), nothing mocked.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.integration.conftest import MakeWindow, opened_window, shown_text, wait_until_idle
from tests.unit.metadata import c2pa_builders
from viewer.metadata import read_metadata
from viewer.metadata.sidecar import find_sidecar
from viewer.ui.detail_pane import NOTE_DARK, NOTE_LIGHT

pytest.importorskip("c2pa", reason=c2pa_builders.SKIP_REASON)


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    """The WCAG contrast ratio of two #rrggbb colours."""
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.fixture(scope="module")
def signed_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("signed")
    authority = c2pa_builders.make_authority()
    signed = c2pa_builders.sign(c2pa_builders.picture(), authority)
    (folder / "a-signed.jpg").write_bytes(signed)
    (folder / "b-changed.jpg").write_bytes(c2pa_builders.changed_after_signing(signed))
    (folder / "c-plain.jpg").write_bytes(c2pa_builders.picture(color=(20, 90, 160)))
    return folder


def test_the_warning_keeps_its_contrast_in_both_palettes() -> None:
    for background, text, _border in (NOTE_LIGHT, NOTE_DARK):
        assert contrast(background, text) >= 4.5


def test_a_line_under_the_credit_says_what_the_credentials_say(
    qtbot: QtBot, make_window: MakeWindow, signed_folder: Path
) -> None:
    window = opened_window(qtbot, make_window, signed_folder)
    line = window.detail.info.credentials
    qtbot.waitUntil(lambda: line.isVisibleTo(window), timeout=10_000)
    assert shown_text(line).startswith("Content Credentials: signed by Jane Signer")
    assert not line.property("warning")
    window.state.move_by(1)  # changed after signing
    qtbot.waitUntil(lambda: "Changed after it was signed" in shown_text(line), timeout=10_000)
    assert line.property("warning"), "shown as a warning"
    assert line.accessibleDescription().startswith("Warning: Changed after it was signed")
    assert "background" in line.styleSheet()
    window.state.move_by(1)  # no credentials: no line
    qtbot.waitUntil(window.state.details_ready, timeout=10_000)
    wait_until_idle(qtbot, window.state)
    assert not line.isVisibleTo(window)


@pytest.mark.parametrize(
    ("kind", "names"),
    [
        ("with", ["a-signed.jpg", "b-changed.jpg"]),
        ("without", ["c-plain.jpg"]),
        ("broken", ["b-changed.jpg"]),
        ("any", ["a-signed.jpg", "b-changed.jpg", "c-plain.jpg"]),
    ],
)
def test_find_filters_by_credentials(
    qtbot: QtBot, make_window: MakeWindow, signed_folder: Path, kind: str, names: list[str]
) -> None:
    window = opened_window(qtbot, make_window, signed_folder)
    window.open_find()
    combo = window.find_bar.credentials
    combo.setCurrentIndex(combo.findData(kind))
    qtbot.waitUntil(
        lambda: [p.path.name for p in window.state.shown_photos()] == names, timeout=10_000
    )
    if kind != "any":
        assert f"{len(names)} of 3" in window.find_bar.status.text()
        assert not window.strip.dragEnabled()
    window.close_find()
    assert len(window.state.shown_photos()) == 3, "closing Find shows every photo again"


def test_the_caption_desk_leaves_a_signed_file_as_signed_and_says_why(
    qtbot: QtBot, make_window: MakeWindow, signed_folder: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "copy"
    folder.mkdir()
    signed = folder / "a-signed.jpg"
    signed.write_bytes((signed_folder / "a-signed.jpg").read_bytes())
    before = signed.read_bytes()
    window = opened_window(qtbot, make_window, folder)
    qtbot.keyClick(window.strip, Qt.Key.Key_E)
    editor = window.desk.editor
    assert editor is not None
    qtbot.waitUntil(lambda: editor.isEnabled() and editor.where.isVisibleTo(window))
    assert "carries Content Credentials" in editor.where.text()
    qtbot.keyClicks(editor.field("caption"), "Signed at the scene")
    with qtbot.waitSignal(window.state.caption_edits().saved, timeout=20_000):
        editor.save_button.click()
    wait_until_idle(qtbot, window.state)
    assert signed.read_bytes() == before, "the signed file is untouched"
    sidecar = find_sidecar(signed)
    assert sidecar is not None and sidecar.parent == folder, "its XMP sidecar beside it"
    meta = read_metadata(signed)
    assert meta.caption == "Signed at the scene", "read back through its sidecar"
    assert meta.provenance is not None and meta.provenance.state == "valid"
    editor.cancel_requested.emit()
