"""Which words a reader sees for a photo: the one rule, used by every view and export.

A gallery (a story) may give a photo its own title, caption, credit and alt text; where
it gives none, the photo's file speaks for itself (its Title or Headline, its caption,
its credit line (credit, by-line and copyright), its Alt Text, as :mod:`viewer.metadata`
reads them). The detail pane,
the slideshow, copying, the HTML export and the command line all ask :func:`photo_text`,
so they can never disagree. The file name is a last resort for the title only: it is
never used as a caption or as alt text. No Qt here.
"""

from __future__ import annotations

import dataclasses

from viewer.fileaccess import display_name
from viewer.metadata import PhotoMetadata
from viewer.model import Photo


@dataclasses.dataclass(frozen=True)
class PhotoText:
    """The words shown with a photo, and whether each came from the file itself.

    Attributes:
        title, caption, credit, alt_text: what a reader sees ("" when there is nothing).
        from_file: the names of the fields ("title", "caption"...) taken from the file's
            metadata rather than the gallery.
    """

    title: str
    caption: str
    credit: str
    alt_text: str
    from_file: frozenset[str] = frozenset()

    def lines(self, *, with_title: bool = False) -> list[str]:
        """Title (when asked), caption and "Credit: ..." as lines of plain text."""
        lines = [self.title if with_title else "", self.caption]
        if self.credit:
            lines.append(f"Credit: {self.credit}")
        return [line for line in lines if line]

    def description(self) -> str:
        """What a screen reader says for the picture: its alt text, else its caption."""
        return self.alt_text or self.caption


def photo_text(photo: Photo, metadata: PhotoMetadata | None = None) -> PhotoText:
    """The words shown with ``photo``: the gallery's own first, then the file's.

    ``metadata`` is None when the file has not been read yet, or cannot be read.
    """
    meta = metadata or PhotoMetadata()
    chosen = {
        "title": (photo.title, meta.heading),
        "caption": (photo.caption, meta.caption),
        "credit": (photo.credit, meta.credit_text),
        "alt_text": (photo.alt_text, meta.alt_text),
    }
    from_file = frozenset(name for name, (own, file) in chosen.items() if not own and file)
    words = {name: own or file for name, (own, file) in chosen.items()}
    return PhotoText(
        title=words["title"] or display_name(photo.path.name),
        caption=words["caption"],
        credit=words["credit"],
        alt_text=words["alt_text"],
        from_file=from_file,
    )
