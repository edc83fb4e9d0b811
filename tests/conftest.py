"""Fixtures shared by every test layer. No Qt here: the unit tests also run without PySide6."""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.builders import jpeg_bytes, manifest_document
from viewer.resources import bundled_gallery_path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def expected_logs() -> list[str]:
    """Patterns (regular expressions) of WARNING and ERROR messages a test provokes on
    purpose; any other such message fails it."""
    return []


@pytest.fixture(autouse=True)
def _fail_on_unexpected_logs(expected_logs: list[str]) -> Iterator[None]:
    """A WARNING or ERROR logged by Photo Desk during a test fails the test, unless the
    test said it expects it (qutebrowser does the same)."""
    logger = logging.getLogger("photodesk")
    handler = _Records()
    logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)
    unexpected = [
        f"{record.levelname}: {record.getMessage()}"
        for record in handler.records
        if not any(re.search(pattern, record.getMessage()) for pattern in expected_logs)
    ]
    assert not unexpected, "unexpected log messages:\n" + "\n".join(unexpected)


@pytest.fixture(autouse=True)
def _private_cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Thumbnails and settings written by a test (or the app it starts) never reach the
    real ~/.cache or ~/.config."""
    cache = tmp_path / "xdg-cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))  # QSettings too
    return cache


@pytest.fixture
def write_jpeg(tmp_path: Path) -> Callable[..., Path]:
    """Write a JPEG into tmp_path: ``write_jpeg("a.jpg", exif=..., iptc_fields=...)``."""

    def write(name: str, **kwargs: Any) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(jpeg_bytes(**kwargs))
        return path

    return write


@pytest.fixture
def make_gallery(tmp_path: Path) -> Callable[..., Path]:
    """Write a gallery folder with ``count`` JPEGs and return its manifest path.

    ``edit`` receives the manifest document before it is written.
    """

    def make(
        count: int = 3,
        edit: Callable[[dict[str, Any]], None] | None = None,
        folder: str = "gallery",
    ) -> Path:
        root = tmp_path / folder
        root.mkdir(parents=True, exist_ok=True)
        files = []
        for i in range(count):
            name = f"photo-{i + 1}.jpg"
            (root / name).write_bytes(
                jpeg_bytes(size=(300 + 20 * i, 200), color=(60 * i % 255, 120, 200 - 40 * i))
            )
            files.append(name)
        document = manifest_document(files)
        if edit is not None:
            edit(document)
        manifest = root / "gallery.json"
        manifest.write_text(json.dumps(document, indent=2), encoding="utf-8")
        return manifest

    return make


@pytest.fixture
def bundled_copy(tmp_path: Path) -> Path:
    """A private copy of the bundled gallery, safe to modify."""
    source = bundled_gallery_path().parent
    target = tmp_path / "zhurong"
    shutil.copytree(source, target)
    return target / "gallery.json"
