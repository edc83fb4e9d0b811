"""The newsroom's caption fields and how EXIF, IPTC, XMP and sidecars are reconciled.

Every field is read as ExifTool's MWG module reads its composite tags (and fields the
MWG does not name by the same pattern), then the file's other places fill what is
still empty:

1. EXIF, for caption, by-line and copyright, when not blank (MWG: EXIF wins).
2. XMP, when the file has no IPTC in its standard place, or when it has and the IPTC
   digest Photoshop stored says the XMP is in step with it (or no digest is stored).
3. Otherwise the IPTC: a tool that ignores XMP edited it after the XMP was written.
   An IPTC value exactly as long as IIM allows that begins the XMP value is the XMP
   value cut, and the XMP's full text is used.
4. Still empty: IPTC found outside its standard place (a FotoStation or AFCP trailer,
   a second IPTC block, PNG text), as ExifTool reads it outside strict MWG mode.
5. Still empty: the XMP sidecar (``photo.jpg.xmp``, else ``photo.xmp``). The file's
   own value always wins; a sidecar that says otherwise is flagged.

For city, state, country and sublocation the XMP value is Location Shown's when the
file has one (all of them, when the picture shows several places), else the legacy
Photoshop/IPTC Core property, as ExifTool's MWG module reads them.

Each field's source is recorded ("EXIF", "XMP", "IPTC", the non-standard place, or
"sidecar <name>") and the :mod:`flags <viewer.metadata.flags>` a careful editor must see.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from viewer.metadata import iptc
from viewer.metadata.flags import CHARSET, CONFLICT, MOJIBAKE, TRUNCATED, Flag
from viewer.metadata.iptc import IptcRecord
from viewer.metadata.text import double_encoded, mwg_string_to_list

if TYPE_CHECKING:
    from viewer.metadata.xmp import XmpValues  # the XML parser loads with the reader

_SHOWN = "Iptc4xmpExt:LocationShown/Iptc4xmpExt:"


@dataclass(frozen=True)
class Spec:
    """Where one field lives.

    Attributes:
        name: the export key and PhotoMetadata attribute.
        label: the field's name for people.
        xmp: XMP properties, the first that has a value wins.
        iim: the IIM dataset, or None for XMP-only fields.
        exif: the EXIF text that wins over both ("description", "artist", "copyright").
        many: a list (by-line, keywords, persons shown) rather than one text.
        every_xmp: take every value of the XMP property (Location Shown's places), not
            only the first (the x-default language of an Alt).
    """

    name: str
    label: str
    xmp: tuple[str, ...]
    iim: iptc.Key | None = None
    exif: str = ""
    many: bool = False
    every_xmp: bool = False


SPECS = (
    Spec("title", "Title", ("dc:title",), iptc.OBJECT_NAME),
    Spec("headline", "Headline", ("photoshop:Headline",), iptc.HEADLINE),
    Spec("caption", "Caption", ("dc:description",), iptc.CAPTION, exif="description"),
    Spec("alt_text", "Alt text", ("Iptc4xmpCore:AltTextAccessibility",)),
    Spec("extended_description", "Extended description", ("Iptc4xmpCore:ExtDescrAccessibility",)),
    Spec("keywords", "Keywords", ("dc:subject",), iptc.KEYWORDS, many=True),
    Spec("caption_writer", "Caption writer", ("photoshop:CaptionWriter",), iptc.CAPTION_WRITER),
    Spec("instructions", "Instructions", ("photoshop:Instructions",), iptc.INSTRUCTIONS),
    Spec("credit", "Credit", ("photoshop:Credit",), iptc.CREDIT),
    Spec("byline", "By-line", ("dc:creator",), iptc.BYLINE, exif="artist", many=True),
    Spec("byline_title", "By-line title", ("photoshop:AuthorsPosition",), iptc.BYLINE_TITLE),
    Spec("copyright", "Copyright", ("dc:rights",), iptc.COPYRIGHT, exif="copyright"),
    Spec("usage_terms", "Usage terms", ("xmpRights:UsageTerms",)),
    Spec("source", "Source", ("photoshop:Source",), iptc.SOURCE),
    Spec("job_id", "Job ID", ("photoshop:TransmissionReference",), iptc.JOB_ID),
    Spec(
        "sublocation",
        "Sublocation",
        (_SHOWN + "Sublocation", "Iptc4xmpCore:Location"),
        iptc.SUBLOCATION,
        every_xmp=True,
    ),
    Spec("city", "City", (_SHOWN + "City", "photoshop:City"), iptc.CITY, every_xmp=True),
    Spec(
        "state",
        "State or province",
        (_SHOWN + "ProvinceState", "photoshop:State"),
        iptc.STATE,
        every_xmp=True,
    ),
    Spec(
        "country",
        "Country",
        (_SHOWN + "CountryName", "photoshop:Country"),
        iptc.COUNTRY,
        every_xmp=True,
    ),
    Spec("country_code", "Country code", ("Iptc4xmpCore:CountryCode",), iptc.COUNTRY_CODE),
    Spec("event", "Event", ("Iptc4xmpExt:Event",)),
    Spec("persons", "Persons shown", ("Iptc4xmpExt:PersonInImage",), many=True),
    Spec("digital_source_type", "Digital source type", ("Iptc4xmpExt:DigitalSourceType",)),
)
SPEC_BY_NAME = {spec.name: spec for spec in SPECS}
LIST_JOINER = "; "


@dataclass
class Found:
    """What one file (and its sidecar) holds, before reconciliation.

    Attributes:
        exif: EXIF texts by name ("description", "artist", "copyright"), decoded.
        exif_encodings: how EXIF texts that are not UTF-8 were read, by name.
        xmp: the file's XMP.
        iptc: the IPTC blocks, the standard one first (when there is one).
        digest: "match", "mismatch" or "none" (no stored digest, or no standard IPTC).
        sidecar: the sidecar's XMP, and its file name.
    """

    exif: dict[str, str] = field(default_factory=dict)
    exif_encodings: dict[str, str] = field(default_factory=dict)
    xmp: XmpValues = field(default_factory=dict)
    iptc: list[IptcRecord] = field(default_factory=list)
    digest: str = "none"
    sidecar: XmpValues = field(default_factory=dict)
    sidecar_name: str = ""

    @property
    def standard_iptc(self) -> IptcRecord | None:
        """The IPTC block in the place the MWG reads, if the file has one."""
        return self.iptc[0] if self.iptc and self.iptc[0].standard else None


@dataclass
class Reading:
    """One field as reconciled: its values, where they came from, and its flags."""

    values: list[str]
    source: str
    flags: list[Flag]


def reconcile(spec: Spec, found: Found) -> Reading:
    """Read one field from everything the file holds (see the module's rules)."""
    exif = _exif_values(spec, found)
    xmp = _xmp_values(spec, found.xmp)
    standard = found.standard_iptc
    iim = standard.text(spec.iim) if standard is not None and spec.iim else []
    if exif:
        values, source = exif, "EXIF"
    elif standard is None or (xmp and found.digest != "mismatch"):
        values, source = xmp, "XMP"
    else:
        values = _recover_truncated(iim, xmp, iptc.LIMITS.get(spec.iim or (0, 0), 0))
        source = "XMP" if values and values == xmp[: len(values)] and values != iim else "IPTC"
    if not values and spec.iim:
        for record in found.iptc:
            if not record.standard and record.text(spec.iim):
                values, source = record.text(spec.iim), record.where
                break
    sidecar = _xmp_values(spec, found.sidecar)
    if not values and sidecar:
        values, source = sidecar, f"sidecar {found.sidecar_name}"
    reading = Reading(values, source if values else "", [])
    reading.flags = _disagreements(spec, found, exif, xmp, iim, reading)
    reading.flags += _encoding_flags(spec, found, values, reading.source)
    return reading


def _exif_values(spec: Spec, found: Found) -> list[str]:
    text = found.exif.get(spec.exif, "") if spec.exif else ""
    if not text.strip(" "):
        return []
    if spec.exif == "artist":
        return [v.strip() for v in mwg_string_to_list(text.strip()) if v.strip()]
    return [text.strip()]


def _xmp_values(spec: Spec, xmp: XmpValues) -> list[str]:
    for name in spec.xmp:
        values = [v for v in xmp.get(name, []) if v]
        if values:
            return values if spec.many or spec.every_xmp else values[:1]
    return []


def _recover_truncated(iim: list[str], xmp: list[str], limit: int) -> list[str]:
    """IIM values cut at their length limit, replaced by the XMP values they begin."""
    recovered = []
    for index, value in enumerate(iim):
        full = xmp[index] if index < len(xmp) else None
        raw = value.encode("utf-8")
        if (
            full is not None
            and limit
            and len(raw) == limit
            and len(full.encode("utf-8")) > limit
            and full.encode("utf-8")[:limit] == raw
        ):
            recovered.append(full)
        else:
            recovered.append(value)
    return recovered


def _same(first: Sequence[str], second: Sequence[str], spec: Spec) -> bool:
    def norm(values: Sequence[str]) -> list[str]:
        cleaned = [
            re.sub(r"\s+", " ", v.replace("(c)", "©").replace("(C)", "©")).strip() for v in values
        ]
        return sorted(cleaned) if spec.many else cleaned

    return norm(first) == norm(second)


def _shown(values: Sequence[str]) -> str:
    text = LIST_JOINER.join(values)
    return f"“{text[:80]}…”" if len(text) > 80 else f"“{text}”"


def _disagreements(
    spec: Spec, found: Found, exif: list[str], xmp: list[str], iim: list[str], reading: Reading
) -> list[Flag]:
    flags = []
    limit = iptc.LIMITS.get(spec.iim or (0, 0), 0)
    standard = found.standard_iptc
    raws = standard.raw.get(spec.iim, []) if standard is not None and spec.iim else []
    # The XMP property that mirrors the IIM dataset (Location Shown has no IIM twin).
    mirror = _xmp_values(Spec(spec.name, spec.label, spec.xmp[-1:], many=spec.many), found.xmp)
    full = [v for v in mirror if len(v.encode("utf-8")) > limit]
    cut = limit > 3 and any(len(raw) == limit for raw in raws)  # codes are always 3 long
    if cut and (full or not mirror):
        flags.append(
            Flag(
                spec.name,
                TRUNCATED,
                f"{spec.label}: the IPTC value is {limit} bytes long, the most IPTC allows, "
                + (
                    "so it was cut (XMP holds the full text)" if full else "so it may have been cut"
                ),
            )
        )
    recovered = _recover_truncated(iim, xmp, limit)
    if iim and mirror and not _same(_recover_truncated(iim, mirror, limit), mirror, spec):
        why = f"{reading.source or 'neither'} is shown"
        if found.digest == "mismatch" and reading.source == "IPTC":
            why += ": it was changed after the XMP (the IPTC digest says so)"
        elif reading.source == "EXIF":
            why += " (MWG rule)"
        flags.append(
            Flag(
                spec.name,
                CONFLICT,
                f"{spec.label}: IPTC says {_shown(iim)} but XMP says {_shown(mirror)}; {why}",
            )
        )
    iptc_shown = bool(recovered) and (found.digest == "mismatch" or not xmp)
    others = recovered if iptc_shown else xmp
    if exif and others and not _same(exif, others, spec):
        flags.append(
            Flag(
                spec.name,
                CONFLICT,
                f"{spec.label}: EXIF says {_shown(exif)} but {'IPTC' if iptc_shown else 'XMP'} "
                f"says {_shown(others)}; EXIF is shown (MWG rule)",
            )
        )
    sidecar = _xmp_values(spec, found.sidecar)
    shown = reading.values
    from_file = not reading.source.startswith("sidecar")
    if sidecar and shown and from_file and not _same(sidecar, shown, spec):
        flags.append(
            Flag(
                spec.name,
                CONFLICT,
                f"{spec.label}: the sidecar {found.sidecar_name} says {_shown(sidecar)}; "
                "the file's own value is shown",
            )
        )
    return flags


def _encoding_flags(spec: Spec, found: Found, values: list[str], source: str) -> list[Flag]:
    flags = []
    if spec.iim:
        for record in found.iptc:
            guessed = record.undeclared_non_ascii(spec.iim)
            if guessed and (record.standard or source == record.where):
                flags.append(
                    Flag(
                        spec.name,
                        CHARSET,
                        f"{spec.label}: the IPTC text has accented or other non-ASCII "
                        f"letters but no character-set marker (1:90); read as {guessed}",
                    )
                )
                break
    encoding = found.exif_encodings.get(spec.exif, "") if spec.exif else ""
    if encoding and source == "EXIF":
        flags.append(
            Flag(
                spec.name,
                CHARSET,
                f"{spec.label}: the EXIF text is not UTF-8; read as {encoding}",
            )
        )
    for value in values:
        repaired = double_encoded(value)
        if repaired is not None:
            flags.append(
                Flag(
                    spec.name,
                    MOJIBAKE,
                    f"{spec.label}: {_shown([value])} looks double-encoded; "
                    f"it probably says {_shown([repaired])}",
                )
            )
            break
    return flags
