"""The layers of CONVENTIONS.md: lower layers never import higher ones or Qt widgets."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.builders import python_output

ROOT = Path(__file__).resolve().parents[2]
VIEWER = ROOT / "viewer"

# package -> module prefixes it must never import
FORBIDDEN = {
    "model": ("PySide6", "viewer.metadata", "viewer.imaging", "viewer.ui", "viewer.app"),
    "metadata": ("PySide6", "viewer.model", "viewer.imaging", "viewer.ui", "viewer.app"),
    "imaging": ("PySide6.QtWidgets", "viewer.ui", "viewer.app"),
}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_layer_imports_nothing_above_it(package: str) -> None:
    files = sorted((VIEWER / package).rglob("*.py"))
    assert files, f"viewer/{package} has no modules"
    for path in files:
        for name in imported_modules(path):
            for prefix in FORBIDDEN[package]:
                assert not (name == prefix or name.startswith(prefix + ".")), (
                    f"{path.relative_to(ROOT)} imports {name}, which viewer/{package} must not use"
                )


QT_FREE_IMAGING = (
    "pixels.py",
    "thumbcache.py",
    "lru.py",
    "exif_thumbnail.py",
    "geometry.py",
    "compact.py",
    "story_export.py",
    "raw.py",
    "memory.py",
    "jobs.py",
    "__init__.py",
)


@pytest.mark.parametrize("name", QT_FREE_IMAGING)
def test_the_pure_parts_of_imaging_import_no_qt(name: str) -> None:
    for module in imported_modules(VIEWER / "imaging" / name):
        assert not module.startswith("PySide6"), f"viewer/imaging/{name} imports {module}"
        assert module not in ("viewer.imaging.decode", "viewer.imaging.thumbnails")


def test_every_imaging_module_is_either_listed_qt_free_or_uses_qt() -> None:
    """A new Qt-free module goes into QT_FREE_IMAGING (so its tests run without Qt);
    the others are the ones that hand QImages to the ui layer."""
    for path in sorted((VIEWER / "imaging").glob("*.py")):
        uses_qt = any(name.startswith("PySide6") for name in imported_modules(path))
        assert uses_qt != (path.name in QT_FREE_IMAGING), f"viewer/imaging/{path.name}: " + (
            "listed as Qt-free but imports Qt" if uses_qt else "add it to QT_FREE_IMAGING"
        )


def test_what_worker_processes_import_needs_no_qt() -> None:
    code = (
        "import sys, viewer.isolation\n"
        "viewer.isolation.preload()\n"
        "import viewer.metadata.words, viewer.imaging.compact\n"
        "print(','.join(sorted(m for m in sys.modules if m.startswith('PySide6'))))\n"
    )
    assert python_output(code) == "", "a worker process must not load Qt"


def test_widgets_live_only_in_ui() -> None:
    for path in sorted(VIEWER.rglob("*.py")):
        if "ui" in path.relative_to(VIEWER).parts:
            continue
        for name in imported_modules(path):
            assert not name.startswith("PySide6.QtWidgets") or path.name == "app.py", (
                f"{path.relative_to(ROOT)} imports {name}; widgets belong in viewer/ui"
            )


def test_model_metadata_and_command_line_load_without_qt() -> None:
    code = (
        "import sys, viewer.model, viewer.metadata, viewer.resources, viewer.app\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] == 'PySide6')\n"
        "print(','.join(loaded))\n"
    )
    loaded = python_output(code)
    assert loaded == "", f"Qt was imported: {loaded}"
