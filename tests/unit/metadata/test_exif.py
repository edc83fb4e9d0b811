"""Camera, exposure, time and place from EXIF, and the parsers of dates, GPS and
Windows and UserComment texts."""

from __future__ import annotations

import datetime as dt
import io
import logging
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from PIL.TiffImagePlugin import IFDRational

from viewer.metadata import read_metadata
from viewer.metadata.exif import (
    clean,
    iptc_date,
    parse_date,
    read_exif,
    user_comment,
    utf16_text,
    xmp_gps,
)


def test_gps_and_dates_with_offsets(tmp_path: Path) -> None:
    image = Image.new("RGB", (40, 30))
    exif = Image.Exif()
    gps = exif.get_ifd(0x8825)
    gps.update(
        {
            1: "S",
            2: (IFDRational(33), IFDRational(51), IFDRational(54)),
            3: "E",
            4: (IFDRational(151), IFDRational(12), IFDRational(36)),
        }
    )
    sub = exif.get_ifd(0x8769)
    sub.update({0x9003: "2021:06:11 09:30:15", 0x9291: "25", 0x9011: "+08:00"})
    path = tmp_path / "gps.jpg"
    image.save(path, exif=exif.tobytes())
    meta = read_metadata(path)
    assert meta.gps is not None
    assert abs(meta.gps[0] - -33.865) < 1e-4
    assert abs(meta.gps[1] - 151.21) < 1e-4
    assert meta.date_taken is not None
    assert meta.date_taken.isoformat() == "2021-06-11T09:30:15.250000+08:00"


def camera_jpeg(
    tmp_path: Path,
    ifd0: dict[int, Any] | None = None,
    exif_ifd: dict[int, Any] | None = None,
    gps: dict[int, Any] | None = None,
) -> Path:
    exif = Image.Exif()
    exif.update(ifd0 or {})
    exif.get_ifd(0x8769).update(exif_ifd or {})
    if gps:
        exif.get_ifd(0x8825).update(gps)
    path = tmp_path / "camera.jpg"
    Image.new("RGB", (16, 16)).save(path, exif=exif.tobytes())
    return path


def exif_of(path: Path) -> dict[str, Any]:
    with path.open("rb") as stream:
        return read_exif(stream)


def test_camera_and_exposure_are_said_as_photographers_say_them(tmp_path: Path) -> None:
    path = camera_jpeg(
        tmp_path,
        {0x010F: "NIKON CORPORATION", 0x0110: "NIKON Z 6", 0x0131: "Ver.1.00"},
        {
            0x829A: IFDRational(1, 8000),
            0x829D: IFDRational(8, 1),
            0x920A: IFDRational(247, 10),
            0x8827: 6400,
            0xA434: "NIKKOR Z 24-70mm f/4 S",
        },
    )
    found = exif_of(path)
    assert (found["make"], found["model"], found["software"]) == (
        "NIKON CORPORATION",
        "NIKON Z 6",
        "Ver.1.00",
    )
    assert found["lens"] == "NIKKOR Z 24-70mm f/4 S"
    assert found["exposure_time"] == "1/8000 s"
    assert found["f_number"] == "f/8"
    assert found["focal_length"] == "24.7 mm"
    assert found["iso"] == "6400"
    assert found["date_taken"] is None and found["gps"] is None


@pytest.mark.parametrize(
    ("exposure", "said"),
    [
        (IFDRational(1, 250), "1/250 s"),
        (IFDRational(10, 40), "1/4 s"),
        (IFDRational(2, 1), "2 s"),
        (IFDRational(13, 10), "1.3 s"),
        (IFDRational(30, 1), "30 s"),
    ],
)
def test_exposure_times(tmp_path: Path, exposure: IFDRational, said: str) -> None:
    assert exif_of(camera_jpeg(tmp_path, exif_ifd={0x829A: exposure}))["exposure_time"] == said


def test_zero_and_impossible_exposures_are_left_out(tmp_path: Path) -> None:
    found = exif_of(
        camera_jpeg(
            tmp_path,
            exif_ifd={0x829A: IFDRational(0, 1), 0x829D: IFDRational(0, 0), 0x920A: 0},
        )
    )
    assert "exposure_time" not in found
    assert "f_number" not in found
    assert "focal_length" not in found


def test_f_numbers_keep_a_fraction_only_when_there_is_one(tmp_path: Path) -> None:
    for value, said in ((IFDRational(28, 10), "f/2.8"), (IFDRational(11, 1), "f/11")):
        assert exif_of(camera_jpeg(tmp_path, exif_ifd={0x829D: value}))["f_number"] == said


def test_western_and_northern_positions(tmp_path: Path) -> None:
    path = camera_jpeg(
        tmp_path,
        gps={
            1: "N",
            2: (IFDRational(40), IFDRational(41), IFDRational(2124, 100)),
            3: "W",
            4: (IFDRational(74), IFDRational(2), IFDRational(4032, 100)),
        },
    )
    latitude, longitude = exif_of(path)["gps"]
    assert abs(latitude - 40.689233) < 1e-5
    assert abs(longitude - -74.0445333) < 1e-5


def test_an_empty_gps_block_is_no_position(tmp_path: Path) -> None:
    """Some cameras write 0/0 for every value when they had no fix."""
    nothing = (IFDRational(0, 0), IFDRational(0, 0), IFDRational(0, 0))
    path = camera_jpeg(tmp_path, gps={1: "N", 2: nothing, 3: "E", 4: nothing})
    assert exif_of(path)["gps"] is None
    assert read_metadata(path).gps is None


def test_a_position_off_the_globe_is_no_position(tmp_path: Path) -> None:
    path = camera_jpeg(
        tmp_path,
        gps={1: "N", 2: (IFDRational(95), IFDRational(0), IFDRational(0)),
             3: "E", 4: (IFDRational(10), IFDRational(0), IFDRational(0))},
    )  # fmt: skip
    assert exif_of(path)["gps"] is None


class Kept(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def test_a_stream_without_exif_gives_nothing_and_says_nothing(tmp_path: Path) -> None:
    """exifread complains about files without EXIF; Photo Desk reports problems itself,
    so nothing of exifread's reaches the application's log or the console."""
    png = tmp_path / "plain.png"
    Image.new("RGB", (8, 8)).save(png)
    root = logging.getLogger()
    kept = Kept()
    root.addHandler(kept)
    try:
        assert exif_of(png) == {}
        assert exif_of_bytes(b"not an image at all") == {}
    finally:
        root.removeHandler(kept)
    assert not [r.getMessage() for r in kept.records if r.name.startswith("exifread")]


def exif_of_bytes(data: bytes) -> dict[str, Any]:
    return read_exif(io.BytesIO(data))


@pytest.mark.parametrize(
    ("raw", "parsed"),
    [
        ("2021:06:11 09:30:15", dt.datetime(2021, 6, 11, 9, 30, 15)),
        ("2021-06-11 09:30:15", dt.datetime(2021, 6, 11, 9, 30, 15)),
        ("2021:06:11 09:30", dt.datetime(2021, 6, 11, 9, 30)),
        ("2021-06-11T09:30:15", dt.datetime(2021, 6, 11, 9, 30, 15)),
        ("2021-06-11T09:30:15.250+02:00", dt.datetime(2021, 6, 11, 9, 30, 15)),  # XMP
        ("2021-06-11T09:30", dt.datetime(2021, 6, 11, 9, 30)),
        ("2021-06-11", dt.datetime(2021, 6, 11)),
        ("2021:06:11", dt.datetime(2021, 6, 11)),
        ("\n 2021:06:11 09:30:15 ", dt.datetime(2021, 6, 11, 9, 30, 15)),
        ("0000:00:00 00:00:00", None),
        ("", None),
        ("   ", None),
        ("2021", None),
        ("11/06/2021", None),
        ("2021:02:29 10:00:00", None),  # not a leap year
    ],
)
def test_dates_in_every_form_exif_xmp_and_iptc_write(raw: str, parsed: dt.datetime | None) -> None:
    assert parse_date(raw) == parsed


def test_iptc_dates_need_their_time() -> None:
    assert iptc_date("20210611", "093015+0200") == dt.datetime(2021, 6, 11, 9, 30, 15)
    assert iptc_date("20210611", "") is None, "a date alone says nothing about the hour"
    assert iptc_date("", "093015") is None
    assert iptc_date("2021-06-11", "09:30:15") is None, "IIM writes digits only"
    assert iptc_date("20211340", "093015") is None


@pytest.mark.parametrize(
    ("latitude", "longitude", "position"),
    [
        ("51,30.5N", "0,7.5W", (51.5083333, -0.125)),
        ("33,51,54S", "151,12,36E", (-33.865, 151.21)),
        ("51,30.5X", "0,7.5W", None),
        ("", "0,7.5W", None),
    ],
)
def test_xmp_positions(latitude: str, longitude: str, position: tuple[float, float] | None) -> None:
    xmp = {"exif:GPSLatitude": [latitude] if latitude else [], "exif:GPSLongitude": [longitude]}
    assert xmp_gps(xmp) == position
    assert xmp_gps({}) is None


def test_windows_texts_are_utf16_up_to_their_nul() -> None:
    assert utf16_text("Zürich ✓".encode("utf-16-le") + b"\x00\x00junk") == "Zürich ✓"
    assert utf16_text(b"") == ""
    assert utf16_text(b"\x41") == "\ufffd", "an odd byte is replaced, not raised"


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        (b"UNICODE\x00" + "Grüße".encode("utf-16-le"), "Grüße"),
        (b"UNICODE\x00" + "Grüße".encode("utf-16-be"), "Grüße"),
        (b"ASCII\x00\x00\x00Plain comment  ", "Plain comment"),
        (b"\x00" * 8 + "Café".encode(), "Café"),
        (b"JIS\x00\x00\x00\x00\x00" + "写真".encode("shift_jis"), "写真"),
        (b"no prefix, just text", "no prefix, just text"),
        (b"short", ""),
        ("already text ", "already text"),
        (12, ""),
    ],
)
def test_user_comments_in_every_character_code(raw: object, text: str) -> None:
    assert user_comment(raw) == text


def test_clean_drops_nuls_and_blanks() -> None:
    assert clean("  Canon\x00\x00 ") == "Canon"
