"""The one Qt item model: a gallery's photos as rows, with thumbnails decoded lazily.

When a view first asks a row for its decoration, the model captures the file and the
thumbnail size in device pixels, and submits a decode to the task runner. The result
arrives on the GUI thread keyed by path and gallery generation; a result for a gallery
that has since been replaced is dropped, and a fresh one becomes a QPixmap (made here,
on the GUI thread) and a ``dataChanged`` for that row.
"""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSize,
    Qt,
)
from PySide6.QtGui import QColor, QImage, QPainter, QPixmap

from viewer.imaging import decode_image
from viewer.model import Gallery, Photo
from viewer.ui.tasks import TaskResult, TaskRunner

PHOTO_ROLE = Qt.ItemDataRole.UserRole + 1
ERROR_ROLE = Qt.ItemDataRole.UserRole + 2

ModelIndex = QModelIndex | QPersistentModelIndex


def plain_text_tooltip(text: str) -> str:
    """Tooltip markup that shows ``text`` literally.

    Qt guesses whether a tooltip is rich text; a caption such as ``<b>`` must never be
    taken as markup, so it is escaped and wrapped in a paragraph that keeps line breaks.
    """
    return f"<p style='white-space: pre-wrap'>{html.escape(text, quote=False)}</p>"


class GalleryModel(QAbstractListModel):
    """Adapts a :class:`Gallery` to Qt views.

    Roles: DisplayRole (title), DecorationRole (thumbnail), ToolTipRole (caption, shown
    as plain text), AccessibleTextRole (title), AccessibleDescriptionRole (alt text),
    ``PHOTO_ROLE`` (the Photo) and ``ERROR_ROLE`` (why the thumbnail failed, or None).
    """

    def __init__(
        self, runner: TaskRunner, thumb_size: QSize, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self._gallery: Gallery | None = None
        self._generation = 0
        self._thumb_size = QSize(thumb_size)
        self._device_pixel_ratio = 1.0
        self._thumbnails: dict[Path, QPixmap] = {}
        self._errors: dict[Path, str] = {}
        self._requested: set[Path] = set()
        self._placeholder = self._make_placeholder(QColor(128, 128, 128, 60))

    # --- the gallery --------------------------------------------------------------------

    def gallery(self) -> Gallery | None:
        return self._gallery

    def set_gallery(self, gallery: Gallery | None) -> None:
        """Show ``gallery``; thumbnails of the previous one still in flight are dropped."""
        self.beginResetModel()
        self._gallery = gallery
        self._generation += 1
        self._thumbnails.clear()
        self._errors.clear()
        self._requested.clear()
        self.endResetModel()

    def photo(self, row: int) -> Photo | None:
        if self._gallery is None or not 0 <= row < len(self._gallery.photos):
            return None
        return self._gallery.photos[row]

    def set_device_pixel_ratio(self, ratio: float) -> None:
        """Decode thumbnails for this ratio (2.0 on a HiDPI screen) so they stay crisp."""
        if ratio == self._device_pixel_ratio:
            return
        self._device_pixel_ratio = ratio
        self._placeholder = self._make_placeholder(QColor(128, 128, 128, 60))
        self._generation += 1
        self._thumbnails.clear()
        self._errors.clear()
        self._requested.clear()
        if self.rowCount() > 0:
            self.dataChanged.emit(
                self.index(0), self.index(self.rowCount() - 1), [Qt.ItemDataRole.DecorationRole]
            )

    # --- QAbstractListModel -------------------------------------------------------------

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        if parent.isValid() or self._gallery is None:
            return 0
        return len(self._gallery.photos)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        photo = self.photo(index.row()) if index.isValid() else None
        if photo is None:
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return photo.title
        if role == Qt.ItemDataRole.DecorationRole:
            return self._thumbnail_for(photo)
        if role == Qt.ItemDataRole.ToolTipRole:
            error = self._errors.get(photo.path)
            text = f"{photo.title}\n\n{error or photo.caption}"
            return plain_text_tooltip(text)
        if role == Qt.ItemDataRole.AccessibleDescriptionRole:
            return photo.alt_text
        if role == PHOTO_ROLE:
            return photo
        if role == ERROR_ROLE:
            return self._errors.get(photo.path)
        return None

    # --- thumbnails ---------------------------------------------------------------------

    def is_loading(self) -> bool:
        """True while thumbnails asked for are still being decoded."""
        return any(p not in self._thumbnails and p not in self._errors for p in self._requested)

    def _thumb_pixels(self) -> tuple[int, int]:
        ratio = self._device_pixel_ratio
        return (round(self._thumb_size.width() * ratio), round(self._thumb_size.height() * ratio))

    def _thumbnail_for(self, photo: Photo) -> QPixmap:
        cached = self._thumbnails.get(photo.path)
        if cached is not None:
            return cached
        if photo.path not in self._requested:
            self._requested.add(photo.path)
            self._runner.submit(
                self._on_thumbnail_decoded,
                str(photo.path),
                self._generation,
                decode_image,
                photo.path,
                self._thumb_pixels(),
            )
        return self._placeholder

    def _on_thumbnail_decoded(self, result: TaskResult) -> None:
        if result.generation != self._generation:
            return  # the gallery changed while this was decoding
        path = Path(result.key)
        if result.error is not None:
            self._errors[path] = str(result.error)
            self._thumbnails[path] = self._make_placeholder(QColor(190, 60, 50, 90))
        else:
            image: QImage = result.value
            pixmap = QPixmap.fromImage(image)
            pixmap.setDevicePixelRatio(self._device_pixel_ratio)
            self._thumbnails[path] = pixmap
        self._emit_changed_for(path)

    def _emit_changed_for(self, path: Path) -> None:
        if self._gallery is None:
            return
        for row, photo in enumerate(self._gallery.photos):
            if photo.path == path:
                index = self.index(row)
                self.dataChanged.emit(
                    index, index, [Qt.ItemDataRole.DecorationRole, Qt.ItemDataRole.ToolTipRole]
                )

    def _make_placeholder(self, color: QColor) -> QPixmap:
        width, height = self._thumb_pixels()
        pixmap = QPixmap(width, height)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(color)
        painter.drawRoundedRect(
            0, 0, width, height, 6 * self._device_pixel_ratio, 6 * self._device_pixel_ratio
        )
        painter.end()
        pixmap.setDevicePixelRatio(self._device_pixel_ratio)
        return pixmap
