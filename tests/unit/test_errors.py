"""Photo Desk's own errors: each names the file and the problem in words, says whether
trying again may help, and crosses from a worker process whole."""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import pytest

from viewer.errors import DecodeError, OverBudgetError, PhotoDeskError, TimeLimitError, display_name


def crossed(error: BaseException) -> BaseException:
    """``error`` as a worker process sends it back."""
    copy: BaseException = pickle.loads(pickle.dumps(error))
    return copy


def test_a_decode_error_names_the_file_not_its_folder() -> None:
    error = DecodeError(Path("/photos/2021/IMG_1.jpg"), "the JPEG data is damaged")
    assert str(error) == "IMG_1.jpg: the JPEG data is damaged"
    assert error.lasting, "damaged bytes stay damaged"
    assert isinstance(error, PhotoDeskError)


def test_a_decode_error_keeps_everything_across_processes() -> None:
    error = DecodeError(Path("/p/a.jpg"), "permission to read it was denied", lasting=False)
    copy = crossed(error)
    assert type(copy) is DecodeError
    assert (copy.path, copy.reason, copy.lasting, str(copy)) == (
        error.path,
        error.reason,
        False,
        str(error),
    )


def test_over_budget_says_the_figures_and_may_pass() -> None:
    error = OverBudgetError(Path("/p/huge.png"), needed=900 * 2**20, budget=448 * 2**20)
    assert str(error) == (
        "huge.png: decoding it would take 900 MiB of memory, more than the 448 MiB "
        "Photo Desk allows one picture"
    )
    assert not error.lasting, "a larger budget may succeed"
    assert isinstance(error, DecodeError)
    copy = crossed(error)
    assert type(copy) is OverBudgetError
    assert (copy.needed, copy.budget, str(copy)) == (error.needed, error.budget, str(error))


def test_large_figures_are_grouped() -> None:
    error = OverBudgetError(Path("bomb.png"), needed=5 * 2**40, budget=160 * 2**20)
    assert "5,242,880 MiB" in str(error)


def test_a_time_limit_says_what_and_how_long() -> None:
    error = TimeLimitError("slow.tif", 5.0)
    assert str(error).startswith("slow.tif: took longer than 5 seconds, so Photo Desk stopped")
    assert "0.3 seconds" in str(TimeLimitError("x", 0.3))
    copy = crossed(error)
    assert type(copy) is TimeLimitError
    assert (copy.what, copy.seconds, str(copy)) == ("slow.tif", 5.0, str(error))


def test_a_name_that_is_not_utf8_is_shown_not_crashed_on() -> None:
    error = DecodeError(Path(os.fsdecode(b"/p/caf\xe9.jpg")), "damaged")
    assert str(error) == "caf\ufffd.jpg: damaged"
    str(error).encode("utf-8")


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("a.jpg", "a.jpg"),
        ("caf\udce9.jpg", "caf\ufffd.jpg"),
        ("\ud800.jpg", "\ufffd.jpg"),
        ("\udcc3\udca9.jpg", "é.jpg"),
    ],
)
def test_display_name(name: str, shown: str) -> None:
    assert display_name(name) == shown
