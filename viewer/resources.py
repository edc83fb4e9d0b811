"""Where Photo Desk's bundled files live, however it was started.

Three ways of running share one answer, decided by :func:`resource_root`:

* frozen by PyInstaller: the bundle unpacks its data under ``sys._MEIPASS``;
* installed from a wheel: the data travels inside the package as ``viewer/_resources``;
* from a checkout (``python main.py`` or an editable install): the top-level ``resources/``.
"""

from __future__ import annotations

import sys
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def resource_root() -> Path:
    """Return the folder that holds ``gallery/`` and ``icons/``.

    Raises:
        FileNotFoundError: when none of the known places holds the resources, which
            means the installation is incomplete.
    """
    candidates = []
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root is not None:
        candidates.append(Path(frozen_root) / "resources")
    candidates.append(_PACKAGE_DIR / "_resources")
    candidates.append(_PACKAGE_DIR.parent / "resources")
    for candidate in candidates:
        if (candidate / "gallery").is_dir():
            return candidate
    searched = ", ".join(str(c) for c in candidates)
    raise FileNotFoundError(f"Photo Desk's bundled resources are missing (looked in {searched})")


def bundled_gallery_path() -> Path:
    """Return the manifest of the gallery shown on first launch."""
    return resource_root() / "gallery" / "zhurong" / "gallery.json"


def app_icon_path() -> Path:
    """Return the application icon (SVG)."""
    return resource_root() / "icons" / "photodesk.svg"
