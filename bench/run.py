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
"""

from __future__ import annotations

import argparse
import compileall
import itertools
import json
import os
import platform
import shutil
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
                "writes")  # fmt: skip


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
                "base RSS",
                f"{m['base']:.0f} MiB",
                "target 80 MiB",
                f"{m['base'] / 80:.2f}x of target",
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
        default=[*MEASUREMENTS],
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
