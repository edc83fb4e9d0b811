"""One function decides where the bundled files are, however Photo Desk was started."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from viewer import resources

ROOT = Path(__file__).resolve().parents[2]


def test_checkout_resources_are_found() -> None:
    root = resources.resource_root()
    assert (root / "gallery" / "zhurong" / "gallery.json").is_file()
    assert resources.bundled_gallery_path().is_file()
    assert resources.app_icon_path().is_file()


def test_a_frozen_bundle_uses_its_own_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bundle = tmp_path / "bundle"
    shutil.copytree(ROOT / "resources" / "gallery", bundle / "resources" / "gallery")
    monkeypatch.setattr(sys, "_MEIPASS", str(bundle), raising=False)
    assert resources.resource_root() == bundle / "resources"
    assert resources.bundled_gallery_path().is_relative_to(bundle)


def test_missing_resources_are_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(resources, "_PACKAGE_DIR", tmp_path / "viewer")
    with pytest.raises(FileNotFoundError, match="resources are missing"):
        resources.resource_root()
