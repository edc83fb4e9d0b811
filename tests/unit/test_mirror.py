"""tests/unit mirrors the package: each Qt-free module of viewer/ has its own test module
(viewer/metadata/dates.py -> tests/unit/metadata/test_dates.py), and nothing in tests/unit
needs Qt, so `make test-noqt` runs the whole folder where PySide6 is not installed."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.unit.test_layers import QT_FREE_IMAGING, imported_modules

ROOT = Path(__file__).resolve().parents[2]
VIEWER = ROOT / "viewer"
UNIT = ROOT / "tests" / "unit"

PACKAGES = ("model", "metadata", "imaging")
# Top-level modules of viewer/ that have no unit test module, and why.
NOT_UNIT_TESTED = {
    "__init__.py": "the version only",
    "__main__.py": "`python -m viewer`: calls viewer.app.main",
    "app.py": "the wiring, the one place that knows everything: tests/e2e start it",
}
# Test modules at the top of tests/unit that span the package rather than mirror a module.
CROSS_CUTTING = {
    "test_layers.py": "which layer may import which",
    "test_mirror.py": "this file",
    "test_fuzz.py": "mutated and random files against every reader",
    "test_hostile_files.py": "hostile files against the decoders, in fresh interpreters",
}
# What a test under tests/unit may not import: Qt, the ui layer, and the modules of
# imaging that hand QImages to it.
NEEDS_QT = (
    "PySide6",
    "pytestqt",
    "viewer.ui",
    "viewer.imaging.decode",
    "viewer.imaging.thumbnails",
)


def qt_free_modules() -> list[Path]:
    """Every module of viewer/ that unit tests must cover, as a path below viewer/."""
    modules = [
        path.relative_to(VIEWER)
        for path in sorted(VIEWER.glob("*.py"))
        if path.name not in NOT_UNIT_TESTED
    ]
    for package in PACKAGES:
        for path in sorted((VIEWER / package).glob("*.py")):
            if path.name == "__init__.py":
                continue
            if package == "imaging" and path.name not in QT_FREE_IMAGING:
                continue  # hands QImages to the ui: tests/integration
            modules.append(path.relative_to(VIEWER))
    return modules


def mirror_of(module: Path) -> Path:
    return UNIT / module.parent / f"test_{module.name}"


def defines_a_test(path: Path) -> bool:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return any(
        isinstance(node, ast.FunctionDef) and node.name.startswith("test_") for node in tree.body
    )


@pytest.mark.parametrize("module", qt_free_modules(), ids=str)
def test_every_qt_free_module_has_its_own_test_module(module: Path) -> None:
    tests = mirror_of(module)
    assert tests.is_file(), f"viewer/{module} has no {tests.relative_to(ROOT)}"
    assert defines_a_test(tests), f"{tests.relative_to(ROOT)} defines no test"


@pytest.mark.parametrize("module", [m for m in qt_free_modules() if m.parent == Path(".")], ids=str)
def test_the_top_level_modules_tested_here_need_no_qt(module: Path) -> None:
    for name in imported_modules(VIEWER / module):
        assert not name.startswith("PySide6"), f"viewer/{module} imports {name}"


def test_the_top_level_modules_left_out_are_the_ones_named() -> None:
    for name in NOT_UNIT_TESTED:
        assert (VIEWER / name).is_file(), f"viewer/{name} is gone: drop it from NOT_UNIT_TESTED"


def test_every_test_module_mirrors_a_module_or_is_cross_cutting() -> None:
    expected = {mirror_of(module) for module in qt_free_modules()}
    for path in sorted(UNIT.rglob("test_*.py")):
        if path.parent == UNIT and path.name in CROSS_CUTTING:
            continue
        assert path in expected, (
            f"{path.relative_to(ROOT)} mirrors no Qt-free module of viewer/: name it after "
            "the module it tests, or list it in CROSS_CUTTING"
        )


def test_the_test_packages_are_packages() -> None:
    for package in PACKAGES:
        assert (UNIT / package / "__init__.py").is_file(), package
    folders = {path.parent for path in UNIT.rglob("*.py")}
    assert folders == {UNIT, *(UNIT / package for package in PACKAGES)}, "no other folders"


def unit_test_sources() -> list[Path]:
    """Every Python file under tests/unit, and what it imports from tests/."""
    shared = [
        ROOT / "tests" / name
        for name in ("conftest.py", "builders.py", "hostile.py", "processes.py")
    ]
    return sorted(UNIT.rglob("*.py")) + shared


@pytest.mark.parametrize("path", unit_test_sources(), ids=lambda p: str(p.relative_to(ROOT)))
def test_nothing_in_the_unit_tests_needs_qt(path: Path) -> None:
    for name in imported_modules(path):
        assert not any(name == banned or name.startswith(banned + ".") for banned in NEEDS_QT), (
            f"{path.relative_to(ROOT)} imports {name}: tests/unit runs without Qt"
        )


def test_the_unit_tests_import_only_what_tests_unit_may() -> None:
    """What the unit tests import from tests/ is itself checked above."""
    shared = {path.stem for path in unit_test_sources() if path.parent == ROOT / "tests"}
    for path in sorted(UNIT.rglob("*.py")):
        for name in imported_modules(path):
            if name.startswith("tests.") and not name.startswith("tests.unit."):
                assert name.split(".")[1] in shared, f"{path.relative_to(ROOT)} imports {name}"
