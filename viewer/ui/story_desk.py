"""The story builder in the window: make a story, edit it, save it, never lose it.

:class:`StoryDesk` runs File > New Story (Ctrl+N: the photos selected, or all shown),
shows the story editor with the headline focused, saves (Ctrl+S; replacing a story file
already there is asked first, Enter accepting), moves photos (Alt+Left and Alt+Right, or
dragging in the strip when the story's own order is shown), adds and removes them, finds
a missing photo again, writes the story's words into the photos through the caption
desk's writer, offers at start the recovery copies a crash left, and asks before unsaved
changes would be lost (closing, opening something else). The changes themselves are
pure functions (:mod:`viewer.model.story_edit`) applied by the session
(:class:`~viewer.ui.story_session.StorySession`).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEventLoop, QObject, Qt
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox

from viewer.fileaccess import display_name
from viewer.files import IMAGE_SUFFIXES
from viewer.model import Gallery, load_manifest
from viewer.model.story_edit import (
    StoryError,
    add_photos,
    move_photo_by,
    move_photos,
    new_story,
    remove_photo,
)
from viewer.resources import bundled_gallery_path
from viewer.ui.messages import ask_to_save, ask_yes
from viewer.ui.story_session import StorySession
from viewer.ui.tasks import TaskResult
from viewer.ui.workers import Priority

if TYPE_CHECKING:
    from viewer.model.recovery import RecoveryCopy
    from viewer.ui.main_window import MainWindow
    from viewer.ui.story_editor import StoryEditor


class StoryDesk(QObject):
    """The story commands of ``window``; the editor is made on first use."""

    def __init__(self, window: MainWindow) -> None:
        """The desk of ``window`` (its state, messages and strip)."""
        super().__init__(window)
        self._window = window
        self._state = window.state
        self.session = StorySession(window.state)
        self.editor: StoryEditor | None = None
        self.session.saved.connect(self._on_saved)
        self.session.dirty_changed.connect(lambda _dirty: self._show_title())

    # --- the editor ---------------------------------------------------------------------

    def _editor(self) -> StoryEditor:
        if self.editor is None:
            # Loaded on first use: starting the app does not pay for the form.
            from viewer.ui.story_editor import StoryEditor  # noqa: PLC0415

            self.editor = StoryEditor(self._state, self.session, self._window)
            self._window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.editor)
            self.editor.save_requested.connect(self.save)
            self.editor.refresh()
        return self.editor

    def show_editor(self) -> None:
        """Show the story editor (the story shown must be one the user can edit)."""
        if not self.session.can_edit():
            self._tell_not_editable()
            return
        editor = self._editor()
        editor.show()
        editor.raise_()
        editor.focus_headline()

    def _tell_not_editable(self) -> None:
        gallery = self._state.gallery()
        if gallery is not None and gallery.source == bundled_gallery_path():
            why = (
                "The Zhurong story comes with Photo Desk and is not changed. To make a story "
                "of your own, open a folder of your photos and choose File > New Story."
            )
        else:
            why = "This is not a story. Choose File > New Story to make one of these photos."
        self._window.show_problem("No story to edit", why)

    def _show_title(self) -> None:
        if self.editor is not None:
            self.editor.setWindowTitle("Story (not saved)" if self.session.is_dirty() else "Story")

    # --- making -------------------------------------------------------------------------

    def new_story(self) -> None:
        """A story of the photos selected (several), else of every photo shown."""
        if not self.confirm_leave():
            return
        selected = self._state.selected_photos()
        photos = selected if len(selected) > 1 else self._state.shown_photos()
        if not photos:
            self._window.show_problem("No photos", "Open a folder of photos first.")
            return
        bundled = bundled_gallery_path().parent
        if any(photo.path.parent == bundled for photo in photos):
            self._tell_not_editable()
            return
        try:
            gallery = new_story([p.path for p in photos if not p.missing] or photos)
        except (StoryError, ValueError) as exc:  # ValueError: no folder holds them all
            self._window.show_problem("No story was made", str(exc))
            return
        self.session.start(gallery)
        self.show_editor()

    # --- saving -------------------------------------------------------------------------

    def save(self) -> None:
        """Save the story as ``gallery.json`` in its folder (asking before replacing one)."""
        gallery = self.session.gallery()
        if gallery is None or not self.session.can_edit():
            self._tell_not_editable()
            return
        target = self.session.target() or gallery.source
        if target.exists() and self.session.target() is None and not self._may_replace(target):
            return
        self.session.save(target)

    def save_as(self) -> None:
        """Save the story under another name, in its folder or a folder above it."""
        gallery = self.session.gallery()
        if gallery is None or not self.session.can_edit():
            self._tell_not_editable()
            return
        name, _ = QFileDialog.getSaveFileName(
            self._window, "Save Story As", str(gallery.source), "Photo Desk story (*.json)"
        )
        if name:
            self.session.save(Path(name))  # the file dialog asked before replacing

    def _may_replace(self, target: Path) -> bool:
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Replace the story file?",
            f"{display_name(target.name)} is already in {display_name(target.parent)}.\n"
            "Replace it with this story?",
            QMessageBox.StandardButton.Cancel,
            self._window,
        )
        box.setTextFormat(Qt.TextFormat.PlainText)
        replace = box.addButton("Replace", QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(replace)  # Enter accepts what is proposed
        box.exec()
        return box.clickedButton() is replace

    def _on_saved(self, target: Path) -> None:
        self._window.statusBar().showMessage(f"Story saved as {display_name(target)}", 5000)

    def confirm_leave(self) -> bool:
        """True when the story shown may be left: saved, given up, or not changed."""
        if not self.session.is_dirty():
            return True
        gallery = self.session.gallery()
        headline = gallery.story.headline if gallery is not None and gallery.story else ""
        question = f"Save the story “{headline or 'without a headline'}”?"
        answer = ask_to_save(self._window, "Unsaved story", question)
        if answer == "save":
            self.save()
            self._wait_for_save()
            return not self.session.is_dirty()
        if answer == "discard":
            self.session.discard()
            return True
        return False

    def _wait_for_save(self) -> None:
        if not self.session.is_saving():
            return
        loop = QEventLoop()
        self.session.save_ended.connect(loop.quit)
        while self.session.is_saving():
            loop.exec()
        self.session.save_ended.disconnect(loop.quit)

    # --- photos -------------------------------------------------------------------------

    def _index(self) -> int:
        gallery, photo = self.session.gallery(), self._state.current_photo()
        if gallery is None or photo is None:
            return -1
        return gallery.index_of(photo.path)

    def _editable_order(self) -> bool:
        if not self.session.can_edit():
            self._tell_not_editable()
            return False
        if not self._state.order.keeps_own_order():
            self._window.show_problem(
                "The story's order is not shown",
                "Photos are moved in the story's own order: choose View > Sort in Story Order "
                "and close Find first.",
            )
            return False
        return True

    def move_current(self, step: int) -> None:
        """Move the current photo one place left (-1) or right (+1) in the story."""
        index = self._index()
        if index < 0 or not self._editable_order():
            return
        gallery = self.session.gallery()
        assert gallery is not None
        to = max(0, min(index + step, len(gallery.photos) - 1))
        self.session.apply(move_photo_by, index, step, current=to)

    def move_rows(self, rows: list[int], to: int) -> None:
        """Photos dragged in the strip: the story's rows ``rows`` go before row ``to``."""
        if not rows or not self._editable_order():
            return
        gallery = self.session.gallery()
        assert gallery is not None
        moved = move_photos(gallery, rows, to)
        current = self._state.current_photo()
        where = moved.index_of(current.path) if current is not None else None
        self.session.apply(lambda _g: moved, current=where)

    def add_photos(self) -> None:
        """Add photos from the story's folder or below it, after the current photo."""
        gallery = self.session.gallery()
        if gallery is None or not self.session.can_edit():
            self._tell_not_editable()
            return
        patterns = " ".join(f"*{ext}" for ext in sorted(IMAGE_SUFFIXES))
        names, _ = QFileDialog.getOpenFileNames(
            self._window, "Add Photos to the Story", str(gallery.source.parent),
            f"Photos ({patterns});;All files (*)",
        )  # fmt: skip
        if names:
            at = self._index() + 1 if self._index() >= 0 else None
            self.session.apply(add_photos, [Path(n) for n in names], at)

    def remove_current(self) -> None:
        """Take the current photo out of the story (its file is left alone)."""
        index = self._index()
        if index < 0 or not self.session.can_edit():
            self._tell_not_editable()
            return
        gallery = self.session.gallery()
        assert gallery is not None
        self.session.apply(remove_photo, index, current=min(index, len(gallery.photos) - 2))

    # --- missing photos -----------------------------------------------------------------

    def find_again(self) -> None:
        """Look for the current (missing) photo by name and content, then relink it."""
        photo, gallery = self._state.current_photo(), self.session.gallery()
        if photo is None or gallery is None or not photo.missing:
            self._window.statusBar().showMessage("This photo is not missing", 3000)
            return
        from viewer.model.relink import find_again  # noqa: PLC0415

        self._window.statusBar().showMessage(f"Looking for {display_name(photo.path.name)}…")
        self._state.workers.runner.submit(
            lambda result: self._on_found(result, photo.path),
            f"find {photo.path}",
            0,
            find_again,
            photo,
            gallery.source.parent,
            priority=Priority.CURRENT,
            time_limit=self._state.workers.limits.batch(1000),
        )

    def _on_found(self, result: TaskResult, missing: Path) -> None:
        self._window.statusBar().clearMessage()
        gallery = self.session.gallery()
        index = gallery.index_of(missing) if gallery is not None else -1
        if index < 0:
            return
        candidates: list[Path] = result.value if result.error is None else []
        chosen: Path | None = None
        if candidates:
            folder = gallery.source.parent if gallery is not None else Path()
            labels = [display_name(_relative(p, folder)) for p in candidates]
            label, ok = QInputDialog.getItem(
                self._window,
                "Find Photo Again",
                f"{display_name(missing.name)} may be one of these:",
                [*labels, "Choose Another File…"],
                0,
                False,
            )
            if not ok:
                return
            if label in labels:
                chosen = candidates[labels.index(label)]
        if chosen is None:
            name, _ = QFileDialog.getOpenFileName(
                self._window, f"Where is {display_name(missing.name)}?", str(missing.parent)
            )
            if not name:
                return
            chosen = Path(name)
        from viewer.model.relink import relink_photo  # noqa: PLC0415

        self.session.apply(relink_photo, index, chosen, current=index)

    # --- writing the story's words into the photos ----------------------------------------

    def write_into_photos(self) -> None:
        """Write each photo's story words (title, caption, credit, alt text) into its file."""
        gallery = self.session.gallery()
        if gallery is None or not self.session.can_edit():
            self._tell_not_editable()
            return
        jobs = {
            photo: changes
            for photo in gallery.photos
            if not photo.missing and (changes := _story_words(photo))
        }
        if not jobs:
            self._window.show_problem(
                "Nothing to write",
                "No photo has words of its own in this story: they already come from the files.",
            )
            return
        if ask_yes(
            self._window,
            "Write the story's words into the photos",
            f"Write the story's titles, captions, credits and alt texts into {len(jobs):,} "
            "photos? Only those fields change; Edit > Undo Caption Change takes it back.",
            default_yes=True,
        ):
            self._window.desk.write_each(jobs)

    # --- recovery -----------------------------------------------------------------------

    def offer_recoveries(self, copies: list[RecoveryCopy] | None = None) -> None:
        """Offer the recovery copies a crash left (the newest first), one by one."""
        from viewer.model.recovery import discard_recovery, find_recoveries  # noqa: PLC0415

        for copy in copies if copies is not None else find_recoveries():
            answer = self._ask_recovery(copy)
            if answer == "restore" and copy.gallery is not None:
                self._restore(copy.gallery, copy.story_file)
                return  # one story at a time; the others are offered at the next start
            if answer == "discard":
                discard_recovery(copy.path)

    def _ask_recovery(self, copy: RecoveryCopy) -> str:
        when = copy.written.astimezone().strftime("%d %B %Y at %H:%M")
        where = display_name(copy.story_file)
        if copy.gallery is None:
            text = (f"A recovery copy of the story {where} from {when} cannot be read: "
                    f"{copy.problem}\n\nDiscard it?")  # fmt: skip
        else:
            story = copy.gallery.story
            headline = story.headline if story is not None and story.headline else "untitled"
            text = (f"Photo Desk closed before the story “{headline}” ({where}) was saved. "
                    f"Its changes until {when} were kept.\n\nRestore them?")  # fmt: skip
        box = QMessageBox(QMessageBox.Icon.Question, "Unsaved story", text, parent=self._window)
        box.setTextFormat(Qt.TextFormat.PlainText)
        restore = box.addButton("Restore", QMessageBox.ButtonRole.AcceptRole)
        discard = box.addButton("Discard", QMessageBox.ButtonRole.DestructiveRole)
        later = box.addButton("Later", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(restore if copy.gallery is not None else later)
        box.setEscapeButton(later)
        restore.setVisible(copy.gallery is not None)
        box.exec()
        clicked = box.clickedButton()
        return "restore" if clicked is restore else "discard" if clicked is discard else "later"

    def _restore(self, gallery: Gallery, story_file: Path) -> None:
        try:
            saved: Gallery | None = load_manifest(story_file)
        except (OSError, ValueError):
            saved = None  # never saved, or unreadable now: the copy counts as changed
        self._state.opener.cancel_pending()  # what the window was opening gives way
        self.session.start(dataclasses.replace(gallery, source=story_file), saved=saved)
        self.show_editor()


def _story_words(photo: Any) -> dict[str, str]:
    """The words a story gives one photo, as writer fields (empty: the file's own)."""
    words = {"title": photo.title, "caption": photo.caption, "credit": photo.credit}
    words["alt_text"] = photo.alt_text
    return {name: text for name, text in words.items() if text}


def _relative(path: Path, folder: Path) -> Path:
    try:
        return path.relative_to(folder)
    except ValueError:
        return path
