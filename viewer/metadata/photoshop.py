"""Photoshop image resources ("8BIM" blocks): where JPEG, TIFF and PSD keep IPTC.

A resource stream is a run of ``signature id name size data`` records, each padded to
an even length. Resource 0x0404 holds an IPTC-IIM block, 0x0425 the MD5 digest of the
IPTC block as it was when the XMP was last synchronised with it (the MWG's way to tell
whether a tool that ignores XMP changed the IPTC since), 0x0424 an XMP packet.
"""

from __future__ import annotations

import struct

IPTC = 0x0404
XMP = 0x0424
IPTC_DIGEST = 0x0425
HEADER = b"Photoshop 3.0\x00"
OLD_HEADER = b"Adobe_Photoshop2.5:"  # JPEGs from Photoshop 2.5, 27 bytes of header
_SIGNATURES = (b"8BIM", b"MeSa", b"PHUT", b"AgHg", b"DCSR")


def resources(data: bytes) -> list[tuple[int, bytes]]:
    """The (id, data) of each resource in ``data``, in order.

    Reading stops at the first record that is not one: a truncated or damaged stream
    keeps what came before.
    """
    found: list[tuple[int, bytes]] = []
    pos = 0
    while pos + 12 <= len(data) and data[pos : pos + 4] in _SIGNATURES:
        (ident,) = struct.unpack_from(">H", data, pos + 4)
        name_length = data[pos + 6]
        pos += 6 + ((name_length + 2) & ~1)  # the Pascal name, padded to even
        if pos + 4 > len(data):
            break
        (size,) = struct.unpack_from(">I", data, pos)
        pos += 4
        if pos + size > len(data):
            break
        found.append((ident, data[pos : pos + size]))
        pos += size + (size & 1)
    return found
