r"""Photo Desk's log: a small rotating file in the user's state folder (no Qt).

``$XDG_STATE_HOME/photodesk/photodesk.log`` on Linux (``~/.local/state/...`` when unset),
``%LOCALAPPDATA%\photodesk\logs`` on Windows, ``~/Library/Logs/photodesk`` on macOS. At
most four files of 1 MiB. What goes in: unexpected errors with their tracebacks, files
given up on for their time limit; never the content of captions or pictures.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

LOG_NAME = "photodesk"
MAX_BYTES = 1024 * 1024
BACKUPS = 3


def log_folder(environ: dict[str, str] | None = None, platform: str = sys.platform) -> Path:
    """Where the log lives on this platform (not created here)."""
    env = os.environ if environ is None else environ
    if platform == "win32" and env.get("LOCALAPPDATA"):
        return Path(env["LOCALAPPDATA"]) / "photodesk" / "logs"
    if platform == "darwin":
        return Path.home() / "Library" / "Logs" / "photodesk"
    state = env.get("XDG_STATE_HOME", "")
    base = Path(state) if state and Path(state).is_absolute() else Path.home() / ".local" / "state"
    return base / "photodesk"


def start_log(folder: Path | None = None) -> Path | None:
    """Send the ``photodesk`` logger to the rotating file.

    Returns the file's path, or None when the folder cannot be written (the log then goes
    to standard error).
    """
    import logging.handlers  # noqa: PLC0415 - it pulls in socket and pickle: not at start-up

    logger = logging.getLogger(LOG_NAME)
    logger.setLevel(logging.INFO)
    folder = folder if folder is not None else log_folder()
    path = folder / f"{LOG_NAME}.log"
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8", delay=True
        )
    except OSError:
        handler, path = logging.StreamHandler(sys.stderr), None  # type: ignore[assignment]
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    for old in list(logger.handlers):
        logger.removeHandler(old)
        old.close()
    logger.addHandler(handler)
    logger.propagate = False
    return path
