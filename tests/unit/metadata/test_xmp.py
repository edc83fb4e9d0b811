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


RDF_OPEN = (
    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
    'xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/" '
    'xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" '
    'xmlns:xmpRights="http://ns.adobe.com/xap/1.0/rights/">'
)


def packet(description: str) -> str:
    return f'<x:xmpmeta xmlns:x="adobe:ns:meta/">{RDF_OPEN}{description}</rdf:RDF></x:xmpmeta>'


def test_structs_in_each_of_rdfs_three_forms_are_flattened() -> None:
    places = (
        "<Iptc4xmpExt:LocationShown><rdf:Bag>"
        # parseType="Resource"
        '<rdf:li rdf:parseType="Resource"><Iptc4xmpExt:City>Bern</Iptc4xmpExt:City></rdf:li>'
        # a nested description
        "<rdf:li><rdf:Description><Iptc4xmpExt:City>Lyon</Iptc4xmpExt:City>"
        "</rdf:Description></rdf:li>"
        # fields as attributes
        '<rdf:li Iptc4xmpExt:City="Oslo" Iptc4xmpExt:CountryName="Norway"/>'
        "</rdf:Bag></Iptc4xmpExt:LocationShown>"
    )
    values = parse_xmp(packet(f'<rdf:Description rdf:about="">{places}</rdf:Description>'))
    assert values["Iptc4xmpExt:LocationShown/Iptc4xmpExt:City"] == ["Bern", "Lyon", "Oslo"]
    assert values["Iptc4xmpExt:LocationShown/Iptc4xmpExt:CountryName"] == ["Norway"]


def test_resources_several_descriptions_and_a_bare_rdf_root() -> None:
    body = (
        '<rdf:Description photoshop:Credit="First"/>'
        '<rdf:Description><xmpRights:WebStatement rdf:resource="https://example.org/terms"/>'
        "</rdf:Description>"
    )
    values = parse_xmp(f"{RDF_OPEN}{body}</rdf:RDF>")
    assert values["photoshop:Credit"] == ["First"]
    assert values["xmpRights:WebStatement"] == ["https://example.org/terms"]


def test_unknown_namespaces_and_blank_values_are_left_out() -> None:
    body = (
        '<rdf:Description xmlns:mine="http://example.org/mine/" mine:Secret="x" '
        'photoshop:City="  ">'
        "<mine:Other>y</mine:Other><photoshop:Country> Mars </photoshop:Country>"
        "</rdf:Description>"
    )
    assert parse_xmp(packet(body)) == {"photoshop:Country": ["Mars"]}


def test_a_packet_is_found_among_padding_and_bytes_or_text_give_the_same() -> None:
    text = packet('<rdf:Description photoshop:Credit="Agency"/>')
    padded = "\0junk before" + text + " " * 2048 + "<?xpacket end='w'?>"
    assert parse_xmp(padded) == parse_xmp(text.encode("utf-8")) == {"photoshop:Credit": ["Agency"]}


def test_the_usual_prefixes_are_used_whatever_the_packet_declares() -> None:
    body = (
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description xmlns:ps="http://ns.adobe.com/photoshop/1.0/" ps:Credit="Agency"/>'
        "</rdf:RDF>"
    )
    assert parse_xmp(body) == {"photoshop:Credit": ["Agency"]}
