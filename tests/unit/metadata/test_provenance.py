"""Content Credentials read and verified offline: one state per file, in plain words.

The files are real: the reference implementation's fixtures in ../shared/c2pa (when
present) and pictures signed here by the reference library itself with a test
certificate made in the test. Tests that need c2pa-python skip without it.
"""

from __future__ import annotations

import importlib
import os
import pickle
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from tests.builders import jpeg_with, python_output, rich_xmp, xmp_segment
from tests.unit.metadata import c2pa_builders
from tests.unit.metadata.c2pa_builders import (
    AI,
    APP11,
    CAMERA,
    created,
    make_authority,
    picture,
    sign,
)
from viewer.metadata.credential_words import CHANGED_WORDS
from viewer.metadata.provenance import (
    STATES,
    Provenance,
    describe_store,
    has_credentials,
    read_provenance,
    reader_settings,
    verify_stream,
)

ROOT = Path(__file__).resolve().parents[3]
SHARED = ROOT.parent / "shared" / "c2pa"
FORMATS = [
    ("PNG", "image/png"),
    ("WEBP", "image/webp"),
    ("TIFF", "image/tiff"),
    ("GIF", "image/gif"),
]
ONLINE = "http://127.0.0.1:9/manifests/photo.c2pa"
needs_shared = pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/c2pa is not present")


@pytest.fixture
def c2pa_lib() -> ModuleType:
    module: ModuleType = pytest.importorskip("c2pa", reason=c2pa_builders.SKIP_REASON)
    return module


@pytest.fixture
def authority(c2pa_lib: ModuleType) -> c2pa_builders.Authority:
    return make_authority()


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


# --- what each state says -----------------------------------------------------------


def test_each_state_has_its_line_for_the_detail_pane() -> None:
    signed = Provenance("valid", signer="Jane Signer (Example News)", generator="Desk Camera 2.0")
    assert Provenance("none").summary() == ""
    assert (
        replace(signed, signed_at="2024-08-06T21:53:37+00:00").summary()
        == "Content Credentials: signed by Jane Signer (Example News) with Desk Camera 2.0"
        " on 2024-08-06"
    )
    assert "(a signer you trust)" in replace(signed, state="trusted").summary()
    assert Provenance("valid", ai_generated=True).summary().endswith("made with generative AI")
    changed = replace(signed, state="invalid", problems=(CHANGED_WORDS,))
    assert changed.changed
    assert changed.summary() == "Changed after it was signed by Jane Signer (Example News)"
    broken = Provenance("invalid", problems=("the signature does not match what was signed",))
    assert not broken.changed
    assert broken.summary() == (
        "Content Credentials broken: the signature does not match what was signed"
    )
    online = Provenance("error", remote=True, remote_url=ONLINE)
    assert online.summary() == (
        f"Content Credentials kept online at {ONLINE}: not checked, Photo Desk is offline"
    )
    damaged = Provenance("error", problems=("the credentials are damaged (Decoding)",))
    assert damaged.summary() == (
        "Content Credentials could not be read: the credentials are damaged (Decoding)"
    )
    assert [Provenance(s).passed for s in STATES] == [False, True, True, False, False]


def test_the_iptc_source_type_joins_what_the_credentials_say() -> None:
    iptc_ai = "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"
    assert Provenance("valid").with_source_type(iptc_ai).ai_generated is True
    assert Provenance("valid", ai_generated=False).with_source_type(iptc_ai).ai_generated is True
    assert Provenance("valid").with_source_type(CAMERA).ai_generated is False
    assert Provenance("valid", ai_generated=True).with_source_type(CAMERA).ai_generated is True
    assert Provenance("valid").with_source_type("").ai_generated is None


def test_provenance_crosses_to_the_window_from_a_worker() -> None:
    value = Provenance("valid", signer="J", actions=("created",), ai_generated=False)
    assert pickle.loads(pickle.dumps(value)) == value


# --- the library's report, in words ---------------------------------------------------


def test_trusted_needs_an_anchor_the_user_added() -> None:
    store = {"active_manifest": "m", "manifests": {"m": {}}}
    assert describe_store(store, "Trusted", trusting=True).state == "trusted"
    assert describe_store(store, "Trusted", trusting=False).state == "valid"
    assert describe_store(store, "Valid", trusting=True).state == "valid"
    assert describe_store(store, "Invalid", trusting=True).state == "invalid"
    assert describe_store(store, None, trusting=False).state == "error"


def test_the_report_is_said_in_words() -> None:
    failure = [
        {"code": "signingCredential.untrusted", "explanation": "signing certificate untrusted"},
        {"code": "assertion.dataHash.mismatch", "explanation": "Hashes do not match"},
    ]
    store = {
        "active_manifest": "edit",
        "manifests": {
            "edit": {
                "claim_generator": "Old_Tool/1.2 c2pa-rs/0.33",
                "signature_info": {"common_name": "Desk", "issuer": "Desk"},
                "assertions": [
                    {"label": "c2pa.actions.v2", "data": {"actions": [{"action": "c2pa.opened"}]}},
                    {"label": "stds.exif", "data": {}},
                ],
                "ingredients": [{"title": "base.jpg", "active_manifest": "base"}, {"title": ""}],
            },
            "base": {"assertions": [{"label": "c2pa.actions", "data": {"actions": created(AI)}}]},
        },
        "validation_results": {
            "activeManifest": {"failure": failure},
            "ingredientDeltas": [
                {"validationDeltas": {"failure": [{"code": "claimSignature.mismatch"}]}}
            ],
        },
    }
    provenance = describe_store(store, "Invalid", trusting=False)
    assert provenance.signer == "Desk", "an organisation that says nothing more is not repeated"
    assert provenance.generator == "Old_Tool 1.2"
    assert provenance.actions == ("opened",)
    assert provenance.ingredients == ("base.jpg",)
    assert provenance.ai_generated is True, "the ingredient it was made from says so"
    assert provenance.problems == (
        CHANGED_WORDS,
        "an ingredient: the signature does not match what was signed",
    )
    assert provenance.source_type == ""


def test_the_settings_forbid_every_fetch() -> None:
    settings = reader_settings()
    assert settings["verify"]["remote_manifest_fetch"] is False
    assert settings["verify"]["ocsp_fetch"] is False
    assert settings["core"]["allowed_network_hosts"] == []
    assert settings["verify"]["verify_trust"] is True, "checked against no list is not valid"
    assert "trust" not in settings
    assert reader_settings("PEM")["trust"] == {"trust_anchors": "PEM"}


# --- files without credentials: nothing loaded ---------------------------------------


def test_a_photo_without_credentials_loads_no_library(tmp_path: Path) -> None:
    path = write(tmp_path, "plain.jpg", jpeg_with())
    assert not has_credentials(path.read_bytes())
    code = (
        "import sys\nfrom pathlib import Path\n"
        "from viewer.metadata.provenance import read_provenance\n"
        f"print(read_provenance(Path({str(path)!r})).state, 'c2pa' in sys.modules)\n"
    )
    assert python_output(code) == "none False"


def test_what_cannot_be_opened_is_an_error_never_a_hang(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.jpg"
    os.mkfifo(fifo)
    assert read_provenance(fifo).state == "error"
    assert "could not be read" in read_provenance(tmp_path / "gone.jpg").problems[0]
    inside = write(tmp_path, "in.jpg", jpeg_with())
    outside = tmp_path / "gallery"
    outside.mkdir()
    assert read_provenance(inside, root=outside).state == "error", "outside the gallery"
    assert read_provenance(inside, root=tmp_path).state == "none"


# --- the reference implementation's fixtures -------------------------------------------


@needs_shared
def test_the_shared_fixtures_say_what_sources_md_says(c2pa_lib: ModuleType) -> None:
    states = {p.name: read_provenance(p) for p in sorted(SHARED.glob("*.jpg"))}
    assert {name: p.state for name, p in states.items()} == {
        "C.jpg": "valid",
        "CA.jpg": "valid",
        "XCA.jpg": "invalid",
        "no_manifest.jpg": "none",
    }
    ca = states["CA.jpg"]
    assert ca.signer == "C2PA Signer (C2PA Test Signing Cert)"
    assert ca.generator == "make_test_images 0.33.1"
    assert ca.signed_at == "2024-08-06T21:53:37+00:00"
    assert ca.actions == ("opened", "colour adjusted")
    assert ca.ingredients == ("A.jpg",)
    assert ca.problems == ()
    assert states["C.jpg"].source_type.endswith("/algorithmicMedia")
    assert states["C.jpg"].ai_generated is False, "a program, not generative AI"
    xca = states["XCA.jpg"]
    assert xca.changed and xca.problems == (CHANGED_WORDS,)
    assert xca.summary().startswith("Changed after it was signed by C2PA Signer")


# --- files signed here by the reference library -----------------------------------------


def test_an_ai_generated_picture(tmp_path: Path, authority: c2pa_builders.Authority) -> None:
    signed = sign(picture(), authority, actions=created(AI), generator=("Imagine", "5"))
    provenance = read_provenance(write(tmp_path, "ai.jpg", signed))
    assert provenance.state == "valid"
    assert provenance.signer == "Jane Signer (Example News)"
    assert provenance.generator == "Imagine 5"
    assert provenance.actions == ("created",)
    assert provenance.ai_generated is True
    assert provenance.source_type == AI
    assert provenance.signed_at == "", "signed without a time stamp authority"
    assert provenance.summary() == (
        "Content Credentials: signed by Jane Signer (Example News) with Imagine 5"
        " · made with generative AI"
    )


def test_an_edited_picture_with_its_ingredients(
    tmp_path: Path, authority: c2pa_builders.Authority
) -> None:
    original = sign(picture(color=(1, 2, 3)), authority, actions=created(AI), title="base.jpg")
    edits: list[dict[str, Any]] = [
        {"action": "c2pa.opened", "parameters": {"ingredientIds": ["parent"]}},
        {"action": "c2pa.cropped"},
        {"action": "c2pa.placed", "parameters": {"ingredientIds": ["logo"]}},
        {"action": "c2pa.color_adjustments"},
    ]
    ingredients = [
        ({"title": "base.jpg", "relationship": "parentOf", "label": "parent"}, original),
        ({"title": "logo.jpg", "relationship": "componentOf", "label": "logo"}, picture()),
    ]
    signed = sign(picture(), authority, actions=edits, ingredients=ingredients, title="out.jpg")
    provenance = read_provenance(write(tmp_path, "edited.jpg", signed))
    assert provenance.state == "valid", provenance.problems
    assert provenance.actions == (
        "opened",
        "cropped",
        "another picture placed in it",
        "colour adjusted",
    )
    assert provenance.ingredients == ("base.jpg", "logo.jpg")
    assert provenance.ai_generated is True, "its base was made by generative AI"


def test_changed_after_signing(tmp_path: Path, authority: c2pa_builders.Authority) -> None:
    signed = sign(picture(), authority)
    path = write(tmp_path, "changed.jpg", c2pa_builders.changed_after_signing(signed))
    provenance = read_provenance(path)
    assert (provenance.state, provenance.problems) == ("invalid", (CHANGED_WORDS,))
    assert provenance.signer == "Jane Signer (Example News)", "who signed is still said"


def test_a_broken_signature(tmp_path: Path, authority: c2pa_builders.Authority) -> None:
    signed = sign(picture(), authority, title="signed-title.jpg")
    broken = c2pa_builders.broken_signature(signed, "signed-title.jpg")
    provenance = read_provenance(write(tmp_path, "broken.jpg", broken))
    assert provenance.state == "invalid"
    assert provenance.problems == ("the signature does not match what was signed",)
    assert provenance.summary().startswith("Content Credentials broken: the signature")


def test_damaged_credentials_are_an_error(
    tmp_path: Path, authority: c2pa_builders.Authority
) -> None:
    damaged = c2pa_builders.damaged_store(sign(picture(), authority))
    provenance = read_provenance(write(tmp_path, "damaged.jpg", damaged))
    assert provenance.state == "error"
    assert provenance.problems[0].startswith("the credentials are damaged (")
    assert not provenance.remote


def test_credentials_kept_online_are_reported_not_fetched(
    tmp_path: Path, authority: c2pa_builders.Authority
) -> None:
    online = sign(picture(), authority, remote_url=ONLINE, embed=False)
    provenance = read_provenance(write(tmp_path, "online.jpg", online))
    assert (provenance.state, provenance.remote, provenance.remote_url) == ("error", True, ONLINE)
    assert provenance.problems == (
        f"the credentials are kept online at {ONLINE}; Photo Desk does not fetch them",
    )
    both = sign(picture(), authority, remote_url=ONLINE)
    embedded = read_provenance(write(tmp_path, "both.jpg", both))
    assert (embedded.state, embedded.remote) == ("valid", False), "the embedded copy is checked"


def test_trusted_when_the_signer_chains_to_an_anchor_the_user_added(
    tmp_path: Path, authority: c2pa_builders.Authority
) -> None:
    path = write(tmp_path, "signed.jpg", sign(picture(), authority))
    anchor = authority.write_root(tmp_path / "trust")
    stranger = make_authority().write_root(tmp_path / "trust", "stranger.pem")
    assert read_provenance(path).state == "valid"
    assert read_provenance(path, trust_anchors=[anchor]).state == "trusted"
    assert read_provenance(path, trust_anchors=[stranger]).state == "valid"
    assert read_provenance(path, trust_anchors=[stranger, anchor]).state == "trusted"
    junk = write(
        tmp_path, "junk.pem", b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----"
    )
    assert read_provenance(path, trust_anchors=[junk]).state == "valid"
    assert read_provenance(path, trust_anchors=[junk, anchor]).state == "trusted", "junk skipped"


def test_the_library_is_handed_a_stream_never_a_path(
    tmp_path: Path, authority: c2pa_builders.Authority, monkeypatch: pytest.MonkeyPatch
) -> None:
    c2pa = pytest.importorskip("c2pa")
    given: list[object] = []
    real = c2pa.Reader

    def reader(*args: object, **kwargs: object) -> object:
        given.extend(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(c2pa, "Reader", reader)
    path = write(tmp_path, "signed.jpg", sign(picture(), authority))
    assert read_provenance(path).state == "valid"
    assert given[0] == "image/jpeg" and hasattr(given[1], "read")
    assert not any(isinstance(arg, (str, Path)) and str(path) in str(arg) for arg in given)


@pytest.mark.parametrize(("fmt", "mime"), FORMATS)
def test_other_formats(
    tmp_path: Path, authority: c2pa_builders.Authority, fmt: str, mime: str
) -> None:
    signed = sign(picture(fmt), authority, mime=mime)
    assert read_provenance(write(tmp_path, f"signed.{fmt.lower()}", signed)).state == "valid"


def test_an_xmp_that_only_names_a_removed_store_is_no_credentials(tmp_path: Path) -> None:
    xmp = rich_xmp(
        "", 'xmlns:dcterms="http://purl.org/dc/terms/" dcterms:provenance="self#jumbf=x"'
    )
    path = write(tmp_path, "stripped.jpg", jpeg_with(xmp_segment(xmp)))
    assert read_provenance(path) == Provenance("none")


def test_a_library_planted_where_photo_desk_starts_is_never_loaded(
    tmp_path: Path, authority: c2pa_builders.Authority
) -> None:
    """c2pa-python looks for its native library in the working folder first; any shared
    object there under its name would be loaded, and run."""
    planted = Path(getattr(importlib.import_module("_ctypes"), "__file__", ""))
    if planted.suffix not in (".so", ".dylib", ".pyd"):
        pytest.skip("no shared object at hand to plant")
    name = {"win32": "c2pa_c.dll", "darwin": "libc2pa_c.dylib"}.get(sys.platform, "libc2pa_c.so")
    folder = tmp_path / "photos"
    (folder / "libs").mkdir(parents=True)
    for where in (folder, folder / "libs"):
        shutil.copyfile(planted, where / name)
    photo = write(tmp_path, "signed.jpg", sign(picture(), authority))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}

    def run(code: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-c", code],
            cwd=folder,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )

    assert run("import c2pa").returncode != 0, "the control: a bare import loads the plant"
    code = (
        "import os\nfrom pathlib import Path\n"
        "from viewer.metadata.provenance import read_provenance\n"
        f"state = read_provenance(Path({str(photo)!r})).state\n"
        "import c2pa.c2pa\n"
        "print(state, Path(c2pa.c2pa._lib._name).parent.parent.name, os.getcwd())\n"
    )
    result = run(code)
    assert result.stdout.split() == ["valid", "c2pa", str(folder)], result.stderr


def test_without_the_library_credentials_are_an_error_that_says_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "c2pa", None)  # as where c2pa-python is not installed
    path = write(tmp_path, "signed.jpg", jpeg_with(APP11))
    assert read_provenance(path) == Provenance(
        "error", problems=("the Content Credentials library (c2pa-python) is not installed",)
    )


def test_a_file_too_large_to_check_says_so(
    tmp_path: Path, authority: c2pa_builders.Authority
) -> None:
    path = write(tmp_path, "signed.jpg", sign(picture(), authority))
    with path.open("rb") as stream:
        provenance = verify_stream(stream, max_size=1024)
        assert stream.tell() == 0
    assert provenance.state == "error"
    assert provenance.problems == (
        "the file is too large to check its credentials here (0 MiB; at most 0 MiB)",
    )
    with path.open("rb") as stream:
        assert verify_stream(stream).state == "valid"
