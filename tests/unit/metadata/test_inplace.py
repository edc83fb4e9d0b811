"""New bytes for a photo, made in memory: written in every place, refused where exiv2 would lose."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest
from PIL import Image

from tests.builders import QUIRKS, alt, jpeg_with, rich_xmp, segment, xmp_segment
from viewer.metadata import inplace, iptc, verify
from viewer.metadata.photo import PhotoMetadata
from viewer.metadata.reader import read_metadata
from viewer.metadata.xmp import parse_xmp

NO_READING = PhotoMetadata()


def test_every_copy_is_written_in_step_and_the_digest_kept_current() -> None:
    data = QUIRKS["quirk-newsroom.jpg"]()
    result = inplace.rewrite(
        data, "JPEG", {"caption": "New caption", "keywords": ("a", "b")}, NO_READING
    )
    assert result.data is not None and result.warnings == []
    blocks = verify.blocks_of(result.data)
    standard = blocks.iptc[0]
    assert blocks.iptc_digest == hashlib.md5(standard.data).digest()
    record = iptc.read_record(standard.data)
    assert record.utf8
    assert record.text(iptc.CAPTION) == ["New caption"]
    assert record.text(iptc.KEYWORDS) == ["a", "b"]
    assert record.text(iptc.CREDIT) == ["CNSA via Storyful"], "unedited: untouched"
    xmp = parse_xmp(blocks.xmp[0])
    assert xmp["dc:description"] == ["New caption"] and xmp["dc:subject"] == ["a", "b"]


def test_nothing_to_change_gives_no_bytes() -> None:
    data = QUIRKS["quirk-newsroom.jpg"]()
    result = inplace.rewrite(data, "JPEG", {"credit": "CNSA via Storyful"}, NO_READING)
    assert result.data is None


def test_a_stale_digest_brings_the_xmp_in_step_with_what_was_shown(tmp_path: Path) -> None:
    photo = tmp_path / "later.jpg"
    photo.write_bytes(QUIRKS["quirk-iptc-edited-later.jpg"]())
    before = read_metadata(photo)
    assert before.credit == "Corrected credit" and before.source_of("credit") == "IPTC"
    result = inplace.rewrite(photo.read_bytes(), "JPEG", {"caption": "x"}, before)
    assert result.data is not None
    assert {"headline", "credit"} <= set(result.synced)
    assert "the XMP was brought in step with the IPTC shown (Headline, Credit" in result.warnings[0]
    xmp = parse_xmp(verify.blocks_of(result.data).xmp[0])
    assert xmp["photoshop:Credit"] == ["Corrected credit"]


@pytest.mark.parametrize(
    ("quirk", "reason"),
    [
        ("quirk-two-app13.jpg", "two IPTC blocks"),
        ("quirk-two-iptc-resources.jpg", "two IPTC blocks"),
        ("quirk-broken-iptc.jpg", "its IPTC is damaged"),
    ],
)
def test_what_exiv2_would_lose_is_refused(quirk: str, reason: str) -> None:
    with pytest.raises(inplace.RewriteRefusedError, match=reason):
        inplace.rewrite(QUIRKS[quirk](), "JPEG", {"caption": "x"}, NO_READING)


def test_an_xmp_packet_exiv2_cannot_see_is_refused() -> None:
    mangled = segment(
        0xE1, b"XMP\x00://ns.adobe.com/xap/1.0/\x00" + rich_xmp(alt("dc:title", "T")).encode()
    )
    with pytest.raises(inplace.RewriteRefusedError, match="non-standard header"):
        inplace.rewrite(jpeg_with(mangled), "JPEG", {"caption": "x"}, NO_READING)


def test_a_photoshop_25_segment_is_refused() -> None:
    old = segment(
        0xED, b"Adobe_Photoshop2.5:" + b"\x00" * 8 + iptc.build_iim([(iptc.CAPTION, "c")])
    )
    with pytest.raises(inplace.RewriteRefusedError, match=r"Photoshop 2\.5"):
        inplace.rewrite(jpeg_with(old), "JPEG", {"caption": "x"}, NO_READING)


def test_a_trailer_whose_offsets_would_break_fails_the_checks() -> None:
    with pytest.raises(inplace.RewriteFailedError, match="IPTC outside the block being edited"):
        inplace.rewrite(QUIRKS["quirk-afcp.jpg"](), "JPEG", {"caption": "x"}, NO_READING)


def test_a_file_exiv2_cannot_read_fails_in_words() -> None:
    with pytest.raises(inplace.RewriteFailedError, match="exiv2 cannot read it"):
        inplace.rewrite(b"\xff\xd8\xff\xe0 not really a JPEG", "JPEG", {"caption": "x"}, NO_READING)


@pytest.mark.parametrize("kind", ["PNG", "WEBP"])
def test_png_and_webp_get_xmp_and_no_new_iptc(kind: str) -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (16, 12), (1, 2, 3)).save(buffer, kind)
    result = inplace.rewrite(buffer.getvalue(), "PNG" if kind == "PNG" else "WebP",
                             {"caption": "Écrit 🙂", "city": "Paris"}, NO_READING)  # fmt: skip
    assert result.data is not None
    blocks = verify.blocks_of(result.data)
    assert parse_xmp(blocks.xmp[0])["dc:description"] == ["Écrit 🙂"]
    assert blocks.iptc == [], "PNG and WebP have no standard IPTC; none is added"


def test_a_sidecar_packet_is_made_or_updated() -> None:
    packet = inplace.sidecar_packet(b"", {"caption": "In the sidecar"})
    assert packet is not None and parse_xmp(packet.data)["dc:description"] == ["In the sidecar"]
    again = inplace.sidecar_packet(packet.data, {"caption": "In the sidecar"})
    assert again is None, "nothing to change"
    updated = inplace.sidecar_packet(packet.data, {"headline": "H"})
    assert updated is not None
    values = parse_xmp(updated.data)
    assert values["dc:description"] == ["In the sidecar"] and values["photoshop:Headline"] == ["H"]
    with pytest.raises(inplace.RewriteFailedError):
        inplace.sidecar_packet(b"<not xmp", {"headline": "H"})


def test_reading_back_a_rewrite_that_does_not_read_as_written_fails(tmp_path: Path) -> None:
    photo = tmp_path / "a.jpg"
    photo.write_bytes(jpeg_with(xmp_segment(rich_xmp(alt("dc:title", "T")))))
    before = read_metadata(photo)
    assert inplace.check_reading(before, photo, {"title": "T"}) == []
    with pytest.raises(inplace.RewriteFailedError, match="reading it back: Title would read"):
        inplace.check_reading(before, photo, {"title": "Other"})
