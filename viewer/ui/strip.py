"""The thumbnail strip: one row (at the bottom) or one column (on the left) of tiles."""

from __future__ import annotations

import json

from PySide6.QtCore import (
    QByteArray,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QDrag,
    QDragEnterEvent,
    QDragLeaveEvent,
    QDragMoveEvent,
    QDropEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPixmap,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

# Thumbnail sizes a person can choose (logical pixels; the model makes them at the
# screen's device pixel ratio, so they stay crisp on HiDPI screens).
THUMB_SIZES = {"small": QSize(96, 64), "medium": QSize(160, 107), "large": QSize(240, 160)}
STRIP_SIDES = ("bottom", "left")
# Rows looked at to find the tiles in view; Find may hide long runs of rows in between.
VISIBLE_SCAN_LIMIT = 4096
ROWS_MIME = "application/x-photodesk-rows"  # tiles dragged within the strip


class ThumbnailDelegate(QStyledItemDelegate):
    """Marks the current photo with a highlight behind it, leaving its colours untouched.

    Qt's default tints a selected icon with the highlight colour, which would falsify
    the one picture the user is looking at.
    """

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        """Paint a tile; the current one on a highlight, its picture untinted."""
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        if opt.state & QStyle.StateFlag.State_Selected:
            painter.save()
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(opt.palette.color(QPalette.ColorRole.Highlight))
            painter.drawRoundedRect(opt.rect.adjusted(2, 2, -2, -2), 6, 6)
            painter.restore()
            opt.state &= ~QStyle.StateFlag.State_Selected
            opt.palette.setColor(
                QPalette.ColorRole.Text, opt.palette.color(QPalette.ColorRole.HighlightedText)
            )
        style = opt.widget.style() if opt.widget is not None else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)


class ThumbnailStrip(QListView):
    """Thumbnails with their titles beneath, in a row or a column.

    When reordering is on (a story shown in its own order), the tiles selected can be
    dragged to another place: ``rows_dropped`` says which rows go before which row;
    the strip itself changes nothing.

    Signals:
        rows_dropped(list, int): the rows dragged, and the row they were dropped before
            (the row count: at the end).
    """

    rows_dropped = Signal(list, int)

    def __init__(self, thumb_size: QSize, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("thumbnail_strip")
        self.setAccessibleName("Thumbnails")
        self.setAccessibleDescription(
            "The photos of the gallery; arrow keys move between them, Ctrl+F finds"
        )
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setWrapping(False)
        self.setMovement(QListView.Movement.Static)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setUniformItemSizes(True)
        # Shift and Ctrl pick several photos for the caption desk; arrows move one.
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setItemDelegate(ThumbnailDelegate(self))
        self._side = "bottom"
        self._drop_before = -1  # where a drag in progress would land (-1: nowhere)
        self.setDragDropMode(QAbstractItemView.DragDropMode.NoDragDrop)
        self.arrange(thumb_size, "bottom")

    # --- reordering by dragging ----------------------------------------------------------

    def set_reorderable(self, on: bool) -> None:
        """Let the selected tiles be dragged to another place (a story in its own order)."""
        self.setDragEnabled(on)
        self.viewport().setAcceptDrops(on)
        self.setDragDropMode(
            QAbstractItemView.DragDropMode.DragDrop if on
            else QAbstractItemView.DragDropMode.NoDragDrop
        )  # fmt: skip

    def startDrag(self, supportedActions: Qt.DropAction) -> None:  # noqa: N803 - Qt's name
        """Drag the rows selected (ours alone: no file leaves the window this way)."""
        rows = sorted({index.row() for index in self.selectedIndexes()})
        if not rows:
            return
        data = QMimeData()
        data.setData(ROWS_MIME, QByteArray(json.dumps(rows).encode()))
        drag = QDrag(self)
        drag.setMimeData(data)
        icon = self.model().data(self.model().index(rows[0], 0), Qt.ItemDataRole.DecorationRole)
        if isinstance(icon, QPixmap) and not icon.isNull():
            drag.setPixmap(icon.scaled(self.iconSize() / 2, Qt.AspectRatioMode.KeepAspectRatio))
        drag.exec(Qt.DropAction.MoveAction)
        self._show_drop(-1)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        """Only our own rows are taken (files dropped go to the window)."""
        if event.source() is self and event.mimeData().hasFormat(ROWS_MIME):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        """Show where the tiles would land."""
        if event.source() is not self or not event.mimeData().hasFormat(ROWS_MIME):
            event.ignore()
            return
        self._show_drop(self.drop_row(event.position().toPoint()))
        event.acceptProposedAction()

    def dragLeaveEvent(self, event: QDragLeaveEvent) -> None:
        """No landing place shown once the drag leaves."""
        self._show_drop(-1)
        super().dragLeaveEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        """Tell where the rows were dropped; the owner moves them (or not)."""
        data = event.mimeData()
        if event.source() is not self or not data.hasFormat(ROWS_MIME):
            event.ignore()
            return
        try:
            rows = [int(row) for row in json.loads(bytes(data.data(ROWS_MIME).data()))]
        except (ValueError, TypeError):
            event.ignore()
            return
        before = self.drop_row(event.position().toPoint())
        self._show_drop(-1)
        event.setDropAction(Qt.DropAction.CopyAction)  # the view must not remove the rows
        event.accept()
        self.rows_dropped.emit(rows, before)

    def drop_row(self, point: QPoint) -> int:
        """The row a drop at ``point`` goes before (the row count: after the last)."""
        model = self.model()
        count = model.rowCount() if model is not None else 0
        index = self.indexAt(point)
        if not index.isValid():
            return count
        rect = self.visualRect(index)
        after = (
            point.y() > rect.center().y() if self.is_vertical() else point.x() > rect.center().x()
        )
        return index.row() + 1 if after else index.row()

    def _show_drop(self, row: int) -> None:
        if row != self._drop_before:
            self._drop_before = row
            self.viewport().update()

    def paintEvent(self, event: QPaintEvent) -> None:
        """The tiles, and while dragging, a bar where they would land."""
        super().paintEvent(event)
        model = self.model()
        if self._drop_before < 0 or model is None or model.rowCount() == 0:
            return
        last = self._drop_before >= model.rowCount()
        rect = self.visualRect(model.index(min(self._drop_before, model.rowCount() - 1), 0))
        painter = QPainter(self.viewport())
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(self.palette().color(QPalette.ColorRole.Highlight))
        if self.is_vertical():
            y = rect.bottom() if last else rect.top()
            painter.drawRect(rect.left(), y - 2, rect.width(), 4)
        else:
            x = rect.right() if last else rect.left()
            painter.drawRect(x - 2, rect.top(), 4, rect.height())
        painter.end()

    def side(self) -> str:
        """Where the strip is: "bottom" or "left"."""
        return self._side

    def is_vertical(self) -> bool:
        """True when the strip is a column on the left."""
        return self._side == "left"

    def arrange(self, thumb_size: QSize, side: str) -> None:
        """Lay the tiles out at ``thumb_size`` along the ``side`` of the window."""
        self._side = side
        vertical = self.is_vertical()
        self.setFlow(QListView.Flow.TopToBottom if vertical else QListView.Flow.LeftToRight)
        on, off = Qt.ScrollBarPolicy.ScrollBarAsNeeded, Qt.ScrollBarPolicy.ScrollBarAlwaysOff
        self.setHorizontalScrollBarPolicy(off if vertical else on)
        self.setVerticalScrollBarPolicy(on if vertical else off)
        self.setIconSize(thumb_size)
        text_height = self.fontMetrics().height()
        self.setGridSize(QSize(thumb_size.width() + 24, thumb_size.height() + text_height + 16))
        frame = 2 * self.frameWidth() + 4
        if vertical:
            scrollbar = self.verticalScrollBar().sizeHint().width()
            self.setMinimumHeight(0)
            self.setFixedWidth(self.gridSize().width() + frame + scrollbar)
        else:
            self.setMinimumWidth(0)
            self.setMaximumWidth(16_777_215)
            self.setMinimumHeight(self.gridSize().height() + frame)
        self.updateGeometry()
        self.doItemsLayout()
        if self.currentIndex().isValid():
            self.scrollTo(self.currentIndex())

    def sizeHint(self) -> QSize:
        """Room for one row (or column) of tiles and its scroll bar."""
        if self.is_vertical():
            return QSize(self.minimumWidth(), super().sizeHint().height())
        scrollbar = self.horizontalScrollBar().sizeHint().height()
        return QSize(super().sizeHint().width(), self.minimumHeight() + scrollbar)

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Keep the current photo in view when the strip narrows."""
        super().resizeEvent(event)
        # A narrower strip (a dock opened, the window resized) keeps the current photo in view.
        if self.currentIndex().isValid():
            self.scrollTo(self.currentIndex())

    def _step(self) -> int:
        grid = self.gridSize()
        return max(1, grid.height() if self.is_vertical() else grid.width())

    def visible_rows(self) -> list[int]:
        """The rows whose tiles are at least partly in view (rows hidden by Find are not).

        Derived from the first tile in view and walking on until a tile starts past the
        far edge: the point under the far edge often falls between tiles.
        """
        model = self.model()
        count = model.rowCount() if model is not None else 0
        if model is None or count == 0:
            return []
        vertical = self.is_vertical()
        first = self.indexAt(QPoint(1, 1)).row()
        if first < 0:
            bar = self.verticalScrollBar() if vertical else self.horizontalScrollBar()
            first = min(count - 1, bar.value() // self._step())
        end = self.viewport().height() if vertical else self.viewport().width()
        rows: list[int] = []
        for row in range(first, min(count, first + VISIBLE_SCAN_LIMIT)):
            if self.isRowHidden(row):
                continue
            rect = self.visualRect(model.index(row, 0))
            if (rect.top() if vertical else rect.left()) >= end:
                break
            rows.append(row)
        return rows

    def page_size(self) -> int:
        """How many thumbnails fit in the visible part of the strip."""
        length = self.viewport().height() if self.is_vertical() else self.viewport().width()
        return max(1, length // self._step())
