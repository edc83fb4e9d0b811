"""The current photo's pixels and metadata: asked for, decoded in workers, kept, delivered.

The flow, each time the current photo changes (:meth:`PhotoLoader.show`):

1. a new generation number; decodes asked for photos no longer wanted (the user is
   holding an arrow key) are dropped if they have not started;
2. the screen-size decode of the photo comes from the cache when it is there (prefetched:
   no "Loading…" in between), else is asked for first in the queue; its neighbours
   either side are asked for next, so the next photo is ready before it is wanted;
3. its metadata comes from the cache or is read in a worker;
4. results come back on the GUI thread keyed by path and generation: every decode is
   kept (within a byte budget), but only the current photo's is delivered
   (``screen_ready``), so nothing is ever painted onto the wrong photo.

Zooming past the screen-size decode asks for the full-resolution one
(:meth:`PhotoLoader.ask_full_resolution`); GIF, WebP and PNG files are also asked for
their animation frames once their first frame is on screen.
"""

from __future__ import annotations

from collections import OrderedDict
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from viewer.imaging.decode import (
    AnimationFrames,
    ScreenImage,
    decode_animation,
    decode_for_screen,
    decode_full_resolution,
)
from viewer.imaging.lru import ByteBudgetLRU
from viewer.metadata import PhotoMetadata, read_metadata
from viewer.model import Photo
from viewer.ui.tasks import Task, TaskResult
from viewer.ui.workers import Priority, Workers

# The current photo and its neighbours, even at 4K (a 3840 x 2160 decode is 32 MiB).
SCREEN_IMAGE_BUDGET = 128 * 1024 * 1024
METADATA_HELD = 512  # photos whose metadata is kept (a few KiB each)
ANIMATABLE_SUFFIXES = frozenset({".gif", ".webp", ".png", ".apng"})

ScreenKey = tuple[Path, tuple[int, int]]


class PhotoLoader(QObject):
    """Decodes and reads the current photo (and prefetches its neighbours) in workers.

    Signals:
        screen_ready(object, object): the current photo's Path and its ScreenImage.
        screen_failed(object, str): the current photo's Path and why it cannot be shown.
        full_resolution_ready(object, object): the Path and a QImage of every pixel.
        animation_ready(object, object): the Path and its AnimationFrames.
        metadata_ready(object, object, str): the Path, its PhotoMetadata (None when it
            could not be read) and the reason it could not.

    Paths travel as Path objects: a Qt string would lose a name that is not UTF-8.
    """

    screen_ready = Signal(object, object)
    screen_failed = Signal(object, str)
    full_resolution_ready = Signal(object, object)
    animation_ready = Signal(object, object)
    metadata_ready = Signal(object, object, str)

    def __init__(self, workers: Workers, parent: QObject | None = None) -> None:
        """A loader handing its work to ``workers``."""
        super().__init__(parent)
        self._workers = workers
        self._generation = 0
        self._current: Photo | None = None
        self._box = (1920, 1080)
        self._screens: ByteBudgetLRU[ScreenKey, ScreenImage] = ByteBudgetLRU(
            SCREEN_IMAGE_BUDGET, lambda screen: screen.image.sizeInBytes()
        )
        self._in_flight: dict[ScreenKey, Task | None] = {}
        self._metadata: OrderedDict[Path, tuple[PhotoMetadata | None, str]] = OrderedDict()
        self._metadata_asked: set[Path] = set()

    # --- what is wanted -----------------------------------------------------------------

    def set_screen_box(self, box: tuple[int, int]) -> None:
        """Decode for this many device pixels at most.

        The screen, or the window if it is larger: the largest the picture can be shown without
        zooming.
        """
        self._box = box

    def screen_box(self) -> tuple[int, int]:
        """The box screen-size decodes are fitted into."""
        return self._box

    def show(self, photo: Photo, neighbours: list[Photo]) -> ScreenImage | None:
        """Make ``photo`` the current one; its screen image if it is ready.

        Otherwise it comes later through ``screen_ready`` or ``screen_failed``.
        """
        self._generation += 1
        self._current = photo
        wanted = {photo.path, *(near.path for near in neighbours)}
        for key, task in list(self._in_flight.items()):
            if key[0] not in wanted and self._workers.runner.cancel(task):
                del self._in_flight[key]
        ready = self._screens.get((photo.path, self._box))
        if ready is None:
            self._decode(photo, Priority.CURRENT)
        else:
            self._animate_if_animated(photo)
        for near in neighbours:
            if (near.path, self._box) not in self._screens:
                self._decode(near, Priority.NEIGHBOUR)
        self._read_metadata(photo)
        return ready

    def current(self) -> Photo | None:
        """The photo last asked for with :meth:`show`."""
        return self._current

    def metadata(self, path: Path) -> tuple[PhotoMetadata | None, str] | None:
        """The metadata read for ``path`` and the error, if it has been read."""
        return self._metadata.get(path)

    def ask_full_resolution(self, photo: Photo, full_size: tuple[int, int]) -> None:
        """Decode every pixel of ``photo`` (zoomed past what the screen decode holds)."""
        limits = self._workers.limits
        self._workers.runner.submit(
            self._on_full_resolution_decoded,
            str(photo.path),
            self._generation,
            decode_full_resolution,
            photo.path,
            full_size,
            self._workers.pool,
            photo.root,
            limits.full_resolution,
            priority=Priority.CURRENT,
        )

    def forget(self, paths: set[Path]) -> None:
        """These files were rewritten: decode and read them afresh when next shown."""
        for key in [key for key in self._screens.held() if key[0] in paths]:
            self._screens.discard(key)
        for path in paths:
            self._metadata.pop(path, None)
            self._metadata_asked.discard(path)

    def forget_metadata(self, paths: set[Path]) -> None:
        """These files' metadata changed, not their pixels (our own verified writes)."""
        for path in paths:
            self._metadata.pop(path, None)
            self._metadata_asked.discard(path)

    def refresh_metadata(self, photo: Photo) -> None:
        """Read ``photo``'s metadata again (it was written to)."""
        self.forget_metadata({photo.path})
        self._read_metadata(photo)

    def clear(self) -> None:
        """A new gallery: nothing held is wanted soon."""
        self._screens.clear()
        self._metadata.clear()
        self._metadata_asked.clear()
        self._current = None

    def screens_held(self) -> int:
        """How many photos are decoded at screen size right now."""
        return len(self._screens)

    # --- work ---------------------------------------------------------------------------

    def _decode(self, photo: Photo, priority: Priority) -> None:
        key = (photo.path, self._box)
        if key in self._in_flight:
            return
        self._in_flight[key] = self._workers.runner.submit(
            self._on_screen_decoded,
            str(photo.path),
            self._generation,
            decode_for_screen,
            photo.path,
            self._box,
            self._workers.pool,
            photo.root,
            priority=priority,
        )

    def _read_metadata(self, photo: Photo) -> None:
        held = self._metadata.get(photo.path)
        if held is not None:
            self._metadata.move_to_end(photo.path)
            self.metadata_ready.emit(photo.path, *held)
            return
        if photo.path in self._metadata_asked:
            return
        self._metadata_asked.add(photo.path)
        self._workers.runner.submit(
            self._on_metadata_read,
            str(photo.path),
            self._generation,
            self._workers.pool.call,
            photo.path.name,
            read_metadata,
            photo.path,
            priority=Priority.CURRENT,
        )

    def _animate_if_animated(self, photo: Photo) -> None:
        """GIF, WebP and PNG may be animations: decode their frames to play them."""
        if photo.path.suffix.lower() not in ANIMATABLE_SUFFIXES:
            return
        self._workers.runner.submit(
            self._on_animation_decoded,
            str(photo.path),
            self._generation,
            decode_animation,
            photo.path,
            self._box,
            self._workers.pool,
            photo.root,
            self._workers.limits.animation,
            priority=Priority.NEIGHBOUR,
        )

    def _is_current(self, result: TaskResult) -> bool:
        current = self._current
        return (
            current is not None
            and result.generation == self._generation
            and current.path == Path(result.key)
        )

    # --- results ------------------------------------------------------------------------

    def _on_screen_decoded(self, result: TaskResult) -> None:
        path = Path(result.key)
        self._in_flight = {k: t for k, t in self._in_flight.items() if k[0] != path}
        current = self._current
        is_current = current is not None and current.path == path
        if result.error is not None:
            if is_current:
                self.screen_failed.emit(path, str(result.error))
            return
        screen: ScreenImage = result.value
        self._screens.put((path, self._box), screen)
        if is_current and current is not None:
            self.screen_ready.emit(path, screen)
            self._animate_if_animated(current)

    def _on_metadata_read(self, result: TaskResult) -> None:
        path = Path(result.key)
        self._metadata_asked.discard(path)
        value: Any = result.value
        held = (value if result.error is None else None, str(result.error or ""))
        self._metadata[path] = held
        while len(self._metadata) > METADATA_HELD:
            self._metadata.popitem(last=False)
        if self._current is not None and self._current.path == path:
            self.metadata_ready.emit(path, *held)

    def _on_full_resolution_decoded(self, result: TaskResult) -> None:
        if result.error is None and self._is_current(result):
            self.full_resolution_ready.emit(Path(result.key), result.value)

    def _on_animation_decoded(self, result: TaskResult) -> None:
        animation: AnimationFrames | None = result.value
        if animation is not None and self._is_current(result):
            self.animation_ready.emit(Path(result.key), animation)
