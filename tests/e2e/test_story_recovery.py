"""A story being written when the app is killed comes back at the next start.

A real window in another process makes a story and types its headline; once its
recovery timer has written a copy (every 30 s in use, a fifth of a second here), the
process is killed with SIGKILL. A new window then offers the copy; restoring it gives
the story back, unsaved, and saving it writes the story and drops the copy.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from tests.builders import jpeg_bytes
from tests.integration.conftest import MakeWindow, make_window  # noqa: F401 - the fixture
from viewer.model import MANIFEST_NAME, load_manifest
from viewer.model.recovery import find_recoveries, recovery_folder

ROOT = Path(__file__).resolve().parents[2]
HEADLINE = "Written just before the crash — 火星"

WRITER = r"""
import sys
from pathlib import Path

from PySide6.QtCore import QEvent, QEventLoop, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication

from viewer.ui.main_window import MainWindow
from viewer.ui.preferences import Preferences
from viewer.ui.state import ViewerState
from viewer.ui.workers import Workers

app = QApplication([])
window = MainWindow(ViewerState(Workers(), None, "medium"), Preferences(None))
window.show()


def wait(condition):
    loop = QEventLoop()
    timer = QTimer()
    timer.timeout.connect(lambda: condition() and loop.quit())
    timer.start(20)
    loop.exec()
    timer.stop()


window.state.open_path(Path(sys.argv[1]))
wait(lambda: window.state.current_photo() is not None)
window.stories.new_story()
window.stories.session._recovery.setInterval(200)  # 30 s in use
field = window.stories.editor.headline
for char in sys.argv[2]:  # typed as a keyboard does, one key event a character
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        QApplication.sendEvent(field, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char))
copies = Path(sys.argv[3])
wait(lambda: copies.is_dir() and any(copies.glob("story-*.json")))  # renamed into place
print("copy written", flush=True)
app.exec()
"""


@pytest.fixture
def state_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "xdg-state"
    monkeypatch.setenv("XDG_STATE_HOME", str(home))
    return home


def test_a_story_killed_unsaved_is_offered_back_and_saved(
    qtbot: QtBot,
    tmp_path: Path,
    make_window: MakeWindow,  # noqa: F811 - the fixture imported above
    state_home: Path,
) -> None:
    folder = tmp_path / "photos"
    folder.mkdir()
    for n in (1, 2):
        (folder / f"p{n}.jpg").write_bytes(jpeg_bytes())
    copies = recovery_folder()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(folder), HEADLINE, str(copies)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        cwd=tmp_path,
        text=True,
    )
    try:
        assert writer.stdout is not None
        line = writer.stdout.readline()
        assert line == "copy written\n", writer.stderr.read() if writer.stderr else ""
        os.kill(writer.pid, signal.SIGKILL)
    finally:
        writer.kill()
        writer.communicate(timeout=30)  # reaped, its pipes closed
    assert writer.returncode == -signal.SIGKILL
    assert not (folder / MANIFEST_NAME).exists(), "nothing was saved before the kill"
    found = find_recoveries()
    assert len(found) == 1 and found[0].gallery is not None

    window = make_window()
    window.show()
    answered: list[str] = []

    def restore() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, restore)
            return
        answered.append(box.text())
        box.defaultButton().click()  # Restore is what it proposes

    QTimer.singleShot(0, restore)
    window.stories.offer_recoveries()
    assert HEADLINE in answered[0]
    gallery = window.state.gallery()
    assert gallery is not None and gallery.story is not None
    assert gallery.story.headline == HEADLINE
    assert [p.path.name for p in gallery.photos] == ["p1.jpg", "p2.jpg"]
    assert window.stories.session.is_dirty(), "restored, not saved yet"
    with qtbot.waitSignal(window.stories.session.save_ended, timeout=10_000):
        window.stories.save()
    assert load_manifest(folder / MANIFEST_NAME).story.headline == HEADLINE  # type: ignore[union-attr]
    assert find_recoveries() == [], "the copy is dropped once the story is saved"
    assert window.stories.editor is not None
    window.stories.editor.close()
