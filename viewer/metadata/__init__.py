"""Read what a photo file says about itself (EXIF, IPTC) as plain data (no Qt)."""

from viewer.metadata.reader import PhotoMetadata, read_metadata

__all__ = ["PhotoMetadata", "read_metadata"]
