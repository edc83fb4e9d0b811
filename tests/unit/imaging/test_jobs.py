"""The entry points worker processes run for the window: light to import (the window's
process never loads Pillow through them), the same pixels as the decoder's own."""

from __future__ import annotations

import pickle
from pathlib import Path

from PIL import Image

from tests.builders import jpeg_bytes, python_output
from viewer.imaging import jobs, pixels


def test_importing_the_entry_points_loads_no_decoder() -> None:
    code = (
        "import sys\n"
        "import viewer.imaging.jobs\n"
        "heavy = ('PIL', 'viewer.imaging.pixels', 'pillow_heif', 'PySide6')\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy or m in heavy))\n"
    )
    assert python_output(code) == "[]"


def test_screen_pixels_are_the_decoders(tmp_path: Path) -> None:
    photo = tmp_path / "a.jpg"
    photo.write_bytes(jpeg_bytes(size=(400, 300)))
    raw = jobs.screen_pixels(photo, (200, 200))
    assert raw == pixels.screen_pixels(photo, (200, 200))
    assert (raw.width, raw.height, raw.full_size) == (200, 150, (400, 300))


def test_animation_pixels_are_the_decoders(tmp_path: Path) -> None:
    frames = [Image.new("RGB", (40, 20), (i * 100, 0, 0)) for i in range(2)]
    gif = tmp_path / "a.gif"
    frames[0].save(gif, save_all=True, append_images=frames[1:], duration=80)
    animation = jobs.animation_pixels(gif, (20, 20))
    assert animation is not None and animation == pixels.animation_pixels(gif, (20, 20))
    assert len(animation.frames) == 2
    still = tmp_path / "still.jpg"
    still.write_bytes(jpeg_bytes())
    assert jobs.animation_pixels(still, (20, 20)) is None


def test_entry_points_travel_to_a_worker_by_name() -> None:
    for function in (jobs.screen_pixels, jobs.animation_pixels):
        assert pickle.loads(pickle.dumps(function)) is function
        assert b"viewer.imaging.jobs" in pickle.dumps(function)
