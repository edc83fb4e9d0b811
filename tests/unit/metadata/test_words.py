"""What Find reads from a file's own metadata: every field a person might type a word of,
read in a worker, never raising for a file that cannot be read."""

from __future__ import annotations

import os
import pickle
from dataclasses import replace
from pathlib import Path

import pytest

from tests.builders import QUIRKS, alt, bag, jpeg_with, rich_xmp, xmp_segment
from tests.unit.metadata import c2pa_builders
from viewer.captions import photo_text
from viewer.metadata import read_metadata
from viewer.metadata.credential_words import CHANGED_WORDS
from viewer.metadata.provenance import Provenance
from viewer.metadata.words import credential_words, find_entries, metadata_words
from viewer.model import files_photo
from viewer.model.search import matches, query_words, search_text


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def finds(path: Path, words: list[str], query: str) -> bool:
    """Whether Find, with the file's words read, shows the photo for ``query``."""
    return matches(search_text(files_photo(path), words), query_words(query))


def test_every_field_find_reads_comes_from_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, "newsroom.jpg", QUIRKS["quirk-newsroom.jpg"]())
    words = metadata_words([path])[path]
    for expected in (
        "Zhurong at the landing site",  # title
        "China's rover sends its first pictures",  # headline
        "The Zhurong rover beside its landing platform.",  # caption
        "CNSA via Storyful",  # credit
        "Tianwen-1 landing",  # event
        "Landing site",  # sublocation
        "Utopia Planitia",  # city
        "Northern plains",  # state
        "Mars",  # country
        "Nobody",  # persons shown
        "Still nobody",
        "rover",  # keywords
    ):
        assert any(expected in word for word in words), expected
    for query in ("utopia planitia", "tianwen", "still nobody", "storyful rover first pictures"):
        assert finds(path, words, query), query
    assert not finds(path, words, "venus")


def test_each_file_gets_its_words_in_the_order_asked(tmp_path: Path) -> None:
    first = write(tmp_path, "b.jpg", QUIRKS["quirk-places-shown.jpg"]())
    second = write(tmp_path, "a.jpg", QUIRKS["quirk-fotostation.jpg"]())
    words = metadata_words([first, second])
    assert list(words) == [first, second]
    assert "Bern; Lyon" in words[first] and "Switzerland; France" in words[first]
    assert "Caption kept by FotoStation" in words[second] and "NTB" in words[second]
    assert finds(first, words[first], "lyon") and not finds(second, words[second], "lyon")


def test_a_file_that_cannot_be_read_has_no_words_and_no_error(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.jpg"
    os.mkfifo(fifo)
    broken = write(tmp_path, "broken.jpg", b"\xff\xd8\xff\xe1\x00\x10Exif\x00\x00II*")
    gone = tmp_path / "gone.jpg"
    words = metadata_words([fifo, broken, gone])
    assert list(words) == [fifo, broken, gone]
    for path in (fifo, broken, gone):
        assert not any(words[path]), path.name
        assert finds(path, words[path], path.stem), "its name is still found"
        assert not finds(path, words[path], "caption")


def test_the_words_cross_from_a_worker_process(tmp_path: Path) -> None:
    path = write(tmp_path, "newsroom.jpg", QUIRKS["quirk-newsroom.jpg"]())
    words = metadata_words([path])
    assert pickle.loads(pickle.dumps(words)) == words
    assert all(isinstance(word, str) for word in words[path])


def credit_line_file() -> bytes:
    """A photo whose credit line says a by-line, a credit and a copyright holder."""
    return jpeg_with(
        xmp_segment(
            rich_xmp(
                bag("dc:creator", ["Jane Doe"], "Seq") + alt("dc:rights", "© 2021 Agence"),
                'photoshop:Credit="Reuters"',
            )
        )
    )


def test_find_reads_what_the_window_shows_of_a_file(tmp_path: Path) -> None:
    """Title, caption and credit line as the window shows them (viewer.captions): every
    word a person reads there, Find must find. The by-line and copyright are part of the
    credit line ("Jane Doe / Reuters · © 2021 Agence")."""
    files = {"IMG_1.jpg": credit_line_file}
    files.update((name, make) for name, make in QUIRKS.items() if not name.endswith(".png"))
    missed = []
    for name, make in files.items():
        path = write(tmp_path, name, make())
        shown = photo_text(files_photo(path), read_metadata(path))
        words = metadata_words([path])[path]
        for field in (shown.title, shown.caption, shown.credit):
            missed += [
                f"{name}: {word!r} of {field!r}"
                for word in query_words(field)
                if any(c.isalnum() for c in word)  # not the "/" and "·" between parts
                and not finds(path, words, word)
            ]
    assert not missed, "Find misses words the window shows:\n" + "\n".join(missed)


def test_credential_words_by_state() -> None:
    signed = Provenance("valid", signer="Jane Signer (Example News)", generator="Desk Camera 2.0")
    assert credential_words(None) == [] and credential_words(Provenance("none")) == []
    assert credential_words(signed) == [
        "Content Credentials",
        "Jane Signer (Example News)",
        "Desk Camera 2.0",
        "signed",
    ]
    assert "trusted" in credential_words(replace(signed, state="trusted"))
    changed = replace(signed, state="invalid", problems=(CHANGED_WORDS,))
    assert credential_words(changed)[-2:] == ["signed", "changed after signing"]
    broken = replace(signed, state="invalid", problems=("the signature does not match",))
    assert credential_words(broken)[-1] == "broken signature"
    assert credential_words(Provenance("error", remote=True))[-1] == "online, not checked"
    assert credential_words(Provenance("error"))[-1] == "unreadable"
    assert credential_words(replace(signed, ai_generated=True))[-1] == "generative AI"


def test_find_tells_signed_changed_and_unsigned_photos_apart(tmp_path: Path) -> None:
    pytest.importorskip("c2pa", reason=c2pa_builders.SKIP_REASON)
    authority = c2pa_builders.make_authority()
    newsroom = QUIRKS["quirk-newsroom.jpg"]()
    plain = write(tmp_path, "plain.jpg", newsroom)
    signed = write(tmp_path, "signed.jpg", c2pa_builders.sign(newsroom, authority))
    changed = write(
        tmp_path, "changed.jpg", c2pa_builders.changed_after_signing(signed.read_bytes())
    )
    words = metadata_words([plain, signed, changed])

    def found(query: str) -> list[str]:
        return [path.name for path in words if finds(path, words[path], query)]

    assert found("signed") == ["signed.jpg", "changed.jpg"]
    assert found("changed") == ["changed.jpg"]
    assert found("content credentials") == ["signed.jpg", "changed.jpg"]
    assert found("jane signer") == ["signed.jpg", "changed.jpg"]
    assert found("trusted") == []
    assert found("rover") == ["plain.jpg", "signed.jpg", "changed.jpg"], "the caption still"
    states = {
        path.name: state for path, (_words, state) in find_entries([plain, signed, changed]).items()
    }
    assert states == {"plain.jpg": "none", "signed.jpg": "valid", "changed.jpg": "invalid"}
