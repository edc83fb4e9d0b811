"""The record of what one photo file says about itself (:class:`PhotoMetadata`).

Kept apart from the readers (:mod:`viewer.metadata.reader`) so that the window's process,
which receives these records from the worker processes, does not load the parsers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from viewer.metadata.fields import LIST_JOINER
from viewer.metadata.flags import Flag

if TYPE_CHECKING:
    from viewer.metadata.provenance import Provenance


@dataclass(frozen=True)
class PhotoMetadata:
    """Metadata of one file; empty strings, empty tuples and None mean "not recorded".

    ``sources`` says where each field's value came from (``(field, source)`` pairs:
    "EXIF", "XMP", "IPTC", a non-standard IPTC place, "sidecar photo.xmp"...) and
    ``flags`` what a careful editor must check (see :mod:`viewer.metadata.flags`).
    ``provenance`` is what the file's Content Credentials say, None when it has none.
    """

    title: str = ""
    headline: str = ""
    caption: str = ""
    alt_text: str = ""
    extended_description: str = ""
    keywords: tuple[str, ...] = ()
    caption_writer: str = ""
    instructions: str = ""
    credit: str = ""
    bylines: tuple[str, ...] = ()
    byline_title: str = ""
    copyright: str = ""
    usage_terms: str = ""
    source: str = ""
    job_id: str = ""
    sublocation: str = ""
    city: str = ""
    state: str = ""
    country: str = ""
    country_code: str = ""
    event: str = ""
    persons: tuple[str, ...] = ()
    digital_source_type: str = ""
    gps: tuple[float, float] | None = None
    make: str = ""
    model: str = ""
    lens: str = ""
    exposure_time: str = ""
    f_number: str = ""
    iso: str = ""
    focal_length: str = ""
    software: str = ""
    date_taken: dt.datetime | None = None
    orientation: int = 1
    width: int | None = None
    height: int | None = None
    sources: tuple[tuple[str, str], ...] = ()
    flags: tuple[Flag, ...] = ()
    problems: tuple[str, ...] = ()
    provenance: Provenance | None = None

    @property
    def byline(self) -> str:
        """The by-line as one text (several creators joined with "; ")."""
        return LIST_JOINER.join(self.bylines)

    @property
    def camera(self) -> str:
        """Make and model without the make repeated (``Canon Canon EOS 7D`` reads badly)."""
        make, model = self.make.strip(), self.model.strip()
        if make and model.lower().startswith(make.split()[0].lower()):
            return model
        return " ".join(part for part in (make, model) if part)

    @property
    def credit_line(self) -> str:
        """What a caption's credit says: the credit, else the by-line, else the copyright."""
        return self.credit or self.byline or self.copyright

    @property
    def credit_text(self) -> str:
        """By-line, credit and copyright as a caption's credit line says them, e.g.

        ``Jane Doe / Reuters · © 2021 Reuters``; a part another already says is left out.
        """
        who = [self.byline] if self.byline else []
        if self.credit and self.credit not in who:
            who.append(self.credit)
        parts = [" / ".join(who)] if who else []
        if self.copyright and self.copyright not in who:
            parts.append(self.copyright)
        return " · ".join(parts)

    @property
    def heading(self) -> str:
        """What to call the photo: its Title, else its Headline ("" when neither)."""
        return self.title or self.headline

    def exposure_summary(self) -> str:
        """One line such as ``50 mm · f/2.8 · 1/250 s · ISO 400``, or ""."""
        parts = [self.focal_length, self.f_number, self.exposure_time]
        if self.iso:
            parts.append(f"ISO {self.iso}")
        return " · ".join(p for p in parts if p)

    def source_of(self, name: str) -> str:
        """Where field ``name`` came from ("" when it is empty)."""
        return dict(self.sources).get(name, "")

    def flags_for(self, name: str) -> tuple[Flag, ...]:
        """The flags raised for field ``name``."""
        return tuple(f for f in self.flags if f.field == name)

    def value(self, name: str) -> str | tuple[str, ...]:
        """A caption field by its export key (``byline`` as the list of creators)."""
        if name == "byline":
            return self.bylines
        value: str | tuple[str, ...] = getattr(self, name)
        return value
