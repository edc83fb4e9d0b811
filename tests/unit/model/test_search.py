"""Find: does a photo match what the user typed?"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.builders import jpeg_bytes
from viewer.model import Photo, files_gallery, load_manifest
from viewer.model.search import fold, matches, query_words, search_text


def test_find_matches_every_word_in_any_field_ignoring_case_and_accents(tmp_path: Path) -> None:
    (tmp_path / "IMG_0042.jpg").write_bytes(jpeg_bytes())
    gallery = files_gallery(tmp_path, [tmp_path / "IMG_0042.jpg"])
    text = search_text(gallery.photos[0], ["Café on the Rue de Rivoli", "Agence Écho", "Paris"])
    assert matches(text, query_words("cafe PARIS"))
    assert matches(text, query_words("echo img_0042"))
    assert matches(text, query_words("  "))
    assert not matches(text, query_words("cafe london"))
    assert fold("ÉCOLE") == "ecole"


def test_a_gallerys_own_words_are_searched(make_gallery: Callable[..., Path]) -> None:
    gallery = load_manifest(make_gallery(2))
    first, second = (search_text(photo) for photo in gallery.photos)
    assert matches(first, query_words("photo 1"))
    assert matches(first, query_words("caption credit alt"))
    assert matches(second, query_words("photo-2.jpg"))
    assert not matches(second, query_words("caption 1"))


def test_words_may_come_from_different_fields_but_each_must_be_found() -> None:
    photo = Photo(Path("/p/x.jpg"), "Rover", "On red dust", "CNSA", "A six-wheeled rover")
    text = search_text(photo, ["Mars"])
    assert matches(text, query_words("mars cnsa rover"))
    assert matches(text, query_words("wheel")), "a word may be part of a longer one"
    assert not matches(text, query_words("rover moon"))


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("zurich", "Zürich"),
        ("ZURICH", "zürich"),
        ("strasse", "STRASSE"),
        ("straße", "STRASSE"),  # casefold: ß is ss
        ("ecole", "e\u0301cole"),  # a combining accent
        ("fi", "\ufb01"),  # the "fi" ligature
        ("2", "²"),  # compatibility forms
    ],
)
def test_case_accents_and_compatibility_forms_do_not_matter(typed: str, stored: str) -> None:
    photo = Photo(Path("/p/x.jpg"), stored, "", "", "")
    assert matches(search_text(photo), query_words(typed))


def test_the_query_is_folded_into_words() -> None:
    assert query_words("  Café   de\tFlore ") == ("cafe", "de", "flore")
    assert query_words("") == ()
    assert matches("anything", ()), "nothing typed matches every photo"


def test_empty_fields_add_nothing() -> None:
    photo = Photo(Path("/p/IMG_1.jpg"), "", "", "", "")
    assert search_text(photo, ["", "Paris"]) == "img_1.jpg\nparis"
