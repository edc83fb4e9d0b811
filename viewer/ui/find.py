"""Find (Ctrl+F): the strip shows only the photos that match what is typed.

Title, caption, credit, alt text and file name are searched at once. What the files say
about themselves (caption, credit, keywords, headline, place) is read in the pool a batch
at a time the first time Find is used on a gallery; matches are refined as the batches
come in and the bar says how far the reading has got. Hidden rows are hidden in the
view only: the gallery and its order are untouched, and Esc shows everything again.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QGridLayout, QLabel, QLineEdit, QToolButton, QWidget

from viewer.errors import TimeLimitError
from viewer.isolation import ProcessPool
from viewer.metadata.words import metadata_words
from viewer.model import Photo
from viewer.model.search import fold, matches, query_words, search_text
from viewer.ui.gallery_model import GalleryModel
from viewer.ui.strip import ThumbnailStrip
from viewer.ui.tasks import FILE_TIME_LIMIT, TaskResult, TaskRunner

READ_BATCH = 128  # files whose metadata one task reads for Find
# Filtering 10,000 photos takes about 0.15 s here, 100,000 about 1.7 s: beyond this many,
# wait for a pause in the typing instead of filtering at every key.
FILTER_AT_ONCE = 5_000
TYPING_PAUSE_MS = 250
PRIORITY_FIND = -1


class FindBar(QWidget):
    """The search field above the strip, with a count of matches and a close button.

    Signals:
        closed(): Esc or the close button: show every photo again.
    """

    closed = Signal()

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
        for widget in (self.field, self.status, self.close_button):
            self._layout.removeWidget(widget)
        if compact:
            self._layout.addWidget(self.field, 0, 0, 1, 2)
            self._layout.addWidget(self.status, 1, 0)
            self._layout.addWidget(self.close_button, 1, 1)
            self.status.setWordWrap(True)
        else:
            self._layout.addWidget(self.field, 0, 0)
            self._layout.addWidget(self.status, 0, 1)
            self._layout.addWidget(self.close_button, 0, 2)
            self.status.setWordWrap(False)
        self._layout.setColumnStretch(0, 1)

    def eventFilter(self, watched: QObject, event: object) -> bool:
        if (
            watched is self.field
            and isinstance(event, QKeyEvent)
            and event.type() == QKeyEvent.Type.KeyPress
            and event.key() == Qt.Key.Key_Escape
        ):
            self.closed.emit()
            return True
        return False


class Finder(QObject):
    """Hides the strip's rows that do not match the find bar's words.

    Signals:
        filtered(): the rows shown changed (the current photo may have been hidden).
    """

    filtered = Signal()

    def __init__(
        self,
        bar: FindBar,
        strip: ThumbnailStrip,
        model: GalleryModel,
        runner: TaskRunner,
        parent: QObject | None = None,
        processes: ProcessPool | None = None,
    ) -> None:
        super().__init__(parent)
        self._processes = processes
        self._bar, self._strip, self._model, self._runner = bar, strip, model, runner
        self._words: tuple[str, ...] = ()
        self._texts: dict[Path, str] = {}  # folded search text, photo fields only
        self._file_words: dict[Path, str] = {}  # folded metadata text, once read
        self._hidden: set[int] = set()
        self._reading = False
        self._batch: list[Path] = []
        self._one_by_one: list[Path] = []
        self._generation = 0
        self._typing = QTimer(self)
        self._typing.setSingleShot(True)
        self._typing.setInterval(TYPING_PAUSE_MS)
        self._typing.timeout.connect(self.apply)
        bar.field.textChanged.connect(self._on_text_changed)
        bar.closed.connect(self.close)
        model.modelReset.connect(self._on_model_reset)

    def is_active(self) -> bool:
        return bool(self._words)

    def shown_rows(self) -> list[int]:
        return [r for r in range(self._model.rowCount()) if r not in self._hidden]

    def open(self) -> None:
        self._bar.show()
        self._bar.field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self._bar.field.selectAll()

    def close(self) -> None:
        self._bar.field.clear()
        self._bar.hide()
        self._strip.setFocus(Qt.FocusReason.OtherFocusReason)

    def forget_files(self, paths: set[Path] | None = None) -> None:
        """Read these files' metadata again when needed (they were rewritten); None: a
        different gallery, so nothing read so far is needed."""
        if paths is None:
            self._generation += 1
            self._texts.clear()
            self._file_words.clear()
            self._one_by_one.clear()
            self._reading = False
            return
        for path in paths:
            self._texts.pop(path, None)
            self._file_words.pop(path, None)

    def _on_text_changed(self, text: str) -> None:
        self._words = query_words(text)
        if self._model.rowCount() > FILTER_AT_ONCE and text:
            self._typing.start()  # a big gallery: filter once the typing pauses
        else:
            self._typing.stop()
            self.apply()

    def _on_model_reset(self) -> None:
        self._hidden.clear()  # the view forgot its hidden rows with the reset
        if self._words:
            self.apply()

    def apply(self) -> None:
        """Hide what does not match now; read more metadata if some is missing."""
        count = self._model.rowCount()
        wanted: set[int] = set()
        if self._words:
            for row in range(count):
                photo = self._model.photo(row)
                if photo is not None and not matches(self._text(photo), self._words):
                    wanted.add(row)
        for row in self._hidden - wanted:
            self._strip.setRowHidden(row, False)
        for row in wanted - self._hidden:
            self._strip.setRowHidden(row, True)
        self._hidden = wanted
        self._read_more()
        self._update_status(count)
        self.filtered.emit()

    def _text(self, photo: Photo) -> str:
        text = self._texts.get(photo.path)
        if text is None:
            text = self._texts[photo.path] = search_text(photo)
        return text + "\n" + self._file_words.get(photo.path, "")

    def _unread(self) -> list[Path]:
        gallery = self._model.gallery()
        if gallery is None:
            return []
        unread = []
        for photo in gallery.photos:
            if photo.path not in self._file_words:
                unread.append(photo.path)
                if len(unread) == READ_BATCH:
                    break
        return unread

    def _read_more(self) -> None:
        if self._reading or not self._words:
            return
        # After a batch overran its time limit, its files are read one at a time, so
        # that only the slow file itself goes without its metadata.
        unread = [self._one_by_one.pop()] if self._one_by_one else self._unread()
        if unread:
            self._reading = True
            self._batch = unread
            limit = FILE_TIME_LIMIT * (2 if len(unread) > 1 else 1)
            function: Callable[..., Any] = metadata_words
            args: tuple[Any, ...] = (unread,)
            thread_limit = limit
            if self._processes is not None:
                function = functools.partial(self._processes.call, time_limit=limit)
                args = ("Find", metadata_words, unread)
            self._runner.submit(
                self._on_words_read,
                "find",
                self._generation,
                function,
                *args,
                priority=PRIORITY_FIND,
                time_limit=thread_limit,
            )

    def _on_words_read(self, result: TaskResult) -> None:
        if result.generation != self._generation:
            return
        self._reading = False
        found: dict[Path, list[str]] = result.value if result.error is None else {}
        for path, words in found.items():
            self._file_words[path] = "\n".join(fold(word) for word in words if word)
        if isinstance(result.error, TimeLimitError):
            if len(self._batch) > 1:
                self._one_by_one.extend(self._batch)
            else:
                self._file_words.update(dict.fromkeys(self._batch, ""))  # given up on
        elif result.error is not None:
            return
        if self._words:
            self.apply()

    def reading_done(self) -> bool:
        """True when every photo's own metadata has been read for Find."""
        return not self._reading and not self._unread()

    def _update_status(self, count: int) -> None:
        if not self._words:
            self._bar.status.setText("")
            return
        shown = count - len(self._hidden)
        text = "No photo matches" if shown == 0 else f"{shown:,} of {count:,}"
        gallery = self._model.gallery()
        read = sum(1 for p in gallery.photos if p.path in self._file_words) if gallery else 0
        if read < count:
            text += f" (reading metadata: {read:,} of {count:,})"
        self._bar.status.setText(text)
