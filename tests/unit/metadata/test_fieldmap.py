"""Where each field is written, how values are tidied, and how IPTC values are cut."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from viewer.metadata import iptc
from viewer.metadata.fieldmap import (
    EDITABLE,
    LIST_FIELDS,
    PLACE_BY_NAME,
    ValueRefusedError,
    cut_utf8,
    mwg_list,
    normalise,
    shown,
)
from viewer.metadata.fields import SPEC_BY_NAME
from viewer.metadata.text import mwg_string_to_list


def test_the_editable_fields_are_the_editors_in_its_order() -> None:
    assert EDITABLE == (
        "title", "headline", "caption", "alt_text", "extended_description", "credit",
        "byline", "byline_title", "copyright", "usage_terms", "source", "instructions",
        "job_id", "keywords", "sublocation", "city", "state", "country", "country_code",
        "event", "persons",
    )  # fmt: skip
    assert frozenset({"byline", "keywords", "persons"}) == LIST_FIELDS


@pytest.mark.parametrize("name", EDITABLE)
def test_each_field_is_written_where_the_reader_reads_it(name: str) -> None:
    place, spec = PLACE_BY_NAME[name], SPEC_BY_NAME[name]
    _, prefix, local = place.xmp.split(".", 2)
    reader_prefix = {"iptc": "Iptc4xmpCore", "iptcExt": "Iptc4xmpExt"}.get(prefix, prefix)
    assert f"{reader_prefix}:{local}" == spec.xmp[-1], "the property the reader falls back on"
    assert place.iim == spec.iim
    assert place.many == spec.many
    if spec.exif:
        assert place.exif.endswith({"description": "ImageDescription", "artist": "Artist",
                                    "copyright": "Copyright"}[spec.exif])  # fmt: skip
    if len(spec.xmp) > 1:
        assert spec.xmp[0].endswith(place.shown), "Location Shown first, as the reader"


def test_values_are_tidied() -> None:
    tidy = normalise(
        {"caption": "  Line one\nline two \n", "keywords": [" Mars", "", "Mars", "rover "]}  # type: ignore[dict-item]  # a list, as JSON gives it
    )
    assert tidy == {"caption": "Line one\nline two", "keywords": ("Mars", "rover")}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"caption_writer": "x"}, "not an editable field"),
        ({"made_up": "x"}, "not an editable field"),
        ({"keywords": "Mars"}, "tuple of strings"),
        ({"keywords": ("Mars", 3)}, "tuple of strings"),
        ({"caption": ("a",)}, "takes a string"),
    ],
)
def test_wrong_fields_and_types_are_the_callers_error(
    changes: dict[str, object], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        normalise(changes)  # type: ignore[arg-type]


@pytest.mark.parametrize("char", ["\x00", "\x07", "\ud800", "\ufffe"])
def test_a_character_xmp_cannot_hold_is_refused_by_name(char: str) -> None:
    with pytest.raises(ValueRefusedError, match=f"U\\+{ord(char):04X}"):
        normalise({"headline": f"a{char}b"})


def test_cut_on_a_character_boundary() -> None:
    text = "Écrit à la main — 火星 🙂"  # 33 bytes: the emoji does not fit in 32
    raw, cut = cut_utf8(text, 32)
    assert cut and raw.decode("utf-8") == "Écrit à la main — 火星 "
    assert cut_utf8("short", 32) == (b"short", False)
    assert cut_utf8("x" * 40, 32) == (b"x" * 32, True), "ASCII is cut at the limit exactly"


def test_a_cut_never_strands_an_accent_or_a_modifier() -> None:
    combining = "e\u0301" * 20  # "é" as e + combining acute, 3 bytes each
    raw, _ = cut_utf8(combining, 32)
    assert raw.decode("utf-8") == "e\u0301" * 10, "30 bytes: the 11th e would lose its accent"
    thumbs = "👍🏽" * 5  # 8 bytes each: thumb and skin tone
    raw, _ = cut_utf8(thumbs, 20)
    assert raw.decode("utf-8") == "👍🏽" * 2


@given(st.text(max_size=80), st.sampled_from([3, 32, 64]))
def test_a_cut_is_valid_utf8_within_the_limit_and_a_prefix(text: str, limit: int) -> None:
    raw, cut = cut_utf8(text, limit)
    assert len(raw) <= limit
    assert text.startswith(raw.decode("utf-8"))
    assert cut == (len(text.encode("utf-8")) > limit)


@pytest.mark.parametrize(
    "items",
    [("Jane Doe",), ("Jane Doe", "John Roe"), ("Doe; Jane", "Roe"), ('"Quoted" name', "x"), ()],
)
def test_a_list_as_one_string_reads_back_as_the_list(items: tuple[str, ...]) -> None:
    assert tuple(mwg_string_to_list(mwg_list(items))) == (items or ("",))


def test_values_are_quoted_short_for_messages() -> None:
    assert shown("Mars") == "“Mars”"
    assert shown(("a", "b")) == "“a; b”"
    assert shown("x" * 100).endswith("…”")


def test_iim_limits_come_from_the_specification() -> None:
    assert PLACE_BY_NAME["caption"].limit == iptc.LIMITS[iptc.CAPTION] == 2000
    assert PLACE_BY_NAME["alt_text"].limit == 0
