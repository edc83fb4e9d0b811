"""Thumbnails as compact JPEG bytes, made where the file is read: fitted to the tile,
transparency over a checkerboard, the camera's EXIF preview upright, lying previews refused."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from tests.builders import exif_app1_with_thumbnail, jpeg_bytes
from tests.hostile import jpeg_with_lying_preview, lying_jpeg, make_fifo
from viewer.errors import DecodeError, OverBudgetError
from viewer.imaging.compact import (
    CHECKER_CELL,
    CHECKER_DARK,
    CHECKER_LIGHT,
    compact,
    compact_preview,
    compact_thumbnail,
    over_checkerboard,
)
from viewer.imaging.thumbcache import SourceInfo, ThumbnailCache

RED, BLUE = (230, 20, 20), (20, 20, 230)


def jpeg_of(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    assert image.format == "JPEG"
    image.load()
    return image


def near(actual: object, expected: tuple[int, ...], tolerance: int = 30) -> bool:
    assert isinstance(actual, tuple)
    return all(abs(a - e) <= tolerance for a, e in zip(actual, expected, strict=True))


def red_left_blue_right(size: tuple[int, int] = (160, 120)) -> Image.Image:
    image = Image.new("RGB", size, BLUE)
    image.paste(RED, (0, 0, size[0] // 2, size[1]))
    return image


def encoded(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def camera_file(
    tmp_path: Path, orientation: int, preview: bytes | None = None, name: str = ""
) -> Path:
    """A photo with an EXIF preview (by default red left half, blue right) and an orientation."""
    photo = jpeg_bytes(size=(320, 240))
    segment = exif_app1_with_thumbnail(
        preview if preview is not None else encoded(red_left_blue_right()), orientation
    )
    path = tmp_path / (name or f"camera-{orientation}.jpg")
    path.write_bytes(photo[:2] + segment + photo[2:])
    return path


def test_compact_fits_the_box_as_a_small_jpeg() -> None:
    data = compact(red_left_blue_right((1600, 1200)), (256, 128))
    image = jpeg_of(data)
    assert image.size == (171, 128)
    assert near(image.getpixel((10, 64)), RED) and near(image.getpixel((160, 64)), BLUE)
    assert len(data) < 20_000


def test_compact_never_enlarges() -> None:
    assert jpeg_of(compact(Image.new("RGB", (40, 30)), (256, 256))).size == (40, 30)


def test_the_checkerboard_alternates_light_and_dark_cells() -> None:
    board = over_checkerboard(Image.new("RGBA", (4 * CHECKER_CELL, 2 * CHECKER_CELL)))
    assert board.mode == "RGB"
    light, dark = CHECKER_LIGHT, CHECKER_DARK
    cell = CHECKER_CELL
    assert board.getpixel((1, 1)) == light
    assert board.getpixel((cell + 1, 1)) == dark
    assert board.getpixel((1, cell + 1)) == dark
    assert board.getpixel((cell + 1, cell + 1)) == light
    assert board.getpixel((2 * cell + 1, 1)) == light, "the pattern repeats"
    assert board.getpixel((4 * cell - 1, 2 * cell - 1)) == light


def test_transparency_is_composed_over_the_checkerboard() -> None:
    image = Image.new("RGBA", (64, 64), (0, 0, 0, 0))
    image.paste((255, 0, 0, 255), (0, 0, 32, 64))  # opaque red on the left
    image.paste((0, 0, 255, 128), (32, 32, 64, 64))  # half-transparent blue, bottom right
    thumb = jpeg_of(compact(image, (64, 64)))
    assert thumb.mode == "RGB"
    assert near(thumb.getpixel((4, 4)), (255, 0, 0))
    assert near(thumb.getpixel((36, 4)), CHECKER_LIGHT, 12), "see-through: the board shows"
    assert near(thumb.getpixel((44, 4)), CHECKER_DARK, 12)
    assert near(thumb.getpixel((36, 36)), (102, 102, 230)), "half blue over light grey"


def test_a_thumbnail_is_decoded_fitted_and_kept_in_the_cache(tmp_path: Path) -> None:
    photo = tmp_path / "wide.jpg"
    red_left_blue_right((1200, 600)).save(photo, quality=90)
    assert jpeg_of(compact_thumbnail(photo, (200, 200), None)).size == (200, 100)
    cache = ThumbnailCache(tmp_path / "thumbnails")
    thumb = jpeg_of(compact_thumbnail(photo, (300, 150), cache))
    assert thumb.size == (300, 150)
    assert near(thumb.getpixel((20, 75)), RED)
    stored = cache.path_for(SourceInfo.of(photo), "x-large")
    assert stored.is_file(), "the size class of the box's longest edge"


def test_a_thumbnail_keeps_its_transparency_in_the_cache_and_not_in_the_tile(
    tmp_path: Path,
) -> None:
    path = tmp_path / "alpha.png"
    Image.new("RGBA", (200, 200), (0, 0, 0, 0)).save(path)
    cache = ThumbnailCache(tmp_path / "thumbnails")
    tile = jpeg_of(compact_thumbnail(path, (64, 64), cache))
    assert near(tile.getpixel((2, 2)), CHECKER_LIGHT, 12)
    assert cache.thumbnail(path, "normal").mode == "RGBA"


def test_thumbnail_failures_are_the_projects_errors(tmp_path: Path) -> None:
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"\xff\xd8\xff\xe0 nothing more")
    with pytest.raises(DecodeError, match="damaged"):
        compact_thumbnail(broken, (64, 64), None)
    big = tmp_path / "big.png"
    Image.new("RGB", (1000, 1000)).save(big)
    with pytest.raises(OverBudgetError):
        compact_thumbnail(big, (64, 64), None, budget=1000)


def test_a_thumbnail_leading_outside_its_gallery_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "gallery"
    root.mkdir()
    secret = tmp_path / "secret.jpg"
    secret.write_bytes(jpeg_bytes())
    (root / "link.jpg").symlink_to(secret)
    for cache in (None, ThumbnailCache(tmp_path / "thumbnails")):
        with pytest.raises(DecodeError, match="outside the gallery"):
            compact_thumbnail(root / "link.jpg", (64, 64), cache, root=root.resolve())
    assert compact_preview(root / "link.jpg", (64, 64), root.resolve()) is None


@pytest.mark.parametrize(("orientation", "size"), [(1, (64, 48)), (6, (48, 64)), (8, (48, 64))])
def test_the_cameras_preview_is_turned_upright_and_fitted(
    tmp_path: Path, orientation: int, size: tuple[int, int]
) -> None:
    preview = compact_preview(camera_file(tmp_path, orientation), (64, 64))
    assert preview is not None
    image = jpeg_of(preview)
    assert image.size == size
    # The red half is the stored left: upright it is on top for 6, at the bottom for 8.
    where = {1: (4, 24), 6: (24, 4), 8: (24, 60)}[orientation]
    assert near(image.getpixel(where), RED)


def test_no_preview_broken_preview_or_no_file_gives_none(tmp_path: Path) -> None:
    plain = tmp_path / "plain.jpg"
    plain.write_bytes(jpeg_bytes())
    assert compact_preview(plain, (64, 64)) is None
    broken = camera_file(tmp_path, 1, preview=b"\xff\xd8\xff\xe0" + bytes(200))
    assert compact_preview(broken, (64, 64)) is None
    assert compact_preview(tmp_path / "missing.jpg", (64, 64)) is None
    assert compact_preview(make_fifo(tmp_path / "pipe.jpg"), (64, 64)) is None


def test_a_preview_claiming_more_than_a_preview_can_be_is_not_decoded(tmp_path: Path) -> None:
    liar = tmp_path / "liar.jpg"
    liar.write_bytes(jpeg_with_lying_preview(22000, 22000))
    assert compact_preview(liar, (256, 256)) is None
    assert compact_preview(camera_file(tmp_path, 1, lying_jpeg(1921, 1920)), (256, 256)) is None


def test_the_largest_preview_allowed_is_1920_pixels_square(tmp_path: Path) -> None:
    """Real, decodable previews (a flat grey compresses into one EXIF segment): one pixel
    over the limit is refused however honest it is."""

    def flat(width: int, height: int) -> bytes:
        buffer = io.BytesIO()
        Image.new("RGB", (width, height), (90, 90, 90)).save(buffer, "JPEG", quality=1)
        return buffer.getvalue()

    at_limit = camera_file(tmp_path, 1, flat(1920, 1920), name="at-limit.jpg")
    preview = compact_preview(at_limit, (256, 256))
    assert preview is not None and jpeg_of(preview).size == (256, 256)
    over = camera_file(tmp_path, 1, flat(1921, 1920), name="over.jpg")
    assert compact_preview(over, (256, 256)) is None
