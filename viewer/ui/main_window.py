"""The main window: layout and wiring. What it shows lives in the viewer state.

The detail pane (the photo and its words) sits above the thumbnail strip, with Find
above the strip and a splitter between; the info panel docks on the right. The window
builds them, connects them to :class:`~viewer.ui.state.ViewerState` (whose signals say
what to show) and hands commands to the state, to :class:`Presentation` (full screen,
slideshow) and to :class:`Sharing` (copy, export). Menus and shortcuts come from
:class:`Actions`.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSize, Qt, Signal, qVersion
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QPlainTextEdit,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from viewer import __version__
from viewer.captions import PhotoText
from viewer.imaging.decode import ScreenImage
from viewer.model import Photo
from viewer.ui.actions import Actions, shortcut_lines
from viewer.ui.appearance import SCHEMES, apply_scheme
from viewer.ui.desk import CaptionDesk
from viewer.ui.detail_pane import SOFT_BREAK, DetailPane
from viewer.ui.find import FindBar
from viewer.ui.info_panel import InfoDock
from viewer.ui.messages import Messages
from viewer.ui.preferences import Preferences
from viewer.ui.presentation import Presentation
from viewer.ui.sharing import Sharing
from viewer.ui.state import ViewerState
from viewer.ui.story_desk import StoryDesk
from viewer.ui.strip import THUMB_SIZES, ThumbnailStrip

IMAGE_FILTER = (
    "Images (*.jpg *.jpeg *.png *.gif *.webp *.tif *.tiff *.bmp *.heic *.heif *.avif *.mpo);;"
    "All files (*)"
)


class MainWindow(QMainWindow):
    """Photo Desk's window.

    Signals:
        photo_shown(object): the current photo (or its error) has been painted; its Path.
    """

    photo_shown = Signal(object)

    def __init__(
        self, state: ViewerState, preferences: Preferences, parent: QWidget | None = None
    ) -> None:
        """The window over ``state``, remembering choices in ``preferences``."""
        super().__init__(parent)
        self.setObjectName("main_window")
        self.state = state
        self.preferences = preferences
        self.messages = Messages(self)
        self.detail = DetailPane()
        self.find_bar = FindBar()
        self.strip = ThumbnailStrip(THUMB_SIZES[preferences.thumbnail_size()])
        self.strip.setModel(state.shown)
        self.strip.setSelectionModel(state.selection)
        self.strip_panel = self._strip_panel()
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setObjectName("main_splitter")
        self.splitter.setAccessibleName("Photo Desk")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.detail)
        self.splitter.addWidget(self.strip_panel)
        self.setCentralWidget(self.splitter)
        self.info_dock = InfoDock(self)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.info_dock)
        self.info_dock.hide()
        self.statusBar().hide()
        self.statusBar().messageChanged.connect(lambda t: self.statusBar().setVisible(bool(t)))
        self.statusBar().setAccessibleName("Status")
        self.menuBar().setAccessibleName("Menu bar")
        self._scheme = preferences.scheme()
        chrome = [self.strip_panel, self.detail.info_column, self.info_dock]
        self.presentation = Presentation(self, self.detail.photo_view, chrome, state, preferences)
        self.sharing = Sharing(state, self.messages, self)
        self.desk = CaptionDesk(self)
        self.stories = StoryDesk(self)
        state.opener.may_leave = self.confirm_close
        self.menus = Actions(self)
        self._wire()
        self.arrange_strip(preferences.strip_side(), preferences.thumbnail_size(), remember=False)
        if self._scheme != "system":
            self.set_scheme(self._scheme, remember=False)
        self.setAcceptDrops(True)
        self.setWindowTitle("Photo Desk")

    def _strip_panel(self) -> QWidget:
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

    def _wire(self) -> None:
        state, view = self.state, self.detail.photo_view
        state.title_changed.connect(lambda title: self.setWindowTitle(title or "Photo Desk"))
        state.current_changed.connect(self._on_current_changed)
        state.text_changed.connect(self._on_text_changed)
        state.photo_ready.connect(self._on_photo_ready)
        state.photo_failed.connect(self._on_photo_failed)
        state.full_resolution_ready.connect(view.show_full_resolution)
        state.animation_ready.connect(
            lambda path, frames: view.play(path, frames.frames, frames.durations, frames.loops)
        )
        state.metadata_ready.connect(self._on_metadata_ready)
        state.shown_changed.connect(self._on_shown_changed)
        state.problem.connect(self.show_problem)
        state.opened.connect(self.preferences.remember)
        view.painted.connect(self.photo_shown)
        self.detail.info.edit_button.clicked.connect(self.desk.open)
        self.detail.info.find_button.clicked.connect(self.stories.find_again)
        self.strip.rows_dropped.connect(self.stories.move_rows)
        state.gallery_changed.connect(lambda _g: self._show_order())
        state.details_changed.connect(self._on_details_changed)
        state.shown_changed.connect(self._show_order)
        view.full_resolution_wanted.connect(
            lambda _path: state.ask_full_resolution(
                (view.original_size().width(), view.original_size().height())
            )
        )
        self.photo_shown.connect(self._on_photo_shown)
        self.find_bar.field.textChanged.connect(state.set_find_text)
        self.find_bar.closed.connect(self.close_find)
        self.find_bar.credentials_changed.connect(state.set_credentials_filter)
        for bar in (self.strip.horizontalScrollBar(), self.strip.verticalScrollBar()):
            bar.valueChanged.connect(self._on_strip_scrolled)
        self.presentation.slideshow.running_changed.connect(
            lambda running: running or self.strip.setFocus(Qt.FocusReason.OtherFocusReason)
        )

    # --- following the state ------------------------------------------------------------

    def _on_current_changed(self, photo: Photo | None) -> None:
        gallery = self.state.gallery()
        if photo is None or gallery is None:
            return
        self.detail.photo_view.show_loading(photo.path, "")
        self.detail.info.show_photo(gallery, photo)
        self.detail.info.show_reading(photo)
        self.info_dock.show_metadata(photo.path, None)
        self.strip.scrollTo(self.state.selection.currentIndex())

    def _on_details_changed(self, photo: Photo) -> None:
        """The story or the photo's words were edited: the pane follows, live."""
        gallery = self.state.gallery()
        if gallery is not None:
            self.detail.info.show_photo(gallery, photo)
            text = self.state.current_text()
            if text is not None:
                self._on_text_changed(text)

    def _on_text_changed(self, text: PhotoText | None) -> None:
        if text is not None:
            self.detail.info.show_text(text)
            self.detail.photo_view.setAccessibleDescription(text.description())

    def _on_photo_ready(self, path: Path, screen: ScreenImage) -> None:
        view = self.detail.photo_view
        if view.path() == path and not view.has_picture():
            view.show_image(path, screen.image, QSize(*screen.full_size))

    def _on_photo_failed(self, path: Path, message: str) -> None:
        view = self.detail.photo_view
        if view.path() == path and not view.has_picture():
            view.show_error(path, message)

    def _on_metadata_ready(self, path: Path, metadata: object, error: str) -> None:
        photo = self.state.current_photo()
        if photo is not None and photo.path == path:
            self.detail.info.show_metadata(photo, metadata, error)  # type: ignore[arg-type]
            self.info_dock.show_metadata(photo.path, metadata)  # type: ignore[arg-type]

    def _on_shown_changed(self) -> None:
        if self.state.is_finding():
            shown, total, read = self.state.find_counts()
            self.find_bar.show_status(shown, total, read, active=True)
        else:
            self.find_bar.show_status(0, 0, 0, active=False)
        index = self.state.selection.currentIndex()
        if index.isValid():
            self.strip.scrollTo(index)

    def _on_photo_shown(self, _path: Path) -> None:
        self.state.photo_painted()
        self.presentation.photo_painted()

    def _on_strip_scrolled(self, _value: int) -> None:
        shown = self.state.shown
        self.state.model.cancel_except(shown.source_rows(self.strip.visible_rows()))

    # --- commands -----------------------------------------------------------------------

    def choose_folder(self) -> None:
        """File > Open Folder."""
        folder = QFileDialog.getExistingDirectory(self, "Open Folder")
        if folder:
            self.state.open_path(Path(folder))

    def choose_files(self) -> None:
        """File > Open Files."""
        names, _ = QFileDialog.getOpenFileNames(self, "Open Files", "", IMAGE_FILTER)
        if names:
            self.state.open_files([Path(name) for name in names])

    def choose_gallery(self) -> None:
        """File > Open Gallery."""
        name, _ = QFileDialog.getOpenFileName(self, "Open Gallery", "", "Gallery (*.json)")
        if name:
            self.state.open_path(Path(name))

    def copy(self) -> None:
        """Ctrl+C: the text selected in the window if there is some, else the photo."""
        focus = QApplication.focusWidget()
        if isinstance(focus, QLabel) and focus.hasSelectedText():
            QApplication.clipboard().setText(focus.selectedText().replace(SOFT_BREAK, ""))
        elif (isinstance(focus, QLineEdit) and focus.hasSelectedText()) or (
            isinstance(focus, QPlainTextEdit) and focus.textCursor().hasSelection()
        ):
            focus.copy()
        else:
            self.sharing.copy_photo()

    def open_find(self) -> None:
        """Show the find bar with its field focused."""
        self.find_bar.show()
        self.find_bar.field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.find_bar.field.selectAll()

    def close_find(self) -> None:
        """Hide the find bar and show every photo again."""
        self.find_bar.field.clear()
        self.find_bar.credentials.setCurrentIndex(0)
        self.find_bar.hide()
        self.strip.setFocus(Qt.FocusReason.OtherFocusReason)

    def escape(self) -> None:
        """Esc leaves what was entered last: Find, then the slideshow, then full screen."""
        field = self.find_bar.field
        if self.find_bar.isVisible() and (self.state.is_finding() or field.hasFocus()):
            self.close_find()
        elif self.presentation.slideshow.is_running():
            self.presentation.slideshow.stop()
        else:
            self.presentation.leave_fullscreen()

    def sort_by(self, order: str) -> None:
        """View > Sort in Story Order, by Name or by Date Taken."""
        self.state.set_sort(order)
        self._show_order()

    def _show_order(self) -> None:
        """The sort chosen is checked; a story in its own order can be dragged."""
        gallery = self.state.gallery()
        for name, action in self.menus.sort_actions.items():
            action.setChecked(name == self.state.sort())
        self.menus.sort_actions["story"].setEnabled(
            gallery is not None and gallery.source.suffix.lower() == ".json"
        )
        self.strip.set_reorderable(
            self.stories.session.can_edit() and self.state.order.keeps_own_order()
        )

    def undo(self) -> None:
        """Edit > Undo: the latest of a story change and a caption save is taken back."""
        session = self.stories.session
        if session.can_undo() and session.last_change >= self.desk.last_save_time():
            session.undo()
        else:
            self.desk.undo()

    def thumb_size_name(self) -> str:
        """The thumbnail size chosen: "small", "medium" or "large"."""
        size = self.state.model.thumb_size()
        return next((name for name, s in THUMB_SIZES.items() if s == size), "medium")

    def arrange_strip(self, side: str, size_name: str, *, remember: bool = True) -> None:
        """Thumbnails at ``size_name`` along the ``side`` of the window.

        Remembered unless ``remember`` is False.
        """
        vertical = side == "left"
        self.state.model.set_thumb_size(THUMB_SIZES[size_name])
        self.strip.arrange(THUMB_SIZES[size_name], side)
        self.find_bar.set_compact(compact=vertical)
        orientation = Qt.Orientation.Horizontal if vertical else Qt.Orientation.Vertical
        if self.splitter.orientation() != orientation:
            self.splitter.setOrientation(orientation)
            self.splitter.insertWidget(0 if vertical else 1, self.strip_panel)
        self.splitter.setStretchFactor(self.splitter.indexOf(self.detail), 1)
        self.splitter.setStretchFactor(self.splitter.indexOf(self.strip_panel), 0)
        self._name_handles()
        self.menus.size_actions[size_name].setChecked(True)
        self.menus.side_actions[side].setChecked(True)
        if remember:
            self.preferences.set_strip(side, size_name)

    def _name_handles(self) -> None:
        """Give every splitter handle a name for screen readers.

        Handles travel with their widgets when the strip moves to the left, so the one that shows
        changes.
        """
        for index in range(self.splitter.count()):
            handle = self.splitter.handle(index)
            handle.setAccessibleName("Divider between photo and thumbnails")
            handle.setAccessibleDescription("Drag to make the thumbnails or the photo larger")

    def set_scheme(self, scheme: str, *, remember: bool = True) -> None:
        """Light, dark, or the system's (remembered unless ``remember`` is False)."""
        self._scheme = scheme if scheme in SCHEMES else "system"
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_scheme(app, self._scheme)
        self.menus.scheme_actions[self._scheme].setChecked(True)
        if remember:
            self.preferences.set_scheme(self._scheme)

    def scheme(self) -> str:
        """The appearance chosen: "system", "light" or "dark"."""
        return self._scheme

    def confirm_close(self) -> bool:
        """True when the gallery shown may be left (the window closed, another opened).

        Unsaved captions and an unsaved story are saved or given up first, as the user
        answers; Cancel keeps everything as it is.
        """
        return self.desk.confirm_close() and self.stories.confirm_leave()

    def show_problem(self, title: str, text: str) -> None:
        """Tell the user about a problem without blocking the window."""
        self.messages.problem(title, text)

    def shortcut_lines(self) -> list[str]:
        """Every action that has a shortcut, as "keys  what it does" (for F1)."""
        return shortcut_lines(self.actions())

    def show_shortcuts(self) -> None:
        """Help > Keyboard Shortcuts."""
        text = "\n".join(self.shortcut_lines())
        self.messages.show(
            QMessageBox.Icon.Information, "Keyboard Shortcuts", text, fixed_width=True
        )

    def about_text(self) -> str:
        """Help > About: the version and every bundled library with its licence."""
        # importlib.metadata costs ~20 ms: loaded when About is asked for, not at start.
        from viewer.licences import about_lines  # noqa: PLC0415

        return "\n".join(about_lines(__version__, qVersion()))

    def show_about(self) -> None:
        """Help > About Photo Desk."""
        self.messages.show(QMessageBox.Icon.Information, "About Photo Desk", self.about_text())

    def visible_thumbnails_ready(self) -> bool:
        """True when every tile in view shows its real thumbnail (or its error)."""
        shown = self.state.shown
        rows = shown.source_rows(self.strip.visible_rows())
        return all(self.state.model.thumbnail_state(row) in ("final", "error") for row in rows)

    # --- the window ---------------------------------------------------------------------

    def restore_layout(self) -> bool:
        """Put the window back as the user left it; False when nothing was saved."""
        saved = self.preferences.layout()
        if "geometry" not in saved:
            return False
        self.restoreGeometry(saved["geometry"])
        for key, restore in (
            ("state", self.restoreState),
            ("splitter", self.splitter.restoreState),
            ("detail", self.detail.restoreState),
        ):
            if key in saved:
                restore(saved[key])
        return True

    def _screen_box(self) -> tuple[int, int]:
        """Decode for the screen, not the file: the largest the picture can be shown."""
        screen = self.screen().size()
        ratio = self.devicePixelRatioF()
        width = max(screen.width(), self.width())
        height = max(screen.height(), self.height())
        return (round(width * ratio), round(height * ratio))

    def showEvent(self, event: QShowEvent) -> None:
        """On screen: tell the state how large a picture can be shown; focus the strip."""
        super().showEvent(event)
        self.state.set_screen(self._screen_box(), self.devicePixelRatioF())
        if self.focusWidget() is None:
            self.strip.setFocus(Qt.FocusReason.OtherFocusReason)  # arrows move through photos

    def resizeEvent(self, event: QResizeEvent) -> None:
        """A larger window may show larger pictures: decode for it."""
        super().resizeEvent(event)
        self.state.loader.set_screen_box(self._screen_box())

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        """Accept files and folders dragged from the desktop."""
        if any(url.isLocalFile() for url in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        """Open what was dropped."""
        paths = [Path(url.toLocalFile()) for url in event.mimeData().urls() if url.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.state.open_files(paths)

    def closeEvent(self, event: QCloseEvent) -> None:
        """Ask about unsaved work first; then remember the layout, stop the slideshow."""
        if not self.confirm_close():
            event.ignore()
            return
        layout: dict[str, QByteArray] = {
            "geometry": self.saveGeometry(),
            "state": self.saveState(),
            "splitter": self.splitter.saveState(),
            "detail": self.detail.saveState(),
        }
        self.preferences.save_layout(layout)
        self.presentation.slideshow.stop()
        self.messages.close_all()
        super().closeEvent(event)
