"""Decoding files to pixels at the size they are shown (may return QImage, never widgets)."""

from viewer.imaging.decode import DecodeError, decode_image, fit_within

__all__ = ["DecodeError", "decode_image", "fit_within"]
