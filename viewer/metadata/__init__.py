"""What a photo file says about itself (EXIF, IPTC, XMP, sidecars), as plain data; no Qt."""

from viewer.metadata.flags import Flag
from viewer.metadata.reader import PhotoMetadata, read_metadata

__all__ = ["Flag", "PhotoMetadata", "read_metadata"]
