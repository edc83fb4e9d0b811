"""Guards against Qt binding releases that would crash Photo Desk under load."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    happened = Signal(object, object)


def test_emitting_signals_keeps_reference_counts_intact() -> None:
    # PySide6 6.12.0 dropped one reference to True per emit(); on Python 3.11 the
    # interpreter aborted after a few thousand thumbnails. The app emits per task.
    emitter = _Emitter()
    received: list[object] = []
    emitter.happened.connect(lambda a, b: received.append(b))
    before = sys.getrefcount(True)
    for i in range(500):
        emitter.happened.emit(emitter, i)
    assert len(received) == 500
    # Other code may take or drop a reference meanwhile; the bad release lost 500.
    assert abs(sys.getrefcount(True) - before) < 50
