"""The app as a person or a script starts it: a subprocess, a real window, a PNG."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image, ImageStat

from tests.builders import python_output
from viewer import __version__

ROOT = Path(__file__).resolve().parents[2]
MakeGallery = Callable[..., Path]


def run_app(
    *args: str, cwd: Path = ROOT, env_extra: dict[str, str] | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env.update(env_extra or {})
    return subprocess.run(
        [sys.executable, *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def assert_picture_area_not_blank(png: Path) -> None:
    with Image.open(png) as shot:
        assert shot.size == (1400, 900)
        rgb = shot.convert("RGB")
        # The photo fills the upper left of the window: it must hold a real picture,
        # not an empty background or a "Loading…" note.
        picture = rgb.crop((100, 100, 900, 600))
        stddev = ImageStat.Stat(picture).stddev
        assert min(stddev) > 8, f"the picture area looks blank (stddev {stddev})"
        colours = picture.getcolors(maxcolors=1_000_000)
        assert colours is not None
        assert len(colours) > 2000, "too few colours for a photo"
        # The strip along the bottom shows thumbnails, not only placeholders.
        strip = rgb.crop((0, 760, 900, 860))
        strip_colours = strip.getcolors(maxcolors=1_000_000)
        assert strip_colours is not None
        assert len(strip_colours) > 500


def test_screenshot_of_the_bundled_story(tmp_path: Path) -> None:
    png = tmp_path / "shot.png"
    result = run_app("main.py", "--screenshot", str(png))
    assert result.returncode == 0, result.stderr
    assert_picture_area_not_blank(png)


def test_screenshot_of_a_gallery_folder(tmp_path: Path, make_gallery: MakeGallery) -> None:
    manifest = make_gallery(3)
    png = tmp_path / "shot.png"
    result = run_app("main.py", "--screenshot", str(png), str(manifest.parent))
    assert result.returncode == 0, result.stderr
    with Image.open(png) as shot:
        assert shot.size == (1400, 900)


def test_a_bad_manifest_is_reported_not_crashed(tmp_path: Path, make_gallery: MakeGallery) -> None:
    manifest = make_gallery(2, lambda d: d["photos"][1].update(file="../../etc/passwd"))
    result = run_app("main.py", "--screenshot", str(tmp_path / "x.png"), str(manifest))
    assert result.returncode == 1
    assert "gallery.json: photos[1].file" in result.stderr
    assert "leaves the gallery folder" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "x.png").exists()


def test_an_unwritable_screenshot_fails_cleanly(tmp_path: Path) -> None:
    target = tmp_path / "no-such-folder" / "shot.png"
    result = run_app("main.py", "--screenshot", str(target))
    assert result.returncode == 1
    assert "could not write the screenshot" in result.stderr
    assert str(target) in result.stderr
    assert "Traceback" not in result.stderr


def test_version_and_usage() -> None:
    version = run_app("main.py", "--version")
    assert version.returncode == 0
    assert version.stdout.strip() == f"photodesk {__version__}"
    unknown = run_app("main.py", "--no-such-option")
    assert unknown.returncode == 2
    assert "usage: photodesk" in unknown.stderr
    assert "--no-such-option" in unknown.stderr
    helped = run_app("main.py", "--help")
    assert helped.returncode == 0
    assert "--screenshot" in helped.stdout


def test_python_dash_m_viewer_runs() -> None:
    result = run_app("-m", "viewer", "--version")
    assert result.returncode == 0
    assert __version__ in result.stdout


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert built.returncode == 0, built.stderr
    (path,) = out.glob("photodesk-*.whl")
    return path


def test_the_wheel_carries_the_gallery_and_icons(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "viewer/_resources/gallery/zhurong/gallery.json" in names
    assert "viewer/_resources/icons/photodesk.svg" in names
    document = json.loads(
        zipfile.ZipFile(wheel).read("viewer/_resources/gallery/zhurong/gallery.json")
    )
    for photo in document["photos"]:
        assert f"viewer/_resources/gallery/zhurong/{photo['file']}" in names
    assert not any(name.startswith("tests/") for name in names)
    assert not any("render_zhurong" in name for name in names)


def test_the_installed_app_finds_its_gallery(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    installed = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "--quiet",
            "--target",
            str(target),
            str(wheel),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert installed.returncode == 0, installed.stderr
    png = tmp_path / "installed.png"
    elsewhere = tmp_path / "cwd"
    elsewhere.mkdir()
    code = (
        "import sys, viewer, viewer.resources as r; "
        "assert viewer.__file__.startswith(sys.argv[1]), viewer.__file__; "
        "print(r.resource_root())"
    )
    where = run_app("-c", code, str(target), cwd=elsewhere, env_extra={"PYTHONPATH": str(target)})
    assert where.returncode == 0, where.stderr
    assert where.stdout.strip() == str(target / "viewer" / "_resources")
    result = run_app(
        "-m",
        "viewer",
        "--screenshot",
        str(png),
        cwd=elsewhere,
        env_extra={"PYTHONPATH": str(target)},
    )
    assert result.returncode == 0, result.stderr
    assert_picture_area_not_blank(png)


def test_screenshot_of_a_photo_opens_its_folder(tmp_path: Path) -> None:
    folder = tmp_path / "wire"
    folder.mkdir()
    for name, color in (("a.jpg", (200, 40, 40)), ("b.jpg", (40, 200, 40))):
        Image.new("RGB", (1600, 1000), color).save(folder / name, quality=90)
    png = tmp_path / "shot.png"
    result = run_app("main.py", "--screenshot", str(png), str(folder / "b.jpg"))
    assert result.returncode == 0, result.stderr
    with Image.open(png) as shot:
        centre = shot.convert("RGB").getpixel((500, 350))
    assert isinstance(centre, tuple)
    assert centre[1] > 150 > centre[0], "the photo given, b.jpg, is the one shown"


def test_a_screenshot_run_leaves_the_settings_alone(tmp_path: Path) -> None:
    config = tmp_path / "config"
    result = run_app(
        "main.py",
        "--screenshot",
        str(tmp_path / "s.png"),
        env_extra={"XDG_CONFIG_HOME": str(config)},
    )
    assert result.returncode == 0, result.stderr
    assert not list(config.rglob("*")), "nothing written to the user's settings"


def test_thumbnails_are_crisp_at_device_pixel_ratio_2(tmp_path: Path) -> None:
    # The window built as viewer/app.py builds it; the loop ends as soon as the tiles in
    # view hold their real thumbnails (each arrives with a dataChanged), or at 20 s.
    code = (
        "from PySide6.QtCore import QEventLoop, Qt, QTimer\n"
        "from PySide6.QtWidgets import QApplication\n"
        "app = QApplication([])\n"
        "from viewer.model import load_manifest\n"
        "from viewer.resources import bundled_gallery_path\n"
        "from viewer.ui.main_window import MainWindow\n"
        "from viewer.ui.preferences import Preferences\n"
        "from viewer.ui.state import ViewerState\n"
        "from viewer.ui.workers import Workers\n"
        "workers = Workers()\n"
        "preferences = Preferences(None)\n"
        "state = ViewerState(workers, None, preferences.thumbnail_size())\n"
        "w = MainWindow(state, preferences)\n"
        "w.resize(900, 700)\n"
        "state.set_gallery(load_manifest(bundled_gallery_path()))\n"
        "w.show()\n"
        "w.arrange_strip('bottom', 'large')\n"
        "loop = QEventLoop()\n"
        "def check(*_):\n"
        "    if w.strip.visible_rows() and w.visible_thumbnails_ready():\n"
        "        loop.quit()\n"
        "state.model.dataChanged.connect(check)\n"
        "state.idle.connect(check)\n"
        "QTimer.singleShot(0, check)\n"
        "QTimer.singleShot(20_000, loop.quit)\n"
        "loop.exec()\n"
        "icon = state.shown.index(0).data(Qt.ItemDataRole.DecorationRole)\n"
        "print(w.devicePixelRatioF(), icon.devicePixelRatio(), icon.width(), icon.height())\n"
        "w.close(); workers.close()\n"
    )
    output = python_output(code, {"QT_QPA_PLATFORM": "offscreen", "QT_SCALE_FACTOR": "2"})
    window_ratio, icon_ratio, width, height = output.split()
    assert float(window_ratio) == 2.0 and float(icon_ratio) == 2.0
    assert (int(width), int(height)) == (480, 320), "240x160 logical, made at 480x320 pixels"


def test_a_dark_screenshot_is_dark(tmp_path: Path) -> None:
    png = tmp_path / "dark.png"
    result = run_app("main.py", "--screenshot", str(png), "--appearance", "dark")
    assert result.returncode == 0, result.stderr
    assert_picture_area_not_blank(png)
    with Image.open(png) as shot:
        # the information column on the right: dark background, light text
        column = shot.convert("L").crop((1030, 100, 1390, 520))
        histogram = column.histogram()
        assert max(range(256), key=histogram.__getitem__) < 80, "the background is dark"
        assert max(v for v in range(256) if histogram[v]) > 200, "the text is light"


def test_a_bug_during_a_run_is_reported_and_the_run_goes_on(tmp_path: Path) -> None:
    png = tmp_path / "shot.png"
    code = (
        "import sys\n"
        "from PySide6.QtCore import QTimer\n"
        "from PySide6.QtWidgets import QApplication\n"
        "app = QApplication([])\n"
        "import viewer.app\n"
        "def broken():\n"
        "    raise RuntimeError('injected for the test')\n"
        "QTimer.singleShot(0, broken)\n"
        f"sys.exit(viewer.app.main(['--screenshot', {str(png)!r}]))\n"
    )
    result = run_app("-c", code)
    assert result.returncode == 0, result.stderr
    assert "unexpected error" in result.stderr and "injected for the test" in result.stderr
    assert_picture_area_not_blank(png)
