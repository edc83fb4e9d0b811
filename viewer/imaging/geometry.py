"""Sizes and boxes: plain arithmetic shared by decoding and painting (no Pillow, no Qt)."""

from __future__ import annotations


def fit_within(width: int, height: int, box: tuple[int, int]) -> tuple[int, int]:
    """Scale (width, height) to fit inside box, keeping the aspect; never enlarge."""
    box_w, box_h = box
    if width <= 0 or height <= 0:
        return (0, 0)
    scale = min(box_w / width, box_h / height, 1.0)
    return (max(1, round(width * scale)), max(1, round(height * scale)))
