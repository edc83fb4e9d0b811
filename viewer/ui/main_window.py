"""The main window: the detail pane above, the thumbnail strip below, a splitter between.

From a path to pixels: :meth:`MainWindow.set_gallery` hands the gallery to the item
model; the strip's current row drives :meth:`MainWindow._show_row`, which fills in the
text at once and submits a decode at screen size and a metadata read to the task
runner. Their results come back keyed by path and a generation number; anything for a
photo the user has already left is dropped, so nothing lands on the wrong picture.
"""

from __future__ import annotations

import dataclasses
import functools
import heapq
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QByteArray,
    QFileSystemWatcher,
    QItemSelectionModel,
    QModelIndex,
    QSettings,
    QSize,
    Qt,
    QTimer,
    QUrl,
    Signal,
    qVersion,
)
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QCloseEvent,
    QDesktopServices,
    QDragEnterEvent,
    QDropEvent,
    QFontDatabase,
    QKeySequence,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QMainWindow,
    QMenu,
    QMessageBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from viewer import __version__
from viewer.files import (
    FolderScan,
    Snapshot,
    is_image,
    natural_key,
    snapshot_images,
)
from viewer.imaging.decode import (
    AnimationFrames,
    ScreenImage,
    decode_animation,
    decode_for_screen,
    decode_full_resolution,
)
from viewer.imaging.lru import ByteBudgetLRU
from viewer.imaging.thumbcache import ThumbnailCache
from viewer.isolation import ProcessPool
from viewer.metadata import PhotoMetadata, read_metadata
from viewer.metadata.dates import dates_taken
from viewer.model import (
    MANIFEST_NAME,
    Gallery,
    ManifestError,
    Photo,
    files_gallery,
    files_photo,
    load_manifest,
)
from viewer.resources import bundled_gallery_path
from viewer.ui.appearance import SCHEMES, apply_scheme
from viewer.ui.detail_pane import DetailPane
from viewer.ui.find import FindBar, Finder
from viewer.ui.gallery_model import GalleryModel, rows_of
from viewer.ui.info_panel import InfoDock
from viewer.ui.slideshow import DEFAULT_INTERVAL, INTERVALS, Slideshow
from viewer.ui.strip import STRIP_SIDES, THUMB_SIZES, ThumbnailStrip
from viewer.ui.tasks import FILE_TIME_LIMIT, Task, TaskResult, TaskRunner

if TYPE_CHECKING:
    from viewer.imaging.story_export import ExportReport

RECENT_LIMIT = 10
WATCH_SETTLE_MS = 300  # let a copy or a batch of renames finish before re-listing
SCREEN_IMAGE_BUDGET = 160 * 1024 * 1024  # the current photo and its neighbours, even at 4K
PRIORITY_CURRENT = 3
ANIMATABLE_SUFFIXES = frozenset({".gif", ".webp", ".png", ".apng"})
PRIORITY_NEIGHBOUR = 1

ScreenKey = tuple[Path, tuple[int, int]]


@dataclasses.dataclass(frozen=True)
class _Listed:
    """A folder listed so far, built in a worker: the GUI thread only swaps it in."""

    scan: FolderScan
    merged: list[tuple[Any, Photo]]
    gallery: Gallery
    rows: dict[Path, list[int]]
    added: int


def _start_scan(folder: Path) -> _Listed:
    return _next_batch(FolderScan(folder), [])


def _next_batch(scan: FolderScan, merged: list[tuple[Any, Photo]]) -> _Listed:
    """The next batch merged into what was listed before, as a gallery and its rows."""
    batch = [(key, files_photo(path)) for key, path in scan.next_batch()]
    merged = list(heapq.merge(merged, batch, key=lambda pair: pair[0]))
    photos = tuple(photo for _, photo in merged)
    gallery = Gallery(source=scan.folder, photos=photos, title=scan.folder.name or str(scan.folder))
    return _Listed(scan, merged, gallery, rows_of(photos), len(batch))


def _numbered_snapshot(number: int, folder: Path) -> tuple[int, Snapshot]:
    """A snapshot with the number it was asked for under, so a late one can be told apart."""
    return number, snapshot_images(folder)


class MainWindow(QMainWindow):
    """Photo Desk's window.

    Signals:
        photo_shown(str): the current photo (or its error) has been painted; the path.
        story_exported(str): File > Export Story wrote this page.
    """

    photo_shown = Signal(str)
    story_exported = Signal(str)

    def __init__(
        self,
        thumbnail_cache: ThumbnailCache | None = None,
        settings: QSettings | None = None,
        parent: QWidget | None = None,
        time_limit: float = FILE_TIME_LIMIT,
    ) -> None:
        """Create the window.

        Args:
            thumbnail_cache: where thumbnails are shared on disk; None keeps them in memory.
            settings: where choices and File > Recent are remembered; None: nowhere.
            parent: the owning widget, if any.
            time_limit: seconds one file's decode or metadata read may take before it is
                shown as an error (a full-resolution decode may take three times as long).
        """
        super().__init__(parent)
        self.setObjectName("main_window")
        self.runner = TaskRunner(self)
        self._settings = settings
        size_name = self._setting("strip/thumbnail_size", "medium", THUMB_SIZES)
        side = self._setting("strip/side", "bottom", STRIP_SIDES)
        self._time_limit = time_limit
        # Files are decoded and their metadata read in worker processes (once the first
        # photo is on screen): one that hangs is killed at its time limit, one that
        # crashes takes only its process along.
        self.processes = self._build_processes(time_limit)
        self.model = GalleryModel(
            self.runner, THUMB_SIZES[size_name], thumbnail_cache, self, time_limit, self.processes
        )
        self.strip = ThumbnailStrip(THUMB_SIZES[size_name])
        self.strip.setModel(self.model)
        self.find_bar = FindBar()
        self.strip_panel = self._build_strip_panel()
        self.finder = Finder(
            self.find_bar, self.strip, self.model, self.runner, self, self.processes
        )
        self.detail = DetailPane()
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setObjectName("main_splitter")
        self.splitter.setAccessibleName("Photo Desk")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.detail)
        self.splitter.addWidget(self.strip_panel)
        self.setCentralWidget(self.splitter)
        self._name_parts()
        self._build_state()
        self.slideshow = self._build_slideshow()
        self._chrome: dict[QWidget, bool] = {}  # what the slideshow hid, to show it again
        self._fullscreen_before_slideshow = False
        self._scheme: str = self._setting("appearance/scheme", "system", SCHEMES)
        self.statusBar().hide()
        self.statusBar().messageChanged.connect(
            lambda text: self.statusBar().setVisible(bool(text))
        )
        self.info_dock = InfoDock(self)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.info_dock)
        self.info_dock.hide()
        self._build_watcher()
        self.setAcceptDrops(True)
        self.strip.selectionModel().currentChanged.connect(self._on_current_changed)
        self.strip.horizontalScrollBar().valueChanged.connect(self._on_strip_scrolled)
        self.strip.verticalScrollBar().valueChanged.connect(self._on_strip_scrolled)
        self.detail.photo_view.painted.connect(self.photo_shown)
        self.detail.photo_view.full_resolution_wanted.connect(self._on_full_resolution_wanted)
        self.photo_shown.connect(self._on_photo_shown)
        self.finder.filtered.connect(self._on_filtered)
        self.slideshow.advance.connect(self._on_slideshow_advance)
        self.slideshow.running_changed.connect(self._on_slideshow_running_changed)
        self._build_actions()
        self.arrange_strip(side, size_name, remember=False)
        if self._scheme != "system":
            self.set_scheme(self._scheme, remember=False)
        self.setWindowTitle("Photo Desk")

    def _build_processes(self, time_limit: float) -> ProcessPool:
        # The first worker starts now: even the first photo is read in a worker.
        return ProcessPool(self.runner.thread_count(), time_limit, warm=True)

    def _build_strip_panel(self) -> QWidget:
        """The find bar above the strip, as one piece for the splitter."""
        panel = QWidget()
        panel.setObjectName("strip_panel")
        panel.setAccessibleName("Thumbnails and Find")
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.find_bar)
        layout.addWidget(self.strip, 1)
        return panel

    def _build_slideshow(self) -> Slideshow:
        slideshow = Slideshow(self.detail.photo_view, self)
        slideshow.set_interval(self._setting("slideshow/interval", DEFAULT_INTERVAL, INTERVALS))
        slideshow.set_captions_shown(self._setting("slideshow/captions", True, (True, False)))
        return slideshow

    def _name_parts(self) -> None:
        """Accessible names for the parts Qt makes without one."""
        handle = self.splitter.handle(1)
        handle.setAccessibleName("Divider between photo and thumbnails")
        handle.setAccessibleDescription("Drag to make the thumbnails or the photo larger")
        self.menuBar().setAccessibleName("Menu bar")
        self.statusBar().setAccessibleName("Status")

    def _build_state(self) -> None:
        """What the window tracks between events, all in one place."""
        self._generation = 0
        self._listing = 0
        self._details_for: Path | None = None
        self._watched: Path | None = None
        self._snapshot: Snapshot = ()
        self._snapshots_asked = 0
        self._snapshot_applied = 0
        self._sort = "name"
        self._scan: FolderScan | None = None
        self._listed_any = False
        self._listing_target: Path | None = None
        self._auto_selected: Path | None = None
        self._messages: list[QMessageBox] = []
        self._was_maximized = False
        self._exporting = False
        self._screen_images: ByteBudgetLRU[ScreenKey, ScreenImage] = ByteBudgetLRU(
            SCREEN_IMAGE_BUDGET, lambda screen: screen.image.sizeInBytes()
        )
        self._in_flight: dict[ScreenKey, Task | None] = {}

    # --- actions and menus --------------------------------------------------------------

    def _action(
        self,
        text: str,
        shortcuts: Sequence[QKeySequence | QKeySequence.StandardKey | str],
        slot: object,
    ) -> QAction:
        action = QAction(text, self)
        action.setShortcuts([QKeySequence(s) for s in shortcuts])
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        menu = self.menuBar()
        file_menu = menu.addMenu("&File")
        file_menu.addAction(self._action("Open &Folder…", ["Ctrl+O"], self._choose_folder))
        file_menu.addAction(self._action("Open F&iles…", ["Ctrl+Shift+O"], self._choose_files))
        file_menu.addAction(self._action("Open &Gallery…", [], self._choose_gallery))
        file_menu.addAction(self._action("&Zhurong Story", [], self.open_bundled_story))
        self.recent_menu = file_menu.addMenu("&Recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        file_menu.addSeparator()
        self.export_action = self._action(
            "&Export Story as HTML…", ["Ctrl+E"], self._choose_export_target
        )
        file_menu.addAction(self.export_action)
        file_menu.addAction(
            self._action("Open Containing F&older", ["Ctrl+Alt+O"], self.open_containing_folder)
        )
        file_menu.addSeparator()
        self.quit_action = self._action("&Quit", [QKeySequence("Ctrl+Q")], self.close)
        file_menu.addAction(self.quit_action)

        edit_menu = menu.addMenu("&Edit")
        edit_menu.addAction(self._action("&Copy Photo", ["Ctrl+C"], self.copy_photo))
        edit_menu.addAction(
            self._action("Copy Caption and C&redit", ["Ctrl+Shift+C"], self.copy_caption)
        )
        edit_menu.addSeparator()
        edit_menu.addAction(self._action("&Find…", ["Ctrl+F"], self.finder.open))

        view_menu = menu.addMenu("&View")
        self.fullscreen_action = self._action("&Full Screen", ["F11", "F"], self.toggle_fullscreen)
        self.fullscreen_action.setCheckable(True)
        self.escape_action = self._action(
            "&Leave Full Screen, Slideshow or Find", ["Esc"], self._on_escape
        )
        self.info_action = self.info_dock.toggleViewAction()
        self.info_action.setText("&Info Panel")
        self.info_action.setShortcut(QKeySequence("I"))
        self.info_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.addAction(self.info_action)
        view_menu.addAction(self.info_action)
        view_menu.addAction(self.fullscreen_action)
        view_menu.addSeparator()
        photo = self.detail.photo_view
        for text, keys, slot in (
            ("Zoom &In", ["+", "="], lambda: photo.zoom_by(photo.WHEEL_STEP)),
            ("Zoom &Out", ["-"], lambda: photo.zoom_by(1 / photo.WHEEL_STEP)),
            ("&Fit to Window", ["0"], photo.fit),
            # a lambda: triggered(bool) would land in actual_size's anchor argument
            ("&Actual Pixels (100%)", ["1"], lambda: photo.actual_size()),  # noqa: PLW0108
            ("&Rotate View Right", ["Ctrl+R"], lambda: photo.rotate_view(90)),
            ("Rotate View &Left", ["Ctrl+Shift+R"], lambda: photo.rotate_view(-90)),
        ):
            view_menu.addAction(self._action(text, keys, slot))
        view_menu.addSeparator()
        self.sort_by_name_action = self._action("Sort by &Name", [], lambda: self.sort_by("name"))
        self.sort_by_date_action = self._action(
            "Sort by &Date Taken", [], lambda: self.sort_by("date")
        )
        for action in (self.sort_by_name_action, self.sort_by_date_action):
            action.setCheckable(True)
            view_menu.addAction(action)
        self.sort_by_name_action.setChecked(True)
        view_menu.addSeparator()
        self._build_strip_menus(view_menu)
        view_menu.addAction(self.escape_action)

        self._build_slideshow_menu(menu.addMenu("&Slideshow"))
        self._build_go_and_help_menus()

    def _build_slideshow_menu(self, slideshow_menu: QMenu) -> None:
        self.slideshow_action = self._action("&Start Slideshow", ["F5"], self.toggle_slideshow)
        self.pause_action = self._action("&Pause or Resume", ["Space"], self.slideshow.toggle_pause)
        self.pause_action.setEnabled(False)
        self.captions_action = self._action(
            "Show &Captions",
            ["C"],
            lambda: self.set_slideshow_captions(not self.slideshow.captions_shown()),
        )
        self.captions_action.setCheckable(True)
        self.captions_action.setChecked(self.slideshow.captions_shown())
        for action in (self.slideshow_action, self.pause_action, self.captions_action):
            slideshow_menu.addAction(action)
        interval_menu = slideshow_menu.addMenu("&Interval")
        self.interval_actions = self._choices(
            interval_menu,
            [(f"{seconds} seconds", seconds) for seconds in INTERVALS],
            self.slideshow.interval(),
            self.set_slideshow_interval,
        )

    def _build_go_and_help_menus(self) -> None:
        menu = self.menuBar()
        go_menu = menu.addMenu("&Go")
        for text, key, slot in (
            ("&Previous Photo", "Left", lambda: self.move_by(-1)),
            ("&Next Photo", "Right", lambda: self.move_by(1)),
            ("&First Photo", "Home", lambda: self.go_to(0)),
            ("&Last Photo", "End", lambda: self.go_to(self.model.rowCount() - 1)),
            ("Page &Back", "PgUp", lambda: self.move_by(-self.strip.page_size())),
            ("Page &Forward", "PgDown", lambda: self.move_by(self.strip.page_size())),
        ):
            go_menu.addAction(self._action(text, [key], slot))

        help_menu = menu.addMenu("&Help")
        help_menu.addAction(self._action("&Keyboard Shortcuts", ["F1", "?"], self.show_shortcuts))
        help_menu.addAction(self._action("&About Photo Desk", [], self._show_about))

    def _choices(
        self,
        menu: QMenu,
        options: Sequence[tuple[str, Any]],
        current: Any,
        choose: Callable[[Any], None],
    ) -> dict[Any, QAction]:
        """Radio items in ``menu``, one per option; ``choose`` is called with its value."""
        group = QActionGroup(self)
        actions: dict[Any, QAction] = {}
        for text, value in options:
            action = menu.addAction(text)
            action.setCheckable(True)
            action.setChecked(value == current)
            action.triggered.connect(lambda _checked=False, v=value: choose(v))
            group.addAction(action)
            actions[value] = action
        return actions

    def _build_strip_menus(self, view_menu: QMenu) -> None:
        self.size_actions = self._choices(
            view_menu.addMenu("&Thumbnail Size"),
            [("&Small", "small"), ("&Medium", "medium"), ("&Large", "large")],
            self._setting("strip/thumbnail_size", "medium", THUMB_SIZES),
            lambda name: self.arrange_strip(self.strip.side(), name),
        )
        self.side_actions = self._choices(
            view_menu.addMenu("Thumbnails &Position"),
            [("At the &Bottom", "bottom"), ("On the &Left", "left")],
            self._setting("strip/side", "bottom", STRIP_SIDES),
            lambda side: self.arrange_strip(side, self._thumb_size_name()),
        )
        self.scheme_actions = self._choices(
            view_menu.addMenu("&Appearance"),
            [("Follow the &System", "system"), ("&Light", "light"), ("&Dark", "dark")],
            self._scheme,
            self.set_scheme,
        )

    def _build_watcher(self) -> None:
        """Watching the open folder: changes are gathered for a moment, then re-listed."""
        self._watcher = QFileSystemWatcher(self)
        self._watcher.directoryChanged.connect(self._on_folder_changed)
        self._watcher.fileChanged.connect(self._on_photo_file_changed)
        self._photo_settle = QTimer(self)
        self._photo_settle.setSingleShot(True)
        self._photo_settle.setInterval(WATCH_SETTLE_MS)
        self._photo_settle.timeout.connect(self._on_photo_settle_timeout)
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(WATCH_SETTLE_MS)
        self._settle.timeout.connect(self._on_settle_timeout)

    # --- opening ------------------------------------------------------------------------

    def open_path(self, path: Path) -> None:
        """Open a folder, a gallery manifest, or an image (its folder, with it selected)."""
        path = path.absolute()
        if path.is_dir() and (path / MANIFEST_NAME).is_file():
            self._open_manifest(path / MANIFEST_NAME)
        elif path.is_dir():
            self._list_folder(path, select=None)
        elif path.is_file() and path.suffix.lower() == ".json":
            self._open_manifest(path)
        elif path.is_file() and is_image(path):
            self._list_folder(path.parent, select=path)
        elif path.exists():
            self.show_problem("Cannot open this file", f"{path}: not an image or a gallery")
        else:
            self.show_problem("Cannot open", f"{path}: no such file or folder")

    def open_files(self, paths: list[Path]) -> None:
        """Open one path as :meth:`open_path` does; several images as a gallery of them."""
        if len(paths) == 1:
            self.open_path(paths[0])
            return
        images = [p.absolute() for p in paths if p.is_file() and is_image(p)]
        if not images:
            self.show_problem("Cannot open", "None of these files is an image Photo Desk opens.")
            return
        self.set_gallery(files_gallery(images[0].parent, images, f"{len(images)} photos"))

    def recent(self) -> list[Path]:
        """What was opened lately, most recent first (at most RECENT_LIMIT)."""
        if self._settings is None:
            return []
        value = self._settings.value("recent", [])
        # INI files give back a single entry as a string and several as a list.
        entries = [value] if isinstance(value, str) else value if isinstance(value, list) else []
        return [Path(entry) for entry in entries if isinstance(entry, str) and entry]

    def _remember(self, path: Path) -> None:
        if self._settings is None or path == bundled_gallery_path():
            return
        entries = [path, *(p for p in self.recent() if p != path)][:RECENT_LIMIT]
        self._settings.setValue("recent", [str(p) for p in entries])
        self._settings.sync()

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        entries = self.recent()
        for path in entries:
            action = self.recent_menu.addAction(str(path).replace("&", "&&"))
            action.triggered.connect(lambda _checked=False, p=path: self.open_path(p))
        if entries:
            self.recent_menu.addSeparator()
            self.recent_menu.addAction("Clear Recent", self._clear_recent)
        else:
            self.recent_menu.addAction("Nothing opened yet").setEnabled(False)

    def _clear_recent(self) -> None:
        if self._settings is not None:
            self._settings.remove("recent")
            self._settings.sync()

    def open_last_or_bundled(self) -> None:
        """What was open last time, if it is still there; otherwise the bundled story."""
        last = next((path for path in self.recent() if path.exists()), None)
        if last is not None:
            self.open_path(last)
        else:
            self.open_bundled_story()

    def open_bundled_story(self) -> None:
        self._open_manifest(bundled_gallery_path())

    def _open_manifest(self, manifest: Path) -> None:
        try:
            self.set_gallery(load_manifest(manifest))
        except ManifestError as exc:
            self.show_problem("Cannot open this gallery", str(exc))
            return
        self._remember(manifest)

    def _list_folder(self, folder: Path, select: Path | None) -> None:
        """List the folder in the pool a batch at a time; photos show as they are found."""
        self._listing += 1
        self._end_scan()
        self._listed_any = False
        self._listing_target = select or folder
        self._auto_selected = None
        self.setWindowTitle(f"{folder.name or folder} — listing…")
        self.runner.submit(
            self._on_batch_listed,
            str(folder),
            self._listing,
            _start_scan,
            folder,
            priority=PRIORITY_CURRENT,
        )

    def _end_scan(self) -> None:
        if self._scan is not None:
            self._scan.close()
            self._scan = None

    def _on_batch_listed(self, result: TaskResult) -> None:
        folder = Path(result.key)
        if result.generation != self._listing:
            if result.error is None:
                result.value.scan.close()  # an abandoned scan still holds its directory open
            return
        if result.error is not None:
            self.show_problem("Cannot open this folder", f"{folder}: {result.error}")
            return
        listed: _Listed = result.value
        self._scan = listed.scan
        first = not self._listed_any
        if listed.added:
            self._show_listed(folder, listed, first=first)
            self._listed_any = True
        if not listed.scan.done:
            self.runner.submit(
                self._on_batch_listed,
                str(folder),
                self._listing,
                _next_batch,
                listed.scan,
                listed.merged,
                priority=PRIORITY_CURRENT,
            )
            return
        self._scan = None
        if not listed.merged:
            self.show_problem("No photos here", f"{folder}: this folder holds no images.")
            return
        self._snapshots_asked += 1
        self.runner.submit(
            self._on_folder_listed,
            str(folder),
            self._listing,
            _numbered_snapshot,
            self._snapshots_asked,
            folder,
        )

    def _show_listed(self, folder: Path, listed: _Listed, *, first: bool) -> None:
        """Show what is listed so far. Until the user moves, the selection follows the
        photo they asked for (or the folder's first); after that it stays where they are."""
        gallery = listed.gallery
        current = self.model.photo(self.current_row())
        if first:
            self.set_gallery(gallery)
            self._watch(folder)  # from now on: nothing that changes can slip through
        else:
            self.model.grow_gallery(gallery, listed.rows)
        target = self._listing_target
        wanted = self.model.row_of(target) if target is not None and target != folder else 0
        untouched = first or (current is not None and current.path == self._auto_selected)
        if untouched and wanted >= 0:
            self.go_to(wanted)
        elif current is not None:
            self.go_to(self.model.row_of(current.path))
        chosen = self.model.photo(self.current_row())
        self._auto_selected = chosen.path if untouched and chosen is not None else None

    def _forget_screen_images(self, paths: set[Path]) -> None:
        for key in [k for k in self._screen_images.held() if k[0] in paths]:
            self._screen_images.discard(key)

    def _on_folder_listed(self, result: TaskResult) -> None:
        """The whole folder is listed: follow it from now on."""
        folder = Path(result.key)
        if result.generation != self._listing or result.error is not None:
            return
        self._apply_snapshot(folder, *result.value)  # files that came while it was listed
        if self._listing_target is not None:
            self._remember(self._listing_target)
        if self._sort != "name":
            self.sort_by(self._sort)

    def _watch(self, folder: Path | None, snapshot: Snapshot = ()) -> None:
        """Follow changes in ``folder`` (None: stop following)."""
        if self._watcher.files() or self._watcher.directories():
            self._watcher.removePaths(self._watcher.files() + self._watcher.directories())
        self._watched, self._snapshot = folder, snapshot
        if folder is not None:
            self._watcher.addPath(str(folder))
            current = self.model.photo(self.current_row())
            if current is not None:
                self._watch_current_file(current.path)

    def _watch_current_file(self, path: Path) -> None:
        """Also follow the photo on screen: a rewrite in place does not touch its folder."""
        if self._watched is None:
            return
        stale = [f for f in self._watcher.files() if Path(f) != path]
        if stale:
            self._watcher.removePaths(stale)
        if str(path) not in self._watcher.files():
            self._watcher.addPath(str(path))

    def _on_folder_changed(self, _path: str) -> None:
        self._settle.start()

    def _on_photo_file_changed(self, _path: str) -> None:
        self._photo_settle.start()  # the photo on screen was written to: show it anew
        self._settle.start()  # and its size and time in the snapshot change too

    def _on_photo_settle_timeout(self) -> None:
        photo = self.model.photo(self.current_row())
        if photo is None or not photo.path.exists():
            return  # removed or renamed: the folder's re-listing takes care of it
        self._forget_screen_images({photo.path})
        self._show_row(self.current_row())

    def _on_settle_timeout(self) -> None:
        if self._scan is not None:
            self._settle.start()  # still listing: the final snapshot comes after it
            return
        if self._watched is not None:
            self._snapshots_asked += 1
            self.runner.submit(
                self._on_folder_relisted,
                str(self._watched),
                self._listing,
                _numbered_snapshot,
                self._snapshots_asked,
                self._watched,
            )

    def _on_folder_relisted(self, result: TaskResult) -> None:
        folder = Path(result.key)
        if result.generation != self._listing or folder != self._watched:
            return  # another gallery was opened meanwhile
        if result.error is None:
            self._apply_snapshot(folder, *result.value)

    def _apply_snapshot(self, folder: Path, number: int, snapshot: Snapshot) -> None:
        """Bring the gallery in line with ``snapshot`` of its folder, and keep it as the
        baseline for the next change. Files added, removed, renamed or rewritten since the
        last snapshot (or since the batches were listed) change the gallery."""
        if number <= self._snapshot_applied:
            return  # a newer snapshot is already in
        self._snapshot_applied = number
        old = {path: (mtime, size) for path, mtime, size in self._snapshot}
        rewritten = {p for p, m, s in snapshot if p in old and old[p] != (m, s)}
        self._snapshot = snapshot
        gallery = self.model.gallery()
        paths = [path for path, _, _ in snapshot]
        shown = {photo.path for photo in gallery.photos} if gallery is not None else set()
        if shown == set(paths) and not rewritten:
            return
        current = self.model.photo(self.current_row())
        row = self.current_row()
        updated = files_gallery(folder, paths)
        self._forget_screen_images(rewritten)
        self.finder.forget_files(rewritten)
        self.set_gallery(updated, keep_screen_images=True)
        keep = updated.index_of(current.path) if current is not None else -1
        self.go_to(keep if keep >= 0 else min(row, len(updated) - 1))
        if current is not None and current.path in rewritten:
            self._show_row(self.current_row())  # same photo, new pixels and metadata
        if self._sort != "name":
            self.sort_by(self._sort)

    def _choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Open Folder")
        if folder:
            self.open_path(Path(folder))

    def _choose_files(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(
            self,
            "Open Files",
            "",
            "Images (*.jpg *.jpeg *.png *.gif *.webp *.tif *.tiff "
            "*.bmp *.heic *.heif *.avif *.mpo);;All files (*)",
        )
        if names:
            self.open_files([Path(n) for n in names])

    def _choose_gallery(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "Open Gallery", "", "Gallery (*.json)")
        if name:
            self.open_path(Path(name))

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if any(url.isLocalFile() for url in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(url.toLocalFile()) for url in event.mimeData().urls() if url.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.open_files(paths)

    # --- gallery and navigation ---------------------------------------------------------

    def sort_by(self, order: str) -> None:
        """Order the photos by ``"name"`` (natural) or ``"date"`` taken (read in the pool)."""
        self._sort = order
        self.sort_by_name_action.setChecked(order == "name")
        self.sort_by_date_action.setChecked(order == "date")
        gallery = self.model.gallery()
        if gallery is None:
            return
        if order == "name":
            self._reorder({photo.path: natural_key(photo.path.name) for photo in gallery.photos})
        else:
            paths = [photo.path for photo in gallery.photos]
            # Headers only: a few milliseconds a file; a file that hangs stops the sort.
            limit = self._time_limit + 0.02 * len(paths)
            self.runner.submit(
                self._on_dates_read,
                str(gallery.source),
                self._listing,
                functools.partial(self.processes.call, time_limit=limit),
                "sorting by date",
                dates_taken,
                paths,
                priority=PRIORITY_CURRENT,
                time_limit=limit,
            )

    def _on_dates_read(self, result: TaskResult) -> None:
        if result.generation == self._listing and result.error is not None:
            self.show_problem("Cannot sort by date taken", str(result.error))
        if result.generation == self._listing and result.error is None and self._sort == "date":
            dates: dict[Path, Any] = result.value
            self._reorder({path: (date, natural_key(path.name)) for path, date in dates.items()})

    def _reorder(self, keys: dict[Path, Any]) -> None:
        """Put the gallery's photos in the order of ``keys``, keeping the current one."""
        gallery = self.model.gallery()
        if gallery is None or set(keys) != {photo.path for photo in gallery.photos}:
            return  # the gallery changed while the keys were being made
        current = self.model.photo(self.current_row())
        photos = tuple(sorted(gallery.photos, key=lambda photo: keys[photo.path]))
        if photos == gallery.photos:
            return
        reordered = dataclasses.replace(gallery, photos=photos)
        self.set_gallery(reordered, keep_screen_images=True)
        if current is not None:
            self.go_to(reordered.index_of(current.path))

    def set_gallery(self, gallery: Gallery, *, keep_screen_images: bool = False) -> None:
        """Show ``gallery`` and select its first photo."""
        if not keep_screen_images:
            self._screen_images.clear()  # the last gallery's photos are not coming back soon
            self._watch(None)
            self.finder.forget_files()
        self.model.set_device_pixel_ratio(self.devicePixelRatioF())
        self.model.set_gallery(gallery)
        self.go_to(0)

    def current_row(self) -> int:
        return self.strip.currentIndex().row()

    def go_to(self, row: int, step: int = 1) -> None:
        """Select ``row``; when Find hides it, the nearest shown row in ``step``'s direction
        (or, past the end, the other way)."""
        count = self.model.rowCount()
        if count == 0:
            return
        row = self._shown_row(min(max(row, 0), count - 1), step)
        if row < 0:
            return
        index = self.model.index(row)
        self.strip.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect
        )
        self.strip.scrollTo(index)

    def move_by(self, step: int) -> None:
        """Move ``step`` shown photos on (negative: back), stopping at either end."""
        row = max(self.current_row(), 0)
        direction = 1 if step >= 0 else -1
        for _ in range(abs(step)):
            following = self._shown_row(row + direction, direction, wrap=False)
            if following < 0:
                break
            row = following
        self.go_to(row, direction)

    def _shown_row(self, row: int, step: int, *, wrap: bool = True) -> int:
        """``row`` if Find shows it, else the next shown row towards ``step`` (-1: none)."""
        count = self.model.rowCount()
        if not self.finder.is_active():
            return row if 0 <= row < count else -1
        direction = 1 if step >= 0 else -1
        probe = row
        while 0 <= probe < count:
            if not self.strip.isRowHidden(probe):
                return probe
            probe += direction
        if not wrap:
            return -1
        probe = row - direction
        while 0 <= probe < count:
            if not self.strip.isRowHidden(probe):
                return probe
            probe -= direction
        return -1

    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            return
        photo, gallery = self.model.photo(current.row()), self.model.gallery()
        if (
            photo is not None
            and gallery is not None
            and photo.path == self.detail.photo_view.path()
        ):
            # The same photo at a new row (the folder grew or was re-sorted): only the
            # position in the title changes.
            self.setWindowTitle(f"{gallery.title} — {current.row() + 1} of {len(gallery)}")
            return
        self._show_row(current.row())

    def _show_row(self, row: int) -> None:
        gallery, photo = self.model.gallery(), self.model.photo(row)
        if gallery is None or photo is None:
            return
        self._generation += 1
        self.setWindowTitle(f"{gallery.title} — {row + 1} of {len(gallery)}")
        view = self.detail.photo_view
        ready = self._screen_images.get((photo.path, self._screen_pixels()))
        if ready is not None:
            # prefetched: no "Loading…" in between
            view.show_image(photo.path, ready.image, QSize(*ready.full_size))
            self._animate_if_animated(photo.path)
        else:
            view.show_loading(photo.path, photo.alt_text)
            self._decode_for_screen(photo.path, PRIORITY_CURRENT)
        view.setAccessibleDescription(photo.alt_text or photo.caption)
        self._watch_current_file(photo.path)
        self.detail.info.show_photo(gallery, photo)
        self.slideshow.show_photo_text(self._caption_lines(with_title=True))
        self.info_dock.show_metadata(photo.path, None)
        self.runner.submit(
            self._on_metadata_read,
            str(photo.path),
            self._generation,
            self.processes.call,
            photo.path.name,
            read_metadata,
            photo.path,
            time_limit=self._time_limit,
        )
        neighbours = [p for p in (self.model.photo(row + 1), self.model.photo(row - 1)) if p]
        # Someone holding an arrow key skips photos: drop their decodes if not yet started.
        wanted = {photo.path, *(p.path for p in neighbours)}
        for key, task in list(self._in_flight.items()):
            if key[0] not in wanted and self.runner.cancel(task):
                del self._in_flight[key]
        for near in neighbours:
            if (near.path, self._screen_pixels()) not in self._screen_images:
                self._decode_for_screen(near.path, PRIORITY_NEIGHBOUR)

    def _decode_for_screen(self, path: Path, priority: int) -> None:
        key = (path, self._screen_pixels())
        if key in self._in_flight:
            return
        self._in_flight[key] = self.runner.submit(
            self._on_photo_decoded,
            str(path),
            self._generation,
            decode_for_screen,
            path,
            key[1],
            self.processes,
            priority=priority,
            time_limit=self._time_limit,
        )

    def _screen_pixels(self) -> tuple[int, int]:
        """Decode for the screen, not the file: the largest the picture can be shown."""
        screen = self.screen().size()
        ratio = self.devicePixelRatioF()
        width = max(screen.width(), self.width())
        height = max(screen.height(), self.height())
        return (round(width * ratio), round(height * ratio))

    def _on_photo_decoded(self, result: TaskResult) -> None:
        path = Path(result.key)
        self._in_flight = {k: t for k, t in self._in_flight.items() if k[0] != path}
        view = self.detail.photo_view
        if result.error is not None:
            if view.path() == path and not view.has_picture():
                view.show_error(path, str(result.error))
            return
        screen: ScreenImage = result.value
        self._screen_images.put((path, self._screen_pixels()), screen)
        if view.path() == path and not view.has_picture():
            view.show_image(path, screen.image, QSize(*screen.full_size))
            self._animate_if_animated(path)

    def _animate_if_animated(self, path: Path) -> None:
        """GIF, WebP and PNG may be animations: decode their frames and play them."""
        if path.suffix.lower() not in ANIMATABLE_SUFFIXES:
            return
        self.runner.submit(
            self._on_animation_decoded,
            str(path),
            self._generation,
            decode_animation,
            path,
            self._screen_pixels(),
            self.processes,
            None,
            3 * self._time_limit,
            priority=PRIORITY_NEIGHBOUR,
        )

    def _on_animation_decoded(self, result: TaskResult) -> None:
        animation: AnimationFrames | None = result.value
        if animation is not None and self._is_current(result):
            self.detail.photo_view.play(
                Path(result.key), animation.frames, animation.durations, animation.loops
            )

    def details_ready(self) -> bool:
        """True once the current photo's own metadata is in the information column."""
        photo = self.model.photo(self.current_row())
        return photo is not None and self._details_for == photo.path

    def screen_images_held(self) -> int:
        """How many photos are decoded at screen size right now (current, neighbours...)."""
        return len(self._screen_images)

    def visible_thumbnails_ready(self) -> bool:
        """True when every tile in view shows its real thumbnail (or its error)."""
        states = (self.model.thumbnail_state(row) for row in self.strip.visible_rows())
        return all(state in ("final", "error") for state in states)

    def _on_full_resolution_wanted(self, path: str) -> None:
        """Zoomed past what the screen-size decode holds: decode every pixel of the file."""
        photo = self.model.photo(self.current_row())
        original = self.detail.photo_view.original_size()
        self.runner.submit(
            self._on_full_resolution_decoded,
            path,
            self._generation,
            decode_full_resolution,
            Path(path),
            (original.width(), original.height()),
            self.processes,
            photo.root if photo is not None else None,
            3 * self._time_limit,
            priority=PRIORITY_CURRENT,
        )

    def _on_full_resolution_decoded(self, result: TaskResult) -> None:
        if result.error is None:
            self.detail.photo_view.show_full_resolution(Path(result.key), result.value)

    def _on_strip_scrolled(self, _value: int) -> None:
        self.model.cancel_except(self.strip.visible_rows())

    def _on_photo_shown(self, _path: str) -> None:
        self.model.start_background()
        self.slideshow.photo_painted()

    def _is_current(self, result: TaskResult) -> bool:
        view_path = self.detail.photo_view.path()
        return result.generation == self._generation and view_path == Path(result.key)

    def _on_metadata_read(self, result: TaskResult) -> None:
        photo = self.model.photo(self.current_row())
        if not self._is_current(result) or photo is None:
            return
        metadata: PhotoMetadata | None = result.value
        self.detail.info.show_metadata(photo, metadata, str(result.error or ""))
        self.info_dock.show_metadata(photo.path, metadata)
        self._details_for = photo.path
        self.slideshow.show_photo_text(self._caption_lines(with_title=True))
        if not (photo.alt_text or photo.caption) and metadata is not None and metadata.caption:
            self.detail.photo_view.setAccessibleDescription(metadata.caption)

    # --- thumbnails, appearance, settings ---------------------------------------------

    def _setting(self, key: str, default: Any, allowed: Any) -> Any:
        """A stored setting, if it is one of ``allowed``; otherwise ``default``."""
        if self._settings is None:
            return default
        value = self._settings.value(key, default)
        if isinstance(default, bool) and not isinstance(value, bool):
            value = str(value).lower() in ("true", "1")
        elif isinstance(default, int) and not isinstance(default, bool):
            try:
                value = int(str(value))
            except ValueError:
                return default
        return value if value in allowed else default

    def _store(self, key: str, value: object) -> None:
        if self._settings is not None:
            self._settings.setValue(key, value)
            self._settings.sync()

    def _thumb_size_name(self) -> str:
        size = self.model.thumb_size()
        return next((name for name, s in THUMB_SIZES.items() if s == size), "medium")

    def arrange_strip(self, side: str, size_name: str, *, remember: bool = True) -> None:
        """Thumbnails at ``size_name`` along the ``side`` of the window (remembered
        unless ``remember`` is False)."""
        vertical = side == "left"
        self.model.set_thumb_size(THUMB_SIZES[size_name])
        self.strip.arrange(THUMB_SIZES[size_name], side)
        self.find_bar.set_compact(compact=vertical)
        orientation = Qt.Orientation.Horizontal if vertical else Qt.Orientation.Vertical
        if self.splitter.orientation() != orientation:
            self.splitter.setOrientation(orientation)
            self.splitter.insertWidget(0 if vertical else 1, self.strip_panel)
        self.splitter.setStretchFactor(self.splitter.indexOf(self.detail), 1)
        self.splitter.setStretchFactor(self.splitter.indexOf(self.strip_panel), 0)
        self.size_actions[size_name].setChecked(True)
        self.side_actions[side].setChecked(True)
        if remember:
            self._store("strip/thumbnail_size", size_name)
            self._store("strip/side", side)

    def set_scheme(self, scheme: str, *, remember: bool = True) -> None:
        """Light, dark, or the system's (remembered unless ``remember`` is False)."""
        self._scheme = scheme
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_scheme(app, scheme)
        self.scheme_actions[scheme].setChecked(True)
        if remember:
            self._store("appearance/scheme", scheme)

    def scheme(self) -> str:
        return self._scheme

    # --- find ---------------------------------------------------------------------------

    def _on_filtered(self) -> None:
        """Find changed the rows shown: keep a shown photo current."""
        row = self.current_row()
        if row < 0 or self.strip.isRowHidden(row):
            self.go_to(max(row, 0))
        else:
            self.strip.scrollTo(self.model.index(row))

    # --- slideshow ----------------------------------------------------------------------

    def toggle_slideshow(self) -> None:
        if self.slideshow.is_running():
            self.slideshow.stop()
        else:
            self.slideshow.start()

    def set_slideshow_interval(self, seconds: int) -> None:
        self.slideshow.set_interval(seconds)
        self.interval_actions[seconds].setChecked(True)
        self._store("slideshow/interval", seconds)

    def set_slideshow_captions(self, shown: bool) -> None:
        self.slideshow.set_captions_shown(shown)
        self.captions_action.setChecked(shown)
        self._store("slideshow/captions", shown)

    def _on_slideshow_advance(self) -> None:
        row = self.current_row()
        following = self._shown_row(row + 1, 1, wrap=False)
        self.go_to(following if following >= 0 else 0)  # from the end, round again

    def _on_slideshow_running_changed(self, running: bool) -> None:
        """Only the photo while it runs: full screen, strip and information put away."""
        self.pause_action.setEnabled(running)
        self.slideshow_action.setText("&Stop Slideshow" if running else "&Start Slideshow")
        if running:
            self._fullscreen_before_slideshow = self.isFullScreen()
            chrome = [self.strip_panel, self.detail.info_column, self.info_dock]
            self._chrome = {widget: widget.isVisible() for widget in chrome}
            for widget in self._chrome:
                widget.hide()
            if not self.isFullScreen():
                self.toggle_fullscreen()
            self.detail.photo_view.set_focus_ring(shown=False)  # nothing but the photo
            self.detail.photo_view.setFocus(Qt.FocusReason.OtherFocusReason)
            self.slideshow.photo_painted()  # the photo on screen is the first one
        else:
            for widget, visible in self._chrome.items():
                widget.setVisible(visible)
            self._chrome = {}
            self.detail.photo_view.set_focus_ring(shown=True)
            if not self._fullscreen_before_slideshow:
                self.leave_fullscreen()
            self.strip.setFocus(Qt.FocusReason.OtherFocusReason)

    def _on_escape(self) -> None:
        """Esc leaves what was entered last: Find, then the slideshow, then full screen."""
        if self.find_bar.isVisible() and (
            self.finder.is_active() or self.find_bar.field.hasFocus()
        ):
            self.finder.close()
        elif self.slideshow.is_running():
            self.slideshow.stop()
        else:
            self.leave_fullscreen()

    # --- sharing ------------------------------------------------------------------------

    def open_containing_folder(self) -> None:
        """Show the current photo's folder in the desktop's file manager."""
        photo = self.model.photo(self.current_row())
        if photo is None:
            return
        folder = photo.path.parent
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder))):
            self.show_problem("Cannot open the folder", f"{folder}: no file manager answered")

    def shown_photos(self) -> list[Photo]:
        """The photos the strip shows (all of them, or what Find matched), in order."""
        gallery = self.model.gallery()
        if gallery is None:
            return []
        if not self.finder.is_active():
            return list(gallery.photos)
        return [gallery.photos[row] for row in self.finder.shown_rows()]

    def _choose_export_target(self) -> None:
        gallery = self.model.gallery()
        if gallery is None or self._exporting:
            return
        folder = self.model.photo(max(self.current_row(), 0))
        start = (
            Path.home()
            if gallery.source == bundled_gallery_path() or folder is None
            else folder.path.parent
        )
        name = "".join(c if c.isalnum() or c in " -_" else "_" for c in gallery.title).strip()
        target, _ = QFileDialog.getSaveFileName(
            self,
            "Export Story as HTML",
            str(start / f"{name or 'story'}.html"),
            "Web page (*.html)",
        )
        if target:
            self.export_story_to(Path(target))

    def export_story_to(self, target: Path) -> None:
        """Write the shown photos as one self-contained web page (in the pool)."""
        gallery = self.model.gallery()
        photos = self.shown_photos()
        if gallery is None or not photos or self._exporting:
            return
        # Pillow is loaded only now: the window's first paint does not wait for it.
        from viewer.imaging.story_export import export_story  # noqa: PLC0415

        self._exporting = True
        self.export_action.setEnabled(False)
        self.statusBar().showMessage(f"Exporting {len(photos):,} photos to {target}…")
        self.runner.submit(
            self._on_story_exported,
            str(target),
            0,
            export_story,
            gallery,
            photos,
            target,
            None,
            self.processes,
        )

    def _on_story_exported(self, result: TaskResult) -> None:
        self._exporting = False
        self.export_action.setEnabled(True)
        self.statusBar().clearMessage()
        if result.error is not None:
            self.show_problem("The story was not exported", str(result.error))
            return
        report: ExportReport = result.value
        lines = [
            f"{report.target}",
            f"{report.pictures:,} {'picture' if report.pictures == 1 else 'pictures'}, "
            f"{report.size / 1_048_576:.1f} MB, one file that opens in any browser, offline.",
        ]
        if report.problems:
            lines += ["", "Left out, with a note in the page:", *report.problems]
        icon = QMessageBox.Icon.Warning if report.problems else QMessageBox.Icon.Information
        self._show_message(icon, "Story exported", "\n".join(lines))
        self.story_exported.emit(str(report.target))

    # --- window state -------------------------------------------------------------------

    def toggle_fullscreen(self) -> None:
        if self.isFullScreen():
            self.leave_fullscreen()
        else:
            self._was_maximized = self.isMaximized()
            self.menuBar().hide()
            self.showFullScreen()
            self.fullscreen_action.setChecked(True)

    def leave_fullscreen(self) -> None:
        if not self.isFullScreen():
            return
        self.menuBar().show()
        if self._was_maximized:
            self.showMaximized()
        else:
            self.showNormal()
        self.fullscreen_action.setChecked(False)

    def show_problem(self, title: str, text: str) -> None:
        """Tell the user about a problem without blocking the window."""
        self._show_message(QMessageBox.Icon.Warning, title, text)

    def _show_message(
        self, icon: QMessageBox.Icon, title: str, text: str, *, fixed_width: bool = False
    ) -> QMessageBox:
        """A non-modal message in plain text (never markup), closed with the window."""
        box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        if fixed_width:
            box.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
            box.setStyleSheet("QLabel { min-width: 36em; }")  # one shortcut to a line
        box.setModal(False)
        box.finished.connect(lambda _code: self._messages.remove(box))
        self._messages.append(box)
        box.show()
        return box

    def copy_photo(self) -> None:
        """Put the photo on the clipboard, at the best resolution decoded so far."""
        image = self.detail.photo_view.current_image()
        if image is not None:
            QApplication.clipboard().setImage(image)

    def _caption_lines(self, *, with_title: bool = False) -> list[str]:
        """Caption and credit as shown (the gallery's words, else the file's own)."""
        info = self.detail.info
        lines = [
            info.title.text() if with_title else "",
            info.caption.text() if info.caption.isVisibleTo(info) else "",
            info.credit.text() if info.credit.isVisibleTo(info) else "",
        ]
        return [line for line in lines if line]

    def copy_caption(self) -> None:
        """Caption and credit as plain text, ready to paste under the photo in an article."""
        text = "\n".join(self._caption_lines())
        if text:
            QApplication.clipboard().setText(text)

    def shortcut_lines(self) -> list[str]:
        """Every action that has a shortcut, as "keys  what it does" (for F1)."""
        lines = []
        for action in self.actions():
            keys = ", ".join(
                k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts()
            )
            if keys:
                lines.append(f"{keys:<20} {action.text().replace('&', '')}")
        return sorted(set(lines), key=str.casefold)

    def show_shortcuts(self) -> None:
        self._show_message(
            QMessageBox.Icon.Information,
            "Keyboard Shortcuts",
            "\n".join(self.shortcut_lines()),
            fixed_width=True,
        )

    def restore_layout(self) -> bool:
        """Put the window back as the user left it; False when nothing was saved."""
        if self._settings is None:
            return False
        geometry = self._settings.value("window/geometry")
        if not isinstance(geometry, QByteArray) or geometry.isEmpty():
            return False
        self.restoreGeometry(geometry)
        for key, restore in (
            ("window/state", self.restoreState),
            ("window/splitter", self.splitter.restoreState),
            ("window/detail", self.detail.restoreState),
        ):
            value = self._settings.value(key)
            if isinstance(value, QByteArray):
                restore(value)
        return True

    def _save_layout(self) -> None:
        if self._settings is None:
            return
        self._settings.setValue("window/geometry", self.saveGeometry())
        self._settings.setValue("window/state", self.saveState())
        self._settings.setValue("window/splitter", self.splitter.saveState())
        self._settings.setValue("window/detail", self.detail.saveState())
        self._settings.sync()

    def about_text(self) -> str:
        # importlib.metadata costs ~20 ms: loaded when About is asked for, not at start.
        from viewer.licences import about_lines  # noqa: PLC0415

        return "\n".join(about_lines(__version__, qVersion()))

    def _show_about(self) -> None:
        self._show_message(QMessageBox.Icon.Information, "About Photo Desk", self.about_text())

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.model.set_device_pixel_ratio(self.devicePixelRatioF())
        if self.focusWidget() is None:
            self.strip.setFocus(Qt.FocusReason.OtherFocusReason)  # arrows move through photos

    def closeEvent(self, event: QCloseEvent) -> None:
        self._save_layout()
        for box in list(self._messages):
            box.close()
        self.processes.close()  # first: a thread waiting on a busy worker is let go at once
        self.runner.shutdown()
        super().closeEvent(event)
