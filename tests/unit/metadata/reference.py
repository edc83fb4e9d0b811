"""ExifTool as the reference reader in the writer's tests: what it reads, group by group.

Not a test module: the writer's test modules import it. Tests that use it skip when
ExifTool is not installed (Debian: libimage-exiftool-perl).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pytest

EXIFTOOL = shutil.which("exiftool")
needs_exiftool = pytest.mark.skipif(EXIFTOOL is None, reason="ExifTool is not installed")
# Tags that say where things are in the file, or what the file is as a file, rather
# than what it says: they may differ after any rewrite (the data they point at is
# compared through its own tag, such as ThumbnailImage or MPImage2).
POSITIONAL = (
    "ThumbnailOffset",
    "PreviewImageStart",
    "MPImageStart",
    "StripOffsets",
    "CurrentIPTCDigest",
)


def read_tags(paths: Iterable[Path]) -> dict[str, dict[str, Any]]:
    """``exiftool -a -G1 -b -j`` of each file, by file name, System tags left out."""
    assert EXIFTOOL is not None
    result = subprocess.run(
        [EXIFTOOL, "-a", "-G1", "-b", "-j", "-charset", "utf8", *map(str, paths)],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    tags: dict[str, dict[str, Any]] = {}
    for entry in json.loads(result.stdout or "[]"):
        source = Path(entry.pop("SourceFile")).name
        tags[source] = {k: v for k, v in entry.items() if not k.startswith("System:")}
    return tags


def differences(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, tuple[Any, Any]]:
    """The tags that differ (added, removed or changed), positional ones left out."""
    return {
        key: (before.get(key), after.get(key))
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key) and not key.endswith(POSITIONAL)
    }


def as_list(value: Any) -> list[str]:
    """An ExifTool value as a list of strings (a single value becomes one item)."""
    if value is None:
        return []
    if isinstance(value, list):
        return [str(item) for item in value]
    return [str(value)]
