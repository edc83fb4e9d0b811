"""Where each caption field is written: its XMP property, its IPTC dataset, its EXIF tag.

The mapping follows the Metadata Working Group's guidelines (and ExifTool's MWG
module) for the fields the MWG names, and the same pattern for the others, so that
:mod:`viewer.metadata.fields` (our reader) and ExifTool read back what was written:

* XMP always, in the property the reader reads first (a language alternative's
  ``x-default`` entry, a Bag or a Seq for lists);
* the IIM dataset when the field has one, cut at the dataset's length limit on a
  character boundary (the XMP keeps the whole text);
* EXIF ImageDescription, Artist and Copyright for caption, by-line and copyright, only
  in files that already hold that tag.

Values are checked and normalised here (:func:`normalise`): text without leading or
trailing white space, lists without empty items, and no character XMP cannot store.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

from viewer.metadata import iptc

FieldValue = str | tuple[str, ...]

TEXT = "text"
LANG_ALT = "lang-alt"
BAG = "bag"
SEQ = "seq"


@dataclass(frozen=True)
class Place:
    """Where one editable field lives.

    Attributes:
        name: the field (an :data:`EDITABLE` name, as ``--export-metadata`` calls it).
        label: the field's name for people.
        xmp: the exiv2 key of the XMP property (``Xmp.dc.description``).
        kind: how the XMP property holds it: :data:`TEXT`, :data:`LANG_ALT`, :data:`BAG`
            or :data:`SEQ`.
        iim: the IIM dataset, or None for XMP-only fields.
        exif: the exiv2 key of the EXIF tag written when the file has it, or "".
        shown: the field of Location Shown (``Iptc4xmpExt:City``) the reader prefers,
            or "" for fields that are not a place.
    """

    name: str
    label: str
    xmp: str
    kind: str
    iim: iptc.Key | None = None
    exif: str = ""
    shown: str = ""

    @property
    def many(self) -> bool:
        """Whether the field is a list (by-line, keywords, persons shown)."""
        return self.kind in (BAG, SEQ)

    @property
    def limit(self) -> int:
        """The IIM dataset's length limit in bytes (0 for XMP-only fields)."""
        return iptc.LIMITS.get(self.iim, 0) if self.iim else 0


PLACES = (
    Place("title", "Title", "Xmp.dc.title", LANG_ALT, iptc.OBJECT_NAME),
    Place("headline", "Headline", "Xmp.photoshop.Headline", TEXT, iptc.HEADLINE),
    Place(
        "caption",
        "Caption",
        "Xmp.dc.description",
        LANG_ALT,
        iptc.CAPTION,
        exif="Exif.Image.ImageDescription",
    ),
    Place("alt_text", "Alt text", "Xmp.iptc.AltTextAccessibility", LANG_ALT),
    Place(
        "extended_description",
        "Extended description",
        "Xmp.iptc.ExtDescrAccessibility",
        LANG_ALT,
    ),
    Place("credit", "Credit", "Xmp.photoshop.Credit", TEXT, iptc.CREDIT),
    Place("byline", "By-line", "Xmp.dc.creator", SEQ, iptc.BYLINE, exif="Exif.Image.Artist"),
    Place(
        "byline_title", "By-line title", "Xmp.photoshop.AuthorsPosition", TEXT, iptc.BYLINE_TITLE
    ),
    Place(
        "copyright",
        "Copyright",
        "Xmp.dc.rights",
        LANG_ALT,
        iptc.COPYRIGHT,
        exif="Exif.Image.Copyright",
    ),
    Place("usage_terms", "Usage terms", "Xmp.xmpRights.UsageTerms", LANG_ALT),
    Place("source", "Source", "Xmp.photoshop.Source", TEXT, iptc.SOURCE),
    Place("instructions", "Instructions", "Xmp.photoshop.Instructions", TEXT, iptc.INSTRUCTIONS),
    Place("job_id", "Job ID", "Xmp.photoshop.TransmissionReference", TEXT, iptc.JOB_ID),
    Place("keywords", "Keywords", "Xmp.dc.subject", BAG, iptc.KEYWORDS),
    Place(
        "sublocation",
        "Sublocation",
        "Xmp.iptc.Location",
        TEXT,
        iptc.SUBLOCATION,
        shown="Iptc4xmpExt:Sublocation",
    ),
    Place("city", "City", "Xmp.photoshop.City", TEXT, iptc.CITY, shown="Iptc4xmpExt:City"),
    Place(
        "state",
        "State or province",
        "Xmp.photoshop.State",
        TEXT,
        iptc.STATE,
        shown="Iptc4xmpExt:ProvinceState",
    ),
    Place(
        "country",
        "Country",
        "Xmp.photoshop.Country",
        TEXT,
        iptc.COUNTRY,
        shown="Iptc4xmpExt:CountryName",
    ),
    Place("country_code", "Country code", "Xmp.iptc.CountryCode", TEXT, iptc.COUNTRY_CODE),
    Place("event", "Event", "Xmp.iptcExt.Event", LANG_ALT),
    Place("persons", "Persons shown", "Xmp.iptcExt.PersonInImage", BAG),
)
# Not edited, but brought in step with IPTC like the others (see viewer.metadata.inplace).
CAPTION_WRITER = Place(
    "caption_writer", "Caption writer", "Xmp.photoshop.CaptionWriter", TEXT, iptc.CAPTION_WRITER
)
PLACE_BY_NAME = {place.name: place for place in (*PLACES, CAPTION_WRITER)}
EDITABLE: tuple[str, ...] = tuple(place.name for place in PLACES)
LIST_FIELDS: frozenset[str] = frozenset(place.name for place in PLACES if place.many)
LOCATION_SHOWN = "Xmp.iptcExt.LocationShown"


class ValueRefusedError(ValueError):
    """A value that cannot be stored as given (a character XMP cannot hold)."""


def normalise(changes: Mapping[str, FieldValue]) -> dict[str, FieldValue]:
    """The changes checked and tidied: text stripped, list items stripped, empties dropped.

    Raises:
        ValueError: a field that is not editable, or a value of the wrong type (a list
            field takes a tuple of strings, the others a string).
        ValueRefusedError: a value holds a character XMP cannot store.
    """
    tidy: dict[str, FieldValue] = {}
    for name, value in changes.items():
        place = PLACE_BY_NAME.get(name)
        if place is None or name not in EDITABLE:
            raise ValueError(f"{name!r} is not an editable field (see EDITABLE)")
        if place.many:
            if isinstance(value, str) or not all(isinstance(item, str) for item in value):
                raise ValueError(f"{name} takes a tuple of strings, not {value!r}")
            items = tuple(item.strip() for item in value)
            tidy[name] = tuple(dict.fromkeys(item for item in items if item))
            for item in tidy[name]:
                _check_characters(place, item)
        else:
            if not isinstance(value, str):
                raise ValueError(f"{name} takes a string, not {value!r}")
            tidy[name] = value.strip()
            _check_characters(place, value)
    return tidy


def _check_characters(place: Place, text: str) -> None:
    for char in text:
        code = ord(char)
        allowed = (
            char in "\t\n\r"
            or 0x20 <= code <= 0xD7FF
            or 0xE000 <= code <= 0xFFFD
            or 0x10000 <= code <= 0x10FFFF
        )
        if not allowed:
            raise ValueRefusedError(
                f"the {place.label.lower()} holds a character that XMP cannot store (U+{code:04X})"
            )


def cut_utf8(text: str, limit: int) -> tuple[bytes, bool]:
    """``text`` as UTF-8, cut to at most ``limit`` bytes on a character boundary.

    A combining mark, a variation selector or a joiner is never left without the
    character it belongs to: the cut moves back to the start of that character. Returns
    the bytes and whether anything was cut.
    """
    raw = text.encode("utf-8")
    if not limit or len(raw) <= limit:
        return raw, False
    end = len(raw[:limit].decode("utf-8", errors="ignore"))
    while end > 0 and _joins_previous(text[end]):
        end -= 1  # the character at the cut belongs to the one before: cut before both
    return text[:end].encode("utf-8"), True


def _joins_previous(char: str) -> bool:
    """Whether ``char`` belongs to the character before it (marks, selectors, joiners)."""
    if not char:
        return False
    code = ord(char)
    return (
        unicodedata.combining(char) != 0
        or unicodedata.category(char) == "Mn"
        or 0xFE00 <= code <= 0xFE0F
        or 0xE0100 <= code <= 0xE01EF
        or 0x1F3FB <= code <= 0x1F3FF  # skin tones
        or code in (0x200D, 0x20E3)
    )


def mwg_list(items: tuple[str, ...]) -> str:
    """A list as one string the MWG way (EXIF Artist): ``A; B``.

    An item holding ``"; "`` or starting with a quote is quoted, its quotes doubled;
    :func:`viewer.metadata.text.mwg_string_to_list` reads it back.
    """
    parts = []
    for item in items:
        if "; " in item or item.startswith('"'):
            parts.append('"' + item.replace('"', '""') + '"')
        else:
            parts.append(item)
    return "; ".join(parts)


def shown(value: FieldValue) -> str:
    """A value quoted for a message, shortened when long."""
    text = "; ".join(value) if isinstance(value, tuple) else value
    return f"“{text[:60]}…”" if len(text) > 60 else f"“{text}”"
