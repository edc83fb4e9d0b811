"""``photodesk --export-story OUT.html PATH``: the story page made with no window and no display."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

from tests.builders import QUIRKS, jpeg_bytes
from viewer.model.story_edit import new_story, set_overrides, set_photo_passage
from viewer.model.story_file import save_story

ROOT = Path(__file__).resolve().parents[2]


def export_story(*args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        env.pop(name, None)
    return subprocess.run(
        [sys.executable, "main.py", "--export-story", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.alts: list[str] = []
        self.srcs: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        values = dict(attrs)
        if tag == "img":
            self.alts.append(values.get("alt") or "")
            self.srcs.append(values.get("src") or "")

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _page(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_bytes().decode("utf-8"))
    page.close()
    return page


def test_a_folder_of_photos_becomes_a_page_with_their_own_words(tmp_path: Path) -> None:
    photos = tmp_path / "photos"
    photos.mkdir()
    (photos / "IMG_10.jpg").write_bytes(QUIRKS["quirk-newsroom.jpg"]())
    (photos / "IMG_9.jpg").write_bytes(jpeg_bytes(size=(64, 48)))
    (photos / "notes.txt").write_text("not a photo")
    out = tmp_path / "story.html"
    result = export_story(str(out), str(photos))
    assert result.returncode == 0, result.stderr
    assert f"wrote {out} (2 pictures)" in result.stderr
    assert "no alt text: IMG_9.jpg" in result.stderr
    page = _page(out)
    assert page.tags.count("figure") == page.tags.count("figcaption") == 2
    assert page.alts == ["", "A six-wheeled rover on red dust"], "natural order: 9 before 10"
    assert all(src.startswith("data:image/") for src in page.srcs), "the page loads nothing"
    assert "The Zhurong rover beside its landing platform." in "".join(page.text)


def test_a_story_file_with_a_missing_photo_is_written_and_exits_1(tmp_path: Path) -> None:
    paths = []
    for name in ("a.jpg", "b.jpg", "c.jpg"):
        (tmp_path / name).write_bytes(jpeg_bytes(size=(64, 48)))
        paths.append(tmp_path / name)
    story = new_story(
        paths,
        headline="Rover lands",
        publication="The Test Times",
        date=dt.date(2024, 5, 1),
        byline="Jane Doe",
        passages=["The first passage."],
    )
    for index in range(3):
        story = set_overrides(story, index, alt_text=f"Alt {index}", caption=f"Caption {index}")
    story = set_photo_passage(story, 2, "p1")
    save_story(story, story.source)
    (tmp_path / "b.jpg").unlink()
    out = tmp_path / "out" / "page.html"
    out.parent.mkdir()
    result = export_story(str(out), str(story.source))
    assert result.returncode == 1, result.stderr
    assert "left out: b.jpg: the photo is missing" in result.stderr
    page = _page(out)
    text = "".join(page.text)
    for words in ("Rover lands", "By Jane Doe", "The first passage.", "Caption 1"):
        assert words in text, words
    assert page.alts == ["Alt 0", "Alt 2"]
    assert text.index("Caption 0") < text.index("The first passage.") < text.index("Caption 2")


def test_usage_errors_exit_2_and_write_nothing(tmp_path: Path) -> None:
    out = tmp_path / "page.html"
    assert export_story(str(out)).returncode == 2
    result = export_story(str(out), str(tmp_path / "nowhere"))
    assert result.returncode == 2 and "no such file or folder" in result.stderr
    both = export_story(str(out), str(tmp_path), "--check-metadata")
    assert both.returncode == 2 and "--export-story goes with neither" in both.stderr
    assert not out.exists()
