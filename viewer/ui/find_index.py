"""What Find matches against: each photo's own words, and what its file says about itself.

Title, caption, credit, alt text and file name are known at once. What the files say
(caption, credit, keywords, headline, place, and the state of their Content Credentials
for the filter by credentials) is read in the worker processes a batch at
a time, the first time Find is used on a gallery; ``words_read`` tells the owner to
match again as batches come in. A batch that overruns its time limit is read again one
file at a time, so that only a slow file itself goes without its words. No widgets.
"""

from __future__ import annotations

import functools
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from viewer.errors import TimeLimitError
from viewer.metadata.words import find_entries
from viewer.model import Gallery, Photo
from viewer.model.search import fold, matches, search_text
from viewer.ui.tasks import TaskResult
from viewer.ui.workers import Priority, Workers

READ_BATCH = 128  # files whose metadata one task reads for Find


class FindIndex(QObject):
    """Folded search text per photo, with the files' own words read on demand.

    Signals:
        words_read(): more files' words came in; matches may have changed.
    """

    words_read = Signal()

    def __init__(self, workers: Workers, parent: QObject | None = None) -> None:
        """An empty index whose reading is done by ``workers``."""
        super().__init__(parent)
        self._workers = workers
        self._gallery: Gallery | None = None
        self._texts: dict[Path, str] = {}  # folded search text, photo fields only
        self._file_words: dict[Path, str] = {}  # folded metadata text, once read
        self._credentials: dict[Path, str] = {}  # Content Credentials state, once read
        self._reading = False
        self._batch: list[Path] = []
        self._one_by_one: list[Path] = []
        self._generation = 0

    def set_gallery(self, gallery: Gallery | None, *, same_files: bool = False) -> None:
        """Match the photos of ``gallery`` from now on.

        ``same_files`` keeps what was read (the gallery only grew, or was listed again).
        """
        self._gallery = gallery
        if same_files:
            return
        self._generation += 1
        self._texts.clear()
        self._file_words.clear()
        self._credentials.clear()
        self._one_by_one.clear()
        self._reading = False

    def words_changed(self) -> None:
        """The gallery's own words changed (a story was edited): match them afresh."""
        self._texts.clear()

    def forget(self, paths: set[Path]) -> None:
        """Read these files' words again when needed (they were rewritten)."""
        for path in paths:
            self._texts.pop(path, None)
            self._file_words.pop(path, None)
            self._credentials.pop(path, None)

    def matches(self, photo: Photo, words: tuple[str, ...]) -> bool:
        """Whether every word occurs in the photo's text or its file's words."""
        text = self._texts.get(photo.path)
        if text is None:
            text = self._texts[photo.path] = search_text(photo)
        return matches(text + "\n" + self._file_words.get(photo.path, ""), words)

    def credentials(self, photo: Photo) -> str | None:
        """The state of the photo's Content Credentials ("none"...), None until read."""
        return self._credentials.get(photo.path)

    def read_count(self) -> int:
        """How many of the gallery's photos have had their file's words read."""
        gallery = self._gallery
        if gallery is None:
            return 0
        return sum(1 for photo in gallery.photos if photo.path in self._file_words)

    def reading_done(self) -> bool:
        """True when every photo's own words have been read."""
        return not self._reading and not self._unread()

    def read_more(self) -> None:
        """Read the next batch of files' words, unless a batch is on its way."""
        if self._reading:
            return
        # After a batch overran its time limit, its files are read one at a time, so
        # that only the slow file itself goes without its words.
        unread = [self._one_by_one.pop()] if self._one_by_one else self._unread()
        if not unread:
            return
        self._reading = True
        self._batch = unread
        limit = self._workers.limits.batch(len(unread))
        self._workers.runner.submit(
            self._on_words_read,
            "find",
            self._generation,
            functools.partial(self._workers.pool.call, time_limit=limit),
            "Find",
            find_entries,
            unread,
            priority=Priority.FIND,
        )

    def _unread(self) -> list[Path]:
        gallery = self._gallery
        if gallery is None:
            return []
        unread = []
        for photo in gallery.photos:
            if photo.path not in self._file_words:
                unread.append(photo.path)
                if len(unread) == READ_BATCH:
                    break
        return unread

    def _on_words_read(self, result: TaskResult) -> None:
        if result.generation != self._generation:
            return
        self._reading = False
        found: dict[Path, tuple[list[str], str]] = result.value if result.error is None else {}
        for path, (words, credentials) in found.items():
            self._file_words[path] = "\n".join(fold(word) for word in words if word)
            self._credentials[path] = credentials
        if isinstance(result.error, TimeLimitError):
            if len(self._batch) > 1:
                self._one_by_one.extend(self._batch)
            else:
                self._file_words.update(dict.fromkeys(self._batch, ""))  # given up on
                self._credentials.update(dict.fromkeys(self._batch, "error"))
        elif result.error is not None:
            return
        self.words_read.emit()
