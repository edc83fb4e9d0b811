"""Content Credentials from the command line, as a script or a desk runs it: the states
the reference library gives the reference fixtures (../shared/c2pa/SOURCES.md), and
--check-metadata --require credentials."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.unit.metadata import c2pa_builders

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared" / "c2pa"
# What SOURCES.md says of each file, as Photo Desk's states.
SOURCES = {
    "C.jpg": "valid",
    "CA.jpg": "valid",
    "XCA.jpg": "invalid",
    "no_manifest.jpg": "none",
}

pytestmark = [
    pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/c2pa is not present"),
]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.pop("QT_QPA_PLATFORM", None)
    return subprocess.run(
        [sys.executable, "main.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def exported(*paths: Path) -> dict[str, dict[str, Any]]:
    result = run("--export-metadata", *map(str, paths))
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    return {Path(r["file"]).name: r["provenance"] for r in records}


def test_export_gives_the_states_sources_md_lists() -> None:
    pytest.importorskip("c2pa", reason=c2pa_builders.SKIP_REASON)
    provenance = exported(SHARED)
    assert {name: p["state"] for name, p in provenance.items()} == SOURCES
    assert provenance["no_manifest.jpg"] == {"state": "none"}
    assert provenance["CA.jpg"] == {
        "state": "valid",
        "signer": "C2PA Signer (C2PA Test Signing Cert)",
        "generator": "make_test_images 0.33.1",
        "signed_at": "2024-08-06T21:53:37+00:00",
        "actions": ["opened", "colour adjusted"],
        "ingredients": ["A.jpg"],
        "ai_generated": None,
        "problems": [],
    }
    assert provenance["XCA.jpg"]["problems"] == ["the picture was changed after it was signed"]
    assert provenance["C.jpg"]["ai_generated"] is False, "algorithmicMedia: not generative AI"


def test_csv_gives_the_states_in_flat_columns() -> None:
    pytest.importorskip("c2pa", reason=c2pa_builders.SKIP_REASON)
    result = run("--export-metadata", "--format", "csv", str(SHARED))
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout.removeprefix("\ufeff"))))
    assert {Path(r["file"]).name: r["provenance_state"] for r in rows} == SOURCES
    ca = next(r for r in rows if r["file"].endswith("CA.jpg") and "XCA" not in r["file"])
    assert ca["provenance_actions"] == "opened; colour adjusted"
    assert ca["provenance_ai_generated"] == ""


def test_require_credentials_fails_the_photos_without_valid_ones() -> None:
    pytest.importorskip("c2pa", reason=c2pa_builders.SKIP_REASON)
    result = run("--check-metadata", "--require", "credentials", str(SHARED))
    assert result.returncode == 1, result.stderr
    verdicts = {
        Path(line[5:]).name: line[:3]
        for line in result.stdout.splitlines()
        if line[:3] in ("ok ", "FIX")
    }
    assert verdicts == {"C.jpg": "ok ", "CA.jpg": "ok ", "XCA.jpg": "FIX", "no_manifest.jpg": "FIX"}
    assert "     - Changed after it was signed by C2PA Signer" in result.stdout
    assert "     - no Content Credentials" in result.stdout
    assert result.stdout.endswith("4 photos checked: 2 ready, 2 to fix\n")


def test_a_trust_anchor_the_user_added_makes_a_signer_trusted(tmp_path: Path) -> None:
    pytest.importorskip("c2pa", reason=c2pa_builders.SKIP_REASON)
    authority = c2pa_builders.make_authority()
    photo = tmp_path / "signed.jpg"
    photo.write_bytes(c2pa_builders.sign(c2pa_builders.picture(), authority))
    assert exported(photo)["signed.jpg"]["state"] == "valid"
    # conftest points XDG_CONFIG_HOME at tmp_path/xdg-config for the app started here too
    authority.write_root(tmp_path / "xdg-config" / "photodesk" / "trust")
    assert exported(photo)["signed.jpg"]["state"] == "trusted"
    result = run("--check-metadata", "--require", "trusted_credentials", str(photo))
    assert result.returncode == 0, result.stdout
