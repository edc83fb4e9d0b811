"""Animated GIF, WebP and PNG play in the detail view; still ones do not."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PIL import Image
from pytestqt.qtbot import QtBot

from tests.integration.conftest import MakeWindow
from viewer.model import files_gallery
from viewer.ui.main_window import MainWindow

COLOURS = [(220, 30, 30), (30, 200, 30), (30, 30, 220)]


def _animation(path: Path, **options: Any) -> Path:
    frames = [Image.new("RGB", (120, 80), colour) for colour in COLOURS]
    frames[0].save(path, save_all=True, append_images=frames[1:], duration=60, **options)
    return path


def _centre(window: MainWindow) -> tuple[int, int, int]:
    image = window.detail.photo_view.current_image()
    assert image is not None
    colour = image.pixelColor(image.width() // 2, image.height() // 2)
    return (colour.red(), colour.green(), colour.blue())


def _nearest(colour: tuple[int, int, int]) -> int:
    return min(
        range(3), key=lambda i: sum(abs(a - b) for a, b in zip(colour, COLOURS[i], strict=True))
    )


def test_an_animated_gif_plays_round_and_round(
    qtbot: QtBot, tmp_path: Path, make_window: MakeWindow
) -> None:
    gif = _animation(tmp_path / "a.gif", loop=0)
    still = tmp_path / "b.gif"
    Image.new("RGB", (120, 80), COLOURS[0]).save(still)
    window = make_window(files_gallery(tmp_path, [gif, still]))
    view = window.detail.photo_view
    qtbot.waitUntil(view.is_playing, timeout=5_000)
    seen: list[int] = []  # the frames on screen, in the order they were seen

    def round_and_round() -> bool:
        frame = _nearest(_centre(window))
        if not seen or seen[-1] != frame:
            seen.append(frame)
        return seen.count(0) >= 2 and {1, 2} <= set(seen)

    qtbot.waitUntil(round_and_round, timeout=5_000)  # every frame, then the first again
    assert view.is_playing()
    with qtbot.waitSignal(window.photo_shown, timeout=5_000):
        window.state.move_by(1)
    assert not view.is_playing(), "a still GIF does not play; the animation stopped"


def test_an_animation_without_a_loop_count_plays_once(
    qtbot: QtBot, tmp_path: Path, make_window: MakeWindow
) -> None:
    gif = _animation(tmp_path / "once.gif")  # no NETSCAPE loop block: once, like browsers
    window = make_window(files_gallery(tmp_path, [gif]))
    view = window.detail.photo_view
    qtbot.waitUntil(lambda: view.frame_index() == 2, timeout=5_000)
    qtbot.waitUntil(lambda: not view.is_playing(), timeout=5_000)  # its last frame has run
    assert view.frame_index() == 2, "stays on its last frame"
    assert _nearest(_centre(window)) == 2


def test_animated_webp_and_png_play(qtbot: QtBot, tmp_path: Path, make_window: MakeWindow) -> None:
    webp = _animation(tmp_path / "a.webp", loop=0, lossless=True)
    png = _animation(tmp_path / "b.png", loop=0)
    window = make_window(files_gallery(tmp_path, [webp, png]))
    view = window.detail.photo_view
    qtbot.waitUntil(view.is_playing, timeout=5_000)
    with qtbot.waitSignal(window.photo_shown, timeout=5_000):
        window.state.move_by(1)
    qtbot.waitUntil(view.is_playing, timeout=5_000)
    qtbot.waitUntil(lambda: view.frame_index() > 0, timeout=5_000)
