"""Templates: variables filled per photo, codes first, named templates kept safely."""

from __future__ import annotations

import datetime as dt
import json
import stat
from pathlib import Path

import pytest

from viewer.metadata.codes import parse_codes
from viewer.metadata.photo import PhotoMetadata
from viewer.metadata.templates import (
    Photo,
    TemplateError,
    TemplateStore,
    apply_template,
    config_folder,
    expand,
    expand_variables,
    load_code_replacements,
    replace_codes,
    template_problems,
    variables,
)

META = PhotoMetadata(
    city="Utopia Planitia",
    bylines=("Jane Doe", "John Roe"),
    date_taken=dt.datetime(2021, 6, 11, 9, 30),
    make="Canon",
    model="Canon EOS R6",
)
PHOTO = Photo(Path("/photos/mars/IMG_0042.JPG"), META, today=dt.date(2026, 11, 30))


def test_variables_are_filled_from_the_photo() -> None:
    text = (
        "{filename} ({filestem}, {extension}, {folder}) by {byline} in {city}, "
        "{date_taken:%d %B %Y}"
    )
    assert expand(text, PHOTO) == (
        "IMG_0042.JPG (IMG_0042, JPG, mars) by Jane Doe; John Roe in Utopia Planitia, 11 June 2021"
    )
    assert expand("{camera} {date_taken} {today} {today:%Y}", PHOTO) == (
        "Canon EOS R6 2021-06-11T09:30:00 2026-11-30 2026"
    )
    assert expand("{date_taken:%H:%M}", PHOTO) == "09:30"


def test_braces_text_specs_and_empty_values() -> None:
    assert (
        expand("{{city}} {city:upper} {city:.6} {caption}.", PHOTO)
        == "{city} UTOPIA PLANITIA Utopia ."
    )
    assert expand("a } b", PHOTO) == "a } b"


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("{citty}", r"\{citty\} is not a variable Photo Desk knows; did you mean \{city\}\?"),
        ("{sources}", "not a variable"),
        ("{city", "a brace is not closed"),
        ("{}", "is not a variable name"),
        ("{0.__class__}", "is not a variable name"),
        ("{city:>99999999}", "is not a format for text"),
    ],
)
def test_a_wrong_template_is_said_plainly(template: str, message: str) -> None:
    with pytest.raises(TemplateError, match=message):
        expand(template, PHOTO)
    assert template_problems(template)


def test_a_good_template_has_no_problems() -> None:
    assert template_problems("{city}, {date_taken:%Y}: =code= {{literal}}") == []
    assert "byline" in variables() and "filename" in variables() and "sources" not in variables()


def test_codes_expand_before_variables() -> None:
    codes = parse_codes("ap\tAP Photo/{byline}")
    assert expand("=ap=", PHOTO, codes) == "AP Photo/Jane Doe; John Roe"


def test_a_template_fills_every_field_for_one_photo() -> None:
    filled = apply_template(
        {"caption": "{city}: a rover.", "keywords": ("Mars", "{city}"), "credit": "Agency"}, PHOTO
    )
    assert filled == {
        "caption": "Utopia Planitia: a rover.",
        "keywords": ("Mars", "Utopia Planitia"),
        "credit": "Agency",
    }


def test_named_templates_are_saved_atomically_and_loaded(tmp_path: Path) -> None:
    store = TemplateStore(tmp_path / "config" / "templates.json")
    assert store.load() == {}
    store.save("Mars", {"credit": "CNSA", "keywords": ("Mars", "{city}")})
    store.save("Desk", {"caption": "{filename}"})
    assert store.load() == {
        "Desk": {"caption": "{filename}"},
        "Mars": {"credit": "CNSA", "keywords": ("Mars", "{city}")},
    }
    store.path.chmod(0o600)
    store.delete("Desk")
    assert list(store.load()) == ["Mars"]
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o600, "the file keeps its permissions"
    assert sorted(p.name for p in store.path.parent.iterdir()) == ["templates.json"]
    assert json.loads(store.path.read_text("utf-8"))["version"] == 1


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"colour": "red"}, "not an editable field"),
        ({"caption": "{citty}"}, "did you mean"),
        ({"keywords": "a string"}, "tuple of strings"),
    ],
)
def test_a_wrong_template_is_not_saved(
    tmp_path: Path, fields: dict[str, object], message: str
) -> None:
    store = TemplateStore(tmp_path / "templates.json")
    with pytest.raises(TemplateError, match=message):
        store.save("Bad", fields)  # type: ignore[arg-type]
    with pytest.raises(TemplateError, match="needs a name"):
        store.save(" ", {"caption": "x"})
    assert not store.path.exists()


@pytest.mark.parametrize(
    "content", ["not json", "[]", '{"templates": []}', '{"templates": {"a": 1}}']
)
def test_a_broken_templates_file_is_an_error_that_says_so(tmp_path: Path, content: str) -> None:
    path = tmp_path / "templates.json"
    path.write_text(content, "utf-8")
    with pytest.raises(TemplateError, match=r"templates\.json"):
        TemplateStore(path).load()


def test_the_config_folder_of_each_system(tmp_path: Path) -> None:
    assert config_folder({"XDG_CONFIG_HOME": str(tmp_path)}, "linux") == tmp_path / "photodesk"
    assert config_folder({"APPDATA": str(tmp_path)}, "win32") == tmp_path / "photodesk"
    assert config_folder({}, "darwin").parts[-3:] == ("Library", "Application Support", "photodesk")


def test_the_caption_editors_short_forms(tmp_path: Path) -> None:
    assert (
        expand_variables("{filename}: {city}", PHOTO.path, META) == "IMG_0042.JPG: Utopia Planitia"
    )
    assert expand_variables("{city}.", Path("a.jpg"), None) == "."
    codes = tmp_path / "codes.txt"
    codes.write_text("ap\tAP Photo\tAssociated Press\n", "utf-8")
    table = load_code_replacements(codes)
    assert table == {"ap": "AP Photo", "ap#2": "Associated Press"}
    assert replace_codes("=ap= / =ap#2= / =nope=", table) == "AP Photo / Associated Press / =nope="
    with pytest.raises(ValueError, match="cannot be read"):
        load_code_replacements(tmp_path / "missing.txt")
