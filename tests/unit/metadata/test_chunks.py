"""Metadata in PNG and WebP chunks and GIF extensions, read one by one with bounded sizes."""

from __future__ import annotations

import datetime as dt
import io
import struct
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from PIL import Image, PngImagePlugin

from tests.builders import QUIRKS, alt, rich_xmp, tiff_block, xmp_packet
from viewer.metadata import iptc, read_metadata
from viewer.metadata.blocks import Blocks
from viewer.metadata.chunks import MAX_CHUNK, read_gif, read_png, read_webp
from viewer.metadata.photo import PhotoMetadata


def quirk(tmp_path: Path, name: str) -> PhotoMetadata:
    path = tmp_path / name
    path.write_bytes(QUIRKS[name]())
    return read_metadata(path)


def test_png_with_exif_and_xmp(tmp_path: Path) -> None:
    exif = Image.Exif()
    exif[0x010F] = "Nikon"
    exif[0x0110] = "Nikon Z 6"
    exif.get_ifd(0x8769)[0x9003] = "2022:02:03 04:05:06"
    info = PngImagePlugin.PngInfo()
    info.add_itxt(
        "XML:com.adobe.xmp",
        xmp_packet(
            dc_description="PNG caption from XMP",
            photoshop_Credit="PNG credit",
            dc_subject=["png", "xmp"],
        ),
    )
    path = tmp_path / "meta.png"
    Image.new("RGB", (50, 40)).save(path, pnginfo=info, exif=exif.tobytes())
    meta = read_metadata(path)
    assert meta.caption == "PNG caption from XMP"
    assert meta.credit == "PNG credit"
    assert meta.keywords == ("png", "xmp")
    assert (meta.make, meta.model) == ("Nikon", "Nikon Z 6")
    assert meta.date_taken == dt.datetime(2022, 2, 3, 4, 5, 6)


def test_png_xmp_beyond_pillows_text_limit_is_read(tmp_path: Path) -> None:
    meta = quirk(tmp_path, "quirk-png-big-xmp.png")
    assert PngImagePlugin.MAX_TEXT_CHUNK == 1024 * 1024, "Pillow's global limit is left alone"
    assert meta.caption == "The Zhurong rover beside its landing platform."
    assert meta.credit == "CNSA via Storyful"
    assert (meta.width, meta.height) == (16, 16)
    assert meta.problems == ()


def test_webp_exif_and_xmp_chunks(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    packet = rich_xmp(alt("dc:title", "WebP title"), 'photoshop:Credit="WebP credit"')
    exif = tiff_block([(0x010E, "ascii", "Überschrift\0".encode())])
    Image.new("RGB", (20, 10)).save(buffer, "WEBP", exif=exif, xmp=packet.encode())
    path = tmp_path / "meta.webp"
    path.write_bytes(buffer.getvalue())
    meta = read_metadata(path)
    assert (meta.title, meta.credit, meta.caption) == ("WebP title", "WebP credit", "Überschrift")


def test_gif_xmp_is_read(tmp_path: Path) -> None:
    packet = rich_xmp(alt("dc:description", "GIF caption"))
    buffer = io.BytesIO()
    Image.new("P", (8, 8)).save(buffer, "GIF")
    gif = buffer.getvalue()
    # An application extension as Adobe writes it: the raw packet, then the magic trailer.
    magic = bytes([1, *range(255, -1, -1), 0])
    extension = b"\x21\xff\x0bXMP DataXMP" + packet.encode() + magic
    path = tmp_path / "meta.gif"
    path.write_bytes(gif[:-1] + extension + b"\x3b")
    assert read_metadata(path).caption == "GIF caption"


def png_chunk(kind: bytes, body: bytes) -> bytes:
    crc = zlib.crc32(kind + body) & 0xFFFFFFFF
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)


def png_with(*chunks: bytes, size: tuple[int, int] = (20, 10)) -> bytes:
    """A real PNG with ``chunks`` after its header."""
    buffer = io.BytesIO()
    Image.new("RGB", size).save(buffer, "PNG")
    data = buffer.getvalue()
    after_header = 8 + 25
    return data[:after_header] + b"".join(chunks) + data[after_header:]


def walked(data: bytes, reader: Callable[[BinaryIO, Blocks], None] = read_png) -> Blocks:
    blocks = Blocks()
    reader(io.BytesIO(data), blocks)
    return blocks


def raw_profile(name: str, data: bytes) -> bytes:
    """ImageMagick's "Raw profile type" text: name, length, then hex in lines of 72."""
    hexed = data.hex()
    lines = "\n".join(hexed[i : i + 72] for i in range(0, len(hexed), 72))
    return f"\n{name}\n{len(data):8d}\n{lines}\n".encode("ascii")


PACKET = rich_xmp(alt("dc:description", "Caption in a chunk"))
EXIF = tiff_block([(0x013B, "ascii", b"Chunk artist\0")])
IIM = iptc.build_iim([(iptc.CREDIT, "Credit in PNG text")])


def test_png_size_and_every_way_of_writing_xmp_and_exif() -> None:
    for chunk in (
        png_chunk(b"iTXt", b"XML:com.adobe.xmp\0\0\0\0\0" + PACKET.encode()),
        png_chunk(b"iTXt", b"XML:com.adobe.xmp\0\x01\0en\0\0" + zlib.compress(PACKET.encode())),
        png_chunk(b"tEXt", b"XML:com.adobe.xmp\0" + PACKET.encode()),
        png_chunk(b"zTXt", b"XML:com.adobe.xmp\0\0" + zlib.compress(PACKET.encode())),
    ):
        blocks = walked(png_with(chunk, png_chunk(b"eXIf", EXIF)))
        assert blocks.size == (20, 10)
        assert blocks.xmp == [PACKET.encode()]
        assert blocks.ifd0, "the eXIf chunk"
        assert blocks.problems == []


def test_imagemagick_raw_profiles_are_read(tmp_path: Path) -> None:
    data = png_with(
        png_chunk(b"zTXt", b"Raw profile type iptc\0\0" + zlib.compress(raw_profile("IPTC", IIM))),
        png_chunk(b"tEXt", b"Raw profile type exif\0" + raw_profile("exif", b"Exif\0\0" + EXIF)),
        png_chunk(b"tEXt", b"Raw profile type xmp\0" + raw_profile("xmp", PACKET.encode())),
    )
    blocks = walked(data)
    assert [(block.data, block.where, block.standard) for block in blocks.iptc] == [
        (IIM, "IPTC in PNG text", False)
    ]
    assert blocks.xmp == [PACKET.encode()]
    path = tmp_path / "magick.png"
    path.write_bytes(data)
    meta = read_metadata(path)
    assert (meta.caption, meta.credit, meta.byline) == (
        "Caption in a chunk",
        "Credit in PNG text",
        "Chunk artist",
    )
    assert meta.source_of("credit") == "IPTC in PNG text"


def test_photoshop_resources_in_png_text_give_their_iptc() -> None:
    resources = iptc.build_resource(0x0404, IIM)
    for name in ("8bim", "iptc"):  # ImageMagick names them either way
        text = b"Raw profile type " + name.encode() + b"\0" + raw_profile(name, resources)
        blocks = walked(png_with(png_chunk(b"tEXt", text)))
        assert [block.data for block in blocks.iptc] == [IIM], name


def test_other_text_chunks_are_ignored() -> None:
    blocks = walked(png_with(png_chunk(b"tEXt", b"Comment\0Made with a scanner")))
    assert (blocks.xmp, blocks.iptc, blocks.problems) == ([], [], [])


def test_a_damaged_compressed_chunk_costs_only_itself() -> None:
    data = png_with(
        png_chunk(b"zTXt", b"XML:com.adobe.xmp\0\0not zlib at all"),
        png_chunk(b"eXIf", EXIF),
    )
    blocks = walked(data)
    assert blocks.ifd0, "the next chunk is still read"
    assert blocks.problems == [
        "the PNG text chunk XML:com.adobe.xmp is damaged "
        "(Error -3 while decompressing data: incorrect header check)"
    ]


def test_a_chunk_that_inflates_without_end_is_refused() -> None:
    bomb = zlib.compress(b"\0" * (MAX_CHUNK + 1024), 9)
    blocks = walked(png_with(png_chunk(b"zTXt", b"XML:com.adobe.xmp\0\0" + bomb)))
    assert blocks.xmp == []
    assert "inflates to more than 64 MiB" in blocks.problems[0]


def test_a_png_cut_inside_a_chunk_keeps_what_came_before() -> None:
    first = png_chunk(b"eXIf", EXIF)
    cut = png_chunk(b"iTXt", b"XML:com.adobe.xmp\0\0\0\0\0" + PACKET.encode())[:40]
    blocks = walked(b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", bytes(13)) + first + cut)
    assert blocks.ifd0
    assert blocks.problems == ["the PNG iTXt chunk is cut short"]


def test_chunks_larger_than_the_cap_are_skipped_unread() -> None:
    lying = struct.pack(">I", MAX_CHUNK + 1) + b"iTXt" + b"XML:com.adobe.xmp\0"
    blocks = walked(b"\x89PNG\r\n\x1a\n" + lying)
    assert (blocks.xmp, blocks.problems) == ([], [])


def webp_with(*chunks: tuple[bytes, bytes]) -> bytes:
    """A WebP of Pillow's with extra chunks (padded to even lengths) after its own."""
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8)).save(buffer, "WEBP")
    body = buffer.getvalue()[12:]
    for kind, data in chunks:
        body += kind + struct.pack("<I", len(data)) + data + b"\0" * (len(data) % 2)
    return b"RIFF" + struct.pack("<I", 4 + len(body)) + b"WEBP" + body


def test_webp_chunks_of_odd_length_are_padded() -> None:
    odd = PACKET.encode() + (b"" if len(PACKET) % 2 else b" ")
    assert len(odd) % 2 == 1
    blocks = walked(webp_with((b"XMP ", odd), (b"EXIF", b"Exif\0\0" + EXIF)), read_webp)
    assert blocks.xmp == [odd]
    assert blocks.ifd0, "the chunk after the odd one is found"


def test_a_gif_without_xmp_gives_nothing_and_stops_at_its_end() -> None:
    buffer = io.BytesIO()
    frames = [Image.new("P", (8, 8), i) for i in range(3)]
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:], comment=b"hello")
    blocks = walked(buffer.getvalue() + b"XMP DataXMP after the trailer", read_gif)
    assert (blocks.xmp, blocks.problems) == ([], [])
