"""A folder of photos as a gallery: listed in batches off the GUI thread, then followed.

The flow: :meth:`FolderSource.list` reads the folder a batch at a time in the task
runner (256 entries, then eight times more each time), merging each sorted batch into
what was listed before and building the gallery there; the GUI thread only swaps it in
(``batch_listed``). When the whole folder is listed, a snapshot (names, sizes, times)
catches what arrived meanwhile, and from then on the folder is watched: a change is let
settle for a moment, a new snapshot is taken off the GUI thread, and the difference
(added, removed, renamed, rewritten) becomes ``changed``. A file still being written (a
copy in progress) is looked at again until it stops changing, so its thumbnail is made
from the finished file. Snapshots carry a number, so a late one never undoes a newer one.
"""

from __future__ import annotations

import dataclasses
import heapq
import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal

from viewer.fileaccess import display_name
from viewer.files import FolderScan, Snapshot, snapshot_images
from viewer.model import Gallery, Photo, files_gallery, files_photo
from viewer.ui.gallery_model import rows_of
from viewer.ui.tasks import TaskResult
from viewer.ui.workers import Priority, Workers

SETTLE_MS = 300  # let a copy or a batch of renames finish before looking again
FRESH_SECONDS = 3.0  # a file changed this recently may still be being written
RECHECK_MS = 1000  # how often such a folder is looked at again


@dataclasses.dataclass(frozen=True)
class Listed:
    """A folder listed so far, built in a worker: the GUI thread only swaps it in.

    Attributes:
        scan: the listing, open between batches.
        merged: (sort key, photo) pairs listed so far, in order.
        gallery: the photos listed so far as a gallery.
        rows: each path's rows in it.
        added: how many photos the last batch added.
    """

    scan: FolderScan
    merged: list[tuple[Any, Photo]]
    gallery: Gallery
    rows: dict[Path, list[int]]
    added: int


def start_scan(folder: Path) -> Listed:
    """The first batch of ``folder`` (run in a worker thread)."""
    return next_batch(FolderScan(folder), [])


def next_batch(scan: FolderScan, merged: list[tuple[Any, Photo]]) -> Listed:
    """The next batch merged into what was listed before, as a gallery and its rows."""
    batch = [(key, files_photo(path)) for key, path in scan.next_batch()]
    merged = list(heapq.merge(merged, batch, key=lambda pair: pair[0]))
    photos = tuple(photo for _, photo in merged)
    title = display_name(scan.folder.name or str(scan.folder))
    gallery = Gallery(source=scan.folder, photos=photos, title=title)
    return Listed(scan, merged, gallery, rows_of(photos), len(batch))


def numbered_snapshot(number: int, folder: Path) -> tuple[int, Snapshot]:
    """A snapshot with the number it was asked for under, so a late one can be told apart."""
    return number, snapshot_images(folder)


class FolderSource(QObject):
    """Lists one folder at a time and follows it.

    Signals:
        batch_listed(object, object, bool): a Gallery of what is listed so far, each
            path's rows in it, and True for the first batch.
        listed(object): the whole folder (a Path) is listed and now followed.
        empty(object): the folder (a Path) holds no images.
        failed(object, str): the folder cannot be read: the folder (a Path) and why.
        changed(object, object): the folder changed: the new Gallery, and the files
            rewritten as a dict of Path to (modification time in ns, size).
        photo_rewritten(object): the followed photo (a Path) was written to in place.

    Paths travel as Path objects: a Qt string would lose a name that is not UTF-8.
    """

    batch_listed = Signal(object, object, bool)
    listed = Signal(object)
    empty = Signal(object)
    failed = Signal(object, str)
    changed = Signal(object, object)
    photo_rewritten = Signal(object)

    def __init__(self, workers: Workers, parent: QObject | None = None) -> None:
        """A source that lists and watches with ``workers``."""
        super().__init__(parent)
        self._workers = workers
        self._listing = 0  # generation: a result of an earlier listing is dropped
        self._scan: FolderScan | None = None
        self._folder: Path | None = None
        self._listed_any = False
        self._listed_whole = False
        self._watched: Path | None = None
        self._snapshot: Snapshot = ()
        self._paths: set[Path] = set()
        self._snapshots_asked = 0
        self._snapshot_applied = 0
        self._watcher = QFileSystemWatcher(self)
        self._watcher.directoryChanged.connect(self._on_folder_changed)
        self._watcher.fileChanged.connect(self._on_file_changed)
        self._settle = self._timer(SETTLE_MS, self._on_settle_timeout)
        self._recheck = self._timer(RECHECK_MS, self._on_settle_timeout)
        self._photo_settle = self._timer(SETTLE_MS, self._on_photo_settle_timeout)
        self._photo: Path | None = None

    def _timer(self, interval: int, slot: Any) -> QTimer:
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.setInterval(interval)
        timer.timeout.connect(slot)
        return timer

    def folder(self) -> Path | None:
        """The folder being listed or followed, if any."""
        return self._folder

    def is_listing(self) -> bool:
        """True until the whole folder is listed."""
        return self._folder is not None and not self._listed_whole

    def list(self, folder: Path) -> None:
        """Start listing ``folder`` (stops whatever was listed or followed before)."""
        self.stop()
        self._folder = folder
        self._listed_any = False
        self._listed_whole = False
        self._workers.runner.submit(
            self._on_batch_listed,
            str(folder),
            self._listing,
            start_scan,
            folder,
            priority=Priority.CURRENT,
            time_limit=self._workers.limits.file,
        )

    def stop(self) -> None:
        """Stop listing and following (another gallery is shown)."""
        self._listing += 1
        if self._scan is not None:
            self._scan.close()
            self._scan = None
        self._folder = None
        self._watch(None)
        for timer in (self._settle, self._recheck, self._photo_settle):
            timer.stop()

    def watch_photo(self, path: Path | None) -> None:
        """Also follow this photo's file: a rewrite in place does not touch its folder."""
        self._photo = path
        if self._watched is None:
            return
        stale = [name for name in self._watcher.files() if Path(name) != path]
        if stale:
            self._watcher.removePaths(stale)
        if path is not None and str(path) not in self._watcher.files():
            self._watcher.addPath(str(path))

    # --- listing ------------------------------------------------------------------------

    def _on_batch_listed(self, result: TaskResult) -> None:
        folder = Path(result.key)
        if result.generation != self._listing:
            if result.error is None:
                result.value.scan.close()  # an abandoned scan still holds its folder open
            return
        if result.error is not None:
            self._folder = None
            self.failed.emit(folder, str(result.error))
            return
        listed: Listed = result.value
        self._scan = listed.scan
        if listed.added:
            first = not self._listed_any
            self._listed_any = True
            self._paths = set(listed.rows)
            if first:
                self._watch(folder)  # from now on nothing that changes can slip through
            self.batch_listed.emit(listed.gallery, listed.rows, first)
        if not listed.scan.done:
            self._workers.runner.submit(
                self._on_batch_listed,
                str(folder),
                self._listing,
                next_batch,
                listed.scan,
                listed.merged,
                priority=Priority.CURRENT,
                time_limit=self._workers.limits.file,
            )
            return
        self._scan = None
        if not listed.merged:
            self._folder = None
            self.empty.emit(folder)
            return
        self._ask_snapshot(folder, self._on_folder_listed)

    def _ask_snapshot(self, folder: Path, callback: Any) -> None:
        self._snapshots_asked += 1
        self._workers.runner.submit(
            callback,
            str(folder),
            self._listing,
            numbered_snapshot,
            self._snapshots_asked,
            folder,
            time_limit=self._workers.limits.file,
        )

    def _on_folder_listed(self, result: TaskResult) -> None:
        """The whole folder is listed: follow it from now on."""
        folder = Path(result.key)
        if result.generation != self._listing or result.error is not None:
            return
        self._listed_whole = True
        self._apply_snapshot(folder, *result.value)  # files that came while it was listed
        self.listed.emit(folder)

    # --- following ----------------------------------------------------------------------

    def _watch(self, folder: Path | None) -> None:
        """Follow changes in ``folder`` (None: stop following)."""
        watched = self._watcher.files() + self._watcher.directories()
        if watched:
            self._watcher.removePaths(watched)
        self._watched = folder
        if folder is None:
            self._snapshot = ()
            return
        self._watcher.addPath(str(folder))
        self.watch_photo(self._photo)

    def _on_folder_changed(self, _path: str) -> None:
        self._settle.start()

    def _on_file_changed(self, _path: str) -> None:
        self._photo_settle.start()  # the photo on screen was written to: show it anew
        self._settle.start()  # and its size and time in the snapshot change too

    def _on_photo_settle_timeout(self) -> None:
        if self._photo is not None and self._photo.exists():
            self.photo_rewritten.emit(self._photo)

    def _on_settle_timeout(self) -> None:
        if self._watched is None:
            return
        if not self._listed_whole:
            self._settle.start()  # still listing: the final snapshot comes after it
            return
        self._ask_snapshot(self._watched, self._on_folder_relisted)

    def _on_folder_relisted(self, result: TaskResult) -> None:
        folder = Path(result.key)
        if result.generation != self._listing or folder != self._watched:
            return  # another gallery was opened meanwhile
        if result.error is None:
            self._apply_snapshot(folder, *result.value)

    def _apply_snapshot(self, folder: Path, number: int, snapshot: Snapshot) -> None:
        """Bring the gallery in line with ``snapshot`` and keep it as the baseline.

        The next change is measured against it.
        """
        if number <= self._snapshot_applied:
            return  # a newer snapshot is already in
        self._snapshot_applied = number
        old = {path: (mtime, size) for path, mtime, size in self._snapshot}
        rewritten = {p: (m, s) for p, m, s in snapshot if p in old and old[p] != (m, s)}
        self._snapshot = snapshot
        if any(time.time_ns() - mtime < FRESH_SECONDS * 1e9 for _, mtime, _ in snapshot):
            self._recheck.start()  # something is still being written: look again
        paths = [path for path, _, _ in snapshot]
        if set(paths) == self._paths and not rewritten:
            return
        self._paths = set(paths)
        self.changed.emit(files_gallery(folder, paths), rewritten)
