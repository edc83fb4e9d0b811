"""Unexpected errors: logged with their traceback, told to the user once, app carries on.

PySide6 hands an exception raised in a slot, a timer or an overridden Qt method to
``sys.excepthook``; Python threads go to ``threading.excepthook``. Both are pointed at
:class:`ProblemReporter`, which writes the traceback to the log and asks the window (through
a queued signal, whatever thread it came from) to show a non-modal message. The same bug
hit again (same exception type raised at the same line) is logged but not shown again.
"""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QObject, Signal

LOG = logging.getLogger("photodesk")


class ProblemReporter(QObject):
    """Installs the exception hooks for the life of the app.

    Signals:
        problem(str, str): a title and a message for the user, emitted once per bug.
    """

    problem = Signal(str, str)

    def __init__(self, log_path: Path | None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._log_path = log_path
        self._seen: set[tuple[str, str, int]] = set()
        self._previous_hook = sys.excepthook
        self._previous_thread_hook = threading.excepthook

    def set_log_path(self, path: Path | None) -> None:
        """Where the log went (it is started after the first photo is on screen)."""
        self._log_path = path

    def install(self) -> None:
        """Point Python's exception hooks at this reporter."""
        sys.excepthook = self._on_exception
        threading.excepthook = self._on_thread_exception

    def uninstall(self) -> None:
        """Give the exception hooks back to whoever had them before."""
        sys.excepthook = self._previous_hook
        threading.excepthook = self._previous_thread_hook

    def _on_thread_exception(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_value is not None:
            self._on_exception(args.exc_type, args.exc_value, args.exc_traceback)

    def _on_exception(
        self,
        kind: type[BaseException],
        value: BaseException,
        trace: TracebackType | None,
    ) -> None:
        if issubclass(kind, KeyboardInterrupt | SystemExit):
            self._previous_hook(kind, value, trace)
            return
        LOG.error("unexpected error", exc_info=(kind, value, trace))
        frames = traceback.extract_tb(trace)
        where = (frames[-1].filename, frames[-1].lineno or 0) if frames else ("", 0)
        key = (kind.__name__, *where)
        if key in self._seen:
            return
        self._seen.add(key)
        details = f"\n\nThe details are in {self._log_path}." if self._log_path else ""
        self.problem.emit(
            "Something went wrong",
            "Photo Desk ran into a problem it did not expect and carried on. Nothing you "
            f"had open was changed.\n\n{kind.__name__}: {value}{details}",
        )
