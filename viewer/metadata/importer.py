"""``photodesk --import-metadata RECORDS [--dry-run]``: write the fields a file of records gives.

The flow:

1. RECORDS is read whole (at most :data:`MAX_RECORDS_BYTES`): JSON as
   ``--export-metadata`` prints it (JSON lines, or one JSON list), or a CSV sheet with a
   header row (as ``--export-metadata --format csv`` or ``exiftool -csv`` write it);
2. every record is checked before anything is written: it names its photo by ``file``
   (or ExifTool's ``SourceFile``), relative to RECORDS' folder or absolute, and its
   other keys are editable fields (:data:`viewer.metadata.fieldmap.EDITABLE`), ExifTool's
   names for them (``Caption-Abstract``, ``By-line``...), or keys ``--export-metadata``
   writes that are not edited (``date_taken``, ``flags``...: ignored). Anything else,
   or a value of the wrong kind, is a usage error (exit 2) and nothing is written;
3. each photo's fields are written (:func:`viewer.metadata.writer.write_metadata`, in a
   worker process when the app runs it): only the fields present; an empty string or
   list clears a field; a JSON ``null`` leaves it alone (an export writes null for
   "not recorded"); in CSV, lists are ``"; "``-separated, and the apostrophe an
   export puts before a cell a spreadsheet would take for a formula is taken off;
4. one JSON line per photo: ``file``, ``status`` (written, unchanged, sidecar,
   refused, failed), ``reason`` and ``warnings``.

Exit status: 0 when no photo was refused or failed, 1 otherwise, 2 on a usage error.
No Qt.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, TextIO

from viewer.errors import PhotoDeskError
from viewer.fileaccess import display_name, printable, read_regular
from viewer.metadata.atomic import clean_stale_temporaries
from viewer.metadata.export import CSV_FIELDS, FIELDS
from viewer.metadata.fieldmap import EDITABLE, LIST_FIELDS, FieldValue
from viewer.metadata.writer import FAILED, REFUSED, WriteResult, write_metadata

MAX_RECORDS_BYTES = 64 * 1024 * 1024
USAGE, DONE, SOME_FAILED = 2, 0, 1
FILE_KEYS = ("file", "SourceFile")
# ExifTool's tag names (as ``exiftool -csv`` or ``-j`` write them) for the editable fields.
EXIFTOOL_NAMES = {
    "Title": "title",
    "ObjectName": "title",
    "Headline": "headline",
    "Description": "caption",
    "Caption-Abstract": "caption",
    "ImageDescription": "caption",
    "AltTextAccessibility": "alt_text",
    "ExtDescrAccessibility": "extended_description",
    "Credit": "credit",
    "Creator": "byline",
    "By-line": "byline",
    "Artist": "byline",
    "AuthorsPosition": "byline_title",
    "By-lineTitle": "byline_title",
    "Rights": "copyright",
    "CopyrightNotice": "copyright",
    "Copyright": "copyright",
    "UsageTerms": "usage_terms",
    "Source": "source",
    "Instructions": "instructions",
    "SpecialInstructions": "instructions",
    "TransmissionReference": "job_id",
    "OriginalTransmissionReference": "job_id",
    "Subject": "keywords",
    "Keywords": "keywords",
    "Location": "sublocation",
    "Sub-location": "sublocation",
    "City": "city",
    "State": "state",
    "Province-State": "state",
    "Country": "country",
    "Country-PrimaryLocationName": "country",
    "CountryCode": "country_code",
    "Country-PrimaryLocationCode": "country_code",
    "Event": "event",
    "PersonInImage": "persons",
}
# What --export-metadata writes that is not edited here (file, camera, flags...).
IGNORED = frozenset(FIELDS) | frozenset(CSV_FIELDS)
_FORMULA_STARTS = tuple("=+-@\t\r\uff1d\uff0b\uff0d\uff20")


class RecordsError(PhotoDeskError):
    """RECORDS cannot be used: the message says where and why (a usage error)."""


@dataclass(frozen=True)
class Record:
    """One photo's fields to write.

    Attributes:
        name: the photo as the record names it (shown in the result line).
        path: where the photo is (relative names resolved against RECORDS' folder).
        changes: the fields to write.
    """

    name: str
    path: Path
    changes: dict[str, FieldValue]


class Writer(Protocol):
    """What writes one photo: :func:`viewer.metadata.writer.write_metadata` or a worker."""

    def __call__(
        self, path: Path, changes: dict[str, FieldValue], *, dry_run: bool = False
    ) -> WriteResult:
        """Write ``changes`` into the photo at ``path`` (or only check, with ``dry_run``)."""


def import_command(
    records: Path,
    out: TextIO,
    *,
    dry_run: bool = False,
    write: Writer = write_metadata,
    errors: TextIO | None = None,
) -> int:
    """Write the fields of every record of ``records``; a JSON line each on ``out``.

    Usage errors go to ``errors`` (standard error by default). Returns the exit status:
    0, 1 (a photo refused or failed) or 2 (a usage error: nothing was written).
    """
    errors = errors if errors is not None else sys.stderr
    try:
        loaded = load_records(records)
    except RecordsError as exc:
        errors.write(f"photodesk: --import-metadata: {exc}\n")
        return USAGE
    status = DONE
    folders: dict[Path, None] = {}
    for record in loaded:
        result = write(record.path, record.changes, dry_run=dry_run)
        if result.status in (REFUSED, FAILED):
            status = SOME_FAILED
        line = {
            "file": record.name,
            "status": result.status,
            "reason": printable(result.reason),
            "warnings": [printable(warning) for warning in result.warnings],
        }
        out.write(json.dumps(line, ensure_ascii=False) + "\n")
        out.flush()
        folders[record.path.parent] = None
    if not dry_run:
        for folder in folders:
            clean_stale_temporaries(folder)  # a write killed at its time limit leaves one
    return status


def load_records(path: Path) -> list[Record]:
    """The records of a RECORDS file, every one checked.

    Raises:
        RecordsError: it cannot be read, parsed, or a record is not usable.
    """
    name = display_name(path)
    try:
        raw = read_regular(path, MAX_RECORDS_BYTES + 1)
    except OSError as exc:
        raise RecordsError(f"{name}: cannot be read ({exc.strerror or exc})") from None
    if len(raw) > MAX_RECORDS_BYTES:
        raise RecordsError(f"{name}: larger than {MAX_RECORDS_BYTES // 2**20} MiB")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RecordsError(f"{name}: not UTF-8 text (byte {exc.start})") from None
    entries = list(_entries(text, path.suffix.lower(), name))
    if not entries:
        raise RecordsError(f"{name}: holds no records")
    base = path.parent
    return [_record(entry, where, base, name) for where, entry in entries]


def _entries(text: str, suffix: str, name: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """(where, raw record) pairs, "where" saying the line or row for error messages."""
    start = text.lstrip()[:1]
    if suffix == ".csv" or (suffix not in (".json", ".jsonl", ".ndjson") and start not in "[{"):
        yield from _csv_entries(text, name)
        return
    if start == "[":
        try:
            document = json.loads(text)
        except (json.JSONDecodeError, RecursionError) as exc:
            raise RecordsError(f"{name}: not valid JSON ({exc})") from None
        if not isinstance(document, list):
            raise RecordsError(f"{name}: a JSON file must hold a list of records")
        for index, entry in enumerate(document, 1):
            yield f"record {index}", _object(entry, f"{name}, record {index}")
        return
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
        except (json.JSONDecodeError, RecursionError) as exc:
            why = exc.msg if isinstance(exc, json.JSONDecodeError) else "nested too deeply"
            raise RecordsError(f"{name}, line {number}: not valid JSON ({why})") from None
        yield f"line {number}", _object(entry, f"{name}, line {number}")


def _object(entry: Any, where: str) -> dict[str, Any]:
    if not isinstance(entry, dict):
        raise RecordsError(f"{where}: a record must be a JSON object")
    return entry


def _csv_entries(text: str, name: str) -> Iterator[tuple[str, dict[str, Any]]]:
    reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
    try:
        header = reader.fieldnames or []
        if not any(key in header for key in FILE_KEYS):
            raise RecordsError(f"{name}: the CSV header names no 'file' or 'SourceFile' column")
        for row in reader:
            if None in row:
                raise RecordsError(f"{name}, row {reader.line_num}: more cells than the header")
            cells = {key: _cell(value) for key, value in row.items() if key is not None}
            yield f"row {reader.line_num}", cells
    except csv.Error as exc:
        raise RecordsError(f"{name}, row {reader.line_num}: not valid CSV ({exc})") from None


def _cell(value: str | None) -> str | None:
    """A CSV cell as its text: an export's apostrophe before a formula character is dropped."""
    if value is None:
        return None
    if value.startswith("'") and value[1:].startswith(_FORMULA_STARTS):
        return value[1:]
    return value


def _record(entry: dict[str, Any], where: str, base: Path, name: str) -> Record:
    place = f"{name}, {where}"
    named = next((entry[key] for key in FILE_KEYS if entry.get(key)), None)
    if not isinstance(named, str):
        raise RecordsError(f"{place}: no 'file' (or 'SourceFile') naming the photo")
    changes: dict[str, FieldValue] = {}
    unknown = []
    for key, value in entry.items():
        field = key if key in EDITABLE else EXIFTOOL_NAMES.get(key.split(":")[-1])
        if key in FILE_KEYS or (field is None and key in IGNORED):
            continue
        if field is None:
            unknown.append(key)
            continue
        if value is None:
            continue  # null: not recorded, so left alone
        changes[field] = _value(field, value, f"{place}: {key}")
    if unknown:
        raise RecordsError(
            f"{place}: {', '.join(map(repr, unknown))} "
            f"{'is not a field' if len(unknown) == 1 else 'are not fields'} Photo Desk "
            "writes (see EDITABLE in the README's 'Writing captions')"
        )
    return Record(named, base / Path(named), changes)


def _value(field: str, value: Any, where: str) -> FieldValue:
    if field in LIST_FIELDS:
        if isinstance(value, str):
            return tuple(item for item in value.split("; ") if item.strip())
        if isinstance(value, list) and all(isinstance(item, str) for item in value):
            return tuple(value)
        raise RecordsError(f"{where}: a list of texts (or one text with '; ') is needed")
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    raise RecordsError(f"{where}: a text is needed, not {type(value).__name__}")


class Pool(Protocol):
    """What runs a function in a worker process: :class:`viewer.isolation.ProcessPool`."""

    def call(self, what: str, function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """``function(*args, **kwargs)`` in a worker, within the pool's time limit."""


def worker_writer(pool: Pool) -> Writer:
    """A writer that writes in ``pool``'s worker processes.

    A worker killed at its time limit or crashed becomes a "failed" result naming the
    file (the photo is then as it was: writes replace it in one atomic step).
    """

    def write(path: Path, changes: dict[str, FieldValue], *, dry_run: bool = False) -> WriteResult:
        what = display_name(path.name)
        try:
            result: WriteResult = pool.call(what, write_metadata, path, changes, dry_run=dry_run)
        except PhotoDeskError as exc:
            return WriteResult(path, FAILED, f"{exc}; the photo is as it was")
        return result

    return write
