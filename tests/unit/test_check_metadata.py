"""The metadata commands as functions: ``--check-metadata`` and ``--export-metadata``
(JSON and CSV), run on files made here, with their output streams and exit statuses."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from tests.builders import QUIRKS, alt, bag, jpeg_with, newsroom_xmp, rich_xmp, xmp_segment
from viewer.errors import PhotoDeskError
from viewer.metadata import read_metadata
from viewer.metadata.check import ALT_TEXT_LIMIT, check_command, issues, parse_required
from viewer.metadata.export import FIELDS, csv_cell, export_command
from viewer.metadata.reader import PhotoMetadata


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_a_complete_photo_passes(tmp_path: Path) -> None:
    photo = write(tmp_path, "ready.jpg", QUIRKS["quirk-newsroom.jpg"]())
    out = io.StringIO()
    assert check_command([photo], out) == 0
    assert out.getvalue() == f"ok   {photo}\n1 photo checked: 1 ready, 0 to fix\n"


def test_what_a_desk_must_fix_is_listed(tmp_path: Path) -> None:
    long_alt = "x" * (ALT_TEXT_LIMIT + 1)
    bare = write(tmp_path, "bare.jpg", jpeg_with(xmp_segment(rich_xmp(alt("dc:title", "T")))))
    wordy = write(
        tmp_path,
        "wordy.jpg",
        jpeg_with(xmp_segment(newsroom_xmp().replace("A six-wheeled rover on red dust", long_alt))),
    )
    generated = write(tmp_path, "generated.jpg", QUIRKS["quirk-generative.jpg"]())
    out = io.StringIO()
    assert check_command([bare, wordy, generated], out) == 1
    report = out.getvalue()
    assert f"FIX  {bare}\n     - missing: caption, credit, copyright, alt text\n" in report
    assert f"alt text is {ALT_TEXT_LIMIT + 1} characters long" in report
    assert "Made by generative AI" in report and "looks double-encoded" in report
    assert report.endswith("3 photos checked: 0 ready, 3 to fix\n")


def test_required_fields_can_be_chosen(tmp_path: Path) -> None:
    photo = write(tmp_path, "t.jpg", jpeg_with(xmp_segment(rich_xmp(alt("dc:title", "T")))))
    assert check_command([photo], io.StringIO(), required="title") == 0
    out = io.StringIO()
    assert check_command([photo], out, required="title,event,persons") == 1
    assert "missing: event, persons shown" in out.getvalue()
    assert parse_required(" caption , credit ") == ("caption", "credit")
    with pytest.raises(ValueError, match="unknown field nope"):
        parse_required("caption,nope")


def test_usage_errors_are_2(tmp_path: Path) -> None:
    err = io.StringIO()
    assert check_command([tmp_path / "x.jpg"], io.StringIO(), required="bogus", err=err) == 2
    assert "unknown field bogus" in err.getvalue()
    assert check_command([], io.StringIO(), err=io.StringIO()) == 2
    assert export_command([tmp_path], io.StringIO(), fmt="xml") == 2


def test_unreadable_files_and_broken_galleries_fail_the_check(tmp_path: Path) -> None:
    def broken_gallery(path: Path) -> list[Path]:
        raise PhotoDeskError(f"{path.name}: photos[0].file is missing")

    manifest = tmp_path / "gallery.json"
    manifest.write_text("{}", encoding="utf-8")
    out = io.StringIO()
    status = check_command([tmp_path / "missing.jpg", manifest], out, gallery_photos=broken_gallery)
    assert status == 1
    assert "the file could not be read" in out.getvalue()
    assert "photos[0].file is missing" in out.getvalue()


def test_the_reader_can_be_replaced(tmp_path: Path) -> None:
    photo = write(tmp_path, "a.jpg", jpeg_with())
    seen: list[Path] = []

    def reader(path: Path) -> PhotoMetadata:
        seen.append(path)
        return PhotoMetadata(caption="c", credit="d", copyright="e", alt_text="f", width=1)

    assert check_command([photo], io.StringIO(), read=reader) == 0
    out = io.StringIO()
    export_command([photo], out, read=reader)
    assert seen == [photo, photo]
    assert json.loads(out.getvalue())["caption"] == "c"


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
    assert rows[0] == list(FIELDS)
    assert len(rows) == 3
    first = dict(zip(FIELDS, rows[1], strict=True))
    assert first["caption"] == '\'=HYPERLINK("http://x")'
    assert first["title"] == "'-2+3"
    assert first["credit"] == "'+cmd"
    assert first["keywords"] == "'@SUM(A1); fine"
    second = dict(zip(FIELDS, rows[2], strict=True))
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


def test_issues_of_one_photo() -> None:
    meta = PhotoMetadata(caption="c", credit="d", copyright="e", alt_text="f", problems=("x",))
    assert issues(meta) == ["not fully readable: x"]
