"""Sizes and boxes: the arithmetic decoding and painting share."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from viewer.imaging import pixels
from viewer.imaging.geometry import fit_within


def test_fit_within_keeps_aspect_and_never_enlarges() -> None:
    assert fit_within(6000, 4000, (256, 256)) == (256, 171)
    assert fit_within(4000, 6000, (256, 256)) == (171, 256)
    assert fit_within(100, 50, (256, 256)) == (100, 50)
    assert fit_within(0, 50, (256, 256)) == (0, 0)


@pytest.mark.parametrize(
    ("size", "box", "fitted"),
    [
        ((1600, 900), (1400, 900), (1400, 788)),  # the width decides
        ((900, 1600), (1400, 900), (506, 900)),  # the height decides
        ((256, 256), (256, 256), (256, 256)),  # an exact fit is left alone
        ((20000, 1), (256, 256), (256, 1)),  # a sliver keeps a pixel
        ((1, 20000), (256, 256), (1, 256)),
        ((-5, 40), (256, 256), (0, 0)),  # a size that is no size
        ((40, 0), (256, 256), (0, 0)),
    ],
)
def test_fitting_examples(
    size: tuple[int, int], box: tuple[int, int], fitted: tuple[int, int]
) -> None:
    assert fit_within(*size, box) == fitted


@given(
    width=st.integers(1, 100_000),
    height=st.integers(1, 100_000),
    box=st.tuples(st.integers(1, 5000), st.integers(1, 5000)),
)
def test_a_fitted_size_is_inside_the_box_and_keeps_the_shape(
    width: int, height: int, box: tuple[int, int]
) -> None:
    fitted_w, fitted_h = fit_within(width, height, box)
    assert 1 <= fitted_w <= max(1, min(width, box[0]))
    assert 1 <= fitted_h <= max(1, min(height, box[1]))
    if fitted_w > 1 and fitted_h > 1:  # a one-pixel edge cannot keep the shape
        # Rounding moves each edge by at most half a pixel.
        assert abs(fitted_w * height - fitted_h * width) <= (width + height) / 2 + 1


def test_decoding_shares_the_same_arithmetic() -> None:
    assert pixels.fit_within is fit_within
