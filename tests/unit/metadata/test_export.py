"""``--export-metadata`` as a function: JSON lines and a CSV sheet that runs no formula."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
from pathlib import Path

from tests.builders import QUIRKS, alt, bag, jpeg_with, rich_xmp, xmp_segment
from viewer.errors import PhotoDeskError
from viewer.metadata import read_metadata
from viewer.metadata.export import (
    CSV_FIELDS,
    FIELDS,
    csv_cell,
    csv_row,
    expand,
    export,
    export_command,
    failure_record,
    photos_and_failures,
    provenance_record,
    record,
)
from viewer.metadata.photo import PhotoMetadata
from viewer.metadata.provenance import Provenance


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_json_export_has_every_key_and_lists(tmp_path: Path) -> None:
    photo = write(tmp_path, "n.jpg", QUIRKS["quirk-newsroom.jpg"]())
    out = io.StringIO()
    assert export_command([photo], out) == 0
    entry = json.loads(out.getvalue())
    assert list(entry) == list(FIELDS)
    assert entry["byline"] == ["Remote camera"]
    assert entry["persons"] == ["Nobody", "Still nobody"]
    assert entry["alt_text"] == "A six-wheeled rover on red dust"
    assert entry["flags"] == [] and entry["error"] is None


def test_csv_opens_in_a_spreadsheet_and_runs_no_formula(tmp_path: Path) -> None:
    evil = rich_xmp(
        alt("dc:description", "=HYPERLINK(&quot;http://x&quot;)")
        + alt("dc:title", "-2+3")
        + bag("dc:subject", ["@SUM(A1)", "fine"]),
        'photoshop:Credit="+cmd"',
    )
    photos = [
        write(tmp_path, "1 evil.jpg", jpeg_with(xmp_segment(evil))),
        write(tmp_path, "2 newsroom.jpg", QUIRKS["quirk-newsroom.jpg"]()),
    ]
    out = io.StringIO(newline="")
    assert export_command(photos, out, fmt="csv") == 0
    raw = out.getvalue()
    assert raw.startswith("\ufeff") and "\r\n" in raw
    rows = list(csv.reader(io.StringIO(raw.removeprefix("\ufeff"), newline="")))
    assert rows[0] == list(CSV_FIELDS)
    assert len(rows) == 3
    first = dict(zip(CSV_FIELDS, rows[1], strict=True))
    assert first["caption"] == '\'=HYPERLINK("http://x")'
    assert first["title"] == "'-2+3"
    assert first["credit"] == "'+cmd"
    assert first["keywords"] == "'@SUM(A1); fine"
    second = dict(zip(CSV_FIELDS, rows[2], strict=True))
    assert second["keywords"] == "Mars; rover"
    assert second["width"] == "64" and second["gps"] == ""
    assert read_metadata(photos[0]).caption.startswith("="), "only the export is defused"


def test_csv_cells() -> None:
    assert csv_cell(None) == ""
    assert csv_cell(3) == 3
    assert csv_cell([1.5, -2.25]) == "1.5; -2.25"
    assert csv_cell(["a", "b"]) == "a; b"
    assert csv_cell("\tTab") == "'\tTab"
    assert csv_cell("\uff1d1+1") == "'\uff1d1+1"  # a full-width equals sign
    assert csv_cell("plain - text") == "plain - text"


def test_an_unknown_format_is_a_usage_error(tmp_path: Path) -> None:
    out = io.StringIO()
    assert export_command([tmp_path], out, fmt="xml") == 2
    assert out.getvalue() == "", "nothing is written before the format is known"


def test_the_reader_can_be_replaced(tmp_path: Path) -> None:
    photo = write(tmp_path, "a.jpg", jpeg_with())
    seen: list[Path] = []

    def reader(path: Path) -> PhotoMetadata:
        seen.append(path)
        return PhotoMetadata(caption="c", credit="d", copyright="e", alt_text="f", width=1)

    out = io.StringIO()
    assert export_command([photo], out, read=reader) == 0
    assert seen == [photo]
    assert json.loads(out.getvalue())["caption"] == "c"


def test_folders_are_their_images_in_natural_order_and_files_as_given(tmp_path: Path) -> None:
    folder = tmp_path / "folder"
    folder.mkdir()
    for name in ("IMG_10.jpg", "IMG_2.jpg", "notes.txt"):
        write(folder, name, jpeg_with())
    single = write(tmp_path, "single.jpg", jpeg_with())
    manifest = tmp_path / "gallery.json"
    listed = [single, single]
    assert list(expand([single, folder, manifest], [(manifest, listed)])) == [
        single,
        folder / "IMG_2.jpg",
        folder / "IMG_10.jpg",
        single,
        single,
    ]


def test_what_cannot_be_listed_is_a_failure_with_its_reason(tmp_path: Path) -> None:
    def gallery_photos(path: Path) -> list[Path]:
        raise PhotoDeskError(f"{path.name}: photos[0].file is missing")

    manifest = tmp_path / "gallery.json"
    manifest.write_text("{}", encoding="utf-8")
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    photo = write(tmp_path, "a.jpg", jpeg_with())
    found = list(photos_and_failures([manifest, fifo, photo], gallery_photos))
    assert found == [
        (manifest, "gallery.json: photos[0].file is missing"),
        (fifo, ""),  # not a manifest: a "photo" whose record will say what it is
        (photo, ""),
    ]
    assert list(photos_and_failures([manifest])) == [(manifest, "")], "no lister: a file"


def test_a_broken_manifest_still_gets_its_record(tmp_path: Path) -> None:
    def gallery_photos(path: Path) -> list[Path]:
        raise PhotoDeskError(f"{path.name}: not valid JSON")

    manifest = tmp_path / "gallery.json"
    manifest.write_text("{", encoding="utf-8")
    out = io.StringIO()
    assert export_command([manifest], out, gallery_photos=gallery_photos) == 0
    entry = json.loads(out.getvalue())
    assert entry == failure_record(manifest, "gallery.json: not valid JSON")
    assert list(entry) == list(FIELDS)
    assert entry["file"] == str(manifest) and entry["caption"] is None


def test_records_say_why_a_file_could_not_be_read(tmp_path: Path) -> None:
    gone = tmp_path / "gone.jpg"
    entry = record(gone, read_metadata(gone))
    assert entry["error"] == "gone.jpg: the file does not exist or is not a regular file"
    assert entry["width"] is None and entry["flags"] == []
    fifo = tmp_path / "pipe.jpg"
    os.mkfifo(fifo)
    assert "not a regular file" in record(fifo, read_metadata(fifo))["error"]


def test_records_carry_dates_positions_and_sizes_as_plain_values(tmp_path: Path) -> None:
    meta = PhotoMetadata(
        caption="c",
        keywords=("a", "b"),
        date_taken=dt.datetime(2021, 6, 11, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=8))),
        gps=(-33.865, 151.21),
        width=640,
        height=480,
        make="Canon",
    )
    entry = record(tmp_path / "a.jpg", meta)
    assert entry["date_taken"] == "2021-06-11T09:30:00+08:00"
    assert entry["gps"] == [-33.865, 151.21]
    assert (entry["width"], entry["height"], entry["orientation"]) == (640, 480, 1)
    assert entry["keywords"] == ["a", "b"]
    assert entry["credit"] is None and entry["model"] is None, 'empty is null, not ""'
    json.dumps(entry)


def test_names_that_are_not_utf8_are_exported_as_printable_text(tmp_path: Path) -> None:
    photo = write(tmp_path, os.fsdecode(b"caf\xe9.jpg"), jpeg_with())
    out = io.StringIO()
    assert export([photo], out) == 1
    entry = json.loads(out.getvalue())
    assert entry["file"].endswith("caf\ufffd.jpg")
    out.getvalue().encode("utf-8")


def test_booleans_are_words_in_a_sheet() -> None:
    assert csv_cell(True) == "true"
    assert csv_cell(False) == "false"
    assert csv_cell(0) == 0


def test_provenance_is_an_object_in_json_and_flat_columns_in_csv(tmp_path: Path) -> None:
    signed = Provenance(
        "invalid",
        signer="Jane Signer (Example News)",
        generator="Desk Camera 2.0",
        signed_at="2024-08-06T21:53:37+00:00",
        actions=("opened", "cropped"),
        ingredients=("base.jpg",),
        ai_generated=False,
        problems=("the picture was changed after it was signed",),
    )
    plain = write(tmp_path, "plain.jpg", jpeg_with())
    photo = write(tmp_path, "signed.jpg", jpeg_with())

    def reader(path: Path) -> PhotoMetadata:
        return PhotoMetadata(width=1, provenance=signed if path == photo else None)

    out = io.StringIO()
    assert export_command([plain, photo], out, read=reader) == 0
    first, second = (json.loads(line) for line in out.getvalue().splitlines())
    assert first["provenance"] == {"state": "none"}
    assert second["provenance"] == {
        "state": "invalid",
        "signer": "Jane Signer (Example News)",
        "generator": "Desk Camera 2.0",
        "signed_at": "2024-08-06T21:53:37+00:00",
        "actions": ["opened", "cropped"],
        "ingredients": ["base.jpg"],
        "ai_generated": False,
        "problems": ["the picture was changed after it was signed"],
    }
    assert provenance_record(Provenance("valid"))["signer"] is None, "empty is null"
    assert provenance_record(Provenance("valid"))["ai_generated"] is None
    out = io.StringIO(newline="")
    assert export_command([plain, photo], out, fmt="csv", read=reader) == 0
    header, *rows = csv.reader(io.StringIO(out.getvalue().removeprefix("\ufeff"), newline=""))
    assert "provenance" not in header
    at = header.index("provenance_state")
    assert header[at : at + 8] == [
        "provenance_state",
        "provenance_signer",
        "provenance_generator",
        "provenance_signed_at",
        "provenance_actions",
        "provenance_ingredients",
        "provenance_ai_generated",
        "provenance_problems",
    ]
    assert header[at - 1] == "flags" and header[at + 8] == "error"
    assert rows[0][at : at + 8] == ["none", "", "", "", "", "", "", ""]
    assert rows[1][at : at + 8] == [
        "invalid",
        "Jane Signer (Example News)",
        "Desk Camera 2.0",
        "2024-08-06T21:53:37+00:00",
        "opened; cropped",
        "base.jpg",
        "false",
        "the picture was changed after it was signed",
    ]


def test_a_failure_record_has_no_provenance_object(tmp_path: Path) -> None:
    entry = failure_record(tmp_path / "gallery.json", "broken")
    assert entry["provenance"] is None, "no photo was read: nothing is said of its credentials"
    row = dict(zip(CSV_FIELDS, csv_row(entry), strict=True))
    assert row["provenance_state"] == "" and row["error"] == "broken"
