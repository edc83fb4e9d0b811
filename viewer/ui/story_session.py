"""The story being made or edited: its changes, saving, and its recovery copy.

:class:`StorySession` belongs to the viewer state. Every change is a pure function of
:mod:`viewer.model.story_edit` applied to the gallery shown (:meth:`StorySession.apply`);
the state shows the result at once, so the detail pane follows the story live. The
session compares the story with what was last saved to know whether it is dirty;
while it is, a recovery copy is written every 30 seconds into the app's state folder,
so a crash loses at most that much. Saving writes ``gallery.json`` off the GUI thread,
atomically (:func:`viewer.model.story_file.save_story`).
"""

from __future__ import annotations

import dataclasses
import functools
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal

from viewer.model import Gallery
from viewer.model.recovery import discard_recovery, recovery_path, write_recovery
from viewer.model.story_edit import StoryError
from viewer.model.story_file import save_story
from viewer.resources import bundled_gallery_path
from viewer.ui.tasks import TaskResult
from viewer.ui.workers import Priority

if TYPE_CHECKING:
    from viewer.ui.state import ViewerState

RECOVERY_MS = 30_000  # a crash loses at most this much of an unsaved story
UNDO_LIMIT = 100  # changes Edit > Undo can take back


class StorySession(QObject):
    """The story shown, if it can be edited, and what changed since it was saved.

    Signals:
        dirty_changed(bool): unsaved changes appeared (True) or were saved or dropped.
        saved(object): the story was saved to this Path.
        save_ended(): a save ended, saved or not.
    """

    dirty_changed = Signal(bool)
    saved = Signal(object)
    save_ended = Signal()

    def __init__(self, state: ViewerState) -> None:
        """A session of ``state``: it edits the gallery the state shows."""
        super().__init__(state)
        self._state = state
        self._saved: Gallery | None = None  # as on disk (None: never saved)
        self._target: Path | None = None
        self._dirty = False
        self._saving = False
        self._applying = False  # the gallery shown changes because of this session
        self._undo: list[tuple[Gallery, str | None]] = []  # the story before each change
        self.last_change = 0.0  # time.monotonic() of the last change (Undo picks the latest)
        self._recovery = QTimer(self)
        self._recovery.setInterval(RECOVERY_MS)
        self._recovery.timeout.connect(self.write_recovery_copy)
        state.gallery_changed.connect(self._on_gallery_changed)

    # --- what is edited -----------------------------------------------------------------

    def gallery(self) -> Gallery | None:
        """The story being edited (the gallery shown, when it is a story)."""
        gallery = self._state.gallery()
        return gallery if gallery is not None and gallery.story is not None else None

    def can_edit(self) -> bool:
        """True when the gallery shown is a story of the user's (not the bundled one)."""
        gallery = self.gallery()
        return gallery is not None and gallery.source != bundled_gallery_path()

    def target(self) -> Path | None:
        """Where saving writes: the story's ``gallery.json``."""
        return self._target

    def is_dirty(self) -> bool:
        """True when the story has changes not saved."""
        return self._dirty

    def is_saving(self) -> bool:
        """True while a save is being written."""
        return self._saving

    def start(self, gallery: Gallery, *, saved: Gallery | None = None) -> None:
        """Show ``gallery`` as the story to edit.

        ``saved`` is what is on disk for it (None: never saved, so it counts as changed).
        """
        self._applying = True
        try:
            self._state.set_gallery(gallery)
        finally:
            self._applying = False
        self._saved = saved
        self._target = saved.source if saved is not None else None
        self._undo = []
        self._set_dirty(saved is None or saved != gallery)

    def apply(
        self,
        change: Callable[..., Gallery],
        *args: Any,
        current: int | None = None,
        undo_key: str | None = None,
    ) -> bool:
        """Apply ``change(gallery, *args)`` to the story and show the result.

        With ``current``, the photo at that row of the result becomes current. Changes
        in a row with the same ``undo_key`` (the letters typed into one field) are
        undone together. Returns False (and the user is told why) when the change is
        refused.
        """
        gallery = self.gallery()
        if gallery is None or not self.can_edit():
            return False
        try:
            edited = change(gallery, *args)
        except (StoryError, IndexError) as exc:
            self._state.problem.emit("The story was not changed", str(exc))
            return False
        if edited == gallery:
            return True
        if undo_key is None or not self._undo or self._undo[-1][1] != undo_key:
            self._undo = [*self._undo, (gallery, undo_key)][-UNDO_LIMIT:]
        self._show(edited, current)
        return True

    def can_undo(self) -> bool:
        """True when a change to the story can be taken back."""
        return bool(self._undo) and self.can_edit()

    def undo(self) -> bool:
        """Take the last change back (False when there is none)."""
        if not self.can_undo():
            return False
        before, _key = self._undo.pop()
        current = self._state.current_photo()
        row = before.index_of(current.path) if current is not None else -1
        self._show(before, row if row >= 0 else None)
        return True

    def _show(self, gallery: Gallery, current: int | None) -> None:
        self._applying = True
        try:
            self._state.replace_gallery(gallery, current)
        finally:
            self._applying = False
        self.last_change = time.monotonic()
        self._set_dirty(self._saved is None or gallery != self._saved)

    def discard(self) -> None:
        """Give up the unsaved changes: the story file is as it was; no copy is kept."""
        target = self._target
        self._set_dirty(False)
        if target is not None:
            discard_recovery(recovery_path(target))
        elif (gallery := self.gallery()) is not None:
            discard_recovery(recovery_path(gallery.source))

    def _on_gallery_changed(self, gallery: Gallery | None) -> None:
        """Another gallery was opened: a story read from disk is clean."""
        if self._applying or gallery is None:
            return
        self._target = gallery.source if gallery.source.suffix.lower() == ".json" else None
        self._saved = gallery if gallery.story is not None else None
        self._undo = []
        self._set_dirty(False)

    def _set_dirty(self, dirty: bool) -> None:
        if dirty:
            self._recovery.start()
        else:
            self._recovery.stop()
        if dirty != self._dirty:
            self._dirty = dirty
            self.dirty_changed.emit(dirty)

    # --- saving -------------------------------------------------------------------------

    def save(self, target: Path | None = None) -> None:
        """Write the story to ``target`` (by default its own ``gallery.json``).

        Atomically, off the GUI thread; ``saved`` or a problem follows, then ``save_ended``.
        """
        gallery = self.gallery()
        target = target or self._target
        if gallery is None or target is None or self._saving:
            return
        self._saving = True
        self._state.workers.runner.submit(
            functools.partial(self._on_saved, target=target),
            str(target),
            0,
            _save,
            gallery,
            target,
            priority=Priority.CURRENT,
            time_limit=self._state.workers.limits.batch(len(gallery.photos)),
        )

    def _on_saved(self, result: TaskResult, target: Path) -> None:
        self._saving = False
        if result.error is not None:
            self._state.problem.emit("The story was not saved", str(result.error))
            self.save_ended.emit()
            return
        saved: Gallery = result.value
        self._target = target
        self._saved = saved
        current = self.gallery()
        # The story shown now belongs to the file written (Save As changes its source);
        # changes typed while it was being written stay unsaved.
        shown = dataclasses.replace(current, source=target) if current is not None else saved
        if shown != current:
            self._applying = True
            try:
                self._state.replace_gallery(shown)
            finally:
                self._applying = False
        self._set_dirty(shown != saved)
        self.saved.emit(target)
        self._state.opened.emit(target)
        self.save_ended.emit()

    def write_recovery_copy(self) -> None:
        """Write the unsaved story where the next start will find it."""
        gallery = self.gallery()
        if gallery is None or not self._dirty:
            return
        self._state.workers.runner.submit(
            self._on_recovery_written, "recovery", 0, write_recovery, gallery
        )

    def _on_recovery_written(self, result: TaskResult) -> None:
        if result.error is not None:
            self._state.problem.emit("No recovery copy could be written", str(result.error))


def _save(gallery: Gallery, target: Path) -> Gallery:
    """Save (in a worker thread) and drop the recovery copies the story no longer needs.

    Returns the gallery as saved (its source the file written).
    """
    saved = dataclasses.replace(gallery, source=target)
    save_story(saved, target)
    discard_recovery(recovery_path(target))
    if gallery.source != target:
        discard_recovery(recovery_path(gallery.source))
    return saved
