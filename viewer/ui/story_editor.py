"""The story editor: the article's fields and passages, and the current photo's words.

The article: headline, publication, date, by-line, summary and passages. The photo on
screen: which passage it illustrates and the words the story gives it.

Every field applies at once through :class:`~viewer.ui.story_session.StorySession`, so
the detail pane shows the story as it is being written. A photo's own fields are empty
by default, which means "the file's own": the field then shows, in grey, what the file
says (its Title or Headline, caption, credit line, Alt Text), the words readers will see.
"""

from __future__ import annotations

import datetime as dt
import functools

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDockWidget,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from viewer.captions import photo_text
from viewer.fileaccess import display_name
from viewer.model import Gallery, Photo
from viewer.model.story_edit import (
    add_passage,
    edit_story,
    remove_passage,
    set_overrides,
    set_passage_text,
    set_photo_passage,
)
from viewer.ui.state import ViewerState
from viewer.ui.story_session import StorySession

OWN_WORDS = ("title", "caption", "credit", "alt_text")
OWN_LABELS = {"title": "Title", "caption": "Caption", "credit": "Credit", "alt_text": "Alt text"}


class _Text(QPlainTextEdit):
    """A few lines of text that apply when edited (not when shown)."""

    edited = Signal(str)

    def __init__(self, lines: int = 3) -> None:
        super().__init__()
        self.setTabChangesFocus(True)
        self.setMaximumHeight(self.fontMetrics().lineSpacing() * (lines + 1) + 12)
        self._quiet = False
        self.textChanged.connect(self._on_changed)

    def show_text(self, text: str) -> None:
        """Show ``text`` without it counting as an edit (the cursor kept at its end)."""
        if self.toPlainText().strip() == text.strip():
            return  # what is typed (its spaces at the ends are trimmed on saving)
        self._quiet = True
        self.setPlainText(text)
        self._quiet = False

    def _on_changed(self) -> None:
        if not self._quiet:
            self.edited.emit(self.toPlainText())


class _Date(QDateEdit):
    """A date whose parts are changed with the arrow keys; Tab moves on to the next field."""

    def focusNextPrevChild(self, next: bool) -> bool:
        """Tab leaves the date (Qt's own moves between day, month and year)."""
        return QWidget.focusNextPrevChild(self, next)


def _line(name: str, edited: object) -> QLineEdit:
    field = QLineEdit()
    field.setObjectName(f"story_{name}")
    field.textEdited.connect(edited)
    return field


class StoryEditor(QDockWidget):
    """The story's fields and the current photo's, applied as they are typed.

    Signals:
        save_requested(): Save the story (Ctrl+S).
    """

    save_requested = Signal()

    def __init__(
        self, state: ViewerState, session: StorySession, parent: QWidget | None = None
    ) -> None:
        """An editor of ``session``'s story, following ``state``'s current photo."""
        super().__init__("Story", parent)
        self.setObjectName("story_editor")
        self.setAccessibleName("Story editor")
        self._state, self._session = state, session
        self._showing = False
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.addWidget(self._story_box())
        layout.addWidget(self._photo_box())
        layout.addStretch(1)
        self.save_button = QPushButton("Save Story")
        self.save_button.setAccessibleDescription("Write the story as gallery.json (Ctrl+S)")
        self.save_button.clicked.connect(self.save_requested)
        layout.addWidget(self.save_button, 0, Qt.AlignmentFlag.AlignRight)
        scroll = QScrollArea()
        scroll.setWidget(body)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.viewport().setAccessibleName("Story fields")
        self.setWidget(scroll)
        self.setMinimumWidth(380)
        state.gallery_changed.connect(lambda _g: self.refresh())
        state.current_changed.connect(lambda _p: self.refresh())
        state.details_changed.connect(lambda _p: self.refresh())
        state.metadata_ready.connect(lambda *_: self._show_photo())
        session.dirty_changed.connect(self._on_dirty_changed)

    # --- building -----------------------------------------------------------------------

    def _story_box(self) -> QGroupBox:
        box = QGroupBox("The article")
        form = QFormLayout(box)
        self.headline = _line("headline", lambda t: self._edit("headline", t))
        self.headline.setAccessibleName("Headline")
        self.publication = _line("publication", lambda t: self._edit("publication", t))
        self.publication.setAccessibleName("Publication")
        self.date = _Date()
        self.date.setObjectName("story_date")
        self.date.setAccessibleName("Date of publication")
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("yyyy-MM-dd")
        self.date.dateChanged.connect(self._on_date_changed)
        self.byline = _line("byline", lambda t: self._edit("byline", t))
        self.byline.setAccessibleName("By-line")
        self.summary = _Text(3)
        self.summary.setObjectName("story_summary")
        self.summary.setAccessibleName("Summary")
        self.summary.edited.connect(lambda t: self._edit("summary", t))
        for label, field in (
            ("&Headline", self.headline),
            ("&Publication", self.publication),
            ("&Date", self.date),
            ("&By-line", self.byline),
            ("&Summary", self.summary),
        ):
            form.addRow(label, field)
        self.passages = QComboBox()
        self.passages.setObjectName("story_passages")
        self.passages.setAccessibleName("Passages of the article")
        self.passages.currentIndexChanged.connect(lambda _i: self._show_passage())
        add = QPushButton("Add")
        add.setAccessibleName("Add a passage")
        add.clicked.connect(self._add_passage)
        remove = QPushButton("Remove")
        remove.setAccessibleName("Remove this passage")
        remove.clicked.connect(self._remove_passage)
        row = QHBoxLayout()
        row.addWidget(self.passages, 1)
        row.addWidget(add)
        row.addWidget(remove)
        passages_label = QLabel("Pa&ssages")
        passages_label.setBuddy(self.passages)
        form.addRow(passages_label, row)
        self.passage_text = _Text(4)
        self.passage_text.setObjectName("story_passage_text")
        self.passage_text.setAccessibleName("Text of the passage")
        self.passage_text.edited.connect(self._on_passage_edited)
        form.addRow("", self.passage_text)
        return box

    def _photo_box(self) -> QGroupBox:
        self.photo_box = QGroupBox("This photo")
        form = QFormLayout(self.photo_box)
        self.photo_name = QLabel()
        self.photo_name.setTextFormat(Qt.TextFormat.PlainText)
        self.photo_name.setWordWrap(True)
        form.addRow(self.photo_name)
        self.photo_passage = QComboBox()
        self.photo_passage.setObjectName("story_photo_passage")
        self.photo_passage.setAccessibleName("The passage this photo illustrates")
        self.photo_passage.activated.connect(lambda _i: self._on_photo_passage())
        form.addRow("Illustrates", self.photo_passage)
        self.own: dict[str, QLineEdit | _Text] = {}
        for name in OWN_WORDS:
            field: QLineEdit | _Text
            if name in ("caption", "alt_text"):
                field = _Text(3)
                field.edited.connect(lambda t, name=name: self._on_own_edited(name, t))
            else:
                field = _line(name, lambda t, name=name: self._on_own_edited(name, t))
            field.setObjectName(f"story_own_{name}")
            field.setAccessibleName(f"{OWN_LABELS[name]} the story gives this photo")
            field.setAccessibleDescription("Empty: the file's own, shown in grey")
            form.addRow(OWN_LABELS[name], field)
            self.own[name] = field
        return self.photo_box

    # --- showing ------------------------------------------------------------------------

    def refresh(self) -> None:
        """Show the story and the current photo as they are now."""
        gallery = self._session.gallery()
        self.setEnabled(gallery is not None and self._session.can_edit())
        if gallery is None or gallery.story is None:
            return
        story = gallery.story
        self._showing = True
        for field, text in (
            (self.headline, story.headline),
            (self.publication, story.publication),
            (self.byline, story.byline),
        ):
            if field.text().strip() != text:  # a space just typed is not taken away
                field.setText(text)
        self.summary.show_text(story.summary)
        self.date.setDate(QDate(story.date.year, story.date.month, story.date.day))
        wanted = self.passages.currentData()
        self.passages.clear()
        for number, passage in enumerate(story.passages, start=1):
            first = passage.text.splitlines()[0] if passage.text else ""
            self.passages.addItem(f"{number}. {first[:40] or '(empty)'}", passage.id)
        index = self.passages.findData(wanted)
        self.passages.setCurrentIndex(max(index, 0))
        self._showing = False
        self._show_passage()
        self._show_photo()

    def _show_passage(self) -> None:
        gallery = self._session.gallery()
        passage_id = self.passages.currentData()
        story = gallery.story if gallery is not None else None
        passage = story.passage(passage_id) if story is not None else None
        self.passage_text.setEnabled(passage is not None)
        self.passage_text.show_text(passage.text if passage is not None else "")

    def _show_photo(self) -> None:
        gallery = self._session.gallery()
        photo = self._state.current_photo()
        if gallery is None or gallery.story is None or photo is None:
            self.photo_box.setEnabled(False)
            return
        self.photo_box.setEnabled(True)
        index = gallery.index_of(photo.path)
        name = display_name(photo.path.name)
        missing = " (missing: the file is not there)" if photo.missing else ""
        self.photo_name.setText(f"Photo {index + 1} of {len(gallery)}: {name}{missing}")
        self.photo_passage.clear()
        self.photo_passage.addItem("No passage", None)
        for number, passage in enumerate(gallery.story.passages, start=1):
            self.photo_passage.addItem(f"Passage {number}", passage.id)
        self.photo_passage.setCurrentIndex(max(self.photo_passage.findData(photo.passage_id), 0))
        held = self._state.loader.metadata(photo.path)
        bare = Photo(path=photo.path, title="", caption="", credit="", alt_text="")
        files = photo_text(bare, held[0] if held else None)
        file_words = {
            "title": files.title if held else "",
            "caption": files.caption,
            "credit": files.credit,
            "alt_text": files.alt_text,
        }
        for name, field in self.own.items():
            own = str(getattr(photo, name))
            if isinstance(field, _Text):
                field.show_text(own)
            elif field.text().strip() != own:
                field.setText(own)
            said = file_words[name]
            placeholder = f"From the file: {said}" if said else "The file says nothing"
            if field.placeholderText() != placeholder:
                field.setPlaceholderText(placeholder)
                if isinstance(field, _Text):  # Qt repaints it only when it appears
                    field.viewport().update()

    def _on_dirty_changed(self, dirty: bool) -> None:
        self.setWindowTitle("Story (not saved)" if dirty else "Story")
        self.save_button.setEnabled(dirty)

    # --- editing ------------------------------------------------------------------------

    def _edit(self, name: str, text: str) -> None:
        if not self._showing:
            change = functools.partial(edit_story, **{name: text})  # type: ignore[arg-type]
            self._session.apply(change, undo_key=name)

    def _on_date_changed(self, date: QDate) -> None:
        if not self._showing:
            day = dt.date(date.year(), date.month(), date.day())
            self._session.apply(lambda gallery: edit_story(gallery, date=day))

    def _on_passage_edited(self, text: str) -> None:
        passage_id = self.passages.currentData()
        if passage_id is not None and not self._showing:
            self._session.apply(
                set_passage_text, passage_id, text, undo_key=f"passage {passage_id}"
            )

    def _add_passage(self) -> None:
        gallery = self._session.gallery()
        if gallery is None:
            return
        added, passage_id = add_passage(gallery)
        self._session.apply(lambda _g: added)
        self.passages.setCurrentIndex(self.passages.findData(passage_id))
        self.passage_text.setFocus(Qt.FocusReason.OtherFocusReason)

    def _remove_passage(self) -> None:
        passage_id = self.passages.currentData()
        if passage_id is not None:
            self._session.apply(remove_passage, passage_id)

    def _current_index(self) -> int:
        gallery: Gallery | None = self._session.gallery()
        photo = self._state.current_photo()
        return gallery.index_of(photo.path) if gallery and photo else -1

    def _on_photo_passage(self) -> None:
        index = self._current_index()
        if index >= 0:
            self._session.apply(set_photo_passage, index, self.photo_passage.currentData())

    def _on_own_edited(self, name: str, text: str) -> None:
        index = self._current_index()
        if index >= 0 and not self._showing:
            words = {name: text}
            self._session.apply(
                lambda gallery: set_overrides(gallery, index, **words),
                undo_key=f"photo {index} {name}",
            )

    def focus_headline(self) -> None:
        """Put the keyboard in the headline, where a new story starts."""
        self.headline.setFocus(Qt.FocusReason.OtherFocusReason)
        self.headline.selectAll()
