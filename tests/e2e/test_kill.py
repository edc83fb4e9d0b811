"""Killed at any moment (kill -9), Photo Desk leaves its own files valid and the user's
photos untouched: thumbnails are written to a temporary name and renamed, settings are
saved through Qt's atomic QSaveFile."""

from __future__ import annotations

import hashlib
import os
import random
import subprocess
import sys
import time
from pathlib import Path

from PIL import Image
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from tests.builders import jpeg_bytes

ROOT = Path(__file__).resolve().parents[2]
RUNS = 6


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def _finished_thumbnails(home: Path) -> list[Path]:
    """Thumbnails written whole (a thumbnail is written to a dot-name, then renamed)."""
    return [p for p in (home / "cache" / "thumbnails").rglob("*.png") if not p.name.startswith(".")]


def test_a_kill_at_any_moment_leaves_everything_valid(qtbot: QtBot, tmp_path: Path) -> None:
    photos = tmp_path / "photos"
    photos.mkdir()
    for i in range(40):
        (photos / f"IMG_{i:03d}.jpg").write_bytes(
            jpeg_bytes(size=(1600, 1067), color=(i * 6 % 255, 100, 150))
        )
    before = _digest(photos)
    home = tmp_path / "home"
    conf = home / "config" / "photodesk" / "photodesk.conf"
    env = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        HOME=str(home),
        XDG_CACHE_HOME=str(home / "cache"),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_STATE_HOME=str(home / "state"),
    )
    rng = random.Random(20261124)
    for run in range(RUNS):
        process = subprocess.Popen(
            [sys.executable, str(ROOT / "main.py"), str(photos)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            if run == RUNS - 1:
                # The last run lives at least until thumbnails and File > Recent are on
                # disk (written by it or an earlier run): the checks below always have
                # something to check, however slow the machine.
                qtbot.waitUntil(
                    lambda: conf.exists() and bool(_finished_thumbnails(home)), timeout=60_000
                )
            time.sleep(rng.uniform(0.4, 2.5))  # the moment of the kill, at random
        finally:
            process.kill()
            process.wait(timeout=10)

    finished = _finished_thumbnails(home)
    assert finished, "the runs should have written some thumbnails"
    for png in finished:
        with Image.open(png) as thumbnail:
            thumbnail.load()  # complete, not truncated
            assert thumbnail.info.get("Thumb::URI", "").startswith("file://"), png
    assert conf.exists(), "the runs should have saved File > Recent"
    settings = QSettings(str(conf), QSettings.Format.IniFormat)
    assert settings.status() == QSettings.Status.NoError
    assert str(photos) in str(settings.value("recent")), settings.value("recent")
    assert _digest(photos) == before, "the user's photos were changed"
    assert not (photos / ".photodesk").exists() and len(list(photos.iterdir())) == 40
