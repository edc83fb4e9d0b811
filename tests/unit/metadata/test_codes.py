"""Photo Mechanic code replacements: =code= and =code#2=, odd lines, hostile files."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from viewer.metadata.codes import (
    MAX_EXPANDED_CHARS,
    Codes,
    CodesError,
    expand_codes,
    flat,
    from_flat,
    load_codes,
    parse_codes,
)

SPORTS = (
    "wc8\tAlex Ovechkin\tAlex Ovechkin, left wing for the Washington Capitals\nCC2\tAaron Barnum\n"
)


def test_a_code_expands_to_its_first_replacement_and_numbered_ones() -> None:
    codes = parse_codes(SPORTS)
    assert expand_codes("=wc8= scores; =CC2= watches", codes).text == (
        "Alex Ovechkin scores; Aaron Barnum watches"
    )
    assert (
        expand_codes("=wc8#2=", codes).text
        == "Alex Ovechkin, left wing for the Washington Capitals"
    )
    assert expand_codes("=wc8#1=", codes).text == "Alex Ovechkin"


def test_unknown_codes_stay_as_typed_and_are_listed() -> None:
    codes = parse_codes(SPORTS)
    expansion = expand_codes("=WC8= =wc8#3= =nope= a = b, x=y", codes)
    assert expansion.text == "=WC8= =wc8#3= =nope= a = b, x=y", "codes are case-sensitive"
    assert expansion.unknown == ("=WC8=", "=wc8#3=", "=nope=")


def test_odd_lines_are_skipped_and_said() -> None:
    codes = parse_codes(
        "good\tGood\n\nno tab here\n\tno code\nsp ace\tx\nhas=eq\tx\ngood\tSecond\nempty\t\n",
        name="codes.txt",
    )
    assert codes.replacements == {"good": ("Good",), "empty": ("",)}
    assert codes.problems == (
        "codes.txt, line 3: no tab after the code, so it was skipped",
        "codes.txt, line 4: '' cannot be a code (empty, or holds '=', '#' or a space)",
        "codes.txt, line 5: 'sp ace' cannot be a code (empty, or holds '=', '#' or a space)",
        "codes.txt, line 6: 'has=eq' cannot be a code (empty, or holds '=', '#' or a space)",
        "codes.txt, line 7: 'good' was given before; the first is kept",
    )


def test_another_delimiter() -> None:
    codes = parse_codes("ap\tAP Photo", delimiter="%")
    assert expand_codes("%ap%/=ap=", codes).text == "AP Photo/=ap="
    with pytest.raises(ValueError, match="cannot be a code delimiter"):
        Codes({}, (), " ")


def test_a_file_is_read_as_utf8_or_else_windows_latin1(tmp_path: Path) -> None:
    good = tmp_path / "codes.txt"
    good.write_bytes("\ufeffmk\tMüller\r\n".encode())
    assert load_codes(good).replacements == {"mk": ("Müller",)}
    old = tmp_path / "old.txt"
    old.write_bytes("mk\tMüller\r\n".encode("cp1252"))
    codes = load_codes(old)
    assert codes.replacements == {"mk": ("Müller",)}
    assert codes.problems == ("old.txt: not UTF-8, read as Windows Latin 1",)
    with pytest.raises(CodesError, match="cannot be read"):
        load_codes(tmp_path / "missing.txt")


def test_a_replacement_is_not_expanded_again() -> None:
    codes = parse_codes("a\t=a==a=\nb\t=a=")
    assert expand_codes("=b=", codes).text == "=a="
    assert expand_codes("=a=", codes).text == "=a==a="


def test_a_hostile_file_neither_hangs_nor_explodes(tmp_path: Path) -> None:
    big = "x" * 60_000
    hostile = tmp_path / "hostile.txt"
    hostile.write_text(
        "\n".join(f"c{i}\t{big}" for i in range(40)) + "\n" + "\t" * 100_000, "utf-8"
    )
    started = time.monotonic()
    codes = load_codes(hostile)
    assert len(codes.replacements) == 40
    with pytest.raises(CodesError, match="longer than"):
        expand_codes("=c1=" * 40, codes)
    assert len(expand_codes("=c1=" * 10, codes).text) <= MAX_EXPANDED_CHARS
    assert time.monotonic() - started < 5
    (tmp_path / "huge.txt").write_bytes(b"a\tb\n" * (5 * 1024 * 1024))
    with pytest.raises(CodesError, match="larger than 16 MiB"):
        load_codes(tmp_path / "huge.txt")


@given(st.text(max_size=200), st.dictionaries(st.from_regex(r"[a-z0-9]{1,5}", fullmatch=True),
                                                st.text(max_size=20), max_size=5))  # fmt: skip
def test_expansion_never_fails_on_any_text(text: str, table: dict[str, str]) -> None:
    codes = parse_codes("\n".join(f"{code}\t{value}" for code, value in table.items()))
    expansion = expand_codes(text, codes)
    if not codes.replacements:
        assert expansion.text == text


def test_the_codes_as_one_table_and_back() -> None:
    codes = parse_codes(SPORTS)
    table = flat(codes)
    assert table == {
        "wc8": "Alex Ovechkin",
        "wc8#2": "Alex Ovechkin, left wing for the Washington Capitals",
        "CC2": "Aaron Barnum",
    }
    assert from_flat(table).replacements == codes.replacements
    assert expand_codes("=wc8#2=", from_flat(table)).text.endswith("Washington Capitals")
