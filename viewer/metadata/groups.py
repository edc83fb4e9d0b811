"""The info panel's content, as plain data and plain text (no Qt).

Every field of a photo is given in groups, with where each value came from and what an
editor must check.

:func:`metadata_groups` gives ``(group, [Row])`` pairs, empty rows left out; the first
group, "Check before publishing", lists the flags raised while reading (conflicts, cut
IPTC values, undeclared encodings, double-encoded text, synthetic pictures) and
Content Credentials that do not hold. "Provenance" starts with what the credentials say
(state, signer, claim generator, date, actions, ingredients, source type), then the
IPTC Digital Source Type. :func:`metadata_text` lays them out as aligned text to show,
select and copy.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from viewer.fileaccess import display_name
from viewer.metadata.fields import SPEC_BY_NAME
from viewer.metadata.flags import (
    CHARSET,
    CONFLICT,
    MOJIBAKE,
    SYNTHETIC,
    TRUNCATED,
    source_type_code,
    source_type_words,
)
from viewer.metadata.photo import PhotoMetadata

if TYPE_CHECKING:
    from viewer.metadata.provenance import Provenance

CHECK = "Check before publishing"
CREDENTIALS = "C2PA"  # the source column of what the Content Credentials say
_STATE_WORDS = {
    "valid": "Intact (picture and signature as signed); the signer is not among your trust anchors",
    "trusted": "Intact and trusted (picture and signature as signed, by a signer you trust)",
}
GROUPS = (
    CHECK,
    "Description",
    "Credit and rights",
    "Location",
    "People and event",
    "Provenance",
    "Camera",
    "Exposure",
    "File",
)
_FIELDS_BY_GROUP = {
    "Description": (
        "title",
        "headline",
        "caption",
        "alt_text",
        "extended_description",
        "keywords",
        "caption_writer",
        "instructions",
    ),
    "Credit and rights": ("credit", "byline", "byline_title", "copyright", "usage_terms", "source"),
    "Location": ("sublocation", "city", "state", "country", "country_code"),
    "People and event": ("persons", "event"),
    "Provenance": ("digital_source_type", "job_id"),
}
_FLAG_LABELS = {
    CONFLICT: "Sources disagree",
    TRUNCATED: "Cut short",
    CHARSET: "Encoding",
    MOJIBAKE: "Garbled text",
    SYNTHETIC: "Not a photograph",
}


class Row(NamedTuple):
    """One line of the panel: a label, the value, and where the value came from.

    ``source`` is "" for values the file does not store as such, like the file's size.
    """

    label: str
    value: str
    source: str


Groups = list[tuple[str, list[Row]]]


def metadata_groups(path: Path, meta: PhotoMetadata | None) -> Groups:
    """The panel's content as ``(group, rows)`` in :data:`GROUPS` order.

    Empty rows and empty groups are left out.
    """
    if meta is None:
        return [("File", [Row("Name", display_name(path.name), ""), _folder(path)])]
    groups: dict[str, list[Row]] = {CHECK: [_flag_row(f.kind, f.message) for f in meta.flags]}
    provenance = meta.provenance
    if provenance is not None and provenance.state == "invalid":
        groups[CHECK].append(Row("Content Credentials", provenance.summary(), ""))
    for group, names in _FIELDS_BY_GROUP.items():
        groups[group] = [_field_row(meta, name) for name in names]
    groups["Provenance"][:0] = _credential_rows(provenance)
    gps = f"{meta.gps[0]:.6f}, {meta.gps[1]:.6f}" if meta.gps else ""
    groups["Location"].append(Row("GPS", gps, meta.source_of("gps")))
    groups["Camera"] = [
        Row("Make", meta.make, ""),
        Row("Model", meta.model, ""),
        Row("Lens", meta.lens, ""),
        Row("Software", meta.software, ""),
    ]
    taken = meta.date_taken.isoformat(sep=" ") if isinstance(meta.date_taken, dt.datetime) else ""
    groups["Exposure"] = [
        Row("Taken", taken, meta.source_of("date_taken")),
        Row("Exposure", meta.exposure_time, ""),
        Row("Aperture", meta.f_number, ""),
        Row("ISO", meta.iso, ""),
        Row("Focal length", meta.focal_length, ""),
    ]
    groups["File"] = [
        Row("Name", display_name(path.name), ""),
        _folder(path),
        Row("Size", _size(path), ""),
        Row("Pixels", f"{meta.width} × {meta.height}" if meta.width else "", ""),
        Row("Orientation", str(meta.orientation), ""),
        Row("Problems", "; ".join(meta.problems), ""),
    ]
    return [
        (group, [row for row in groups[group] if row.value])
        for group in GROUPS
        if any(row.value for row in groups[group])
    ]


def _field_row(meta: PhotoMetadata, name: str) -> Row:
    spec = SPEC_BY_NAME[name]
    value = meta.value(name)
    if isinstance(value, tuple):
        text = ("; " if name == "byline" else ", ").join(value)
    elif name == "digital_source_type" and value:
        words = source_type_words(value)
        code = source_type_code(value)
        text = words if words == value.strip() else f"{words} ({code})"
    else:
        text = value
    return Row(spec.label, text, meta.source_of(name))


def _credential_rows(provenance: Provenance | None) -> list[Row]:
    """What the Content Credentials say, row by row (none for a photo without them)."""
    if provenance is None or provenance.state == "none":
        return []
    state = _STATE_WORDS.get(provenance.state) or provenance.summary()
    source_type = ""
    if provenance.source_type:
        code = source_type_code(provenance.source_type)
        source_type = f"{source_type_words(provenance.source_type)} ({code})"
    ai = "Yes: made, or partly made, by generative AI" if provenance.ai_generated else ""
    return [
        Row("Content Credentials", state, CREDENTIALS),
        Row("Signed by", provenance.signer, CREDENTIALS),
        Row("Claim generator", provenance.generator, CREDENTIALS),
        Row("Signed on", provenance.signed_at.replace("T", " "), CREDENTIALS),
        Row("Actions", ", ".join(provenance.actions), CREDENTIALS),
        Row("Ingredients", ", ".join(provenance.ingredients), CREDENTIALS),
        Row("Source type", source_type, CREDENTIALS),
        Row("Generative AI", ai, ""),
    ]


def _flag_row(kind: str, message: str) -> Row:
    return Row(_FLAG_LABELS.get(kind, kind), message, "")


def _folder(path: Path) -> Row:
    return Row("Folder", display_name(path.parent), "")


def _size(path: Path) -> str:
    try:
        return f"{path.stat().st_size:,} bytes"
    except OSError:
        return ""


def metadata_text(path: Path, meta: PhotoMetadata | None, columns: int | None = None) -> str:
    """The groups as plain text, with a heading per group.

    Each row is an aligned ``label  value  [source]`` line; continuation lines of long
    values are indented under the value. With ``columns``, values are wrapped to fit
    that many characters a line, so the columns stay aligned in a narrow panel.
    """
    lines: list[str] = []
    for group, rows in metadata_groups(path, meta):
        lines.append(group.upper())
        width = max(len(row.label) for row in rows)
        room = max(16, columns - width - 4) if columns else 0
        for row in rows:
            source = f"  [{row.source}]" if row.source else ""
            first, *more = row.value.splitlines() or [""]
            value = "\n".join([first + source, *more])  # the source after the first line
            value_lines = _wrapped(value, room) if room else value.splitlines()
            lines.append(f"  {row.label.ljust(width)}  {value_lines[0]}")
            lines.extend(f"  {'':{width}}  {more}" for more in value_lines[1:])
        lines.append("")
    return "\n".join(lines).rstrip()


def _wrapped(text: str, room: int) -> list[str]:
    """``text``'s lines wrapped to ``room`` characters; long words broken only if they must be."""
    out: list[str] = []
    for line in text.splitlines() or [""]:
        out.extend(textwrap.wrap(line, room, break_on_hyphens=False) or [""])
    return out
