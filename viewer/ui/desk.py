"""The caption desk in the window: editing, saving, undoing, templates and codes.

:class:`CaptionDesk` puts the caption editor beside the photo (E or F2), edits the photos
selected in the strip (or the current one), saves in the workers and reports what came
of each photo, takes a save back (Edit > Undo), and never lets unsaved changes go
silently: moving to another photo or closing the window asks first. The editing itself
lives in the viewer state (:class:`~viewer.ui.edits.CaptionEdits`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEventLoop, QObject, Qt, QTimer
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox

from viewer.fileaccess import display_name
from viewer.metadata import PhotoMetadata
from viewer.model import Photo
from viewer.resources import bundled_gallery_path
from viewer.ui.messages import ask_to_save

if TYPE_CHECKING:
    from viewer.metadata.codes import Codes
    from viewer.ui.caption_editor import CaptionEditor
    from viewer.ui.edits import CaptionEdits, Saved
    from viewer.ui.main_window import MainWindow


class CaptionDesk(QObject):
    """The caption editor's life in ``window``: made on first use, then kept."""

    def __init__(self, window: MainWindow) -> None:
        """A desk for ``window`` (its state, preferences and messages)."""
        super().__init__(window)
        self._window = window
        self._state = window.state
        self.editor: CaptionEditor | None = None
        self._codes: Codes | None = None
        self._returning = False  # going back to the photo whose edits were kept
        self._used = False  # the session exists (an edit, a save or an undo was asked for)
        self._state.current_changed.connect(self._on_current_changed)
        self._state.gallery_changed.connect(
            lambda _g: window.detail.info.edit_button.setVisible(self.can_edit())
        )
        self._state.selection.selectionChanged.connect(lambda *_: self._follow())

    # --- the editor ---------------------------------------------------------------------

    def edits(self) -> CaptionEdits:
        """The editing session of the viewer state (its saves reported from now on)."""
        edits = self._state.caption_edits()
        if not self._used:
            self._used = True
            edits.saved.connect(self._on_saved)
        return edits

    def is_dirty(self) -> bool:
        """True when edits were made and not saved."""
        return self.editor is not None and self.edits().is_dirty()

    def can_edit(self) -> bool:
        """False for the bundled story, whose pictures come with Photo Desk."""
        gallery = self._state.gallery()
        return gallery is not None and gallery.source != bundled_gallery_path()

    def open(self) -> None:
        """Edit the selected photos (or the current one): show the editor, focused."""
        if not self.can_edit():
            self._window.show_problem(
                "Nothing to edit",
                "The Zhurong story's pictures come with Photo Desk and are not changed. "
                "Open a folder of your own photos to caption them.",
            )
            return
        editor = self._editor()
        editor.show()
        editor.raise_()
        editor.focus_first()  # kept while the fields are read (see the editor's busy)
        self.edits().begin(self._state.selected_photos())

    def _editor(self) -> CaptionEditor:
        if self.editor is None:
            # Loaded on first use: starting the app does not pay for the form.
            from viewer.ui.caption_editor import CaptionEditor  # noqa: PLC0415

            self.editor = CaptionEditor(self.edits(), self.expand_codes, self._window)
            self._window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.editor)
            self.editor.save_requested.connect(self.save)
            self.editor.cancel_requested.connect(self.cancel)
            self.editor.templates_requested.connect(self._show_templates)
            self.editor.codes_requested.connect(self.choose_codes)
        return self.editor

    def _follow(self) -> None:
        """The selection changed: an open, clean editor follows it."""
        editor = self.editor
        if editor is None or not editor.isVisible() or self.edits().is_dirty():
            return
        photos = self._state.selected_photos()
        if [p.path for p in photos] != [p.path for p in self.edits().photos()]:
            self.edits().begin(photos)

    def _on_current_changed(self, photo: Photo | None) -> None:
        """Leaving the photos being edited with unsaved changes: ask first."""
        if self._returning or photo is None or not self.is_dirty():
            return
        edited = self.edits().photos()
        if any(p.path == photo.path for p in edited):
            return
        answer = self.ask_to_save()
        if answer in ("save", "discard"):
            if answer == "save":
                self.save(and_next=False)
            else:
                self.edits().discard()
            QTimer.singleShot(0, self._follow)  # the editor moves on with the selection
        else:  # Cancel: back to the photo whose edits are kept
            self._returning = True
            row = self._state.shown.row_of_source(self._state.model.row_of(edited[0].path))
            self._state.go_to(row)
            self._returning = False

    def ask_to_save(self) -> str:
        """Save, Discard or Cancel the unsaved changes of the photos edited (see messages)."""
        photos = self.edits().photos()
        what = display_name(photos[0].path.name) if len(photos) == 1 else f"{len(photos)} photos"
        return ask_to_save(self._window, "Unsaved caption changes", f"Save the changes to {what}?")

    def confirm_close(self) -> bool:
        """The window is closing: True when it may (changes saved or given up).

        Asks about unsaved changes, then waits for every save under way to end: the
        workers stop with the window, and a photo is never left half-way (each write
        is atomic; waiting means it is also done).
        """
        if self.is_dirty():
            answer = self.ask_to_save()
            if answer == "save":
                self.save(and_next=False)
                if self.edits().is_dirty():  # nothing was saved (a variable to correct)
                    return False
            elif answer == "discard":
                self.edits().discard()
            else:
                return False
        self.wait_for_saves()
        return True

    def wait_for_saves(self) -> None:
        """Return once no save (or read) of the session is under way."""
        if not self._used:
            return
        edits = self.edits()
        if not edits.is_busy():
            return
        self._window.statusBar().showMessage("Finishing the captions being saved…")
        loop = QEventLoop()
        edits.busy_changed.connect(loop.quit)
        while edits.is_busy():  # each write has its time limit: this ends
            loop.exec()
        edits.busy_changed.disconnect(loop.quit)

    # --- saving and undoing -------------------------------------------------------------

    def save(self, and_next: bool = False) -> None:
        """Write the changed fields; with ``and_next``, go on to the next photo."""
        from viewer.metadata.writer import write_metadata  # noqa: PLC0415 - on first save

        edits = self.edits()
        if edits.is_dirty():
            try:
                edits.save(write_metadata, self.expand)
            except ValueError as exc:  # a variable or code that cannot be filled in
                self._window.show_problem("Nothing was saved", str(exc))
                return
        if and_next and len(edits.photos()) == 1:
            self._state.move_by(1)
            edits.begin(self._state.selected_photos())

    def cancel(self) -> None:
        """Drop the unsaved changes and put the editor away."""
        self.edits().discard()
        if self.editor is not None:
            self.editor.refresh()
            self.editor.hide()
        self._window.strip.setFocus(Qt.FocusReason.OtherFocusReason)

    def write_each(self, jobs: dict[Photo, dict[str, str]]) -> None:
        """Write each photo's own fields (the story's words), reported like a save."""
        from viewer.metadata.writer import write_metadata  # noqa: PLC0415

        self.edits().write_each(jobs, write_metadata)

    def last_save_time(self) -> float:
        """``time.monotonic()`` of the last save (0 when none was made)."""
        return self.edits().last_save if self._used else 0.0

    def undo(self) -> None:
        """Write back what the last save replaced."""
        from viewer.metadata.writer import write_metadata  # noqa: PLC0415

        if not self.edits().undo(write_metadata):
            self._window.statusBar().showMessage("Nothing to undo", 3000)

    def _on_saved(self, saved: Saved) -> None:
        """Say what came of each photo; show the photos as they are now."""
        counts = saved.counts()
        lines = _summary(counts, undone=saved.undone)
        problems = [
            f"{display_name(r.path.name)}: {r.reason}"
            for r in saved.results
            if r.status in ("refused", "failed")
        ]
        warnings = [w for r in saved.results for w in r.warnings]
        sidecars = [
            f"{display_name(r.path.name)}: {r.reason}"
            for r in saved.results
            if r.status == "sidecar" and r.reason
        ]
        if problems or warnings or sidecars:
            text = "\n".join([lines, *[""] * bool(problems), *problems, *[""] * bool(sidecars),
                              *sidecars, *[""] * bool(warnings), *warnings])  # fmt: skip
            icon = QMessageBox.Icon.Warning if problems else QMessageBox.Icon.Information
            self._window.messages.show(icon, "Captions saved", text)
        else:
            self._window.statusBar().showMessage(lines, 5000)
        editor = self.editor
        if editor is not None and editor.isVisible() and not self.edits().is_dirty():
            self.edits().begin(self._state.selected_photos())  # the photos as they are now

    # --- codes and templates ------------------------------------------------------------

    def expand_codes(self, text: str) -> str:
        """``=code=`` replaced by its text, for the codes loaded (as typed: never raises).

        A text the codes would make too long is left as typed; saving then says why.
        """
        try:
            return self._expand_codes_strictly(text)
        except ValueError:
            return text

    def _expand_codes_strictly(self, text: str) -> str:
        if self._codes is None or self._codes.delimiter not in text:
            return text
        from viewer.metadata.codes import expand_codes  # noqa: PLC0415

        return expand_codes(text, self._codes).text

    def expand(self, text: str, photo: Photo, meta: PhotoMetadata | None) -> str:
        """A typed value for one photo: its codes, then its variables, expanded."""
        from viewer.metadata.templates import expand_variables  # noqa: PLC0415

        return str(expand_variables(self._expand_codes_strictly(text), photo.path, meta))

    def choose_codes(self) -> None:
        """Load a code replacement file (Photo Mechanic's tab-separated format)."""
        name, _ = QFileDialog.getOpenFileName(
            self._window, "Load Code Replacements", "", "Code replacements (*.txt *.tsv);;All (*)"
        )
        if name:
            self.load_codes(Path(name))

    def load_codes(self, path: Path) -> None:
        """Use the codes of ``path`` from now on (a problem is told, the old codes kept)."""
        from viewer.metadata.codes import load_codes  # noqa: PLC0415

        try:
            codes = load_codes(path)
        except (OSError, ValueError) as exc:
            self._window.show_problem("Cannot load the code replacements", str(exc))
            return
        self._codes = codes
        loaded = f"{len(codes.replacements):,} codes loaded from {display_name(path.name)}"
        if codes.problems:
            skipped = "\n".join(codes.problems)
            self._window.messages.show(
                QMessageBox.Icon.Information, "Code replacements", f"{loaded}.\n\n{skipped}"
            )
        self._window.statusBar().showMessage(loaded, 5000)

    def _show_templates(self) -> None:
        from viewer.ui.templates_menu import fill_templates_menu  # noqa: PLC0415

        menu = QMenu(self._window)
        fill_templates_menu(menu, self)
        editor = self._editor()
        menu.exec(editor.templates_button.mapToGlobal(editor.templates_button.rect().bottomLeft()))

    def tell(self, title: str, text: str) -> None:
        """Tell the user about a problem (without blocking the window)."""
        self._window.show_problem(title, text)

    def status(self, text: str) -> None:
        """A short word in the status bar."""
        self._window.statusBar().showMessage(text, 5000)

    def apply_values(self, values: dict[str, Any]) -> None:
        """Put a template's values into the editor, as if typed."""
        edits = self.edits()
        for name, value in values.items():
            if name in edits.fields:
                edits.set_value(name, tuple(value) if isinstance(value, list) else value)
        if self.editor is not None:
            self.editor.refresh()


def _summary(counts: dict[str, int], *, undone: bool = False) -> str:
    """The line that sums up a save: "Saved 3 photos: 2 written into the file, 1 …"."""
    total = sum(counts.values())
    words = {
        "written": "written into the file",
        "sidecar": "in an XMP sidecar",
        "unchanged": "already so",
        "refused": "refused",
        "failed": "failed",
    }
    parts = [f"{counts[k]:,} {words[k]}" for k in words if counts.get(k)]
    verb = "Undone for" if undone else "Saved"
    return f"{verb} {total:,} {'photo' if total == 1 else 'photos'}: {', '.join(parts)}."
