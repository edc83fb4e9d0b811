"""``photodesk --export-metadata``: JSON lines scripts can rely on, with no display."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.builders import CAMERA_EXIF, CAMERA_EXIF_IFD, python_output, xmp_packet
from viewer.metadata import iptc
from viewer.metadata.export import FIELDS

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
        "file": str(tmp_path / "photos" / "IMG_10.jpg"),
        "caption": "EXIF description",
        "credit": "CNSA via Storyful",
        "byline": "EXIF Artist",
        "headline": "Mars pictures",
        "keywords": ["Mars", "rover"],
        "date_taken": "2021-06-11T09:30:15",
        "orientation": 6,
        "width": 200,
        "height": 300,
        "make": "Canon",
        "model": "Canon EOS 7D",
        "gps": None,
        "error": None,
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
