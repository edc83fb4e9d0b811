"""The info panel (I): every field of a photo's metadata, in groups, selectable as text.

What it says, and in which groups, is decided without Qt in :mod:`viewer.metadata.groups`
(with where each value came from, and what an editor must check first); this dock only
shows it.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QDockWidget, QPlainTextEdit, QWidget

from viewer.metadata import PhotoMetadata
from viewer.metadata.groups import metadata_text


class InfoDock(QDockWidget):
    """A dock on the right holding the metadata as read-only, selectable plain text."""

    def __init__(self, parent: QWidget | None = None) -> None:
        """An empty dock; :meth:`show_metadata` fills it."""
        super().__init__("Info", parent)
        self.setObjectName("info_dock")
        self.text = QPlainTextEdit()
        self.text.setObjectName("info_text")
        self.text.setAccessibleName("All metadata of the photo")
        self.text.setAccessibleDescription(
            "What to check before publishing, description, credit and rights, location, "
            "people and event, provenance, camera, exposure and file, as text"
        )
        self.setAccessibleName("Info panel")
        self.text.setReadOnly(True)
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        # The text is wrapped here, to the panel's width, so its columns stay aligned.
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.text.viewport().installEventFilter(self)
        self.setWidget(self.text)
        self.setMinimumWidth(320)
        self._shown: tuple[Path, PhotoMetadata | None] | None = None
        self._columns = 0

    def show_metadata(self, path: Path, meta: PhotoMetadata | None) -> None:
        """Show ``path``'s metadata (None: not read yet, or unreadable)."""
        self._shown = (path, meta)
        self._columns = self._fitting_columns()
        self.text.setPlainText(metadata_text(path, meta, self._columns))

    def _fitting_columns(self) -> int:
        advance = max(1, self.text.fontMetrics().horizontalAdvance("M"))
        margin = 2 * self.text.document().documentMargin()
        return max(24, int((self.text.viewport().width() - margin) // advance) - 1)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Wrap the text again when the panel's width changes."""
        if (
            watched is self.text.viewport()
            and event.type() == QEvent.Type.Resize
            and self._shown is not None
            and self._fitting_columns() != self._columns
        ):
            self.show_metadata(*self._shown)
        return False
