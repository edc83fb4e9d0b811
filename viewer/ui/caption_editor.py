"""The caption editor (E or F2): every caption field of the photos selected, as a form.

The form shows :class:`~viewer.ui.edits.CaptionEdits`, the session in the viewer state:
each field holds the photos' common value, or is empty with "(mixed…)" in grey when
they differ (left empty, each photo keeps its own). Only what the user types marks a
field changed (bold, and said to screen readers); Save writes only those fields. With
several photos, a typed caption can replace each photo's own or be added
before or after it. Codes such as ``=ap=`` expand as they are typed when a code
replacement file is loaded; variables such as ``{filename}`` expand per photo on save.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QFont, QKeyEvent, QKeySequence, QShortcut, QTextCursor
from PySide6.QtWidgets import (
    QComboBox,
    QDockWidget,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from viewer.fileaccess import display_name
from viewer.ui.edits import MIXED, CaptionEdits, FieldValue

LABELS = {
    "title": "Title",
    "headline": "Headline",
    "caption": "Caption",
    "alt_text": "Alt text",
    "extended_description": "Extended description",
    "credit": "Credit",
    "byline": "By-line",
    "byline_title": "By-line title",
    "copyright": "Copyright",
    "usage_terms": "Usage terms",
    "source": "Source",
    "instructions": "Instructions",
    "job_id": "Job ID",
    "keywords": "Keywords",
    "sublocation": "Sublocation",
    "city": "City",
    "state": "State or province",
    "country": "Country",
    "country_code": "Country code",
    "event": "Event",
    "persons": "Persons shown",
}
LONG_FIELDS = frozenset({"caption", "alt_text", "extended_description", "instructions"})
LIST_SEPARATOR = "; "
MIXED_TEXT = "(mixed: each photo keeps its own)"


def list_value(text: str) -> tuple[str, ...]:
    """A list field as typed ("Ana; Ben") as its values."""
    return tuple(part.strip() for part in text.split(";") if part.strip())


class _LongField(QPlainTextEdit):
    """A few lines of text; Tab moves on (it does not type a tab)."""

    edited = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setTabChangesFocus(True)
        self.setMaximumHeight(self.fontMetrics().lineSpacing() * 5 + 12)
        self._quiet = False
        self.textChanged.connect(self._on_text_changed)

    def set_shown(self, text: str) -> None:
        """Show ``text`` without it counting as an edit."""
        self._quiet = True
        self.setPlainText(text)
        self.moveCursor(QTextCursor.MoveOperation.End)  # typing adds, as in a line edit
        self._quiet = False

    def _on_text_changed(self) -> None:
        if not self._quiet:
            self.edited.emit()


class CaptionEditor(QDockWidget):
    """The form for the caption fields of the photos being edited.

    Signals:
        save_requested(bool): Save (False) or Save and Next (True).
        cancel_requested(): Esc or Cancel: drop the changes.
        templates_requested(): the Templates button was pressed (the window shows the menu).
        codes_requested(): load a code replacement file.
    """

    save_requested = Signal(bool)
    cancel_requested = Signal()
    templates_requested = Signal()
    codes_requested = Signal()

    def __init__(
        self,
        edits: CaptionEdits,
        expand_codes: Callable[[str], str],
        parent: QWidget | None = None,
    ) -> None:
        """A form over ``edits``; ``expand_codes`` turns ``=code=`` into its text."""
        super().__init__("Caption", parent)
        self.setObjectName("caption_editor")
        self.setAccessibleName("Caption editor")
        self._edits = edits
        self._expand_codes = expand_codes
        self._fields: dict[str, QLineEdit | _LongField] = {}
        self._labels: dict[str, QLabel] = {}
        self._showing = False
        self._focus_after: QWidget | None = None
        # The heading and the buttons stay in view; the fields scroll between them.
        body = QWidget()
        layout = QVBoxLayout(body)
        self.heading = QLabel()
        self.heading.setObjectName("editor_heading")
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.heading.setWordWrap(True)
        layout.addWidget(self.heading)
        self.where = QLabel()
        self.where.setObjectName("editor_where")
        self.where.setAccessibleName("Where the changes are written")
        self.where.setTextFormat(Qt.TextFormat.PlainText)
        self.where.setWordWrap(True)
        self.where.hide()
        layout.addWidget(self.where)
        self.caption_mode = QComboBox()
        self.caption_mode.setAccessibleName("How a typed caption meets each photo's own")
        for text, mode in (
            ("Replace each caption", "replace"),
            ("Add before each caption", "before"),
            ("Add after each caption", "after"),
        ):
            self.caption_mode.addItem(text, mode)
        self.caption_mode.currentIndexChanged.connect(
            lambda _i: edits.set_caption_mode(str(self.caption_mode.currentData()))
        )
        layout.addWidget(self.caption_mode)
        scroll = QScrollArea()
        scroll.setWidget(self._form())
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.viewport().setAccessibleName("Caption fields")
        layout.addWidget(scroll, 1)
        layout.addLayout(self._buttons())
        self.setWidget(body)
        self.setMinimumWidth(360)
        edits.loaded.connect(self.refresh)
        edits.changed.connect(lambda _dirty: self._mark_changed())
        edits.busy_changed.connect(self._on_busy_changed)

    def event(self, event: QEvent) -> bool:
        """Esc in the form is the form's (Cancel), not the window's (leave full screen)."""
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Escape
        ):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Esc drops the changes and puts the editor away."""
        if event.key() == Qt.Key.Key_Escape:
            self.cancel_requested.emit()
            return
        super().keyPressEvent(event)

    def _form(self) -> QWidget:
        form_widget = QWidget()
        form = QFormLayout(form_widget)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for name in self._edits.fields:
            label = QLabel(LABELS.get(name, name))
            field: QLineEdit | _LongField
            if name in LONG_FIELDS:
                field = _LongField()
                field.edited.connect(lambda name=name: self._on_edited(name))
            else:
                field = QLineEdit()
                field.textEdited.connect(lambda _text, name=name: self._on_edited(name))
            field.setObjectName(f"edit_{name}")
            field.setAccessibleName(LABELS.get(name, name))
            if name in self._edits.list_fields:
                field.setAccessibleDescription("Several values, separated by semicolons")
                field.setToolTip("Several values, separated by semicolons")
            label.setBuddy(field)
            form.addRow(label, field)
            self._fields[name] = field
            self._labels[name] = label
        return form_widget

    def _buttons(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.templates_button = QToolButton()
        self.templates_button.setText("Templates")
        self.templates_button.setAccessibleName("Templates")
        self.templates_button.setAccessibleDescription(
            "Save these fields as a template, or apply one"
        )
        self.templates_button.clicked.connect(self.templates_requested)
        self.codes_button = QToolButton()
        self.codes_button.setText("Codes…")
        self.codes_button.setAccessibleName("Load code replacements")
        self.codes_button.setAccessibleDescription(
            "A Photo Mechanic code replacement file: =code= then expands as you type"
        )
        self.codes_button.clicked.connect(self.codes_requested)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setAccessibleDescription("Drop the changes (Esc)")
        self.cancel_button.clicked.connect(self.cancel_requested)
        self.save_button = QPushButton("Save")
        self.save_button.setDefault(True)
        self.save_button.setAccessibleDescription(
            "Write the changed fields into the photos (Ctrl+Enter saves and goes to the next)"
        )
        self.save_button.clicked.connect(lambda: self.save_requested.emit(False))
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(lambda: self.save_requested.emit(True))
        row.addWidget(self.templates_button)
        row.addWidget(self.codes_button)
        row.addStretch(1)
        row.addWidget(self.cancel_button)
        row.addWidget(self.save_button)
        return row

    # --- showing ------------------------------------------------------------------------

    def refresh(self) -> None:
        """Show the session's photos and fields as they are now."""
        photos = self._edits.photos()
        if len(photos) == 1:
            self.heading.setText(f"Editing {display_name(photos[0].path.name)}")
        else:
            self.heading.setText(
                f"Editing {len(photos):,} photos: only the fields you change are written"
            )
        self.caption_mode.setVisible(len(photos) > 1)
        notes = self._edits.sidecar_notes()
        shown = notes[:3] + (
            [f"…and {len(notes) - 3:,} more photos like these."] * (len(notes) > 3)
        )
        self.where.setText("\n".join(shown))
        self.where.setVisible(bool(notes))
        index = self.caption_mode.findData(self._edits.caption_mode())
        self.caption_mode.setCurrentIndex(max(index, 0))
        self._showing = True
        for name, field in self._fields.items():
            value = self._edits.common(name)
            mixed = value is MIXED
            text = "" if mixed else self._as_text(value)  # type: ignore[arg-type]
            if isinstance(field, _LongField):
                field.set_shown(text)
            else:
                field.setText(text)
                field.setCursorPosition(0)  # a long value shows from its start
            field.setPlaceholderText(MIXED_TEXT if mixed else "")
            if isinstance(field, _LongField):  # Qt repaints it only when it appears
                field.viewport().update()
        self._showing = False
        self._mark_changed()

    def field(self, name: str) -> QLineEdit | _LongField:
        """The input of field ``name`` (for focus and tests)."""
        return self._fields[name]

    def focus_first(self) -> None:
        """Put the keyboard in the caption, where a desk starts."""
        self._fields["caption"].setFocus(Qt.FocusReason.OtherFocusReason)

    def _as_text(self, value: FieldValue) -> str:
        return LIST_SEPARATOR.join(value) if isinstance(value, tuple) else value

    def _text_of(self, name: str) -> str:
        field = self._fields[name]
        return field.toPlainText() if isinstance(field, _LongField) else field.text()

    def _on_edited(self, name: str) -> None:
        if self._showing:
            return
        text = self._text_of(name)
        expanded = self._expand_codes(text)
        if expanded != text:  # =code= typed: replaced at once, the cursor at its end
            field = self._fields[name]
            if isinstance(field, _LongField):
                field.set_shown(expanded)
            else:
                field.setText(expanded)
            text = expanded
        value: FieldValue = list_value(text) if name in self._edits.list_fields else text
        held = self._edits.held(name)
        if value == held or (held is MIXED and not value):  # back to what the photos hold
            self._edits.revert(name)
        else:
            self._edits.set_value(name, value)
        self._mark_changed()

    def _mark_changed(self) -> None:
        changed = self._edits.changed_fields()
        for name, label in self._labels.items():
            font = QFont(label.font())
            font.setBold(name in changed)
            label.setFont(font)
            described = "Changed, not saved yet. " if name in changed else ""
            listed = "Several values, separated by semicolons" * (name in self._edits.list_fields)
            self._fields[name].setAccessibleDescription(described + listed)
        self.save_button.setEnabled(bool(changed) and not self._edits.is_busy())

    def _on_busy_changed(self, busy: bool) -> None:
        # While the photos are read or written the form waits; ``loaded`` refreshes it.
        # The keyboard goes back where it was (disabling a widget takes its focus away).
        if busy:
            focused = self.focusWidget()
            self._focus_after = focused if focused is not None and self.isAncestorOf(
                focused) else None  # fmt: skip
            self.heading.setText("Reading and writing the photos…")
        self.setEnabled(not busy)
        if not busy and self._focus_after is not None:
            self._focus_after.setFocus(Qt.FocusReason.OtherFocusReason)
            self._focus_after = None
        self._mark_changed()
