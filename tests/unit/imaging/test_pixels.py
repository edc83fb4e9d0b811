"""Correct pixels: orientation, colour management, every mode, frames, bombs, damage."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image

from tests.builders import SRGB_BLUE, SRGB_GREEN, SRGB_RED, rgb_icc_profile
from viewer.imaging.pixels import DecodeError, load_display_image

# What the stored pixels must undergo for each orientation to be upright, inverted.
_STORE = {
    1: [],
    2: [Image.Transpose.FLIP_LEFT_RIGHT],
    3: [Image.Transpose.ROTATE_180],
    4: [Image.Transpose.FLIP_TOP_BOTTOM],
    5: [Image.Transpose.TRANSPOSE],
    6: [Image.Transpose.ROTATE_90],
    7: [Image.Transpose.TRANSVERSE],
    8: [Image.Transpose.ROTATE_270],
}
RED, BLUE, GREY = (230, 20, 20), (20, 20, 230), (128, 128, 128)


def upright_marker() -> Image.Image:
    """60 x 40, grey, with a red block at the top left and a blue one at the top right."""
    image = Image.new("RGB", (60, 40), GREY)
    image.paste(RED, (0, 0, 20, 12))
    image.paste(BLUE, (46, 0, 60, 12))
    return image


def stored_as(orientation: int) -> Image.Image:
    image = upright_marker()
    for step in _STORE.get(orientation, []):
        image = image.transpose(step)
    return image


def near(actual: tuple[int, ...], expected: tuple[int, ...], tolerance: int = 40) -> bool:
    return all(abs(a - e) <= tolerance for a, e in zip(actual, expected, strict=False))


def assert_upright(image: Image.Image) -> None:
    assert image.size == (60, 40)
    pixel = image.getpixel((4, 4))
    right = image.getpixel((56, 4))
    below = image.getpixel((4, 30))
    assert isinstance(pixel, tuple)
    assert isinstance(right, tuple)
    assert isinstance(below, tuple)
    assert near(pixel, RED), pixel
    assert near(right, BLUE), right
    assert near(below, GREY), below


@pytest.mark.parametrize("orientation", range(1, 9))
@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "TIFF", "WEBP"])
def test_every_orientation_is_shown_upright(tmp_path: Path, orientation: int, fmt: str) -> None:
    exif = Image.Exif()
    exif[0x0112] = orientation
    path = tmp_path / f"o{orientation}.{fmt.lower()}"
    options = {"quality": 95} if fmt in ("JPEG", "WEBP") else {}
    stored_as(orientation).save(path, fmt, exif=exif.tobytes(), **options)
    assert_upright(load_display_image(path))


@pytest.mark.parametrize("orientation", [0, 9, 65535])
def test_zero_and_bogus_orientations_mean_as_stored(tmp_path: Path, orientation: int) -> None:
    exif = Image.Exif()
    exif[0x0112] = orientation
    path = tmp_path / "bogus.png"
    upright_marker().save(path, exif=exif.tobytes())
    assert_upright(load_display_image(path))


def test_orientation_is_applied_when_shrinking_on_load(tmp_path: Path) -> None:
    exif = Image.Exif()
    exif[0x0112] = 6
    path = tmp_path / "big.jpg"
    stored_as(6).resize((800, 1200)).save(path, quality=95, exif=exif.tobytes())
    image = load_display_image(path, (300, 300))
    assert image.size == (300, 200)


def test_an_embedded_profile_is_converted_to_srgb(tmp_path: Path) -> None:
    # A profile whose "red" channel has sRGB's green primary: pure stored red is green.
    swapped = rgb_icc_profile(red=SRGB_GREEN, green=SRGB_RED, blue=SRGB_BLUE)
    path = tmp_path / "profiled.png"
    Image.new("RGB", (16, 16), (255, 0, 0)).save(path, icc_profile=swapped)
    pixel = load_display_image(path).getpixel((8, 8))
    assert isinstance(pixel, tuple)
    assert pixel[1] > 200, pixel
    assert pixel[0] < 60, pixel


def test_an_srgb_profile_leaves_colours_alone(tmp_path: Path) -> None:
    profile = rgb_icc_profile(red=SRGB_RED, green=SRGB_GREEN, blue=SRGB_BLUE)
    path = tmp_path / "srgb.jpg"
    Image.new("RGB", (16, 16), (200, 120, 40)).save(path, quality=100, icc_profile=profile)
    pixel = load_display_image(path).getpixel((8, 8))
    assert isinstance(pixel, tuple)
    assert near(pixel, (200, 120, 40), 12), pixel


def test_a_broken_profile_is_ignored(tmp_path: Path) -> None:
    path = tmp_path / "junk-profile.png"
    Image.new("RGB", (8, 8), (10, 200, 30)).save(path, icc_profile=b"not a profile at all")
    pixel = load_display_image(path).getpixel((4, 4))
    assert pixel == (10, 200, 30)


def test_cmyk_jpeg_shows_sane_colours(tmp_path: Path) -> None:
    path = tmp_path / "cmyk.jpg"
    Image.new("CMYK", (16, 16), (0, 255, 255, 0)).save(path, quality=95)  # printer's red
    image = load_display_image(path)
    assert image.mode == "RGB"
    pixel = image.getpixel((8, 8))
    assert isinstance(pixel, tuple)
    assert pixel[0] > 200 and pixel[1] < 60 and pixel[2] < 60, pixel


def test_16_bit_grey_is_scaled_not_clipped(tmp_path: Path) -> None:
    path = tmp_path / "grey16.png"
    Image.new("I;16", (8, 8), 32768).save(path)
    pixel = load_display_image(path).getpixel((4, 4))
    assert 120 <= (pixel[0] if isinstance(pixel, tuple) else pixel) <= 136, pixel  # type: ignore[operator]


def test_palette_transparency_and_grey_alpha_become_rgba(tmp_path: Path) -> None:
    palette = Image.new("P", (8, 8), 1)
    palette.putpalette([0, 0, 0, 255, 0, 0] + [0, 0, 0] * 254)
    palette.info["transparency"] = 1
    path = tmp_path / "palette.png"
    palette.save(path, transparency=1)
    image = load_display_image(path)
    assert image.mode == "RGBA"
    assert image.getpixel((2, 2))[3] == 0  # type: ignore[index]
    grey_alpha = tmp_path / "la.png"
    Image.new("LA", (8, 8), (200, 100)).save(grey_alpha)
    converted = load_display_image(grey_alpha)
    assert converted.mode == "RGBA"
    assert converted.getpixel((1, 1)) == (200, 200, 200, 100)


def test_greyscale_and_bilevel_are_shown(tmp_path: Path) -> None:
    for mode, value in (("L", 77), ("1", 1)):
        path = tmp_path / f"{mode}.png"
        Image.new(mode, (8, 8), value).save(path)
        assert load_display_image(path).mode in ("L", "RGB")


@pytest.mark.parametrize("fmt", ["GIF", "TIFF", "WEBP"])
def test_multi_frame_files_show_their_first_frame(tmp_path: Path, fmt: str) -> None:
    frames = [Image.new("RGB", (16, 16), c) for c in ((250, 0, 0), (0, 0, 250), (0, 250, 0))]
    path = tmp_path / f"frames.{fmt.lower()}"
    frames[0].save(path, fmt, save_all=True, append_images=frames[1:], lossless=True)
    pixel = load_display_image(path).convert("RGB").getpixel((8, 8))
    assert isinstance(pixel, tuple)
    assert near(pixel, (250, 0, 0), 20), pixel


def png_header_only(width: int, height: int) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IEND", b"")


@pytest.mark.parametrize(("width", "height"), [(20_000, 20_000), (100_000, 100_000)])
def test_absurd_dimensions_are_refused_before_decoding(
    tmp_path: Path, width: int, height: int
) -> None:
    path = tmp_path / "bomb.png"
    path.write_bytes(png_header_only(width, height))
    with pytest.raises(DecodeError) as caught:
        load_display_image(path)
    assert "bomb.png" in str(caught.value)
    assert "too large" in str(caught.value) or "decompression bomb" in str(caught.value)


def test_shrink_on_load_fits_the_box(tmp_path: Path) -> None:
    path = tmp_path / "large.jpg"
    Image.new("RGB", (3000, 2000), (90, 140, 200)).save(path, quality=90)
    image = load_display_image(path, (256, 256))
    assert image.size == (256, 171)
    small = tmp_path / "small.png"
    Image.new("RGB", (40, 30), (1, 2, 3)).save(small)
    assert load_display_image(small, (256, 256)).size == (40, 30), "never enlarged"


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"", "not an image format"),
        (b"hello, I am text", "not an image format"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 40, "damaged"),
    ],
)
def test_bad_files_raise_decode_errors_naming_the_file(
    tmp_path: Path, content: bytes, words: str
) -> None:
    path = tmp_path / "odd name ü #1.jpg"
    path.write_bytes(content)
    with pytest.raises(DecodeError) as caught:
        load_display_image(path)
    assert "odd name ü #1.jpg" in str(caught.value)
    assert words in str(caught.value)


def test_a_truncated_jpeg_is_damaged_not_a_crash(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (400, 300), (10, 120, 90)).save(buffer, "JPEG")
    path = tmp_path / "cut.jpg"
    path.write_bytes(buffer.getvalue()[: len(buffer.getvalue()) // 2])
    with pytest.raises(DecodeError, match="damaged"):
        load_display_image(path)


def test_missing_files_and_folders_are_decode_errors(tmp_path: Path) -> None:
    with pytest.raises(DecodeError, match="does not exist"):
        load_display_image(tmp_path / "gone.jpg")
    with pytest.raises(DecodeError, match="folder"):
        load_display_image(tmp_path)


def test_heic_is_decoded_upright_with_its_metadata(tmp_path: Path) -> None:
    from viewer.formats import register_extra_formats  # noqa: PLC0415
    from viewer.metadata import read_metadata  # noqa: PLC0415

    assert register_extra_formats(), "pillow-heif is a dependency"
    exif = Image.Exif()
    exif[0x0112] = 6
    exif[0x010F] = "Apple"
    exif[0x0110] = "iPhone 12"
    path = tmp_path / "phone.heic"
    stored_as(6).save(path, "HEIF", quality=95, exif=exif.tobytes())
    assert_upright(load_display_image(path))
    meta = read_metadata(path)
    assert (meta.make, meta.model) == ("Apple", "iPhone 12")
    assert (meta.width, meta.height) == (60, 40)


def test_animation_frames_durations_and_limits(tmp_path: Path) -> None:
    from viewer.imaging.pixels import DEFAULT_FRAME_MS, load_animation  # noqa: PLC0415

    frames = [Image.new("RGB", (400, 200), (i * 80, 50, 50)) for i in range(3)]
    gif = tmp_path / "a.gif"
    frames[0].save(gif, save_all=True, append_images=frames[1:], duration=[50, 0, 200], loop=2)
    animation = load_animation(gif, (100, 100))
    assert animation is not None
    assert [f.size for f in animation.frames] == [(100, 50)] * 3, "fitted, like the screen"
    assert animation.durations == [50, DEFAULT_FRAME_MS, 200], "no delay is read as 100 ms"
    assert animation.loops == 3, "a GIF counts repetitions after the first play"
    assert load_animation(gif, (100, 100), budget=100 * 50 * 4 * 2) is None, "over budget"
    still = tmp_path / "still.gif"
    frames[0].save(still)
    assert load_animation(still, (100, 100)) is None
    jpeg = tmp_path / "a.jpg"
    frames[0].save(jpeg)
    assert load_animation(jpeg, (100, 100)) is None


def test_screen_pixels_are_fitted_with_the_photos_whole_size(tmp_path: Path) -> None:
    from viewer.imaging.pixels import screen_pixels  # noqa: PLC0415

    exif = Image.Exif()
    exif[0x0112] = 6
    path = tmp_path / "turned.jpg"
    stored_as(6).resize((600, 900)).save(path, quality=90, exif=exif.tobytes())
    raw = screen_pixels(path, (300, 300))
    assert (raw.width, raw.height, raw.alpha) == (300, 200, False)
    assert raw.full_size == (900, 600), "the whole photo, upright"
    assert len(raw.data) == 300 * 200 * 4
    alpha = tmp_path / "alpha.png"
    Image.new("RGBA", (40, 30), (255, 0, 0, 128)).save(alpha)
    assert screen_pixels(alpha, None).alpha


def test_animation_pixels_keep_frames_durations_and_loops(tmp_path: Path) -> None:
    from viewer.imaging.pixels import animation_pixels  # noqa: PLC0415

    frames = [Image.new("RGB", (40, 20), (i * 100, 0, 0)) for i in range(3)]
    gif = tmp_path / "a.gif"
    frames[0].save(gif, save_all=True, append_images=frames[1:], duration=[50, 60, 70], loop=0)
    animation = animation_pixels(gif, (20, 20))
    assert animation is not None
    assert [(f.width, f.height) for f in animation.frames] == [(20, 10)] * 3
    assert animation.durations == (50, 60, 70)
    assert animation.loops == 0, "for ever"
    still = tmp_path / "still.png"
    frames[0].save(still)
    assert animation_pixels(still, (20, 20)) is None
