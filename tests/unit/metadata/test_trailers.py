"""IPTC appended after the image: FotoStation and AFCP trailers."""

from __future__ import annotations

import io
import struct
from pathlib import Path

import pytest

from tests.builders import QUIRKS, afcp_trailer, fotostation_trailer, jpeg_with
from viewer.metadata import iptc, read_metadata
from viewer.metadata.photo import PhotoMetadata
from viewer.metadata.trailers import read_trailers


def quirk(tmp_path: Path, name: str) -> PhotoMetadata:
    path = tmp_path / name
    path.write_bytes(QUIRKS[name]())
    return read_metadata(path)


@pytest.mark.parametrize(
    ("name", "caption", "credit", "where"),
    [
        ("quirk-fotostation.jpg", "Caption kept by FotoStation", "NTB", "FotoStation"),
        ("quirk-afcp.jpg", "Caption in an AFCP trailer", "AXS", "AFCP"),
    ],
)
def test_iptc_in_trailers_is_read(
    tmp_path: Path, name: str, caption: str, credit: str, where: str
) -> None:
    meta = quirk(tmp_path, name)
    assert (meta.caption, meta.credit) == (caption, credit)
    assert where in meta.source_of("caption")
    assert meta.width == 64, "the picture itself is untouched by the trailer"


def trailers_of(data: bytes) -> list[tuple[bytes, str, bool]]:
    found: list[tuple[bytes, str, bool]] = []
    read_trailers(
        io.BytesIO(data), lambda block, where, standard: found.append((block, where, standard))
    )
    return found


IIM = iptc.build_iim([(iptc.CAPTION, "Caption in a trailer")])


def test_a_fotostation_trailer_gives_its_iim_as_non_standard() -> None:
    photo = jpeg_with()
    assert trailers_of(photo + fotostation_trailer(IIM)) == [
        (IIM, "IPTC in a FotoStation trailer", False)
    ]


def test_an_afcp_trailer_in_either_byte_order() -> None:
    photo = jpeg_with()
    big = photo + afcp_trailer(IIM, len(photo))
    assert trailers_of(big) == [(IIM, "IPTC in an AFCP trailer", False)]
    start = len(photo)
    directory_end = start + 24
    little = b"AXS*" + b"\x01\x00" + struct.pack("<H", 1) + b"\x00" * 4
    little += b"IPTC" + struct.pack("<II", len(IIM), directory_end) + IIM
    little += b"AXS*" + struct.pack("<I", start) + b"\x00" * 4
    assert trailers_of(photo + little) == [(IIM, "IPTC in an AFCP trailer", False)]


def test_trailers_one_before_the_other_are_all_read() -> None:
    photo = jpeg_with()
    other = iptc.build_iim([(iptc.CREDIT, "Second")])
    afcp = afcp_trailer(IIM, len(photo))
    data = photo + afcp + fotostation_trailer(other)
    assert [where for _, where, _ in trailers_of(data)] == [
        "IPTC in a FotoStation trailer",
        "IPTC in an AFCP trailer",
    ]


def test_files_without_trailers_give_nothing() -> None:
    assert trailers_of(jpeg_with()) == []
    assert trailers_of(b"") == []
    assert trailers_of(b"short") == []


def test_trailers_that_lie_about_sizes_are_not_followed() -> None:
    photo = jpeg_with()
    huge = IIM + struct.pack(">HII", 1, 2**31, 0xA1B2C3D4)  # a record larger than the file
    assert trailers_of(photo + huge) == []
    beyond = b"AXS!" + struct.pack(">I", 10**9) + b"\x00" * 4  # starts after the end
    assert trailers_of(photo + beyond) == []
    elsewhere = b"AXS!" + struct.pack(">I", 2) + b"\x00" * 4  # no AFCP header there
    assert trailers_of(photo + elsewhere) == []
    start = len(photo)
    outside = b"AXS!" + b"\x01\x00" + struct.pack(">H", 1) + b"\x00" * 4
    outside += b"IPTC" + struct.pack(">II", 1000, 10**8)  # an entry beyond the end
    outside += b"AXS!" + struct.pack(">I", start) + b"\x00" * 4
    assert trailers_of(photo + outside) == []
