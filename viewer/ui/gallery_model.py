"""The one Qt item model: a gallery's photos as rows, with thumbnails made lazily.

When a view first asks a row for its decoration, the model submits two tasks: the
camera's embedded EXIF preview (a fraction of a millisecond, shown at once) and the real
thumbnail (from the freedesktop disk cache, or decoded and stored there). Both come back
on the GUI thread keyed by path and generation; results for a gallery that has since been
replaced are dropped. Memory stays bounded however large the gallery: every thumbnail is
kept as compact JPEG bytes in one byte-bounded LRU, and only the recently painted ones
are kept decoded as QPixmaps in a second, smaller one. Requests for rows scrolled out of
view are cancelled before they start; :meth:`GalleryModel.start_background` then makes
the rest at low priority, a few at a time, so the disk cache fills in the background
without ever queueing a whole folder.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
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

from viewer.fileaccess import display_name
from viewer.imaging.lru import ByteBudgetLRU
from viewer.imaging.thumbcache import ThumbnailCache
from viewer.imaging.thumbnails import Thumbnail, decode_compact, make_preview, make_thumbnail
from viewer.model import Gallery, Photo
from viewer.ui.tasks import Task, TaskResult
from viewer.ui.workers import Priority, Workers

PHOTO_ROLE = Qt.ItemDataRole.UserRole + 1
ERROR_ROLE = Qt.ItemDataRole.UserRole + 2

ENCODED_BUDGET = 96 * 1024 * 1024  # ~8,000 thumbnails as JPEG bytes
PIXMAP_BUDGET = 48 * 1024 * 1024  # ~300 decoded 256-px thumbnails: a few screens of strip

# Background thumbnails are fed to the pool a few at a time, never a whole folder at
# once: a queue of thousands would make every cancellation (a linear search) crawl.
BACKGROUND_SLOTS = 2

ModelIndex = QModelIndex | QPersistentModelIndex


def plain_text_tooltip(text: str) -> str:
    """Tooltip markup that shows ``text`` literally.

    Qt guesses whether a tooltip is rich text; a caption such as ``<b>`` must never be
    taken as markup, so it is escaped and wrapped in a paragraph that keeps line breaks.
    """
    return f"<p style='white-space: pre-wrap'>{html.escape(text, quote=False)}</p>"


def rows_of(photos: tuple[Photo, ...]) -> dict[Path, list[int]]:
    """Each photo's rows by path; for a big folder, build it in a worker."""
    rows: dict[Path, list[int]] = {}
    for row, photo in enumerate(photos):
        rows.setdefault(photo.path, []).append(row)
    return rows


class GalleryModel(QAbstractListModel):
    """Adapts a :class:`Gallery` to Qt views.

    Roles: DisplayRole (title), DecorationRole (thumbnail), ToolTipRole (caption, shown
    as plain text), AccessibleTextRole (title), AccessibleDescriptionRole (alt text),
    ``PHOTO_ROLE`` (the Photo) and ``ERROR_ROLE`` (why the thumbnail failed, or None).
    """

    def __init__(
        self,
        workers: Workers,
        thumb_size: QSize,
        cache: ThumbnailCache | None = None,
        parent: QObject | None = None,
    ) -> None:
        """An empty model making ``thumb_size`` thumbnails with ``workers``.

        Thumbnails are shared on disk through ``cache`` (None: kept in memory only).
        """
        super().__init__(parent)
        self._workers = workers
        self._runner = workers.runner
        self._cache = cache
        self._gallery: Gallery | None = None
        self._rows: dict[Path, list[int]] = {}
        self._generation = 0
        self._thumb_size = QSize(thumb_size)
        self._device_pixel_ratio = 1.0
        self._encoded: ByteBudgetLRU[Path, bytes] = ByteBudgetLRU(ENCODED_BUDGET, len)
        self._pixmaps: ByteBudgetLRU[Path, QPixmap] = ByteBudgetLRU(
            PIXMAP_BUDGET, lambda p: p.width() * p.height() * 4
        )
        self._previews: dict[Path, QPixmap] = {}
        self._errors: dict[Path, str] = {}
        self._pending: dict[Path, Task | None] = {}  # asked for by the view
        self._previews_pending: dict[Path, Task | None] = {}  # embedded previews asked for
        self._made: set[Path] = set()
        self._background = False
        self._background_next = 0  # the next row the background pass looks at
        self._background_in_flight: set[Path] = set()
        self._background_retry: list[Path] = []  # view requests cancelled by scrolling
        self._placeholder = QPixmap()
        self._error_tile = QPixmap()
        self._make_tiles()

    # --- the gallery --------------------------------------------------------------------

    def gallery(self) -> Gallery | None:
        """The gallery shown, if any."""
        return self._gallery

    def set_gallery(self, gallery: Gallery | None) -> None:
        """Show ``gallery``; thumbnails of the previous one still in flight are dropped."""
        self.beginResetModel()
        self._gallery = gallery
        self._rows = rows_of(gallery.photos) if gallery else {}
        self._forget_thumbnails()
        self.endResetModel()

    def grow_gallery(self, gallery: Gallery, rows: dict[Path, list[int]]) -> None:
        """Show ``gallery``, a longer or reordered version of the current one.

        ``rows`` maps each path to its rows (made off the GUI thread, see
        :func:`rows_of`). Thumbnails made or on their way are kept: they are keyed by
        path, not by row.
        """
        self.beginResetModel()
        self._gallery = gallery
        self._rows = rows
        self._background_next = 0  # rows moved; photos already made are skipped quickly
        self.endResetModel()

    def update_photos(self, gallery: Gallery) -> bool:
        """Show ``gallery`` without a reset when only its words changed.

        It must hold the same files in the same order as the gallery shown: the strip
        then keeps its place. False when the files or their order differ (use
        :meth:`grow_gallery`).
        """
        old = self._gallery
        if old is None or [p.path for p in old.photos] != [p.path for p in gallery.photos]:
            return False
        self._gallery = gallery
        if gallery.photos:
            roles = [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole]
            self.dataChanged.emit(self.index(0), self.index(len(gallery.photos) - 1), roles)
        return True

    def forget_files(self, paths: set[Path]) -> None:
        """These files were rewritten: their thumbnails (or errors) are made again."""
        for path in paths:
            self._runner.cancel(self._pending.pop(path, None))
            self._made.discard(path)
            self._encoded.discard(path)
            self._pixmaps.discard(path)
            self._previews.pop(path, None)
            self._errors.pop(path, None)
        self._pump_background()

    def row_of(self, path: Path) -> int:
        """The first row showing ``path``, or -1 (a dictionary look-up, not a scan)."""
        rows = self._rows.get(path)
        return rows[0] if rows else -1

    def photo(self, row: int) -> Photo | None:
        """The photo at ``row``, or None."""
        if self._gallery is None or not 0 <= row < len(self._gallery.photos):
            return None
        return self._gallery.photos[row]

    def set_device_pixel_ratio(self, ratio: float) -> None:
        """Make thumbnails for this ratio (2.0 on a HiDPI screen) so they stay crisp."""
        self._remake_thumbnails(self._thumb_size, ratio)

    def set_thumb_size(self, size: QSize) -> None:
        """Show thumbnails at ``size`` logical pixels (the strip's icon size)."""
        self._remake_thumbnails(QSize(size), self._device_pixel_ratio)

    def thumb_size(self) -> QSize:
        """The thumbnails' size in logical pixels."""
        return QSize(self._thumb_size)

    def _remake_thumbnails(self, size: QSize, ratio: float) -> None:
        if size == self._thumb_size and ratio == self._device_pixel_ratio:
            return
        self._thumb_size, self._device_pixel_ratio = size, ratio
        self._make_tiles()
        background = self._background
        self._forget_thumbnails()
        if background:  # carry on over the whole gallery at the new size
            self.start_background()
        if self.rowCount() > 0:
            self.dataChanged.emit(
                self.index(0), self.index(self.rowCount() - 1), [Qt.ItemDataRole.DecorationRole]
            )

    def _forget_thumbnails(self) -> None:
        for task in (*self._pending.values(), *self._previews_pending.values()):
            self._runner.cancel(task)
        self._generation += 1
        self._made.clear()
        self._background = False
        self._background_next = 0
        self._background_in_flight.clear()
        self._background_retry.clear()
        self._encoded.clear()
        self._pixmaps.clear()
        self._previews.clear()
        self._errors.clear()
        self._pending.clear()
        self._previews_pending.clear()

    # --- QAbstractListModel -------------------------------------------------------------

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        """How many photos the gallery has."""
        if parent.isValid() or self._gallery is None:
            return 0
        return len(self._gallery.photos)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        """A photo's title, thumbnail, tooltip, accessible text, Photo or error, by role."""
        photo = self.photo(index.row()) if index.isValid() else None
        if photo is None:
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return photo.title or display_name(photo.path.name)
        if role == Qt.ItemDataRole.DecorationRole:
            return self._thumbnail_for(photo)
        if role == Qt.ItemDataRole.ToolTipRole:
            error = self._errors.get(photo.path)
            title = photo.title or display_name(photo.path.name)
            return plain_text_tooltip(f"{title}\n\n{error or photo.caption}".strip())
        if role == Qt.ItemDataRole.AccessibleDescriptionRole:
            return photo.alt_text
        if role == PHOTO_ROLE:
            return photo
        if role == ERROR_ROLE:
            return self._errors.get(photo.path)
        return None

    # --- thumbnails ---------------------------------------------------------------------

    def is_loading(self) -> bool:
        """True while thumbnails are still being made (asked for, or in the background)."""
        return bool(self._pending or self._background_in_flight)

    def thumbnail_state(self, row: int) -> str:
        """``"final"``, ``"preview"`` (the camera's embedded one), ``"error"`` or ``"none"``."""
        photo = self.photo(row)
        if photo is None:
            return "none"
        if photo.path in self._errors:
            return "error"
        if photo.path in self._encoded or photo.path in self._pixmaps:
            return "final"
        return "preview" if photo.path in self._previews else "none"

    def thumbnails_made(self) -> int:
        """How many photos of this gallery have been thumbnailed (or failed) so far."""
        return len(self._made)

    def memory_used(self) -> tuple[int, int]:
        """Bytes held as compact JPEG copies and as decoded pixmaps."""
        return (self._encoded.used, self._pixmaps.used)

    def thumb_pixels(self) -> tuple[int, int]:
        """The thumbnails' size in device pixels."""
        ratio = self._device_pixel_ratio
        return (round(self._thumb_size.width() * ratio), round(self._thumb_size.height() * ratio))

    def cancel_except(self, rows: Iterable[int]) -> None:
        """Drop queued requests for rows outside ``rows`` (they scrolled out of view)."""
        keep = {p.path for r in rows if (p := self.photo(r)) is not None}
        for path in [p for p in self._previews_pending if p not in keep]:
            if self._runner.cancel(self._previews_pending[path]):
                del self._previews_pending[path]
        for path in [p for p in self._pending if p not in keep]:
            if self._runner.cancel(self._pending[path]):
                del self._pending[path]
                self._background_retry.append(path)

    def start_background(self) -> None:
        """Make every thumbnail in the background, a few at a time, behind visible ones."""
        self._background = True
        self._pump_background()

    def _pump_background(self) -> None:
        if not self._background or self._gallery is None:
            return
        photos = self._gallery.photos
        while len(self._background_in_flight) < BACKGROUND_SLOTS:
            if self._background_retry:
                path = self._background_retry.pop()
            elif self._background_next < len(photos):
                path = photos[self._background_next].path
                self._background_next += 1
            else:
                return
            if path in self._made or path in self._pending or path in self._background_in_flight:
                continue
            self._background_in_flight.add(path)
            self._runner.submit(
                self._on_background_made,
                str(path),
                self._generation,
                make_thumbnail,
                path,
                self.thumb_pixels(),
                self._cache,
                self._workers.pool,
                self._root_of(path),
                priority=Priority.BACKGROUND,
            )

    def _root_of(self, path: Path) -> Path | None:
        """The gallery folder a photo's reads are confined to (see Photo.root)."""
        rows = self._rows.get(path)
        photo = self.photo(rows[0]) if rows else None
        return photo.root if photo is not None else None

    def _thumbnail_for(self, photo: Photo) -> QPixmap:
        pixmap = self._cached_pixmap(photo.path)
        if pixmap is not None:
            return pixmap
        if photo.path not in self._errors:
            self._request(photo)
        return self._previews.get(photo.path, self._placeholder)

    def _cached_pixmap(self, path: Path) -> QPixmap | None:
        pixmap = self._pixmaps.get(path)
        if pixmap is not None:
            return pixmap
        if path in self._errors:
            return self._error_tile
        encoded = self._encoded.get(path)
        if encoded is None:
            return None
        pixmap = self._to_pixmap(decode_compact(encoded))
        self._pixmaps.put(path, pixmap)
        return pixmap

    def _request(self, photo: Photo) -> None:
        if photo.path in self._pending:
            return
        box, key = self.thumb_pixels(), str(photo.path)
        self._previews_pending[photo.path] = self._runner.submit(
            self._on_preview_made,
            key,
            self._generation,
            make_preview,
            photo.path,
            box,
            self._workers.pool,
            photo.root,
            priority=Priority.PREVIEW,
        )
        self._pending[photo.path] = self._runner.submit(
            self._on_visible_made,
            key,
            self._generation,
            make_thumbnail,
            photo.path,
            box,
            self._cache,
            self._workers.pool,
            photo.root,
            priority=Priority.VISIBLE,
        )

    def _on_preview_made(self, result: TaskResult) -> None:
        path = Path(result.key)
        if result.generation == self._generation:
            self._previews_pending.pop(path, None)
        thumbnail: Thumbnail | None = result.value
        if result.generation != self._generation or thumbnail is None or path in self._encoded:
            return
        self._previews[path] = self._to_pixmap(thumbnail.image)
        self._emit_changed_for(path)

    def _on_visible_made(self, result: TaskResult) -> None:
        self._store(result, keep_decoded=True)

    def _on_background_made(self, result: TaskResult) -> None:
        # Off-screen thumbnails stay compact; they are decoded when scrolled into view.
        if result.generation == self._generation:
            self._background_in_flight.discard(Path(result.key))
        self._store(result, keep_decoded=False)
        self._pump_background()

    def _store(self, result: TaskResult, *, keep_decoded: bool) -> None:
        if result.generation != self._generation:
            return  # the gallery changed while this was being made
        path = Path(result.key)
        self._pending.pop(path, None)
        self._previews.pop(path, None)
        self._made.add(path)
        if result.error is not None:
            self._errors[path] = str(result.error)
        else:
            thumbnail: Thumbnail = result.value
            self._encoded.put(path, thumbnail.encoded)
            if keep_decoded:
                self._pixmaps.put(path, self._to_pixmap(thumbnail.image))
        self._emit_changed_for(path)

    def _to_pixmap(self, image: QImage) -> QPixmap:
        pixmap = QPixmap.fromImage(image)
        pixmap.setDevicePixelRatio(self._device_pixel_ratio)
        return pixmap

    def _emit_changed_for(self, path: Path) -> None:
        for row in self._rows.get(path, []):
            index = self.index(row)
            roles = [Qt.ItemDataRole.DecorationRole, Qt.ItemDataRole.ToolTipRole]
            self.dataChanged.emit(index, index, roles)

    def _make_tiles(self) -> None:
        self._placeholder = self._make_placeholder(QColor(128, 128, 128, 60))
        self._error_tile = self._make_placeholder(QColor(190, 60, 50, 90))

    def _make_placeholder(self, color: QColor) -> QPixmap:
        width, height = self.thumb_pixels()
        pixmap = QPixmap(width, height)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(color)
        radius = 6 * self._device_pixel_ratio
        painter.drawRoundedRect(0, 0, width, height, radius, radius)
        painter.end()
        pixmap.setDevicePixelRatio(self._device_pixel_ratio)
        return pixmap
