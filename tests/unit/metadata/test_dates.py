"""When each photo was taken, to sort a folder by: EXIF DateTimeOriginal read from the
header in every form the detail pane reads, else the file's time; never a hang."""

from __future__ import annotations

import datetime as dt
import io
import os
import socket
import struct
from pathlib import Path

import pytest
from PIL import Image

from tests.builders import jpeg_bytes
from viewer.formats import register_extra_formats
from viewer.metadata import read_metadata
from viewer.metadata.dates import date_taken_or_file_time, dates_taken

FILE_TIME = 1_000_000_000  # 9 September 2001, far from any date written below
EXIF_IFD, DATE_TIME_ORIGINAL = 0x8769, 0x9003


def with_date(tmp_path: Path, name: str, taken: str, fmt: str = "JPEG") -> Path:
    exif = Image.Exif()
    exif.get_ifd(EXIF_IFD)[DATE_TIME_ORIGINAL] = taken
    path = tmp_path / name
    Image.new("RGB", (16, 16), (90, 120, 150)).save(path, fmt, exif=exif.tobytes())
    os.utime(path, (FILE_TIME, FILE_TIME))
    return path


def file_time() -> dt.datetime:
    return dt.datetime.fromtimestamp(FILE_TIME)


@pytest.mark.parametrize(
    ("taken", "expected"),
    [
        ("2021:06:11 09:30:15", dt.datetime(2021, 6, 11, 9, 30, 15)),  # EXIF's own form
        ("2021-06-11 09:30:15", dt.datetime(2021, 6, 11, 9, 30, 15)),
        ("2021:06:11 09:30", dt.datetime(2021, 6, 11, 9, 30)),
        ("2021-06-11T09:30:15", dt.datetime(2021, 6, 11, 9, 30, 15)),
        ("2021-06-11T09:30", dt.datetime(2021, 6, 11, 9, 30)),
        ("2021-06-11", dt.datetime(2021, 6, 11)),
        ("2021:06:11", dt.datetime(2021, 6, 11)),
        ("2021:06:11 09:30:15+02:00", dt.datetime(2021, 6, 11, 9, 30, 15)),  # zone dropped
        ("  2021:06:11 09:30:15 ", dt.datetime(2021, 6, 11, 9, 30, 15)),
    ],
)
def test_every_form_the_detail_pane_reads_sorts_by_its_date(
    tmp_path: Path, taken: str, expected: dt.datetime
) -> None:
    path = with_date(tmp_path, "photo.jpg", taken)
    assert date_taken_or_file_time(path) == expected
    assert read_metadata(path).date_taken == expected, "the sort and the pane agree"


@pytest.mark.parametrize(
    "taken",
    ["0000:00:00 00:00:00", "", "    ", "unknown", "2021:13:45 10:00:00", "2021:02:30"],
)
def test_an_empty_or_impossible_date_falls_back_to_the_file_time(
    tmp_path: Path, taken: str
) -> None:
    path = with_date(tmp_path, "photo.jpg", taken)
    assert date_taken_or_file_time(path) == file_time()
    assert read_metadata(path).date_taken is None


def test_no_exif_at_all_sorts_by_the_file_time(tmp_path: Path) -> None:
    plain = tmp_path / "plain.jpg"
    plain.write_bytes(jpeg_bytes())
    os.utime(plain, (FILE_TIME, FILE_TIME))
    assert date_taken_or_file_time(plain) == file_time()


@pytest.mark.parametrize(("fmt", "suffix"), [("PNG", "png"), ("WEBP", "webp"), ("TIFF", "tif")])
def test_other_formats_with_exif_sort_by_their_date(tmp_path: Path, fmt: str, suffix: str) -> None:
    path = with_date(tmp_path, f"photo.{suffix}", "2019:01:02 03:04:05", fmt)
    assert date_taken_or_file_time(path) == dt.datetime(2019, 1, 2, 3, 4, 5)


def test_a_phones_heic_sorts_by_its_date(tmp_path: Path) -> None:
    assert register_extra_formats(), "pillow-heif is a dependency"
    path = with_date(tmp_path, "phone.heic", "2020:07:08 12:00:00", "HEIF")
    assert date_taken_or_file_time(path) == dt.datetime(2020, 7, 8, 12)


@pytest.mark.parametrize(
    "content",
    [b"", b"not an image", b"\xff\xd8\xff\xe1\x00\x10Exif\x00\x00II*\x00" + b"\x00" * 7],
    ids=["empty", "text", "broken-exif"],
)
def test_a_file_that_cannot_be_read_as_a_photo_sorts_by_its_file_time(
    tmp_path: Path, content: bytes
) -> None:
    path = tmp_path / "odd.jpg"
    path.write_bytes(content)
    os.utime(path, (FILE_TIME, FILE_TIME))
    assert date_taken_or_file_time(path) == file_time()


def photo_data_after_header(taken: str) -> tuple[bytes, int]:
    """A noisy 320 x 240 JPEG dated ``taken``, and where its compressed pixels begin."""
    exif = Image.Exif()
    exif.get_ifd(EXIF_IFD)[DATE_TIME_ORIGINAL] = taken
    buffer = io.BytesIO()
    Image.effect_noise((320, 240), 80).convert("RGB").save(buffer, "JPEG", exif=exif.tobytes())
    data = buffer.getvalue()
    start_of_scan = data.index(b"\xff\xda")
    (length,) = struct.unpack(">H", data[start_of_scan + 2 : start_of_scan + 4])
    return data, start_of_scan + 2 + length


def test_a_photo_cut_short_still_gives_the_date_in_its_header(tmp_path: Path) -> None:
    data, pixels = photo_data_after_header("2018:05:06 07:08:09")
    cut = tmp_path / "cut.jpg"
    cut.write_bytes(data[: (pixels + len(data)) // 2])  # half its pixels are missing
    assert date_taken_or_file_time(cut) == dt.datetime(2018, 5, 6, 7, 8, 9)


def test_the_date_is_read_without_decoding_the_picture(tmp_path: Path) -> None:
    data, pixels = photo_data_after_header("2017:03:04 05:06:07")
    path = tmp_path / "garbage-pixels.jpg"
    path.write_bytes(data[:pixels] + bytes(range(256)) * 64)  # no picture to decode
    assert date_taken_or_file_time(path) == dt.datetime(2017, 3, 4, 5, 6, 7)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every file")
def test_a_file_without_read_permission_sorts_by_its_file_time(tmp_path: Path) -> None:
    path = with_date(tmp_path, "locked.jpg", "2021:06:11 09:30:15")
    path.chmod(0)
    assert date_taken_or_file_time(path) == file_time()


def test_a_fifo_sorts_by_its_time_and_is_never_waited_on(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.jpg"
    os.mkfifo(fifo)
    os.utime(fifo, (FILE_TIME, FILE_TIME))
    assert date_taken_or_file_time(fifo) == file_time()


def test_a_socket_sorts_by_its_time(tmp_path: Path) -> None:
    path = tmp_path / "socket.jpg"
    listening = socket.socket(socket.AF_UNIX)
    try:
        listening.bind(str(path))
        os.utime(path, (FILE_TIME, FILE_TIME))
        assert date_taken_or_file_time(path) == file_time()
    finally:
        listening.close()


def test_a_file_gone_before_it_is_read_sorts_first(tmp_path: Path) -> None:
    assert date_taken_or_file_time(tmp_path / "gone.jpg") == dt.datetime.min
    dangling = tmp_path / "dangling.jpg"
    dangling.symlink_to(tmp_path / "gone.jpg")
    assert date_taken_or_file_time(dangling) == dt.datetime.min


def test_a_folder_sorts_by_dates_taken_then_file_times(tmp_path: Path) -> None:
    late = with_date(tmp_path, "a.jpg", "2022:01:01 00:00:00")
    early = with_date(tmp_path, "b.jpg", "2003:01:01 00:00:00")
    undated = tmp_path / "c.jpg"
    undated.write_bytes(jpeg_bytes())
    os.utime(undated, (FILE_TIME, FILE_TIME))
    gone = tmp_path / "d.jpg"
    dates = dates_taken([late, early, undated, gone])
    assert list(dates) == [late, early, undated, gone]
    assert sorted(dates, key=dates.__getitem__) == [gone, undated, early, late]
    assert dates_taken([]) == {}
