"""Build the Debian package from the PyInstaller bundle: ``make deb``.

From dist/photodesk/ to dist/photodesk_<version>_<arch>.deb, in order:

1. check the bundle carries what the app needs (exiv2, libexiv2 and c2pa's libc2pa_c,
   :data:`CARRIED`), then
   stage the tree: the bundle under /opt/photodesk, a ``photodesk`` command in /usr/bin
   (a symlink; the bundle finds its files from its real location), the desktop entry, the
   icon in the hicolor theme (SVG and PNG sizes) and the AppStream metainfo;
2. work out ``Depends`` the way dpkg-shlibdeps would: every shared library the bundle's
   ELF files need and do not carry is looked up with ldconfig and traced to its Debian
   package with ``dpkg -S`` (a library that cannot be found stops the build, naming it);
3. write DEBIAN/control and build with ``dpkg-deb --root-owner-group``.

No maintainer scripts: the desktop database, icon cache and MIME cache are refreshed by
the triggers of desktop-file-utils, hicolor-icon-theme and shared-mime-info, so removing
the package leaves nothing of ours behind.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP_ID = "org.photodesk.PhotoDesk"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ELF_MAGIC = b"\x7fELF"


class BuildError(Exception):
    """The package cannot be built; the message says why."""


def version() -> str:
    text = (ROOT / "viewer" / "__init__.py").read_text(encoding="utf-8")
    match = re.search(r'__version__ = "([^"]+)"', text)
    if match is None:
        raise BuildError("viewer/__init__.py has no __version__")
    return match.group(1)


def architecture() -> str:
    return subprocess.run(
        ["dpkg", "--print-architecture"], capture_output=True, text=True, check=True
    ).stdout.strip()


def elf_files(folder: Path) -> list[Path]:
    found = []
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.is_symlink():
            with path.open("rb") as handle:
                if handle.read(4) == ELF_MAGIC:
                    found.append(path)
    return found


def needed_libraries(path: Path) -> set[str]:
    result = subprocess.run(
        ["readelf", "-d", str(path)], capture_output=True, text=True, check=False
    )
    return set(re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", result.stdout))


def system_library_paths() -> dict[str, str]:
    """soname -> path, for this machine's architecture, from the linker's cache."""
    output = subprocess.run(["ldconfig", "-p"], capture_output=True, text=True, check=True).stdout
    paths: dict[str, str] = {}
    for line in output.splitlines():
        match = re.match(r"\s*(\S+) \(([^)]*)\) => (\S+)", line)
        if match and "64" in match.group(2):  # "libc6,x86-64", "libc6,AArch64": not 32-bit
            paths.setdefault(match.group(1), match.group(3))
    return paths


def owning_package(path: str) -> str | None:
    """The Debian package that ships ``path`` (tried as given, resolved, and with and
    without the /usr prefix, since merged-/usr systems record either)."""
    real = os.path.realpath(path)
    candidates = [path, real]
    for candidate in (path, real):
        if candidate.startswith("/usr/"):
            candidates.append(candidate[4:])
        else:
            candidates.append("/usr" + candidate)
    for candidate in candidates:
        result = subprocess.run(
            ["dpkg-query", "-S", candidate], capture_output=True, text=True, check=False
        )
        if result.returncode == 0:
            return result.stdout.split(":", 1)[0].strip()
    return None


def dependencies(bundle: Path) -> list[str]:
    carried = {path.name for path in bundle.rglob("*.so*")}
    needed: set[str] = set()
    for path in elf_files(bundle):
        needed |= needed_libraries(path)
    system = system_library_paths()
    packages: set[str] = set()
    missing = []
    for soname in sorted(needed - carried):
        location = system.get(soname)
        package = owning_package(location) if location else None
        if package is None:
            missing.append(soname)
        else:
            packages.add(package)
    if missing:
        raise BuildError(
            "these libraries are needed but not installed here, so their packages cannot "
            "be named: " + ", ".join(missing)
        )
    return sorted(packages)


# What the bundle must carry for Photo Desk to work (checked before the package is built).
CARRIED = (
    ("exiv2's Python modules (the caption writer)", "**/exiv2/_image*.so"),
    ("libexiv2", "**/libexiv2*.so*"),
    # ctypes loads it, so PyInstaller only collects it because the spec names it
    ("libc2pa_c (the Content Credentials reader)", "**/c2pa/libs/libc2pa_c.so"),
)


def check_carried(bundle: Path) -> None:
    missing = [what for what, pattern in CARRIED if not any(bundle.glob(pattern))]
    if missing:
        raise BuildError("the bundle does not carry " + ", ".join(missing))


def stage(bundle: Path, tree: Path) -> None:
    if tree.exists():
        shutil.rmtree(tree)
    shutil.copytree(bundle, tree / "opt" / "photodesk", symlinks=True)
    (tree / "usr" / "bin").mkdir(parents=True)
    (tree / "usr" / "bin" / "photodesk").symlink_to("/opt/photodesk/photodesk")
    share = tree / "usr" / "share"
    linux = ROOT / "packaging" / "linux"
    _install(linux / f"{APP_ID}.desktop", share / "applications" / f"{APP_ID}.desktop")
    _install(linux / f"{APP_ID}.metainfo.xml", share / "metainfo" / f"{APP_ID}.metainfo.xml")
    icons = share / "icons" / "hicolor"
    _install(
        ROOT / "resources" / "icons" / "photodesk.svg",
        icons / "scalable" / "apps" / f"{APP_ID}.svg",
    )
    for size in PNG_SIZES:
        source = ROOT / "packaging" / "icons" / f"photodesk-{size}.png"
        _install(source, icons / f"{size}x{size}" / "apps" / f"{APP_ID}.png")
    for path in tree.rglob("*"):
        if path.is_dir():
            path.chmod(0o755)


def _install(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    target.chmod(0o644)


def installed_size_kib(tree: Path) -> int:
    total = sum(p.stat().st_size for p in tree.rglob("*") if p.is_file() and not p.is_symlink())
    return (total + 1023) // 1024


def write_control(tree: Path, depends: list[str], arch: str) -> None:
    control = tree / "DEBIAN" / "control"
    control.parent.mkdir(parents=True)
    control.parent.chmod(0o755)
    control.write_text(
        "\n".join(
            [
                "Package: photodesk",
                f"Version: {version()}",
                f"Architecture: {arch}",
                "Maintainer: Photo Desk developers <photodesk@localhost>",
                f"Installed-Size: {installed_size_kib(tree)}",
                f"Depends: {', '.join(depends)}",
                "Section: graphics",
                "Priority: optional",
                "Description: photo viewer that shows each picture with its story",
                " Photo Desk shows photographs together with their caption, credit and the",
                " article they belong to, read from a gallery or from the files' own IPTC,",
                " XMP and EXIF metadata. Fast thumbnails, zoom, slideshow, find, and export",
                " of a story as a self-contained web page. Captions, credits and keywords",
                " are written into JPEG, PNG and WebP files through exiv2, checked before",
                " the file is replaced, or into XMP sidecars for raw and other files.",
                "",
            ]
        ),
        encoding="utf-8",
    )
    control.chmod(0o644)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bundle", type=Path, default=ROOT / "dist" / "photodesk")
    parser.add_argument("--out", type=Path, default=ROOT / "dist")
    args = parser.parse_args(argv)
    if not (args.bundle / "photodesk").is_file():
        print(
            f"build_deb: {args.bundle}/photodesk not found; run `make bundle` first",
            file=sys.stderr,
        )
        return 1
    try:
        arch = architecture()
        check_carried(args.bundle)
        tree = ROOT / "build" / "deb" / "photodesk"
        stage(args.bundle, tree)
        depends = dependencies(args.bundle)
        write_control(tree, depends, arch)
        package = args.out / f"photodesk_{version()}_{arch}.deb"
        subprocess.run(
            ["dpkg-deb", "--root-owner-group", "-Zxz", "--build", str(tree), str(package)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    except (BuildError, subprocess.CalledProcessError, OSError) as exc:
        print(f"build_deb: {exc}", file=sys.stderr)
        return 1
    print(f"{package} ({package.stat().st_size / 1_048_576:.1f} MB)")
    print("Depends: " + ", ".join(depends))
    return 0


if __name__ == "__main__":
    sys.exit(main())
