"""Every XMP property, in any namespace, as (path, value) pairs independent of layout."""

from __future__ import annotations

import pytest

from viewer.metadata.xmp import XmpError
from viewer.metadata.xmpflat import ABOUT, flatten

RDF = 'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
NS = 'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:my="http://example.com/mine/"'


def packet(description: str, about: str = 'rdf:about=""') -> str:
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">'
        f"<rdf:RDF {RDF}><rdf:Description {about} {NS}{description}</rdf:Description></rdf:RDF>"
        '</x:xmpmeta><?xpacket end="w"?>'
    )


def test_attributes_and_elements_say_the_same() -> None:
    as_attribute = flatten(packet(' my:Thing="value">'))
    as_element = flatten(packet("><my:Thing>value</my:Thing>"))
    assert as_attribute == as_element
    assert ("{http://example.com/mine}Thing", "value") in as_attribute


def test_unknown_namespaces_arrays_and_languages_are_all_kept() -> None:
    pairs = flatten(
        packet(
            '><dc:description><rdf:Alt><rdf:li xml:lang="x-default">Hello</rdf:li>'
            '<rdf:li xml:lang="fr">Bonjour</rdf:li></rdf:Alt></dc:description>'
            "<my:List><rdf:Seq><rdf:li>one</rdf:li><rdf:li>two</rdf:li></rdf:Seq></my:List>"
        )
    )
    dc = "{http://purl.org/dc/elements/1.1}description"
    assert (dc + "[@fr]", "Bonjour") in pairs and (dc + "[@x-default]", "Hello") in pairs
    assert ("{http://example.com/mine}List[2]", "two") in pairs
    assert ("{http://example.com/mine}List", "rdf:Seq") in pairs


@pytest.mark.parametrize(
    "struct",
    [
        '<my:Place rdf:parseType="Resource"><my:City>Paris</my:City></my:Place>',
        "<my:Place><rdf:Description><my:City>Paris</my:City></rdf:Description></my:Place>",
        '<my:Place my:City="Paris"/>',
    ],
)
def test_a_struct_in_any_of_rdfs_forms(struct: str) -> None:
    path = "{http://example.com/mine}Place/{http://example.com/mine}City"
    assert list(flatten(packet(">" + struct))) == [(path, "Paris")]


def test_about_is_kept_apart_old_style_included() -> None:
    assert (ABOUT, "uuid:1") in flatten(packet(">", 'rdf:about="uuid:1"'))
    assert (ABOUT, "uuid:2") in flatten(packet(">", 'about="uuid:2"'))
    assert not [key for key in flatten(packet(">", 'about="uuid:2"')) if key[0] == "about"]


def test_a_namespace_written_with_and_without_its_slash_is_one() -> None:
    with_slash = flatten(packet(' xmlns:p="http://ns.microsoft.com/photo/1.0/" p:Rating="1">'))
    without = flatten(packet(' xmlns:p="http://ns.microsoft.com/photo/1.0" p:Rating="1">'))
    assert with_slash == without


def test_blank_values_compare_equal_however_written() -> None:
    assert flatten(packet("><my:City> </my:City>")) == flatten(packet(' my:City=" ">'))


def test_hostile_packets_are_refused() -> None:
    with pytest.raises(XmpError):
        flatten('<!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>')
    with pytest.raises(XmpError, match="well-formed"):
        flatten("<x:xmpmeta><unclosed></x:xmpmeta>")
