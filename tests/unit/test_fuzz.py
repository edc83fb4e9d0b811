"""Fuzzing the entry points that read what users are handed: the manifest loader, the
metadata readers and the decoder. Random and mutated bytes, seeded from real files these
tests make; only the project's own error types may escape (read_metadata: none at all).
"""

from __future__ import annotations

import io
import json
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from tests.builders import jpeg_bytes, manifest_document, xmp_packet
from viewer.errors import PhotoDeskError
from viewer.imaging.pixels import DecodeError, load_display_image_sized
from viewer.metadata import PhotoMetadata, iptc, read_metadata
from viewer.model import Gallery, ManifestError, load_manifest

FUZZ = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# An edit: (where, as a fraction of the length; what: 0 replace, 1 insert, 2 delete; byte)
edits = st.lists(
    st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 2), st.integers(0, 255)),
    min_size=1,
    max_size=12,
)


def mutate(data: bytes, changes: list[tuple[float, int, int]]) -> bytes:
    buffer = bytearray(data)
    for where, what, value in changes:
        at = int(where * len(buffer)) if buffer else 0
        if what == 0 and buffer:
            buffer[at] = value
        elif what == 1:
            buffer[at:at] = bytes([value])
        elif buffer:
            del buffer[at]
    return bytes(buffer)


def _seed_images() -> dict[str, bytes]:
    """Small real files of each format the app reads, with metadata where it has any."""
    seeds: dict[str, bytes] = {
        "jpg": jpeg_bytes(
            size=(64, 48),
            exif={0x0112: 6, 0x010F: "Maker", 0x010E: "A description"},
            iptc_fields=[(iptc.CAPTION, "Caption"), (iptc.KEYWORDS, "word")],
            xmp=xmp_packet(dc_description="From XMP", dc_subject=["a", "b"]),
        )
    }
    picture = Image.linear_gradient("L").resize((40, 30)).convert("RGBA")
    for kind, options in (
        ("png", {}),
        ("gif", {}),
        ("tiff", {"compression": "tiff_lzw"}),
        ("webp", {"quality": 60}),
        ("bmp", {}),
    ):
        buffer = io.BytesIO()
        image = picture.convert("P") if kind == "gif" else picture
        image = image.convert("RGB") if kind == "bmp" else image
        image.save(buffer, kind.upper() if kind != "jpg" else "JPEG", **options)
        seeds[kind] = buffer.getvalue()
    return seeds


SEEDS = _seed_images()


def _with_file(data: bytes, suffix: str, check: Callable[[Path], None]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"fuzzed.{suffix}"
        path.write_bytes(data)
        check(path)


def _decodes_or_says_why(path: Path) -> None:
    error: DecodeError | None = None
    try:
        image, size = load_display_image_sized(path, (256, 256))
    except DecodeError as exc:
        error = exc
    if error is not None:
        assert error.path == path and error.reason
    else:
        assert image.width <= 256 and image.height <= 256 and min(size) > 0


@FUZZ
@given(kind=st.sampled_from(sorted(SEEDS)), changes=edits)
def test_mutated_images_decode_or_raise_decode_error(kind: str, changes: list) -> None:  # type: ignore[type-arg]
    _with_file(mutate(SEEDS[kind], changes), kind, _decodes_or_says_why)


@FUZZ
@given(data=st.binary(max_size=600), kind=st.sampled_from(sorted(SEEDS)))
def test_random_bytes_decode_or_raise_decode_error(data: bytes, kind: str) -> None:
    # the signature of the format, then noise: gets past the first check of each decoder
    _with_file(SEEDS[kind][:16] + data, kind, _decodes_or_says_why)


def _metadata_never_raises(path: Path) -> None:
    meta = read_metadata(path)
    assert isinstance(meta, PhotoMetadata)
    for text in (meta.caption, meta.credit, meta.headline, *meta.keywords):
        assert isinstance(text, str)


@FUZZ
@given(kind=st.sampled_from(["jpg", "png", "tiff", "webp"]), changes=edits)
def test_mutated_metadata_reads_without_raising(kind: str, changes: list) -> None:  # type: ignore[type-arg]
    _with_file(mutate(SEEDS[kind], changes), kind, _metadata_never_raises)


@FUZZ
@given(data=st.binary(max_size=600))
def test_random_segments_read_without_raising(data: bytes) -> None:
    # a JPEG start, then random bytes where the APP1/APP13 segments would be
    _with_file(b"\xff\xd8\xff\xe1" + data, "jpg", _metadata_never_raises)


def _valid_manifest(folder: Path) -> bytes:
    (folder / "a.jpg").write_bytes(SEEDS["jpg"])
    (folder / "b.jpg").write_bytes(SEEDS["jpg"])
    return json.dumps(manifest_document(["a.jpg", "b.jpg"])).encode("utf-8")


@FUZZ
@given(changes=edits)
def test_mutated_manifests_load_or_raise_manifest_error(changes: list) -> None:  # type: ignore[type-arg]
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        manifest = folder / "gallery.json"
        manifest.write_bytes(mutate(_valid_manifest(folder), changes))
        outcome: Gallery | ManifestError
        try:
            outcome = load_manifest(manifest)
        except ManifestError as exc:
            outcome = exc
        if isinstance(outcome, ManifestError):
            assert "gallery.json" in str(outcome)
        else:
            assert all(p.path.parent == folder for p in outcome.photos)


def test_every_error_type_is_the_projects_own() -> None:
    from viewer.imaging.story_export import ExportError  # noqa: PLC0415
    from viewer.metadata.xmp import XmpError  # noqa: PLC0415

    for kind in (ManifestError, DecodeError, XmpError, ExportError):
        assert issubclass(kind, PhotoDeskError), kind


@pytest.mark.parametrize("kind", sorted(SEEDS))
def test_the_seeds_themselves_are_good(kind: str) -> None:
    _with_file(SEEDS[kind], kind, _decodes_or_says_why)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"seed.{kind}"
        path.write_bytes(SEEDS[kind])
        load_display_image_sized(path, (256, 256))  # no error at all
