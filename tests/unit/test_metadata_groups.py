"""The info panel's content without Qt: groups, rows with sources, flags first."""

from __future__ import annotations

from pathlib import Path

from tests.builders import QUIRKS
from viewer.metadata import read_metadata
from viewer.metadata.groups import CHECK, Row, metadata_groups, metadata_text


def test_groups_rows_and_sources(tmp_path: Path) -> None:
    path = tmp_path / "newsroom.jpg"
    path.write_bytes(QUIRKS["quirk-newsroom.jpg"]())
    groups = dict(metadata_groups(path, read_metadata(path)))
    assert list(groups) == [
        "Description",
        "Credit and rights",
        "Location",
        "People and event",
        "Provenance",
        "File",
    ], "no flags, no camera: those groups are left out"
    assert Row("Title", "Zhurong at the landing site", "XMP") in groups["Description"]
    assert Row("Keywords", "Mars, rover", "XMP") in groups["Description"]
    assert Row("By-line", "Remote camera", "XMP") in groups["Credit and rights"]
    assert Row("Persons shown", "Nobody, Still nobody", "XMP") in groups["People and event"]
    assert groups["Provenance"][0] == Row(
        "Digital source type", "Photographed with a digital camera (digitalCapture)", "XMP"
    )
    assert all(row.value for rows in groups.values() for row in rows)


def test_flags_come_first_and_text_shows_sources(tmp_path: Path) -> None:
    path = tmp_path / "generated.jpg"
    path.write_bytes(QUIRKS["quirk-generative.jpg"]())
    meta = read_metadata(path)
    groups = metadata_groups(path, meta)
    assert groups[0][0] == CHECK
    labels = [row.label for row in groups[0][1]]
    assert labels == ["Garbled text", "Not a photograph"]
    text = metadata_text(path, meta)
    assert text.startswith("CHECK BEFORE PUBLISHING\n")
    assert "Made by generative AI" in text
    assert "  Caption " in text and "[XMP]" in text


def test_a_photo_without_metadata_still_names_its_file(tmp_path: Path) -> None:
    path = tmp_path / "bad\udce9.jpg"
    groups = metadata_groups(path, None)
    assert groups == [
        ("File", [Row("Name", "bad\ufffd.jpg", ""), Row("Folder", str(tmp_path), "")])
    ]
    assert "bad\ufffd.jpg" in metadata_text(path, None)
