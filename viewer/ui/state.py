"""The viewer state: what the user is looking at, held in one place, with no widgets.

The gallery, the photos shown and their order (sort and Find), the current photo and
the selection live here; widgets call its methods and follow its signals, and never
hold any of it themselves. From a path to pixels:

1. :meth:`ViewerState.open_path` hands a folder to the :class:`FolderSource` (listed in
   batches off the GUI thread) or reads a manifest in the task runner;
2. the gallery goes into the :class:`GalleryModel` (thumbnails) and, sorted and
   filtered, into :class:`ShownPhotos`, the model the strip shows; the selection model
   over it holds the current photo;
3. a new current photo goes to the :class:`PhotoLoader`, which delivers its screen
   image and metadata (``photo_ready``, ``metadata_ready``) and prefetches neighbours;
4. the words shown with it follow one rule (:func:`viewer.captions.photo_text`).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    Signal,
)

from viewer.captions import PhotoText, photo_text
from viewer.fileaccess import display_name
from viewer.imaging.thumbcache import ThumbnailCache
from viewer.model import Gallery, Photo
from viewer.resources import bundled_gallery_path
from viewer.ui.folder_source import FolderSource
from viewer.ui.gallery_model import GalleryModel, rows_of
from viewer.ui.opener import Opener
from viewer.ui.photo_loader import PhotoLoader
from viewer.ui.photo_order import PhotoOrder
from viewer.ui.shown_photos import ShownPhotos
from viewer.ui.strip import THUMB_SIZES
from viewer.ui.workers import Workers

if TYPE_CHECKING:
    from viewer.ui.edits import CaptionEdits, Saved


class ViewerState(QObject):
    """The one source of truth behind the window.

    Signals:
        gallery_changed(object): a new Gallery is shown (None: nothing).
        current_changed(object): the current Photo (None when there is none).
        title_changed(str): the window's title (gallery, position).
        photo_ready(object, object): the current photo's Path and its ScreenImage.
        photo_failed(object, str): the current photo's Path and why it cannot be shown.
        full_resolution_ready(object, object): the Path and a QImage of every pixel.
        animation_ready(object, object): the Path and its AnimationFrames.
        metadata_ready(object, object, str): the Path, PhotoMetadata or None, an error.
        text_changed(object): the PhotoText shown with the current photo.
        details_changed(object): the current Photo's own words or its story changed
            (an edit; its pixels did not).
        shown_changed(): which photos are shown, or their order, changed.
        opened(object): the Path of a folder, photo or manifest opened (File > Recent).

    Paths travel as Path objects: a Qt string would lose a name that is not UTF-8.
        problem(str, str): a title and a message for the user.
        idle(): no work is pending.
    """

    gallery_changed = Signal(object)
    current_changed = Signal(object)
    title_changed = Signal(str)
    photo_ready = Signal(object, object)
    photo_failed = Signal(object, str)
    full_resolution_ready = Signal(object, object)
    animation_ready = Signal(object, object)
    metadata_ready = Signal(object, object, str)
    text_changed = Signal(object)
    details_changed = Signal(object)
    shown_changed = Signal()
    opened = Signal(object)
    problem = Signal(str, str)
    idle = Signal()

    def __init__(
        self,
        workers: Workers,
        thumbnail_cache: ThumbnailCache | None = None,
        thumb_size: str = "medium",
        parent: QObject | None = None,
    ) -> None:
        """An empty state working with ``workers``.

        Thumbnails of ``thumb_size`` are shared through ``thumbnail_cache`` (None: kept
        in memory).
        """
        super().__init__(parent)
        self.workers = workers
        self.model = GalleryModel(workers, THUMB_SIZES[thumb_size], thumbnail_cache, self)
        self.order = PhotoOrder(workers, self)
        self.find_index = self.order.find_index
        self.shown = ShownPhotos(self.model, self.order.rows, self)
        self.selection = QItemSelectionModel(self.shown, self)
        self.selection.currentChanged.connect(self._on_current_changed)
        self.folder = FolderSource(workers, self)
        self.loader = PhotoLoader(workers, self)
        self.opener = Opener(self)
        self._current: Photo | None = None
        self._auto_selected: Path | None = None
        self._edits: CaptionEdits | None = None  # made when a caption is first edited
        self._connect()

    def _connect(self) -> None:
        loader, folder = self.loader, self.folder
        loader.screen_ready.connect(self.photo_ready)
        loader.screen_failed.connect(self.photo_failed)
        loader.full_resolution_ready.connect(self.full_resolution_ready)
        loader.animation_ready.connect(self.animation_ready)
        loader.metadata_ready.connect(self._on_metadata_ready)
        folder.batch_listed.connect(self._on_batch_listed)
        folder.listed.connect(self._on_folder_listed)
        folder.changed.connect(self._on_folder_changed)
        folder.photo_rewritten.connect(self._on_photo_rewritten)
        self.order.changed.connect(self._refilter)
        self.order.problem.connect(self.problem)
        self.workers.runner.idle.connect(self.idle)

    # --- what is shown ------------------------------------------------------------------

    def gallery(self) -> Gallery | None:
        """The gallery shown, if any."""
        return self.model.gallery()

    def current_photo(self) -> Photo | None:
        """The current photo, if any."""
        return self._current

    def current_row(self) -> int:
        """The current photo's row among those shown (-1: none)."""
        return self.selection.currentIndex().row()

    def shown_photos(self) -> list[Photo]:
        """The photos shown (all, or what Find matched), in the order shown."""
        return self.shown.photos()

    def selected_photos(self) -> list[Photo]:
        """The photos selected in the strip, in the order shown.

        The current photo when nothing else is selected.
        """
        rows = sorted(index.row() for index in self.selection.selectedIndexes())
        photos = [photo for row in rows if (photo := self.shown.photo(row)) is not None]
        if not photos and self._current is not None:
            photos = [self._current]
        return photos

    def select_all(self) -> None:
        """Select every photo shown."""
        count = self.shown.rowCount()
        if count:
            top, bottom = self.shown.index(0), self.shown.index(count - 1)
            selection = QItemSelection(top, bottom)
            self.selection.select(selection, QItemSelectionModel.SelectionFlag.Select)

    def caption_edits(self) -> CaptionEdits:
        """The caption edits session.

        Made the first time it is asked for: the writer is loaded then, not at start-up.
        """
        if self._edits is None:
            from viewer.metadata.fieldmap import EDITABLE, LIST_FIELDS  # noqa: PLC0415
            from viewer.ui.edits import CaptionEdits  # noqa: PLC0415

            self._edits = CaptionEdits(self.workers, EDITABLE, LIST_FIELDS, self)
            self._edits.saved.connect(self._on_saved)
        return self._edits

    def _on_saved(self, saved: Saved) -> None:
        """Photos were written: their metadata (not their pixels) is read again."""
        paths = {result.path for result in saved.results}
        self.loader.forget_metadata(paths)
        self.order.forget(paths)
        current = self._current
        if current is not None and current.path in paths:
            self.loader.refresh_metadata(current)

    def current_text(self) -> PhotoText | None:
        """The words shown with the current photo (the one rule, viewer.captions)."""
        photo = self._current
        if photo is None:
            return None
        held = self.loader.metadata(photo.path)
        return photo_text(photo, held[0] if held else None)

    def details_ready(self) -> bool:
        """True once the current photo's own metadata has been read (or failed)."""
        photo = self._current
        return photo is not None and self.loader.metadata(photo.path) is not None

    def is_idle(self) -> bool:
        """True when no work is pending (tests wait for this; see ``idle``)."""
        return self.workers.is_idle()

    # --- opening (viewer/ui/opener.py) ----------------------------------------------------

    def open_path(self, path: Path, *, fallback: bool = False) -> None:
        """Open a folder, a gallery manifest, or an image (its folder, with it selected)."""
        self.opener.open_path(path, fallback=fallback)

    def open_at_start(self, target: Path | None, recent: list[Path]) -> None:
        """What the window shows first: ``target``, else what was open last."""
        self.opener.open_at_start(target, recent)

    def open_files(self, paths: list[Path]) -> None:
        """One path as :meth:`open_path` does; several images as a gallery of them."""
        self.opener.open_files(paths)

    def open_bundled_story(self) -> None:
        """The story Photo Desk comes with."""
        self.opener.open_manifest(bundled_gallery_path())

    def open_manifest(self, manifest: Path, *, fallback: bool = False) -> None:
        """Read and check a gallery manifest off the GUI thread, then show it."""
        self.opener.open_manifest(manifest, fallback=fallback)

    def begin_listing(self, folder: Path) -> None:
        """List ``folder`` into the gallery (the opener asks; see viewer/ui/opener.py)."""
        self._auto_selected = None
        self.title_changed.emit(f"{display_name(folder.name or str(folder))} — listing…")
        self.folder.list(folder)

    def set_gallery(self, gallery: Gallery) -> None:
        """Show ``gallery`` from its first photo (a folder that was followed is let go)."""
        self.folder.stop()
        self._show_gallery(gallery)
        self.go_to(0)

    def replace_gallery(self, gallery: Gallery, current: int | None = None) -> None:
        """Show an edited version of the gallery shown; the current photo stays current.

        Words changed only: no reset, the strip keeps its place. Photos moved, added or
        removed: one reset, thumbnails kept. With ``current``, the photo at that index of
        ``gallery`` becomes current instead.
        """
        keep = self._current
        self.order.set_gallery(gallery, same_files=True)
        self.find_index.words_changed()
        if self.model.update_photos(gallery):
            self.shown_changed.emit()
        else:
            self.model.grow_gallery(gallery, rows_of(gallery.photos))
        if current is not None and 0 <= current < len(gallery.photos):
            keep = gallery.photos[current]
        self._keep_current(keep)
        now = next((p for p in gallery.photos if keep and p.path == keep.path), None)
        if now is not None and now != self._current:
            self._current = now
            self.details_changed.emit(now)
            self.text_changed.emit(self.current_text())
        elif now is not None:
            self.details_changed.emit(now)  # the story's own text may have changed
        self.gallery_changed.emit(gallery)

    def _show_gallery(self, gallery: Gallery) -> None:
        self.loader.clear()
        self.order.set_gallery(gallery)
        self._current = None
        self.model.set_gallery(gallery)  # the shown rows follow in the same reset
        self.shown_changed.emit()
        self._emit_title()
        self.gallery_changed.emit(gallery)

    # --- a folder, as it is listed and as it changes --------------------------------------

    def _on_batch_listed(self, gallery: Gallery, rows: dict[Path, list[int]], first: bool) -> None:
        """Show a batch of the folder being listed.

        Until the user moves, the selection follows the photo they asked for (or the folder's
        first); after that it stays where they are.
        """
        current = self._current
        if first:
            self._show_gallery(gallery)
        else:
            self.order.set_gallery(gallery, same_files=True)
            self.model.grow_gallery(gallery, rows)  # the shown rows follow in one reset
            self._keep_current(current)
        target = self.opener.listing_target()
        wanted = -1
        if target is not None and target != gallery.source:
            wanted = self.shown.row_of_source(self.model.row_of(target))
        untouched = first or (current is not None and current.path == self._auto_selected)
        if untouched:
            self.go_to(max(wanted, 0))
        chosen = self._current
        self._auto_selected = chosen.path if untouched and chosen is not None else None

    def _on_folder_listed(self, folder: Path) -> None:
        self.opened.emit(self.opener.listing_target() or folder)
        self.order.refresh()

    def _on_folder_changed(self, gallery: Gallery, stats: dict[Path, tuple[int, int]]) -> None:
        current = self._current
        row = self.current_row()
        # Our own writes changed metadata only (their pixels were verified unchanged):
        # nothing is decoded again, so nothing flickers.
        ours = {path for path, (mtime, size) in stats.items() if self._own_write(path, size, mtime)}
        rewritten = set(stats) - ours
        self.loader.forget(rewritten)
        self.loader.forget_metadata(ours)
        self.order.forget(set(stats))
        self.model.forget_files(rewritten)
        self.order.set_gallery(gallery, same_files=True)
        if not self.model.update_photos(gallery):  # the same files: the strip keeps its place
            self.model.grow_gallery(gallery, rows_of(gallery.photos))  # one reset, shown too
        self._keep_current(current, fallback_row=max(row, 0))  # removed: its neighbour
        if current is not None and self._current is not None:
            if current.path in rewritten:
                self._show_current(self._current)  # same photo, new pixels and metadata
            elif current.path in ours:
                self.loader.refresh_metadata(self._current)
        self.order.refresh()

    def _own_write(self, path: Path, size: int, mtime_ns: int) -> bool:
        return self._edits is not None and self._edits.own_write(path, size, mtime_ns)

    def _on_photo_rewritten(self, path: Path) -> None:
        current = self._current
        if current is None or current.path != path:
            return
        try:
            info = os.stat(path)
            ours = self._own_write(path, info.st_size, info.st_mtime_ns)
        except OSError:
            ours = False
        if ours:
            self.loader.refresh_metadata(current)
            return
        self.loader.forget({current.path})
        self.model.forget_files({current.path})
        self._show_current(current)

    # --- order and Find -----------------------------------------------------------------

    def sort(self) -> str:
        """``"name"`` or ``"date"`` (a story keeps its own order until one is chosen)."""
        return self.order.sort()

    def set_sort(self, order: str) -> None:
        """Order the photos by ``"name"`` (natural) or ``"date"`` taken (read in workers)."""
        self.order.set_sort(order)

    def find_words(self) -> tuple[str, ...]:
        """The words Find is looking for (none: every photo is shown)."""
        return self.order.words()

    def is_finding(self) -> bool:
        """True when Find hides photos (words typed, or a filter by credentials)."""
        return self.order.is_finding()

    def set_find_text(self, text: str) -> None:
        """Show only the photos that match every word of ``text`` ("": all of them)."""
        self.order.set_find_text(text)

    def set_credentials_filter(self, kind: str) -> None:
        """Show only photos with, without or with broken Content Credentials ("any": all)."""
        self.order.set_credentials_filter(kind)

    def find_counts(self) -> tuple[int, int, int]:
        """Photos shown, photos in the gallery, and files whose own words were read."""
        read = self.order.find_index.read_count()
        return self.shown.rowCount(), self.model.rowCount(), read

    def _reorder(self, keep: Photo | None = None, fallback_row: int | None = None) -> None:
        """Sort and filter the gallery into the shown rows.

        ``keep`` stays current where it is still shown. When it is not (Find hid it), the
        next photo after it that is still shown becomes current, else the last one before
        it; with ``fallback_row`` given, the photo now at that row instead.
        """
        before = self.shown.order()
        self.shown.set_rows(self.order.rows())
        if keep is not None:
            row = self.shown.row_of_source(self.model.row_of(keep.path))
            if row < 0:
                row = (
                    self.shown.nearest(before, self.model.row_of(keep.path))
                    if fallback_row is None
                    else fallback_row
                )
            self.go_to(row)
        self.shown_changed.emit()
        self._emit_title()

    def _keep_current(self, keep: Photo | None, fallback_row: int = 0) -> None:
        """Keep ``keep`` current after the rows changed under it.

        Where it is no longer shown, the photo now at ``fallback_row`` becomes current.
        """
        if keep is not None:
            row = self.shown.row_of_source(self.model.row_of(keep.path))
            if row < 0 or row != self.current_row():  # where it is: the selection stays
                self.go_to(row if row >= 0 else fallback_row)
        self.shown_changed.emit()
        self._emit_title()

    def _refilter(self) -> None:
        """Match and order again, keeping the current photo.

        When none was current (Find matched nothing before), the first photo shown
        becomes current.
        """
        self._reorder(keep=self._current)
        if self._current is None and self.shown.rowCount() > 0:
            self.go_to(0)

    # --- moving -------------------------------------------------------------------------

    def go_to(self, row: int) -> None:
        """Make the photo shown at ``row`` current (clamped to the photos shown)."""
        count = self.shown.rowCount()
        if count == 0:
            if self._current is not None:
                self._current = None
                self.current_changed.emit(None)
                self._emit_title()
            return
        index = self.shown.index(min(max(row, 0), count - 1))
        self.selection.setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        if self.selection.currentIndex() == index and self._current is None:
            self._on_current_changed(index, QModelIndex())

    def move_by(self, step: int) -> None:
        """Move ``step`` photos on (negative: back), stopping at either end."""
        self.go_to(max(self.current_row(), 0) + step)

    def next_wrapping(self) -> None:
        """The next photo, or the first after the last (the slideshow goes round)."""
        row = self.current_row() + 1
        self.go_to(row if row < self.shown.rowCount() else 0)

    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        photo = self.shown.photo(current.row()) if current.isValid() else None
        if photo is None:
            return
        if self._current is not None and photo.path == self._current.path:
            self._current = photo  # the same file at a new row: only the title changes
            self._emit_title()
            return
        self._show_current(photo)

    def _show_current(self, photo: Photo) -> None:
        self._current = photo
        row = self.current_row()
        neighbours = [p for p in (self.shown.photo(row + 1), self.shown.photo(row - 1)) if p]
        self.folder.watch_photo(photo.path)
        self._emit_title()
        self.current_changed.emit(photo)
        self.text_changed.emit(self.current_text())
        ready = self.loader.show(photo, neighbours)
        if ready is not None:
            self.photo_ready.emit(photo.path, ready)

    def _emit_title(self) -> None:
        gallery = self.gallery()
        if gallery is None:
            self.title_changed.emit("")
            return
        row, count = self.current_row(), self.shown.rowCount()
        place = f" — {row + 1} of {count}" if row >= 0 else ""
        self.title_changed.emit(f"{gallery.title}{place}")

    def _on_metadata_ready(self, path: Path, metadata: object, error: str) -> None:
        self.metadata_ready.emit(path, metadata, error)
        current = self._current
        if current is not None and current.path == path:
            self.text_changed.emit(self.current_text())

    # --- pixels -------------------------------------------------------------------------

    def set_screen(self, box: tuple[int, int], device_pixel_ratio: float) -> None:
        """The largest picture the window can show, and its screen's pixel ratio."""
        self.loader.set_screen_box(box)
        self.model.set_device_pixel_ratio(device_pixel_ratio)

    def ask_full_resolution(self, full_size: tuple[int, int]) -> None:
        """Decode every pixel of the current photo (zoomed past its screen decode)."""
        if self._current is not None:
            self.loader.ask_full_resolution(self._current, full_size)

    def photo_painted(self) -> None:
        """The current photo is on screen: the rest of the gallery's thumbnails may come."""
        self.model.start_background()
