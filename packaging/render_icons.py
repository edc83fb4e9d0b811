"""Render the SVG app icon to the PNG sizes desktops look for (hicolor theme, Windows and
macOS installers). Run with the project's Python: ``.venv/bin/python packaging/render_icons.py``.

The PNGs are committed (packaging/icons/) so that building a Debian package needs no Qt;
run this again after changing resources/icons/photodesk.svg.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt  # noqa: PLC0415
    from PySide6.QtGui import QGuiApplication, QImage, QImageWriter, QPainter  # noqa: PLC0415
    from PySide6.QtSvg import QSvgRenderer  # noqa: PLC0415

    _app = QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(ROOT / "resources" / "icons" / "photodesk.svg"))
    if not renderer.isValid():
        print("render_icons: the SVG icon cannot be read", file=sys.stderr)
        return 1
    target = ROOT / "packaging" / "icons"
    target.mkdir(exist_ok=True)
    for size in SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        writer = QImageWriter(str(target / f"photodesk-{size}.png"), b"png")
        if not writer.write(image):
            print(f"render_icons: {writer.errorString()}", file=sys.stderr)
            return 1
    print(f"wrote {len(SIZES)} icons to {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
