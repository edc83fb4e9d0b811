"""Opening what the user asks for: a folder, a photo, files, a gallery manifest.

A manifest is read and checked in the task runner, off the GUI thread; a folder is
handed to the state's :class:`~viewer.ui.folder_source.FolderSource`, listed in batches.
Whatever cannot be opened is told to the user, naming it; with ``fallback`` (at start,
or for what was open last time), the bundled story is shown instead of an empty window.
Only the latest request counts: a manifest still being read when something else is
opened is dropped.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from viewer.fileaccess import display_name, printable
from viewer.files import is_image
from viewer.model import MANIFEST_NAME, files_gallery, load_manifest
from viewer.resources import bundled_gallery_path
from viewer.ui.tasks import TaskResult
from viewer.ui.workers import Priority

if TYPE_CHECKING:
    from viewer.ui.state import ViewerState


class Opener(QObject):
    """Opens galleries for ``state`` and tells it, or the user, what came of it."""

    def __init__(self, state: ViewerState) -> None:
        """An opener working for ``state`` (its workers, folder source and signals)."""
        super().__init__(state)
        self._state = state
        self._opening = 0  # the latest request: an older manifest read is dropped
        self._fallback = False  # the folder being listed gives way to the bundled story
        self._listing_target: Path | None = None
        # Asked before the gallery shown is left (unsaved captions or story: the window
        # asks the user); False keeps it.
        self.may_leave: Callable[[], bool] = lambda: True
        state.folder.empty.connect(self._on_folder_empty)
        state.folder.failed.connect(self._on_folder_failed)
        state.folder.listed.connect(lambda _folder: self._listed())

    def cancel_pending(self) -> None:
        """Forget the manifest being read, if any: something else is shown instead."""
        self._opening += 1

    def listing_target(self) -> Path | None:
        """The folder (or the photo in it) being listed or last listed."""
        return self._listing_target

    def open_path(self, path: Path, *, fallback: bool = False) -> None:
        """Open a folder, a gallery manifest, or an image (its folder, with it selected).

        With ``fallback``, a gallery that cannot be opened gives way to the bundled story.
        """
        if not fallback and not self.may_leave():
            return
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
            self.open_manifest(bundled_gallery_path())
        elif last.exists():
            self.open_path(last, fallback=True)
        else:
            text = f"{display_name(last)}: no longer there"
            self._refuse("Cannot open what was open last", text, fallback=True)

    def open_files(self, paths: list[Path]) -> None:
        """One path as :meth:`open_path` does; several images as a gallery of them."""
        if len(paths) == 1:
            self.open_path(paths[0])
            return
        if not self.may_leave():
            return
        images = [p.absolute() for p in paths if p.is_file() and is_image(p)]
        if not images:
            text = "None of these files is an image Photo Desk opens."
            self._state.problem.emit("Cannot open", text)
            return
        self._opening += 1
        self._state.set_gallery(files_gallery(images[0].parent, images, f"{len(images)} photos"))

    def open_manifest(self, manifest: Path, *, fallback: bool = False) -> None:
        """Read and check a gallery manifest off the GUI thread, then show it."""
        if not fallback and not self.may_leave():
            return
        self._opening += 1
        workers = self._state.workers
        workers.runner.submit(
            functools.partial(self._on_manifest_loaded, fallback=fallback),
            str(manifest),
            self._opening,
            load_manifest,
            manifest,
            priority=Priority.CURRENT,
            time_limit=workers.limits.batch(1000),
        )

    def _on_manifest_loaded(self, result: TaskResult, *, fallback: bool) -> None:
        if result.generation != self._opening:
            return  # something else was opened meanwhile
        if result.error is not None:
            self._refuse("Cannot open this gallery", str(result.error), fallback=fallback)
            return
        self._state.set_gallery(result.value)
        if Path(result.key) != bundled_gallery_path():
            self._state.opened.emit(Path(result.key))

    def _refuse(self, title: str, text: str, *, fallback: bool) -> None:
        text = printable(text)  # a Qt string cannot carry half a character
        if fallback:
            text += "\n\nShowing the bundled story instead."
            self.open_manifest(bundled_gallery_path())
        self._state.problem.emit(title, text)

    def _list_folder(self, folder: Path, select: Path | None, *, fallback: bool) -> None:
        self._opening += 1  # a manifest still being read is no longer wanted
        self._fallback = fallback
        self._listing_target = select or folder
        self._state.begin_listing(folder)

    def _listed(self) -> None:
        self._fallback = False

    def _on_folder_empty(self, folder: Path) -> None:
        text = f"{display_name(folder)}: this folder holds no images."
        self._refuse("No photos here", text, fallback=self._fallback)

    def _on_folder_failed(self, _folder: Path, why: str) -> None:
        self._refuse("Cannot open this folder", why, fallback=self._fallback)
