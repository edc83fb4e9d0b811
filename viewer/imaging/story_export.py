"""File > Export Story and ``--export-story``: one self-contained HTML page of a story.

From a story to a page, in order. The head: headline, dateline (publication and date),
by-line and summary. Then the article: the story's passages in their order, each
followed by the pictures that illustrate it; pictures come in the order given (the
strip's), each no earlier than its passage, and one that illustrates no passage stays
where the strip has it (:func:`page_order`). Each picture is a ``<figure>``: the picture,
decoded upright and in sRGB at a reasonable size for a web page, encoded (JPEG, or PNG
when it has transparency) and embedded as a data URI, then a ``<figcaption>`` with its
title, caption and credit line. Words come from the story, or else from the file's own
metadata (the rule of :mod:`viewer.captions`); alt text likewise, and never from the
file name, the title or the caption: a picture without it gets ``alt=""`` and a warning
("no alt text: photo-3.jpg") in the report and at the foot of the page.

Every string is escaped, and the page's content security policy allows nothing to be
fetched, so the page works offline and runs nothing. It is written a photo at a time to
a temporary file beside the target and renamed over it only when complete. A photo that
cannot be decoded, or is missing, is kept in the page as a note naming the file and the
problem instead of failing the whole export.

:func:`story_command` is ``photodesk --export-story OUT.html PATH``, without Qt.
"""

from __future__ import annotations

import base64
import dataclasses
import html
import io
import os
import re
import stat
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from viewer import __version__
from viewer.captions import photo_text
from viewer.errors import DecodeError, OverBudgetError, PhotoDeskError
from viewer.fileaccess import (
    FileAccessError,
    current_umask,
    display_name,
    open_regular,
    printable,
)
from viewer.files import is_image, list_images
from viewer.imaging.memory import DECODE_BUDGET
from viewer.imaging.pixels import load_display_image
from viewer.metadata import PhotoMetadata, read_metadata
from viewer.model import (
    MANIFEST_NAME,
    Gallery,
    ManifestError,
    Passage,
    Photo,
    files_gallery,
    load_manifest,
)
from viewer.model.gallery import long_date
from viewer.model.story_file import sync_folder

if TYPE_CHECKING:
    from viewer.isolation import ProcessPool

EXPORT_EDGE = 1600  # long edge of the embedded pictures, in pixels
JPEG_QUALITY = 85
WRITTEN, LEFT_OUT, NOT_WRITTEN = 0, 1, 2  # story_command's exit statuses


class ExportError(PhotoDeskError):
    """The page could not be written; the message names the file and the problem."""


@dataclasses.dataclass(frozen=True)
class ExportReport:
    """What was written.

    Attributes:
        target: the page.
        pictures: how many pictures it shows.
        problems: the photos left out and why (each noted in the page too).
        size: the page's size in bytes.
        warnings: what readers would miss, such as "no alt text: photo-3.jpg" (listed at
            the foot of the page too).
    """

    target: Path
    pictures: int
    problems: tuple[str, ...]
    size: int
    warnings: tuple[str, ...] = ()


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
    if root is not None:
        try:  # the metadata reader is not confined: check where the file leads first
            open_regular(path, root).close()
        except FileAccessError as exc:
            return _Read(None, problem=f"{display_name(path.name)}: {exc.reason}")
        except OSError:
            pass  # missing or unreadable: the decoder says so below, in its own words
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


def _figure(photo: Photo, read: _Read) -> tuple[str, str]:
    """The figure of one photo, and the warning it calls for ("" when none)."""
    text = photo_text(photo, read.metadata)  # the words the window shows, by one rule
    parts = ["<figure>"]
    warning = ""
    if read.problem:
        parts.append(f'<p class="missing">{esc(read.problem)}</p>')
    else:
        if not text.alt_text:  # never the file name, the title or the caption instead
            warning = f"no alt text: {display_name(photo.path.name)}"
        parts.append(
            f'<img src="{read.uri}" alt="{esc(text.alt_text)}" '
            f'width="{read.width}" height="{read.height}">'
        )
    parts.append("<figcaption>")
    parts.append(f'<span class="title">{esc(text.title)}</span>')
    if photo.illustration:
        parts.append('<span class="note">Illustration, not a photograph.</span>')
    if text.caption:
        parts.append(f'<span class="caption">{esc(text.caption)}</span>')
    if text.credit:
        parts.append(f'<span class="credit">Credit: {esc(text.credit)}</span>')
    parts.append("</figcaption>")
    parts.append("</figure>")
    return "\n".join(parts), warning


_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def _passage(passage: Passage) -> str:
    """A passage as paragraphs of the article (a blank line between two); "" when empty."""
    paragraphs = (part.strip() for part in _PARAGRAPH_BREAK.split(passage.text))
    return "\n".join(
        "<p>" + "<br>".join(esc(line) for line in part.splitlines()) + "</p>"
        for part in paragraphs
        if part
    )


def page_order(gallery: Gallery, photos: Sequence[Photo]) -> list[Passage | Photo]:
    """The article's passages and pictures in the order the page shows them.

    Passages in the story's order; pictures in the order given, each after the passage
    it illustrates (the passages before that one come first) or, when that passage is
    already told, where it stands. Passages that no picture reaches come last.
    """
    passages = list(gallery.story.passages) if gallery.story else []
    position = {passage.id: index for index, passage in enumerate(passages)}
    items: list[Passage | Photo] = []
    told = 0
    for photo in photos:
        at = position.get(photo.passage_id or "")
        if at is not None and at >= told:
            items.extend(passages[told : at + 1])
            told = at + 1
        items.append(photo)
    items.extend(passages[told:])
    return items


_STYLE = """
body { font-family: Georgia, 'Noto Serif', serif; max-width: 56rem; margin: 2rem auto;
       padding: 0 1rem; line-height: 1.5; color: #1a1a1a; background: #fdfdfb; }
@media (prefers-color-scheme: dark) { body { color: #ececec; background: #18181a; } }
figure { margin: 2.5rem 0; }
img { max-width: 100%; height: auto; display: block; }
figcaption span { display: block; margin-top: .3rem; }
.title { font-weight: bold; }
.credit, .dateline, .byline, .generator { font-size: .9rem; opacity: .85; }
.summary { font-size: 1.15rem; }
.note { font-style: italic; }
.missing, .warnings { padding: 1rem; border: 1px dashed #a33; }
footer { margin-top: 3rem; }
"""


def _byline(byline: str) -> str:
    """``By Jane Doe`` from "Jane Doe"; a by-line that starts with "By" is kept as it is."""
    return byline if byline.casefold().startswith("by ") else f"By {byline}"


def _head(gallery: Gallery) -> str:
    story = gallery.story
    title = (story.headline if story else "") or gallery.title
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
        "<header>",
        f"<h1>{esc(title)}</h1>",
    ]
    if story is not None:
        day = story.date
        when = f'<time datetime="{day.isoformat()}">{esc(long_date(day))}</time>'
        where = f"{esc(story.publication)} · " if story.publication else ""
        head.append(f'<p class="dateline">{where}{when}</p>')
        if story.byline:
            head.append(f'<p class="byline">{esc(_byline(story.byline))}</p>')
        if story.summary:
            head.append(f'<p class="summary">{esc(story.summary)}</p>')
    head.append("</header>")
    return "\n".join(head) + "\n"


def _tail(warnings: Sequence[str]) -> str:
    parts = ["<footer>"]
    if warnings:
        parts += ['<aside class="warnings">', "<p>Before publishing:</p>", "<ul>"]
        parts.extend(f"<li>{esc(warning)}</li>" for warning in warnings)
        parts += ["</ul>", "</aside>"]
    parts.append(f'<p class="generator">Made with Photo Desk {html.escape(__version__)}.</p>')
    parts += ["</footer>", "</article>", "</body>", "</html>"]
    return "\n".join(parts) + "\n"


def _read(photo: Photo, pool: ProcessPool | None) -> _Read:
    if photo.missing:
        name = display_name(photo.path.name)
        return _Read(None, problem=f"{name}: the photo is missing (moved, renamed or deleted)")
    path, root = photo.path, photo.root
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

    Only one picture is held in memory, however many there are. Every passage of the
    story is in the page, whichever photos are given.

    ``progress`` is told how many photos are done after each one. With ``pool`` each
    file is read in a worker process (a file that hangs or crashes it is left out with a
    note, like a damaged one).

    Raises:
        ExportError: ``target`` is one of the photos or the story file, or cannot be
            written.
    """
    target = target.absolute()
    if any(_same_file(target, photo.path) for photo in photos):
        raise ExportError(f"{display_name(target)}: this is one of the photos; choose another name")
    if _same_file(target, gallery.source) and not gallery.source.is_dir():
        raise ExportError(f"{display_name(target)}: this is the story file; choose another name")
    try:
        handle, temporary = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=".part", dir=target.parent
        )
    except OSError as exc:
        raise ExportError(f"{display_name(target)}: cannot write here ({exc.strerror})") from None
    problems: list[str] = []
    warnings: list[str] = []
    pictures = done = 0
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(_head(gallery).encode("utf-8"))
            for item in page_order(gallery, photos):
                if isinstance(item, Passage):
                    if item.text:
                        out.write((_passage(item) + "\n").encode("utf-8"))
                    continue
                read = _read(item, pool)
                if read.problem:
                    problems.append(read.problem)
                else:
                    pictures += 1
                figure, warning = _figure(item, read)
                if warning:
                    warnings.append(warning)
                out.write((figure + "\n").encode("utf-8"))
                done += 1
                if progress is not None:
                    progress(done)
            out.write(_tail(warnings).encode("utf-8"))
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
    sync_folder(target.parent)
    return ExportReport(target, pictures, tuple(problems), size, tuple(warnings))


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


# --- photodesk --export-story OUT.html PATH -----------------------------------------------


class _NothingToExportError(PhotoDeskError):
    """PATH is not a story or a folder of photos; the message says why."""


def story_to_export(source: Path) -> Gallery:
    """The story at ``source``: a story file, or a folder.

    A folder with a ``gallery.json`` is that story; one without becomes a story of its
    photos in natural order, with the files' own words.

    Raises:
        PhotoDeskError: ``source`` is neither (the message says what it is instead).
    """
    name = display_name(source)
    if source.is_dir():
        manifest = source / MANIFEST_NAME
        if os.path.lexists(manifest):
            return load_manifest(manifest)
        try:
            photos = list_images(source)
        except OSError as exc:
            raise _NothingToExportError(f"{name}: cannot be read ({exc.strerror})") from None
        if not photos:
            raise _NothingToExportError(f"{name}: no photos in this folder")
        return files_gallery(source, photos)
    if not os.path.lexists(source):
        raise _NothingToExportError(f"{name}: no such file or folder")
    if is_image(source):
        raise _NothingToExportError(f"{name}: this is a photo; give its folder or a story file")
    return load_manifest(source)


def story_command(
    target: Path, source: Path, messages: TextIO, pool: ProcessPool | None = None
) -> int:
    """``photodesk --export-story OUT.html PATH``: write the story page, headless.

    Tells ``messages`` each photo left out, each warning, and what was written. Every
    file is read in ``pool``'s worker processes, within their time limits.

    Returns:
        0 (:data:`WRITTEN`): the page was written with every photo; 1 (:data:`LEFT_OUT`):
        written, with photos left out; 2 (:data:`NOT_WRITTEN`): nothing written (PATH is
        not a story file or a folder of photos, the story does not open, or OUT cannot
        be written).
    """
    try:
        gallery = story_to_export(source)
        report = export_story(gallery, gallery.photos, target, pool=pool)
    except (ManifestError, ExportError, _NothingToExportError) as exc:
        print(f"photodesk: {printable(str(exc))}", file=messages)
        return NOT_WRITTEN
    for problem in report.problems:
        print(f"photodesk: left out: {printable(problem)}", file=messages)
    for warning in report.warnings:
        print(f"photodesk: {printable(warning)}", file=messages)
    count = f"{report.pictures} {'picture' if report.pictures == 1 else 'pictures'}"
    left = f", {len(report.problems)} left out" if report.problems else ""
    print(f"photodesk: wrote {display_name(report.target)} ({count}{left})", file=messages)
    return LEFT_OUT if report.problems else WRITTEN
