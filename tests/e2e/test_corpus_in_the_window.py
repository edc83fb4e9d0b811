"""Every real-world file of ../shared/corpus (when present), opened the way a person
would: the folder in the window, each photo in turn. Each shows, or shows an error that
names the file, within its time limit; the folder is left exactly as it was."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

# The one window fixture of the integration tests, and its guard against windows and
# worker processes left behind, serve this test too.
from tests.integration.conftest import (
    MakeWindow,
    _no_window_left_open,  # noqa: F401
    make_window,  # noqa: F401
    wait_until_idle,
)
from viewer.ui.workers import TimeLimits

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
FILE_TIME_LIMIT = TimeLimits().file

pytestmark = [
    pytest.mark.corpus,
    pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not present"),
]


def _state(folder: Path) -> dict[str, tuple[int, int]]:
    return {p.name: (p.stat().st_size, p.stat().st_mtime_ns) for p in folder.iterdir()}


def test_every_corpus_file_shows_or_says_why(
    qtbot: QtBot,
    make_window: MakeWindow,  # noqa: F811
) -> None:
    before = _state(CORPUS)
    window = make_window()
    state = window.state
    window.show()
    with qtbot.waitSignal(window.photo_shown, timeout=20_000):
        state.open_path(CORPUS)
    qtbot.waitUntil(
        lambda: (
            window.windowTitle().startswith("corpus —") and "listing" not in window.windowTitle()
        ),
        timeout=20_000,
    )
    view = window.detail.photo_view
    count = state.shown.rowCount()
    assert count >= 90, f"only {count} images listed"
    errors: dict[str, str] = {}
    slowest = 0.0
    for row in range(count):
        photo = state.shown.photo(row)
        assert photo is not None
        start = time.monotonic()
        state.go_to(row)
        wanted = photo.path

        def painted(wanted: Path = wanted) -> bool:
            return view.path() == wanted and (view.has_picture() or bool(view.error_message()))

        qtbot.waitUntil(painted, timeout=int((FILE_TIME_LIMIT + 5) * 1000))
        slowest = max(slowest, time.monotonic() - start)  # printed, never asserted
        if view.error_message():
            errors[photo.path.name] = view.error_message()
    for name, message in errors.items():
        assert name in message or Path(name).stem in message, f"{name}: {message!r}"
    wait_until_idle(qtbot, state, timeout=60_000)
    shown = count - len(errors)
    print(f"\n{count} files: {shown} shown, {len(errors)} errors; slowest {slowest:.2f} s")
    for message in sorted(errors.values()):
        print(f"  {message}")
    assert len(errors) < count // 4, "most of the corpus should show"
    window.close()
    assert _state(CORPUS) == before, "the corpus folder was changed"
