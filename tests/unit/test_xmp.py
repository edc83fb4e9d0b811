"""The XMP reader: every way properties are written, old packets, and hostile ones."""

from __future__ import annotations

import pytest

from tests.builders import xmp_packet
from viewer.metadata.xmp import MAX_PACKET_BYTES, XmpError, parse_xmp


def test_elements_attributes_and_arrays() -> None:
    values = parse_xmp(
        xmp_packet(
            dc_description="A caption",
            dc_creator=["First", "Second"],
            dc_subject=["Mars", "rover"],
            photoshop_Credit="CNSA via Storyful",
        )
    )
    assert values["dc:description"] == ["A caption"]
    assert values["dc:creator"] == ["First", "Second"]
    assert values["dc:subject"] == ["Mars", "rover"]
    assert values["photoshop:Credit"] == ["CNSA via Storyful"]


def test_the_default_language_comes_first() -> None:
    packet = (
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:description><rdf:Alt>'
        '<rdf:li xml:lang="de">Bildunterschrift</rdf:li>'
        '<rdf:li xml:lang="x-default">Caption</rdf:li>'
        "</rdf:Alt></dc:description></rdf:Description></rdf:RDF></x:xmpmeta>"
    )
    assert parse_xmp(packet)["dc:description"] == ["Caption", "Bildunterschrift"]


def test_packets_from_old_toolkits_are_read() -> None:
    packet = (
        "<?xpacket begin='\ufeff' id='W5M0MpCehiHzreSzNTczkc9d'?>"
        "<x:xapmeta xmlns:x='adobe:ns:meta/'>"
        "<rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'>"
        "<rdf:Description about='' xmlns:photoshop='http://ns.adobe.com/photoshop/1.0/'>"
        "<photoshop:Credit>Ian Britton</photoshop:Credit></rdf:Description></rdf:RDF></x:xapmeta>"
        "<?xpacket end='w'?>"
    )
    assert parse_xmp(packet)["photoshop:Credit"] == ["Ian Britton"]


@pytest.mark.parametrize(
    ("packet", "words"),
    [
        ('<!DOCTYPE x [<!ENTITY a "b">]><x:xmpmeta xmlns:x="adobe:ns:meta/"/>', "DTD"),
        ('<?xml version="1.0"?><!DOCTYPE x SYSTEM "file:///etc/passwd"><x/>', "DTD"),
        ("<x:xmpmeta xmlns:x='adobe:ns:meta/'><unclosed></x:xmpmeta>", "not well-formed"),
        ("not xml at all", "not well-formed"),
    ],
)
def test_hostile_or_broken_packets_raise_xmp_error(packet: str, words: str) -> None:
    with pytest.raises(XmpError, match=words):
        parse_xmp(packet)


def test_oversized_packets_are_refused() -> None:
    with pytest.raises(XmpError, match="larger than"):
        parse_xmp(b" " * (MAX_PACKET_BYTES + 1))
