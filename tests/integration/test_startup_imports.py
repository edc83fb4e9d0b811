"""Start-up loads only what the window needs; the decoders load in the workers."""

from __future__ import annotations

from tests.builders import python_output


def test_building_the_window_does_not_load_pillow_or_exifread() -> None:
    code = (
        "import sys\n"
        "from PySide6.QtWidgets import QApplication\n"
        "app = QApplication([])\n"
        "import viewer.app\n"
        "from viewer.imaging.thumbcache import ThumbnailCache, thumbnail_root\n"
        "from viewer.ui.main_window import MainWindow\n"
        "window = MainWindow(thumbnail_cache=ThumbnailCache(thumbnail_root()))\n"
        "print(sorted(m for m in ('PIL', 'exifread') if m in sys.modules))\n"
    )
    loaded = python_output(code)
    assert loaded == "[]", loaded
