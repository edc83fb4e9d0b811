"""Full screen and the slideshow: how the window presents the photo.

The slideshow puts away everything but the photo (strip, information, the info panel),
goes full screen, and shows title, caption and credit on the photo; it advances through
the viewer state, round from the last photo to the first, and puts everything back as
it was when it ends.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QMainWindow, QWidget

from viewer.captions import PhotoText
from viewer.ui.photo_view import PhotoView
from viewer.ui.preferences import Preferences
from viewer.ui.slideshow import Slideshow
from viewer.ui.state import ViewerState


class Presentation(QObject):
    """Full screen on and off, and the slideshow with its captions.

    Signals:
        fullscreen_changed(bool): the window went full screen (True) or left it.
    """

    fullscreen_changed = Signal(bool)

    def __init__(
        self,
        window: QMainWindow,
        view: PhotoView,
        chrome: list[QWidget],
        state: ViewerState,
        preferences: Preferences,
    ) -> None:
        """Presentation of ``window``; ``chrome`` is what a slideshow puts away."""
        super().__init__(window)
        self._window, self._view, self._chrome = window, view, chrome
        self._state, self._preferences = state, preferences
        self.slideshow = Slideshow(view, self)
        self.slideshow.set_interval(preferences.slideshow_interval())
        self.slideshow.set_captions_shown(preferences.slideshow_captions())
        self.slideshow.advance.connect(state.next_wrapping)
        self.slideshow.running_changed.connect(self._on_running_changed)
        state.text_changed.connect(self._on_text_changed)
        self._hidden: dict[QWidget, bool] = {}  # what the slideshow put away, to show again
        self._fullscreen_before_slideshow = False
        self._was_maximized = False

    # --- full screen --------------------------------------------------------------------

    def toggle_fullscreen(self) -> None:
        """Full screen on or off."""
        if self._window.isFullScreen():
            self.leave_fullscreen()
        else:
            self._was_maximized = self._window.isMaximized()
            self._window.menuBar().hide()
            self._window.showFullScreen()
            self.fullscreen_changed.emit(True)

    def leave_fullscreen(self) -> None:
        """Back to the window as it was."""
        if not self._window.isFullScreen():
            return
        self._window.menuBar().show()
        if self._was_maximized:
            self._window.showMaximized()
        else:
            self._window.showNormal()
        self.fullscreen_changed.emit(False)

    # --- the slideshow ------------------------------------------------------------------

    def toggle_slideshow(self) -> None:
        """Start the slideshow, or stop it."""
        if self.slideshow.is_running():
            self.slideshow.stop()
        else:
            self.slideshow.start()

    def set_interval(self, seconds: int) -> None:
        """Seconds each photo stays (remembered)."""
        self.slideshow.set_interval(seconds)
        self._preferences.set_slideshow_interval(seconds)

    def set_captions_shown(self, shown: bool) -> None:
        """Captions on the photo during the slideshow, or not (remembered)."""
        self.slideshow.set_captions_shown(shown)
        self._preferences.set_slideshow_captions(shown)

    def photo_painted(self) -> None:
        """The photo is on screen: a slideshow counts its time from now."""
        self.slideshow.photo_painted()

    def _on_text_changed(self, text: PhotoText | None) -> None:
        self.slideshow.show_photo_text(text.lines(with_title=True) if text else [])

    def _on_running_changed(self, running: bool) -> None:
        """Only the photo while it runs: full screen, strip and information put away."""
        if running:
            self._fullscreen_before_slideshow = self._window.isFullScreen()
            self._hidden = {widget: widget.isVisible() for widget in self._chrome}
            for widget in self._hidden:
                widget.hide()
            if not self._window.isFullScreen():
                self.toggle_fullscreen()
            self._view.set_focus_ring(shown=False)  # nothing but the photo
            self._view.setFocus(Qt.FocusReason.OtherFocusReason)
            self.slideshow.photo_painted()  # the photo on screen is the first one
            return
        for widget, visible in self._hidden.items():
            widget.setVisible(visible)
        self._hidden = {}
        self._view.set_focus_ring(shown=True)
        if not self._fullscreen_before_slideshow:
            self.leave_fullscreen()
