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

import datetime as dt
import functools
from pathlib import Path
from typing import Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QObject, QTimer, Signal

from viewer.captions import PhotoText, photo_text
from viewer.fileaccess import display_name, printable
from viewer.files import is_image, natural_key
from viewer.imaging.thumbcache import ThumbnailCache
from viewer.metadata.dates import dates_taken
from viewer.model import MANIFEST_NAME, Gallery, Photo, files_gallery, load_manifest
from viewer.model.search import query_words
from viewer.resources import bundled_gallery_path
from viewer.ui.find_index import FindIndex
from viewer.ui.folder_source import FolderSource
from viewer.ui.gallery_model import GalleryModel
from viewer.ui.photo_loader import PhotoLoader
from viewer.ui.shown_photos import ShownPhotos
from viewer.ui.strip import THUMB_SIZES
from viewer.ui.tasks import TaskResult
from viewer.ui.workers import Priority, Workers

# Beyond this many photos, Find waits for a pause in the typing (matching 100,000 photos
# takes a few tenths of a second).
FILTER_AT_ONCE = 5_000
TYPING_PAUSE_MS = 250
SORTS = ("name", "date")


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

        Thumbnails of ``thumb_size`` are shared through ``thumbnail_cache`` (None: kept in memory).
        """
        super().__init__(parent)
        self.workers = workers
        self.model = GalleryModel(workers, THUMB_SIZES[thumb_size], thumbnail_cache, self)
        self.shown = ShownPhotos(self.model, self._shown_rows, self)
        self.selection = QItemSelectionModel(self.shown, self)
        self.selection.currentChanged.connect(self._on_current_changed)
        self.folder = FolderSource(workers, self)
        self.loader = PhotoLoader(workers, self)
        self.find_index = FindIndex(workers, self)
        self._current: Photo | None = None
        self._sort: str | None = None  # None: the gallery's own order
        self._dates: dict[Path, dt.datetime] = {}
        self._words: tuple[str, ...] = ()
        self._typing = QTimer(self)
        self._typing.setSingleShot(True)
        self._typing.setInterval(TYPING_PAUSE_MS)
        self._typing.timeout.connect(self._refilter)
        self._listing_target: Path | None = None
        self._auto_selected: Path | None = None
        self._opening = 0  # manifests read off the GUI thread: the latest one wins
        self._fallback = False  # the folder being listed gives way to the bundled story
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
        folder.empty.connect(self._on_folder_empty)
        folder.failed.connect(self._on_folder_failed)
        self.find_index.words_read.connect(self._on_words_read)
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

    # --- opening ------------------------------------------------------------------------

    def open_path(self, path: Path, *, fallback: bool = False) -> None:
        """Open a folder, a gallery manifest, or an image (its folder, with it selected).

        With ``fallback``, a gallery that cannot be opened gives way to the bundled story.
        """
        path = path.absolute()
        if path.is_dir() and (path / MANIFEST_NAME).is_file():
            self.open_manifest(path / MANIFEST_NAME, fallback=fallback)
        elif path.is_dir():
            self._list_folder(path, select=None, fallback=fallback)
        elif path.suffix.lower() == ".json" and path.exists():
            self.open_manifest(path, fallback=fallback)
        elif path.is_file() and is_image(path):
            self._list_folder(path.parent, select=path, fallback=fallback)
        else:
            why = "not an image or a gallery" if path.exists() else "no such file or folder"
            self._refuse("Cannot open", f"{display_name(path)}: {why}", fallback=fallback)

    def open_at_start(self, target: Path | None, recent: list[Path]) -> None:
        """What the window shows first: ``target`` if given, else what was open last.

        The most recent entry of File > Recent is opened again; when it is gone, or
        cannot be opened now, the bundled story is shown instead (and the user told
        why), never an empty window. The bundled story is shown on first launch.
        """
        if target is not None:
            self.open_path(target, fallback=True)
            return
        last = recent[0] if recent else None
        if last is None:
            self.open_bundled_story()
        elif last.exists():
            self.open_path(last, fallback=True)
        else:
            self._refuse(
                "Cannot open what was open last",
                f"{display_name(last)}: no longer there",
                fallback=True,
            )

    def open_files(self, paths: list[Path]) -> None:
        """One path as :meth:`open_path` does; several images as a gallery of them."""
        if len(paths) == 1:
            self.open_path(paths[0])
            return
        images = [p.absolute() for p in paths if p.is_file() and is_image(p)]
        if not images:
            self.problem.emit("Cannot open", "None of these files is an image Photo Desk opens.")
            return
        self.set_gallery(files_gallery(images[0].parent, images, f"{len(images)} photos"))

    def open_bundled_story(self) -> None:
        """The story Photo Desk comes with."""
        self.open_manifest(bundled_gallery_path())

    def open_manifest(self, manifest: Path, *, fallback: bool = False) -> None:
        """Read and check a gallery manifest off the GUI thread, then show it."""
        self._opening += 1
        self.workers.runner.submit(
            functools.partial(self._on_manifest_loaded, fallback=fallback),
            str(manifest),
            self._opening,
            load_manifest,
            manifest,
            priority=Priority.CURRENT,
            time_limit=self.workers.limits.batch(1000),
        )

    def _on_manifest_loaded(self, result: TaskResult, *, fallback: bool) -> None:
        if result.generation != self._opening:
            return  # something else was opened meanwhile
        if result.error is not None:
            self._refuse("Cannot open this gallery", str(result.error), fallback=fallback)
            return
        self.set_gallery(result.value)
        if Path(result.key) != bundled_gallery_path():
            self.opened.emit(Path(result.key))

    def _refuse(self, title: str, text: str, *, fallback: bool) -> None:
        text = printable(text)  # a Qt string cannot carry half a character
        if fallback:
            text += "\n\nShowing the bundled story instead."
            self.open_bundled_story()
        self.problem.emit(title, text)

    def _list_folder(self, folder: Path, select: Path | None, *, fallback: bool) -> None:
        self._opening += 1  # a manifest still being read is no longer wanted
        self._fallback = fallback
        self._listing_target = select or folder
        self._auto_selected = None
        self.title_changed.emit(f"{display_name(folder.name or str(folder))} — listing…")
        self.folder.list(folder)

    def set_gallery(self, gallery: Gallery) -> None:
        """Show ``gallery`` from its first photo (a folder that was followed is let go)."""
        self.folder.stop()
        self._show_gallery(gallery)
        self.go_to(0)

    def _show_gallery(self, gallery: Gallery) -> None:
        self.loader.clear()
        self.find_index.set_gallery(gallery)
        self._dates.clear()
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
            self.find_index.set_gallery(gallery, same_files=True)
            self.model.grow_gallery(gallery, rows)  # the shown rows follow in one reset
            self._keep_current(current)
        target = self._listing_target
        wanted = -1
        if target is not None and target != gallery.source:
            wanted = self.shown.row_of_source(self.model.row_of(target))
        untouched = first or (current is not None and current.path == self._auto_selected)
        if untouched:
            self.go_to(max(wanted, 0))
        chosen = self._current
        self._auto_selected = chosen.path if untouched and chosen is not None else None

    def _on_folder_empty(self, folder: Path) -> None:
        text = f"{display_name(folder)}: this folder holds no images."
        self._refuse("No photos here", text, fallback=self._fallback)

    def _on_folder_failed(self, _folder: Path, why: str) -> None:
        self._refuse("Cannot open this folder", why, fallback=self._fallback)

    def _on_folder_listed(self, folder: Path) -> None:
        self._fallback = False
        self.opened.emit(self._listing_target or folder)
        if self._sort == "date":
            self._read_dates()

    def _on_folder_changed(self, gallery: Gallery, rewritten: set[Path]) -> None:
        current = self._current
        row = self.current_row()
        self.loader.forget(rewritten)
        self.find_index.forget(rewritten)
        self.model.forget_files(rewritten)
        for path in rewritten:
            self._dates.pop(path, None)
        self.find_index.set_gallery(gallery, same_files=True)
        self.model.grow_gallery(gallery, self._rows_of(gallery))  # one reset, shown too
        self._keep_current(current, fallback_row=max(row, 0))  # removed: its neighbour
        if current is not None and current.path in rewritten and self._current is not None:
            self._show_current(self._current)  # same photo, new pixels and metadata
        if self._sort == "date":
            self._read_dates()

    @staticmethod
    def _rows_of(gallery: Gallery) -> dict[Path, list[int]]:
        rows: dict[Path, list[int]] = {}
        for row, photo in enumerate(gallery.photos):
            rows.setdefault(photo.path, []).append(row)
        return rows

    def _on_photo_rewritten(self, path: Path) -> None:
        current = self._current
        if current is not None and current.path == path:
            self.loader.forget({current.path})
            self.model.forget_files({current.path})
            self._show_current(current)

    # --- order and Find -----------------------------------------------------------------

    def sort(self) -> str:
        """``"name"`` or ``"date"`` (a story keeps its own order until one is chosen)."""
        return self._sort or "name"

    def set_sort(self, order: str) -> None:
        """Order the photos by ``"name"`` (natural) or ``"date"`` taken (read in workers)."""
        self._sort = order if order in SORTS else "name"
        if self._sort == "date":
            self._read_dates()
        self._refilter()

    def _read_dates(self) -> None:
        gallery = self.gallery()
        if gallery is None:
            return
        paths = [photo.path for photo in gallery.photos if photo.path not in self._dates]
        if not paths:
            return
        limit = self.workers.limits.batch(len(paths))
        self.workers.runner.submit(
            self._on_dates_read,
            str(gallery.source),
            0,
            functools.partial(self.workers.pool.call, time_limit=limit),
            "sorting by date",
            dates_taken,
            paths,
            priority=Priority.CURRENT,
        )

    def _on_dates_read(self, result: TaskResult) -> None:
        gallery = self.gallery()
        if gallery is None or result.key != str(gallery.source):
            return  # another gallery is shown now
        if result.error is not None:
            self.problem.emit("Cannot sort by date taken", str(result.error))
            return
        self._dates.update(result.value)
        if self._sort == "date":
            self._refilter()

    def find_words(self) -> tuple[str, ...]:
        """The words Find is looking for (none: every photo is shown)."""
        return self._words

    def set_find_text(self, text: str) -> None:
        """Show only the photos that match every word of ``text`` ("": all of them)."""
        self._words = query_words(text)
        if self.model.rowCount() > FILTER_AT_ONCE and text:
            self._typing.start()  # a big gallery: match once the typing pauses
        else:
            self._typing.stop()
            self._refilter()
        if self._words:
            self.find_index.read_more()

    def find_counts(self) -> tuple[int, int, int]:
        """Photos shown, photos in the gallery, and files whose own words were read."""
        return self.shown.rowCount(), self.model.rowCount(), self.find_index.read_count()

    def _on_words_read(self) -> None:
        if self._words:
            self._refilter()
            self.find_index.read_more()
        else:
            self.shown_changed.emit()

    def _reorder(self, keep: Photo | None = None, fallback_row: int | None = None) -> None:
        """Sort and filter the gallery into the shown rows.

        ``keep`` stays current where it is still shown. When it is not (Find hid it), the
        next photo after it that is still shown becomes current, else the last one before
        it; with ``fallback_row`` given, the photo now at that row instead.
        """
        before = self.shown.order()
        rows = self._shown_rows()
        self.shown.set_rows(rows)
        if keep is not None:
            row = self.shown.row_of_source(self.model.row_of(keep.path))
            if row < 0:
                row = self._nearest_shown(before, keep) if fallback_row is None else fallback_row
            self.go_to(row)
        self.shown_changed.emit()
        self._emit_title()

    def _keep_current(self, keep: Photo | None, fallback_row: int = 0) -> None:
        """Keep ``keep`` current after the rows changed under it.

        Where it is no longer shown, the photo now at ``fallback_row`` becomes current.
        """
        if keep is not None:
            row = self.shown.row_of_source(self.model.row_of(keep.path))
            self.go_to(row if row >= 0 else fallback_row)
        self.shown_changed.emit()
        self._emit_title()

    def _nearest_shown(self, before: list[int], keep: Photo) -> int:
        """Where the photo nearest to a hidden ``keep`` is shown.

        The first photo after ``keep`` in the order ``before`` that is still shown, else
        the last one before it (row 0 when there is none).
        """
        source = self.model.row_of(keep.path)
        where = before.index(source) if source in before else 0
        for candidate in (*before[where + 1 :], *reversed(before[:where])):
            row = self.shown.row_of_source(candidate)
            if row >= 0:
                return row
        return 0

    def _refilter(self) -> None:
        """Match and order again, keeping the current photo.

        When none was current (Find matched nothing before), the first photo shown
        becomes current.
        """
        self._reorder(keep=self._current)
        if self._current is None and self.shown.rowCount() > 0:
            self.go_to(0)

    def _shown_rows(self) -> list[int] | None:
        gallery = self.gallery()
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
        return rows

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
