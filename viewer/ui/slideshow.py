"""The slideshow: photos one after another, full screen, with their captions on screen.

The interval is counted from the moment each photo is painted, not from when it was
asked for, so a slow decode never shortens the time a photo is on screen. Space pauses
and resumes; the arrow keys still move (and restart the count); the caption overlay can
be switched off.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel, QWidget

INTERVALS = (2, 3, 5, 8, 10, 15, 30)  # seconds a person can choose
DEFAULT_INTERVAL = 5


class CaptionOverlay(QLabel):
    """Title, caption and credit over the foot of the photo.

    White on translucent black: at least 7:1 against any picture beneath, the black being 70%
    opaque.
    """

    MARGIN = 24
    MAX_WIDTH_EM = 48

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("slideshow_caption")
        self.setAccessibleName("Slideshow caption")
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.setStyleSheet(
            "QLabel { background: rgba(0, 0, 0, 180); color: #ffffff;"
            " border-radius: 6px; padding: 10px 16px; }"
        )
        font = self.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.setFont(font)
        self.hide()
        parent.installEventFilter(self)

    def set_lines(self, lines: list[str]) -> None:
        """Show these lines over the photo (none: hide the overlay)."""
        text = "\n".join(line for line in lines if line).strip()
        self.setText(text)
        self.setVisible(bool(text))
        self._place()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Follow the photo's size: the overlay stays at its foot."""
        if watched is self.parent() and event.type() == QEvent.Type.Resize:
            self._place()
        return False

    def _place(self) -> None:
        parent = self.parentWidget()
        if parent is None:
            return
        limit = self.fontMetrics().averageCharWidth() * self.MAX_WIDTH_EM
        width = max(120, min(parent.width() - 2 * self.MARGIN, limit))
        height = self.heightForWidth(width)
        self.setGeometry(
            (parent.width() - width) // 2,
            parent.height() - height - self.MARGIN,
            width,
            height,
        )
        self.raise_()


class Slideshow(QObject):
    """Times the slideshow and shows the caption overlay on ``view``.

    Signals:
        advance(): time for the next photo.
        running_changed(bool): the slideshow started (True) or stopped (False).
    """

    advance = Signal()
    running_changed = Signal(bool)

    def __init__(self, view: QWidget, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.overlay = CaptionOverlay(view)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.advance)
        self._running = False
        self._paused = False
        self._captions = True
        self._interval = DEFAULT_INTERVAL
        self._lines: list[str] = []

    def is_running(self) -> bool:
        """True while the slideshow runs."""
        return self._running

    def is_paused(self) -> bool:
        """True while it is paused."""
        return self._paused

    def interval(self) -> int:
        """Seconds each photo stays."""
        return self._interval

    def set_interval(self, seconds: int) -> None:
        """Seconds each photo stays, from the next photo on."""
        self._interval = max(1, int(seconds))
        if self._timer.isActive():
            self._timer.start(self._interval * 1000)

    def captions_shown(self) -> bool:
        """Whether the captions are shown over the photos."""
        return self._captions

    def set_captions_shown(self, shown: bool) -> None:
        """Show the captions over the photos, or not."""
        self._captions = shown
        self._refresh_overlay()

    def start(self) -> None:
        """Start the slideshow from the photo on screen."""
        if self._running:
            return
        self._running, self._paused = True, False
        self._refresh_overlay()
        self.running_changed.emit(True)

    def stop(self) -> None:
        """End the slideshow."""
        if not self._running:
            return
        self._running, self._paused = False, False
        self._timer.stop()
        self.overlay.hide()
        self.running_changed.emit(False)

    def toggle_pause(self) -> None:
        """Pause, or carry on."""
        if not self._running:
            return
        self._paused = not self._paused
        if self._paused:
            self._timer.stop()
        else:
            self._timer.start(self._interval * 1000)
        self._refresh_overlay()

    def show_photo_text(self, lines: list[str]) -> None:
        """The words for the photo now on screen (title, caption, credit)."""
        self._lines = list(lines)
        self._refresh_overlay()

    def photo_painted(self) -> None:
        """The photo is on screen: its time starts now."""
        if self._running and not self._paused:
            self._timer.start(self._interval * 1000)

    def _refresh_overlay(self) -> None:
        if not self._running:
            return
        lines = list(self._lines) if self._captions else []
        if self._paused:
            lines[:0] = ["Paused: press Space to continue, Esc to leave", " "]
        self.overlay.set_lines(lines)
