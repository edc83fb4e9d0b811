"""Galleries, photos and stories as plain data (no Qt)."""

from viewer.model.folder import files_gallery, files_photo
from viewer.model.gallery import Gallery, Passage, Photo, Story
from viewer.model.manifest import MANIFEST_NAME, ManifestError, load_manifest

__all__ = [
    "MANIFEST_NAME",
    "Gallery",
    "ManifestError",
    "Passage",
    "Photo",
    "Story",
    "files_gallery",
    "files_photo",
    "load_manifest",
]
