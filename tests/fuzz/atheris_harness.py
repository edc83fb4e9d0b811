"""Coverage-guided fuzzing (atheris, libFuzzer) of what reads users' files: the decoder,
the metadata readers and the manifest loader. Only the project's own error types may
escape; anything else is a finding, and libFuzzer saves the input that caused it.

    make fuzz                        # each target for FUZZ_RUNS inputs (default 20000)
    python tests/fuzz/atheris_harness.py decode -max_total_time=600 corpus/

Seeds are the small real files that tests/unit/test_fuzz.py builds. Not part of
``make test``: coverage-guided runs are open-ended; the hypothesis tests run there.
"""

from __future__ import annotations

import contextlib
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import atheris

with atheris.instrument_imports():
    from viewer.errors import PhotoDeskError
    from viewer.imaging.pixels import load_display_image_sized
    from viewer.metadata import read_metadata
    from viewer.model import load_manifest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.unit.test_fuzz import SEEDS  # noqa: E402

SCRATCH = Path(tempfile.mkdtemp(prefix="photodesk-fuzz-"))
SUFFIXES = sorted(SEEDS)


def _file(data: bytes, name: str) -> Path:
    path = SCRATCH / name
    path.write_bytes(data)
    return path


def _decode(data: bytes) -> None:
    if not data:
        return
    suffix = SUFFIXES[data[0] % len(SUFFIXES)]
    with contextlib.suppress(PhotoDeskError):
        load_display_image_sized(_file(data[1:], f"fuzzed.{suffix}"), (256, 256))


def _metadata(data: bytes) -> None:
    read_metadata(_file(data, "fuzzed.jpg"))  # documented never to raise


def _manifest(data: bytes) -> None:
    with contextlib.suppress(PhotoDeskError):
        load_manifest(_file(data, "gallery.json"))


TARGETS: dict[str, Callable[[bytes], None]] = {
    "decode": _decode,
    "metadata": _metadata,
    "manifest": _manifest,
}


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] not in TARGETS:
        print(f"usage: atheris_harness.py {{{','.join(TARGETS)}}} [libFuzzer options]")
        raise SystemExit(2)
    target = TARGETS[sys.argv[1]]
    seeds = SCRATCH / "seeds"
    seeds.mkdir()
    for index, (suffix, data) in enumerate(sorted(SEEDS.items())):
        prefix = bytes([SUFFIXES.index(suffix)]) if target is _decode else b""
        (seeds / f"seed-{index}").write_bytes(prefix + data)
    args = [sys.argv[0], *sys.argv[2:]]
    if not any(not a.startswith("-") for a in sys.argv[2:]):
        args.append(str(seeds))
    atheris.Setup(args, target)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
