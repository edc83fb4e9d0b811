"""``photodesk --export-metadata``: JSON lines scripts can rely on, with no display."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.builders import CAMERA_EXIF, CAMERA_EXIF_IFD, QUIRKS, python_output, xmp_packet
from viewer.metadata import iptc
from viewer.metadata.export import CSV_FIELDS, FIELDS

ROOT = Path(__file__).resolve().parents[2]
WriteJpeg = Callable[..., Path]


def export(*args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env.pop("DISPLAY", None)
    env.pop("WAYLAND_DISPLAY", None)
    env.pop("QT_QPA_PLATFORM", None)
    return subprocess.run(
        [sys.executable, "main.py", "--export-metadata", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def lines(result: subprocess.CompletedProcess[str]) -> list[dict[str, Any]]:
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_one_object_per_photo_with_every_field(write_jpeg: WriteJpeg, tmp_path: Path) -> None:
    write_jpeg(
        "photos/IMG_10.jpg",
        size=(300, 200),
        exif={**CAMERA_EXIF, 0x0112: 6},
        exif_ifd=CAMERA_EXIF_IFD,
        iptc_fields=[(iptc.CREDIT, "CNSA via Storyful"), (iptc.HEADLINE, "Mars pictures")],
        xmp=xmp_packet(dc_subject=["Mars", "rover"]),
    )
    write_jpeg("photos/IMG_9.jpg")
    (tmp_path / "photos" / "notes.txt").write_text("not a photo")
    result = export(str(tmp_path / "photos"))
    assert result.returncode == 0, result.stderr
    first, second = lines(result)
    assert list(first) == list(FIELDS)
    assert Path(first["file"]).name == "IMG_9.jpg", "natural order: 9 before 10"
    assert second == {
        **dict.fromkeys(FIELDS),
        "file": str(tmp_path / "photos" / "IMG_10.jpg"),
        "caption": "EXIF description",
        "credit": "CNSA via Storyful",
        "byline": ["EXIF Artist"],
        "copyright": "(c) EXIF Copyright",
        "headline": "Mars pictures",
        "keywords": ["Mars", "rover"],
        "persons": [],
        "date_taken": "2021-06-11T09:30:15",
        "orientation": 6,
        "width": 200,
        "height": 300,
        "make": "Canon",
        "model": "Canon EOS 7D",
        "flags": [],
        "provenance": {"state": "none"},
    }


def test_broken_files_get_an_error_and_the_exit_status_stays_0(
    tmp_path: Path, write_jpeg: WriteJpeg
) -> None:
    good = write_jpeg("good.jpg")
    broken = tmp_path / "broken ü.jpg"
    broken.write_bytes(b"\xff\xd8\xff\xe0 nothing here")
    missing = tmp_path / "missing.jpg"
    result = export(str(good), str(broken), str(missing))
    assert result.returncode == 0
    entries = {Path(e["file"]).name: e for e in lines(result)}
    assert entries["good.jpg"]["error"] is None
    assert "broken ü.jpg" in entries["broken ü.jpg"]["error"]
    assert "missing.jpg" in entries["missing.jpg"]["error"]
    assert "Traceback" not in result.stderr


def test_manifests_export_their_photos_in_gallery_order(make_gallery: Callable[..., Path]) -> None:
    manifest = make_gallery(3, lambda d: d["photos"].reverse())
    result = export(str(manifest))
    assert [Path(e["file"]).name for e in lines(result)] == [
        "photo-3.jpg",
        "photo-2.jpg",
        "photo-1.jpg",
    ]
    bad = make_gallery(1, lambda d: d["photos"][0].update(file="../x.jpg"), folder="bad")
    entry = lines(export(str(bad)))[0]
    assert "photos[0].file" in entry["error"]


def test_usage_errors_exit_2() -> None:
    result = export()
    assert result.returncode == 2
    assert "needs at least one PATH" in result.stderr


def test_export_loads_no_qt(write_jpeg: WriteJpeg) -> None:
    photo = write_jpeg("a.jpg")
    code = (
        "import sys, contextlib, io\n"
        "from viewer.app import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    main(['--export-metadata', {str(photo)!r}])\n"
        "print(sorted(m for m in sys.modules if m.startswith('PySide6')))\n"
    )
    assert python_output(code) == "[]"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "QT_QPA_PLATFORM")}
    return subprocess.run(
        [sys.executable, "main.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )


def test_csv_export_for_spreadsheets(tmp_path: Path) -> None:
    photo = tmp_path / "newsroom.jpg"
    photo.write_bytes(QUIRKS["quirk-newsroom.jpg"]())
    result = run("--export-metadata", "--format", "csv", str(photo))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("\ufeff")
    header, row = list(csv.reader(io.StringIO(result.stdout.removeprefix("\ufeff"))))
    assert header == list(CSV_FIELDS)
    entry = dict(zip(header, row, strict=True))
    assert entry["keywords"] == "Mars; rover"
    assert entry["persons"] == "Nobody; Still nobody"
    assert entry["title"] == "Zhurong at the landing site"


def test_check_metadata_exit_statuses(tmp_path: Path) -> None:
    ready = tmp_path / "ready.jpg"
    ready.write_bytes(QUIRKS["quirk-newsroom.jpg"]())
    generated = tmp_path / "generated.jpg"
    generated.write_bytes(QUIRKS["quirk-generative.jpg"]())
    passed = run("--check-metadata", str(ready))
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert passed.stdout.startswith("ok   ")
    failed = run("--check-metadata", str(ready), str(generated))
    assert failed.returncode == 1
    assert "Made by generative AI" in failed.stdout
    assert run("--check-metadata", "--require", "title", str(generated)).returncode == 1
    assert run("--check-metadata", "--require", "title,event", str(ready)).returncode == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--check-metadata"], "needs at least one PATH"),
        (["--check-metadata", "--require", "nope", "x.jpg"], "unknown field nope"),
        (["--require", "caption", "x.jpg"], "--require goes with --check-metadata"),
        (["--format", "csv", "x.jpg"], "--format goes with --export-metadata"),
        (["--export-metadata", "--format", "xml", "x.jpg"], "invalid choice"),
        (["--check-metadata", "--export-metadata", "x.jpg"], "goes with neither"),
    ],
)
def test_metadata_usage_errors_exit_2(args: list[str], message: str) -> None:
    result = run(*args)
    assert result.returncode == 2
    assert message in result.stderr


def test_check_loads_no_qt(write_jpeg: WriteJpeg) -> None:
    photo = write_jpeg("a.jpg")
    code = (
        "import sys, contextlib, io\n"
        "from viewer.app import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    main(['--check-metadata', {str(photo)!r}])\n"
        "print(sorted(m for m in sys.modules if m.startswith('PySide6')))\n"
    )
    assert python_output(code) == "[]"
