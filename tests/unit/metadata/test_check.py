"""``--check-metadata`` as a function: what a desk must fix, its output and exit status."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from tests.builders import QUIRKS, alt, jpeg_with, newsroom_xmp, rich_xmp, xmp_segment
from tests.unit.metadata import c2pa_builders
from viewer.errors import PhotoDeskError
from viewer.metadata.check import (
    ALT_TEXT_LIMIT,
    check_command,
    credential_issues,
    issues,
    parse_required,
)
from viewer.metadata.credential_words import CHANGED_WORDS
from viewer.metadata.photo import PhotoMetadata
from viewer.metadata.provenance import Provenance
from viewer.metadata.trust import trust_folder


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_a_complete_photo_passes(tmp_path: Path) -> None:
    photo = write(tmp_path, "ready.jpg", QUIRKS["quirk-newsroom.jpg"]())
    out = io.StringIO()
    assert check_command([photo], out) == 0
    assert out.getvalue() == f"ok   {photo}\n1 photo checked: 1 ready, 0 to fix\n"


def test_what_a_desk_must_fix_is_listed(tmp_path: Path) -> None:
    long_alt = "x" * (ALT_TEXT_LIMIT + 1)
    bare = write(tmp_path, "bare.jpg", jpeg_with(xmp_segment(rich_xmp(alt("dc:title", "T")))))
    wordy = write(
        tmp_path,
        "wordy.jpg",
        jpeg_with(xmp_segment(newsroom_xmp().replace("A six-wheeled rover on red dust", long_alt))),
    )
    generated = write(tmp_path, "generated.jpg", QUIRKS["quirk-generative.jpg"]())
    out = io.StringIO()
    assert check_command([bare, wordy, generated], out) == 1
    report = out.getvalue()
    assert f"FIX  {bare}\n     - missing: caption, credit, copyright, alt text\n" in report
    assert f"alt text is {ALT_TEXT_LIMIT + 1} characters long" in report
    assert "Made by generative AI" in report and "looks double-encoded" in report
    assert report.endswith("3 photos checked: 0 ready, 3 to fix\n")


def test_required_fields_can_be_chosen(tmp_path: Path) -> None:
    photo = write(tmp_path, "t.jpg", jpeg_with(xmp_segment(rich_xmp(alt("dc:title", "T")))))
    assert check_command([photo], io.StringIO(), required="title") == 0
    out = io.StringIO()
    assert check_command([photo], out, required="title,event,persons") == 1
    assert "missing: event, persons shown" in out.getvalue()
    assert parse_required(" caption , credit ") == ("caption", "credit")
    with pytest.raises(ValueError, match="unknown field nope"):
        parse_required("caption,nope")


def test_usage_errors_are_2(tmp_path: Path) -> None:
    err = io.StringIO()
    assert check_command([tmp_path / "x.jpg"], io.StringIO(), required="bogus", err=err) == 2
    assert "unknown field bogus" in err.getvalue()
    assert check_command([], io.StringIO(), err=io.StringIO()) == 2


def test_unreadable_files_and_broken_galleries_fail_the_check(tmp_path: Path) -> None:
    def broken_gallery(path: Path) -> list[Path]:
        raise PhotoDeskError(f"{path.name}: photos[0].file is missing")

    manifest = tmp_path / "gallery.json"
    manifest.write_text("{}", encoding="utf-8")
    out = io.StringIO()
    status = check_command([tmp_path / "missing.jpg", manifest], out, gallery_photos=broken_gallery)
    assert status == 1
    assert "the file could not be read" in out.getvalue()
    assert "photos[0].file is missing" in out.getvalue()


def test_the_reader_can_be_replaced(tmp_path: Path) -> None:
    photo = write(tmp_path, "a.jpg", jpeg_with())
    seen: list[Path] = []

    def reader(path: Path) -> PhotoMetadata:
        seen.append(path)
        return PhotoMetadata(caption="c", credit="d", copyright="e", alt_text="f", width=1)

    assert check_command([photo], io.StringIO(), read=reader) == 0
    assert seen == [photo]


def test_issues_of_one_photo() -> None:
    meta = PhotoMetadata(caption="c", credit="d", copyright="e", alt_text="f", problems=("x",))
    assert issues(meta) == ["not fully readable: x"]


def test_alt_text_at_its_limit_passes_and_one_more_character_does_not() -> None:
    ready = PhotoMetadata(caption="c", credit="d", copyright="e", alt_text="x" * ALT_TEXT_LIMIT)
    assert issues(ready) == []
    wordy = PhotoMetadata(caption="c", credit="d", copyright="e", alt_text="x" * 251)
    assert issues(wordy) == [
        "alt text is 251 characters long (at most 250; put the rest in the extended description)"
    ]


def test_fields_named_in_code_are_checked_like_the_command_lines(tmp_path: Path) -> None:
    photo = write(tmp_path, "t.jpg", jpeg_with(xmp_segment(rich_xmp(alt("dc:title", "T")))))
    err = io.StringIO()
    assert check_command([photo], io.StringIO(), required=("title", "nope"), err=err) == 2
    assert "unknown field nope" in err.getvalue()
    assert check_command([photo], io.StringIO(), required=("title",)) == 0


def test_a_folder_is_checked_photo_by_photo(tmp_path: Path) -> None:
    write(tmp_path, "2 bare.jpg", jpeg_with())
    write(tmp_path, "10 ready.jpg", QUIRKS["quirk-newsroom.jpg"]())
    write(tmp_path, "notes.txt", b"not a photo")
    out = io.StringIO()
    assert check_command([tmp_path], out) == 1
    lines = out.getvalue().splitlines()
    assert lines[0] == f"FIX  {tmp_path / '2 bare.jpg'}"
    assert f"ok   {tmp_path / '10 ready.jpg'}" in lines
    assert lines[-1] == "2 photos checked: 1 ready, 1 to fix"


def test_credentials_can_be_required() -> None:
    assert parse_required("caption, credentials") == ("caption", "credentials")
    assert parse_required("trusted_credentials") == ("trusted_credentials",)
    with pytest.raises(ValueError, match="credentials, trusted_credentials"):
        parse_required("nope")


def test_what_credentials_leave_to_fix() -> None:
    changed = Provenance("invalid", signer="Jane", problems=(CHANGED_WORDS,))
    valid = Provenance("valid", signer="Jane")
    online = Provenance("error", remote=True, remote_url="https://x.org/m.c2pa")
    for required in ((), ("credentials",), ("trusted_credentials",)):
        assert credential_issues(changed, required) == ["Changed after it was signed by Jane"]
        assert credential_issues(Provenance("trusted"), required) == []
    assert credential_issues(None) == [] and credential_issues(valid) == []
    assert credential_issues(online) == [], "not asked for: not checked, not a failure"
    assert credential_issues(None, ["credentials"]) == ["no Content Credentials"]
    assert credential_issues(valid, ["credentials"]) == [], "untrusted but intact passes"
    assert credential_issues(online, ["credentials"]) == [online.summary()]
    assert online.summary().endswith("not checked, Photo Desk is offline")
    assert credential_issues(valid, ["trusted_credentials"]) == [
        "Content Credentials: the signer does not chain to a trust anchor you added (Jane)"
    ]
    meta = PhotoMetadata(caption="c", credit="d", copyright="e", alt_text="f", provenance=changed)
    assert issues(meta) == ["Changed after it was signed by Jane"]


def test_require_credentials_on_real_files(tmp_path: Path) -> None:
    pytest.importorskip("c2pa", reason=c2pa_builders.SKIP_REASON)
    authority = c2pa_builders.make_authority()
    newsroom = QUIRKS["quirk-newsroom.jpg"]()
    plain = write(tmp_path, "a-plain.jpg", newsroom)
    signed = write(tmp_path, "b-signed.jpg", c2pa_builders.sign(newsroom, authority))
    changed = write(
        tmp_path, "c-changed.jpg", c2pa_builders.changed_after_signing(signed.read_bytes())
    )
    photos = [plain, signed, changed]
    out = io.StringIO()
    assert check_command(photos, out) == 1
    assert out.getvalue() == (
        f"ok   {plain}\nok   {signed}\nFIX  {changed}\n"
        "     - Changed after it was signed by Jane Signer (Example News)\n"
        "3 photos checked: 2 ready, 1 to fix\n"
    )
    out = io.StringIO()
    assert check_command(photos[:2], out, required="caption,credentials") == 1
    assert f"FIX  {plain}\n     - no Content Credentials\nok   {signed}\n" in out.getvalue()
    assert check_command([signed], io.StringIO(), required="trusted_credentials") == 1
    authority.write_root(trust_folder())
    assert check_command([signed], io.StringIO(), required="trusted_credentials") == 0
