"""Pixels in the layout Qt paints fastest (opaque RGB32, premultiplied ARGB32), and
taking them out of a worker's result to send them on their own."""

from __future__ import annotations

import pickle
import sys

import pytest
from PIL import Image

from viewer.imaging.raw import RawAnimation, RawPixels, attach, detach, raw_cost, to_raw

LITTLE = sys.byteorder == "little"


def pixel(raw: RawPixels, x: int, y: int) -> dict[str, int]:
    """One pixel's channels by name, read in the memory order the pixels declare."""
    at = 4 * (y * raw.width + x)
    return dict(zip(raw.byte_order, raw.data[at : at + 4], strict=True))


def test_the_byte_order_is_what_qt_expects_on_this_machine() -> None:
    raw = to_raw(Image.new("RGB", (1, 1), (200, 100, 50)))
    assert raw.byte_order == ("BGRA" if LITTLE else "RGBA")
    assert tuple(raw.data) == ((50, 100, 200, 255) if LITTLE else (200, 100, 50, 255))


def test_opaque_pixels_are_kept_with_full_alpha() -> None:
    image = Image.new("RGB", (3, 2), (10, 20, 30))
    image.putpixel((2, 1), (200, 100, 50))
    raw = to_raw(image, full_size=(300, 200))
    assert (raw.width, raw.height, raw.alpha, raw.full_size) == (3, 2, False, (300, 200))
    assert len(raw.data) == 3 * 2 * 4, "rows without padding"
    assert pixel(raw, 0, 0) == {"R": 10, "G": 20, "B": 30, "A": 255}
    assert pixel(raw, 2, 1) == {"R": 200, "G": 100, "B": 50, "A": 255}


def test_alpha_is_premultiplied() -> None:
    image = Image.new("RGBA", (2, 1), (200, 100, 50, 128))
    image.putpixel((1, 0), (255, 255, 255, 0))
    raw = to_raw(image)
    assert raw.alpha
    half = pixel(raw, 0, 0)
    assert half["A"] == 128
    for channel, straight in (("R", 200), ("G", 100), ("B", 50)):
        assert abs(half[channel] - straight * 128 / 255) <= 1, (channel, half)
    assert set(pixel(raw, 1, 0).values()) == {0}, "a transparent pixel is all zero"


@pytest.mark.parametrize("mode", ["L", "P", "CMYK", "1"])
def test_other_modes_become_opaque_rgb(mode: str) -> None:
    image = Image.new("RGB", (4, 4), (255, 255, 255)).convert(mode)
    raw = to_raw(image)
    assert not raw.alpha
    assert len(raw.data) == 4 * 4 * 4
    assert set(raw.data[3::4]) == {255}


def test_the_cost_is_a_copy_and_its_bytes() -> None:
    assert raw_cost((1000, 500)) == 1000 * 500 * 8
    assert raw_cost((0, 10)) == 0


def test_pixels_are_detached_and_attached_whole() -> None:
    raw = to_raw(Image.new("RGBA", (5, 3), (1, 2, 3, 4)), full_size=(50, 30))
    detached = detach(raw)
    assert detached is not None
    skeleton, buffers = detached
    assert isinstance(skeleton, RawPixels) and skeleton.data == b""
    assert buffers == [raw.data]
    assert len(pickle.dumps(skeleton)) < 400, "the skeleton is small: no pixels in it"
    assert attach(skeleton, [bytearray(buffers[0])]) == RawPixels(
        5, 3, True, bytearray(raw.data), (50, 30), raw.byte_order
    )


def test_animations_are_detached_frame_by_frame() -> None:
    frames = tuple(to_raw(Image.new("RGB", (4, 2), (i, i, i))) for i in (10, 20, 30))
    animation = RawAnimation(frames, (100, 50, 200), 3)
    detached = detach(animation)
    assert detached is not None
    skeleton, buffers = detached
    assert isinstance(skeleton, RawAnimation)
    assert all(frame.data == b"" for frame in skeleton.frames)
    assert (skeleton.durations, skeleton.loops) == ((100, 50, 200), 3)
    assert buffers == [frame.data for frame in frames]
    back = attach(skeleton, [bytearray(buffer) for buffer in buffers])
    assert back == animation


@pytest.mark.parametrize("result", [None, "text", (1, 2), {"a": b"bytes"}, b"raw bytes"])
def test_results_without_pixels_are_left_alone(result: object) -> None:
    assert detach(result) is None
