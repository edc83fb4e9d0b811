"""Every property of an XMP packet, in any namespace, as plain (path, value) pairs.

:mod:`viewer.metadata.xmp` reads the properties Photo Desk shows; the writer must also
know that a rewrite kept everything else, including namespaces nobody here has heard
of. :func:`flatten` walks the RDF once, as that module does but keeping every namespace
(by URI, so a prefix that changes does not count), and gives each value a path: a
struct's fields under ``prop/field``, an array's items as ``prop[1]``, a language
alternative's as ``prop[@fr]``, qualifiers and ``rdf:resource`` values included. Two
packets that say the same thing give the same pairs whether their properties are
written as attributes or elements, compact or pretty-printed.
"""

from __future__ import annotations

from collections import Counter
from xml.etree.ElementTree import Element

from viewer.metadata.xmp import MAX_PACKET_BYTES, RDF, XML_LANG, XmpError

_RDF_ATTRIBUTES = {f"{{{RDF}}}{name}" for name in ("about", "ID", "nodeID", "parseType")}
_ABOUTS = (f"{{{RDF}}}about", "about")  # RDF before 2004 also wrote a bare ``about``
ABOUT = "rdf:about"
Flat = Counter[tuple[str, str]]


def flatten(packet: bytes | str) -> Flat:
    """The packet's (path, value) pairs; ``rdf:about`` values are kept under :data:`ABOUT`.

    Raises:
        XmpError: the packet is malformed, oversized, or declares a DTD or entities.
    """
    from defusedxml import DefusedXmlException  # noqa: PLC0415 - loaded with the writer
    from defusedxml.ElementTree import ParseError, fromstring  # noqa: PLC0415

    raw = packet.encode("utf-8") if isinstance(packet, str) else packet
    if len(raw) > MAX_PACKET_BYTES or b"<!DOCTYPE" in raw or b"<!ENTITY" in raw:
        raise XmpError("the XMP packet is too large or declares a DTD or entities")
    start, end = raw.find(b"<"), raw.rfind(b">")
    body = raw[start : end + 1] if 0 <= start < end else raw
    body = _without_processing_instructions(body)
    try:
        root = fromstring(body, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except (DefusedXmlException, ParseError, ValueError) as exc:
        raise XmpError(f"the XMP packet is not well-formed XML ({exc})") from None
    pairs: Flat = Counter()
    rdfs = [root] if root.tag == f"{{{RDF}}}RDF" else list(root.iter(f"{{{RDF}}}RDF"))
    for rdf in rdfs:
        for description in rdf:
            if description.tag != f"{{{RDF}}}Description":
                continue
            about = description.get(_ABOUTS[0]) or description.get(_ABOUTS[1])
            if about:
                pairs[(ABOUT, about)] += 1
            _fields(description, "", pairs)
    return pairs


def _without_processing_instructions(body: bytes) -> bytes:
    """The packet without its ``<?xpacket ...?>`` wrapper (some parsers mind them)."""
    while body.startswith(b"<?"):
        end = body.find(b"?>")
        if end < 0:
            break
        body = body[end + 2 :].lstrip()
    tail = body.rfind(b"<?xpacket")
    return body[:tail].rstrip() if tail > 0 else body


def _name(tag: str) -> str:
    """A tag with its namespace URI's trailing slash dropped.

    Some namespaces were published both ways (``http://ns.microsoft.com/photo/1.0`` and
    ``.../1.0/``), and toolkits correct one to the other.
    """
    if tag.startswith("{"):
        uri, _, local = tag[1:].partition("}")
        return "{" + uri.rstrip("/") + "}" + local
    return tag


def _fields(node: Element, path: str, pairs: Flat) -> None:
    for name, value in node.attrib.items():
        if name not in _RDF_ATTRIBUTES and name not in (XML_LANG, "about"):
            pairs[(path + _name(name), value if value.strip() else "")] += 1
    for child in node:
        _property(child, path + _name(child.tag), pairs)


def _property(element: Element, path: str, pairs: Flat) -> None:
    lang = element.get(XML_LANG)
    if lang:
        pairs[(path + "?xml:lang", lang)] += 1
    for container in ("Alt", "Seq", "Bag"):
        array = element.find(f"{{{RDF}}}{container}")
        if array is not None:
            items = [li for li in array if li.tag == f"{{{RDF}}}li"]
            pairs[(path, f"rdf:{container}")] += 1
            for index, item in enumerate(items, 1):
                item_lang = item.get(XML_LANG)
                key = f"{path}[@{item_lang}]" if item_lang else f"{path}[{index}]"
                _value(item, key, pairs)
            return
    _value(element, path, pairs)


def _value(element: Element, path: str, pairs: Flat) -> None:
    nested = element.find(f"{{{RDF}}}Description")
    if nested is not None:
        _fields(nested, path + "/", pairs)
        return
    fields = [
        n for n in element.attrib if n not in _RDF_ATTRIBUTES and n not in (XML_LANG, "about")
    ]
    resource = element.get(f"{{{RDF}}}resource")
    if element.get(f"{{{RDF}}}parseType") == "Resource" or fields or len(element):
        _fields(element, path + "/", pairs)
        if resource is None:
            return
    if resource is not None:
        pairs[(path, resource)] += 1
    elif not fields and not len(element):
        text = element.text or ""
        pairs[(path, text if text.strip() else "")] += 1
