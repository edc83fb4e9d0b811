"""XMP: the RDF/XML packet many tools embed, read safely into plain values.

The packet is parsed with defusedxml, which refuses DTDs and entity declarations (the
"billion laughs" and external-entity attacks), then walked once: every property of
every ``rdf:Description`` is collected, whether written as an attribute or as an
element, as a plain value, an ``rdf:Alt`` (the ``x-default`` language first), or an
``rdf:Seq``/``rdf:Bag`` list.
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
}
MAX_PACKET_BYTES = 4 * 1024 * 1024

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
    for description in root.iter(f"{{{RDF}}}Description"):
        for name, value in description.attrib.items():
            key = _short(name, prefixes)
            if key and value.strip():
                values.setdefault(key, []).append(value.strip())
        for child in description:
            key = _short(child.tag, prefixes)
            if key:
                found = _values_of(child)
                if found:
                    values.setdefault(key, []).extend(found)
    return values


def _short(tag: str, prefixes: dict[str, str]) -> str:
    if not tag.startswith("{"):
        return ""
    uri, _, local = tag[1:].partition("}")
    prefix = prefixes.get(uri)
    return f"{prefix}:{local}" if prefix else ""


def _values_of(element: Element) -> list[str]:
    """The text of a property: plain, the items of an array, x-default first for Alt."""
    for container in ("Alt", "Seq", "Bag"):
        array = element.find(f"{{{RDF}}}{container}")
        if array is not None:
            items = [li for li in array if li.tag == f"{{{RDF}}}li"]
            if container == "Alt":
                items.sort(key=lambda li: li.get(XML_LANG) != "x-default")
            return [text for li in items if (text := "".join(li.itertext()).strip())]
    resource = element.get(f"{{{RDF}}}resource")
    if resource:
        return [resource.strip()]
    text = "".join(element.itertext()).strip()
    return [text] if text else []
