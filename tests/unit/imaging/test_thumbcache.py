"""The freedesktop thumbnail cache: names, validity, sharing, failures, atomic writes."""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

import pytest
from PIL import Image, PngImagePlugin

from viewer import __version__
from viewer.imaging.pixels import DecodeError
from viewer.imaging.thumbcache import (
    SourceInfo,
    ThumbnailCache,
    file_uri,
    size_class_for,
    thumbnail_root,
)


@pytest.fixture
def cache(tmp_path: Path) -> ThumbnailCache:
    return ThumbnailCache(tmp_path / "new-cache-home" / "thumbnails")


@pytest.fixture
def photo(tmp_path: Path) -> Path:
    path = tmp_path / "photos" / "a photo.jpg"
    path.parent.mkdir()
    Image.new("RGB", (1200, 800), (30, 90, 160)).save(path, quality=90)
    return path


def test_root_follows_xdg_cache_home() -> None:
    assert thumbnail_root({"XDG_CACHE_HOME": "/var/tmp/c"}) == Path("/var/tmp/c/thumbnails")
    home = Path.home() / ".cache" / "thumbnails"
    assert thumbnail_root({}) == home
    assert thumbnail_root({"XDG_CACHE_HOME": "relative/dir"}) == home, "relative paths are ignored"
    windows = thumbnail_root({"LOCALAPPDATA": "/users/ana/AppData/Local"}, platform="win32")
    assert windows == Path("/users/ana/AppData/Local/photodesk/thumbnails")
    mac = thumbnail_root({}, platform="darwin")
    assert mac == Path.home() / "Library" / "Caches" / "photodesk" / "thumbnails"


def test_uris_are_absolute_and_percent_encoded() -> None:
    assert file_uri(Path("/home/jens/photos/me.png")) == "file:///home/jens/photos/me.png"
    assert file_uri(Path("/tmp/a b#c%d.jpg")) == "file:///tmp/a%20b%23c%25d.jpg"
    assert file_uri(Path("/tmp/é.jpg")) == "file:///tmp/%C3%A9.jpg"


def test_uris_are_escaped_as_glib_escapes_them() -> None:
    """GNOME's file manager hashes g_filename_to_uri: ";" escaped, "=&$+,@:" kept."""
    uri = file_uri(Path("/tmp/a;b=c&d$e+f,g@h:i!j'k(l)m*n~o_p.jpg"))
    assert uri == "file:///tmp/a%3Bb=c&d$e+f,g@h:i!j'k(l)m*n~o_p.jpg"
    assert file_uri(Path("/tmp/[x]{y}|z^`.jpg")) == "file:///tmp/%5Bx%5D%7By%7D%7Cz%5E%60.jpg"


def test_uris_have_no_dot_segments() -> None:
    assert file_uri(Path("/tmp/photos/../photos/./a.jpg")) == "file:///tmp/photos/a.jpg"


def test_names_that_are_not_utf8_keep_their_bytes() -> None:
    name = os.fsdecode(b"/tmp/caf\xe9.jpg")
    assert file_uri(Path(name)) == "file:///tmp/caf%E9.jpg"


def _age(path: Path, seconds: float = 120) -> None:
    """Give ``path`` a modification time in the past (it is not being written any more)."""
    past = path.stat().st_mtime - seconds
    os.utime(path, (past, past))


def test_a_rewrite_within_the_same_second_is_seen(cache: ThumbnailCache, photo: Path) -> None:
    cache.thumbnail(photo, "large")
    before = photo.stat()
    Image.new("RGB", (1200, 800), (220, 40, 40)).save(photo, quality=90)
    whole_second = int(before.st_mtime) + 0.5
    os.utime(photo, (whole_second, whole_second))  # the same second as before
    pixel = cache.thumbnail(photo, "large").getpixel((10, 10))
    assert isinstance(pixel, tuple)
    assert pixel[0] > 150, "the old thumbnail was served for new content"


def test_a_copy_keeping_the_old_time_is_seen(
    cache: ThumbnailCache, photo: Path, tmp_path: Path
) -> None:
    """``cp -p`` brings the other file's time along; its size or change time tell."""
    cache.thumbnail(photo, "large")
    other = tmp_path / "other.jpg"
    Image.new("RGB", (1200, 800), (220, 40, 40)).save(other, quality=90)
    stamp = photo.stat().st_mtime_ns
    photo.write_bytes(other.read_bytes())
    os.utime(photo, ns=(stamp, stamp))  # as cp -p leaves it: same modification time
    pixel = cache.thumbnail(photo, "large").getpixel((10, 10))
    assert isinstance(pixel, tuple)
    assert pixel[0] > 150


def test_another_programs_thumbnail_with_another_size_is_not_used(
    cache: ThumbnailCache, photo: Path
) -> None:
    source = SourceInfo.of(photo)
    target = cache.path_for(source, "large")
    target.parent.mkdir(parents=True)
    info = PngImagePlugin.PngInfo()
    info.add_text("Thumb::URI", source.uri)
    info.add_text("Thumb::MTime", str(source.mtime))
    info.add_text("Thumb::Size", str(source.size + 1))
    Image.new("RGB", (256, 170), (0, 255, 0)).save(target, pnginfo=info)
    pixel = cache.thumbnail(photo, "large").getpixel((10, 10))
    assert pixel != (0, 255, 0)


def test_failures_that_may_pass_are_not_recorded(cache: ThumbnailCache, tmp_path: Path) -> None:
    """A file still being copied, or one that cannot be read now, is tried again."""
    fresh = tmp_path / "arriving.jpg"
    fresh.write_bytes(b"\xff\xd8\xff\xe0 the rest is on its way")
    # Still being written, however long this test takes to get to the next line.
    soon = fresh.stat().st_mtime + 3600
    os.utime(fresh, (soon, soon))
    with pytest.raises(DecodeError):
        cache.thumbnail(fresh)
    assert not (cache.root / "fail").exists()
    if os.geteuid() != 0:  # root reads everything
        locked = tmp_path / "locked.jpg"
        Image.new("RGB", (10, 10)).save(locked)
        _age(locked)
        locked.chmod(0)
        with pytest.raises(DecodeError, match="denied"):
            cache.thumbnail(locked)
        assert not (cache.root / "fail").exists()


def test_no_cached_thumbnail_for_a_file_that_cannot_be_read(
    cache: ThumbnailCache, tmp_path: Path
) -> None:
    fifo = tmp_path / "pipe.jpg"
    os.mkfifo(fifo)
    with pytest.raises(DecodeError, match="named pipe"):
        cache.thumbnail(fifo)


def test_cache_folders_are_private(cache: ThumbnailCache, photo: Path, tmp_path: Path) -> None:
    cache.thumbnail(photo, "large")
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"\xff\xd8\xff\xe0 nothing more")
    _age(broken)
    with pytest.raises(DecodeError):
        cache.thumbnail(broken)
    fail = cache.root / "fail"
    for folder in (cache.root, cache.root / "large", fail, fail / f"photodesk-{__version__}"):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder


def test_size_classes() -> None:
    assert [size_class_for(n) for n in (100, 128, 160, 256, 320, 512, 900, 4000)] == [
        "normal", "normal", "large", "large", "x-large", "x-large", "xx-large", "xx-large",
    ]  # fmt: skip


def test_a_thumbnail_is_made_and_stored_by_the_standard(cache: ThumbnailCache, photo: Path) -> None:
    image = cache.thumbnail(photo, "large")
    assert max(image.size) == 256
    source = SourceInfo.of(photo)
    digest = hashlib.md5(file_uri(photo).encode()).hexdigest()
    stored = cache.root / "large" / f"{digest}.png"
    assert stored == cache.path_for(source, "large")
    assert stored.is_file()
    with Image.open(stored) as png:
        assert png.format == "PNG"
        assert max(png.size) == 256
        text = png.text  # type: ignore[attr-defined]
    assert text["Thumb::URI"] == file_uri(photo)
    assert text["Thumb::MTime"] == str(int(photo.stat().st_mtime))
    assert text["Thumb::Size"] == str(photo.stat().st_size)
    assert "Photo Desk" in text["Software"]
    assert stat.S_IMODE(stored.stat().st_mode) == 0o600
    assert stat.S_IMODE(stored.parent.stat().st_mode) == 0o700
    assert not list(stored.parent.glob(".photodesk-*")), "no temporary file is left behind"


def test_a_valid_thumbnail_from_another_program_is_reused(
    cache: ThumbnailCache, photo: Path
) -> None:
    source = SourceInfo.of(photo)
    target = cache.path_for(source, "large")
    target.parent.mkdir(parents=True)
    info = PngImagePlugin.PngInfo()
    info.add_text("Thumb::URI", source.uri)
    info.add_text("Thumb::MTime", str(source.mtime))
    Image.new("RGB", (256, 171), (250, 250, 0)).save(target, pnginfo=info)
    image = cache.thumbnail(photo, "large")
    assert image.getpixel((10, 10)) == (250, 250, 0), "the shared thumbnail was used as is"


def test_a_changed_file_gets_a_new_thumbnail(cache: ThumbnailCache, photo: Path) -> None:
    cache.thumbnail(photo, "large")
    Image.new("RGB", (1200, 800), (200, 30, 30)).save(photo, quality=90)
    later = photo.stat().st_mtime + 5
    os.utime(photo, (later, later))
    pixel = cache.thumbnail(photo, "large").getpixel((10, 10))
    assert isinstance(pixel, tuple)
    assert pixel[0] > 150, "the thumbnail shows the new content"
    with Image.open(cache.path_for(SourceInfo.of(photo), "large")) as png:
        assert png.text["Thumb::MTime"] == str(int(later))  # type: ignore[attr-defined]


def test_a_file_that_fails_is_recorded_and_not_retried(
    cache: ThumbnailCache, tmp_path: Path
) -> None:
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"\xff\xd8\xff\xe0 nothing more")
    _age(broken)
    with pytest.raises(DecodeError, match="damaged"):
        cache.thumbnail(broken)
    record = (
        cache.root / "fail" / f"photodesk-{__version__}" / f"{SourceInfo.of(broken).digest}.png"
    )
    assert record.is_file()
    with pytest.raises(DecodeError, match="could not be read before"):
        cache.thumbnail(broken)


def test_an_unwritable_cache_still_gives_thumbnails(tmp_path: Path, photo: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")
    image = ThumbnailCache(blocker).thumbnail(photo, "normal")
    assert max(image.size) == 128


def test_transparency_survives_in_the_cache(cache: ThumbnailCache, tmp_path: Path) -> None:
    path = tmp_path / "alpha.png"
    Image.new("RGBA", (600, 400), (255, 0, 0, 60)).save(path)
    assert cache.thumbnail(path).mode == "RGBA"
    assert cache.thumbnail(path).getpixel((5, 5)) == (255, 0, 0, 60)


def test_thumbnails_of_thumbnails_are_not_stored(cache: ThumbnailCache, photo: Path) -> None:
    cache.thumbnail(photo, "large")
    (stored,) = (cache.root / "large").glob("*.png")
    cache.thumbnail(stored, "normal")
    assert not (cache.root / "normal").exists()
