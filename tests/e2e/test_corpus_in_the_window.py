"""Every real-world file of ../shared/corpus (when present), opened the way a person
would: the folder in the window, each photo in turn. Each shows, or shows an error that
names the file, within its time limit; the folder is left exactly as it was."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from viewer.ui.main_window import MainWindow
from viewer.ui.tasks import FILE_TIME_LIMIT

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"

pytestmark = [
    pytest.mark.corpus,
    pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not present"),
]


def _state(folder: Path) -> dict[str, tuple[int, int]]:
    return {p.name: (p.stat().st_size, p.stat().st_mtime_ns) for p in folder.iterdir()}


def test_every_corpus_file_shows_or_says_why(qtbot: QtBot) -> None:
    before = _state(CORPUS)
    window = MainWindow()
    window.resize(1200, 800)
    qtbot.addWidget(window, before_close_func=lambda w: w.runner.wait_for_done(60_000))
    window.show()
    with qtbot.waitSignal(window.photo_shown, timeout=20_000):
        window.open_path(CORPUS)
    qtbot.waitUntil(
        lambda: (
            window.windowTitle().startswith("corpus —") and "listing" not in window.windowTitle()
        ),
        timeout=20_000,
    )
    view = window.detail.photo_view
    count = window.model.rowCount()
    assert count >= 90, f"only {count} images listed"
    errors: dict[str, str] = {}
    slowest = 0.0
    for row in range(count):
        photo = window.model.photo(row)
        assert photo is not None
        start = time.monotonic()
        window.go_to(row)
        wanted = photo.path

        def painted(wanted: Path = wanted) -> bool:
            return view.path() == wanted and (view.has_picture() or bool(view.error_message()))

        qtbot.waitUntil(painted, timeout=int((FILE_TIME_LIMIT + 5) * 1000))
        slowest = max(slowest, time.monotonic() - start)
        if view.error_message():
            errors[photo.path.name] = view.error_message()
    for name, message in errors.items():
        assert name in message or Path(name).stem in message, f"{name}: {message!r}"
    qtbot.waitUntil(window.runner.is_idle, timeout=60_000)
    shown = count - len(errors)
    print(f"\n{count} files: {shown} shown, {len(errors)} errors; slowest {slowest:.2f} s")
    for message in sorted(errors.values()):
        print(f"  {message}")
    assert len(errors) < count // 4, "most of the corpus should show"
    window.close()
    QApplication.processEvents()
    assert _state(CORPUS) == before, "the corpus folder was changed"
