"""The detail pane: the picture, and beside it what it shows and where it comes from."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QSize, Qt
from PySide6.QtGui import QClipboard, QFont, QGuiApplication
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from viewer.captions import PhotoText
from viewer.fileaccess import display_name
from viewer.metadata import PhotoMetadata
from viewer.model import Gallery, Photo
from viewer.model.gallery import long_date
from viewer.ui.appearance import is_dark
from viewer.ui.photo_view import PhotoView

if TYPE_CHECKING:
    from viewer.metadata.provenance import Provenance

# The illustration notice: background, text, border (contrast 10:1 and more in both).
NOTE_LIGHT = ("#fff3cd", "#4d3800", "#d9b650")
NOTE_DARK = ("#3d3200", "#ffe7a0", "#8a7020")
ILLUSTRATION_NOTE = (
    "Illustration: this is a drawing made for Photo Desk. It stands in for the photograph "
    "described below, which is not included."
)


SOFT_BREAK = "\u200b"  # zero-width space: a place a line may break, invisible
_LONG_WORD = re.compile(r"\S{25,}")
_BREAK_AFTER = frozenset("_-./\\,;:")
_RUN = 16  # characters at most between two places a long word may break


def soft_breaks(text: str) -> str:
    """``text`` with invisible places to break inside words too long for a line.

    A 60-character file name wraps instead of running off the pane. Shown only, never copied: see
    :class:`SoftBreakRemover`.
    """

    def breakable(match: re.Match[str]) -> str:
        out, run = [], 0
        for char in match.group(0):
            out.append(char)
            run += 1
            if char in _BREAK_AFTER or run >= _RUN:
                out.append(SOFT_BREAK)
                run = 0
        return "".join(out).rstrip(SOFT_BREAK)

    return _LONG_WORD.sub(breakable, text)


def set_plain_text(label: QLabel, text: str) -> None:
    """Show ``text`` in ``label``, long words breakable.

    Its accessible name is the text itself, without the invisible breaks.
    """
    label.setText(soft_breaks(text))
    label.setAccessibleName(text)


class SoftBreakRemover(QObject):
    """Takes the invisible line breaks out of text copied from ``labels``.

    Only text that is exactly a label's selection is touched: what other programs put
    on the clipboard is never changed.
    """

    def __init__(self, labels: list[QLabel], parent: QObject | None = None) -> None:
        """Follow the application's clipboard for as long as ``parent`` lives."""
        super().__init__(parent)
        self._labels = labels
        self._clipboard = QGuiApplication.clipboard()
        self._clipboard.dataChanged.connect(self._on_data_changed)

    def _on_data_changed(self) -> None:
        text = self._clipboard.text(QClipboard.Mode.Clipboard)
        if SOFT_BREAK not in text:
            return
        if any(label.hasSelectedText() and label.selectedText() == text for label in self._labels):
            self._clipboard.setText(text.replace(SOFT_BREAK, ""))


def plain_label(name: str, *, point_scale: float = 1.0, bold: bool = False) -> QLabel:
    """A label that never interprets HTML and whose text can be selected and copied."""
    label = QLabel()
    label.setObjectName(name)
    # The text itself is what a screen reader reads as the name; the description says
    # which part of the information it is.
    label.setAccessibleDescription(name.replace("_", " ").capitalize())
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setTextInteractionFlags(
        Qt.TextInteractionFlag.TextSelectableByMouse
        | Qt.TextInteractionFlag.TextSelectableByKeyboard
    )
    label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
    if point_scale != 1.0 or bold:
        font = QFont(label.font())
        font.setPointSizeF(font.pointSizeF() * point_scale)
        font.setBold(bold)
        label.setFont(font)
    return label


class InfoPanel(QWidget):
    """Caption, credit, story context and camera summary for one photo, as plain text."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Photo information")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.setSpacing(8)
        self.illustration_note = plain_label("illustration_note", point_scale=0.95)
        self.missing_note = plain_label("missing_note", point_scale=0.95)
        self.find_button = QPushButton("Find It Again…")
        self.find_button.setObjectName("find_again")
        self.find_button.setAccessibleDescription(
            "Look for the missing photo in the story's folder, by its name and its content"
        )
        self.find_button.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        self.title = plain_label("title", point_scale=1.35, bold=True)
        self.caption = plain_label("caption", point_scale=1.1)
        self.credit = plain_label("credit", point_scale=0.95)
        # Content Credentials, once the photo's metadata is read: a plain line when they
        # hold, a warning (the note's colours, 4.5:1 or more) when they do not.
        self.credentials = plain_label("credentials", point_scale=0.95)
        self.credentials.setAccessibleName("Content Credentials")
        self.credentials.hide()
        self.edit_button = QPushButton("Edit Caption…")
        self.edit_button.setObjectName("edit_caption")
        self.edit_button.setAccessibleDescription(
            "Write the caption, credit and the other fields into this photo (E or F2)"
        )
        self.edit_button.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        self.story_heading = self._section("From the story")
        self.headline = plain_label("headline", point_scale=1.1, bold=True)
        self.dateline = plain_label("dateline", point_scale=0.95)
        self.passage = plain_label("passage")
        self.camera_heading = self._section("File and camera")
        self.camera = plain_label("camera", point_scale=0.95)
        for widget in (
            self.missing_note,
            self.find_button,
            self.illustration_note,
            self.title,
            self.caption,
            self.credit,
            self.credentials,
            self.edit_button,
            self.story_heading,
            self.headline,
            self.dateline,
            self.passage,
            self.camera_heading,
            self.camera,
        ):
            layout.addWidget(widget)
        layout.addStretch(1)
        self._style_note()

    def changeEvent(self, event: QEvent) -> None:
        """Restyle the notice when the palette changes, so it keeps its contrast."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._style_note()  # light or dark: the note keeps its contrast

    def _style_note(self) -> None:
        colours = NOTE_DARK if is_dark(self.palette()) else NOTE_LIGHT
        sheet = (
            "QLabel {{ background: {}; color: {}; border: 1px solid {};"
            " border-radius: 4px; padding: 6px; }}".format(*colours)
        )
        warned = [self.credentials] if self.credentials.property("warning") else []
        for note in (self.illustration_note, self.missing_note, *warned):
            if note.styleSheet() != sheet:
                note.setStyleSheet(sheet)

    def minimumSizeHint(self) -> QSize:
        """No minimum height: height-for-width decides how tall the text is."""
        # The default is the height at the narrowest wrap width, which makes the scroll
        # area show a scroll bar even when the text fits; height-for-width decides instead.
        return QSize(super().minimumSizeHint().width(), 0)

    @staticmethod
    def _section(text: str) -> QLabel:
        label = plain_label(text.lower().replace(" ", "_"), point_scale=0.85, bold=True)
        label.setText(text.upper())
        label.setContentsMargins(0, 14, 0, 0)
        return label

    def show_photo(self, gallery: Gallery, photo: Photo) -> None:
        """The parts that come from the gallery: the notice and the story."""
        self.illustration_note.setVisible(photo.illustration)
        set_plain_text(self.illustration_note, ILLUSTRATION_NOTE)
        self.missing_note.setVisible(photo.missing)
        self.find_button.setVisible(photo.missing)
        if photo.missing:
            set_plain_text(
                self.missing_note,
                f"Missing: {display_name(photo.path.name)} is no longer where the story "
                "says. Its place and words are kept.",
            )
        story = gallery.story
        passage = gallery.passage_for(photo)
        for widget in (self.story_heading, self.headline, self.dateline):
            widget.setVisible(story is not None)
        self.passage.setVisible(passage is not None)
        if story is not None:
            set_plain_text(self.headline, story.headline)
            published = " · ".join(p for p in (story.publication, long_date(story.date)) if p)
            byline = f"\n{story.byline}" if story.byline else ""
            set_plain_text(self.dateline, published + byline)
        set_plain_text(self.passage, passage.text if passage else "")

    def show_reading(self, photo: Photo) -> None:
        """The file and camera part while the photo's metadata is being read."""
        self.credentials.hide()  # until the photo's metadata is read
        set_plain_text(self.camera, f"{display_name(photo.path.name)}\nReading metadata…")

    def show_text(self, text: PhotoText) -> None:
        """Title, caption and credit as a reader sees them (see viewer.captions)."""
        set_plain_text(self.title, text.title)
        set_plain_text(self.caption, text.caption)
        self.caption.setVisible(bool(text.caption))
        set_plain_text(self.credit, f"Credit: {text.credit}")
        self.credit.setVisible(bool(text.credit))

    def show_metadata(self, photo: Photo, metadata: PhotoMetadata | None, error: str = "") -> None:
        """The file and camera summary, and the Content Credentials line, from the file."""
        set_plain_text(self.camera, "\n".join(metadata_lines(photo, metadata, error)))
        self.show_credentials(metadata.provenance if metadata is not None else None)

    def show_credentials(self, provenance: Provenance | None) -> None:
        """One line under the credit: what the photo's Content Credentials say."""
        line = provenance.summary() if provenance is not None else ""
        warning = provenance is not None and provenance.state in ("invalid", "error")
        self.credentials.setProperty("warning", warning)
        self.credentials.setStyleSheet("")
        if warning:
            self._style_note()
        set_plain_text(self.credentials, line)
        self.credentials.setAccessibleDescription(("Warning: " if warning else "") + line)
        self.credentials.setVisible(bool(line))


def metadata_lines(photo: Photo, metadata: PhotoMetadata | None, error: str = "") -> list[str]:
    """The short EXIF summary shown under "File and camera"."""
    lines = [display_name(photo.path.name)]
    if metadata is None:
        lines.append(f"Metadata could not be read: {error}" if error else "No metadata")
        return lines
    if metadata.width and metadata.height:
        lines.append(f"{metadata.width} × {metadata.height} pixels")
    if metadata.camera:
        lines.append(metadata.camera + (f" · {metadata.lens}" if metadata.lens else ""))
    else:
        lines.append("No camera recorded in the file")
    if metadata.exposure_summary():
        lines.append(metadata.exposure_summary())
    if metadata.date_taken:
        lines.append(f"Date: {metadata.date_taken:%Y-%m-%d %H:%M}")
    if metadata.software:
        lines.append(f"Software: {metadata.software}")
    lines.extend(metadata.problems)
    return lines


class DetailPane(QSplitter):
    """The photo on the left and its information on the right, split by a handle."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.setObjectName("detail_pane")
        self.setAccessibleName("Photo and its information")
        self.setChildrenCollapsible(False)
        self.photo_view = PhotoView()
        self.info = InfoPanel()
        self.info_column = scroll = QScrollArea()
        scroll.setAccessibleName("Photo information")
        scroll.setAccessibleDescription(
            "Caption, credit, the story the photo belongs to, and its file and camera"
        )
        scroll.setWidget(self.info)
        scroll.viewport().setAccessibleName("Photo information")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setMinimumWidth(300)
        self.addWidget(self.photo_view)
        self.addWidget(scroll)
        self.setStretchFactor(0, 1)
        self.setStretchFactor(1, 0)
        # Room for a caption and a passage to read comfortably; the photo takes the rest.
        self.setSizes([1000, 380])
        for index in range(self.count()):  # handle 0 is never shown, but is in the tree
            handle = self.handle(index)
            handle.setAccessibleName("Divider between photo and information")
            handle.setAccessibleDescription("Drag to give the photo or the text more room")
        self._soft_breaks = SoftBreakRemover(self.info.findChildren(QLabel), self)
