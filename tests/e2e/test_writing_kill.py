"""A batch of 60 camera JPEGs written by a process killed (SIGKILL) at random moments.

Each round writes a new caption into every photo, in a separate process that is killed
at a random moment of its batch. Before the round, the test works out each photo's
new version by writing a copy of it in this process (the writer is deterministic).
After the kill, every photo must be byte for byte its old version or its new one:
never a mix, never cut short. Folder listings never show the writer's temporary file,
and the next write (or the clean-up) removes it.
"""

from __future__ import annotations

import io
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from PIL import Image

from tests.builders import exif_app1_with_thumbnail
from viewer.files import list_images
from viewer.metadata.atomic import clean_stale_temporaries
from viewer.metadata.writer import write_metadata

ROOT = Path(__file__).resolve().parents[2]
COUNT = 60
ROUNDS = 6
BATCH = """
import json, sys
from pathlib import Path
from viewer.metadata.writer import write_metadata
changes = {k: tuple(v) if isinstance(v, list) else v for k, v in json.loads(sys.argv[1]).items()}
for name in sys.argv[2:]:
    write_metadata(Path(name), changes)
    print(name, flush=True)
"""


def camera_jpeg(index: int) -> bytes:
    """A 2-megapixel photo-like JPEG with a camera's EXIF and embedded preview."""
    rng = random.Random(index)
    picture = Image.effect_noise((1600, 1200), 40 + index % 30).convert("RGB")
    tint = Image.new("RGB", picture.size, (rng.randrange(256), rng.randrange(256), 120))
    picture = Image.blend(picture, tint, 0.5)
    body, preview = io.BytesIO(), io.BytesIO()
    picture.save(body, "JPEG", quality=90)
    picture.resize((160, 120)).save(preview, "JPEG", quality=70)
    app1 = exif_app1_with_thumbnail(
        preview.getvalue(), 1, "Canon", "Canon EOS R6", f"2021:06:{1 + index % 28:02d} 09:30:00"
    )
    data = body.getvalue()
    return data[:2] + app1 + data[2:]


def caption(round_number: int) -> dict[str, str | tuple[str, ...]]:
    return {
        "caption": f"Round {round_number}: Écrit à la main — 火星 🙂",
        "keywords": ("Mars", f"round {round_number}"),
    }


def new_versions(photos: list[Path], scratch: Path, round_number: int) -> list[bytes]:
    """What each photo becomes when this round's write completes, written on a copy."""
    versions = []
    for photo in photos:
        copy = scratch / photo.name
        shutil.copyfile(photo, copy)
        result = write_metadata(copy, caption(round_number))
        assert result.status == "written", result.reason
        versions.append(copy.read_bytes())
        copy.unlink()
    return versions


def test_a_killed_batch_leaves_each_photo_old_or_new(tmp_path: Path) -> None:
    folder, scratch = tmp_path / "photos", tmp_path / "scratch"
    folder.mkdir()
    scratch.mkdir()
    photos = [folder / f"IMG_{index:04d}.JPG" for index in range(COUNT)]
    for index, photo in enumerate(photos):
        photo.write_bytes(camera_jpeg(index))
    rng = random.Random(14)
    summary = []
    for round_number in range(1, ROUNDS + 1):
        old = [photo.read_bytes() for photo in photos]
        started = time.monotonic()
        new = new_versions(photos, scratch, round_number)
        writing = time.monotonic() - started  # about as long as the batch's writes take
        batch = subprocess.Popen(
            [sys.executable, "-c", BATCH, json.dumps(caption(round_number)), *map(str, photos)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        assert batch.stdout is not None
        batch.stdout.readline()  # the first photo is written: the interpreter is up
        time.sleep(rng.uniform(0, writing * 0.95))
        batch.send_signal(signal.SIGKILL)
        batch.wait(timeout=30)
        done = 1 + len(batch.stdout.read().splitlines())
        batch.stdout.close()
        states = []
        for index, photo in enumerate(photos):
            data = photo.read_bytes()
            assert data in (old[index], new[index]), f"round {round_number}: {photo.name} is torn"
            states.append("new" if data == new[index] and data != old[index] else "old")
        assert list_images(folder) == photos, "a temporary file is never taken for a photo"
        hidden = [p.name for p in folder.iterdir() if p.name.startswith(".")]
        assert len(hidden) <= 1, hidden
        clean_stale_temporaries(folder)
        assert not [p for p in folder.iterdir() if p.name.startswith(".")]
        summary.append(
            f"round {round_number}: killed after {done} writes, {states.count('new')} photos "
            f"new, {states.count('old')} old, a temporary file left: {bool(hidden)}"
        )
    print("\n" + "\n".join(summary))
