"""Messages to the user: non-modal, plain text, closed with the window."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QMessageBox, QWidget


class Messages(QObject):
    """Shows messages over ``window`` without blocking it; :meth:`close_all` on close."""

    def __init__(self, window: QWidget) -> None:
        """Messages that belong to ``window``."""
        super().__init__(window)
        self._window = window
        self._open: list[QMessageBox] = []

    def problem(self, title: str, text: str) -> None:
        """Tell the user about a problem without blocking the window."""
        self.show(QMessageBox.Icon.Warning, title, text)

    def show(
        self, icon: QMessageBox.Icon, title: str, text: str, *, fixed_width: bool = False
    ) -> QMessageBox:
        """A non-modal message in plain text (never markup)."""
        box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, self._window)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        if fixed_width:
            box.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
            box.setStyleSheet("QLabel { min-width: 36em; }")  # one shortcut to a line
        box.setModal(False)
        box.finished.connect(lambda _code: self._forget(box))
        self._open.append(box)
        box.show()
        return box

    def open_messages(self) -> list[QMessageBox]:
        """The messages still on screen."""
        return list(self._open)

    def close_all(self) -> None:
        """Close every message (the window is closing)."""
        for box in list(self._open):
            box.close()

    def _forget(self, box: QMessageBox) -> None:
        if box in self._open:
            self._open.remove(box)


def ask_yes(parent: QWidget, title: str, question: str, *, default_yes: bool = False) -> bool:
    """Ask a Yes/Cancel question; True for Yes. Enter answers the default, Esc cancels.

    The text is plain: a name in it is never read as markup.
    """
    buttons = QMessageBox.StandardButton
    box = QMessageBox(QMessageBox.Icon.Question, title, question, buttons.Yes | buttons.Cancel,
                      parent)  # fmt: skip
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setDefaultButton(buttons.Yes if default_yes else buttons.Cancel)
    box.setEscapeButton(buttons.Cancel)
    return QMessageBox.StandardButton(box.exec()) == buttons.Yes


def ask_to_save(parent: QWidget, title: str, question: str) -> str:
    """Ask about unsaved work: "save", "discard" or "cancel" (Enter saves, Esc cancels)."""
    buttons = QMessageBox.StandardButton
    box = QMessageBox(
        QMessageBox.Icon.Question,
        title,
        question,
        buttons.Save | buttons.Discard | buttons.Cancel,
        parent,
    )
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setDefaultButton(buttons.Save)
    box.setEscapeButton(buttons.Cancel)
    answer = box.exec()
    return {buttons.Save: "save", buttons.Discard: "discard"}.get(
        QMessageBox.StandardButton(answer), "cancel"
    )
