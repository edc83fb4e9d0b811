"""Sharing what is on screen: copy the photo or its words, export the story, show the folder.

Everything comes from the viewer state, never from a widget's text.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QImage
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QWidget

from viewer.fileaccess import display_name
from viewer.resources import bundled_gallery_path
from viewer.ui.messages import Messages
from viewer.ui.state import ViewerState
from viewer.ui.tasks import TaskResult

if TYPE_CHECKING:
    from viewer.imaging.story_export import ExportReport


class Sharing(QObject):
    """Copy, export and show in the file manager.

    Signals:
        exporting(bool): an export started (True) or ended (False).
        story_exported(object): the Path of the page written.
    """

    exporting = Signal(bool)
    story_exported = Signal(object)

    def __init__(self, state: ViewerState, messages: Messages, window: QWidget) -> None:
        """Sharing for ``state``'s photos, telling the user through ``messages``."""
        super().__init__(window)
        self._state = state
        self._messages = messages
        self._window = window
        self._busy = False
        self._best: tuple[Path, QImage] | None = None  # the current photo's best pixels
        state.photo_ready.connect(lambda path, screen: self._hold(path, screen.image))
        state.full_resolution_ready.connect(self._hold)
        state.current_changed.connect(lambda _photo: self._forget())

    def _hold(self, path: Path, image: QImage) -> None:
        held = self._best
        if held is None or held[0] != path or image.width() > held[1].width():
            self._best = (path, image)

    def _forget(self) -> None:
        self._best = None

    def copy_photo(self) -> None:
        """Put the photo on the clipboard, at the best resolution decoded so far."""
        photo, held = self._state.current_photo(), self._best
        if photo is not None and held is not None and held[0] == photo.path:
            QApplication.clipboard().setImage(held[1])

    def copy_caption(self) -> None:
        """Caption and credit as plain text, ready to paste under the photo in an article."""
        text = self._state.current_text()
        lines = text.lines() if text is not None else []
        if lines:
            QApplication.clipboard().setText("\n".join(lines))

    def open_containing_folder(self) -> None:
        """Show the current photo's folder in the desktop's file manager."""
        photo = self._state.current_photo()
        if photo is None:
            return
        folder = photo.path.parent
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder))):
            self._messages.problem(
                "Cannot open the folder", f"{display_name(folder)}: no file manager answered"
            )

    def choose_export_target(self) -> None:
        """Ask where to write the story's page, then write it."""
        gallery = self._state.gallery()
        if gallery is None or self._busy:
            return
        photo = self._state.current_photo()
        start = (
            Path.home()
            if gallery.source == bundled_gallery_path() or photo is None
            else photo.path.parent
        )
        name = "".join(c if c.isalnum() or c in " -_" else "_" for c in gallery.title).strip()
        target, _ = QFileDialog.getSaveFileName(
            self._window,
            "Export Story as HTML",
            str(start / f"{name or 'story'}.html"),
            "Web page (*.html)",
        )
        if target:
            self.export_story_to(Path(target))

    def export_story_to(self, target: Path) -> None:
        """Write the shown photos as one self-contained web page (in the background)."""
        gallery = self._state.gallery()
        photos = self._state.shown_photos()
        if gallery is None or not photos or self._busy:
            return
        # Pillow is loaded only now: the window's first paint does not wait for it.
        from viewer.imaging.story_export import export_story  # noqa: PLC0415

        self._busy = True
        self.exporting.emit(True)
        workers = self._state.workers
        workers.runner.submit(
            self._on_story_exported,
            str(target),
            0,
            export_story,
            gallery,
            photos,
            target,
            None,
            workers.pool,
        )

    def is_exporting(self) -> bool:
        """True while a page is being written."""
        return self._busy

    def _on_story_exported(self, result: TaskResult) -> None:
        self._busy = False
        self.exporting.emit(False)
        if result.error is not None:
            self._messages.problem("The story was not exported", str(result.error))
            return
        report: ExportReport = result.value
        count = f"{report.pictures:,} {'picture' if report.pictures == 1 else 'pictures'}"
        lines = [
            display_name(report.target),
            f"{count}, {report.size / 1_048_576:.1f} MB, one file that opens in any "
            "browser, offline.",
        ]
        if report.problems:
            lines += ["", "Left out, with a note in the page:", *report.problems]
        if report.warnings:
            lines += ["", "Before publishing (also listed at the end of the page):"]
            lines += report.warnings
        warn = report.problems or report.warnings
        icon = QMessageBox.Icon.Warning if warn else QMessageBox.Icon.Information
        self._messages.show(icon, "Story exported", "\n".join(lines))
        self.story_exported.emit(report.target)
