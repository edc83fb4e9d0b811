"""Start-up loads only what the window needs: the decoders, the metadata readers, the
caption writer (exiv2) and the Content Credentials library (c2pa) load in the worker
processes, and the window's process never loads them, not even for the first photo; the
caption and story editors load when first opened."""

from __future__ import annotations

from tests.builders import python_output


def test_the_windows_process_never_loads_the_decoders_or_the_writer() -> None:
    code = (
        "import sys\n"
        "from PySide6.QtCore import QTimer\n"
        "from PySide6.QtWidgets import QApplication\n"
        "app = QApplication([])\n"
        "from viewer.imaging.thumbcache import ThumbnailCache, thumbnail_root\n"
        "from viewer.ui.main_window import MainWindow\n"
        "from viewer.ui.preferences import Preferences\n"
        "from viewer.ui.state import ViewerState\n"
        "from viewer.ui.workers import Workers\n"
        "workers = Workers()\n"
        "state = ViewerState(workers, ThumbnailCache(thumbnail_root()))\n"
        "window = MainWindow(state, Preferences())\n"
        "window.photo_shown.connect(lambda _path: app.quit())\n"
        "QTimer.singleShot(20_000, app.quit)\n"
        "state.open_bundled_story()\n"
        "window.show()\n"
        "app.exec()\n"
        "shown = window.detail.photo_view.has_picture()\n"
        "workers.close()\n"
        "late = ('PIL', 'exifread', 'defusedxml', 'exiv2', 'c2pa', 'viewer.metadata.writer',\n"
        "        'viewer.metadata.reader', 'viewer.metadata.xmp', 'viewer.metadata.provenance',\n"
        "        'multiprocessing', 'viewer.ui.caption_editor', 'viewer.ui.story_editor',\n"
        "        'viewer.ui.edits')\n"
        "print(shown, sorted(m for m in late if m in sys.modules))\n"
    )
    assert python_output(code) == "True []"
