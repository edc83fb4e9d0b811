"""Galleries, photos and stories as plain data (no Qt).

Stories are edited by viewer.model.story_edit, saved by viewer.model.story_file, their
missing photos found again by viewer.model.relink, and their recovery copies kept by
viewer.model.recovery.
"""

from viewer.model.folder import files_gallery, files_photo
from viewer.model.gallery import Fingerprint, Gallery, Passage, Photo, Story
from viewer.model.manifest import MANIFEST_NAME, ManifestError, load_manifest

__all__ = [
    "MANIFEST_NAME",
    "Fingerprint",
    "Gallery",
    "ManifestError",
    "Passage",
    "Photo",
    "Story",
    "files_gallery",
    "files_photo",
    "load_manifest",
]
