"""What the user chose, remembered: typed values with QSettings behind them.

Every value read back is checked: a settings file edited by hand, or written by another
version, gives the default rather than a surprise. Without a QSettings (a screenshot
run, tests) the same object keeps the values in memory and writes nothing.
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtCore import QByteArray, QObject, QSettings

from viewer.ui.appearance import SCHEMES
from viewer.ui.slideshow import DEFAULT_INTERVAL, INTERVALS
from viewer.ui.strip import STRIP_SIDES, THUMB_SIZES

RECENT_LIMIT = 10
T = TypeVar("T")


class Preferences(QObject):
    """The user's choices; ``settings`` None keeps them for this run only."""

    def __init__(self, settings: QSettings | None = None, parent: QObject | None = None) -> None:
        """Choices kept in ``settings`` (None: in memory, for this run only)."""
        super().__init__(parent)
        self._settings = settings
        self._memory: dict[str, Any] = {}

    def _value(self, key: str, default: T, allowed: Collection[T]) -> T:
        """A stored value if it is one of ``allowed``; otherwise ``default``."""
        value: Any = self._memory.get(key, default)
        if self._settings is not None:
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
        self._memory[key] = value
        if self._settings is not None:
            self._settings.setValue(key, value)
            self._settings.sync()

    # --- choices ------------------------------------------------------------------------

    def thumbnail_size(self) -> str:
        """The thumbnail size: "small", "medium" or "large"."""
        return self._value("strip/thumbnail_size", "medium", THUMB_SIZES)

    def strip_side(self) -> str:
        """Where the strip is: "bottom" or "left"."""
        return self._value("strip/side", "bottom", STRIP_SIDES)

    def set_strip(self, side: str, size: str) -> None:
        """Remember where the thumbnails are and how large."""
        self._store("strip/thumbnail_size", size)
        self._store("strip/side", side)

    def slideshow_interval(self) -> int:
        """Seconds each photo stays in a slideshow."""
        return self._value("slideshow/interval", DEFAULT_INTERVAL, INTERVALS)

    def set_slideshow_interval(self, seconds: int) -> None:
        """Remember the slideshow's interval."""
        self._store("slideshow/interval", seconds)

    def slideshow_captions(self) -> bool:
        """Whether the slideshow shows captions."""
        return self._value("slideshow/captions", True, (True, False))

    def set_slideshow_captions(self, shown: bool) -> None:
        """Remember whether the slideshow shows captions."""
        self._store("slideshow/captions", shown)

    def scheme(self) -> str:
        """The appearance: "system", "light" or "dark"."""
        return self._value("appearance/scheme", "system", SCHEMES)

    def set_scheme(self, scheme: str) -> None:
        """Remember the appearance."""
        self._store("appearance/scheme", scheme)

    # --- File > Recent ------------------------------------------------------------------

    def recent(self) -> list[Path]:
        """What was opened lately, most recent first.

        At most RECENT_LIMIT entries, however many a settings file holds.
        """
        if self._settings is None:
            value = self._memory.get("recent", [])
        else:
            value = self._settings.value("recent", [])
        # INI files give back a single entry as a string and several as a list.
        entries = [value] if isinstance(value, str) else value if isinstance(value, list) else []
        recent: list[Path] = []
        for entry in entries:
            if isinstance(entry, str) and entry and "\x00" not in entry:
                recent.append(Path(entry))
                if len(recent) == RECENT_LIMIT:
                    break
        return recent

    def remember(self, path: Path) -> None:
        """Put ``path`` first in File > Recent."""
        entries = [path, *(p for p in self.recent() if p != path)][:RECENT_LIMIT]
        self._store("recent", [str(p) for p in entries])

    def clear_recent(self) -> None:
        """Empty File > Recent."""
        self._memory.pop("recent", None)
        if self._settings is not None:
            self._settings.remove("recent")
            self._settings.sync()

    # --- the window ---------------------------------------------------------------------

    def layout(self) -> dict[str, QByteArray]:
        """The window's saved geometry, state and splitters (empty: never saved)."""
        if self._settings is None:
            return {}
        saved = {}
        for key in ("geometry", "state", "splitter", "detail"):
            value = self._settings.value(f"window/{key}")
            if isinstance(value, QByteArray) and not value.isEmpty():
                saved[key] = value
        return saved

    def save_layout(self, layout: dict[str, QByteArray]) -> None:
        """Remember the window's geometry, state and splitters."""
        if self._settings is None:
            return
        for key, value in layout.items():
            self._settings.setValue(f"window/{key}", value)
        self._settings.sync()
