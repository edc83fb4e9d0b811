"""XMP: the RDF/XML packet many tools embed, read safely into plain values.

The packet is parsed with defusedxml, which refuses DTDs and entity declarations (the
"billion laughs" and external-entity attacks), then walked once: every property of
every top-level ``rdf:Description`` is collected, whether written as an attribute or as
an element, as a plain value, an ``rdf:Alt`` (the ``x-default`` language first), or an
``rdf:Seq``/``rdf:Bag`` list. A struct's fields (in any of RDF's three ways of writing
one) are collected under ``prop/field``, across all items of an array of structs, the
way ExifTool flattens them: ``Iptc4xmpExt:LocationShown/Iptc4xmpExt:City`` holds the city
of every place shown.
"""

from __future__ import annotations

from xml.etree.ElementTree import Element

from viewer.errors import PhotoDeskError

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
NS = {
    "dc": "http://purl.org/dc/elements/1.1/",
    "photoshop": "http://ns.adobe.com/photoshop/1.0/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "exif": "http://ns.adobe.com/exif/1.0/",
    "tiff": "http://ns.adobe.com/tiff/1.0/",
    "Iptc4xmpCore": "http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/",
    "Iptc4xmpExt": "http://iptc.org/std/Iptc4xmpExt/2008-02-29/",
    "xmpRights": "http://ns.adobe.com/xap/1.0/rights/",
    "xmpNote": "http://ns.adobe.com/xmp/note/",
    "plus": "http://ns.useplus.org/ldf/xmp/1.0/",
}
# Photoshop's document history can make honest packets several megabytes long.
MAX_PACKET_BYTES = 16 * 1024 * 1024

XmpValues = dict[str, list[str]]


class XmpError(PhotoDeskError, ValueError):
    """An XMP packet that cannot be read (malformed, too large, or with a DTD/entities)."""


def parse_xmp(packet: bytes | str) -> XmpValues:
    """All properties of an XMP packet as ``{"prefix:name": [values...]}``.

    Prefixes are the usual ones from :data:`NS` whatever the packet declares.

    Raises:
        XmpError: the packet is malformed, oversized, or declares a DTD or entities.
    """
    from defusedxml import DefusedXmlException  # noqa: PLC0415 - loaded with the worker
    from defusedxml.ElementTree import ParseError, fromstring  # noqa: PLC0415

    raw = packet.encode("utf-8") if isinstance(packet, str) else packet
    if len(raw) > MAX_PACKET_BYTES:
        raise XmpError(f"the XMP packet is larger than {MAX_PACKET_BYTES // 2**20} MiB")
    if b"<!DOCTYPE" in raw or b"<!ENTITY" in raw:
        raise XmpError("the XMP packet declares a DTD or entities, which are not allowed")
    body = raw
    # The packet's root: x:xmpmeta, x:xapmeta (toolkits before 2004), or a bare rdf:RDF.
    for root_tag in (b"x:xmpmeta", b"x:xapmeta", b"rdf:RDF"):
        start, end = raw.find(b"<" + root_tag), raw.rfind(b"</" + root_tag + b">")
        if 0 <= start < end:
            body = raw[start : end + len(root_tag) + 3]
            break
    try:
        root = fromstring(body, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise XmpError(
            f"the XMP packet declares a DTD or entities ({type(exc).__name__})"
        ) from None
    except (ParseError, ValueError) as exc:
        raise XmpError(f"the XMP packet is not well-formed XML ({exc})") from None
    values: XmpValues = {}
    prefixes = {uri: prefix for prefix, uri in NS.items()}
    descriptions = [
        child
        for rdf in ([root] if root.tag == f"{{{RDF}}}RDF" else root.iter(f"{{{RDF}}}RDF"))
        for child in rdf
        if child.tag == f"{{{RDF}}}Description"
    ]
    for description in descriptions:
        _collect(description, "", prefixes, values)
    return values


def _collect(node: Element, path: str, prefixes: dict[str, str], values: XmpValues) -> None:
    """Add the properties of a description or struct to ``values``.

    Both attributes and elements are read; a struct's fields go under ``"prop/field"``.
    """
    for name, value in node.attrib.items():
        key = _short(name, prefixes)
        if key and value.strip():
            values.setdefault(path + key, []).append(value.strip())
    for child in node:
        key = _short(child.tag, prefixes)
        if key:
            _property(child, path + key, prefixes, values)


def _property(element: Element, key: str, prefixes: dict[str, str], values: XmpValues) -> None:
    """One property: plain text, a URI, an array (x-default first for an Alt) or a struct."""
    for container in ("Alt", "Seq", "Bag"):
        array = element.find(f"{{{RDF}}}{container}")
        if array is not None:
            items = [li for li in array if li.tag == f"{{{RDF}}}li"]
            if container == "Alt":
                items.sort(key=lambda li: li.get(XML_LANG) != "x-default")
            for item in items:
                _value(item, key, prefixes, values)
            return
    _value(element, key, prefixes, values)


def _value(element: Element, key: str, prefixes: dict[str, str], values: XmpValues) -> None:
    """A single value: text, ``rdf:resource``, or a struct in any of RDF's three forms."""
    nested = element.find(f"{{{RDF}}}Description")
    if nested is not None:
        _collect(nested, key + "/", prefixes, values)
        return
    fields = [name for name in element.attrib if _short(name, prefixes)]
    if element.get(f"{{{RDF}}}parseType") == "Resource" or fields or len(element):
        _collect(element, key + "/", prefixes, values)
        if fields or len(element):
            return
    resource = element.get(f"{{{RDF}}}resource")
    text = resource if resource is not None else (element.text or "")
    if text.strip():
        values.setdefault(key, []).append(text.strip())


def _short(tag: str, prefixes: dict[str, str]) -> str:
    if not tag.startswith("{"):
        return ""
    uri, _, local = tag[1:].partition("}")
    prefix = prefixes.get(uri)
    return f"{prefix}:{local}" if prefix else ""
