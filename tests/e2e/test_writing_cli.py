"""photodesk --import-metadata as a script runs it, and the writer on signed photos.

The command is started as a process (``python main.py``), without a display, on photos
made here; its result lines and exit status are what a script sees. Photos with
Content Credentials from ../shared/c2pa (when present) are copied and written to: their
bytes never change, the fields go to a sidecar.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.builders import QUIRKS, jpeg_bytes
from viewer.metadata import read_metadata
from viewer.metadata.writer import write_metadata

ROOT = Path(__file__).resolve().parents[2]
C2PA = ROOT.parent / "shared" / "c2pa"
TEXT = "Écrit à la main — 火星 🙂"


def photodesk(*args: str) -> tuple[int, list[dict[str, Any]], str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "QT_QPA_PLATFORM")}
    result = subprocess.run(
        [sys.executable, "main.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
        check=False,
    )
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    return result.returncode, lines, result.stderr


@pytest.fixture
def photos(tmp_path: Path) -> Path:
    folder = tmp_path / "photos"
    folder.mkdir()
    (folder / "a.jpg").write_bytes(QUIRKS["quirk-newsroom.jpg"]())
    (folder / "b.jpg").write_bytes(jpeg_bytes())
    return folder


def test_export_edit_import_and_undo_from_the_command_line(photos: Path) -> None:
    status, exported, _ = photodesk("--export-metadata", str(photos))
    assert status == 0 and len(exported) == 2
    records = photos.parent / "edited.jsonl"
    edited = [{**exported[0], "caption": TEXT, "keywords": ["Mars", TEXT]}, exported[1]]
    records.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in edited), "utf-8")
    status, lines, errors = photodesk("--import-metadata", str(records))
    assert (status, errors) == (0, "")
    assert [(Path(line["file"]).name, line["status"]) for line in lines] == [
        ("a.jpg", "written"),
        ("b.jpg", "unchanged"),
    ]
    assert read_metadata(photos / "a.jpg").caption == TEXT
    undo = photos.parent / "undo.jsonl"
    undo.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in exported), "utf-8")
    status, lines, _ = photodesk("--import-metadata", str(undo))
    assert status == 0 and lines[0]["status"] == "written"
    meta = read_metadata(photos / "a.jpg")
    assert meta.caption == exported[0]["caption"] and list(meta.keywords) == exported[0]["keywords"]


def test_a_dry_run_writes_nothing(photos: Path) -> None:
    records = photos / "r.csv"
    records.write_text("file,headline\na.jpg,Would be\n", "utf-8")
    data = (photos / "a.jpg").read_bytes()
    status, (line,), _ = photodesk("--import-metadata", str(records), "--dry-run")
    assert status == 0 and line["status"] == "written" and "dry run" in line["reason"]
    assert (photos / "a.jpg").read_bytes() == data


def test_a_photo_not_written_makes_exit_status_1(photos: Path) -> None:
    records = photos / "r.jsonl"
    records.write_text(
        json.dumps({"file": "missing.jpg", "caption": "x"}) + "\n"
        + json.dumps({"file": "b.jpg", "caption": "x"}),
        "utf-8",
    )  # fmt: skip
    status, lines, _ = photodesk("--import-metadata", str(records))
    assert status == 1
    assert [line["status"] for line in lines] == ["refused", "written"]


@pytest.mark.parametrize(
    "args",
    [
        ("--dry-run",),
        ("--import-metadata", "RECORDS", "extra-path"),
        ("--import-metadata", "RECORDS", "--export-metadata"),
        ("--import-metadata", "does-not-exist.json"),
    ],
)
def test_usage_errors_exit_2(photos: Path, args: tuple[str, ...]) -> None:
    records = photos / "r.jsonl"
    records.write_text(json.dumps({"file": "a.jpg", "caption": "x"}), "utf-8")
    data = (photos / "a.jpg").read_bytes()
    real = tuple(str(records) if arg == "RECORDS" else arg for arg in args)
    status, lines, errors = photodesk(*real)
    assert (status, lines) == (2, [])
    assert errors.strip()
    assert (photos / "a.jpg").read_bytes() == data


@pytest.mark.skipif(not C2PA.is_dir(), reason="../shared/c2pa is not present")
def test_signed_photos_keep_their_signature_and_get_a_sidecar(tmp_path: Path) -> None:
    for original in sorted(C2PA.glob("*.jpg")):
        copy = tmp_path / original.name
        shutil.copyfile(original, copy)
        copy.chmod(0o644)
        result = write_metadata(copy, {"caption": TEXT})
        if original.name == "no_manifest.jpg":
            # No credentials: rewritten in place when exiv2 can (this one carries an
            # IFD0 PhotometricInterpretation, which exiv2 drops: so it is left alone).
            assert result.status in ("written", "failed") and "Content" not in result.reason
            continue
        assert result.status == "sidecar", (original.name, result.reason)
        assert "Content Credentials" in result.reason
        assert copy.read_bytes() == original.read_bytes()
        assert result.target is not None and result.target.exists()
