"""Hostile files against the decoders: refused before memory is spent, never a hang.

Each case is measured in a fresh interpreter: its peak resident memory (VmHWM) must
stay far below what decoding the claimed picture would take.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.hostile import gif_with_huge_screen, jpeg_with_lying_preview, make_fifo, png_claiming
from viewer.files import is_image, natural_key
from viewer.imaging.compact import compact_preview
from viewer.imaging.memory import DECODE_BUDGET, LARGE_DECODE_BUDGET
from viewer.imaging.pixels import (
    DecodeError,
    OverBudgetError,
    decode_cost,
    load_animation,
    load_display_image,
)

ROOT = Path(__file__).resolve().parents[2]
PEAK_LIMIT_MIB = 200  # a fresh interpreter with Pillow is about 40 MiB


def peak_mib(code: str) -> tuple[float, str]:
    """Run ``code`` in a fresh interpreter; its peak RSS in MiB and what it printed.

    The peak is the interpreter's own (VmHWM of its memory map): ru_maxrss would also
    count the test process it was started from, which Linux carries across exec.
    """
    program = (
        "import sys\n"
        f"sys.path.insert(0, {str(ROOT)!r})\n"
        f"{code}\n"
        "with open('/proc/self/status', encoding='ascii') as status:\n"
        "    kib = next(line.split()[1] for line in status if line.startswith('VmHWM:'))\n"
        "print(int(kib) / 1024)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=True, timeout=60
    )
    *said, peak = done.stdout.strip().splitlines()
    return float(peak), "\n".join(said)


def test_a_lying_exif_preview_is_not_decoded(tmp_path: Path) -> None:
    path = tmp_path / "liar.jpg"
    path.write_bytes(jpeg_with_lying_preview(22000, 22000))
    assert len(path.read_bytes()) < 4096
    assert compact_preview(path, (256, 256)) is None
    peak, said = peak_mib(
        "from pathlib import Path\n"
        "from viewer.imaging.compact import compact_preview\n"
        f"print(compact_preview(Path({str(path)!r}), (256, 256)))"
    )
    assert said == "None"
    assert peak < PEAK_LIMIT_MIB, f"{peak:.0f} MiB to look at a 3 KB file"


def test_a_gif_with_a_huge_screen_is_refused_before_decoding(tmp_path: Path) -> None:
    path = tmp_path / "screen.gif"
    path.write_bytes(gif_with_huge_screen(15800, 15800))
    with pytest.raises(OverBudgetError, match="MiB") as refused:
        load_display_image(path, (1400, 900))
    assert refused.value.needed > LARGE_DECODE_BUDGET
    with pytest.raises(OverBudgetError):
        load_animation(path, (1400, 900))
    peak, _ = peak_mib(
        "from pathlib import Path\n"
        "from viewer.imaging.pixels import DecodeError, load_animation, load_display_image\n"
        f"path = Path({str(path)!r})\n"
        "for load in (load_display_image, load_animation):\n"
        "    try:\n"
        "        load(path, (1400, 900))\n"
        "    except DecodeError as exc:\n"
        "        print(type(exc).__name__)\n"
    )
    assert peak < PEAK_LIMIT_MIB, f"{peak:.0f} MiB for a {path.stat().st_size}-byte GIF"


def test_a_huge_png_needs_the_large_budget_and_fits_in_it(tmp_path: Path) -> None:
    """80 MP of RGB (Pillow keeps four bytes a pixel): over the everyday budget, within
    the large one, so the large-decode lane can show it."""
    path = tmp_path / "huge.png"
    path.write_bytes(png_claiming(10_000, 8_000))
    with pytest.raises(OverBudgetError) as refused:
        load_display_image(path, (1400, 900))
    assert DECODE_BUDGET < refused.value.needed <= LARGE_DECODE_BUDGET
    assert refused.value.budget == DECODE_BUDGET
    assert not refused.value.lasting, "a larger budget may succeed: not a lasting failure"


def test_a_png_too_large_for_any_budget_is_refused_with_the_figures(tmp_path: Path) -> None:
    path = tmp_path / "enormous.png"
    path.write_bytes(png_claiming(15_000, 15_000))
    with pytest.raises(OverBudgetError, match=r"take 8\d\d MiB .* 448 MiB"):
        load_display_image(path, (1400, 900), LARGE_DECODE_BUDGET)


def test_the_cost_counts_conversions_and_turns() -> None:
    assert decode_cost((1000, 1000), "RGB", converts=False) == 4_000_000
    assert decode_cost((1000, 1000), "P", converts=True) == 5_000_000
    assert decode_cost((1000, 1000), "I;16", converts=True, orients=True) == 10_000_000


def test_a_jpeg_decoded_small_costs_only_its_reduced_size(tmp_path: Path) -> None:
    """draft() decodes a JPEG at 1/8 scale: the budget is checked on that size."""
    from PIL import Image  # noqa: PLC0415

    path = tmp_path / "big.jpg"
    Image.new("RGB", (8000, 6000), (10, 20, 30)).save(path, quality=60)
    small = load_display_image(path, (256, 256), budget=8 * 2**20)
    assert max(small.size) == 256
    with pytest.raises(OverBudgetError):
        load_display_image(path, None, budget=8 * 2**20)


@pytest.mark.parametrize("name", ["p.jpg", "x.gif", "noext"])
def test_a_fifo_is_an_error_never_a_hang(tmp_path: Path, name: str) -> None:
    fifo = make_fifo(tmp_path / name)
    with pytest.raises(DecodeError, match="named pipe") as refused:
        load_display_image(fifo, (100, 100))
    assert not refused.value.lasting
    assert compact_preview(fifo, (100, 100)) is None
    assert load_animation_or_error(fifo) == "named pipe"
    assert is_image(fifo) == (name != "noext"), "a name without suffix is sniffed, safely"


def load_animation_or_error(path: Path) -> str:
    try:
        load_animation(path, (100, 100))
    except DecodeError as exc:
        return "named pipe" if "named pipe" in str(exc) else str(exc)
    return "no error"


def test_a_device_named_like_a_photo_is_refused(tmp_path: Path) -> None:
    link = tmp_path / "zero.jpg"
    link.symlink_to("/dev/zero")
    with pytest.raises(DecodeError, match="device"):
        load_display_image(link, (100, 100))


@pytest.mark.parametrize(
    "names",
    [
        ["1²2.jpg", "12.jpg", "2.jpg"],
        ["٣.jpg", "3.jpg", "①.jpg"],
        ["a" + "9" * 5000 + ".jpg", "a1.jpg"],
    ],
)
def test_odd_digits_never_break_the_natural_order(names: list[str]) -> None:
    ordered = sorted(names, key=natural_key)
    assert sorted(ordered) == sorted(names)
    json.dumps([list(map(str, natural_key(n))) for n in names])  # plain data


def test_natural_order_compares_numbers_by_value() -> None:
    names = ["IMG_10.jpg", "IMG_9.jpg", "IMG_010.jpg", "img_2.jpg", "IMG_1²2.jpg"]
    ordered = sorted(names, key=natural_key)
    assert ordered.index("img_2.jpg") < ordered.index("IMG_9.jpg") < ordered.index("IMG_10.jpg")
