"""The info panel (I): every field of a photo's metadata, in groups, selectable as text.

What it says, and in which groups, is decided without Qt in :mod:`viewer.metadata.groups`
(with where each value came from, and what an editor must check first); this dock only
shows it.
"""

from __future__ import annotations

from pathlib import Path

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
        self.setWidget(self.text)
        self.setMinimumWidth(320)

    def show_metadata(self, path: Path, meta: PhotoMetadata | None) -> None:
        """Show ``path``'s metadata (None: not read yet, or unreadable)."""
        self.text.setPlainText(metadata_text(path, meta))
