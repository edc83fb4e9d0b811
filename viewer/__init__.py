"""Photo Desk: a photo viewer that shows each picture with its caption, credit and story."""

__version__ = "0.1.0"
