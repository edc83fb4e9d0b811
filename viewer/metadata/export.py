"""``photodesk --export-metadata``: one record per photo, as JSON lines or a CSV sheet.

Paths may be image files, folders (their images, in natural name order) or gallery
manifests (their photos, in gallery order; the caller says how to list them, since
manifests belong to the model layer). Each photo becomes one record with a fixed set of
keys; a file that cannot be read still gets its record, with ``error`` saying why.

JSON (the default) writes one object per line. Its ``provenance`` is what the photo's
Content Credentials say: ``{"state": "none"}`` without them, else an object with
``state``, ``signer``, ``generator``, ``signed_at``, ``actions``, ``ingredients``,
``ai_generated`` (true, false or null) and ``problems``. CSV writes a header row
(:data:`CSV_FIELDS`: ``provenance`` spread over flat ``provenance_*`` columns) and one
row per photo, lists joined with "; ", as UTF-8 with a byte-order mark (what Excel needs
to read UTF-8), and text cells that a spreadsheet would take for a formula (starting with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return) are prefixed with an apostrophe,
so that opening an export never runs what a caption says. Pure Python: no Qt, no
display.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, TextIO

from viewer.errors import PhotoDeskError
from viewer.fileaccess import display_name, is_regular_file, printable
from viewer.files import list_images
from viewer.metadata.fields import LIST_JOINER, SPECS
from viewer.metadata.photo import PhotoMetadata
from viewer.metadata.provenance import Provenance
from viewer.metadata.reader import read_metadata

CAPTION_FIELDS = tuple(spec.name for spec in SPECS)
FIELDS = (
    "file",
    "title",
    "headline",
    "caption",
    "caption_writer",
    "credit",
    "byline",
    "byline_title",
    "copyright",
    "usage_terms",
    "source",
    "instructions",
    "job_id",
    "keywords",
    "sublocation",
    "city",
    "state",
    "country",
    "country_code",
    "event",
    "persons",
    "alt_text",
    "extended_description",
    "digital_source_type",
    "date_taken",
    "orientation",
    "width",
    "height",
    "make",
    "model",
    "gps",
    "flags",
    "provenance",
    "error",
)
# The keys of the ``provenance`` object, beside ``state``.
PROVENANCE_KEYS = (
    "state",
    "signer",
    "generator",
    "signed_at",
    "actions",
    "ingredients",
    "ai_generated",
    "problems",
)
# The CSV header: FIELDS, with the provenance object as flat columns in its place.
CSV_FIELDS = tuple(
    column
    for name in FIELDS
    for column in (
        [f"provenance_{key}" for key in PROVENANCE_KEYS] if name == "provenance" else [name]
    )
)
FORMATS = ("json", "csv")
# What a spreadsheet reads as the start of a formula (full-width forms included).
_FORMULA_STARTS = tuple("=+-@\t\r\uff1d\uff0b\uff0d\uff20")

Reader = Callable[[Path], PhotoMetadata]
GalleryPhotos = Callable[[Path], Sequence[Path]]


def expand(
    paths: Iterable[Path], manifests: Iterable[tuple[Path, list[Path]]] = ()
) -> Iterator[Path]:
    """Photos named by ``paths``: files as given, folders' images in natural order."""
    listed = dict(manifests)
    for path in paths:
        if path in listed:
            yield from listed[path]
        elif path.is_dir():
            yield from list_images(path)
        else:
            yield path


def photos_and_failures(
    paths: Iterable[Path], gallery_photos: GalleryPhotos | None = None
) -> Iterator[tuple[Path, str]]:
    """Each photo named by ``paths`` with "", in the order given.

    A path that could not be listed comes with the reason instead (a broken manifest, an
    unreadable folder).

    ``gallery_photos`` lists a manifest's photos (``.json`` files are manifests when
    it is given); it raises an error with the reason when the manifest is broken.
    """
    for path in paths:
        try:
            if gallery_photos is not None and path.suffix.lower() == ".json":
                if is_regular_file(path):
                    found: Iterable[Path] = list(gallery_photos(path))
                else:
                    found = [path]
            elif path.is_dir():
                found = list_images(path)
            else:
                found = [path]
        except (PhotoDeskError, OSError, ValueError) as exc:
            yield path, printable(str(exc)) or f"{display_name(path)}: could not be listed"
            continue
        for photo in found:
            yield photo, ""


def record(path: Path, metadata: PhotoMetadata) -> dict[str, Any]:
    """The exported object for one photo (keys in :data:`FIELDS` order)."""
    error = None
    if metadata.problems:
        error = f"{display_name(path.name)}: " + "; ".join(metadata.problems)
    if metadata.width is None and not is_regular_file(path):
        error = f"{display_name(path.name)}: the file does not exist or is not a regular file"
    entry: dict[str, Any] = {"file": display_name(path)}
    for name in CAPTION_FIELDS:
        value = metadata.value(name)
        entry[name] = list(value) if isinstance(value, tuple) else (value or None)
    entry.update(
        date_taken=metadata.date_taken.isoformat() if metadata.date_taken else None,
        orientation=metadata.orientation,
        width=metadata.width,
        height=metadata.height,
        make=metadata.make or None,
        model=metadata.model or None,
        gps=list(metadata.gps) if metadata.gps else None,
        flags=[flag.message for flag in metadata.flags],
        provenance=provenance_record(metadata.provenance),
        error=printable(error) if error else None,
    )
    return {key: entry[key] for key in FIELDS}


def provenance_record(provenance: Provenance | None) -> dict[str, Any]:
    """The exported ``provenance`` object: ``{"state": "none"}`` for a photo without any."""
    if provenance is None or provenance.state == "none":
        return {"state": "none"}
    return {
        "state": provenance.state,
        "signer": printable(provenance.signer) or None,
        "generator": printable(provenance.generator) or None,
        "signed_at": provenance.signed_at or None,
        "actions": [printable(action) for action in provenance.actions],
        "ingredients": [printable(title) for title in provenance.ingredients],
        "ai_generated": provenance.ai_generated,
        "problems": [printable(problem) for problem in provenance.problems],
    }


def csv_row(entry: dict[str, Any]) -> list[str | int | float]:
    """One record as the cells of a CSV row, in :data:`CSV_FIELDS` order."""
    flat = {key: value for key, value in entry.items() if key != "provenance"}
    provenance = entry.get("provenance") or {}
    flat.update({f"provenance_{key}": provenance.get(key) for key in PROVENANCE_KEYS})
    return [csv_cell(flat[key]) for key in CSV_FIELDS]


def failure_record(path: Path, reason: str) -> dict[str, Any]:
    """The record of a path that gave no photos (a broken manifest)."""
    entry: dict[str, Any] = dict.fromkeys(FIELDS)
    entry.update(file=display_name(path), error=reason)
    return entry


def export(photos: Iterable[Path], out: TextIO, read: Reader = read_metadata) -> int:
    """Write one JSON line per photo to ``out``; how many were written."""
    count = 0
    for path in photos:
        out.write(json.dumps(record(path, read(path)), ensure_ascii=False) + "\n")
        count += 1
    return count


def export_command(
    paths: Sequence[Path],
    out: TextIO,
    *,
    fmt: str = "json",
    read: Reader = read_metadata,
    gallery_photos: GalleryPhotos | None = None,
) -> int:
    """``--export-metadata [--format csv]``: a record per photo of ``paths`` on ``out``.

    Returns the exit status: 0, even when files are broken (their records say why);
    2 for a format that does not exist.
    """
    if fmt not in FORMATS:
        return 2
    writer = _CsvWriter(out) if fmt == "csv" else None
    for path, failure in photos_and_failures(paths, gallery_photos):
        entry = failure_record(path, failure) if failure else record(path, read(path))
        if writer is not None:
            writer.write(entry)
        else:
            out.write(json.dumps(entry, ensure_ascii=False) + "\n")
    return 0


class _CsvWriter:
    """Rows a spreadsheet opens safely: header first, a BOM, formulas defused."""

    def __init__(self, out: TextIO) -> None:
        out.write("\ufeff")
        self._writer = csv.writer(out, lineterminator="\r\n")
        self._writer.writerow(CSV_FIELDS)

    def write(self, entry: dict[str, Any]) -> None:
        self._writer.writerow(csv_row(entry))


def csv_cell(value: Any) -> str | int | float:
    """One value as a CSV cell.

    Lists are joined with "; ", text that would start a formula is prefixed with an
    apostrophe, and numbers stay numbers.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (int, float)):
        return value
    text = LIST_JOINER.join(str(v) for v in value) if isinstance(value, list) else str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text
