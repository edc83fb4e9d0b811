"""Photo Desk's log: where it lives on each platform, a private rotating file, and
standard error when the folder cannot be written."""

from __future__ import annotations

import logging
import logging.handlers
import stat
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from viewer.logs import BACKUPS, LOG_NAME, MAX_BYTES, log_folder, start_log


@pytest.fixture
def logger() -> Iterator[logging.Logger]:
    """The ``photodesk`` logger, put back as it was after the test (start_log replaces
    its handlers, the test suite's own guard among them)."""
    log = logging.getLogger(LOG_NAME)
    saved = (list(log.handlers), log.level, log.propagate)
    yield log
    for handler in list(log.handlers):
        log.removeHandler(handler)
        handler.close()
    handlers, level, propagate = saved
    for handler in handlers:
        log.addHandler(handler)
    log.setLevel(level)
    log.propagate = propagate


def test_the_folder_follows_each_platforms_convention() -> None:
    home = Path.home()
    assert log_folder({"XDG_STATE_HOME": "/var/state"}, "linux") == Path("/var/state/photodesk")
    assert log_folder({}, "linux") == home / ".local" / "state" / "photodesk"
    assert log_folder({"XDG_STATE_HOME": "relative"}, "linux") == (
        home / ".local" / "state" / "photodesk"
    ), "a relative XDG path is ignored, as the specification says"
    windows = log_folder({"LOCALAPPDATA": "/users/ana/AppData/Local"}, "win32")
    assert windows == Path("/users/ana/AppData/Local/photodesk/logs")
    assert log_folder({}, "darwin") == home / "Library" / "Logs" / "photodesk"


def test_messages_go_to_a_private_file(tmp_path: Path, logger: logging.Logger) -> None:
    folder = tmp_path / "state" / "photodesk"
    path = start_log(folder)
    assert path == folder / "photodesk.log"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700, "only the user reads the log"
    logger.info("a file was given up on")
    logger.debug("not kept")
    for handler in logger.handlers:
        handler.flush()
    text = path.read_text(encoding="utf-8")
    assert " INFO a file was given up on\n" in text
    assert "not kept" not in text
    assert not logger.propagate, "not repeated by the root logger"


def test_starting_again_replaces_the_handler(tmp_path: Path, logger: logging.Logger) -> None:
    start_log(tmp_path / "first")
    second = start_log(tmp_path / "second")
    assert len(logger.handlers) == 1
    logger.info("once")
    for handler in logger.handlers:
        handler.flush()
    assert second is not None and second.read_text(encoding="utf-8").count("once") == 1
    assert not (tmp_path / "first" / "photodesk.log").exists(), "created only when written"


def test_the_log_rotates_and_stays_small(tmp_path: Path, logger: logging.Logger) -> None:
    path = start_log(tmp_path)
    assert path is not None
    chunk = "x" * (MAX_BYTES // 4)
    for index in range(4 * (BACKUPS + 2)):
        logger.info("%d %s", index, chunk)
    for handler in logger.handlers:
        handler.flush()
    files = sorted(tmp_path.glob("photodesk.log*"))
    assert [f.name for f in files] == ["photodesk.log"] + [
        f"photodesk.log.{n}" for n in range(1, BACKUPS + 1)
    ]
    assert all(f.stat().st_size <= MAX_BYTES for f in files)
    assert f"{4 * (BACKUPS + 2) - 1} x" in path.read_text(encoding="utf-8"), "the newest kept"


def test_an_unwritable_folder_sends_the_log_to_standard_error(
    tmp_path: Path, logger: logging.Logger
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the log folder should be")
    assert start_log(blocker / "photodesk") is None
    (handler,) = logger.handlers
    assert isinstance(handler, logging.StreamHandler)
    assert not isinstance(handler, logging.handlers.RotatingFileHandler)
    assert handler.stream is sys.stderr
