"""From a file to correct 8-bit sRGB pixels at the size they will be shown (Pillow, no Qt).

The flow for one file:

1. open lazily and read the header; refuse absurd dimensions before any pixel is
   allocated (:data:`MAX_PIXELS`);
2. take the first frame (GIF, WebP, MPO, multi-page TIFF);
3. read the EXIF orientation (1-8; 0 and bogus values mean "as stored"), and turn the
   target box to match how the pixels are stored;
4. let the JPEG decoder shrink while decoding (``draft``): a 24-MP photo decoded for a
   256-px thumbnail costs a fraction of a full decode;
5. bring every mode to 8-bit RGB or RGBA: 16-bit greys are scaled, not clipped; palettes
   keep their transparency; CMYK and Lab go through colour management;
6. convert embedded ICC profiles (Adobe RGB, camera profiles, CMYK) to sRGB;
7. apply the orientation, then reduce to the box with a good filter.

Any failure becomes a :class:`DecodeError` that names the file and the problem.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import io
from collections.abc import Iterator
from pathlib import Path

from PIL import Image, ImageCms, UnidentifiedImageError

from viewer.errors import DecodeError, OverBudgetError
from viewer.fileaccess import FileAccessError, open_regular
from viewer.formats import header_exif, register_formats_for_stream, sniff_file
from viewer.imaging.geometry import fit_within
from viewer.imaging.memory import DECODE_BUDGET
from viewer.imaging.raw import RawAnimation, RawPixels, raw_cost, to_raw

MAX_PIXELS = 250_000_000  # absurd beyond this: refuse before allocating anything
# Pillow's own bomb guard, aligned with ours so both speak with one voice.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS

SMALL_TARGET = 1024  # boxes up to this edge are thumbnails, larger ones screens
ORIENTATION_TAG = 0x0112
_TRANSPOSE = {
    2: [Image.Transpose.FLIP_LEFT_RIGHT],
    3: [Image.Transpose.ROTATE_180],
    4: [Image.Transpose.FLIP_TOP_BOTTOM],
    5: [Image.Transpose.TRANSPOSE],
    6: [Image.Transpose.ROTATE_270],
    7: [Image.Transpose.TRANSVERSE],
    8: [Image.Transpose.ROTATE_90],
}
SWAPS_AXES = frozenset({5, 6, 7, 8})


__all__ = [
    "MAX_PIXELS",
    "DecodeError",
    "OverBudgetError",
    "apply_orientation",
    "fit_within",
    "load_display_image",
    "load_display_image_sized",
]


# Bytes Pillow keeps per pixel for each mode (RGB is padded to four).
_STORAGE = {"1": 1, "L": 1, "P": 1, "I;16": 2, "I;16L": 2, "I;16B": 2, "I;16N": 2}


def pixel_bytes(mode: str) -> int:
    """How many bytes Pillow holds per pixel of ``mode``."""
    return _STORAGE.get(mode, 4)


def decode_cost(size: tuple[int, int], mode: str, *, converts: bool, orients: bool = False) -> int:
    """Peak bytes of decoding a ``size`` picture stored as ``mode``.

    That is the decoded pixels, plus a full-size 4-byte copy for a mode or colour
    conversion (``converts``), plus one more when the full-size picture is turned upright
    (``orients``).
    """
    pixels = size[0] * size[1]
    cost = pixels * pixel_bytes(mode)
    if converts:
        cost += pixels * 4
    if orients:
        cost += pixels * 4
    return cost


def check_budget(path: Path, needed: int, budget: int | None) -> None:
    """Refuse (before allocating) a decode that would take more than ``budget`` bytes."""
    if budget is not None and needed > budget:
        raise OverBudgetError(path, needed, budget)


def orientation_of(image: Image.Image) -> int:
    """The EXIF orientation 1-8 of an opened image; anything else means 1.

    It is read from the header: a PNG is not decoded to find out (see
    :func:`viewer.formats.header_exif`).
    """
    try:
        value = header_exif(image).get(ORIENTATION_TAG, 1)
    except Exception:  # a broken EXIF block costs the orientation, not the picture
        return 1
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


def apply_orientation(image: Image.Image, orientation: int) -> Image.Image:
    """Turn pixels stored with EXIF ``orientation`` upright (1 and unknown values: as is)."""
    for step in _TRANSPOSE.get(orientation, []):
        image = image.transpose(step)
    return image


def load_display_image(
    path: Path,
    max_size: tuple[int, int] | None = None,
    budget: int | None = DECODE_BUDGET,
    root: Path | None = None,
) -> Image.Image:
    """Decode ``path`` upright in 8-bit sRGB (mode RGB or RGBA), fitted inside max_size.

    Args:
        path: the image file; only a regular file is read.
        max_size: the largest it will be shown, in pixels; None for every pixel.
        budget: the most memory the decode may take (checked from the header first);
            None for no limit.
        root: when given, the file must be beneath this folder as it is opened.

    Raises:
        OverBudgetError: decoding would take more than ``budget`` bytes.
        DecodeError: the file is missing, not an image, too large or damaged.
    """
    return load_display_image_sized(path, max_size, budget, root)[0]


def load_display_image_sized(
    path: Path,
    max_size: tuple[int, int] | None = None,
    budget: int | None = DECODE_BUDGET,
    root: Path | None = None,
) -> tuple[Image.Image, tuple[int, int]]:
    """:func:`load_display_image`, and the photo's full size as displayed (upright)."""
    with _opened(path, root, "image") as opened:
        return _display_image(path, opened, max_size, budget)


def screen_pixels(
    path: Path,
    max_size: tuple[int, int] | None,
    budget: int | None = DECODE_BUDGET,
    root: Path | None = None,
) -> RawPixels:
    """:func:`load_display_image_sized` as pixels ready for Qt, with the photo's full size.

    Run in a worker: the app wraps the bytes without converting them.
    """
    image, full_size = load_display_image_sized(path, max_size, budget, root)
    return to_raw(image, full_size)


def animation_pixels(
    path: Path,
    max_size: tuple[int, int] | None,
    budget: int | None = DECODE_BUDGET,
    root: Path | None = None,
) -> RawAnimation | None:
    """:func:`load_animation` as frames ready for Qt (run in a worker)."""
    animation = load_animation(path, max_size, decode_budget=budget, root=root)
    if animation is None:
        return None
    frames = tuple(to_raw(frame) for frame in animation.frames)
    return RawAnimation(frames, tuple(animation.durations), animation.loops)


@contextlib.contextmanager
def _opened(path: Path, root: Path | None, what: str) -> Iterator[Image.Image]:
    """The file opened lazily by Pillow (header only).

    Every failure, here or in the caller's block, becomes a DecodeError that names the
    file.
    """
    try:
        with open_regular(path, root) as stream:
            register_formats_for_stream(stream)
            with Image.open(stream) as opened:
                yield opened
    except DecodeError:
        raise
    except FileAccessError as exc:
        raise DecodeError(path, exc.reason, lasting=False) from None
    except FileNotFoundError:
        raise DecodeError(path, "the file does not exist", lasting=False) from None
    except PermissionError:
        raise DecodeError(path, "permission to read it was denied", lasting=False) from None
    except UnidentifiedImageError:
        kind = sniff_file(path)
        if kind:
            raise DecodeError(path, f"the {kind} data is damaged and cannot be read") from None
        raise DecodeError(path, "this is not an image format Photo Desk can read") from None
    except Image.DecompressionBombError as exc:
        raise DecodeError(path, f"refused as a decompression bomb ({exc})") from None
    except MemoryError:
        raise DecodeError(path, "there is not enough memory to decode it", lasting=False) from None
    except Exception as exc:  # decoders raise many types on damaged data
        raise DecodeError(path, f"the {what} data is damaged ({_describe(exc)})") from None


ANIMATED_FORMATS = frozenset({"GIF", "WEBP", "PNG"})  # PNG: APNG
ANIMATION_BUDGET = 96 * 1024 * 1024  # decoded frames of one animation, at most
MIN_FRAME_MS = 20  # browsers treat shorter (or missing) delays as 100 ms; so do we
DEFAULT_FRAME_MS = 100


@dataclasses.dataclass(frozen=True)
class Animation:
    """The frames of an animated GIF, WebP or PNG, upright, in sRGB, fitted.

    Attributes:
        frames: one RGBA image per frame, composed as the format says (disposal, blending).
        durations: how long each frame stays, in milliseconds.
        loops: how many times to play it in all (0: for ever).
    """

    frames: list[Image.Image]
    durations: list[int]
    loops: int


def _plays(image: Image.Image) -> int:
    """How many times the file asks to be played (0: for ever).

    A GIF without a loop count plays once; its count is of repetitions after the first. WebP and
    APNG count plays.
    """
    loop = image.info.get("loop")
    if image.format == "GIF":
        return 1 if loop is None else 0 if loop == 0 else int(loop) + 1
    return int(loop or 0)


def load_animation(
    path: Path,
    max_size: tuple[int, int] | None,
    budget: int = ANIMATION_BUDGET,
    decode_budget: int | None = DECODE_BUDGET,
    root: Path | None = None,
) -> Animation | None:
    """Every frame of an animation fitted inside ``max_size``.

    None when ``path`` is not animated or its fitted frames would take more than
    ``budget`` bytes (it then stays still, on its first frame).

    Each frame is composed on the whole canvas (the GIF's logical screen) before it is
    fitted, so the canvas must fit ``decode_budget``: a tiny file can claim a canvas of
    billions of pixels.

    Raises:
        OverBudgetError: one frame on its canvas needs more than ``decode_budget``.
        DecodeError: the file cannot be read.
    """
    with _opened(path, root, "animation") as opened:
        if opened.format not in ANIMATED_FORMATS:
            return None
        width, height = opened.size
        if width * height > MAX_PIXELS:
            raise DecodeError(path, f"{width} × {height} pixels is too large to show")
        # The canvas as stored, and the RGBA copy each frame is turned into.
        check_budget(path, decode_cost(opened.size, opened.mode, converts=True), decode_budget)
        count = int(getattr(opened, "n_frames", 1))
        if count < 2:
            return None
        size = fit_within(width, height, max_size) if max_size else (width, height)
        if size[0] * size[1] * 4 * count > budget:
            return None
        loops = _plays(opened)
        frames, durations = [], []
        for index in range(count):
            opened.seek(index)
            frame = opened.convert("RGBA")
            if frame.size != size:
                frame = frame.resize(size, Image.Resampling.BILINEAR)
            frames.append(frame)
            duration = int(opened.info.get("duration", 0) or 0)
            durations.append(duration if duration >= MIN_FRAME_MS else DEFAULT_FRAME_MS)
        return Animation(frames, durations, loops)


def _describe(exc: BaseException) -> str:
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _display_image(
    path: Path, image: Image.Image, max_size: tuple[int, int] | None, budget: int | None
) -> tuple[Image.Image, tuple[int, int]]:
    width, height = image.size
    if width <= 0 or height <= 0:
        raise DecodeError(path, f"the image claims to be {width} × {height} pixels")
    if width * height > MAX_PIXELS:
        raise DecodeError(path, f"{width} × {height} pixels is too large to show")
    stored = orientation_of(image)
    if max_size is not None and image.format == "JPEG":
        box = (max_size[1], max_size[0]) if stored in SWAPS_AXES else max_size
        image.draft(image.mode if image.mode in ("RGB", "L") else None, box)
    icc = image.info.get("icc_profile")
    icc = icc if isinstance(icc, bytes) and icc else None
    # The size after draft() is what the decoder will allocate; the picture handed on
    # (fitted to the box) is copied once more for Qt.
    needed = decode_cost(
        image.size,
        image.mode,
        converts=icc is not None or image.mode not in ("RGB", "RGBA", "L"),
        orients=max_size is None and stored != 1,
    )
    shown = fit_within(*image.size, max_size) if max_size is not None else image.size
    check_budget(path, needed + raw_cost(shown), budget)
    image.load()
    # Read after loading: some loaders (Pillow's TIFF) turn the pixels upright themselves
    # and drop the tag, and must not be turned twice.
    orientation = orientation_of(image)
    full_size = (height, width) if orientation in SWAPS_AXES else (width, height)
    rgb = _to_srgb(image, icc)
    if max_size is not None:
        # Reduce first, then turn upright: the turn costs a copy of the small picture only.
        box = (max_size[1], max_size[0]) if orientation in SWAPS_AXES else max_size
        size = fit_within(rgb.width, rgb.height, box)
        if size != rgb.size:
            rgb = _reduce(rgb, size, small=max(max_size) <= SMALL_TARGET)
    return apply_orientation(rgb, orientation), full_size


def _reduce(image: Image.Image, size: tuple[int, int], *, small: bool) -> Image.Image:
    """Shrink to ``size``.

    Thumbnails get Lanczos: every pixel of a small picture counts. Screen-size pictures
    are scaled smoothly once more when painted, so bilinear after an integer box
    reduction is enough, and on a 24-MP photo it is 13 ms where Lanczos takes 28.
    """
    if small:
        return image.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
    return image.resize(size, Image.Resampling.BILINEAR, reducing_gap=2.0)


def _to_srgb(image: Image.Image, icc: bytes | None) -> Image.Image:
    """Any Pillow mode to 8-bit RGB or RGBA in sRGB."""
    mode = image.mode
    if mode in ("I;16", "I;16L", "I;16B", "I;16N", "I", "F"):
        # 16-bit, 32-bit or float grey: stretch into 8 bits instead of clipping.
        image = image.convert("F") if mode == "F" else image.convert("I")
        low, high = _extrema(image, 65535.0 if mode.startswith("I;16") else None)
        scale = 255 / (high - low) if high > low else 1.0
        image = image.point(lambda v: (v - low) * scale).convert("L")
        mode = "L"
    if mode in ("P", "PA"):
        has_alpha = "transparency" in image.info or mode == "PA"
        image = image.convert("RGBA" if has_alpha else "RGB")
        mode = image.mode
    elif mode in ("1", "L"):
        image = image.convert("L")
    elif mode in ("LA", "La", "RGBa"):
        image = image.convert("RGBA")
        mode = "RGBA"
    if icc is not None:
        converted = _apply_profile(image, icc)
        if converted is not None:
            return converted
    if mode == "LAB":
        return ImageCms.applyTransform(image, _lab_to_srgb()) or image.convert("RGB")
    if mode in ("RGB", "RGBA"):
        return image
    return image.convert("RGBA" if "A" in mode else "RGB")


def _extrema(image: Image.Image, full_scale: float | None) -> tuple[float, float]:
    """The range to stretch: 0..full_scale for 16-bit data, else what the pixels span."""
    if full_scale is not None:
        return (0.0, full_scale)
    extrema = image.getextrema()
    low, high = extrema if len(extrema) == 2 else (0, 255)
    return (float(low), float(high))  # type: ignore[arg-type]


def _apply_profile(image: Image.Image, icc: bytes) -> Image.Image | None:
    """Convert from the embedded profile to sRGB; None when the profile is unusable."""
    in_mode = image.mode
    out_mode = "RGBA" if in_mode == "RGBA" else "RGB"
    try:
        transform = _transform_to_srgb(icc, in_mode, out_mode)
        if transform is None:
            return None
        return ImageCms.applyTransform(image, transform)
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return None  # a broken profile: show the pixels as stored


@functools.lru_cache(maxsize=16)
def _transform_to_srgb(
    icc: bytes, in_mode: str, out_mode: str
) -> ImageCms.ImageCmsTransform | None:
    """Building a transform costs milliseconds; galleries share a handful of profiles.

    A pure memo: the same profile bytes and modes always give the same transform.
    """
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        colour_space = source.profile.xcolor_space.strip()
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return None
    expected = {"RGB": "RGB", "RGBA": "RGB", "CMYK": "CMYK", "L": "GRAY"}.get(in_mode)
    if expected is None or colour_space != expected:
        return None  # a profile that does not describe these pixels is ignored
    return ImageCms.buildTransform(
        source, _srgb(), in_mode, out_mode, renderingIntent=ImageCms.Intent.PERCEPTUAL
    )


@functools.lru_cache(maxsize=1)
def _srgb() -> ImageCms.ImageCmsProfile:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


@functools.lru_cache(maxsize=1)
def _lab_to_srgb() -> ImageCms.ImageCmsTransform:
    lab = ImageCms.createProfile("LAB", colorTemp=6500)
    return ImageCms.buildTransform(lab, _srgb(), "LAB", "RGB")
