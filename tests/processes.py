"""The worker processes this test process has running, seen from /proc (Linux)."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path


def worker_processes() -> list[int]:
    """Ids of the live (not zombie) children of this process that run Photo Desk's worker."""
    me = str(os.getpid())
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            command = (entry / "cmdline").read_bytes()
        except OSError:  # it ended while we looked
            continue
        state, parent = fields[0], fields[1]
        if parent == me and state != "Z" and b"worker_main" in command:
            found.append(int(entry.name))
    return found


def wait_for_no_workers(timeout: float = 5.0) -> list[int]:
    """The workers still running once none is left or ``timeout`` seconds have passed."""
    deadline = time.monotonic() + timeout
    while (left := worker_processes()) and time.monotonic() < deadline:
        time.sleep(0.02)
    return left


def loaded_modules() -> list[str]:
    """The modules loaded in the process that runs this (a worker, in a test); this
    module itself imports nothing of Photo Desk's."""
    return sorted(sys.modules)
