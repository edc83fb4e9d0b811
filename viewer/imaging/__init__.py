"""Decoding files to pixels at the size they are shown; may return QImage, never widgets.

``pixels``, ``thumbcache``, ``exif_thumbnail`` and ``lru`` are pure Python and Pillow;
``decode`` and ``thumbnails`` hand QImages to the ui layer.
"""
