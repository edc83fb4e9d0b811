"""Text whose encoding nobody recorded, lists kept in one string, and text garbled once."""

from __future__ import annotations

import pytest

from viewer.metadata import iptc
from viewer.metadata.text import (
    CP1252,
    MAC_ROMAN,
    UTF8,
    decode_legacy,
    double_encoded,
    mwg_string_to_list,
)


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


def test_iim_blocks_are_read_to_their_damage() -> None:
    block = iptc.build_iim([(iptc.CAPTION, "kept")]) + b"\x1c\x02\x6e\x00\x50short"
    record = iptc.read_record(block)
    assert record.text(iptc.CAPTION) == ["kept"]
    assert "runs past the end" in record.problem
    padded = iptc.build_iim([(iptc.CREDIT, "x")]) + b"\x00" * 10
    assert iptc.read_record(padded).problem == "", "zero padding is not damage"
    extended = b"\x1c\x02\x78\x80\x02\x00\x04long"
    assert iptc.read_record(extended).text(iptc.CAPTION) == ["long"]
