"""Photo Desk's entry point: the command line, the QApplication and the wiring.

``photodesk [PATH]`` opens a gallery manifest (or a folder holding ``gallery.json``);
with no PATH it opens the bundled Zhurong story. ``--screenshot FILE`` shows the window,
waits until the current photo and the visible thumbnails are painted, saves a PNG of the
window and exits; it works without a display.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from viewer import __version__
from viewer.fileaccess import display_name
from viewer.model import load_manifest
from viewer.resources import app_icon_path

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from viewer.metadata import PhotoMetadata
    from viewer.ui.main_window import MainWindow

SCREENSHOT_SIZE = (1400, 900)
SCREENSHOT_TIMEOUT_MS = 30_000
FILE_TIME_LIMIT = 5.0  # seconds one file's decode or metadata read may take
WRITE_TIME_LIMIT = 30.0  # seconds one photo's write may take (read, rewrite, checks, fsync)


def build_parser() -> argparse.ArgumentParser:
    """The command line: options, their help, and the paths."""
    parser = argparse.ArgumentParser(
        prog="photodesk",
        description="Look at photographs together with their caption, credit and story.",
    )
    parser.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        type=Path,
        help="a folder of photos, a photo (opened with its folder), or a gallery manifest "
        "(default: the bundled Zhurong story); with --export-metadata: any number of them",
    )
    parser.add_argument(
        "--export-metadata",
        action="store_true",
        help="print one JSON object per photo of PATH... to standard output and exit "
        "(no window, no display needed)",
    )
    parser.add_argument(
        "--import-metadata",
        metavar="RECORDS",
        type=Path,
        help="write the caption fields RECORDS gives (JSON as --export-metadata prints it, "
        "or CSV with a file or SourceFile column) into its photos and exit; one JSON line "
        "per photo; exit 1 when a photo was refused or failed, 2 on a usage error",
    )
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help="with --import-metadata: check every photo's write, and write nothing",
    )
    parser.add_argument(
        "--export-story",
        metavar="OUT.html",
        type=Path,
        help="write the story of PATH (a story file, or a folder: its gallery.json, else its "
        "photos) as one self-contained web page to OUT.html and exit (no window); exit 1 "
        "when photos were left out, 2 when nothing was written",
    )
    # --- metadata commands: --format, --check-metadata, --require (Qt-free, see
    # viewer/metadata/export.py and viewer/metadata/check.py)
    parser.add_argument(
        "--format",
        choices=("json", "csv"),
        help="with --export-metadata: JSON lines (the default) or a CSV sheet with a "
        "header row (UTF-8 with BOM, for spreadsheets)",
    )
    parser.add_argument(
        "--check-metadata",
        action="store_true",
        help="print what must be fixed before publishing each photo of PATH... (missing "
        "fields, conflicts between EXIF, IPTC and XMP, cut or garbled text, generative AI); "
        "exit 0 when all pass, 1 when any must be fixed",
    )
    parser.add_argument(
        "--require",
        metavar="FIELD,...",
        help="with --check-metadata: the fields every photo must have "
        "(default: caption,credit,copyright,alt_text)",
    )
    parser.add_argument(
        "--screenshot",
        metavar="FILE",
        type=Path,
        help="show the window, save a PNG of it to FILE once the photo is painted, and exit",
    )
    parser.add_argument(
        "--appearance",
        choices=("system", "light", "dark"),
        help="show the window light or dark for this run (default: as chosen in View > "
        "Appearance, which follows the system at first)",
    )
    parser.add_argument("--version", action="version", version=f"photodesk {__version__}")
    return parser


def _prefer_offscreen_without_display() -> None:
    """A screenshot needs no screen: use Qt's offscreen platform when there is none."""
    if sys.platform.startswith("linux") and not os.environ.get("QT_QPA_PLATFORM"):
        if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
            os.environ["QT_QPA_PLATFORM"] = "offscreen"


def export_metadata(paths: Sequence[Path], fmt: str = "json") -> int:
    """``--export-metadata``: JSON lines (or CSV) on stdout; broken files get an ``error``.

    Written as UTF-8 whatever the terminal says (JSON and the CSV's BOM are UTF-8);
    every file is read in a worker process with the window's time limit.
    """
    from viewer.metadata.export import export_command  # noqa: PLC0415

    if isinstance(sys.stdout, io.TextIOWrapper):
        sys.stdout.reconfigure(encoding="utf-8", errors="strict")
    with _worker_reader() as read:
        return _metadata_command(
            lambda: export_command(
                paths, sys.stdout, fmt=fmt, read=read, gallery_photos=_gallery_photos
            )
        )


def import_metadata(records: Path, dry_run: bool) -> int:
    """``--import-metadata``: write RECORDS' fields, one photo at a time in a worker process.

    A result line per photo on stdout (UTF-8); exit 0, 1 or 2 (see
    :mod:`viewer.metadata.importer`).
    """
    from viewer.isolation import ProcessPool  # noqa: PLC0415
    from viewer.metadata.importer import import_command, worker_writer  # noqa: PLC0415

    if isinstance(sys.stdout, io.TextIOWrapper):
        sys.stdout.reconfigure(encoding="utf-8", errors="strict")
    pool = ProcessPool(1, WRITE_TIME_LIMIT, warm=True)
    try:
        return _metadata_command(
            lambda: import_command(
                records.absolute(), sys.stdout, dry_run=dry_run, write=worker_writer(pool)
            )
        )
    finally:
        pool.close()


def check_metadata(paths: Sequence[Path], require: str | None) -> int:
    """``--check-metadata``: what each photo needs before publishing; exit 0, 1 or 2."""
    from viewer.metadata.check import DEFAULT_REQUIRED, check_command  # noqa: PLC0415

    if isinstance(sys.stdout, io.TextIOWrapper):
        sys.stdout.reconfigure(errors="replace")  # words for people, in their terminal
    required = require if require is not None else DEFAULT_REQUIRED
    with _worker_reader() as read:
        return _metadata_command(
            lambda: check_command(
                paths, sys.stdout, required=required, read=read, gallery_photos=_gallery_photos
            )
        )


def export_story_page(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    """``--export-story OUT.html PATH``: the story page, headless; exit 0, 1 or 2.

    Every file is read in a worker process with the window's time limit.
    """
    from viewer.imaging.story_export import story_command  # noqa: PLC0415
    from viewer.isolation import ProcessPool  # noqa: PLC0415

    if args.export_metadata or args.check_metadata or args.screenshot is not None:
        parser.error(
            "--export-story goes with neither --export-metadata, --check-metadata nor --screenshot"
        )
    if len(args.paths) != 1:
        parser.error("--export-story needs one PATH: a story file or a folder")
    pool = ProcessPool(1, FILE_TIME_LIMIT, warm=True)
    try:
        return story_command(args.export_story, args.paths[0].absolute(), sys.stderr, pool)
    finally:
        pool.close()


@contextlib.contextmanager
def _worker_reader() -> Iterator[Callable[[Path], PhotoMetadata]]:
    """From here on a bug anywhere is logged and told once.

    The window carries on. The log file is opened once the first photo is on screen, so that
    start-up does not wait.
    """
    from viewer.errors import PhotoDeskError  # noqa: PLC0415
    from viewer.isolation import ProcessPool  # noqa: PLC0415
    from viewer.metadata import PhotoMetadata, read_metadata  # noqa: PLC0415

    pool = ProcessPool(1, FILE_TIME_LIMIT, warm=True)

    def read(path: Path) -> PhotoMetadata:
        name = display_name(path.name)
        try:
            metadata: PhotoMetadata = pool.call(name, read_metadata, path)
        except PhotoDeskError as exc:
            reason = str(exc).removeprefix(f"{name}: ")
            return PhotoMetadata(problems=(reason,))
        return metadata

    try:
        yield read
    finally:
        pool.close()


def _gallery_photos(manifest: Path) -> list[Path]:
    """The photos of a gallery manifest, in gallery order (raises ManifestError)."""
    return [photo.path for photo in load_manifest(manifest).photos]


def _metadata_command(command: Callable[[], int]) -> int:
    """Run a command that writes to stdout; a reader that stops early is not an error."""
    try:
        status = command()
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader stopped early (`| head`): not an error. Point stdout at devnull so
        # the interpreter's final flush does not complain either.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    return status


def _check_metadata_options(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """Usage errors (exit 2) of --format, --check-metadata and --require."""
    from viewer.metadata.check import parse_required  # noqa: PLC0415

    if args.format and not args.export_metadata:
        parser.error("--format goes with --export-metadata")
    if args.require is not None and not args.check_metadata:
        parser.error("--require goes with --check-metadata")
    if args.check_metadata:
        if args.export_metadata or args.screenshot is not None:
            parser.error("--check-metadata goes with neither --export-metadata nor --screenshot")
        if not args.paths:
            parser.error("--check-metadata needs at least one PATH")
        if args.require is not None:
            try:
                parse_required(args.require)
            except ValueError as exc:
                parser.error(f"--require: {exc}")


def main(argv: Sequence[str] | None = None) -> int:
    """Run Photo Desk; returns the process exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.dry_run and args.import_metadata is None:
        parser.error("--dry-run goes with --import-metadata")
    if args.import_metadata is not None:
        others = args.export_metadata or args.check_metadata or args.format or args.require
        if args.paths or others or args.screenshot is not None or args.export_story is not None:
            parser.error("--import-metadata RECORDS takes no PATH and no other command")
        return import_metadata(args.import_metadata, args.dry_run)
    if args.check_metadata or args.format or args.require:
        _check_metadata_options(parser, args)
    if args.export_story is not None:
        return export_story_page(parser, args)
    if args.check_metadata:
        return check_metadata(args.paths, args.require)
    if args.export_metadata:
        if not args.paths:
            parser.error("--export-metadata needs at least one PATH")
        if args.screenshot is not None:
            parser.error("--export-metadata and --screenshot cannot be combined")
        return export_metadata(args.paths, args.format or "json")
    if len(args.paths) > 1:
        parser.error(
            "give one folder, photo or gallery to open (several go with --export-metadata)"
        )
    if args.screenshot is not None:
        _prefer_offscreen_without_display()
    target = args.paths[0].absolute() if args.paths else None
    if args.screenshot is not None and target is not None and not target.exists():
        print(f"photodesk: {display_name(target)}: no such file or folder", file=sys.stderr)
        return 1
    return _run_window(target, args.screenshot, args.appearance)


def _run_window(target: Path | None, screenshot: Path | None, appearance: str | None) -> int:
    """Create the QApplication and the window, and run until it closes."""
    # The first worker process starts before Qt is loaded: it loads the decoder while
    # this process loads Qt, and reads even the first photo.
    from viewer.isolation import ProcessPool  # noqa: PLC0415

    pool = ProcessPool(max(2, os.cpu_count() or 2), FILE_TIME_LIMIT, warm=True)
    # Qt is imported only now, so --help and --version stay instant.
    from PySide6.QtCore import QSettings  # noqa: PLC0415

    from viewer.imaging.thumbcache import ThumbnailCache, thumbnail_root  # noqa: PLC0415
    from viewer.ui.main_window import MainWindow  # noqa: PLC0415
    from viewer.ui.preferences import Preferences  # noqa: PLC0415
    from viewer.ui.state import ViewerState  # noqa: PLC0415
    from viewer.ui.workers import TimeLimits, Workers  # noqa: PLC0415

    app = _application()
    # The user's standard settings folder; a screenshot run leaves no trace in it.
    preferences = Preferences(QSettings("photodesk", "photodesk") if screenshot is None else None)
    workers = Workers(TimeLimits(file=FILE_TIME_LIMIT), pool)
    state = ViewerState(workers, ThumbnailCache(thumbnail_root()), preferences.thumbnail_size())
    window = MainWindow(state, preferences)
    _report_problems(window)
    _place(window, screenshot, appearance)
    taker = None
    if screenshot is not None:
        from viewer.ui.screenshot import ScreenshotTaker  # noqa: PLC0415

        taker = ScreenshotTaker(window, screenshot, SCREENSHOT_TIMEOUT_MS)
        taker.start()
    if screenshot is not None and target is not None:
        state.open_path(target)  # no stand-in: a screenshot of what was asked, or exit 1
    else:
        state.open_at_start(target, preferences.recent())
    window.show()
    if screenshot is None:  # a story a crash left unsaved is offered back
        from PySide6.QtCore import QTimer  # noqa: PLC0415

        QTimer.singleShot(0, window.stories.offer_recoveries)
    status = app.exec()
    if taker is not None:
        status = taker.exit_code
    if not workers.close():
        # A thread is stuck on a file (a stalled disk): exit without waiting for it.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(status)
    return status


def _application() -> QApplication:
    """The QApplication, named and with its icon."""
    from PySide6.QtGui import QIcon  # noqa: PLC0415
    from PySide6.QtWidgets import QApplication  # noqa: PLC0415

    app = QApplication.instance() or QApplication([sys.argv[0]])
    assert isinstance(app, QApplication)
    app.setApplicationName("photodesk")
    app.setApplicationDisplayName("Photo Desk")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("org.photodesk.PhotoDesk")  # packaging/linux/*.desktop
    app.setWindowIcon(QIcon(str(app_icon_path())))
    return app


def _report_problems(window: MainWindow) -> None:
    """From here on a bug anywhere is logged and told once; the window carries on.

    The log file is opened once the first photo is on screen, so that start-up does not wait.
    """
    from PySide6.QtCore import Qt  # noqa: PLC0415

    from viewer.logs import start_log  # noqa: PLC0415
    from viewer.ui.crash import ProblemReporter  # noqa: PLC0415

    reporter = ProblemReporter(None, window)
    reporter.problem.connect(window.show_problem)
    reporter.install()
    window.photo_shown.connect(
        lambda _path: reporter.set_log_path(start_log()),
        Qt.ConnectionType.SingleShotConnection,
    )


def _place(window: MainWindow, screenshot: Path | None, appearance: str | None) -> None:
    """The window's appearance and size: as the user left it, or a sensible one."""
    if appearance is not None:
        window.set_scheme(appearance, remember=False)
    if screenshot is not None:
        window.resize(*SCREENSHOT_SIZE)
    elif not window.restore_layout():
        available = window.screen().availableGeometry()
        window.resize(
            min(1400, int(available.width() * 0.9)), min(900, int(available.height() * 0.9))
        )
