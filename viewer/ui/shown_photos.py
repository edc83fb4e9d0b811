"""The photos the strip shows, in the order shown, as a model of their own.

The gallery model's rows, sorted and filtered by Find.

The order is computed as a plain list of the gallery model's rows (by whoever owns the
sort and the filter: the viewer state) and set here in one step. A
``QSortFilterProxyModel`` would do the same through a Python ``lessThan`` and
``filterAcceptsRow`` per comparison and row: measured here on 100,000 photos, 10.6 s to
sort and 1 s per filter pass, against a few tenths of a second for the lists. Rows hidden
in the view are gone too: the strip, navigation and the exporter all walk the same rows.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from viewer.model import Photo
from viewer.ui.gallery_model import GalleryModel

ModelIndex = QModelIndex | QPersistentModelIndex


class ShownPhotos(QAbstractListModel):
    """A view of :class:`GalleryModel` through a list of its rows.

    Data, tooltips and thumbnails are the gallery model's own; a change to a source row
    is passed on for the row that shows it.
    """

    def __init__(
        self,
        source: GalleryModel,
        order: Callable[[], list[int] | None] = lambda: None,
        parent: QObject | None = None,
    ) -> None:
        """Show the rows of ``source`` that ``order`` gives, in its order.

        ``order`` giving None means all of them, in the source's own order. It is asked
        again whenever the source is reset, so a new or grown gallery is one reset here,
        not two.
        """
        super().__init__(parent)
        self._source = source
        self._order = order
        self._rows: list[int] = []  # shown row -> source row
        self._position: dict[int, int] = {}  # source row -> shown row
        self._identity = True  # every source row, in source order (no lists kept)
        self._count = 0  # asked for hundreds of thousands of times by a big strip's layout
        source.modelAboutToBeReset.connect(self.beginResetModel)
        source.modelReset.connect(self._on_source_reset)
        source.dataChanged.connect(self._on_source_data_changed)

    def source(self) -> GalleryModel:
        """The gallery model underneath."""
        return self._source

    def set_rows(self, rows: Sequence[int] | None) -> None:
        """Show these source rows in this order (None: all of them, in source order)."""
        self.beginResetModel()
        self._keep(rows)
        self.endResetModel()

    def _keep(self, rows: Sequence[int] | None) -> None:
        if rows is None:
            self._identity, self._rows, self._position = True, [], {}
            self._count = self._source.rowCount()
        else:
            self._identity = False
            self._rows = list(rows)
            self._position = {source: shown for shown, source in enumerate(self._rows)}
            self._count = len(self._rows)

    def order(self) -> list[int]:
        """The gallery model's rows in the order shown."""
        if self._identity:
            return list(range(self._source.rowCount()))
        return list(self._rows)

    def source_row(self, row: int) -> int:
        """The gallery model's row shown at ``row``, or -1."""
        if not 0 <= row < self._count:
            return -1
        return row if self._identity else self._rows[row]

    def row_of_source(self, source_row: int) -> int:
        """Where the gallery model's ``source_row`` is shown, or -1 (filtered out)."""
        if self._identity:
            return source_row if 0 <= source_row < self._source.rowCount() else -1
        return self._position.get(source_row, -1)

    def nearest(self, before: list[int], source_row: int) -> int:
        """Where the photo nearest to the hidden ``source_row`` is shown.

        The first photo after it in the order ``before`` (source rows) that is still
        shown, else the last one before it (row 0 when there is none).
        """
        where = before.index(source_row) if source_row in before else 0
        for candidate in (*before[where + 1 :], *reversed(before[:where])):
            row = self.row_of_source(candidate)
            if row >= 0:
                return row
        return 0

    def photo(self, row: int) -> Photo | None:
        """The photo shown at ``row``, or None."""
        return self._source.photo(self.source_row(row))

    def photos(self) -> list[Photo]:
        """The photos shown, in order."""
        gallery = self._source.gallery()
        if gallery is None:
            return []
        if self._identity:
            return list(gallery.photos)
        return [gallery.photos[row] for row in self._rows]

    def source_rows(self, rows: Sequence[int]) -> list[int]:
        """The gallery model's rows for these shown rows."""
        return [source for row in rows if (source := self.source_row(row)) >= 0]

    # --- QAbstractListModel -------------------------------------------------------------

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        """How many photos are shown."""
        return 0 if parent.isValid() else self._count

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        """The gallery model's data for the photo shown at ``index``."""
        if not index.isValid():
            return None
        source = self.source_row(index.row())
        if source < 0:
            return None
        return self._source.data(self._source.index(source), role)

    def _on_source_reset(self) -> None:
        # The source began its reset, and so did this model: one reset for both.
        self._keep(self._order())
        self.endResetModel()

    def _on_source_data_changed(
        self, top_left: QModelIndex, bottom_right: QModelIndex, roles: list[int]
    ) -> None:
        if self._identity:
            self.dataChanged.emit(self.index(top_left.row()), self.index(bottom_right.row()), roles)
            return
        for source in range(top_left.row(), bottom_right.row() + 1):
            row = self._position.get(source, -1)
            if row >= 0:
                index = self.index(row)
                self.dataChanged.emit(index, index, roles)
