"""The checks a rewrite must pass: a faithful one passes, each kind of damage is named."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.builders import (
    QUIRKS,
    SRGB_BLUE,
    SRGB_GREEN,
    SRGB_RED,
    alt,
    jpeg_with,
    rgb_icc_profile,
    rich_xmp,
    segment,
    xmp_segment,
)
from viewer.metadata import exivedit, iptc, verify
from viewer.metadata.iimedit import edit_block
from viewer.metadata.reader import read_metadata


def plan_and_rewrite(data: bytes, changes: dict[str, str]) -> tuple[verify.Plan, bytes]:
    """A rewrite made the way the writer makes it (IPTC loaded as datasets)."""
    image = exivedit.open_image(data)
    plan = verify.Plan(dict(changes))
    plan.exif_before = exivedit.exif_snapshot(image.exifData())
    exivedit.apply_xmp(image.xmpData(), changes)
    block = next(b for b in verify.blocks_of(data).iptc if b.standard)
    edit = edit_block(iptc.datasets(block.data)[0], changes)
    exivedit.load_iptc(image.iptcData(), edit.datasets)
    plan.iim = edit.datasets
    image.writeMetadata()
    return plan, exivedit.image_bytes(image)


@pytest.fixture
def newsroom() -> bytes:
    return jpeg_with(
        segment(
            0xE2, b"ICC_PROFILE\x00\x01\x01" + rgb_icc_profile(SRGB_RED, SRGB_GREEN, SRGB_BLUE)
        ),
        segment(0xFE, b"A comment"),
        xmp_segment(rich_xmp(alt("dc:title", "T"), 'xmlns:my="http://example.com/" my:Keep="me"')),
        segment(
            0xED,
            b"Photoshop 3.0\x00"
            + iptc.build_resource(0x0404, iptc.build_iim([(iptc.CITY, "Lyon")])),
        ),
        trailer=b"TRAILER",
    )


def test_a_faithful_rewrite_passes(newsroom: bytes) -> None:
    plan, new = plan_and_rewrite(newsroom, {"caption": "New caption", "city": "Paris"})
    verify.check_rewrite(newsroom, new, plan)


def test_changed_image_data_is_caught(newsroom: bytes) -> None:
    plan, new = plan_and_rewrite(newsroom, {"caption": "x"})
    at = new.index(b"\xff\xda") + 20
    damaged = new[:at] + bytes([new[at] ^ 1]) + new[at + 1 :]
    with pytest.raises(verify.VerificationError, match="compressed image data"):
        verify.check_rewrite(newsroom, damaged, plan)
    with pytest.raises(verify.VerificationError, match="compressed image data"):
        verify.check_rewrite(newsroom, new.replace(b"TRAILER", b"trailer"), plan)


def test_a_changed_segment_profile_or_comment_is_caught(newsroom: bytes) -> None:
    plan, new = plan_and_rewrite(newsroom, {"caption": "x"})
    with pytest.raises(verify.VerificationError, match="ICC colour profile"):
        verify.check_rewrite(newsroom, new.replace(b"test profile", b"TEST profile"), plan)
    with pytest.raises(verify.VerificationError, match="comment"):
        verify.check_rewrite(newsroom, new.replace(b"A comment", b"B comment"), plan)


def test_an_unplanned_xmp_change_is_caught(newsroom: bytes) -> None:
    plan, new = plan_and_rewrite(newsroom, {"caption": "x", "headline": "unplanned"})
    plan.changes = {"caption": "x"}
    with pytest.raises(verify.VerificationError, match="XMP Headline would change"):
        verify.check_rewrite(newsroom, new, plan)
    plan, new = plan_and_rewrite(newsroom, {"caption": "x"})
    with pytest.raises(verify.VerificationError, match="XMP Keep would change"):
        verify.check_rewrite(newsroom, new.replace(b'"me"', b'"us"'), plan)


def test_iptc_other_than_planned_is_caught(newsroom: bytes) -> None:
    plan, new = plan_and_rewrite(newsroom, {"city": "Paris"})
    assert plan.iim is not None
    plan.iim = [*plan.iim, (iptc.HEADLINE, b"expected but absent")]
    with pytest.raises(verify.VerificationError, match="IPTC block would not hold"):
        verify.check_rewrite(newsroom, new, plan)


def test_a_stale_digest_after_a_rewrite_is_caught() -> None:
    data = QUIRKS["quirk-newsroom.jpg"]()  # IPTC with a current digest
    plan, new = plan_and_rewrite(data, {"city": "Paris"})
    plan.refresh_digest = True
    with pytest.raises(verify.VerificationError, match="digest would not match"):
        verify.check_rewrite(data, new, plan)


def test_a_sidecar_packet_must_hold_the_values() -> None:
    old = rich_xmp(alt("dc:title", "T")).encode()
    verify.check_packet(old, old.replace(b">T<", b">New<"), {"title": "New"})
    with pytest.raises(verify.VerificationError, match="Title: XMP would hold “T”"):
        verify.check_packet(old, old, {"title": "New"})


def test_reading_back_compares_the_readers_view(tmp_path: Path) -> None:
    before_path, after_path = tmp_path / "a.jpg", tmp_path / "b.jpg"
    before_path.write_bytes(
        jpeg_with(xmp_segment(rich_xmp(alt("dc:title", "T") + alt("dc:description", "C"))))
    )
    after_path.write_bytes(
        jpeg_with(xmp_segment(rich_xmp(alt("dc:title", "New") + alt("dc:description", "C"))))
    )
    before, after = read_metadata(before_path), read_metadata(after_path)
    assert verify.check_reading(before, after, {"title": "New"}) == []
    with pytest.raises(verify.VerificationError, match="Title would read “New” instead of “Other”"):
        verify.check_reading(before, after, {"title": "Other"})
    with pytest.raises(verify.VerificationError, match="title would read differently"):
        verify.check_reading(before, after, {"caption": "C"})


def test_a_cleared_field_that_still_shows_is_a_warning(tmp_path: Path) -> None:
    photo = tmp_path / "a.jpg"
    photo.write_bytes(jpeg_with())
    (tmp_path / "a.jpg.xmp").write_text(rich_xmp(alt("dc:title", "From the sidecar")), "utf-8")
    meta = read_metadata(photo)
    (warning,) = verify.check_reading(meta, meta, {"title": ""})
    assert warning.startswith(
        "Title: cleared, but “From the sidecar” still shows, from sidecar a.jpg.xmp"
    )


def test_xmp_names_for_the_reader() -> None:
    assert (
        verify.exiv2_key_to_reader("Xmp.iptc.AltTextAccessibility")
        == "Iptc4xmpCore:AltTextAccessibility"
    )
    assert verify.exiv2_key_to_reader("Xmp.dc.title") == "dc:title"
