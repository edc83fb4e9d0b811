"""The detail pane: the picture, and beside it what it shows and where it comes from."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from viewer.metadata import PhotoMetadata
from viewer.model import Gallery, Photo
from viewer.model.gallery import long_date
from viewer.ui.appearance import is_dark
from viewer.ui.photo_view import PhotoView

# The illustration notice: background, text, border (contrast 10:1 and more in both).
NOTE_LIGHT = ("#fff3cd", "#4d3800", "#d9b650")
NOTE_DARK = ("#3d3200", "#ffe7a0", "#8a7020")
ILLUSTRATION_NOTE = (
    "Illustration: this is a drawing made for Photo Desk. It stands in for the photograph "
    "described below, which is not included."
)


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
        self._style_note()
        self.title = plain_label("title", point_scale=1.35, bold=True)
        self.caption = plain_label("caption", point_scale=1.1)
        self.credit = plain_label("credit", point_scale=0.95)
        self.story_heading = self._section("From the story")
        self.headline = plain_label("headline", point_scale=1.1, bold=True)
        self.dateline = plain_label("dateline", point_scale=0.95)
        self.passage = plain_label("passage")
        self.camera_heading = self._section("File and camera")
        self.camera = plain_label("camera", point_scale=0.95)
        for widget in (
            self.illustration_note,
            self.title,
            self.caption,
            self.credit,
            self.story_heading,
            self.headline,
            self.dateline,
            self.passage,
            self.camera_heading,
            self.camera,
        ):
            layout.addWidget(widget)
        layout.addStretch(1)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._style_note()  # light or dark: the note keeps its contrast

    def _style_note(self) -> None:
        colours = NOTE_DARK if is_dark(self.palette()) else NOTE_LIGHT
        sheet = (
            "QLabel {{ background: {}; color: {}; border: 1px solid {};"
            " border-radius: 4px; padding: 6px; }}".format(*colours)
        )
        if self.illustration_note.styleSheet() != sheet:
            self.illustration_note.setStyleSheet(sheet)

    def minimumSizeHint(self) -> QSize:
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
        self.illustration_note.setVisible(photo.illustration)
        self.illustration_note.setText(ILLUSTRATION_NOTE)
        self.title.setText(photo.title)
        self.caption.setText(photo.caption)
        self.caption.setVisible(bool(photo.caption))
        self.credit.setText(f"Credit: {photo.credit}")
        self.credit.setVisible(bool(photo.credit))
        story = gallery.story
        passage = gallery.passage_for(photo)
        for widget in (self.story_heading, self.headline, self.dateline):
            widget.setVisible(story is not None)
        self.passage.setVisible(passage is not None)
        if story is not None:
            self.headline.setText(story.headline)
            self.dateline.setText(f"{story.publication} · {long_date(story.date)}")
        self.passage.setText(passage.text if passage else "")
        self.camera.setText(f"{photo.path.name}\nReading metadata…")

    def show_metadata(self, photo: Photo, metadata: PhotoMetadata | None, error: str = "") -> None:
        """Fill in the file's own text; a gallery's caption and credit take precedence."""
        self.camera.setText("\n".join(metadata_lines(photo, metadata, error)))
        if metadata is None:
            return
        if not photo.caption and metadata.caption:
            self.caption.setText(metadata.caption)
            self.caption.setVisible(True)
        if not photo.credit and metadata.credit_line:
            self.credit.setText(f"Credit: {metadata.credit_line}")
            self.credit.setVisible(True)


def metadata_lines(photo: Photo, metadata: PhotoMetadata | None, error: str = "") -> list[str]:
    """The short EXIF summary shown under "File and camera"."""
    lines = [photo.path.name]
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
        handle = self.handle(1)
        handle.setAccessibleName("Divider between photo and information")
        handle.setAccessibleDescription("Drag to give the photo or the text more room")
