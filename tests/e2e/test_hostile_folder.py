"""A folder of hostile files, opened by the real app from launch: the app's own process
stays under 300 MB and all its processes together under 1 GB, from the first second on.

The memory of the app and every process it starts is sampled from outside while it
runs (``/proc``), so the peak is seen whenever it happens, warm-up included.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from PIL import Image

from tests.builders import jpeg_bytes
from tests.hostile import gif_with_huge_screen, jpeg_with_lying_preview, make_fifo, png_claiming

ROOT = Path(__file__).resolve().parents[2]
APP_LIMIT_MIB = 300 * 1_000_000 / 2**20  # 300 MB
ALL_LIMIT_MIB = 1_000_000_000 / 2**20  # 1 GB

pytestmark = pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs /proc")


def _rss_mib(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _family(pid: int) -> list[int]:
    pids = [pid]
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children", encoding="ascii") as children:
                for child in children.read().split():
                    pids += _family(int(child))
    except OSError:
        pass
    return pids


def _hostile_folder(folder: Path) -> None:
    folder.mkdir()
    # First in the folder, so it is the photo on screen: 64 MP, decoded in the large lane.
    Image.new("RGB", (8000, 8000), (30, 60, 90)).save(folder / "0-big.png", compress_level=1)
    for index in range(4):
        (folder / f"1-lying-preview-{index}.jpg").write_bytes(jpeg_with_lying_preview())
    (folder / "2-screen.gif").write_bytes(gif_with_huge_screen())
    (folder / "3-claims-15000.png").write_bytes(png_claiming(15_000, 15_000))
    (folder / "4-claims-80mp.png").write_bytes(png_claiming(10_000, 8_000))
    make_fifo(folder / "5-pipe.jpg")
    (folder / "6-1²2.jpg").write_bytes(jpeg_bytes(size=(320, 200)))
    (folder / os.fsdecode(b"7-caf\xe9.jpg")).write_bytes(jpeg_bytes(size=(320, 200)))


def test_memory_stays_bounded_on_a_hostile_folder_from_launch(tmp_path: Path) -> None:
    folder = tmp_path / "hostile"
    _hostile_folder(folder)
    env = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        XDG_CACHE_HOME=str(tmp_path / "cache"),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        XDG_STATE_HOME=str(tmp_path / "state"),
    )
    shot = tmp_path / "shot.png"
    command = [sys.executable, str(ROOT / "main.py"), "--screenshot", str(shot), str(folder)]
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    peaks = {"app": 0.0, "all": 0.0}
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.01):
            family = _family(process.pid)
            peaks["app"] = max(peaks["app"], _rss_mib(process.pid))
            peaks["all"] = max(peaks["all"], sum(_rss_mib(pid) for pid in family))

    sampler = threading.Thread(target=sample)
    sampler.start()
    try:
        _, stderr = process.communicate(timeout=120)
    finally:
        done.set()
        sampler.join()
    assert process.returncode == 0, stderr.decode(errors="replace")
    assert shot.is_file()
    assert peaks["app"] < APP_LIMIT_MIB, f"the app's own process peaked at {peaks['app']:.0f} MiB"
    assert peaks["all"] < ALL_LIMIT_MIB, f"all its processes together: {peaks['all']:.0f} MiB"
    assert "Traceback" not in stderr.decode(errors="replace")


def test_a_png_over_the_budget_is_refused_before_it_is_decoded(tmp_path: Path) -> None:
    """The budget is checked on the header: a real 64-MP PNG refused at the everyday
    budget costs neither the memory nor the time of decoding it (Pillow's PNG plugin
    would decode every pixel just to look for EXIF after the image data)."""
    big = tmp_path / "big.png"
    Image.new("RGB", (8000, 8000), (30, 60, 90)).save(big, compress_level=1)
    # VmHWM, not ru_maxrss: the latter keeps the forking test process's own peak.
    program = (
        "import sys\n"
        f"sys.path.insert(0, {str(ROOT)!r})\n"
        "from pathlib import Path\n"
        "from viewer.imaging.pixels import OverBudgetError, screen_pixels\n"
        "from viewer.metadata import read_metadata\n"
        f"path = Path({str(big)!r})\n"
        "try:\n"
        "    screen_pixels(path, (1400, 900))\n"
        "except OverBudgetError as exc:\n"
        "    print('refused', exc.needed)\n"
        "meta = read_metadata(path)\n"
        "print(meta.width, meta.height)\n"
        "status = open('/proc/self/status').read().split('VmHWM:')[1]\n"
        "print(int(status.split()[0]) // 1024)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=True, timeout=60
    )
    refused, size, peak = done.stdout.split("\n")[:3]
    assert refused.startswith("refused")
    assert size == "8000 8000"
    assert int(peak) < 120, f"{peak} MiB: the picture was decoded after all"
