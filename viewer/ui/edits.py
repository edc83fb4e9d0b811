"""Caption edits not yet saved, for one photo or many: part of the viewer state.

The flow: :meth:`CaptionEdits.begin` takes the photos to edit and reads their metadata in
the workers (``loaded``); each field then shows the photos' common value, or is mixed.
The editor sets values (:meth:`set_value`): only the fields the user changed are
written. :meth:`save` expands each photo's values (template variables, code
replacements, caption text added before or after the photo's own), writes every photo
in a worker process, one at a time per worker, and remembers what each field held
before, so that :meth:`undo` can write it back. Nothing is written but on save, and
nothing unsaved is lost silently: the window asks before leaving a dirty session.
"""

from __future__ import annotations

import dataclasses
import functools
import os
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from viewer.fileaccess import display_name
from viewer.metadata import PhotoMetadata, read_metadata
from viewer.model import Photo
from viewer.ui.tasks import TaskResult
from viewer.ui.workers import Priority, Workers

FieldValue = str | tuple[str, ...]
MIXED = object()  # a field whose photos do not agree
CAPTION_MODES = ("replace", "before", "after")
UNDO_LIMIT = 20  # saves that Edit > Undo can take back, most recent first


@dataclasses.dataclass(frozen=True)
class Saved:
    """One save: each photo's result, and what its changed fields held before."""

    results: tuple[Any, ...]  # viewer.metadata.writer.WriteResult
    roots: tuple[Path | None, ...] = ()  # each photo's gallery folder, as results
    undone: bool = False  # this wrote back what an earlier save replaced

    def counts(self) -> dict[str, int]:
        """How many photos ended each way ("written", "sidecar", "refused"...)."""
        counts: dict[str, int] = {}
        for result in self.results:
            counts[result.status] = counts.get(result.status, 0) + 1
        return counts


def field_of(meta: PhotoMetadata | None, name: str) -> FieldValue:
    """A field as the editor shows it: text, or a tuple for the list fields."""
    if meta is None:
        return ""
    value = getattr(meta, "bylines" if name == "byline" else name, "")
    return tuple(value) if isinstance(value, tuple | list) else str(value or "")


IN_PLACE_SUFFIXES = frozenset({".jpg", ".jpeg", ".jpe", ".png", ".webp"})


def sidecar_note(photo: Photo, meta: PhotoMetadata | None) -> str:
    """Why edits to ``photo`` will go to an XMP sidecar beside it ("" when they will not).

    The writer decides from the file's content; this says it beforehand, from what the
    editor knows (the file's credentials and its kind), so the user is not surprised.
    """
    name = display_name(photo.path.name)
    provenance = meta.provenance if meta is not None else None
    if provenance is not None and provenance.state != "none":
        return (f"{name} carries Content Credentials: your changes go to an XMP sidecar "
                "beside it, so that the signed file stays exactly as it was signed.")  # fmt: skip
    if photo.path.suffix.lower() not in IN_PLACE_SUFFIXES:
        kind = photo.path.suffix.lstrip(".").upper() or "this kind of"
        return (f"{name} is a {kind} file: your changes go to an XMP sidecar beside it; "
                "the file itself is never rewritten.")  # fmt: skip
    return ""


def read_for_editing(paths: list[Path]) -> dict[Path, PhotoMetadata]:
    """Each photo's metadata (run in a worker: a file that cannot be read is empty)."""
    return {path: read_metadata(path) for path in paths}


class CaptionEdits(QObject):
    """The photos being edited, their fields, what changed, and what can be undone.

    Signals:
        loaded(): the photos' metadata is in; the editor can show the fields.
        changed(bool): the session became dirty (True) or clean (False).
        saved(object): a save ended; its Saved record.
        busy_changed(bool): a read or a save started (True) or ended (False).
    """

    loaded = Signal()
    changed = Signal(bool)
    saved = Signal(object)
    busy_changed = Signal(bool)

    def __init__(
        self,
        workers: Workers,
        fields: Sequence[str],
        list_fields: frozenset[str],
        parent: QObject | None = None,
    ) -> None:
        """A session over ``fields``, done by ``workers``.

        ``list_fields`` are the fields that hold several values (by-line, keywords...).
        """
        super().__init__(parent)
        self._workers = workers
        self.fields = tuple(fields)
        self.list_fields = list_fields
        self._photos: list[Photo] = []
        self._metadata: dict[Path, PhotoMetadata] = {}
        self._values: dict[str, FieldValue] = {}
        self._caption_mode = "replace"
        self._generation = 0
        self._busy = 0
        self._undo: list[Saved] = []
        self._written: dict[Path, tuple[int, int]] = {}  # our own writes: size, mtime
        self.last_save = 0.0  # time.monotonic() of the last save (Undo picks the latest)

    # --- the session --------------------------------------------------------------------

    def photos(self) -> list[Photo]:
        """The photos being edited."""
        return list(self._photos)

    def is_dirty(self) -> bool:
        """True when a field was changed and not saved."""
        return bool(self._values)

    def is_busy(self) -> bool:
        """True while metadata is read or a save is being written."""
        return self._busy > 0

    def begin(self, photos: Sequence[Photo]) -> None:
        """Edit ``photos`` from now on (unsaved changes are dropped: ask first)."""
        self._generation += 1
        self._photos = list(photos)
        self._metadata = {}
        self._set_values({})
        self._caption_mode = "replace"
        if not photos:
            return
        paths = [photo.path for photo in photos]
        self._set_busy(+1)
        limit = self._workers.limits.batch(len(paths))
        self._workers.runner.submit(
            self._on_read,
            "edit",
            self._generation,
            functools.partial(self._workers.pool.call, time_limit=limit),
            f"{len(paths)} photos",
            read_for_editing,
            paths,
            priority=Priority.CURRENT,
        )

    def discard(self) -> None:
        """Forget the unsaved changes (the photos keep what they hold)."""
        self._set_values({})

    def common(self, name: str) -> FieldValue | object:
        """The value every photo shares for field ``name``, or :data:`MIXED`."""
        if name in self._values:
            return self._values[name]
        return self.held(name)

    def held(self, name: str) -> FieldValue | object:
        """What the photos hold in field ``name`` (ignoring unsaved changes), or MIXED."""
        values = {field_of(self._metadata.get(p.path), name) for p in self._photos}
        if not values:
            return "" if name not in self.list_fields else ()
        return values.pop() if len(values) == 1 else MIXED

    def sidecar_notes(self) -> list[str]:
        """Why some photos' changes will go to sidecars, one line a photo (see sidecar_note)."""
        notes = (sidecar_note(p, self._metadata.get(p.path)) for p in self._photos)
        return [note for note in notes if note]

    def value_of(self, photo: Photo, name: str) -> FieldValue:
        """What ``photo``'s field ``name`` holds now (before any unsaved change)."""
        return field_of(self._metadata.get(photo.path), name)

    def set_value(self, name: str, value: FieldValue) -> None:
        """The user changed field ``name`` to ``value`` (for every photo edited)."""
        values = dict(self._values)
        values[name] = value
        self._set_values(values)

    def revert(self, name: str) -> None:
        """Field ``name`` goes back to what the photos hold."""
        values = dict(self._values)
        values.pop(name, None)
        self._set_values(values)

    def changed_fields(self) -> dict[str, FieldValue]:
        """The fields changed, and their new values as typed."""
        return dict(self._values)

    def caption_mode(self) -> str:
        """How a typed caption meets each photo's own: replace, or add before or after."""
        return self._caption_mode

    def set_caption_mode(self, mode: str) -> None:
        """Replace each photo's caption, or add the typed text before or after it."""
        self._caption_mode = mode if mode in CAPTION_MODES else "replace"

    def _set_values(self, values: dict[str, FieldValue]) -> None:
        was = self.is_dirty()
        self._values = values
        if was != self.is_dirty():
            self.changed.emit(self.is_dirty())

    def _set_busy(self, step: int) -> None:
        was = self.is_busy()
        self._busy += step
        if was != self.is_busy():
            self.busy_changed.emit(self.is_busy())

    def _on_read(self, result: TaskResult) -> None:
        self._set_busy(-1)
        if result.generation != self._generation:
            return
        self._metadata = result.value if result.error is None else {}
        self.loaded.emit()

    # --- saving -------------------------------------------------------------------------

    def changes_for(
        self, photo: Photo, expand: Callable[[str, Photo, PhotoMetadata | None], str]
    ) -> dict[str, FieldValue]:
        """What to write to ``photo``.

        The changed fields, variables and codes expanded for it by ``expand``, a caption
        added before or after its own when asked.
        """
        meta = self._metadata.get(photo.path)
        changes: dict[str, FieldValue] = {}
        for name, value in self._values.items():
            if isinstance(value, tuple):
                changes[name] = tuple(v for v in (expand(v, photo, meta) for v in value) if v)
                continue
            text = expand(value, photo, meta)
            own = str(field_of(meta, name))
            if name == "caption" and own and self._caption_mode == "before":
                text = f"{text} {own}".strip() if text else own
            elif name == "caption" and own and self._caption_mode == "after":
                text = f"{own} {text}".strip() if text else own
            changes[name] = text
        return changes

    def save(
        self,
        write: Callable[..., Any],
        expand: Callable[[str, Photo, PhotoMetadata | None], str],
    ) -> None:
        """Write the changed fields into every photo edited, in the workers.

        Every photo's values are expanded before anything is written.

        Raises:
            ValueError: a value cannot be expanded for a photo (an unknown variable,
                codes making it too long); the message names the photo. Nothing was
                written and the changes are kept.
        """
        if not self._values or not self._photos:
            return
        jobs = []
        for photo in self._photos:
            try:
                jobs.append((photo, self.changes_for(photo, expand)))
            except ValueError as exc:
                raise ValueError(f"{display_name(photo.path.name)}: {exc}") from None
        self._write(jobs, write, undoing=False)
        self._set_values({})

    def write_each(
        self, jobs: Mapping[Photo, Mapping[str, FieldValue]], write: Callable[..., Any]
    ) -> None:
        """Write each photo's own changes (the story's words), as a save that can be undone."""
        self._write(list(jobs.items()), write, undoing=False)

    def undo(self, write: Callable[..., Any]) -> bool:
        """Write back what the last save replaced; False when there is nothing to undo."""
        if not self._undo:
            return False
        last = self._undo.pop()
        roots = last.roots or (None,) * len(last.results)
        jobs = [
            (Photo(path=r.path, title="", caption="", credit="", alt_text="", root=root),
             dict(r.previous))
            for r, root in zip(last.results, roots, strict=True)
            if r.status in ("written", "sidecar") and r.previous
        ]  # fmt: skip
        self._write(jobs, write, undoing=True)
        return True

    def can_undo(self) -> bool:
        """True when a save can be taken back."""
        return bool(self._undo)

    def own_write(self, path: Path, size: int, mtime_ns: int) -> bool:
        """Whether the file at ``path`` with this size and time is what we wrote."""
        return self._written.get(path) == (size, mtime_ns)

    def _write(
        self, jobs: Sequence[tuple[Photo, Mapping[str, FieldValue]]], write: Callable[..., Any],
        *, undoing: bool,
    ) -> None:  # fmt: skip
        results: list[Any] = []
        roots: list[Path | None] = []
        if not jobs:
            return
        if not undoing:
            self.last_save = time.monotonic()
        self._set_busy(+1)

        def done(result: TaskResult, photo: Photo) -> None:
            outcome = result.value if result.error is None else _failed(photo, result)
            results.append(outcome)
            roots.append(photo.root)
            if getattr(outcome, "target", None) is not None:
                self._remember_written(outcome.target)
            if len(results) == len(jobs):
                record = Saved(tuple(results), tuple(roots), undone=undoing)
                if not undoing:
                    self._undo = [*self._undo, record][-UNDO_LIMIT:]
                self._set_busy(-1)
                self.saved.emit(record)

        limit = self._workers.limits.file * 2  # read, write, verify: two passes over it
        for photo, changes in jobs:
            self._workers.runner.submit(
                functools.partial(_deliver, done, photo),
                str(photo.path),
                self._generation,
                functools.partial(self._workers.pool.call, time_limit=limit, root=photo.root),
                display_name(photo.path.name),
                write,
                photo.path,
                dict(changes),
                priority=Priority.CURRENT,
            )

    def _remember_written(self, path: Path) -> None:
        try:
            info = os.stat(path)
        except OSError:
            return
        self._written[path] = (info.st_size, info.st_mtime_ns)


def _deliver(done: Callable[[TaskResult, Photo], None], photo: Photo, result: TaskResult) -> None:
    done(result, photo)


def _failed(photo: Photo, result: TaskResult) -> Any:
    """A result for a write the worker could not finish (too slow, a crash)."""
    from viewer.metadata.writer import WriteResult  # noqa: PLC0415 - with the writer

    return WriteResult(photo.path, "failed", str(result.error), (), {}, None)
