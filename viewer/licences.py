"""What Photo Desk is built from, and under which licences (Help > About).

The licences are written here rather than read from package metadata: some packages
declare none in it, and a frozen build may not carry the metadata at all. Versions are
read at run time where they can be.
"""

from __future__ import annotations

import dataclasses
import platform
from importlib import metadata


@dataclasses.dataclass(frozen=True)
class Component:
    """One library shipped with Photo Desk."""

    name: str
    distribution: str  # the package on PyPI ("" for libraries inside another package)
    licence: str
    home: str
    note: str = ""

    def version(self) -> str:
        """The version installed, read at run time; "" when it cannot be read.

        A library inside another package has no distribution of its own to ask.
        """
        if not self.distribution:
            return ""
        try:
            return metadata.version(self.distribution)
        except metadata.PackageNotFoundError:
            return ""


COMPONENTS = (
    Component(
        "Qt for Python (PySide6-Essentials)",
        "PySide6-Essentials",
        "LGPL-3.0-only (or GPL-2.0/GPL-3.0)",
        "https://www.qt.io/qt-for-python",
        "with the Qt libraries it ships",
    ),
    Component("Shiboken6", "shiboken6", "LGPL-3.0-only (or GPL-2.0/GPL-3.0)", "https://www.qt.io"),
    Component(
        "Pillow",
        "Pillow",
        "MIT-CMU (HPND)",
        "https://python-pillow.org",
        "with libjpeg-turbo, libpng, libtiff, libwebp, Little CMS, zlib and others",
    ),
    Component("ExifRead", "ExifRead", "BSD-3-Clause", "https://github.com/ianare/exif-py"),
    Component("defusedxml", "defusedxml", "PSF-2.0", "https://github.com/tiran/defusedxml"),
    Component(
        "pillow-heif",
        "pillow-heif",
        "BSD-3-Clause",
        "https://github.com/bigcat88/pillow_heif",
        "its wheels bundle libheif and libde265 (LGPL-3.0) and x265 (GPL-2.0-or-later)",
    ),
    Component(
        "exiv2 (python-exiv2)",
        "exiv2",
        "GPL-3.0-or-later",
        "https://github.com/jim-easterbrook/python-exiv2",
        "writes captions into photos; its wheels carry libexiv2 0.28 (GPL-2.0-or-later, "
        "https://exiv2.org) and the libraries libexiv2 links for remote files, which Photo "
        "Desk never opens (libcurl, OpenSSL, Kerberos, OpenLDAP, libssh)",
    ),
    Component(
        "c2pa-python",
        "c2pa-python",
        "MIT OR Apache-2.0",
        "https://github.com/contentauth/c2pa-python",
        "reads Content Credentials offline; its wheels carry the c2pa-rs library "
        "(MIT OR Apache-2.0)",
    ),
)
# What the GPL components mean for the app as people receive it, said once, plainly.
DISTRIBUTION = (
    "Photo Desk's own code is under the MIT licence. The app as distributed (the bundle "
    "and the Debian package) includes libraries under the GNU GPL (exiv2, x265), so the "
    "distributed app as a whole is covered by the GNU GPL version 3 or later: you may "
    "run, study, share and change it, and whoever passes it on must also offer its "
    "complete source code under the same terms."
)


def about_lines(version: str, qt_version: str = "") -> list[str]:
    """The About text, a line each, plain."""
    lines = [
        f"Photo Desk {version}",
        "Look at photographs together with their caption, credit and story.",
        "",
        f"Python {platform.python_version()}" + (f" · Qt {qt_version}" if qt_version else ""),
        "",
        "Built with:",
    ]
    for component in COMPONENTS:
        version_text = component.version()
        name = f"{component.name} {version_text}".strip()
        lines.append(f"• {name}: {component.licence}")
        if component.note:
            lines.append(f"    {component.note}")
        lines.append(f"    {component.home}")
    lines += ["", DISTRIBUTION]
    return lines
