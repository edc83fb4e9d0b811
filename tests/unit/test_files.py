"""Which files are photos, and in what order a person expects them."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PIL import Image

from tests.builders import jpeg_bytes
from viewer.files import (
    FolderScan,
    is_image,
    list_images,
    looks_like_image,
    natural_key,
    snapshot_images,
)


def test_natural_order() -> None:
    names = ["IMG_10.jpg", "img_2.jpg", "IMG_1.jpg", "IMG_100.jpg", "a.jpg", "B.jpg"]
    assert sorted(names, key=natural_key) == [
        "a.jpg", "B.jpg", "IMG_1.jpg", "img_2.jpg", "IMG_10.jpg", "IMG_100.jpg",
    ]  # fmt: skip


def test_formats_are_recognised_by_content(tmp_path: Path) -> None:
    jpeg = tmp_path / "no-suffix-jpeg"
    jpeg.write_bytes(jpeg_bytes())
    paths = [jpeg]
    for fmt in ("PNG", "GIF", "WEBP", "TIFF", "BMP"):
        path = tmp_path / f"no-suffix-{fmt}"
        Image.new("RGB", (8, 8)).save(path, fmt)
        paths.append(path)
    for path in paths:
        assert looks_like_image(path), path.name
        assert is_image(path), path.name
    text = tmp_path / "README"
    text.write_text("not a picture")
    assert not is_image(text)


def test_listing_skips_hidden_files_folders_and_non_images(tmp_path: Path) -> None:
    (tmp_path / "IMG_2.JPG").write_bytes(jpeg_bytes())
    (tmp_path / "IMG_10.jpg").write_bytes(jpeg_bytes())
    (tmp_path / ".thumb.jpg").write_bytes(jpeg_bytes())
    (tmp_path / "sidecar.json").write_text("{}")
    (tmp_path / "album.jpg").mkdir()
    assert [p.name for p in list_images(tmp_path)] == ["IMG_2.JPG", "IMG_10.jpg"]


def test_suffixes_decide_without_reading_and_other_names_are_sniffed(tmp_path: Path) -> None:
    for name in ("a.JPG", "b.jpeg", "c.heic", "d.AVIF", "e.dng", "f.tiff", "g.mpo"):
        assert is_image(tmp_path / name), "a photo's suffix is enough, even before it exists"
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    assert not is_image(fifo), "sniffed without waiting for a writer"
    disguised = tmp_path / "notes.txt"
    Image.new("RGB", (8, 8)).save(disguised, "PNG")
    assert not is_image(disguised), "what names itself a document is not sniffed"
    assert not is_image(tmp_path / ".hidden.jpg")


def test_a_folder_that_cannot_be_listed_is_an_os_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        list_images(tmp_path / "gone")
    with pytest.raises(FileNotFoundError):
        snapshot_images(tmp_path / "gone")
    not_a_folder = tmp_path / "photo.jpg"
    not_a_folder.write_bytes(jpeg_bytes())
    with pytest.raises(NotADirectoryError):
        list_images(not_a_folder)


def test_a_snapshot_tells_a_rewrite_from_an_unchanged_file(tmp_path: Path) -> None:
    first = tmp_path / "IMG_2.jpg"
    first.write_bytes(jpeg_bytes())
    second = tmp_path / "IMG_10.jpg"
    second.write_bytes(jpeg_bytes())
    (tmp_path / "notes.json").write_text("{}")
    before = snapshot_images(tmp_path)
    assert [(path, size) for path, _, size in before] == [
        (first, first.stat().st_size),
        (second, second.stat().st_size),
    ]
    assert snapshot_images(tmp_path) == before
    second.write_bytes(jpeg_bytes(size=(64, 64)))
    os.utime(second, ns=(before[1][1] + 10**9, before[1][1] + 10**9))
    after = snapshot_images(tmp_path)
    assert after[0] == before[0]
    assert after[1] != before[1]
    first.rename(tmp_path / "IMG_3.jpg")
    assert [path.name for path, _, _ in snapshot_images(tmp_path)] == ["IMG_3.jpg", "IMG_10.jpg"]


def test_a_folder_is_scanned_in_growing_sorted_batches(tmp_path: Path) -> None:
    count = FolderScan.FIRST_BATCH + 100
    for index in range(count):
        (tmp_path / f"IMG_{index}.jpg").touch()  # a photo's suffix: never read
    for index in range(20):
        (tmp_path / f"note-{index}.txt").touch()
    (tmp_path / "album.jpg").mkdir()
    scan = FolderScan(tmp_path)
    batches = []
    while not scan.done:
        batches.append(scan.next_batch())
    assert len(batches) == 2, "256 entries, then up to eight times more"
    assert sum(len(batch) for batch in batches) == count
    for batch in batches:
        assert batch == sorted(batch), "each batch is sorted, keys included"
        assert all(key == natural_key(path.name) for key, path in batch)
    merged = sorted(entry for batch in batches for entry in batch)
    assert [path for _, path in merged] == list_images(tmp_path)
    assert scan.next_batch() == [], "a finished scan gives nothing more"
    scan.close()  # closing twice is harmless


def test_an_abandoned_scan_can_be_closed(tmp_path: Path) -> None:
    for index in range(FolderScan.FIRST_BATCH + 1):
        (tmp_path / f"{index}.jpg").touch()
    scan = FolderScan(tmp_path)
    assert len(scan.next_batch()) == FolderScan.FIRST_BATCH
    done_before = scan.done
    scan.close()
    assert (done_before, scan.done) == (False, True)
    assert scan.next_batch() == []
