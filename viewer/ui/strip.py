"""The thumbnail strip: one row (at the bottom) or one column (on the left) of tiles."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPoint, QSize, Qt
from PySide6.QtGui import QPainter, QPalette, QResizeEvent
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
    """Thumbnails with their titles beneath, in a row or a column."""

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
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setItemDelegate(ThumbnailDelegate(self))
        self._side = "bottom"
        self.arrange(thumb_size, "bottom")

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
