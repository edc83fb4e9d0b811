"""``--screenshot``: wait until the window shows its photo, then save it as a PNG."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QImageWriter
from PySide6.QtWidgets import QApplication

from viewer.ui.main_window import MainWindow


class ScreenshotTaker(QObject):
    """Saves ``window`` to ``target`` once its photo and visible thumbnails are painted.

    ``exit_code`` is 0 once the PNG is written, 1 if it could not be written or the
    photo did not appear within ``timeout_ms``.
    """

    def __init__(self, window: MainWindow, target: Path, timeout_ms: int) -> None:
        super().__init__(window)
        self._window = window
        self._target = target
        self.exit_code = 1
        self._photo_painted = False
        self._poll = QTimer(self)
        self._poll.setInterval(20)
        self._poll.timeout.connect(self._on_poll_timeout)
        self._deadline = QTimer(self)
        self._deadline.setSingleShot(True)
        self._deadline.setInterval(timeout_ms)
        self._deadline.timeout.connect(self._on_deadline_timeout)

    def start(self) -> None:
        """Watch the window from now on."""
        self._window.photo_shown.connect(self._on_photo_shown)
        self._window.state.problem.connect(self._on_problem)
        self._deadline.start()
        self._poll.start()

    def _on_photo_shown(self, _path: object) -> None:
        self._photo_painted = True

    def _on_problem(self, _title: str, text: str) -> None:
        """What was asked for cannot be shown: say so and exit 1.

        In a screenshot, no bundled story stands in for it.
        """
        if self._photo_painted or not self._poll.isActive():
            return
        self._poll.stop()
        self._deadline.stop()
        print(f"photodesk: {text}", file=sys.stderr)
        self._finish()

    def _on_poll_timeout(self) -> None:
        # Done when the photo, its details and the thumbnails in view are on screen;
        # the background pass over the rest of a large gallery is not waited for.
        window = self._window
        ready = window.state.details_ready() and window.visible_thumbnails_ready()
        if self._photo_painted and ready:
            self._poll.stop()
            self._deadline.stop()
            self._save()

    def _on_deadline_timeout(self) -> None:
        self._poll.stop()
        print(
            f"photodesk: the photo was not painted within {self._deadline.interval()} ms",
            file=sys.stderr,
        )
        self._finish()

    def _save(self) -> None:
        try:
            self._window.repaint()
            writer = QImageWriter(str(self._target), b"png")
            if writer.write(self._window.grab().toImage()):
                self.exit_code = 0
            else:
                print(
                    f"photodesk: could not write the screenshot to {self._target}: "
                    f"{writer.errorString()}",
                    file=sys.stderr,
                )
        finally:
            self._finish()  # whatever happened, never leave the process waiting

    def _finish(self) -> None:
        self._window.close()
        QApplication.quit()
