"""Photoshop image resources: a run of records, each read to the first that is not one."""

from __future__ import annotations

import struct

from viewer.metadata import iptc
from viewer.metadata.photoshop import IPTC, IPTC_DIGEST, XMP, resources


def resource(ident: int, data: bytes, name: bytes = b"", signature: bytes = b"8BIM") -> bytes:
    """A resource as Photoshop writes it: the name a padded Pascal string, data padded."""
    pascal = bytes([len(name)]) + name
    pascal += b"\x00" * (len(pascal) % 2)
    body = data + b"\x00" * (len(data) % 2)
    return signature + struct.pack(">H", ident) + pascal + struct.pack(">I", len(data)) + body


def test_resources_are_read_in_order_with_their_data() -> None:
    iim = iptc.build_iim([(iptc.CREDIT, "Agency")])
    stream = resource(0x03ED, bytes(16)) + resource(IPTC, iim) + resource(IPTC_DIGEST, bytes(16))
    assert resources(stream) == [(0x03ED, bytes(16)), (IPTC, iim), (IPTC_DIGEST, bytes(16))]


def test_named_and_odd_sized_resources_are_padded_as_written() -> None:
    stream = resource(XMP, b"<x/>", name=b"x") + resource(IPTC, b"odd", name=b"Caption")
    stream += resource(IPTC_DIGEST, b"1")
    assert resources(stream) == [(XMP, b"<x/>"), (IPTC, b"odd"), (IPTC_DIGEST, b"1")]


def test_resources_of_other_applications_are_read_too() -> None:
    stream = resource(IPTC, b"one", signature=b"MeSa") + resource(IPTC, b"two", signature=b"AgHg")
    assert resources(stream) == [(IPTC, b"one"), (IPTC, b"two")]


def test_damage_keeps_what_came_before() -> None:
    good = resource(IPTC, b"kept")
    assert resources(good + b"junk that is no resource at all") == [(IPTC, b"kept")]
    too_long = b"8BIM" + struct.pack(">H", IPTC) + b"\x00\x00" + struct.pack(">I", 2**31) + b"x"
    assert resources(good + too_long) == [(IPTC, b"kept")], "a size beyond the end stops"
    assert resources(good + resource(XMP, b"<x/>")[:9]) == [(IPTC, b"kept")]
    assert resources(b"") == []


def test_the_last_resource_may_lack_its_padding() -> None:
    stream = resource(IPTC, b"odd")[:-1]
    assert resources(stream) == [(IPTC, b"odd")]
