"""What an editor must see: the Digital Source Type in words, and synthetic pictures."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.builders import QUIRKS
from viewer.metadata import read_metadata
from viewer.metadata.flags import (
    SOURCE_TYPES,
    SYNTHETIC,
    SYNTHETIC_TYPES,
    Flag,
    source_type_code,
    source_type_words,
    synthetic_flag,
)


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_generative_ai_is_said_in_plain_words(tmp_path: Path) -> None:
    meta = read_metadata(write(tmp_path, "g.jpg", QUIRKS["quirk-generative.jpg"]()))
    (flag,) = meta.flags_for("digital_source_type")
    assert flag.kind == "synthetic"
    assert flag.message.startswith("Made by generative AI")
    assert synthetic_flag("digsrctype:compositeSynthetic") is not None
    assert synthetic_flag("http://cv.iptc.org/newscodes/digitalsourcetype/negativeFilm") is None
    assert source_type_words("negativeFilm") == "Scanned from a film negative"
    assert source_type_words("something new") == "something new"


NEWSCODES = "http://cv.iptc.org/newscodes/digitalsourcetype/"


@pytest.mark.parametrize(
    "value",
    [
        NEWSCODES + "trainedAlgorithmicMedia",
        NEWSCODES + "trainedAlgorithmicMedia/",
        "digsrctype:trainedAlgorithmicMedia",
        "trainedAlgorithmicMedia",
        "  trainedAlgorithmicMedia \n",
    ],
)
def test_a_code_is_read_from_a_uri_a_qcode_or_itself(value: str) -> None:
    assert source_type_code(value) == "trainedAlgorithmicMedia"
    assert source_type_words(value) == "Made by generative AI"


@pytest.mark.parametrize("code", sorted(SYNTHETIC_TYPES))
def test_every_synthetic_type_is_flagged_naming_its_code(code: str) -> None:
    flag = synthetic_flag(NEWSCODES + code)
    assert flag == Flag(
        "digital_source_type",
        SYNTHETIC,
        f"{SOURCE_TYPES[code]}, says the file (Digital Source Type {code})",
    )


@pytest.mark.parametrize("code", sorted(set(SOURCE_TYPES) - SYNTHETIC_TYPES))
def test_photographs_scans_and_edits_are_not_flagged(code: str) -> None:
    assert synthetic_flag(NEWSCODES + code) is None
    assert source_type_words(code) == SOURCE_TYPES[code]


def test_unknown_and_empty_types_are_not_flagged() -> None:
    assert synthetic_flag("") is None
    assert synthetic_flag("http://example.org/madeUp") is None
    assert source_type_words("  http://example.org/madeUp ") == "http://example.org/madeUp"
