"""Verifying Content Credentials never touches the network: proved on the system calls.

The C2PA library is Rust behind ctypes: its sockets would not show in Python's audit
hooks (tests/integration/test_failures.py watches those), and it runs in worker
processes. So whole runs are traced with ``strace -f -e trace=network``, which sees
every socket of every process, whatever language opened it. First a control shows the
trace catches the library when it is allowed to fetch (a remote manifest, an OCSP
responder, both at 127.0.0.1 where nothing listens); then Photo Desk's settings, and
Photo Desk itself (export, check, and the window with its workers), are traced on the
same files: not one network system call.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

import pytest

from tests.unit.metadata import c2pa_builders

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared" / "c2pa"
ONLINE = "http://127.0.0.1:9/manifests/photo.c2pa"  # the discard port: nothing answers
OCSP = "http://127.0.0.1:9/ocsp"


def strace_works() -> bool:
    if shutil.which("strace") is None:
        return False
    probe = subprocess.run(
        ["strace", "-f", "-qq", "-e", "trace=network", "-o", os.devnull, "true"],
        capture_output=True,
        check=False,
    )
    return probe.returncode == 0


pytestmark = [
    pytest.mark.skipif(not strace_works(), reason="strace is missing or may not trace here"),
]


@pytest.fixture
def signed_files(tmp_path: Path) -> Path:
    """A folder of files that would make a fetching verifier go online."""
    pytest.importorskip("c2pa", reason=c2pa_builders.SKIP_REASON)
    folder = tmp_path / "photos"
    folder.mkdir()
    picture = c2pa_builders.picture()
    plain = c2pa_builders.make_authority()
    with_ocsp = c2pa_builders.make_authority(ocsp_url=OCSP)
    files = {
        "online.jpg": c2pa_builders.sign(picture, plain, remote_url=ONLINE, embed=False),
        "ocsp.jpg": c2pa_builders.sign(picture, with_ocsp),
        "both.jpg": c2pa_builders.sign(picture, with_ocsp, remote_url=ONLINE),
    }
    for name, data in files.items():
        (folder / name).write_bytes(data)
    if SHARED.is_dir():
        for path in SHARED.glob("*.jpg"):
            shutil.copyfile(path, folder / path.name)
    return folder


def traced(args: list[str], tmp_path: Path, env: dict[str, str] | None = None) -> list[str]:
    """Run ``args`` under strace, following every process; the trace's lines.

    The run's output is in ``tmp_path / "out"``, the files it opened in
    ``tmp_path / "opened"``.
    """
    log = tmp_path / "strace.log"
    with (tmp_path / "out").open("w") as out:
        subprocess.run(
            ["strace", "-f", "-qq", "-e", "trace=network,openat", "-o", str(log), *args],
            cwd=ROOT,
            env={**os.environ, **(env or {})},
            stdout=out,
            stderr=subprocess.PIPE,
            timeout=180,
            check=False,  # --check-metadata exits 1 when photos are to fix
        )
    lines = log.read_text(encoding="utf-8", errors="replace").splitlines()
    (tmp_path / "opened").write_text("\n".join(line for line in lines if "openat(" in line))
    return lines


# A traced call: "PID name(...", or "PID <... name resumed>..." when processes interleave.
CALL = re.compile(r"^\d+\s+(?:<\.\.\.\s+)?([a-z0-9_]+)(?:\(|\s+resumed>)")


def network_calls(lines: list[str]) -> list[str]:
    """The lines of ``lines`` that are network system calls (anything but openat)."""
    calls = []
    for line in lines:
        found = CALL.match(line)
        if found is not None and found.group(1) != "openat":
            calls.append(line)
    return calls


def fetching_script(path: Path, settings: Mapping[str, object]) -> list[str]:
    code = (
        "import io, json, sys, c2pa\n"
        f"context = c2pa.Context.from_dict(json.loads({json.dumps(settings)!r}))\n"
        f"data = open({str(path)!r}, 'rb').read()\n"
        "try:\n"
        "    c2pa.Reader('image/jpeg', io.BytesIO(data), context=context).close()\n"
        "except c2pa.C2paError as exc:\n"
        "    print(exc)\n"
    )
    return [sys.executable, "-c", code]


def test_the_trace_sees_the_library_when_it_is_allowed_to_fetch(
    signed_files: Path, tmp_path: Path
) -> None:
    """The control: without Photo Desk's settings the library does go online."""
    remote = {"verify": {"remote_manifest_fetch": True}}
    calls = network_calls(traced(fetching_script(signed_files / "online.jpg", remote), tmp_path))
    assert any("connect(" in c and 'inet_addr("127.0.0.1")' in c for c in calls), calls
    assert "could not fetch the remote manifest" in (tmp_path / "out").read_text()
    ocsp = {"verify": {"ocsp_fetch": True}}
    calls = network_calls(traced(fetching_script(signed_files / "ocsp.jpg", ocsp), tmp_path))
    assert any("connect(" in c and "htons(9)" in c for c in calls), calls
    # Each lock holds on its own: no host allowed stops both fetches even when asked for.
    for name, settings in (("online.jpg", remote), ("ocsp.jpg", ocsp)):
        locked = {**settings, "core": {"allowed_network_hosts": []}}
        assert network_calls(traced(fetching_script(signed_files / name, locked), tmp_path)) == []


def test_photo_desks_reading_makes_no_network_call(signed_files: Path, tmp_path: Path) -> None:
    code = (
        "import sys\nfrom pathlib import Path\n"
        "from viewer.metadata.provenance import read_provenance\n"
        f"for path in sorted(Path({str(signed_files)!r}).iterdir()):\n"
        "    p = read_provenance(path)\n"
        "    print(path.name, p.state, p.remote)\n"
    )
    calls = network_calls(traced([sys.executable, "-c", code], tmp_path))
    assert calls == []
    states = dict(line.split(" ", 1) for line in (tmp_path / "out").read_text().splitlines())
    assert states["online.jpg"] == "error True", "kept online: reported, not fetched"
    assert states["ocsp.jpg"] == "valid False", "revocation is not asked online"
    assert states["both.jpg"] == "valid False", "the embedded copy is checked"


def test_a_whole_export_and_check_with_their_workers_make_no_network_call(
    signed_files: Path, tmp_path: Path
) -> None:
    env = {"DISPLAY": "", "WAYLAND_DISPLAY": ""}
    export = [sys.executable, "main.py", "--export-metadata", str(signed_files)]
    assert network_calls(traced(export, tmp_path, env)) == []
    records = [json.loads(line) for line in (tmp_path / "out").read_text().splitlines()]
    assert {Path(r["file"]).name: r["provenance"]["state"] for r in records}["online.jpg"] == (
        "error"
    )
    assert "libc2pa_c" in (tmp_path / "opened").read_text(), "the library did the reading"
    check = [sys.executable, "main.py", "--check-metadata", "--require", "credentials"]
    assert network_calls(traced([*check, str(signed_files)], tmp_path, env)) == []
    assert "     - Content Credentials kept online at " in (tmp_path / "out").read_text()


def test_the_window_reads_credentials_in_its_workers_offline(
    signed_files: Path, tmp_path: Path
) -> None:
    """The window shows a signed photo: no network call in any process, and the library
    is loaded by a worker, never by the window's own process."""
    shot = tmp_path / "shot.png"
    args = [sys.executable, "main.py", "--screenshot", str(shot), str(signed_files / "both.jpg")]
    assert network_calls(traced(args, tmp_path, {"QT_QPA_PLATFORM": "offscreen"})) == []
    assert shot.is_file()
    opened = (tmp_path / "opened").read_text().splitlines()
    window = opened[0].split(" ", 1)[0]  # the first process traced is the window's
    loaders = {line.split(" ", 1)[0] for line in opened if "libc2pa_c.so" in line}
    assert loaders, "a worker verified the photo's credentials"
    assert window not in loaders, "the window's own process never loads the library"
