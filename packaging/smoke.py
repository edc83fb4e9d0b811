"""Smoke test of a built Photo Desk: ``python packaging/smoke.py PATH/TO/photodesk``.

Runs the executable the way a person's desktop would (a fresh home, no display), and
checks what comes out: the version; a screenshot of the first launch (the bundled story)
and of a folder holding a HEIC and a JPEG with IPTC caption, both non-blank; metadata
exported as JSON lines; a caption written into a copy of the JPEG with
``--import-metadata`` (and into the HEIC's sidecar) and read back; Content Credentials
read offline (a photo signed here, a copy of it changed after signing, and the files of
../shared/c2pa when that folder exists); and that nothing was written beside the
executable (settings, caches and logs belong in the user's folders).
Exits non-zero naming the first failure.
Needs Pillow, pillow-heif, c2pa-python and cryptography (the project's venv with its test
extra has them) to make, sign and read test files.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image, ImageStat

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from viewer.metadata import iptc  # noqa: E402


class SmokeError(Exception):
    pass


def fresh_env(home: Path) -> dict[str, str]:
    """A desktop session's environment with a fresh home and no display."""
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "XDG_STATE_HOME": str(home / ".local" / "state"),
        "QT_QPA_PLATFORM": "offscreen",
        "LANG": "C.UTF-8",
    }


def run(exe: Path, *args: str, home: Path, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(exe), *args],
        env=fresh_env(home),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def check_screenshot(png: Path, what: str) -> None:
    with Image.open(png) as shot:
        if shot.size != (1400, 900):
            raise SmokeError(f"{what}: screenshot is {shot.size}, not 1400x900")
        picture = shot.convert("L").crop((100, 100, 900, 600))
        spread = ImageStat.Stat(picture).stddev[0]
        if spread < 8:
            raise SmokeError(f"{what}: the picture area is blank (stddev {spread:.1f})")


def make_folder(folder: Path) -> None:
    import pillow_heif  # noqa: PLC0415

    pillow_heif.register_heif_opener()
    gradient = Image.linear_gradient("L").resize((900, 600)).convert("RGB")
    gradient = Image.merge(
        "RGB",
        (gradient.getchannel(0), gradient.rotate(90).getchannel(0), Image.new("L", (900, 600), 90)),
    )
    gradient.save(folder / "a-phone.heic", quality=80)
    gradient.save(folder / "b-camera.jpg", quality=85)
    block = iptc.build_app13(
        iptc.build_iim(
            [(iptc.CAPTION, "Smoke test caption"), (iptc.CREDIT, "Smoke Agency")], utf8=True
        )
    )
    jpeg = folder / "b-camera.jpg"
    jpeg.write_bytes(iptc.insert_jpeg_segment(jpeg.read_bytes(), block))


WRITTEN = "Smoke caption, written: Écrit à la main — 火星 🙂"


def check_writing(exe: Path, folder: Path, home: Path) -> str:
    """Write a caption into a copy of the JPEG (and the HEIC's sidecar), read it back."""
    copy = folder / "c-copy.jpg"
    copy.write_bytes((folder / "b-camera.jpg").read_bytes())
    records = folder.parent / "records.jsonl"
    lines = [
        {"file": name, "caption": WRITTEN} for name in ("photos/c-copy.jpg", "photos/a-phone.heic")
    ]
    records.write_text("\n".join(json.dumps(line, ensure_ascii=False) for line in lines), "utf-8")
    result = run(exe, "--import-metadata", str(records), home=home)
    statuses = [json.loads(line)["status"] for line in result.stdout.splitlines()]
    if result.returncode != 0 or statuses != ["written", "sidecar"]:
        raise SmokeError(
            f"--import-metadata: {result.returncode} {result.stdout!r} {result.stderr}"
        )
    result = run(exe, "--export-metadata", str(copy), str(folder / "a-phone.heic"), home=home)
    captions = [json.loads(line)["caption"] for line in result.stdout.splitlines()]
    if captions != [WRITTEN, WRITTEN]:
        raise SmokeError(f"the written captions read back as {captions!r}")
    if (folder / "b-camera.jpg").read_bytes() == copy.read_bytes():
        raise SmokeError("the copy did not change")
    leftovers = [p.name for p in folder.iterdir() if p.name.startswith(".")]
    if leftovers:
        raise SmokeError(f"the writer left files behind: {leftovers}")
    return "--import-metadata: a caption written into a JPEG copy and a HEIC's sidecar, read back"


def check_credentials(exe: Path, folder: Path, home: Path) -> str:
    """Content Credentials: a photo signed here reads valid, a changed copy invalid."""
    from tests.unit.metadata import c2pa_builders  # noqa: PLC0415 - needs the test extra

    signed = c2pa_builders.sign(c2pa_builders.picture(), c2pa_builders.make_authority())
    expected = {"signed.jpg": "valid", "changed.jpg": "invalid", "b-camera.jpg": "none"}
    (folder / "signed.jpg").write_bytes(signed)
    (folder / "changed.jpg").write_bytes(c2pa_builders.changed_after_signing(signed))
    paths = [folder / name for name in expected]
    shared = ROOT.parent / "shared" / "c2pa"
    if shared.is_dir():
        shared_states = {
            "CA.jpg": "valid",
            "C.jpg": "valid",
            "XCA.jpg": "invalid",
            "no_manifest.jpg": "none",
        }
        expected |= shared_states
        paths += [shared / name for name in shared_states]
    result = run(exe, "--export-metadata", *map(str, paths), home=home)
    states = {
        Path(row["file"]).name: (row.get("provenance") or {}).get("state")
        for row in map(json.loads, result.stdout.splitlines())
    }
    if result.returncode != 0 or states != expected:
        raise SmokeError(f"Content Credentials read as {states}, not {expected}: {result.stderr}")
    for name in ("signed.jpg", "changed.jpg"):
        (folder / name).unlink()
    where = " and ../shared/c2pa" if shared.is_dir() else ""
    return f"Content Credentials: signed, changed and unsigned photos{where} read as expected"


def children_of(pid: int) -> dict[int, str]:
    """Process id -> command line of the processes whose parent is ``pid`` (Linux)."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            parent = int(stat.rsplit(")", 1)[1].split()[1])
            if parent == pid:
                command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
                found[int(entry.name)] = command
        except (OSError, ValueError, IndexError):
            continue
    return found


def check_workers(exe: Path, folder: Path, home: Path) -> str:
    """Run the app on a folder: its worker processes must be workers (the frozen app
    started with the worker flag, not second copies of the app), and must go when it is
    killed while they work."""
    app = subprocess.Popen(
        [str(exe), str(folder)],
        env=fresh_env(home),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    workers: dict[int, str] = {}
    try:
        # Workers start as the app does and stop after a few idle seconds: look early.
        deadline = time.monotonic() + 15
        while not workers and time.monotonic() < deadline and app.poll() is None:
            workers = children_of(app.pid)
            time.sleep(0.02)
        if not workers:
            raise SmokeError("no worker process was started")
        wrong = [c for c in workers.values() if "--photodesk-worker" not in c.split()]
        if wrong:
            raise SmokeError(f"a child process is not a worker: {wrong}")
        nested = [p for p in workers if children_of(p)]
        if nested:
            raise SmokeError("a worker started processes of its own (a second copy of the app?)")
    finally:
        app.kill()
        app.wait(timeout=10)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(Path(f"/proc/{p}").exists() for p in workers):
        time.sleep(0.1)
    alive = [p for p in workers if Path(f"/proc/{p}").exists() and "Z" not in _state(p)]
    if alive:
        raise SmokeError(f"worker processes outlived the app: {alive}")
    return f"{len(workers)} worker process(es) ran beside the app, and ended with it"


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return "gone"


def snapshot(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


def smoke(exe: Path) -> list[str]:
    done = []
    install_dir = exe.resolve().parent
    before = snapshot(install_dir)
    with tempfile.TemporaryDirectory() as scratch:
        home = Path(scratch) / "home"
        home.mkdir()
        result = run(exe, "--version", home=home)
        if result.returncode != 0 or not result.stdout.startswith("photodesk "):
            raise SmokeError(f"--version: {result.returncode} {result.stdout!r} {result.stderr!r}")
        done.append(result.stdout.strip())

        first = Path(scratch) / "first.png"
        result = run(exe, "--screenshot", str(first), home=home)
        if result.returncode != 0:
            raise SmokeError(f"first launch screenshot failed: {result.stderr}")
        check_screenshot(first, "first launch")
        done.append("first launch shows the bundled story (screenshot checked)")

        folder = Path(scratch) / "photos"
        folder.mkdir()
        make_folder(folder)
        shot = Path(scratch) / "heic.png"
        result = run(exe, "--screenshot", str(shot), str(folder / "a-phone.heic"), home=home)
        if result.returncode != 0:
            raise SmokeError(f"HEIC screenshot failed: {result.stderr}")
        check_screenshot(shot, "a HEIC photo")
        done.append("a HEIC photo decodes and shows")

        result = run(exe, "--export-metadata", str(folder), home=home)
        rows = [json.loads(line) for line in result.stdout.splitlines()]
        by_name = {Path(row["file"]).name: row for row in rows}
        camera = by_name.get("b-camera.jpg", {})
        if result.returncode != 0 or camera.get("caption") != "Smoke test caption":
            raise SmokeError(f"--export-metadata: {result.returncode} {rows} {result.stderr}")
        if by_name.get("a-phone.heic", {}).get("error"):
            raise SmokeError(f"--export-metadata could not read the HEIC: {by_name}")
        done.append(f"--export-metadata: {len(rows)} JSON lines, IPTC caption read")
        done.append(check_writing(exe, folder, home))
        done.append(check_credentials(exe, folder, home))
        done.append(check_workers(exe, folder, home))
    written = snapshot(install_dir) - before
    if written:
        raise SmokeError(f"files were written beside the executable: {sorted(written)[:5]}")
    done.append("nothing written beside the executable")
    return done


def main() -> int:
    if len(sys.argv) != 2:
        print("usage: smoke.py PATH/TO/photodesk", file=sys.stderr)
        return 2
    try:
        for line in smoke(Path(sys.argv[1])):
            print(f"ok: {line}")
    except (SmokeError, OSError, subprocess.TimeoutExpired, json.JSONDecodeError) as exc:
        print(f"smoke: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
