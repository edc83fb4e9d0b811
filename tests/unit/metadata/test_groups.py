"""The info panel's content without Qt: groups, rows with sources, flags first."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest

from tests.builders import QUIRKS
from tests.unit.metadata import c2pa_builders
from viewer.metadata import read_metadata
from viewer.metadata.credential_words import CHANGED_WORDS
from viewer.metadata.groups import CHECK, Row, metadata_groups, metadata_text
from viewer.metadata.photo import PhotoMetadata
from viewer.metadata.provenance import Provenance


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


def test_camera_exposure_place_and_file_rows(tmp_path: Path) -> None:
    path = tmp_path / "camera.jpg"
    path.write_bytes(b"x" * 1234)
    meta = PhotoMetadata(
        make="Canon",
        model="Canon EOS 7D",
        lens="EF 50mm",
        exposure_time="1/250 s",
        f_number="f/2.8",
        iso="400",
        focal_length="50 mm",
        date_taken=dt.datetime(2021, 6, 11, 9, 30, 15),
        gps=(-33.865, 151.21),
        width=4000,
        height=3000,
        orientation=6,
        sources=(("date_taken", "EXIF"), ("gps", "XMP")),
        problems=("XMP could not be read: damaged",),
    )
    groups = dict(metadata_groups(path, meta))
    assert list(groups) == ["Location", "Camera", "Exposure", "File"]
    assert groups["Location"] == [Row("GPS", "-33.865000, 151.210000", "XMP")]
    assert Row("Lens", "EF 50mm", "") in groups["Camera"]
    assert groups["Exposure"][0] == Row("Taken", "2021-06-11 09:30:15", "EXIF")
    assert [row.label for row in groups["Exposure"]] == [
        "Taken",
        "Exposure",
        "Aperture",
        "ISO",
        "Focal length",
    ]
    assert Row("Size", "1,234 bytes", "") in groups["File"]
    assert Row("Pixels", "4000 × 3000", "") in groups["File"]
    assert Row("Orientation", "6", "") in groups["File"]
    assert Row("Problems", "XMP could not be read: damaged", "") in groups["File"]


def test_text_aligns_labels_and_indents_continuation_lines(tmp_path: Path) -> None:
    meta = PhotoMetadata(copyright="© 2021 Jane Doe\nDesk editor", sources=(("copyright", "EXIF"),))
    text = metadata_text(tmp_path / "gone.jpg", meta)
    assert text.splitlines()[:3] == [
        "CREDIT AND RIGHTS",
        "  Copyright  © 2021 Jane Doe  [EXIF]",
        "             Desk editor",
    ]
    assert "  Size " not in text, "a file that cannot be looked at has no size row"
    assert not text.endswith("\n")


def test_text_wraps_to_the_columns_it_is_given_and_keeps_them_aligned(tmp_path: Path) -> None:
    path = tmp_path / "newsroom.jpg"
    path.write_bytes(QUIRKS["quirk-newsroom.jpg"]())
    meta = read_metadata(path)
    wide = metadata_text(path, meta)
    narrow = metadata_text(path, meta, columns=40)
    assert max(map(len, wide.splitlines())) > 40
    assert max(map(len, narrow.splitlines())) <= 40
    assert "".join(narrow.split()) == "".join(wide.split()), "the same text, only wrapped"
    lines = narrow.splitlines()
    caption = next(n for n, line in enumerate(lines) if "Caption " in line)
    value_column = lines[caption].index("The ")
    follow = lines[caption + 1]
    assert follow[:value_column].strip() == "" and follow[value_column] != " "


def test_the_provenance_group_says_what_the_credentials_say(tmp_path: Path) -> None:
    path = tmp_path / "signed.jpg"
    path.write_bytes(b"x")
    provenance = Provenance(
        "valid",
        signer="Jane Signer (Example News)",
        generator="Desk Editor 3.1",
        signed_at="2024-08-06T21:53:37+00:00",
        actions=("opened", "cropped"),
        ingredients=("base.jpg", "logo.jpg"),
        ai_generated=True,
        source_type="http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia",
    )
    meta = PhotoMetadata(
        digital_source_type=provenance.source_type,
        sources=(("digital_source_type", "XMP"),),
        provenance=provenance,
    )
    groups = dict(metadata_groups(path, meta))
    assert CHECK not in groups or not any(r.label == "Content Credentials" for r in groups[CHECK])
    assert groups["Provenance"] == [
        Row(
            "Content Credentials",
            "Intact (picture and signature as signed); the signer is not among your trust anchors",
            "C2PA",
        ),
        Row("Signed by", "Jane Signer (Example News)", "C2PA"),
        Row("Claim generator", "Desk Editor 3.1", "C2PA"),
        Row("Signed on", "2024-08-06 21:53:37+00:00", "C2PA"),
        Row("Actions", "opened, cropped", "C2PA"),
        Row("Ingredients", "base.jpg, logo.jpg", "C2PA"),
        Row("Source type", "Made by generative AI (trainedAlgorithmicMedia)", "C2PA"),
        Row("Generative AI", "Yes: made, or partly made, by generative AI", ""),
        Row("Digital source type", "Made by generative AI (trainedAlgorithmicMedia)", "XMP"),
    ]
    trusted = replace(meta, provenance=replace(provenance, state="trusted", ai_generated=False))
    rows = dict(metadata_groups(path, trusted))["Provenance"]
    assert rows[0].value.startswith("Intact and trusted")
    assert "Generative AI" not in [row.label for row in rows]


def test_credentials_that_do_not_hold_are_checked_before_publishing(tmp_path: Path) -> None:
    path = tmp_path / "changed.jpg"
    path.write_bytes(b"x")
    changed = Provenance("invalid", signer="Jane", problems=(CHANGED_WORDS,))
    groups = dict(metadata_groups(path, PhotoMetadata(provenance=changed)))
    assert groups[CHECK] == [Row("Content Credentials", "Changed after it was signed by Jane", "")]
    assert groups["Provenance"][0] == Row(
        "Content Credentials", "Changed after it was signed by Jane", "C2PA"
    )
    assert "Provenance" not in dict(metadata_groups(path, PhotoMetadata())), "none: no rows"
    text = metadata_text(path, PhotoMetadata(provenance=changed))
    assert text.startswith("CHECK BEFORE PUBLISHING\n  Content Credentials  Changed after")


def test_a_real_signed_file_in_the_panel(tmp_path: Path) -> None:
    pytest.importorskip("c2pa", reason=c2pa_builders.SKIP_REASON)
    authority = c2pa_builders.make_authority()
    path = tmp_path / "signed.jpg"
    path.write_bytes(c2pa_builders.sign(QUIRKS["quirk-newsroom.jpg"](), authority))
    text = metadata_text(path, read_metadata(path))
    assert "  Signed by            Jane Signer (Example News)  [C2PA]" in text
    assert "  Claim generator      Desk Camera 2.0  [C2PA]" in text
