"""Photo Desk's speed and memory, measured beside a reference in the same run.

``make bench`` (or ``python -m bench.run``) prints one table: each figure, its reference
or target, and the ratio. Every measurement runs in a fresh subprocess so that caches,
imports and memory of one cannot flatter another. Nothing here is asserted: the figures
are for people to read (and the README keeps the latest table).

Measurements:
  thumbs     thumbnails of camera JPEGs: Photo Desk's pipeline as the app runs it (threads
             handing each file to a worker process, the freedesktop cache written, the
             compact copy made and turned into a QImage) against ``vipsthumbnail -s 256``,
             same files, same number of workers; plus the pipeline without worker
             processes, and plain Pillow and Qt decoders, for reference.
  startup    whole-process ``photodesk --screenshot`` against a bare PySide6 script that
             shows one JPEG and saves a screenshot.
  frozen     the PyInstaller bundle (dist/photodesk, from `make bundle`) against the source
             run, both whole-process ``--screenshot`` (which exits once the first photo is
             painted and saved); skipped when there is no bundle.
  next       moving to a prefetched photo, and to an unprefetched 24-MP JPEG.
  screenful  a cold cache: the first visible thumbnails after the gallery is set.
  memory     base RSS, RSS per 1000 thumbnails held, RSS after scrolling 10,000.
  soak       a folder of several thousand photos browsed three times over, photo by
             photo; RSS after each pass (the third should stay within 10% of the first).
  writes     captions written into camera JPEGs (eight fields, XMP and IPTC, every check of
             the writer), photos per second: as --import-metadata runs it (one worker
             process), in the calling process, and ExifTool writing the same tags to copies
             of the same files in one ``exiftool -overwrite_original`` run.
  launch_thumbs
             the app as a user starts it, ``python main.py FOLDER`` (offscreen, empty cache
             and settings folders), on 120 and --launch (480) 12-MP JPEGs: seconds from launch
             until the freedesktop cache holds a large thumbnail of every photo, and until the
             first; against two ``vipsthumbnail -s 256`` processes sharing the same files.
             Launches alternate, three of each; the medians are reported.
  pss        memory as a user meets it: ``python main.py PHOTO`` on one 12-MP photo, and 7 s
             later the PSS of the app and every process it started (the window, its
             workers, any helper), against ``qimgv PHOTO`` measured the same way. Three of
             each, alternating; the medians are reported.
"""

from __future__ import annotations

import argparse
import compileall
import contextlib
import itertools
import json
import math
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "bench" / ".corpus"
WORKERS = os.cpu_count() or 2

Row = tuple[str, str, str, str]  # what, Photo Desk, reference or target, ratio
MEASUREMENTS = ("thumbs", "startup", "frozen", "next", "screenful", "folder", "memory", "soak",
                "writes", "launch_thumbs", "pss")  # fmt: skip


# --- helpers ------------------------------------------------------------------------------


def rss_mib() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def corpus(megapixels: int, count: int) -> list[Path]:
    from bench.corpus import generate  # noqa: PLC0415

    return generate(CACHE / f"{megapixels}mp", count, megapixels)


def timed(function: Callable[[], object], repeat: int = 3) -> float:
    """The median wall time of ``repeat`` runs, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def write_manifest(folder: Path, files: Iterable[Path]) -> Path:
    photos = [
        {
            "file": os.path.relpath(f, folder),
            "title": f.stem,
            "caption": f"Photo {f.stem}",
            "credit": "Bench",
            "alt": "A generated landscape",
        }
        for f in files
    ]
    manifest = folder / "gallery.json"
    manifest.write_text(json.dumps({"photodesk_gallery": 1, "title": "Bench", "photos": photos}))
    return manifest


# --- thumbnails: Photo Desk against vipsthumbnail -------------------------------------------


def _pipeline_one(args: tuple[str, str]) -> int:
    from viewer.imaging.thumbcache import ThumbnailCache  # noqa: PLC0415
    from viewer.imaging.thumbnails import make_thumbnail  # noqa: PLC0415

    path, cache = args
    return len(make_thumbnail(Path(path), (256, 256), ThumbnailCache(Path(cache))).encoded)


def _pillow_one(path: str) -> int:
    from PIL import Image  # noqa: PLC0415

    with Image.open(path) as image:
        image.draft("RGB", (256, 256))
        image.thumbnail((256, 256), Image.Resampling.BILINEAR)
        return image.width


def _qt_one(path: str) -> int:
    from PySide6.QtCore import QSize  # noqa: PLC0415
    from PySide6.QtGui import QImageReader  # noqa: PLC0415

    reader = QImageReader(path)
    size = reader.size()
    scale = 256 / max(size.width(), size.height())
    reader.setScaledSize(QSize(round(size.width() * scale), round(size.height() * scale)))
    return reader.read().width()


Pool = type[ThreadPoolExecutor] | type[ProcessPoolExecutor]


def _map(executor_type: Pool, function: Callable[[Any], int], items: list[Any]) -> None:
    with executor_type(max_workers=WORKERS) as pool:
        for _ in pool.map(function, items, chunksize=4):
            pass


def measure_thumbs(count: int) -> dict[str, float]:
    files = corpus(12, count)
    results: dict[str, float] = {}
    vips = shutil.which("vipsthumbnail")
    with tempfile.TemporaryDirectory() as scratch:

        def pipeline(executor_type: Pool) -> Callable[[], None]:
            def run() -> None:
                cache = Path(tempfile.mkdtemp(dir=scratch))  # cold every time
                _map(executor_type, _pipeline_one, [(str(f), str(cache)) for f in files])

            return run

        def vips_run() -> None:
            assert vips is not None
            out = Path(tempfile.mkdtemp(dir=scratch))
            shares = [files[i::WORKERS] for i in range(WORKERS)]
            jobs = [
                subprocess.Popen([vips, "-s", "256", "-o", f"{out}/%s.png", *map(str, share)])
                for share in shares
                if share
            ]
            for job in jobs:
                job.wait()

        def app_pipeline() -> None:
            cache = ThumbnailCache(Path(tempfile.mkdtemp(dir=scratch)))
            with ThreadPoolExecutor(max_workers=WORKERS) as threads:
                for _ in threads.map(lambda f: make_thumbnail(f, (256, 256), cache, pool), files):
                    pass

        from viewer.imaging.thumbcache import ThumbnailCache  # noqa: PLC0415
        from viewer.imaging.thumbnails import make_thumbnail  # noqa: PLC0415
        from viewer.isolation import ProcessPool  # noqa: PLC0415

        names = [str(f) for f in files]
        if vips:
            results["vips"] = timed(vips_run)
        pool = ProcessPool(WORKERS, time_limit=60, warm=True)  # started with the window
        try:
            results["pipeline_app"] = timed(app_pipeline)
        finally:
            pool.close()
        results["pipeline_threads"] = timed(pipeline(ThreadPoolExecutor))
        results["pipeline_processes"] = timed(pipeline(ProcessPoolExecutor))
        results["pillow_threads"] = timed(lambda: _map(ThreadPoolExecutor, _pillow_one, names))
        results["qt_threads"] = timed(lambda: _map(ThreadPoolExecutor, _qt_one, names))
    results["files"] = len(files)
    return results


# --- start-up: the app against a bare PySide6 script --------------------------------------


def _median_times(
    commands: dict[str, list[str]], env: dict[str, str], repeat: int
) -> dict[str, float]:
    """Each command run once to warm up, then ``repeat`` times interleaved (so all see the
    same machine); the median wall time of each. Photo Desk's modules are compiled to
    bytecode first, as an installed copy's are (with PYTHONDONTWRITEBYTECODE set, as on
    some machines, every source run would otherwise compile them all again)."""
    compileall.compile_dir(ROOT / "viewer", quiet=1)
    for command in commands.values():
        subprocess.run(command, env=env, check=True, capture_output=True)
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(repeat):
        for name, command in commands.items():
            start = time.perf_counter()
            subprocess.run(command, env=env, check=True, capture_output=True)
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in times.items()}


def measure_startup(repeat: int) -> dict[str, float]:
    from viewer.resources import bundled_gallery_path  # noqa: PLC0415

    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    with tempfile.TemporaryDirectory() as scratch:
        env["XDG_CACHE_HOME"] = scratch  # warm after the first run, like a second launch
        jpeg = next(bundled_gallery_path().parent.glob("*.jpg"))
        bare_script = str(ROOT / "bench" / "bare_qt.py")
        commands = {
            "app": [sys.executable, str(ROOT / "main.py"), "--screenshot", f"{scratch}/app.png"],
            "bare": [sys.executable, bare_script, str(jpeg), f"{scratch}/bare.png"],
        }
        return _median_times(commands, env, repeat)


FROZEN = ROOT / "dist" / "photodesk" / "photodesk"


def measure_frozen(repeat: int) -> dict[str, float]:
    """The frozen app beside ``python main.py``, each to its saved first screenshot."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    with tempfile.TemporaryDirectory() as scratch:
        env["XDG_CACHE_HOME"] = scratch
        commands = {
            "frozen": [str(FROZEN), "--screenshot", f"{scratch}/frozen.png"],
            "source": [sys.executable, str(ROOT / "main.py"), "--screenshot", f"{scratch}/s.png"],
        }
        return _median_times(commands, env, repeat)


# --- in-process Qt measurements -----------------------------------------------------------


def _window(manifest: Path | None, cache_root: Path) -> Any:
    """The app's window on ``manifest`` (or still empty), shown offscreen at 1400 x 900,
    built as viewer/app.py builds it: workers, viewer state, preferences (remembered for
    this run only), window. :func:`_close` closes it and stops its workers.
    """
    from PySide6.QtWidgets import QApplication  # noqa: PLC0415

    from viewer.imaging.thumbcache import ThumbnailCache  # noqa: PLC0415
    from viewer.model import load_manifest  # noqa: PLC0415
    from viewer.ui.main_window import MainWindow  # noqa: PLC0415
    from viewer.ui.preferences import Preferences  # noqa: PLC0415
    from viewer.ui.state import ViewerState  # noqa: PLC0415
    from viewer.ui.workers import Workers  # noqa: PLC0415

    app = QApplication.instance() or QApplication([])
    workers = Workers()
    preferences = Preferences(None)
    state = ViewerState(workers, ThumbnailCache(cache_root), preferences.thumbnail_size())
    window = MainWindow(state, preferences)
    window.resize(1400, 900)
    if manifest is not None:
        state.set_gallery(load_manifest(manifest))
    window.show()
    return app, window


def _warm(app: Any, window: Any) -> None:
    """Wait for the first worker process, as the app has it by the time a gallery is
    listed: it starts the worker before it even loads Qt."""
    app.processEvents()
    _spin_until(app, window.state.workers.pool.is_ready, 30, 0.01)


def _close(window: Any) -> None:
    """Close the window and stop its workers (threads and worker processes)."""
    window.close()
    window.state.workers.close()


def _spin_until(
    app: Any, condition: Callable[[], bool], limit: float = 120.0, poll: float = 0.0005
) -> float:
    """Process events until ``condition``; the seconds it took.

    ``poll`` is the pause between checks: short where milliseconds are measured, longer
    where only the end state matters, so the check itself does not starve the workers.
    """
    start = time.perf_counter()
    while not condition():
        app.processEvents()
        if time.perf_counter() - start > limit:
            raise TimeoutError("the condition was not met in time")
        time.sleep(poll)
    return time.perf_counter() - start


def measure_next(count: int) -> dict[str, float]:
    files = corpus(24, count)
    with tempfile.TemporaryDirectory() as scratch:
        app, window = _window(write_manifest(CACHE / "24mp", files), Path(scratch))
        state, workers = window.state, window.state.workers
        view = window.detail.photo_view
        shown: list[str] = []
        window.photo_shown.connect(shown.append)
        _spin_until(app, lambda: bool(shown) and state.is_idle())
        # Measured as a session runs: every photo is decoded in the worker processes,
        # which start with the window (the first photo was read by one already).
        _spin_until(app, workers.pool.is_ready, 30, 0.01)
        prefetched, cold = [], []
        for row in range(1, min(count, 5)):
            shown.clear()
            start = time.perf_counter()
            state.go_to(row)  # row + 1 was prefetched while row - 1 was shown
            _spin_until(app, lambda: bool(shown))
            prefetched.append(time.perf_counter() - start)
            _spin_until(app, state.is_idle)
        for row in (count - 1, count // 2 + 1, count - 3):
            workers.runner.wait_for_done()
            _spin_until(app, state.is_idle)
            shown.clear()
            start = time.perf_counter()
            state.go_to(row)  # far from the current photo: nothing prefetched
            _spin_until(app, lambda: bool(shown) and view.has_picture())
            cold.append(time.perf_counter() - start)
            _spin_until(app, state.is_idle)
        _close(window)
    return {"prefetched": statistics.median(prefetched), "unprefetched": statistics.median(cold)}


def measure_screenful(count: int) -> dict[str, float]:
    from viewer.model import load_manifest  # noqa: PLC0415

    files = corpus(12, count)
    with tempfile.TemporaryDirectory() as scratch:
        app, window = _window(None, Path(scratch))
        state = window.state
        _warm(app, window)
        gallery = load_manifest(write_manifest(CACHE / "12mp", files))
        start = time.perf_counter()  # the gallery is listed: from here the clock runs
        state.set_gallery(gallery)
        _spin_until(app, lambda: len(window.strip.visible_rows()) > 1)
        rows = state.shown.source_rows(window.strip.visible_rows())

        def all_in(states: set[str]) -> Callable[[], bool]:
            return lambda: all(state.model.thumbnail_state(r) in states for r in rows)

        _spin_until(app, all_in({"preview", "final"}))
        first = time.perf_counter() - start
        _spin_until(app, all_in({"final"}))
        final = time.perf_counter() - start
        _close(window)
    return {"previews": first, "final": final, "visible": len(rows)}


def measure_folder(count: int) -> dict[str, float]:
    """Open a folder of ``count`` photos: first photo, whole listing, longest GUI stall."""
    from PySide6.QtCore import QTimer  # noqa: PLC0415

    with tempfile.TemporaryDirectory() as scratch:
        folder = _hard_links(Path(scratch) / "huge", count)[0].parent
        for original in folder.glob("original-*.jpg"):
            original.unlink()
        app, window = _window(None, Path(scratch) / "cache")
        _warm(app, window)
        ticks: list[float] = []
        heartbeat = QTimer()
        heartbeat.setInterval(5)
        heartbeat.timeout.connect(lambda: ticks.append(time.perf_counter()))
        heartbeat.start()
        shown: list[str] = []
        window.photo_shown.connect(shown.append)
        start = time.perf_counter()
        window.state.open_path(folder)
        _spin_until(app, lambda: bool(shown), 300)
        first = time.perf_counter() - start
        _spin_until(app, lambda: window.state.model.rowCount() == count, 600)
        listed = time.perf_counter() - start
        heartbeat.stop()
        gaps = [b - a for a, b in itertools.pairwise(ticks)]
        _close(window)
    return {"first": first, "listed": listed, "stall": max(gaps) if gaps else 0.0, "count": count}


def measure_memory(count: int) -> dict[str, float]:
    from viewer.model import load_manifest  # noqa: PLC0415
    from viewer.resources import bundled_gallery_path  # noqa: PLC0415

    with tempfile.TemporaryDirectory() as scratch:
        # Base first, before this script does any image work of its own.
        app, window = _window(bundled_gallery_path(), Path(scratch) / "cache")
        state = window.state
        shown: list[str] = []
        window.photo_shown.connect(shown.append)
        _spin_until(app, lambda: bool(shown) and state.is_idle())
        for _ in range(50):
            app.processEvents()
        base = rss_mib()
        links = _hard_links(Path(scratch) / "many", count)
        # The cost of holding thumbnails: RSS at 2000 held minus RSS at 1000 held, in one
        # gallery, so the gallery, the screen images and the pools cancel out.
        state.set_gallery(load_manifest(write_manifest(links[0].parent, links[:2000])))
        model = state.model
        _spin_until(app, lambda: model.thumbnails_made() >= 1000, 600, 0.01)
        held_1000 = rss_mib()
        _spin_until(app, lambda: state.is_idle() and not model.is_loading(), 600, 0.01)
        held_2000 = rss_mib()
        state.set_gallery(load_manifest(write_manifest(links[0].parent, links)))
        bar = window.strip.horizontalScrollBar()
        step = max(1, window.strip.viewport().width())

        while bar.value() < bar.maximum():
            bar.setValue(bar.value() + step)
            _spin_until(app, window.visible_thumbnails_ready, 600, 0.01)
        after_scroll = rss_mib()
        encoded, decoded = model.memory_used()
        _close(window)
    return {
        "base": base,
        "per_1000": held_2000 - held_1000,
        "after_scroll": after_scroll,
        "encoded_mib": encoded / 2**20,
        "decoded_mib": decoded / 2**20,
        "count": count,
    }


def measure_soak(count: int) -> dict[str, float]:
    """Open a folder of ``count`` photos and step through every one, three times."""
    from viewer.imaging.memory import release_free_memory  # noqa: PLC0415

    with tempfile.TemporaryDirectory() as scratch:
        links = _hard_links(Path(scratch) / "soak", count)
        app, window = _window(None, Path(scratch) / "cache")
        state = window.state
        state.open_path(links[0].parent)
        # the folder holds the links and the file they point to
        _spin_until(app, lambda: state.shown.rowCount() > count, 120, 0.01)
        view = window.detail.photo_view
        paths = [photo.path for photo in state.shown_photos()]
        passes: list[float] = []
        start = time.perf_counter()
        for _ in range(3):
            for row, wanted in enumerate(paths):
                state.go_to(row)

                def painted(wanted: Path = wanted) -> bool:
                    return bool(view.path() == wanted and view.has_picture())

                _spin_until(app, painted, 60)
            _spin_until(app, state.is_idle, 600, 0.01)
            release_free_memory()
            passes.append(rss_mib())
        seconds = time.perf_counter() - start
        _close(window)
    return {
        "count": count,
        "pass1": passes[0],
        "pass2": passes[1],
        "pass3": passes[2],
        "seconds": seconds,
    }


def _hard_links(folder: Path, count: int) -> list[Path]:
    """``count`` distinct paths to one 1200 x 800 JPEG: real decodes, little disk."""
    from PIL import Image  # noqa: PLC0415

    from viewer.resources import bundled_gallery_path  # noqa: PLC0415

    folder.mkdir()
    with Image.open(next(bundled_gallery_path().parent.glob("*.jpg"))) as source:
        picture = source.resize((1200, 800))
    links = []
    for i in range(count):
        if i % 50_000 == 0:  # ext4 allows about 65,000 links to one file
            original = folder / f"original-{i // 50_000}.jpg"
            picture.save(original, quality=90)
        link = folder / f"p{i:06d}.jpg"
        os.link(original, link)
        links.append(link)
    return links


# --- writing captions: Photo Desk against ExifTool ------------------------------------------

WRITE_TEXT = "Écrit à la main — 火星 🙂"
WRITE_FIELDS: dict[str, str | tuple[str, ...]] = {
    "caption": f"Bench caption: {WRITE_TEXT}",
    "headline": f"Bench headline {WRITE_TEXT}",
    "credit": "Bench Agency",
    "byline": ("Jane Doe",),
    "keywords": ("Mars", "rover", WRITE_TEXT),
    "copyright": "© 2026 Bench Agency",
    "city": "Utopia Planitia",
    "country": "Mars",
}
# The same tags, written by ExifTool: XMP and IPTC (marked UTF-8), as Photo Desk writes them.
EXIFTOOL_TAGS = {
    "caption": ("XMP-dc:Description", "IPTC:Caption-Abstract"),
    "headline": ("XMP-photoshop:Headline", "IPTC:Headline"),
    "credit": ("XMP-photoshop:Credit", "IPTC:Credit"),
    "byline": ("XMP-dc:Creator", "IPTC:By-line"),
    "keywords": ("XMP-dc:Subject", "IPTC:Keywords"),
    "copyright": ("XMP-dc:Rights", "IPTC:CopyrightNotice"),
    "city": ("XMP-photoshop:City", "IPTC:City"),
    "country": ("XMP-photoshop:Country", "IPTC:Country-PrimaryLocationName"),
}


def _copies(files: list[Path], folder: Path) -> list[Path]:
    folder.mkdir()
    copies = []
    for original in files:
        copy = folder / original.name
        shutil.copyfile(original, copy)
        copies.append(copy)
    return copies


def _exiftool_arguments() -> list[str]:
    arguments = ["-overwrite_original", "-charset", "iptc=UTF8", "-IPTC:CodedCharacterSet=UTF8"]
    for name, tags in EXIFTOOL_TAGS.items():
        value = WRITE_FIELDS[name]
        for tag in tags:
            items = value if isinstance(value, tuple) else (value,)
            arguments += [f"-{tag}={item}" for item in items]
    return arguments


def measure_writes(count: int) -> dict[str, float]:
    """Photos written per second by Photo Desk and by ExifTool, same files, same run."""
    from viewer.isolation import ProcessPool  # noqa: PLC0415
    from viewer.metadata.importer import worker_writer  # noqa: PLC0415
    from viewer.metadata.writer import write_metadata  # noqa: PLC0415

    files = corpus(12, count)
    results: dict[str, float] = {"files": len(files)}
    exiftool = shutil.which("exiftool")
    with tempfile.TemporaryDirectory() as scratch:
        pool = ProcessPool(1, 60, warm=True)
        try:
            write = worker_writer(pool)
            write(_copies(files[:1], Path(scratch) / "warm")[0], WRITE_FIELDS)  # worker ready
            copies = _copies(files, Path(scratch) / "worker")
            start = time.perf_counter()
            statuses = [write(copy, WRITE_FIELDS).status for copy in copies]
            results["worker"] = time.perf_counter() - start
        finally:
            pool.close()
        copies = _copies(files, Path(scratch) / "direct")
        start = time.perf_counter()
        statuses += [write_metadata(copy, WRITE_FIELDS).status for copy in copies]
        results["direct"] = time.perf_counter() - start
        results["written"] = statuses.count("written")
        if exiftool:
            copies = _copies(files, Path(scratch) / "exiftool")
            start = time.perf_counter()
            subprocess.run(
                [exiftool, *_exiftool_arguments(), *map(str, copies)],
                check=True,
                capture_output=True,
            )
            results["exiftool"] = time.perf_counter() - start
    return results


# --- as a user meets it: the whole app, launched on a folder or on one photo ----------------

LAUNCH_SMALL = 120  # reported beside the --launch count in the same run
USER_RUNS = 3  # launches of each side, interleaved; the median is reported
LAUNCH_LIMIT = 600.0  # seconds a launch may take to fill the cache before it is given up
CACHE_POLL = 0.01  # seconds between two looks at the thumbnail folder
PSS_AFTER = 7.0  # seconds after launch at which memory is read
STOP_GRACE = 5.0  # seconds a terminated process is given before it is killed


def _user_env(home: Path) -> dict[str, str]:
    """A first launch's environment: offscreen, with cache, settings, state and runtime
    folders of its own, all empty, so nothing of the user's (a thumbnail, a window size, a
    recent folder) helps or hinders."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    for name in ("XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_DATA_HOME",
                 "XDG_RUNTIME_DIR"):  # fmt: skip
        folder = home / name.lower()
        folder.mkdir(mode=0o700, parents=True)
        env[name] = str(folder)
    return env


def _launch(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    """``command`` started in a session of its own, so :func:`_stop` can end all it starts."""
    with log.open("wb") as output:
        return subprocess.Popen(
            command,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def _proc_stat(pid: int) -> tuple[str, int] | None:
    """A process's state letter and parent id, from /proc; None once it is gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    fields = stat.rsplit(")", 1)[1].split()  # the name in brackets may hold spaces
    return fields[0], int(fields[1])


def _process_tree(root: int) -> list[int]:
    """``root`` and every live process descended from it (workers, multiprocessing's
    resource_tracker, anything they start), found by walking /proc."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            stat = _proc_stat(int(entry.name))
            if stat is not None and stat[0] != "Z":
                children.setdefault(stat[1], []).append(int(entry.name))
    tree, todo = [], [root]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo.extend(children.get(pid, []))
    return tree


def _alive(pid: int) -> bool:
    stat = _proc_stat(pid)
    return stat is not None and stat[0] != "Z"


def _signal(group: int, pids: list[int], number: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(group, number)
    for pid in pids:  # also any that left the group
        if _alive(pid):
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, number)


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Terminate ``process`` and all its descendants; kill what is left after 5 s; return
    once none of them is running."""
    pids = _process_tree(process.pid)
    _signal(process.pid, pids, signal.SIGTERM)
    deadline = time.monotonic() + STOP_GRACE
    while any(_alive(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.02)  # a zombie counts as gone: it holds no memory and runs nothing
    if any(_alive(pid) for pid in pids):
        _signal(process.pid, pids, signal.SIGKILL)
    process.wait()
    deadline = time.monotonic() + STOP_GRACE
    while any(_alive(pid) for pid in pids):
        if time.monotonic() > deadline:
            raise RuntimeError(f"processes {pids} of {process.args!r} outlived SIGKILL")
        time.sleep(0.01)


def _failed(process: subprocess.Popen[bytes], log: Path) -> RuntimeError:
    tail = log.read_text(errors="replace")[-2000:]
    return RuntimeError(f"{process.args!r} exited with {process.returncode}:\n{tail}")


def _finished_thumbnails(folder: Path) -> int:
    """Complete thumbnails in ``folder``: ``<md5>.png``. The cache writes each to a hidden
    temporary file first (``.photodesk-*.png``) and renames it; those are not counted."""
    try:
        names = os.listdir(folder)
    except FileNotFoundError:
        return 0
    return sum(1 for name in names if name.endswith(".png") and not name.startswith("."))


def _app_fills_cache(folder: Path, count: int, home: Path) -> dict[str, float]:
    """``main.py FOLDER`` launched cold: seconds until the cache holds a large thumbnail
    of each of its ``count`` photos, and until the first; NaN when not all were made."""
    env = _user_env(home)
    # The strip's default (medium, 160 px tiles) asks for the 256 px class: large.
    large = Path(env["XDG_CACHE_HOME"]) / "thumbnails" / "large"
    log = home / "app.log"
    start = time.perf_counter()
    app = _launch([sys.executable, str(ROOT / "main.py"), str(folder)], env, log)
    first = done = math.nan
    made = 0
    try:
        while True:
            made = _finished_thumbnails(large)
            elapsed = time.perf_counter() - start
            if made and math.isnan(first):
                first = elapsed
            if made >= count:
                done = elapsed
                break
            if app.poll() is not None:
                raise _failed(app, log)
            if elapsed > LAUNCH_LIMIT:
                break
            time.sleep(CACHE_POLL)
    finally:
        _stop(app)
    return {"all": done, "first": first, "made": made}


def _vips_fills_folder(vips: str, files: list[Path], out: Path) -> float:
    """Two ``vipsthumbnail -s 256`` processes, half the files each: seconds from launch
    until both have exited."""
    out.mkdir()
    halves = [files[: len(files) // 2], files[len(files) // 2 :]]
    start = time.perf_counter()
    jobs = [
        subprocess.Popen([vips, "-s", "256", "-o", f"{out}/%s.png", *map(str, half)])
        for half in halves
    ]
    codes = [job.wait() for job in jobs]
    elapsed = time.perf_counter() - start
    if any(codes) or _finished_thumbnails(out) != len(files):
        raise RuntimeError(f"vipsthumbnail exited with {codes}")
    return elapsed


def measure_launch(count: int) -> dict[str, float]:
    """The app as a user launches it on a folder of 12-MP photos, against vipsthumbnail."""
    sources = corpus(12, 200)
    vips = shutil.which("vipsthumbnail")
    compileall.compile_dir(ROOT / "viewer", quiet=1)  # as an installed copy has it
    results: dict[str, float] = {"vips_missing": float(vips is None)}
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        for size in sorted({LAUNCH_SMALL, count}):
            folder = root / f"photos-{size}"
            folder.mkdir()
            links = [folder / f"IMG_{i:05d}.jpg" for i in range(size)]
            for i, link in enumerate(links):
                os.link(sources[i % len(sources)], link)
            if size == min(LAUNCH_SMALL, count):  # warm up: the files and Python in memory
                _app_fills_cache(folder, size, root / "warm-app")
                if vips:
                    _vips_fills_folder(vips, links, root / "warm-vips")
            runs, vips_times = [], []
            for run in range(USER_RUNS):
                runs.append(_app_fills_cache(folder, size, root / f"app-{size}-{run}"))
                if vips:
                    vips_times.append(_vips_fills_folder(vips, links, root / f"vips-{size}-{run}"))
            results[f"made_{size}"] = min(r["made"] for r in runs)
            complete = results[f"made_{size}"] >= size  # else the time says nothing
            done = statistics.median(r["all"] for r in runs)
            results[f"app_all_{size}"] = done if complete else math.nan
            results[f"app_first_{size}"] = statistics.median(r["first"] for r in runs)
            if vips:
                results[f"vips_{size}"] = statistics.median(vips_times)
    return results


def _role(pid: int, root: int) -> str:
    if pid == root:
        return "window"
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return "other"
    if "resource_tracker" in command:
        return "other"
    workers = ("worker_main", "--photodesk-worker", "spawn_main", "forkserver")
    return "worker" if any(mark in command for mark in workers) else "other"


def _memory_kib(pid: int) -> tuple[int, int] | None:
    """PSS and RSS in KiB from /proc/PID/smaps_rollup; None once the process is gone."""
    try:
        lines = Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()
    except OSError:
        return None
    fields = {line.split(":")[0]: int(line.split()[1]) for line in lines[1:]}
    if "Pss" not in fields:
        return None
    return fields["Pss"], fields["Rss"]


def _memory_after_launch(command: list[str], home: Path) -> list[tuple[str, float, float]]:
    """Each process of ``command``'s tree, 7 s after launch: role, PSS and RSS in MiB."""
    log = home / "run.log"
    env = _user_env(home)
    start = time.perf_counter()
    process = _launch(command, env, log)
    try:
        time.sleep(max(0.0, start + PSS_AFTER - time.perf_counter()))
        if process.poll() is not None:
            raise _failed(process, log)
        processes = []
        for pid in _process_tree(process.pid):
            memory = _memory_kib(pid)
            if memory is not None:
                role = _role(pid, process.pid)
                processes.append((role, memory[0] / 1024, memory[1] / 1024))
    finally:
        _stop(process)
    return processes


def measure_pss(_size: int) -> dict[str, float]:
    """Photo Desk's processes and qimgv's, each 7 s after opening the same one photo."""
    compileall.compile_dir(ROOT / "viewer", quiet=1)
    qimgv = shutil.which("qimgv")
    results: dict[str, float] = {"qimgv_missing": float(qimgv is None)}
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        photo = root / "one" / "IMG_0001.jpg"  # alone in its folder: one photo to show
        photo.parent.mkdir()
        os.link(corpus(12, 1)[0], photo)
        commands = {"app": [sys.executable, str(ROOT / "main.py"), str(photo)]}
        if qimgv:
            # Offscreen too: it starts, and holds the decoded 12-MP picture (about 50 MiB
            # more than qimgv with no file); under Xvfb it is seen to show the photo.
            commands["qimgv"] = [qimgv, str(photo)]
        runs: dict[str, list[list[tuple[str, float, float]]]] = {name: [] for name in commands}
        for run in range(USER_RUNS):
            for name, command in commands.items():
                runs[name].append(_memory_after_launch(command, root / f"{name}-{run}"))
    for name, measured in runs.items():
        totals = [sum(pss for _, pss, _ in processes) for processes in measured]
        results[f"{name}_total"] = statistics.median(totals)
        results[f"{name}_median_run"] = totals.index(statistics.median_low(totals))
        results[f"{name}_count"] = statistics.median(len(p) for p in measured)
        for role in ("window", "worker", "other"):
            results[f"{name}_{role}_pss"] = statistics.median(
                sum(pss for r, pss, _ in processes if r == role) for processes in measured
            )
            results[f"{name}_{role}_rss"] = statistics.median(
                sum(rss for r, _, rss in processes if r == role) for processes in measured
            )
            results[f"{name}_{role}_count"] = statistics.median(
                sum(1 for r, _, _ in processes if r == role) for processes in measured
            )
        # every process of every run, for a closer look: "<name> run <n> #<i> <role> pss"
        for run, processes in enumerate(measured):
            for i, (role, pss, rss) in enumerate(processes):
                results[f"{name} run {run} #{i} {role} pss"] = pss
                results[f"{name} run {run} #{i} {role} rss"] = rss
    return results


# --- the table ----------------------------------------------------------------------------


def run_child(name: str, size: int) -> dict[str, float]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    result = subprocess.run(
        [sys.executable, "-m", "bench.run", "--child", name, "--size", str(size)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        print(result.stderr, file=sys.stderr)
        raise SystemExit(f"bench {name} failed")
    data: dict[str, float] = json.loads(result.stdout.strip().splitlines()[-1])
    return data


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def write_rows(args: argparse.Namespace) -> list[Row]:
    """The caption-writing rows: Photo Desk's rates beside ExifTool's, same files, same run."""
    if "writes" not in args.only:
        return []
    rows: list[Row] = []
    w = run_child("writes", args.writes)
    files, tool = int(w["files"]), w.get("exiftool")
    reference = f"ExifTool {files / tool:.1f} photos/s" if tool else "exiftool missing"
    for key, label in (
        ("worker", f"captions written, {files} x 12 MP, as --import-metadata runs it"),
        ("direct", "  the same writes in the calling process"),
    ):
        rate = files / w[key]
        ratio = f"{rate / (files / tool):.2f}x ExifTool's rate" if tool else "-"
        rows.append((label, f"{rate:.1f} photos/s", reference, ratio))
    if w["written"] != 2 * files:
        rows.append(("  photos not written (see the writer's reasons)", "!", "-", "-"))
    return rows


def launch_rows(args: argparse.Namespace) -> list[Row]:
    """The app launched on a folder until every thumbnail is cached, beside vipsthumbnail."""
    if "launch_thumbs" not in args.only:
        return []
    rows: list[Row] = []
    u = run_child("launch_thumbs", args.launch)
    for size in sorted({LAUNCH_SMALL, args.launch}):
        app, first, made = u[f"app_all_{size}"], u[f"app_first_{size}"], int(u[f"made_{size}"])
        vips = u.get(f"vips_{size}")
        label = f"launch on {size} x 12 MP photos until every large thumbnail is cached"
        figure = (
            f"{app:.2f} s" if made >= size else f"{made} of {size} made in {LAUNCH_LIMIT:.0f} s"
        )
        if vips is None:
            reference, ratio = "vipsthumbnail missing", "-"
        else:
            reference = f"vipsthumbnail x 2 processes {vips:.2f} s"
            ratio = f"{app / vips:.2f}x (target <= 0.67x)" if made >= size else "-"
        rows.append((label, figure, reference, ratio))
        rows.append(("  first thumbnail in the cache, from launch", ms(first), "-", "-"))
    return rows


def _processes(p: dict[str, float], name: str) -> str:
    """Each process of the run with the median total, as "window 80 / 90, worker ..." MiB."""
    prefix = f"{name} run {int(p[f'{name}_median_run'])} #"
    parts = [
        f"{key.split()[-2]} {p[key]:.0f} / {p[key[:-3] + 'rss']:.0f}"
        for key in p
        if key.startswith(prefix) and key.endswith(" pss")
    ]
    return ", ".join(parts) + " MiB"


def pss_rows(args: argparse.Namespace) -> list[Row]:
    """All of the app's processes 7 s after opening one photo, beside qimgv."""
    if "pss" not in args.only:
        return []
    p = run_child("pss", 0)
    app, count = p["app_total"], int(p["app_count"])
    if p["qimgv_missing"]:
        reference, ratio = "qimgv missing", "-"
    else:
        qimgv = p["qimgv_total"]
        processes = int(p["qimgv_count"])
        reference = f"qimgv {qimgv:.0f} MiB ({processes} process{'es' if processes != 1 else ''})"
        ratio = f"{app / qimgv:.2f}x (target <= 1.00x)"
    rows: list[Row] = [
        (
            f"PSS of all Photo Desk processes, {PSS_AFTER:.0f} s after opening one photo",
            f"{app:.0f} MiB ({count} process{'es' if count != 1 else ''})",
            reference,
            ratio,
        ),
        (
            "  the window process alone: PSS / RSS",
            f"{p['app_window_pss']:.0f} / {p['app_window_rss']:.0f} MiB",
            "-",
            "-",
        ),
    ]
    for name in ("app", "qimgv"):
        if f"{name}_median_run" in p:
            rows.append((f"  {name}: each process, PSS / RSS", _processes(p, name), "-", "-"))
    for role, label in (("worker", "worker processes"), ("other", "other processes")):
        rows.append(
            (
                f"  {label}: PSS in all (how many)",
                f"{p[f'app_{role}_pss']:.0f} MiB ({int(p[f'app_{role}_count'])})",
                "-",
                "-",
            )
        )
    return rows


def table(args: argparse.Namespace) -> list[Row]:
    rows: list[Row] = []
    if "thumbs" in args.only:
        t = run_child("thumbs", args.thumbs)
        files = int(t["files"])
        vips = t.get("vips")
        for key, label in (
            ("pipeline_app", f"thumbnails, {files} x 12 MP, as the app makes them"),
            ("pipeline_threads", "  the same pipeline in threads, no worker processes"),
            ("pipeline_processes", "  the same pipeline in a ProcessPoolExecutor"),
            ("pillow_threads", "  reference: Pillow draft only, no cache"),
            ("qt_threads", "  reference: Qt QImageReader scaled, no cache"),
        ):
            ratio = f"{t[key] / vips:.2f}x (target <= 0.67x)" if vips else "vipsthumbnail missing"
            rows.append(
                (label, f"{t[key]:.2f} s", f"vipsthumbnail {vips:.2f} s" if vips else "-", ratio)
            )
    if "startup" in args.only:
        s = run_child("startup", args.repeat)
        rows.append(
            (
                "start-up to saved screenshot",
                ms(s["app"]),
                f"bare PySide6 {ms(s['bare'])}",
                f"{s['app'] / s['bare']:.2f}x (target <= 1.25x)",
            )
        )
    if "frozen" in args.only and FROZEN.exists():
        z = run_child("frozen", args.repeat)
        rows.append(
            (
                "frozen app (dist/photodesk) to saved first screenshot",
                ms(z["frozen"]),
                f"source run {ms(z['source'])}",
                f"{z['frozen'] / z['source']:.2f}x",
            )
        )
    elif "frozen" in args.only:
        rows.append(("frozen app", "no bundle: run `make bundle` first", "-", "-"))
    if "next" in args.only:
        n = run_child("next", 12)
        rows.append(
            (
                "next photo, prefetched",
                ms(n["prefetched"]),
                "target 16 ms",
                f"{n['prefetched'] / 0.016:.2f}x of target",
            )
        )
        rows.append(
            (
                "next photo, unprefetched 24 MP",
                ms(n["unprefetched"]),
                "target 120 ms",
                f"{n['unprefetched'] / 0.120:.2f}x of target",
            )
        )
    if "screenful" in args.only:
        f = run_child("screenful", 60)
        rows.append(
            (
                f"first screenful ({int(f['visible'])} tiles), camera previews",
                ms(f["previews"]),
                "target 100 ms",
                f"{f['previews'] / 0.100:.2f}x of target",
            )
        )
        rows.append(("first screenful, real thumbnails", ms(f["final"]), "-", "-"))
    if "folder" in args.only:
        d = run_child("folder", args.folder)
        photos = int(d["count"])
        rows.append((f"open a folder of {photos} photos: first photo", ms(d["first"]), "-", "-"))
        rows.append(("  whole folder listed into the strip", ms(d["listed"]), "-", "-"))
        rows.append(("  longest the window stood still meanwhile", ms(d["stall"]), "-", "-"))
    if "memory" in args.only:
        m = run_child("memory", args.memory)
        rows.append(
            (
                "base RSS (the window's process, in-process build)",
                f"{m['base']:.0f} MiB",
                "no target: the PSS row below replaces it",
                "-",
            )
        )
        rows.append(
            (
                "RSS per 1000 thumbnails held (1000 to 2000)",
                f"{m['per_1000']:.0f} MiB",
                "target 40 MiB",
                f"{m['per_1000'] / 40:.2f}x of target",
            )
        )
        rows.append(
            (
                f"RSS after scrolling {int(m['count'])} thumbnails",
                f"{m['after_scroll']:.0f} MiB",
                "target 300 MB (286 MiB)",
                f"{m['after_scroll'] / 286:.2f}x of target",
            )
        )
        rows.append(
            (
                "  thumbnails held after the scroll (the model's own count)",
                f"{m['encoded_mib']:.0f} MiB compact + {m['decoded_mib']:.1f} MiB decoded",
                "budgets 96 + 48 MiB",
                "-",
            )
        )
    rows += write_rows(args)
    rows += launch_rows(args)
    rows += pss_rows(args)
    if "soak" in args.only:
        k = run_child("soak", args.soak)
        rows.append(
            (
                f"soak: {int(k['count'])} photos browsed 3 times, RSS after pass 1 / 2 / 3",
                f"{k['pass1']:.0f} / {k['pass2']:.0f} / {k['pass3']:.0f} MiB",
                "third within 10% of first",
                f"{k['pass3'] / k['pass1']:.2f}x ({k['seconds']:.0f} s in all)",
            )
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description="Photo Desk benchmarks")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument(
        "--only",
        nargs="*",
        choices=MEASUREMENTS,
        default=[*MEASUREMENTS],
    )
    parser.add_argument(
        "--launch",
        type=int,
        default=480,
        help=f"photos in the launched folder (and {LAUNCH_SMALL})",
    )
    parser.add_argument("--writes", type=int, default=50, help="photos for the caption writes")
    parser.add_argument("--thumbs", type=int, default=200, help="files for the throughput run")
    parser.add_argument("--memory", type=int, default=10_000, help="thumbnails to scroll through")
    parser.add_argument("--folder", type=int, default=100_000, help="photos in the big folder")
    parser.add_argument("--repeat", type=int, default=7, help="start-up runs of each")
    parser.add_argument("--soak", type=int, default=3000, help="photos in the soak folder")
    args = parser.parse_args()
    if args.child:
        children: dict[str, Callable[[int], dict[str, float]]] = {
            "thumbs": measure_thumbs,
            "startup": measure_startup,
            "frozen": measure_frozen,
            "next": measure_next,
            "screenful": measure_screenful,
            "folder": measure_folder,
            "memory": measure_memory,
            "soak": measure_soak,
            "writes": measure_writes,
            "launch_thumbs": measure_launch,
            "pss": measure_pss,
        }
        print(json.dumps(children[args.child](args.size)))
        return
    rows = table(args)
    cpu = platform.processor() or platform.machine()
    print(
        f"\nPhoto Desk bench: {platform.system()} {platform.release()}, {cpu}, {WORKERS} cores, "
        f"Python {platform.python_version()}\n"
    )
    print("| measurement | Photo Desk | reference | ratio |")
    print("| --- | --- | --- | --- |")
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
