r"""Text as metadata stores it: bytes in an unknown 8-bit code page, lists in one string.

EXIF "ASCII" strings and IPTC datasets without a character-set marker carry bytes whose
encoding nobody recorded. The Metadata Working Group asks for UTF-8, and valid UTF-8 is
almost never an accident, so it is tried first. Otherwise the text came from an older
writer: Windows Latin 1 (cp1252, ExifTool's default for IPTC) unless its bytes only make
sense as Mac Roman, as in Photoshop files written on a Mac ("Photoshop\xa8 4.0" reads
"Photoshop¨ 4.0" in cp1252 and "Photoshop® 4.0" in Mac Roman).

Text that was decoded the wrong way once already ("CafÃ©" for "Café") is recognised
by :func:`double_encoded`, so that it can be shown to an editor rather than silently
published.
"""

from __future__ import annotations

import unicodedata

UTF8 = "UTF-8"
CP1252 = "Windows Latin 1"
MAC_ROMAN = "Mac Roman"

_CODECS = {CP1252: "cp1252", MAC_ROMAN: "mac_roman"}
# Characters a real caption or name almost never holds where an 8-bit byte stood: C1
# controls, spacing accents standing alone, and cp1252's holes (decoded through Latin 1).
_IMPLAUSIBLE = {chr(c) for c in (*range(0x80, 0xA0), 0xA4, 0xA6, 0xA8, 0xAC, 0xAF, 0xB4, 0xB8)}
_IMPLAUSIBLE |= {chr(c) for c in (0x2C6, 0x2D8, 0x2D9, 0x2DA, 0x2DB, 0x2DC, 0x2DD)}
# What Mac Roman's upper half holds that reads naturally: letters, and the symbols
# captions use (registered, trade mark, copyright, degree, bullet, dashes, quotes).
_MAC_FRIENDLY = set("®™©°•–—“”…\u2018\u2019")


def _cp1252_char(byte: int) -> str:
    try:
        return bytes([byte]).decode("cp1252")
    except UnicodeDecodeError:
        return chr(byte)


_CP1252_TABLE = tuple(_cp1252_char(b) for b in range(256))
_CP1252_BYTES = {char: byte for byte, char in enumerate(_CP1252_TABLE)}


def decode_legacy(raw: bytes) -> tuple[str, str]:
    """Decode bytes whose encoding was not recorded; returns (text, encoding name).

    UTF-8 when the bytes are valid UTF-8, else Windows Latin 1 unless Mac Roman reads
    clearly better. NUL characters are dropped.
    """
    try:
        return raw.decode("utf-8").replace("\x00", ""), UTF8
    except UnicodeDecodeError:
        pass
    windows = _cp1252(raw)
    mac = raw.decode("mac_roman")
    if _implausibility(windows) > _implausibility(mac):
        return mac.replace("\x00", ""), MAC_ROMAN
    return windows.replace("\x00", ""), CP1252


def _cp1252(raw: bytes) -> str:
    """cp1252, with its five undefined bytes read as Latin 1 (as ExifTool does)."""
    return "".join(_CP1252_TABLE[b] for b in raw)


def _implausibility(text: str) -> int:
    """How many characters of ``text`` a person would not have typed there."""
    score = 0
    for index, char in enumerate(text):
        if char in _IMPLAUSIBLE:
            score += 2
        elif ord(char) > 0x7F and char not in _MAC_FRIENDLY:
            category = unicodedata.category(char)
            if not category.startswith("L"):
                score += 1
            elif category == "Lu" and text[index - 1 : index].islower():
                score += 2  # a capital inside a lower-case word ("CrŽdit")
    return score


def is_ascii(raw: bytes) -> bool:
    """Whether bytes hold only 7-bit ASCII (no encoding question arises)."""
    return all(b < 0x80 for b in raw)


def double_encoded(text: str) -> str | None:
    """What ``text`` most likely said if it is UTF-8 read as an 8-bit code page, else None.

    ``"CafÃ©"`` gives ``"Café"``; ordinary text, even with accents, gives None.
    """
    if is_ascii(text.encode("utf-8")):
        return None
    if any(char not in _CP1252_BYTES for char in text):
        return None  # not all 8-bit characters: not one decoding gone wrong
    try:
        repaired = bytes(_CP1252_BYTES[char] for char in text).decode("utf-8")
    except UnicodeDecodeError:
        return None
    return repaired if repaired != text else None


def mwg_string_to_list(value: str) -> list[str]:
    """Split a string that holds a list the MWG way.

    The form is ``"A; B"``, with quotes around items that contain ``"; "`` or begin with a
    quote. It is used for EXIF Artist, a single string that stands for MWG's list of
    creators.
    """
    items: list[str] = []
    in_quotes = False
    for raw_part in value.split("; "):
        was_quoted, item = in_quotes, raw_part
        if not in_quotes and item.startswith('"'):
            in_quotes, item = True, item[1:]
        if in_quotes:
            # an odd number of quotes at the end closes the quoted item
            if (len(item) - len(item.rstrip('"'))) % 2 == 1:
                in_quotes, item = False, item[:-1]
            item = item.replace('""', '"')
        if was_quoted:
            items[-1] += "; " + item
        else:
            items.append(item)
    return items
