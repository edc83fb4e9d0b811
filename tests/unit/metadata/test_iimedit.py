"""IPTC blocks edited as lists of datasets: only the edited ones change, in UTF-8."""

from __future__ import annotations

from viewer.metadata import iptc
from viewer.metadata.iimedit import RECORD_VERSION, as_utf8, edit_block, is_utf8, wanted_values

MARKER = (iptc.CODED_CHARSET, iptc.UTF8_MARKER)


def test_an_edit_replaces_the_dataset_where_it_stood() -> None:
    old = [
        MARKER,
        (iptc.HEADLINE, b"Old"),
        (iptc.CAPTION, b"Caption"),
        (iptc.TIME_CREATED, b"132723"),
    ]
    edit = edit_block(old, {"headline": "New"})
    assert edit.changed
    assert edit.datasets == [MARKER, (iptc.HEADLINE, b"New"), *old[2:]]


def test_other_datasets_keep_their_bytes_even_odd_ones() -> None:
    odd = [
        MARKER,
        ((2, 0), b"\x00\x04"),
        (iptc.TIME_CREATED, b"132723"),  # exiv2 would write 132723+0000
        ((2, 200), b"\x00\xff\xfe binary preview"),
        (iptc.SUBLOCATION, b"\x00"),
    ]
    edit = edit_block(odd, {"caption": "Added"})
    assert edit.datasets == [*odd, (iptc.CAPTION, b"Added")]


def test_nothing_to_change_leaves_the_block_alone() -> None:
    latin = [(iptc.CAPTION, "Café".encode("cp1252"))]
    edit = edit_block(latin, {"caption": "Café"})
    assert not edit.changed and edit.datasets == latin, "not even the charset is touched"


def test_a_latin1_block_is_re_encoded_when_marked_utf8() -> None:
    latin = [
        (iptc.CAPTION, "Café au lait".encode("cp1252")),
        (iptc.BYLINE, "Jürgen Müller".encode("cp1252")),
        (iptc.KEYWORDS, b"ascii"),
        ((2, 125), b"\xe9\xff"),  # a rasterized caption is binary: never re-encoded
    ]
    edit = edit_block(latin, {"headline": "Écrit 🙂"})
    assert is_utf8(edit.datasets)
    assert edit.datasets[0] == MARKER, "1:90 comes first, before record 2"
    values = dict(edit.datasets[1:])
    assert values[iptc.CAPTION] == "Café au lait".encode()
    assert values[iptc.BYLINE] == "Jürgen Müller".encode()
    assert values[(2, 125)] == b"\xe9\xff"
    assert values[iptc.HEADLINE] == "Écrit 🙂".encode()
    record = iptc.read_record(
        iptc.build_iim([]) + b"".join(iptc.dataset(k, v) for k, v in edit.datasets[1:])
    )
    assert record.text(iptc.BYLINE) == ["Jürgen Müller"]


def test_another_declared_charset_is_replaced_by_utf8() -> None:
    old = [(iptc.CODED_CHARSET, b"\x1b.A"), (iptc.CAPTION, b"x")]
    edit = edit_block(old, {"caption": "y"})
    assert edit.datasets == [MARKER, (iptc.CAPTION, b"y")]


def test_a_list_takes_the_place_of_the_old_items() -> None:
    old = [MARKER, (iptc.KEYWORDS, b"a"), (iptc.CITY, b"Paris"), (iptc.KEYWORDS, b"b")]
    edit = edit_block(old, {"keywords": ("x", "y", "z")})
    assert edit.datasets == [MARKER, (iptc.KEYWORDS, b"x"), (iptc.KEYWORDS, b"y"),
                             (iptc.KEYWORDS, b"z"), (iptc.CITY, b"Paris")]  # fmt: skip


def test_clearing_removes_every_repeat() -> None:
    old = [MARKER, (iptc.CAPTION, b"a"), (iptc.CAPTION, b"b"), (iptc.CITY, b"Paris")]
    assert edit_block(old, {"caption": ""}).datasets == [MARKER, (iptc.CITY, b"Paris")]
    assert edit_block(old, {"keywords": ()}).changed is False


def test_a_new_block_gets_its_charset_and_record_version() -> None:
    edit = edit_block([], {"caption": "New", "alt_text": "XMP only"})
    assert edit.datasets == [MARKER, (RECORD_VERSION, b"\x00\x04"), (iptc.CAPTION, b"New")]
    assert edit_block([], {"alt_text": "XMP only"}).changed is False


def test_record_one_datasets_stay_before_the_marker_is_added_after_them() -> None:
    old = [((1, 0), b"\x00\x04"), ((1, 20), b"\x00\x01"), (iptc.CAPTION, b"x")]
    edit = edit_block(old, {"caption": "y"})
    assert edit.datasets == [
        ((1, 0), b"\x00\x04"),
        ((1, 20), b"\x00\x01"),
        MARKER,
        (iptc.CAPTION, b"y"),
    ]


def test_long_values_are_cut_with_a_warning() -> None:
    values, warnings = wanted_values({"credit": "Écrit à la main — 火星 🙂", "caption": "short"})
    assert values[iptc.CREDIT] == ["Écrit à la main — 火星 ".encode()]
    (warning,) = warnings
    assert warning.startswith("Credit: 33 bytes, more than the 32 IPTC allows")
    assert "XMP holds the whole text" in warning


def test_as_utf8_reads_undeclared_bytes_as_the_reader_does() -> None:
    assert as_utf8(iptc.CAPTION, "Photoshop\xa8".encode("latin-1"), False) == "Photoshop®".encode()
    assert as_utf8(iptc.CAPTION, "déjà".encode(), False) == "déjà".encode(), "UTF-8 already"
    assert as_utf8(iptc.CAPTION, b"\xe9", True) == b"\xe9", "declared UTF-8: as it is"
