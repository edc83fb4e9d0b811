"""Builders of test files: real JPEGs with EXIF and IPTC, and gallery manifests."""

from __future__ import annotations

import hashlib
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


# --- files with the quirks real-world metadata has (each checked against ExifTool) --------

_TYPES = {"ascii": 2, "short": 3, "long": 4, "byte": 1, "undefined": 7}


def tiff_block(
    ifd0: list[tuple[int, str, bytes]],
    exif_ifd: list[tuple[int, str, bytes]] | None = None,
    little: bool = False,
) -> bytes:
    """A TIFF structure (EXIF's layout) with raw entries ``(tag, type name, value bytes)``
    in IFD0 and optionally an Exif IFD; values are stored exactly as given."""
    order = "<" if little else ">"
    entries0 = list(ifd0)
    if exif_ifd is not None:
        entries0.append((0x8769, "long", b""))  # placeholder, patched below
    entries0.sort(key=lambda entry: entry[0])
    size0 = 2 + 12 * len(entries0) + 4
    size1 = 2 + 12 * len(exif_ifd) + 4 if exif_ifd is not None else 0
    data_start = 8 + size0 + size1
    blobs = b""

    def table(entries: list[tuple[int, str, bytes]], exif_offset: int) -> bytes:
        nonlocal blobs
        out = struct.pack(order + "H", len(entries))
        for tag, kind, given in entries:
            code = _TYPES[kind]
            value = struct.pack(order + "I", exif_offset) if tag == 0x8769 and not given else given
            width = {1: 1, 2: 1, 3: 2, 4: 4, 7: 1}[code]
            count = len(value) // width
            if len(value) <= 4:
                field = value.ljust(4, b"\x00")
            else:
                field = struct.pack(order + "I", data_start + len(blobs))
                blobs += value + b"\x00" * (len(value) % 2)
            out += struct.pack(order + "HHI", tag, code, count) + field
        return out + struct.pack(order + "I", 0)

    head = (b"II*\x00" if little else b"MM\x00*") + struct.pack(order + "I", 8)
    first = table(entries0, 8 + size0)
    second = table(sorted(exif_ifd), 0) if exif_ifd is not None else b""
    return head + first + second + blobs


def segment(marker: int, payload: bytes) -> bytes:
    """A JPEG marker segment."""
    return bytes([0xFF, marker]) + struct.pack(">H", len(payload) + 2) + payload


def jpeg_with(*segments: bytes, trailer: bytes = b"", size: tuple[int, int] = (64, 48)) -> bytes:
    """A small real JPEG with ``segments`` right after its APP0, and ``trailer`` after EOI."""
    buffer = io.BytesIO()
    Image.new("RGB", size, (120, 90, 60)).save(buffer, "JPEG", quality=80)
    data = buffer.getvalue()
    (app0,) = struct.unpack(">H", data[4:6])
    cut = 4 + app0
    return data[:cut] + b"".join(segments) + data[cut:] + trailer


def photoshop_segment(*resources: bytes) -> bytes:
    """An APP13 "Photoshop 3.0" segment holding image resources."""
    return segment(0xED, b"Photoshop 3.0\x00" + b"".join(resources))


def xmp_segment(packet: str) -> bytes:
    """A standard APP1 XMP segment."""
    return segment(0xE1, b"http://ns.adobe.com/xap/1.0/\x00" + packet.encode("utf-8"))


def exif_segment(block: bytes) -> bytes:
    """An APP1 EXIF segment around a TIFF structure."""
    return segment(0xE1, b"Exif\x00\x00" + block)


def iptc_digest(iim: bytes) -> bytes:
    """Photoshop's digest resource (0x0425) saying ``iim`` is in step with the XMP."""
    return iptc.build_resource(0x0425, hashlib.md5(iim).digest())


def fotostation_trailer(iim: bytes) -> bytes:
    """A FotoStation trailer with one IPTC record."""
    return iim + struct.pack(">HII", 1, len(iim) + 10, 0xA1B2C3D4)


def afcp_trailer(iim: bytes, start: int) -> bytes:
    """An AFCP trailer (big-endian) that begins at byte ``start`` of the file."""
    directory_end = start + 12 + 12
    body = b"AXS!" + b"\x01\x00" + struct.pack(">H", 1) + b"\x00" * 4
    body += b"IPTC" + struct.pack(">II", len(iim), directory_end)
    return body + iim + b"AXS!" + struct.pack(">I", start) + b"\x00" * 4


NS = (
    'xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" '
    'xmlns:xmpRights="http://ns.adobe.com/xap/1.0/rights/" '
    'xmlns:Iptc4xmpCore="http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/" '
    'xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/"'
)


def rich_xmp(body: str, attributes: str = "") -> str:
    """An XMP packet with the newsroom namespaces declared, ``body`` inside its
    description (elements) and ``attributes`` on it."""
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        f'<rdf:Description rdf:about="" {NS} {attributes}>{body}</rdf:Description>'
        '</rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
    )


def alt(tag: str, text: str) -> str:
    """An ``rdf:Alt`` property with an x-default text."""
    return f'<{tag}><rdf:Alt><rdf:li xml:lang="x-default">{text}</rdf:li></rdf:Alt></{tag}>'


def bag(tag: str, items: list[str], kind: str = "Bag") -> str:
    """An ``rdf:Bag`` (or Seq) property."""
    inner = "".join(f"<rdf:li>{item}</rdf:li>" for item in items)
    return f"<{tag}><rdf:{kind}>{inner}</rdf:{kind}></{tag}>"


NEWSROOM_IIM = [
    (iptc.OBJECT_NAME, "Zhurong at the landing site"),
    (iptc.HEADLINE, "China's rover sends its first pictures"),
    (iptc.CAPTION, "The Zhurong rover beside its landing platform."),
    (iptc.CAPTION_WRITER, "Desk editor"),
    (iptc.CREDIT, "CNSA via Storyful"),
    (iptc.BYLINE, "Remote camera"),
    (iptc.BYLINE_TITLE, "Robot"),
    (iptc.COPYRIGHT, "© 2021 CNSA"),
    (iptc.SOURCE, "CNSA"),
    (iptc.INSTRUCTIONS, "No archive"),
    (iptc.JOB_ID, "MARS-0611"),
    (iptc.KEYWORDS, "Mars"),
    (iptc.KEYWORDS, "rover"),
    (iptc.SUBLOCATION, "Landing site"),
    (iptc.CITY, "Utopia Planitia"),
    (iptc.STATE, "Northern plains"),
    (iptc.COUNTRY, "Mars"),
    (iptc.COUNTRY_CODE, "MRS"),
]


def newsroom_xmp(**changes: str) -> str:
    """XMP agreeing with :data:`NEWSROOM_IIM`, plus the XMP-only fields; ``changes``
    replace single texts by property name (``photoshop_Credit="..."``)."""
    texts = {
        "photoshop:Headline": "China's rover sends its first pictures",
        "photoshop:CaptionWriter": "Desk editor",
        "photoshop:Credit": "CNSA via Storyful",
        "photoshop:AuthorsPosition": "Robot",
        "photoshop:Source": "CNSA",
        "photoshop:Instructions": "No archive",
        "photoshop:TransmissionReference": "MARS-0611",
        "photoshop:City": "Utopia Planitia",
        "photoshop:State": "Northern plains",
        "photoshop:Country": "Mars",
        "Iptc4xmpCore:Location": "Landing site",
        "Iptc4xmpCore:CountryCode": "MRS",
        "Iptc4xmpExt:DigitalSourceType": (
            "http://cv.iptc.org/newscodes/digitalsourcetype/digitalCapture"
        ),
    }
    texts.update({key.replace("_", ":", 1): value for key, value in changes.items()})
    body = "".join(f"<{tag}>{value}</{tag}>" for tag, value in texts.items() if value)
    body += alt("dc:title", "Zhurong at the landing site")
    body += alt("dc:description", "The Zhurong rover beside its landing platform.")
    body += alt("dc:rights", "© 2021 CNSA")
    body += alt("xmpRights:UsageTerms", "Editorial use only")
    body += alt("Iptc4xmpCore:AltTextAccessibility", "A six-wheeled rover on red dust")
    body += alt("Iptc4xmpCore:ExtDescrAccessibility", "The rover, seen from its platform.")
    body += alt("Iptc4xmpExt:Event", "Tianwen-1 landing")
    body += bag("dc:creator", ["Remote camera"], "Seq")
    body += bag("dc:subject", ["Mars", "rover"])
    body += bag("Iptc4xmpExt:PersonInImage", ["Nobody", "Still nobody"])
    return rich_xmp(body)


def _newsroom_jpeg() -> bytes:
    iim = iptc.build_iim(NEWSROOM_IIM)
    return jpeg_with(
        xmp_segment(newsroom_xmp()),
        photoshop_segment(iptc.build_resource(0x0404, iim), iptc_digest(iim)),
    )


def _iptc_edited_later() -> bytes:
    iim = iptc.build_iim([(iptc.CREDIT, "Corrected credit"), (iptc.HEADLINE, "New headline")])
    stale = iptc.build_iim([(iptc.CREDIT, "Old")])
    return jpeg_with(
        xmp_segment(newsroom_xmp()),
        photoshop_segment(iptc.build_resource(0x0404, iim), iptc_digest(stale)),
    )


def _exif_utf8() -> bytes:
    block = tiff_block(
        [
            (0x010E, "ascii", "Fjørd at dawn, Ålesund\0".encode()),
            (0x013B, "ascii", "Bjørn Ødegård; Åse Ås\0".encode()),
            (0x8298, "ascii", "© 2024 Bjørn Ødegård\0".encode()),
            (0x010F, "ascii", b"Nikon\0"),
        ]
    )
    return jpeg_with(exif_segment(block))


def _exif_mac_roman() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (16, 16)).save(
        buffer, "TIFF", tiffinfo={270: "File written by Adobe Photoshop 4.0"}
    )
    data = buffer.getvalue()
    return data.replace(b"Adobe Photoshop 4.0", b"Adobe Photoshop\xa84.0")


def _png_big_xmp() -> bytes:
    from PIL import PngImagePlugin  # noqa: PLC0415

    filler = "<photoshop:History>" + "edit; " * 300_000 + "</photoshop:History>"
    packet = newsroom_xmp().replace("<dc:title>", filler + "<dc:title>")
    info = PngImagePlugin.PngInfo()
    info.add_itxt("XML:com.adobe.xmp", packet, zip=True)
    buffer = io.BytesIO()
    Image.new("RGB", (16, 16)).save(buffer, "PNG", pnginfo=info)
    return buffer.getvalue()


def _two_app13() -> bytes:
    first = iptc.build_iim([(iptc.CREDIT, "Credit in the first block"), (iptc.CITY, "Bern")])
    second = iptc.build_iim([(iptc.KEYWORDS, "second"), (iptc.CITY, "Basel")])
    return jpeg_with(
        photoshop_segment(iptc.build_resource(0x0404, first)),
        segment(0xFE, b"a comment between them"),
        photoshop_segment(iptc.build_resource(0x0404, second)),
    )


def _two_iptc_resources() -> bytes:
    first = iptc.build_iim([(iptc.CREDIT, "Credit in the first resource")])
    second = iptc.build_iim([(iptc.HEADLINE, "Headline in the second")])
    return jpeg_with(
        photoshop_segment(iptc.build_resource(0x0404, first), iptc.build_resource(0x0404, second))
    )


def _split_resource() -> bytes:
    iim = iptc.build_iim([(iptc.CAPTION, "x" * 1500), (iptc.CREDIT, "Credit after the split")])
    resource = iptc.build_resource(0x0404, iim)
    half = len(resource) // 2
    return jpeg_with(
        segment(0xED, b"Photoshop 3.0\x00" + resource[:half]),
        segment(0xED, b"Photoshop 3.0\x00" + resource[half:]),
    )


def _fotostation() -> bytes:
    iim = iptc.build_iim([(iptc.CAPTION, "Caption kept by FotoStation"), (iptc.CREDIT, "NTB")])
    return jpeg_with(trailer=fotostation_trailer(iim))


def _afcp() -> bytes:
    plain = jpeg_with()
    iim = iptc.build_iim([(iptc.CAPTION, "Caption in an AFCP trailer"), (iptc.CREDIT, "AXS")])
    return plain + afcp_trailer(iim, len(plain))


def _iptc_utf8_without_marker() -> bytes:
    iim = iptc.dataset(iptc.CREDIT, "Bjørn".encode()) + iptc.dataset(iptc.CITY, b"Troms\xf8")
    return jpeg_with(photoshop_segment(iptc.build_resource(0x0404, iim)))


def _broken_iptc_and_xmp() -> bytes:
    iim = iptc.build_iim([(iptc.CAPTION, "IPTC caption")]) + b"\x1c\x02\x6e\xff\xff"
    return jpeg_with(
        xmp_segment(
            rich_xmp(alt("dc:description", "XMP caption"), 'photoshop:Credit="XMP credit"')
        ),
        photoshop_segment(iptc.build_resource(0x0404, iim)),
    )


def _truncated_headline() -> bytes:
    headline = "A very long headline " * 20
    iim = iptc.build_iim([(iptc.HEADLINE, headline.encode()[:256].decode())])
    return jpeg_with(
        xmp_segment(newsroom_xmp(photoshop_Headline=headline)),
        photoshop_segment(iptc.build_resource(0x0404, iim), iptc.build_resource(0x0425, bytes(16))),
    )


def _generative() -> bytes:
    packet = newsroom_xmp(
        Iptc4xmpExt_DigitalSourceType=(
            "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"
        ),
        photoshop_Credit="CafÃ© Bj\u00c3\u00b8rn",
    )
    return jpeg_with(xmp_segment(packet))


def _places_shown() -> bytes:
    shown = "".join(
        f"<rdf:li rdf:parseType='Resource'><Iptc4xmpExt:City>{city}</Iptc4xmpExt:City>"
        f"<Iptc4xmpExt:CountryName>{country}</Iptc4xmpExt:CountryName></rdf:li>"
        for city, country in (("Bern", "Switzerland"), ("Lyon", "France"))
    )
    body = f"<Iptc4xmpExt:LocationShown><rdf:Bag>{shown}</rdf:Bag></Iptc4xmpExt:LocationShown>"
    return jpeg_with(xmp_segment(rich_xmp(body, 'photoshop:City="Geneva"')))


QUIRKS = {
    "quirk-newsroom.jpg": _newsroom_jpeg,
    "quirk-iptc-edited-later.jpg": _iptc_edited_later,
    "quirk-exif-utf8.jpg": _exif_utf8,
    "quirk-exif-macroman.tif": _exif_mac_roman,
    "quirk-png-big-xmp.png": _png_big_xmp,
    "quirk-two-app13.jpg": _two_app13,
    "quirk-two-iptc-resources.jpg": _two_iptc_resources,
    "quirk-split-resource.jpg": _split_resource,
    "quirk-fotostation.jpg": _fotostation,
    "quirk-afcp.jpg": _afcp,
    "quirk-iptc-utf8-no-marker.jpg": _iptc_utf8_without_marker,
    "quirk-broken-iptc.jpg": _broken_iptc_and_xmp,
    "quirk-truncated-headline.jpg": _truncated_headline,
    "quirk-generative.jpg": _generative,
    "quirk-places-shown.jpg": _places_shown,
}
