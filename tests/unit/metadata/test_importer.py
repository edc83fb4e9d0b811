"""--import-metadata: records from JSON or CSV written into their photos, one result line each."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest

from tests.builders import QUIRKS, jpeg_bytes
from viewer.isolation import ProcessPool
from viewer.metadata import read_metadata
from viewer.metadata.export import export_command
from viewer.metadata.importer import (
    DONE,
    SOME_FAILED,
    USAGE,
    RecordsError,
    import_command,
    load_records,
    worker_writer,
)

TEXT = "Écrit à la main — 火星 🙂"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    photos = tmp_path / "photos"
    photos.mkdir()
    (photos / "a.jpg").write_bytes(QUIRKS["quirk-newsroom.jpg"]())
    (photos / "b.jpg").write_bytes(jpeg_bytes())
    return photos


def run(records: Path, **kwargs: Any) -> tuple[int, list[dict[str, Any]], str]:
    out, errors = io.StringIO(), io.StringIO()
    status = import_command(records, out, errors=errors, **kwargs)
    return status, [json.loads(line) for line in out.getvalue().splitlines()], errors.getvalue()


def test_export_edit_import_is_a_round_trip(folder: Path) -> None:
    exported = io.StringIO()
    export_command([folder], exported)
    lines = [json.loads(line) for line in exported.getvalue().splitlines()]
    lines[0]["caption"] = TEXT
    lines[1]["keywords"] = ["Mars", TEXT]
    records = folder.parent / "edited.jsonl"
    records.write_text("\n".join(json.dumps(line, ensure_ascii=False) for line in lines), "utf-8")
    status, results, _ = run(records)
    assert status == DONE
    assert [r["status"] for r in results] == ["written", "written"]
    assert [Path(r["file"]).name for r in results] == ["a.jpg", "b.jpg"]
    assert read_metadata(folder / "a.jpg").caption == TEXT
    assert read_metadata(folder / "b.jpg").keywords == ("Mars", TEXT)
    assert run(records)[1][0]["status"] == "unchanged", "the same records again change nothing"


def test_a_json_list_with_relative_names_and_nulls(folder: Path) -> None:
    records = folder.parent / "records.json"
    records.write_text(
        json.dumps([{"file": "photos/a.jpg", "headline": "New", "credit": None, "city": ""}]),
        "utf-8",
    )
    status, (result,), _ = run(records)
    assert (status, result["file"], result["status"]) == (DONE, "photos/a.jpg", "written")
    meta = read_metadata(folder / "a.jpg")
    assert meta.headline == "New" and meta.city == ""
    assert meta.credit == "CNSA via Storyful", "null leaves a field alone"


def test_csv_from_a_spreadsheet_or_exiftool(folder: Path) -> None:
    records = folder / "sheet.csv"
    with records.open("w", encoding="utf-8-sig", newline="") as sheet:
        writer = csv.writer(sheet)
        writer.writerow(["SourceFile", "IPTC:Caption-Abstract", "keywords", "title"])
        writer.writerow(["a.jpg", TEXT, "Mars; rover; 火星", "'=not a formula"])
    status, (result,), _ = run(records)
    assert status == DONE and result["status"] == "written"
    meta = read_metadata(folder / "a.jpg")
    assert meta.caption == TEXT
    assert meta.keywords == ("Mars", "rover", "火星")
    assert meta.title == "=not a formula", "an export's apostrophe before a formula is dropped"


def test_a_dry_run_writes_nothing(folder: Path) -> None:
    records = folder / "r.jsonl"
    records.write_text(json.dumps({"file": "a.jpg", "caption": "Not yet"}), "utf-8")
    data = (folder / "a.jpg").read_bytes()
    status, (result,), _ = run(records, dry_run=True)
    assert status == DONE and result["status"] == "written" and "dry run" in result["reason"]
    assert (folder / "a.jpg").read_bytes() == data


def test_a_refused_photo_makes_the_exit_status_1(folder: Path) -> None:
    (folder / "a.jpg").chmod(0o444)
    records = folder / "r.jsonl"
    lines = [{"file": "a.jpg", "caption": "x"}, {"file": "gone.jpg", "caption": "x"},
             {"file": "b.jpg", "caption": "x"}]  # fmt: skip
    records.write_text("\n".join(map(json.dumps, lines)), "utf-8")
    status, results, _ = run(records)
    assert status == SOME_FAILED
    assert [r["status"] for r in results] == ["refused", "refused", "written"]
    assert "read-only" in results[0]["reason"] and results[1]["reason"].startswith("gone.jpg")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"file": "a.jpg", "captoin": "typo"}', "'captoin' is not a field"),
        ('{"caption": "no file"}', "no 'file'"),
        ('{"file": "a.jpg", "caption": 3.5, "keywords": [1]}', "keywords: a list of texts"),
        ('{"file": "a.jpg", "caption": {"a": 1}}', "caption: a text is needed, not dict"),
        ('{"file": "a.jpg"}\n{broken', "line 2: not valid JSON"),
        ("[1, 2]", "record 1: a record must be a JSON object"),
        ("", "holds no records"),
    ],
)
def test_a_usage_error_writes_nothing(folder: Path, content: str, message: str) -> None:
    records = folder / "bad.json"
    records.write_text(content, "utf-8")
    data = (folder / "a.jpg").read_bytes()
    status, results, errors = run(records)
    assert (status, results) == (USAGE, [])
    assert message in errors and errors.startswith("photodesk: --import-metadata: ")
    assert (folder / "a.jpg").read_bytes() == data


def test_unreadable_or_wrong_records_files_are_usage_errors(folder: Path) -> None:
    with pytest.raises(RecordsError, match="cannot be read"):
        load_records(folder / "missing.json")
    sheet = folder / "sheet.csv"
    sheet.write_text("name,caption\na.jpg,x\n", "utf-8")
    with pytest.raises(RecordsError, match="no 'file' or 'SourceFile' column"):
        load_records(sheet)
    sheet.write_bytes(b"file,caption\n\xff\xfe,x\n")
    with pytest.raises(RecordsError, match="not UTF-8"):
        load_records(sheet)


def test_keys_an_export_writes_but_the_writer_does_not_are_ignored(folder: Path) -> None:
    records = folder / "r.jsonl"
    entry: dict[str, Any] = {
        "file": "a.jpg",
        "make": "Canon",
        "flags": [],
        "error": None,
        "caption_writer": "x",
        "provenance": {"state": "none"},
        "provenance_state": "none",
    }
    records.write_text(json.dumps(entry), "utf-8")
    (record,) = load_records(records)
    assert record.changes == {} and record.path == folder / "a.jpg"


def test_writes_run_in_a_worker_process_within_a_time_limit(
    folder: Path, expected_logs: list[str]
) -> None:
    records = folder / "r.jsonl"
    records.write_text(json.dumps({"file": "a.jpg", "caption": "From a worker"}), "utf-8")
    pool = ProcessPool(1, 60)
    try:
        status, (result,), _ = run(records, write=worker_writer(pool))
    finally:
        pool.close()
    assert (status, result["status"]) == (DONE, "written")
    assert read_metadata(folder / "a.jpg").caption == "From a worker"
    expected_logs.append("killed after")
    slow = ProcessPool(1, 0.0001)
    try:
        status, (result,), _ = run(records, write=worker_writer(slow))
    finally:
        slow.close()
    assert (status, result["status"]) == (SOME_FAILED, "failed")
    assert "took longer than" in result["reason"] and "the photo is as it was" in result["reason"]
    assert read_metadata(folder / "a.jpg").caption == "From a worker"
