"""Builders of test files: real JPEGs with EXIF and IPTC, and gallery manifests."""

from __future__ import annotations

import io
import struct
from typing import Any

from PIL import Image
from PIL.TiffImagePlugin import IFDRational

from viewer.metadata import iptc

EXIF_IFD = 0x8769


def jpeg_bytes(
    size: tuple[int, int] = (320, 200),
    color: tuple[int, int, int] = (180, 110, 60),
    exif: dict[int, Any] | None = None,
    exif_ifd: dict[int, Any] | None = None,
    iptc_fields: list[tuple[tuple[int, int], str]] | None = None,
    iptc_utf8: bool = True,
    xmp: str | None = None,
    iptc_digest: bytes | None = None,
) -> bytes:
    """A real JPEG with a gradient, optional EXIF (IFD0 and Exif IFD), IPTC and XMP.

    ``iptc_digest`` stores a Photoshop IPTC digest (resource 0x0425) beside the IPTC.
    """
    image = Image.linear_gradient("L").resize(size).convert("RGB")
    image = Image.blend(image, Image.new("RGB", size, color), 0.6)
    info = Image.Exif()
    for tag, value in (exif or {}).items():
        info[tag] = value
    if exif_ifd:
        sub = info.get_ifd(EXIF_IFD)
        sub.update(exif_ifd)
    buffer = io.BytesIO()
    options: dict[str, Any] = {"xmp": xmp.encode("utf-8")} if xmp else {}
    image.save(buffer, "JPEG", quality=85, exif=info.tobytes(), **options)
    data = buffer.getvalue()
    if iptc_fields:
        block = iptc.build_iim(iptc_fields, utf8=iptc_utf8)
        segment = iptc.build_app13(block)
        if iptc_digest is not None:
            extra = b"8BIM" + struct.pack(">H", 0x0425) + b"\x00\x00"
            extra += struct.pack(">I", len(iptc_digest)) + iptc_digest
            payload = segment[4:] + extra
            segment = b"\xff\xed" + struct.pack(">H", len(payload) + 2) + payload
        data = iptc.insert_jpeg_segment(data, segment)
    return data


def xmp_packet(**properties: str | list[str]) -> str:
    """An XMP packet: ``dc_description="..."`` (an Alt), ``dc_creator=[...]`` (a Seq),
    ``dc_subject=[...]`` (a Bag), any other ``prefix_name="..."`` as an attribute."""
    namespaces = {
        "dc": "http://purl.org/dc/elements/1.1/",
        "photoshop": "http://ns.adobe.com/photoshop/1.0/",
        "exif": "http://ns.adobe.com/exif/1.0/",
    }
    attributes, elements = [], []
    for key, value in properties.items():
        prefix, name = key.split("_", 1)
        tag = f"{prefix}:{name}"
        if tag in ("dc:description", "dc:rights", "dc:title"):
            items = f'<rdf:li xml:lang="x-default">{value}</rdf:li>'
            elements.append(f"<{tag}><rdf:Alt>{items}</rdf:Alt></{tag}>")
        elif isinstance(value, list):
            kind = "Bag" if tag == "dc:subject" else "Seq"
            items = "".join(f"<rdf:li>{v}</rdf:li>" for v in value)
            elements.append(f"<{tag}><rdf:{kind}>{items}</rdf:{kind}></{tag}>")
        else:
            attributes.append(f'{tag}="{value}"')
    declared = " ".join(f'xmlns:{p}="{u}"' for p, u in namespaces.items())
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        f'<rdf:Description rdf:about="" {declared} {" ".join(attributes)}>'
        + "".join(elements)
        + '</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
    )


CAMERA_EXIF = {
    0x010F: "Canon",
    0x0110: "Canon EOS 7D",
    0x0112: 1,
    0x010E: "EXIF description",
    0x013B: "EXIF Artist",
    0x8298: "(c) EXIF Copyright",
}
CAMERA_EXIF_IFD = {
    0x829A: IFDRational(1, 250),
    0x829D: IFDRational(28, 10),
    0x8827: 400,
    0x920A: IFDRational(50, 1),
    0x9003: "2021:06:11 09:30:15",
}


def photo_entry(file: str, n: int, **overrides: Any) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "file": file,
        "title": f"Photo {n}",
        "caption": f"Caption {n}",
        "credit": f"Credit {n}",
        "alt": f"Alt text {n}",
        "passage": "p1",
    }
    entry.update(overrides)
    return entry


def manifest_document(files: list[str]) -> dict[str, Any]:
    return {
        "photodesk_gallery": 1,
        "title": "Test story",
        "story": {
            "headline": "A test headline",
            "publication": "The Test Times",
            "date": "2021-06-11",
            "summary": "What happened.",
            "passages": [
                {"id": "p1", "text": "The first passage."},
                {"id": "p2", "text": "The second passage."},
            ],
        },
        "photos": [photo_entry(f, i + 1) for i, f in enumerate(files)],
    }


def _s15f16(value: float) -> bytes:
    return struct.pack(">i", round(value * 65536))


def _tag_xyz(x: float, y: float, z: float) -> bytes:
    return b"XYZ \x00\x00\x00\x00" + _s15f16(x) + _s15f16(y) + _s15f16(z)


def _tag_curve(gamma: float) -> bytes:
    return b"curv\x00\x00\x00\x00" + struct.pack(">IH", 1, round(gamma * 256)) + b"\x00\x00"


def _tag_desc(text: str) -> bytes:
    ascii_text = text.encode("ascii") + b"\x00"
    body = b"desc\x00\x00\x00\x00" + struct.pack(">I", len(ascii_text)) + ascii_text
    body += b"\x00" * 12 + b"\x00" * 67  # empty Unicode and ScriptCode parts
    return body + b"\x00" * (-len(body) % 4)


def rgb_icc_profile(
    red: tuple[float, float, float],
    green: tuple[float, float, float],
    blue: tuple[float, float, float],
    gamma: float = 2.2,
) -> bytes:
    """A minimal ICC v2 matrix/TRC display profile with the given D50 primaries."""
    tags = [
        (b"desc", _tag_desc("Photo Desk test profile")),
        (b"wtpt", _tag_xyz(0.9642, 1.0, 0.8249)),
        (b"rXYZ", _tag_xyz(*red)),
        (b"gXYZ", _tag_xyz(*green)),
        (b"bXYZ", _tag_xyz(*blue)),
        (b"rTRC", _tag_curve(gamma)),
        (b"gTRC", _tag_curve(gamma)),
        (b"bTRC", _tag_curve(gamma)),
        (b"cprt", b"text\x00\x00\x00\x00Public domain test data\x00"),
    ]
    table_size = 4 + 12 * len(tags)
    offset = 128 + table_size
    entries, bodies = b"", b""
    for signature, body in tags:
        padded = body + b"\x00" * (-len(body) % 4)
        entries += signature + struct.pack(">II", offset + len(bodies), len(padded))
        bodies += padded
    size = 128 + table_size + len(bodies)
    header = struct.pack(">I", size) + b"\x00" * 4 + struct.pack(">I", 0x02100000)
    header += b"mntrRGB XYZ " + b"\x00" * 12 + b"acsp" + b"\x00" * 24
    header += struct.pack(">I", 0) + _s15f16(0.9642) + _s15f16(1.0) + _s15f16(0.8249)
    header += b"\x00" * (128 - len(header))
    return header + struct.pack(">I", len(tags)) + entries + bodies


# sRGB's primaries adapted to D50, as ICC profiles state them.
SRGB_RED = (0.4361, 0.2225, 0.0139)
SRGB_GREEN = (0.3851, 0.7169, 0.0971)
SRGB_BLUE = (0.1431, 0.0606, 0.7141)


def exif_app1_with_thumbnail(
    thumbnail: bytes,
    orientation: int = 1,
    make: str = "",
    model: str = "",
    taken: str = "",
) -> bytes:
    """A JPEG APP1 segment: IFD0 (orientation, camera, Exif IFD with the date taken)
    and IFD1 pointing at ``thumbnail``, little-endian like most cameras write."""
    ascii_tags = [(0x010F, make), (0x0110, model)]
    entries0 = [(tag, text) for tag, text in ascii_tags if text]
    count0 = 1 + len(entries0) + (1 if taken else 0)
    ifd0 = 8
    ifd1 = ifd0 + 2 + 12 * count0 + 4
    exif_ifd = ifd1 + 2 + 2 * 12 + 4
    exif_size = (2 + 12 + 4) if taken else 0
    data = exif_ifd + exif_size
    blobs = b""

    def place(raw: bytes) -> int:
        nonlocal blobs
        offset = data + len(blobs)
        blobs += raw + b"\x00" * (len(raw) % 2)
        return offset

    table = struct.pack("<HHIHH", 0x0112, 3, 1, orientation, 0)
    for tag, text in entries0:
        raw = text.encode("ascii") + b"\x00"
        table += struct.pack("<HHII", tag, 2, len(raw), place(raw))
    if taken:
        table += struct.pack("<HHII", 0x8769, 4, 1, exif_ifd)
    tiff = b"II*\x00" + struct.pack("<I", ifd0) + struct.pack("<H", count0) + table
    tiff += struct.pack("<I", ifd1)
    thumb_offset_slot = len(tiff) + 2 + 8
    tiff += struct.pack("<H", 2) + struct.pack("<HHII", 0x0201, 4, 1, 0)
    tiff += struct.pack("<HHII", 0x0202, 4, 1, len(thumbnail)) + struct.pack("<I", 0)
    if taken:
        raw = taken.encode("ascii") + b"\x00"
        tiff += struct.pack("<H", 1) + struct.pack("<HHII", 0x9003, 2, len(raw), place(raw))
        tiff += struct.pack("<I", 0)
    tiff += blobs
    tiff = tiff[:thumb_offset_slot] + struct.pack("<I", len(tiff)) + tiff[thumb_offset_slot + 4 :]
    tiff += thumbnail
    payload = b"Exif\x00\x00" + tiff
    return b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload


def python_output(code: str, env: dict[str, str] | None = None) -> str:
    """Run ``code`` in a fresh interpreter from the checkout (with ``env`` added to the
    environment); what it printed, stripped."""
    import os  # noqa: PLC0415
    import subprocess  # noqa: PLC0415
    import sys  # noqa: PLC0415
    from pathlib import Path  # noqa: PLC0415

    root = Path(__file__).resolve().parents[1]
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=root,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return result.stdout.strip()
