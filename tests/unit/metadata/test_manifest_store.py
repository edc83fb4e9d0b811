"""Finding a C2PA manifest store without reading it: each format's place, remote stores,
damaged files, heads and open streams."""

from __future__ import annotations

import io
import struct
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.builders import jpeg_with, rich_xmp, segment, xmp_segment
from tests.unit.metadata import c2pa_builders
from tests.unit.metadata.c2pa_builders import APP11, JUMBF
from viewer.metadata.manifest_store import (
    C2PA_UUID,
    EMBEDDED,
    REMOTE,
    find_manifest_store,
    locate_manifest_store,
    remote_store_url,
)

SHARED = Path(__file__).resolve().parents[3].parent / "shared" / "c2pa"
FORMATS = [
    ("PNG", "image/png"),
    ("WEBP", "image/webp"),
    ("TIFF", "image/tiff"),
    ("GIF", "image/gif"),
    ("JPEG", "image/jpeg"),
]
ONLINE = "https://example.org/manifests/photo.c2pa"


def provenance_xmp(value: str) -> str:
    return rich_xmp("", f'xmlns:dcterms="http://purl.org/dc/terms/" dcterms:provenance="{value}"')


def png_with(*chunks: tuple[bytes, bytes]) -> bytes:
    body = b"".join(struct.pack(">I", len(d)) + k + d + b"\x00" * 4 for k, d in chunks)
    ihdr = struct.pack(">I4sIIBBBBB", 13, b"IHDR", 1, 1, 8, 2, 0, 0, 0) + b"\x00" * 4
    return b"\x89PNG\r\n\x1a\n" + ihdr + body + struct.pack(">I", 0) + b"IEND" + b"\x00" * 4


def webp_with(*chunks: tuple[bytes, bytes]) -> bytes:
    body = b"".join(k + struct.pack("<I", len(d)) + d + b"\x00" * (len(d) & 1) for k, d in chunks)
    return b"RIFF" + struct.pack("<I", 4 + len(body)) + b"WEBP" + body


def tiff_with(*tags: tuple[int, bytes]) -> bytes:
    """A little-endian TIFF whose first directory holds UNDEFINED tags with these values."""
    table_at = 8
    data_at = table_at + 2 + 12 * len(tags) + 4
    table, data = b"", b""
    for tag, value in tags:
        table += struct.pack("<HHII", tag, 7, len(value), data_at + len(data))
        data += value
    directory = struct.pack("<H", len(tags)) + table + b"\x00" * 4
    return b"II*\x00" + struct.pack("<I", table_at) + directory + data


def test_a_jpeg_store_is_its_app11_jumbf_box() -> None:
    assert find_manifest_store(jpeg_with(APP11)) == EMBEDDED
    assert find_manifest_store(jpeg_with()) == ""
    other = segment(0xEB, b"JP" + b"\x02\x11\x00\x00\x00\x01" + JUMBF.replace(b"c2pa", b"xxxx"))
    assert find_manifest_store(jpeg_with(other)) == "", "a JUMBF box of another kind"


def test_a_store_kept_online_is_named_by_dcterms_provenance() -> None:
    online = jpeg_with(xmp_segment(provenance_xmp(ONLINE)))
    assert locate_manifest_store(online) == (REMOTE, ONLINE)
    assert locate_manifest_store(jpeg_with(xmp_segment(provenance_xmp(ONLINE)), APP11)) == (
        EMBEDDED,
        "",
    ), "embedded wins: it is what gets verified"
    stripped = provenance_xmp("self#jumbf=/c2pa/adobe:urn:uuid:5f5b/c2pa.claim")
    assert find_manifest_store(jpeg_with(xmp_segment(stripped))) == "", "left behind by a tool"


def test_remote_store_url_reads_attribute_and_element_forms() -> None:
    element = f"<rdf:Description xmlns:t='http://purl.org/dc/terms/'><t:provenance>{ONLINE}"
    assert remote_store_url((element + "</t:provenance>").encode()) == ONLINE
    assert remote_store_url(provenance_xmp(ONLINE).encode()) == ONLINE
    assert remote_store_url(b"dcterms:provenance='https://x'") == "", "no dcterms namespace"
    assert remote_store_url(provenance_xmp("ftp://example.org/x").encode()) == ""


def test_png_webp_tiff_gif_and_bmff_stores() -> None:
    xmp = b"XML:com.adobe.xmp\x00\x00\x00\x00\x00" + provenance_xmp(ONLINE).encode()
    assert find_manifest_store(png_with((b"caBX", JUMBF))) == EMBEDDED
    assert locate_manifest_store(png_with((b"iTXt", xmp))) == (REMOTE, ONLINE)
    assert find_manifest_store(png_with((b"tEXt", b"Comment\x00c2pa"))) == ""
    assert find_manifest_store(webp_with((b"VP8 ", b"\x00" * 11), (b"C2PA", JUMBF))) == EMBEDDED
    assert locate_manifest_store(webp_with((b"XMP ", provenance_xmp(ONLINE).encode()))) == (
        REMOTE,
        ONLINE,
    )
    assert find_manifest_store(tiff_with((0x0100, b"\x01\x00"), (0xCD41, JUMBF))) == EMBEDDED
    assert locate_manifest_store(tiff_with((0x02BC, provenance_xmp(ONLINE).encode()))) == (
        REMOTE,
        ONLINE,
    )
    gif = b"GIF89a\x01\x00\x01\x00\x00\x00\x00" + b"\x21\xff\x0bC2PA_GIF\x01\x00\x00\x01\x00\x00"
    assert find_manifest_store(gif + b"\x3b") == EMBEDDED
    assert find_manifest_store(b"GIF89a\x01\x00\x01\x00\x00\x00\x00\x3b") == ""
    ftyp = struct.pack(">I4s4sI4s", 20, b"ftyp", b"heic", 0, b"mif1")
    uuid = struct.pack(">I4s", 8 + 16 + 4, b"uuid") + C2PA_UUID + b"\x00" * 4
    assert find_manifest_store(ftyp + uuid) == EMBEDDED
    other = struct.pack(">I4s", 8 + 16, b"uuid") + b"\x01" * 16
    assert find_manifest_store(ftyp + other + struct.pack(">I4s", 0, b"mdat")) == ""


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"\xff\xd8\xff",
        b"\xff\xd8\xff\xe1\xff\xff" + b"\x00" * 10,  # a segment longer than the file
        b"\x89PNG\r\n\x1a\n\xff\xff\xff\xffcaB",
        b"II*\x00\xff\xff\xff\x7f",
        b"\x00\x00\x00\x01ftypheic" + b"\xff" * 8,  # a 64-bit size past the end
        b"\x00\x00\x00\x04ftypheic",  # a box smaller than its header
        b"not an image at all",
    ],
)
def test_damaged_and_foreign_files_have_no_store(data: bytes) -> None:
    assert find_manifest_store(data) == ""


def test_an_open_file_is_walked_from_its_start_and_left_where_it_was() -> None:
    stream = io.BytesIO(jpeg_with(APP11))
    stream.seek(7)
    assert find_manifest_store(stream) == EMBEDDED
    assert stream.tell() == 7


def test_the_head_of_a_file_is_enough_when_it_reaches_the_image_data() -> None:
    data = jpeg_with(xmp_segment(rich_xmp("x" * 3000)), APP11)
    assert find_manifest_store(data[:4000]) == EMBEDDED
    assert find_manifest_store(data[:100]) == "", "a head cut before the store"


@pytest.mark.parametrize(("fmt", "mime"), FORMATS)
def test_stores_written_by_the_reference_library_are_found(fmt: str, mime: str) -> None:
    pytest.importorskip("c2pa", reason=c2pa_builders.SKIP_REASON)
    authority = c2pa_builders.make_authority()
    source = c2pa_builders.picture(fmt)
    assert find_manifest_store(source) == ""
    signed = c2pa_builders.sign(source, authority, mime=mime)
    assert find_manifest_store(signed) == EMBEDDED
    online = c2pa_builders.sign(source, authority, mime=mime, remote_url=ONLINE, embed=False)
    expected = ("", "") if fmt == "GIF" else (REMOTE, ONLINE)  # GIF's XMP is not walked
    assert locate_manifest_store(online) == expected


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/c2pa is not present")
def test_the_reference_fixtures() -> None:
    for name, expected in (
        ("CA.jpg", EMBEDDED),
        ("C.jpg", EMBEDDED),
        ("XCA.jpg", EMBEDDED),
        ("no_manifest.jpg", ""),  # its XMP still points at the store that was removed
    ):
        with (SHARED / name).open("rb") as stream:
            assert find_manifest_store(stream) == expected, name


SAMPLES = [
    jpeg_with(xmp_segment(provenance_xmp(ONLINE)), APP11),
    png_with(
        (b"iTXt", b"XML:com.adobe.xmp\x00\x00\x00\x00\x00" + ONLINE.encode()), (b"caBX", JUMBF)
    ),
    webp_with((b"XMP ", provenance_xmp(ONLINE).encode()), (b"C2PA", JUMBF)),
    tiff_with((0x02BC, provenance_xmp(ONLINE).encode()), (0xCD41, JUMBF)),
    struct.pack(">I4s4sI4s", 20, b"ftyp", b"avif", 0, b"mif1")
    + b"\x00\x00\x00\x18uuid"
    + C2PA_UUID,
]


@settings(max_examples=300, deadline=None)
@given(
    sample=st.sampled_from(SAMPLES),
    cut=st.floats(0, 1),
    flips=st.lists(st.tuples(st.floats(0, 1), st.integers(0, 255)), max_size=8),
)
def test_mutated_files_never_raise(
    sample: bytes, cut: float, flips: list[tuple[float, int]]
) -> None:
    data = bytearray(sample[: max(1, int(len(sample) * cut))] if cut < 1 else sample)
    for where, value in flips:
        data[min(int(where * len(data)), len(data) - 1)] = value
    kind, url = locate_manifest_store(bytes(data))
    assert kind in ("", EMBEDDED, REMOTE)
    assert (kind == REMOTE) == bool(url)
