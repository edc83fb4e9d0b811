"""Which photos the strip shows and in what order: the sort and Find, without widgets.

Sorting by name is the natural order of the file names (a folder is listed in it
already); a story keeps its own order ("story") until a sort is chosen; sorting by date reads each
file's date taken in the workers, once. Find keeps the photos whose own words, and their
files' words read in the workers (:class:`~viewer.ui.find_index.FindIndex`), hold every
word typed; in a big gallery it waits for the typing to pause. :meth:`PhotoOrder.rows`
gives the viewer state the result as a list of the gallery's rows; ``changed`` tells it
to ask again.
"""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from viewer.files import natural_key
from viewer.metadata.dates import dates_taken
from viewer.model import Gallery
from viewer.model.search import query_words
from viewer.ui.find_index import FindIndex
from viewer.ui.tasks import TaskResult
from viewer.ui.workers import Priority, Workers

# Beyond this many photos, Find waits for a pause in the typing (matching 100,000 photos
# takes a few tenths of a second).
FILTER_AT_ONCE = 5_000
TYPING_PAUSE_MS = 250
SORTS = ("story", "name", "date")
# Find's filter by Content Credentials: the states (viewer.metadata.provenance) each keeps.
CREDENTIAL_FILTERS: dict[str, frozenset[str] | None] = {
    "any": None,
    "with": frozenset({"valid", "trusted", "invalid", "error"}),
    "without": frozenset({"none"}),
    "broken": frozenset({"invalid", "error"}),
}


class PhotoOrder(QObject):
    """The sort and the Find filter of one gallery.

    Signals:
        changed(): the order or the filter changed: the rows shown must be made again.
        problem(str, str): a title and a message (the dates could not be read).
    """

    changed = Signal()
    problem = Signal(str, str)

    def __init__(self, workers: Workers, parent: QObject | None = None) -> None:
        """An order with no sort chosen and no Find, its reading done by ``workers``."""
        super().__init__(parent)
        self._workers = workers
        self.find_index = FindIndex(workers, self)
        self._gallery: Gallery | None = None
        self._sort: str | None = None  # None: the gallery's own order
        self._dates: dict[Path, dt.datetime] = {}
        self._words: tuple[str, ...] = ()
        self._credentials = "any"
        self._typing = QTimer(self)
        self._typing.setSingleShot(True)
        self._typing.setInterval(TYPING_PAUSE_MS)
        self._typing.timeout.connect(self.changed)
        self.find_index.words_read.connect(self._on_words_read)

    def set_gallery(self, gallery: Gallery, *, same_files: bool = False) -> None:
        """Order ``gallery`` from now on; ``same_files``: it only grew or was listed again."""
        self._gallery = gallery
        self.find_index.set_gallery(gallery, same_files=same_files)
        if not same_files:
            self._dates.clear()

    def forget(self, paths: set[Path]) -> None:
        """These files were rewritten: their dates and words are read again when needed."""
        self.find_index.forget(paths)
        for path in paths:
            self._dates.pop(path, None)

    def refresh(self) -> None:
        """The gallery grew or changed: read what the sort needs for the new photos."""
        if self._sort == "date":
            self._read_dates()

    # --- sort ---------------------------------------------------------------------------

    def sort(self) -> str:
        """``"story"`` (a manifest's own order), ``"name"`` or ``"date"``."""
        if self._sort is not None:
            return self._sort
        gallery = self._gallery
        own = gallery is not None and gallery.source.suffix.lower() == ".json"
        return "story" if own else "name"

    def keeps_own_order(self) -> bool:
        """True when every photo is shown in the gallery's own order (no sort, no Find)."""
        return self._sort is None and not self.is_finding()

    def is_finding(self) -> bool:
        """True when Find hides photos: words typed, or a filter by credentials."""
        return bool(self._words) or self._credentials != "any"

    def set_sort(self, order: str) -> None:
        """Order by ``"name"``, ``"date"`` taken (read in the workers) or ``"story"``.

        ``"story"`` is the gallery's own order; names are in natural order.
        """
        self._sort = None if order == "story" else order if order in SORTS else "name"
        self.refresh()
        self.changed.emit()

    def _read_dates(self) -> None:
        gallery = self._gallery
        if gallery is None:
            return
        paths = [photo.path for photo in gallery.photos if photo.path not in self._dates]
        if not paths:
            return
        limit = self._workers.limits.batch(len(paths))
        self._workers.runner.submit(
            self._on_dates_read,
            str(gallery.source),
            0,
            functools.partial(self._workers.pool.call, time_limit=limit),
            "sorting by date",
            dates_taken,
            paths,
            priority=Priority.CURRENT,
        )

    def _on_dates_read(self, result: TaskResult) -> None:
        gallery = self._gallery
        if gallery is None or result.key != str(gallery.source):
            return  # another gallery is shown now
        if result.error is not None:
            self.problem.emit("Cannot sort by date taken", str(result.error))
            return
        self._dates.update(result.value)
        if self._sort == "date":
            self.changed.emit()

    # --- Find ---------------------------------------------------------------------------

    def words(self) -> tuple[str, ...]:
        """The words Find is looking for (none: every photo is shown)."""
        return self._words

    def set_find_text(self, text: str) -> None:
        """Keep only the photos that match every word of ``text`` ("": all of them)."""
        self._words = query_words(text)
        gallery = self._gallery
        if gallery is not None and len(gallery) > FILTER_AT_ONCE and text:
            self._typing.start()  # a big gallery: match once the typing pauses
        else:
            self._typing.stop()
            self.changed.emit()
        if self._words:
            self.find_index.read_more()

    def credentials_filter(self) -> str:
        """Which photos the filter by credentials keeps (a key of CREDENTIAL_FILTERS)."""
        return self._credentials

    def set_credentials_filter(self, kind: str) -> None:
        """Keep only photos with, without or with broken Content Credentials ("any": all).

        A file's credentials are known once Find has read it: until then it is left out.
        """
        self._credentials = kind if kind in CREDENTIAL_FILTERS else "any"
        self.changed.emit()
        if self._credentials != "any":
            self.find_index.read_more()

    def _on_words_read(self) -> None:
        if self.is_finding():
            self.changed.emit()
            self.find_index.read_more()

    # --- the result ---------------------------------------------------------------------

    def rows(self) -> list[int] | None:
        """The gallery's rows in the order shown, Find's misses left out.

        None means all of them, in the gallery's own order.
        """
        gallery = self._gallery
        if gallery is None:
            return None
        photos = gallery.photos
        rows: list[int] | None = None
        if self._sort == "name" and gallery.source.suffix.lower() == ".json":
            rows = sorted(range(len(photos)), key=lambda r: natural_key(photos[r].path.name))
        elif self._sort == "date":
            earliest = dt.datetime.min

            def by_date(row: int) -> tuple[Any, ...]:
                taken = self._dates.get(photos[row].path, earliest)
                return (taken.replace(tzinfo=None), natural_key(photos[row].path.name))

            rows = sorted(range(len(photos)), key=by_date)
        if self._words:
            matches = self.find_index.matches
            order = rows if rows is not None else range(len(photos))
            rows = [row for row in order if matches(photos[row], self._words)]
        kept = CREDENTIAL_FILTERS[self._credentials]
        if kept is not None:
            states = self.find_index.credentials
            order = rows if rows is not None else range(len(photos))
            rows = [row for row in order if states(photos[row]) in kept]
        return rows
