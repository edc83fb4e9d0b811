"""A folder (or a handful of files) as a gallery: no story, text from the files themselves."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from viewer.fileaccess import display_name
from viewer.model.gallery import Gallery, Photo


def files_photo(path: Path) -> Photo:
    """A photo known only by its file.

    Its title, caption and credit come from the file's metadata when read (see
    viewer.captions), the title from its name until then.
    """
    return Photo(path=path, title="", caption="", credit="", alt_text="")


def files_gallery(source: Path, files: Sequence[Path], title: str = "") -> Gallery:
    """A gallery of ``files`` in the order given.

    Captions and credits come from each file's metadata when it is read, so they start
    empty here.
    """
    photos = tuple(files_photo(path) for path in files)
    name = display_name(source.name or str(source))
    return Gallery(source=source, photos=photos, title=title or name)
