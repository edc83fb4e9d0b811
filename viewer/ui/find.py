"""Find (Ctrl+F): the bar above the strip where words are typed, and what it says.

The bar only asks: the viewer state holds the words, decides which photos match (with
:class:`~viewer.ui.find_index.FindIndex`) and shows only those in the strip; the bar
shows how many match and how far reading the files' own words has got.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QComboBox, QGridLayout, QLabel, QLineEdit, QToolButton, QWidget


class FindBar(QWidget):
    """The search field above the strip, with a filter by Content Credentials.

    Beside them: how many photos match, and a close button.

    Signals:
        closed(): Esc or the close button: show every photo again.
        credentials_changed(str): the filter by credentials chosen ("any", "with",
            "without" or "broken").
    """

    closed = Signal()
    credentials_changed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("find_bar")
        self.setAccessibleName("Find")
        self._layout = QGridLayout(self)
        self._layout.setContentsMargins(6, 4, 6, 4)
        self.field = QLineEdit()
        self.field.setObjectName("find_field")
        self.field.setAccessibleName("Find photos")
        self.field.setAccessibleDescription(
            "Shows only the photos whose caption, credit, keywords or file name contain "
            "every word typed; Esc shows all photos again"
        )
        self.field.setPlaceholderText("Find in captions, credits, keywords and file names")
        self.field.setClearButtonEnabled(True)
        self.field.installEventFilter(self)
        self._name_clear_button()
        self.credentials = QComboBox()
        self.credentials.setObjectName("find_credentials")
        self.credentials.setAccessibleName("Content Credentials")
        self.credentials.setAccessibleDescription(
            "Show every photo, or only those with, without, or with broken Content Credentials"
        )
        for text, kind in (
            ("All photos", "any"),
            ("With Content Credentials", "with"),
            ("Without Content Credentials", "without"),
            ("Credentials that do not hold", "broken"),
        ):
            self.credentials.addItem(text, kind)
        self.credentials.currentIndexChanged.connect(
            lambda _i: self.credentials_changed.emit(str(self.credentials.currentData()))
        )
        self.status = QLabel()
        self.status.setObjectName("find_status")
        self.status.setAccessibleName("Find result")
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.close_button = QToolButton()
        self.close_button.setText("Close")
        self.close_button.setAccessibleName("Close Find")
        self.close_button.setAccessibleDescription("Show every photo again")
        self.close_button.clicked.connect(self.closed)
        self.set_compact(compact=False)
        self.hide()

    def set_compact(self, *, compact: bool) -> None:
        """One row beside a wide strip; the field on a row of its own in a narrow column."""
        for widget in (self.field, self.credentials, self.status, self.close_button):
            self._layout.removeWidget(widget)
        if compact:
            self._layout.addWidget(self.field, 0, 0, 1, 2)
            self._layout.addWidget(self.credentials, 1, 0, 1, 2)
            self._layout.addWidget(self.status, 2, 0)
            self._layout.addWidget(self.close_button, 2, 1)
            self.status.setWordWrap(True)
        else:
            self._layout.addWidget(self.field, 0, 0)
            self._layout.addWidget(self.credentials, 0, 1)
            self._layout.addWidget(self.status, 0, 2)
            self._layout.addWidget(self.close_button, 0, 3)
            self.status.setWordWrap(False)
        self._layout.setColumnStretch(0, 1)

    def show_status(self, shown: int, total: int, read: int, *, active: bool) -> None:
        """How many photos match, and how many files' own words have been read."""
        if not active:
            self.status.setText("")
            return
        text = "No photo matches" if shown == 0 else f"{shown:,} of {total:,}"
        if read < total:
            text += f" (reading metadata: {read:,} of {total:,})"
        self.status.setText(text)

    def eventFilter(self, watched: QObject, event: object) -> bool:
        """Esc in the field closes Find."""
        if (
            watched is self.field
            and isinstance(event, QKeyEvent)
            and event.type() == QKeyEvent.Type.KeyPress
            and event.key() == Qt.Key.Key_Escape
        ):
            self.closed.emit()
            return True
        return False

    def _name_clear_button(self) -> None:
        """Qt's clear button inside the field comes without a name for screen readers."""
        for button in self.field.findChildren(QToolButton):
            button.setAccessibleName("Clear Find")
            button.setAccessibleDescription("Empty the field and show every photo again")
