"""The window's menus and keyboard shortcuts, and the list of shortcuts made from them.

Every command is a QAction with its shortcuts, added to the window (so the keys work
whether or not the menu bar is shown) and to its menu. The F1 list is generated from the
actions themselves, so it can never forget one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMenu

from viewer.ui.slideshow import INTERVALS

if TYPE_CHECKING:
    from viewer.ui.main_window import MainWindow


def shortcut_lines(actions: Sequence[QAction]) -> list[str]:
    """Every action that has a shortcut, as "keys  what it does", sorted."""
    lines = []
    for action in actions:
        keys = ", ".join(
            key.toString(QKeySequence.SequenceFormat.NativeText) for key in action.shortcuts()
        )
        if keys:
            lines.append(f"{keys:<20} {action.text().replace('&', '')}")
    return sorted(set(lines), key=str.casefold)


class Actions(QObject):
    """Builds the menu bar of ``window`` and keeps the actions others update."""

    def __init__(self, window: MainWindow) -> None:
        """Menus and shortcuts for ``window`` (its parts must exist already)."""
        super().__init__(window)
        self._window = window
        menu = window.menuBar()
        self._file_menu(menu.addMenu("&File"))
        self._edit_menu(menu.addMenu("&Edit"))
        self._story_menu(menu.addMenu("S&tory"))
        self._view_menu(menu.addMenu("&View"))
        self._slideshow_menu(menu.addMenu("&Slideshow"))
        self._go_menu(menu.addMenu("&Go"))
        help_menu = menu.addMenu("&Help")
        help_menu.addAction(self._action("&Keyboard Shortcuts", ["F1", "?"], window.show_shortcuts))
        help_menu.addAction(self._action("&About Photo Desk", [], window.show_about))

    def _action(
        self,
        text: str,
        shortcuts: Sequence[QKeySequence | QKeySequence.StandardKey | str],
        slot: Callable[[], Any],
    ) -> QAction:
        action = QAction(text, self._window)
        action.setShortcuts([QKeySequence(s) for s in shortcuts])
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        # A lambda: triggered(bool) would land in a slot's first optional argument.
        action.triggered.connect(lambda _checked=False: slot())
        self._window.addAction(action)
        return action

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

    def _file_menu(self, menu: QMenu) -> None:
        window, state = self._window, self._window.state
        menu.addAction(self._action("Open &Folder…", ["Ctrl+O"], window.choose_folder))
        menu.addAction(self._action("Open F&iles…", ["Ctrl+Shift+O"], window.choose_files))
        menu.addAction(self._action("Open &Gallery…", [], window.choose_gallery))
        menu.addAction(self._action("&Zhurong Story", [], state.open_bundled_story))
        self.recent_menu = menu.addMenu("&Recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        menu.addSeparator()
        stories = window.stories
        menu.addAction(self._action("&New Story", ["Ctrl+N"], stories.new_story))
        menu.addAction(self._action("&Save Story", ["Ctrl+S"], stories.save))
        menu.addAction(self._action("Save Story &As…", ["Ctrl+Shift+S"], stories.save_as))
        menu.addSeparator()
        sharing = window.sharing
        self.export_action = self._action(
            "&Export Story as HTML…", ["Ctrl+E"], sharing.choose_export_target
        )
        sharing.exporting.connect(lambda busy: self.export_action.setEnabled(not busy))
        menu.addAction(self.export_action)
        menu.addAction(
            self._action("Open Containing F&older", ["Ctrl+Alt+O"], sharing.open_containing_folder)
        )
        menu.addSeparator()
        self.quit_action = self._action("&Quit", ["Ctrl+Q"], window.close)
        menu.addAction(self.quit_action)

    def _fill_recent_menu(self) -> None:
        window = self._window
        self.recent_menu.clear()
        entries = window.preferences.recent()
        for path in entries:
            action = self.recent_menu.addAction(str(path).replace("&", "&&"))
            action.triggered.connect(lambda _checked=False, p=path: window.state.open_path(p))
        if entries:
            self.recent_menu.addSeparator()
            self.recent_menu.addAction("Clear Recent", window.preferences.clear_recent)
        else:
            self.recent_menu.addAction("Nothing opened yet").setEnabled(False)

    def _edit_menu(self, menu: QMenu) -> None:
        window, sharing = self._window, self._window.sharing
        self.undo_action = self._action("&Undo", ["Ctrl+Z"], window.undo)
        menu.addAction(self.undo_action)
        menu.addSeparator()
        menu.addAction(self._action("&Edit Caption…", ["E", "F2"], window.desk.open))
        menu.addAction(self._action("Select &All", ["Ctrl+A"], window.state.select_all))
        menu.addSeparator()
        menu.addAction(self._action("&Copy Photo", ["Ctrl+C"], self._window.copy))
        menu.addAction(
            self._action("Copy Caption and C&redit", ["Ctrl+Shift+C"], sharing.copy_caption)
        )
        menu.addSeparator()
        menu.addAction(self._action("&Find…", ["Ctrl+F"], self._window.open_find))

    def _story_menu(self, menu: QMenu) -> None:
        stories = self._window.stories
        for text, keys, slot in (
            ("Story &Editor", ["Ctrl+Shift+E"], stories.show_editor),
            ("&Add Photos…", [], stories.add_photos),
            ("&Remove Photo from Story", [], stories.remove_current),
            ("Move Photo &Left", ["Alt+Left"], lambda: stories.move_current(-1)),
            ("Move Photo &Right", ["Alt+Right"], lambda: stories.move_current(1)),
            ("&Find Missing Photo Again…", [], stories.find_again),
        ):
            menu.addAction(self._action(text, keys, slot))
        menu.addSeparator()
        menu.addAction(
            self._action("&Write the Story's Words into the Photos…", [], stories.write_into_photos)
        )

    def _view_menu(self, menu: QMenu) -> None:
        window = self._window
        presentation = window.presentation
        self.fullscreen_action = self._action(
            "&Full Screen", ["F11", "F"], presentation.toggle_fullscreen
        )
        self.fullscreen_action.setCheckable(True)
        presentation.fullscreen_changed.connect(self.fullscreen_action.setChecked)
        self.escape_action = self._action(
            "&Leave Full Screen, Slideshow or Find", ["Esc"], window.escape
        )
        self.info_action = window.info_dock.toggleViewAction()
        self.info_action.setText("&Info Panel")
        self.info_action.setShortcut(QKeySequence("I"))
        self.info_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        window.addAction(self.info_action)
        menu.addAction(self.info_action)
        menu.addAction(self.fullscreen_action)
        menu.addSeparator()
        photo = window.detail.photo_view
        for text, keys, slot in (
            ("Zoom &In", ["+", "="], lambda: photo.zoom_by(photo.WHEEL_STEP)),
            ("Zoom &Out", ["-"], lambda: photo.zoom_by(1 / photo.WHEEL_STEP)),
            ("&Fit to Window", ["0"], photo.fit),
            ("&Actual Pixels (100%)", ["1"], photo.actual_size),
            ("&Rotate View Right", ["Ctrl+R"], lambda: photo.rotate_view(90)),
            ("Rotate View &Left", ["Ctrl+Shift+R"], lambda: photo.rotate_view(-90)),
        ):
            menu.addAction(self._action(text, keys, slot))
        menu.addSeparator()
        self.sort_actions = {
            "story": self._action("Sort in &Story Order", [], lambda: window.sort_by("story")),
            "name": self._action("Sort by &Name", [], lambda: window.sort_by("name")),
            "date": self._action("Sort by &Date Taken", [], lambda: window.sort_by("date")),
        }
        for order, action in self.sort_actions.items():
            action.setCheckable(True)
            action.setChecked(order == window.state.sort())
            menu.addAction(action)
        menu.addSeparator()
        preferences = window.preferences
        self.size_actions = self._choices(
            menu.addMenu("&Thumbnail Size"),
            [("&Small", "small"), ("&Medium", "medium"), ("&Large", "large")],
            preferences.thumbnail_size(),
            lambda name: window.arrange_strip(window.strip.side(), name),
        )
        self.side_actions = self._choices(
            menu.addMenu("Thumbnails &Position"),
            [("At the &Bottom", "bottom"), ("On the &Left", "left")],
            preferences.strip_side(),
            lambda side: window.arrange_strip(side, window.thumb_size_name()),
        )
        self.scheme_actions = self._choices(
            menu.addMenu("&Appearance"),
            [("Follow the &System", "system"), ("&Light", "light"), ("&Dark", "dark")],
            window.scheme(),
            window.set_scheme,
        )
        menu.addAction(self.escape_action)

    def _slideshow_menu(self, menu: QMenu) -> None:
        presentation = self._window.presentation
        slideshow = presentation.slideshow
        self.slideshow_action = self._action(
            "&Start Slideshow", ["F5"], presentation.toggle_slideshow
        )
        self.pause_action = self._action("&Pause or Resume", ["Space"], slideshow.toggle_pause)
        self.pause_action.setEnabled(False)
        self.captions_action = self._action(
            "Show &Captions",
            ["C"],
            lambda: presentation.set_captions_shown(not slideshow.captions_shown()),
        )
        self.captions_action.setCheckable(True)
        self.captions_action.setChecked(slideshow.captions_shown())
        for action in (self.slideshow_action, self.pause_action, self.captions_action):
            menu.addAction(action)
        self.interval_actions = self._choices(
            menu.addMenu("&Interval"),
            [(f"{seconds} seconds", seconds) for seconds in INTERVALS],
            slideshow.interval(),
            presentation.set_interval,
        )
        slideshow.running_changed.connect(self._on_slideshow_running_changed)

    def _on_slideshow_running_changed(self, running: bool) -> None:
        self.pause_action.setEnabled(running)
        self.slideshow_action.setText("&Stop Slideshow" if running else "&Start Slideshow")
        self.captions_action.setChecked(self._window.presentation.slideshow.captions_shown())

    def _go_menu(self, menu: QMenu) -> None:
        window, state = self._window, self._window.state
        for text, key, slot in (
            ("&Previous Photo", "Left", lambda: state.move_by(-1)),
            ("&Next Photo", "Right", lambda: state.move_by(1)),
            ("&First Photo", "Home", lambda: state.go_to(0)),
            ("&Last Photo", "End", lambda: state.go_to(state.shown.rowCount() - 1)),
            ("Page &Back", "PgUp", lambda: state.move_by(-window.strip.page_size())),
            ("Page &Forward", "PgDown", lambda: state.move_by(window.strip.page_size())),
        ):
            menu.addAction(self._action(text, [key], slot))
