"""Text whose encoding nobody recorded, lists kept in one string, and text garbled once."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.builders import QUIRKS
from viewer.metadata import read_metadata
from viewer.metadata.photo import PhotoMetadata
from viewer.metadata.text import (
    CP1252,
    MAC_ROMAN,
    UTF8,
    decode_legacy,
    double_encoded,
    mwg_string_to_list,
)


def quirk(tmp_path: Path, name: str) -> PhotoMetadata:
    path = tmp_path / name
    path.write_bytes(QUIRKS[name]())
    return read_metadata(path)


@pytest.mark.parametrize(
    ("raw", "text", "encoding"),
    [
        ("Bjørn Ødegård".encode(), "Bjørn Ødegård", UTF8),
        ("Café in Zürich — “quoted”".encode("cp1252"), "Café in Zürich — “quoted”", CP1252),
        ("MÜNCHEN Ölfeld".encode("cp1252"), "MÜNCHEN Ölfeld", CP1252),
        (b"Adobe Photoshop\xa8 4.0", "Adobe Photoshop® 4.0", MAC_ROMAN),
        ("Crédit © 2020".encode("mac_roman"), "Crédit © 2020", MAC_ROMAN),
        (b"plain\x00", "plain", UTF8),
        (b"caf\xe9 \x81", "café \x81", CP1252),  # cp1252's holes: Latin 1, like ExifTool
    ],
)
def test_undeclared_bytes_are_read_as_their_writer_meant(
    raw: bytes, text: str, encoding: str
) -> None:
    assert decode_legacy(raw) == (text, encoding)


def test_double_encoded_text_is_recognised() -> None:
    assert double_encoded("Bj" + "\u00c3\u00b8" + "rn") == "Bjørn"
    assert double_encoded("â€œquotedâ€\x9d") == "“quoted”"
    for fine in ("Bjørn", "Café", "plain", "Ünïcödé ✓"):
        assert double_encoded(fine) is None


@pytest.mark.parametrize(
    ("text", "items"),
    [
        ("Solo", ["Solo"]),
        ("A; B", ["A", "B"]),
        ('"Doe; Jane"; B', ["Doe; Jane", "B"]),
        ('"say ""hi"""; B', ['say "hi"', "B"]),
        ("A;B", ["A;B"]),
    ],
)
def test_mwg_lists_in_one_string(text: str, items: list[str]) -> None:
    assert mwg_string_to_list(text) == items


def test_utf8_exif_text_is_not_read_as_latin1(tmp_path: Path) -> None:
    meta = quirk(tmp_path, "quirk-exif-utf8.jpg")
    assert meta.caption == "Fjørd at dawn, Ålesund"
    assert meta.bylines == ("Bjørn Ødegård", "Åse Ås"), "EXIF Artist holds an MWG list"
    assert meta.byline == "Bjørn Ødegård; Åse Ås"
    assert meta.copyright == "© 2024 Bjørn Ødegård"
    assert meta.flags == ()


def test_an_old_photoshop_tiff_description_is_mac_roman(tmp_path: Path) -> None:
    meta = quirk(tmp_path, "quirk-exif-macroman.tif")
    assert meta.caption == "File written by Adobe Photoshop®4.0"
    assert [f.kind for f in meta.flags] == ["charset"]
    assert "Mac Roman" in meta.flags[0].message
