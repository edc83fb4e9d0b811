"""Help > About: what Photo Desk is built from, with each licence and, where known, version."""

from __future__ import annotations

import platform

import PIL

from viewer.licences import COMPONENTS, Component, about_lines


def test_the_about_text_names_every_component_and_its_licence() -> None:
    lines = about_lines("1.2.3")
    assert lines[0] == "Photo Desk 1.2.3"
    assert f"Python {platform.python_version()}" in lines
    for component in COMPONENTS:
        entry = next(line for line in lines if line.startswith(f"• {component.name}"))
        assert entry.endswith(f": {component.licence}")
        assert f"    {component.home}" in lines


def test_installed_versions_are_read_at_run_time() -> None:
    pillow = next(c for c in COMPONENTS if c.distribution == "Pillow")
    assert pillow.version() == PIL.__version__
    assert f"• Pillow {PIL.__version__}: MIT-CMU (HPND)" in about_lines("1")


def test_a_component_that_is_not_installed_has_no_version() -> None:
    absent = Component("Nothing", "photodesk-no-such-distribution", "MIT", "https://example.org")
    assert absent.version() == ""
    assert Component("Inside another", "", "MIT", "https://example.org").version() == ""


def test_the_qt_version_is_said_when_given() -> None:
    assert f"Python {platform.python_version()} · Qt 6.7.2" in about_lines("1", qt_version="6.7.2")
    assert not any("Qt 6" in line for line in about_lines("1") if line.startswith("Python"))


def test_bundled_libraries_under_other_licences_are_mentioned() -> None:
    """pillow-heif's wheels carry LGPL and GPL code: the About text must say so."""
    text = "\n".join(about_lines("1"))
    assert "libheif and libde265 (LGPL-3.0)" in text
    assert "x265 (GPL-2.0-or-later)" in text


def test_the_gpl_of_the_writer_and_what_it_means_are_said() -> None:
    text = "\n".join(about_lines("1"))
    exiv2 = next(c for c in COMPONENTS if c.distribution == "exiv2")
    assert exiv2.licence == "GPL-3.0-or-later"
    assert "libexiv2 0.28 (GPL-2.0-or-later" in text
    assert exiv2.version().startswith("0.19")
    assert "the distributed app as a whole is covered by the GNU GPL version 3" in text
    assert "Photo Desk's own code is under the MIT licence" in text
