"""File > Export Story: one self-contained HTML page with the pictures and their words.

From a gallery to a page, in order: each photo is decoded upright and in sRGB at a
reasonable size for a web page, encoded (JPEG, or PNG when it has transparency) and
embedded as a data URI; its title, caption, credit and alt text come from the gallery,
or else from the file's own metadata (the rule of :mod:`viewer.captions`); every string
is escaped, and the page's content security policy allows nothing to be fetched, so the
page works offline and runs nothing. The page is
written to a temporary file beside the target and renamed over it only when complete.
A photo that cannot be decoded is kept in the page as a note naming the file and the
problem instead of failing the whole export.
"""

from __future__ import annotations

import base64
import dataclasses
import html
import io
import os
import stat
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from viewer import __version__
from viewer.captions import photo_text
from viewer.errors import DecodeError, OverBudgetError, PhotoDeskError
from viewer.fileaccess import current_umask, display_name, printable
from viewer.imaging.memory import DECODE_BUDGET
from viewer.imaging.pixels import load_display_image
from viewer.metadata import PhotoMetadata, read_metadata
from viewer.model import Gallery, Photo
from viewer.model.gallery import long_date

if TYPE_CHECKING:
    from viewer.isolation import ProcessPool

EXPORT_EDGE = 1600  # long edge of the embedded pictures, in pixels
JPEG_QUALITY = 85


class ExportError(PhotoDeskError):
    """The page could not be written; the message names the file and the problem."""


@dataclasses.dataclass(frozen=True)
class ExportReport:
    """What was written: the page, how many pictures, and the ones left out and why."""

    target: Path
    pictures: int
    problems: tuple[str, ...]
    size: int


@dataclasses.dataclass(frozen=True)
class _Read:
    """What the page needs from one file: its metadata, and its picture or why not."""

    metadata: PhotoMetadata | None
    uri: str = ""
    width: int = 0
    height: int = 0
    problem: str = ""


def read_for_page(
    path: Path, budget: int | None = DECODE_BUDGET, root: Path | None = None
) -> _Read:
    """Metadata and the embedded picture of ``path`` (run in a worker process).

    Raises:
        OverBudgetError: the picture needs more than ``budget`` bytes to decode (the
            pool then tries the large-decode lane).
    """
    try:
        metadata: PhotoMetadata | None = read_metadata(path)
    except Exception:  # the page goes on with the gallery's own words
        metadata = None
    try:
        image = load_display_image(path, (EXPORT_EDGE, EXPORT_EDGE), budget, root)
    except OverBudgetError:
        raise
    except DecodeError as exc:
        return _Read(metadata, problem=str(exc))
    buffer = io.BytesIO()
    if image.mode in ("RGBA", "LA", "PA"):
        image.save(buffer, "PNG", optimize=False)
        kind = "image/png"
    else:
        image.convert("RGB").save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True)
        kind = "image/jpeg"
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return _Read(metadata, f"data:{kind};base64,{data}", image.width, image.height)


def esc(text: str) -> str:
    """Text escaped for the page.

    Lone surrogates (from names that were not UTF-8) are shown as U+FFFD, so the page is
    always valid UTF-8.
    """
    return html.escape(printable(text))


def _figure(photo: Photo, gallery: Gallery, read: _Read) -> str:
    text = photo_text(photo, read.metadata)  # the words the window shows, by one rule
    parts = ["<figure>"]
    if read.problem:
        parts.append(f'<p class="missing">{esc(read.problem)}</p>')
    else:
        alt = text.alt_text or text.caption or text.title
        parts.append(
            f'<img src="{read.uri}" alt="{esc(alt)}" width="{read.width}" height="{read.height}">'
        )
    parts.append("<figcaption>")
    parts.append(f'<span class="title">{esc(text.title)}</span>')
    if photo.illustration:
        parts.append('<span class="note">Illustration, not a photograph.</span>')
    if text.caption:
        parts.append(f'<span class="caption">{esc(text.caption)}</span>')
    if text.credit:
        parts.append(f'<span class="credit">Credit: {esc(text.credit)}</span>')
    passage = gallery.passage_for(photo)
    if passage is not None:
        parts.append(f'<span class="passage">{esc(passage.text)}</span>')
    parts.append("</figcaption></figure>")
    return "\n".join(parts)


_STYLE = """
body { font-family: Georgia, 'Noto Serif', serif; max-width: 56rem; margin: 2rem auto;
       padding: 0 1rem; line-height: 1.5; color: #1a1a1a; background: #fdfdfb; }
@media (prefers-color-scheme: dark) { body { color: #ececec; background: #18181a; } }
figure { margin: 2.5rem 0; }
img { max-width: 100%; height: auto; display: block; }
figcaption span { display: block; margin-top: .3rem; }
.title { font-weight: bold; }
.credit, .dateline, .generator { font-size: .9rem; opacity: .85; }
.note { font-style: italic; }
.passage { border-left: 3px solid #888; padding-left: .8rem; }
.missing { padding: 1rem; border: 1px dashed #a33; }
"""


def _head(gallery: Gallery) -> str:
    story = gallery.story
    title = story.headline if story else gallery.title
    head = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta http-equiv="Content-Security-Policy" '
        "content=\"default-src 'none'; img-src data:; style-src 'unsafe-inline'\">",
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{esc(title)}</title>",
        f"<style>{_STYLE}</style>",
        "</head>",
        "<body>",
        "<article>",
        f"<h1>{esc(title)}</h1>",
    ]
    if story is not None:
        head.append(
            f'<p class="dateline">{esc(story.publication)} · '
            f'<time datetime="{story.date.isoformat()}">{esc(long_date(story.date))}</time></p>'
        )
        if story.summary:
            head.append(f"<p>{esc(story.summary)}</p>")
    return "\n".join(head) + "\n"


_TAIL = (
    f'<p class="generator">Made with Photo Desk {html.escape(__version__)}.</p>\n'
    "</article>\n</body>\n</html>\n"
)


def _read(path: Path, root: Path | None, pool: ProcessPool | None) -> _Read:
    try:
        if pool is None:
            return read_for_page(path, root=root)
        read: _Read = pool.call_within_budget(path.name, read_for_page, path, root=root)
    except PhotoDeskError as exc:  # too large, too slow, or it stopped its decoder
        return _Read(None, problem=str(exc))
    return read


def export_story(
    gallery: Gallery,
    photos: Sequence[Photo],
    target: Path,
    progress: Callable[[int], None] | None = None,
    pool: ProcessPool | None = None,
) -> ExportReport:
    """Write the page for ``photos`` to ``target``, atomically, a photo at a time.

    Only one picture is held in memory, however many there are.

    ``progress`` is told how many photos are done after each one. With ``pool`` each
    file is read in a worker process (a file that hangs or crashes it is left out with a
    note, like a damaged one).

    Raises:
        ExportError: ``target`` is one of the photos, or cannot be written.
    """
    target = target.absolute()
    if any(_same_file(target, photo.path) for photo in photos):
        raise ExportError(f"{display_name(target)}: this is one of the photos; choose another name")
    try:
        handle, temporary = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=".part", dir=target.parent
        )
    except OSError as exc:
        raise ExportError(f"{display_name(target)}: cannot write here ({exc.strerror})") from None
    problems: list[str] = []
    pictures = 0
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(_head(gallery).encode("utf-8"))
            for done, photo in enumerate(photos, start=1):
                read = _read(photo.path, photo.root, pool)
                if read.problem:
                    problems.append(read.problem)
                else:
                    pictures += 1
                out.write((_figure(photo, gallery, read) + "\n").encode("utf-8"))
                if progress is not None:
                    progress(done)
            out.write(_TAIL.encode("utf-8"))
            out.flush()
            os.fsync(out.fileno())
            size = out.tell()
        os.chmod(temporary, _mode_for(target))
        os.replace(temporary, target)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise ExportError(
            f"{display_name(target)}: cannot write the page ({exc.strerror})"
        ) from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)  # nothing half-written is left behind
        raise
    return ExportReport(target, pictures, tuple(problems), size)


def _mode_for(target: Path) -> int:
    """The page's permissions: those of the page it replaces, if there is one.

    Otherwise, what the user's umask gives a new file: mkstemp's own 0600 would hide the
    page from a web server.
    """
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except OSError:
        return 0o666 & ~current_umask()


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and a.samefile(b)
    except OSError:
        return False
