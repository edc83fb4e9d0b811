"""Loading gallery manifests, and every way a manifest is refused."""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.builders import jpeg_bytes
from viewer.model import Fingerprint, Gallery, ManifestError, load_manifest
from viewer.model.manifest import MAX_MANIFEST_BYTES
from viewer.resources import bundled_gallery_path

MakeGallery = Callable[..., Path]


def test_bundled_gallery_tells_the_zhurong_story() -> None:
    gallery = load_manifest(bundled_gallery_path())
    assert gallery.story is not None
    assert gallery.story.publication == "FOX 5 NY"
    assert gallery.story.date == dt.date(2021, 6, 11)
    assert "Zhurong" in gallery.story.headline
    assert len(gallery.photos) == 4
    for photo in gallery.photos:
        assert photo.path.is_file()
        assert photo.illustration, "the stand-ins must be marked as illustrations"
        assert "China National Space Administration via Storyful" in photo.credit
        assert photo.credit.startswith("Illustration")
        assert photo.alt_text and photo.caption and photo.title
        passage = gallery.passage_for(photo)
        assert passage is not None and passage.text


def test_a_valid_manifest_loads_with_absolute_paths_in_order(make_gallery: MakeGallery) -> None:
    manifest = make_gallery(3)
    gallery = load_manifest(manifest)
    assert isinstance(gallery, Gallery)
    assert [p.path.name for p in gallery.photos] == ["photo-1.jpg", "photo-2.jpg", "photo-3.jpg"]
    assert all(p.path.is_absolute() for p in gallery.photos)
    assert gallery.title == "Test story"
    assert gallery.passage_for(gallery.photos[0]) is not None


def test_story_and_passage_are_optional(make_gallery: MakeGallery) -> None:
    def edit(doc: dict[str, Any]) -> None:
        del doc["story"]
        del doc["title"]
        for photo in doc["photos"]:
            del photo["passage"]

    gallery = load_manifest(make_gallery(2, edit))
    assert gallery.story is None
    assert gallery.title == "gallery.json"
    assert gallery.passage_for(gallery.photos[0]) is None


def _expect_error(manifest: Path, field: str, *words: str) -> ManifestError:
    with pytest.raises(ManifestError) as caught:
        load_manifest(manifest)
    error = caught.value
    message = str(error)
    assert str(manifest.name) in message, message
    assert error.field == field, message
    if field:
        assert field in message
    for word in words:
        assert word in message, message
    return error


@pytest.mark.parametrize(
    ("edit", "field", "words"),
    [
        (lambda d: d["photos"][0].pop("caption"), "photos[0].caption", ["missing field"]),
        (lambda d: d.pop("photos"), "photos", ["missing field"]),
        (lambda d: d["story"].pop("headline"), "story.headline", ["missing field"]),
        (
            lambda d: d["photos"][1].update(title=5),
            "photos[1].title",
            ["must be a string", "number"],
        ),
        (
            lambda d: d["photos"][0].update(illustration="yes"),
            "photos[0].illustration",
            ["true or false"],
        ),
        (lambda d: d.update(photos={}), "photos", ["must be a list"]),
        (lambda d: d.update(photos=[]), "photos", ["at least one photo"]),
        (lambda d: d["photos"].__setitem__(0, "a.jpg"), "photos[0]", ["must be an object"]),
        (
            lambda d: d["photos"][0].update(caption="   "),
            "photos[0].caption",
            ["must not be empty"],
        ),
        (lambda d: d["photos"][0].update(captoin="typo"), "photos[0].captoin", ["unknown field"]),
        (lambda d: d["story"].update(date="June 11"), "story.date", ["must be a date", "June 11"]),
        (
            lambda d: d["photos"][2].update(passage="p9"),
            "photos[2].passage",
            ["no story passage", "p9"],
        ),
        (
            lambda d: d["story"]["passages"][1].update(id="p1"),
            "story.passages[1].id",
            ["earlier passage"],
        ),
        (
            lambda d: d.update(photodesk_gallery=3),
            "photodesk_gallery",
            ["version 3", "not supported", "reads 1 and 2"],
        ),
        (lambda d: d.update(photodesk_gallery=True), "photodesk_gallery", ["whole number"]),
        (
            lambda d: d["photos"][0].update(file="missing.jpg"),
            "photos[0].file",
            ["missing.jpg", "does not exist"],
        ),
        (
            lambda d: d["photos"][0].update(file="../outside.jpg"),
            "photos[0].file",
            ["leaves the gallery folder"],
        ),
        (
            lambda d: d["photos"][0].update(file="/etc/passwd"),
            "photos[0].file",
            ["relative to the gallery folder"],
        ),
        (
            lambda d: d["photos"][0].update(file="sub\\photo-1.jpg"),
            "photos[0].file",
            ["'/' separators"],
        ),
        (
            lambda d: d["photos"][0].update(file="C:/photo-1.jpg"),
            "photos[0].file",
            ["'/' separators"],
        ),
        (lambda d: d["photos"][0].update(caption="a\x00b"), "photos[0].caption", ["NUL"]),
    ],
)
def test_invalid_fields_are_refused_with_file_field_and_problem(
    make_gallery: MakeGallery,
    edit: Callable[[dict[str, Any]], object],
    field: str,
    words: list[str],
) -> None:
    _expect_error(make_gallery(3, edit), field, *words)


def test_a_folder_named_as_an_image_is_refused(make_gallery: MakeGallery) -> None:
    manifest = make_gallery(1)
    (manifest.parent / "folder.jpg").mkdir()
    document = json.loads(manifest.read_text())
    document["photos"][0]["file"] = "folder.jpg"
    manifest.write_text(json.dumps(document))
    _expect_error(manifest, "photos[0].file", "is not a file")


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
def test_a_symlink_leaving_the_gallery_folder_is_refused(
    make_gallery: MakeGallery, tmp_path: Path
) -> None:
    manifest = make_gallery(1)
    secret = tmp_path / "secret.jpg"
    secret.write_bytes((manifest.parent / "photo-1.jpg").read_bytes())
    (manifest.parent / "link.jpg").symlink_to(secret)
    document = json.loads(manifest.read_text())
    document["photos"][0]["file"] = "link.jpg"
    manifest.write_text(json.dumps(document))
    _expect_error(manifest, "photos[0].file", "link that leaves the gallery folder")


def test_a_symlink_inside_the_gallery_folder_is_followed(make_gallery: MakeGallery) -> None:
    manifest = make_gallery(1)
    (manifest.parent / "alias.jpg").symlink_to(manifest.parent / "photo-1.jpg")
    document = json.loads(manifest.read_text())
    document["photos"][0]["file"] = "alias.jpg"
    manifest.write_text(json.dumps(document))
    assert load_manifest(manifest).photos[0].path.name == "alias.jpg"


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b'{"photos": [', ["not valid JSON", "line 1"]),
        (b"\xff\xfe\x00{}", ["not UTF-8"]),
        (b"[1, 2, 3]", ["must be an object", "a list"]),
        (b"[" * 100_000 + b"]" * 100_000, ["nested too deeply"]),
    ],
)
def test_unreadable_documents_are_refused(tmp_path: Path, content: bytes, words: list[str]) -> None:
    manifest = tmp_path / "gallery.json"
    manifest.write_bytes(content)
    _expect_error(manifest, "", *words)


def test_duplicate_keys_are_refused(tmp_path: Path) -> None:
    manifest = tmp_path / "gallery.json"
    manifest.write_text('{"photodesk_gallery": 1, "photos": [], "photos": []}')
    _expect_error(manifest, "photos", "appears twice")


def test_an_oversized_manifest_is_refused_before_parsing(tmp_path: Path) -> None:
    manifest = tmp_path / "gallery.json"
    manifest.write_bytes(b" " * (MAX_MANIFEST_BYTES + 10))
    _expect_error(manifest, "", "larger than")


def test_a_missing_manifest_is_refused(tmp_path: Path) -> None:
    _expect_error(tmp_path / "nowhere.json", "", "cannot be read")


def test_a_fifo_named_like_a_manifest_is_refused_not_waited_on(tmp_path: Path) -> None:
    fifo = tmp_path / "x.json"
    os.mkfifo(fifo)
    _expect_error(fifo, "", "cannot be read", "named pipe")


def test_a_number_of_thousands_of_digits_is_a_manifest_error(tmp_path: Path) -> None:
    manifest = tmp_path / "gallery.json"
    manifest.write_text('{"photodesk_gallery": ' + "9" * 5000 + ', "photos": []}')
    _expect_error(manifest, "", "cannot be read")


@pytest.mark.parametrize(
    ("field", "value"),
    [("file", "\\ud800.jpg"), ("caption", "caf\\udce9"), ("title", "\\udfff")],
)
def test_half_characters_are_refused_by_field(
    make_gallery: MakeGallery, field: str, value: str
) -> None:
    manifest = make_gallery(1)
    text = manifest.read_text()
    document = json.loads(text)
    document["photos"][0][field] = "PLACEHOLDER"
    manifest.write_text(json.dumps(document).replace("PLACEHOLDER", value))
    _expect_error(manifest, f"photos[0].{field}", "not valid Unicode")
    assert str(_error_of(manifest)).encode("utf-8"), "the message itself can be printed"


def _error_of(manifest: Path) -> ManifestError:
    with pytest.raises(ManifestError) as caught:
        load_manifest(manifest)
    return caught.value


def test_photos_remember_their_gallery_folder(make_gallery: MakeGallery) -> None:
    manifest = make_gallery(2)
    gallery = load_manifest(manifest)
    assert {photo.root for photo in gallery.photos} == {manifest.parent.resolve()}


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
def test_a_photo_swapped_for_a_link_after_loading_is_not_read(
    make_gallery: MakeGallery, tmp_path: Path
) -> None:
    """Confinement is checked on what is opened, every time, not only when loading."""
    from viewer.imaging.compact import compact_preview  # noqa: PLC0415
    from viewer.imaging.pixels import DecodeError, load_display_image  # noqa: PLC0415
    from viewer.imaging.story_export import export_story  # noqa: PLC0415

    manifest = make_gallery(1)
    gallery = load_manifest(manifest)
    photo = gallery.photos[0]
    assert load_display_image(photo.path, (50, 50), root=photo.root)
    secret = tmp_path / "secret.jpg"
    secret.write_bytes(photo.path.read_bytes())
    photo.path.unlink()
    photo.path.symlink_to(secret)
    with pytest.raises(DecodeError, match="outside the gallery"):
        load_display_image(photo.path, (50, 50), root=photo.root)
    assert compact_preview(photo.path, (50, 50), photo.root) is None
    page = tmp_path / "page.html"
    report = export_story(gallery, gallery.photos, page)
    assert report.pictures == 0 and "outside the gallery" in report.problems[0]
    assert "data:image" not in page.read_text(encoding="utf-8")
    # A whole folder swapped for a link is caught the same way.
    photo.path.unlink()
    moved = tmp_path / "elsewhere"
    moved.mkdir()
    (moved / photo.path.name).write_bytes(secret.read_bytes())
    folder = manifest.parent
    folder.rename(tmp_path / "gallery-old")
    folder.symlink_to(moved)
    with pytest.raises(DecodeError, match="outside the gallery"):
        load_display_image(photo.path, (50, 50), root=photo.root)


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(max_size=20)
    | st.text(st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF), max_size=2),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "photodesk_gallery",
                    "photos",
                    "story",
                    "file",
                    "title",
                    "caption",
                    "credit",
                    "alt",
                    "passage",
                    "date",
                    "x",
                ]
            ),
            children,
            max_size=5,
        )
    ),
    max_leaves=20,
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(document=json_values)
def test_any_json_document_loads_or_raises_manifest_error(tmp_path: Path, document: object) -> None:
    manifest = tmp_path / "gallery.json"
    manifest.write_text(json.dumps(document), encoding="utf-8")
    # Every photo needs an existing image, so no generated document can be valid.
    with pytest.raises(ManifestError, match=r"gallery\.json"):
        load_manifest(manifest)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.binary(max_size=400))
def test_any_bytes_load_or_raise_manifest_error(tmp_path: Path, data: bytes) -> None:
    manifest = tmp_path / "gallery.json"
    manifest.write_bytes(data)
    with pytest.raises(ManifestError):
        load_manifest(manifest)


# --- format version 2: what the story editor saves -----------------------------------------


def _v2(tmp_path: Path, photos: list[Any], **top: Any) -> Path:
    """A version 2 manifest in tmp_path/story, with a.jpg and sub/b.jpg beside it."""
    folder = tmp_path / "story"
    (folder / "sub").mkdir(parents=True, exist_ok=True)
    for name in ("a.jpg", "sub/b.jpg"):
        (folder / name).write_bytes(jpeg_bytes(size=(8, 8)))
    manifest = folder / "gallery.json"
    manifest.write_text(json.dumps({"photodesk_gallery": 2, **top, "photos": photos}))
    return manifest


def test_version_2_needs_only_a_file_and_the_words_are_the_files_own(tmp_path: Path) -> None:
    manifest = _v2(tmp_path, [{"file": "a.jpg"}, {"file": "sub/b.jpg", "caption": "  "}])
    gallery = load_manifest(manifest)
    for photo in gallery.photos:
        assert (photo.title, photo.caption, photo.credit, photo.alt_text) == ("",) * 4
        assert not photo.missing and photo.fingerprint is None and photo.passage_id is None
    assert gallery.story is None and gallery.title == "gallery.json"
    assert [p.path for p in gallery.photos] == [
        manifest.parent / "a.jpg",
        manifest.parent / "sub" / "b.jpg",
    ]


def test_version_2_story_may_be_a_draft_with_a_byline(tmp_path: Path) -> None:
    story = {
        "date": "2024-05-01",
        "byline": "By Jane Doe",
        "passages": [{"id": "p1"}, {"id": "p2", "text": "Two."}],
    }
    photos = [{"file": "a.jpg", "passage": "p1", "size": 3, "digest": "0" * 32}]
    gallery = load_manifest(_v2(tmp_path, photos, story=story))
    assert gallery.story is not None
    assert gallery.story.byline == "By Jane Doe"
    assert (gallery.story.headline, gallery.story.publication) == ("", "")
    assert [(p.id, p.text) for p in gallery.story.passages] == [("p1", ""), ("p2", "Two.")]
    assert gallery.photos[0].fingerprint == Fingerprint(3, "0" * 32)


def test_version_2_keeps_a_missing_photos_place(tmp_path: Path) -> None:
    photos = [{"file": "gone.jpg", "caption": "Kept"}, {"file": "a.jpg"}, {"file": "no/dir.jpg"}]
    manifest = _v2(tmp_path, photos)
    (manifest.parent / "sub" / "b.jpg").rename(manifest.parent / "moved.jpg")
    gallery = load_manifest(manifest)
    assert [(p.path.name, p.missing) for p in gallery.photos] == [
        ("gone.jpg", True),
        ("a.jpg", False),
        ("dir.jpg", True),
    ]
    assert gallery.photos[0].caption == "Kept"
    assert gallery.photos[0].root == manifest.parent.resolve()


def test_version_1_still_refuses_a_missing_photo(make_gallery: MakeGallery) -> None:
    manifest = make_gallery(2)
    (manifest.parent / "photo-2.jpg").unlink()
    _expect_error(manifest, "photos[1].file", "does not exist")


def test_a_version_1_document_is_a_valid_version_2_one(make_gallery: MakeGallery) -> None:
    manifest = make_gallery(3)
    one = load_manifest(manifest)
    document = json.loads(manifest.read_text())
    document["photodesk_gallery"] = 2
    manifest.write_text(json.dumps(document))
    assert load_manifest(manifest) == one


@pytest.mark.parametrize(
    ("photo", "top", "field", "words"),
    [
        ({"file": "a.jpg", "size": 3}, {}, "photos[0].digest", ["missing field", "size"]),
        ({"file": "a.jpg", "digest": "0" * 32}, {}, "photos[0].size", ["missing field"]),
        ({"file": "a.jpg", "size": -1, "digest": "0" * 32}, {}, "photos[0].size", ["from 0"]),
        ({"file": "a.jpg", "size": 2**60, "digest": "0" * 32}, {}, "photos[0].size", ["from 0"]),
        ({"file": "a.jpg", "size": 1.5, "digest": "0" * 32}, {}, "photos[0].size", ["whole"]),
        ({"file": "a.jpg", "size": True, "digest": "0" * 32}, {}, "photos[0].size", ["whole"]),
        ({"file": "a.jpg", "size": 1, "digest": "AB" * 16}, {}, "photos[0].digest", ["lowercase"]),
        ({"file": "a.jpg", "size": 1, "digest": 5}, {}, "photos[0].digest", ["hexadecimal"]),
        ({"file": "a.jpg", "caption": 5}, {}, "photos[0].caption", ["must be a string"]),
        ({"file": "a.jpg", "colour": "red"}, {}, "photos[0].colour", ["unknown field"]),
        ({"file": ""}, {}, "photos[0].file", ["must not be empty"]),
        ({"file": "../a.jpg"}, {}, "photos[0].file", ["leaves the gallery folder"]),
        ({"file": "/etc/passwd"}, {}, "photos[0].file", ["relative"]),
        ({"file": "a.jpg"}, {"story": {"headline": "H"}}, "story.date", ["missing field"]),
        ({"file": "a.jpg"}, {"story": {"date": "2024-05-01", "by": "x"}}, "story.by", ["unknown"]),
        (
            {"file": "a.jpg"},
            {"story": {"date": "2024-05-01", "passages": [{"text": "no id"}]}},
            "story.passages[0].id",
            ["missing field"],
        ),
        ({"file": "a.jpg", "passage": "p1"}, {}, "photos[0].passage", ["no story passage"]),
    ],
)
def test_version_2_fields_are_still_checked(
    tmp_path: Path, photo: dict[str, Any], top: dict[str, Any], field: str, words: list[str]
) -> None:
    _expect_error(_v2(tmp_path, [photo], **top), field, *words)


def test_version_1_does_not_take_version_2_fields(make_gallery: MakeGallery) -> None:
    def byline(doc: dict[str, Any]) -> None:
        doc["story"]["byline"] = "Jane"

    def digest(doc: dict[str, Any]) -> None:
        doc["photos"][0].update(size=1, digest="0" * 32)

    _expect_error(make_gallery(1, byline), "story.byline", "unknown field")
    _expect_error(make_gallery(1, digest, folder="other"), "photos[0].size", "unknown field")


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
def test_version_2_still_refuses_a_link_leaving_the_folder(tmp_path: Path) -> None:
    manifest = _v2(tmp_path, [{"file": "link.jpg"}])
    secret = tmp_path / "secret.jpg"
    secret.write_bytes(jpeg_bytes(size=(8, 8)))
    (manifest.parent / "link.jpg").symlink_to(secret)
    _expect_error(manifest, "photos[0].file", "link that leaves the gallery folder")
    (manifest.parent / "dangling.jpg").symlink_to(tmp_path / "nowhere.jpg")
    manifest.write_text(json.dumps({"photodesk_gallery": 2, "photos": [{"file": "dangling.jpg"}]}))
    assert load_manifest(manifest).photos[0].missing, "nothing there to read: missing"


def test_a_huge_version_number_is_refused_in_few_words(tmp_path: Path) -> None:
    manifest = tmp_path / "gallery.json"
    manifest.write_text('{"photodesk_gallery": ' + "9" * 4000 + ', "photos": []}')
    error = _expect_error(manifest, "photodesk_gallery", "this version", "not supported")
    assert len(str(error)) < 300


version_2_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(max_size=12)
    | st.sampled_from(["a.jpg", "sub/b.jpg", "../a.jpg", "sub/../a.jpg", "2024-05-01", "0" * 32])
    | st.text(st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF), max_size=2),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(
            st.sampled_from(
                [
                    "file",
                    "title",
                    "caption",
                    "credit",
                    "alt",
                    "passage",
                    "illustration",
                    "size",
                    "digest",
                    "id",
                    "text",
                    "date",
                    "byline",
                    "headline",
                    "passages",
                ]
            ),
            children,
            max_size=4,
        )
    ),
    max_leaves=12,
)


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(story=st.none() | version_2_values, photos=st.lists(version_2_values, max_size=3))
def test_any_version_2_document_loads_confined_or_raises_manifest_error(
    tmp_path: Path, story: object, photos: list[object]
) -> None:
    top: dict[str, Any] = {} if story is None else {"story": story}
    manifest = _v2(tmp_path, photos, **top)
    try:
        gallery = load_manifest(manifest)
    except ManifestError as exc:
        message = str(exc)
        message.encode("utf-8")  # the message itself can be printed
        assert "gallery.json" in message
        return
    root = manifest.parent.resolve()
    for photo in gallery.photos:
        assert photo.path.is_relative_to(manifest.parent) and ".." not in photo.path.parts
        assert photo.missing or photo.path.resolve().is_relative_to(root)
        for text in (photo.title, photo.caption, photo.credit, photo.alt_text):
            text.encode("utf-8")
            assert "\x00" not in text and text == text.strip()


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(name=st.text(max_size=30))
def test_any_file_name_in_version_2_is_confined_or_refused(tmp_path: Path, name: str) -> None:
    manifest = _v2(tmp_path, [{"file": name}])
    try:
        gallery = load_manifest(manifest)
    except ManifestError as exc:
        field = exc.field
        assert field in ("photos[0].file", "photos[0]")
        return
    (photo,) = gallery.photos
    assert photo.path.is_relative_to(manifest.parent) and ".." not in photo.path.parts
