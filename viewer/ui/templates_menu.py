"""The caption editor's Templates menu: apply a named template, save one, delete one.

A template is a set of fields kept by name in the user's config folder
(:class:`~viewer.metadata.templates.TemplateStore`). Applying one puts its values into the
editor as if typed: variables such as ``{filename}`` stay as written and are filled in
for each photo on save, so the user sees what will be written and can change it first.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QInputDialog, QLineEdit, QMenu

from viewer.fileaccess import printable
from viewer.metadata.templates import TemplateError, TemplateStore
from viewer.ui.edits import MIXED
from viewer.ui.messages import ask_yes

if TYPE_CHECKING:
    from viewer.metadata.writer import FieldValue
    from viewer.ui.desk import CaptionDesk


def fill_templates_menu(menu: QMenu, desk: CaptionDesk, store: TemplateStore | None = None) -> None:
    """Put the templates of ``store`` (the user's by default) and their actions in ``menu``."""
    store = store if store is not None else TemplateStore()
    try:
        templates = store.load()
    except TemplateError as exc:
        problem = menu.addAction(f"Templates cannot be read: {exc}")
        problem.setEnabled(False)
        templates = {}
    for name, values in sorted(templates.items(), key=lambda item: item[0].casefold()):
        action = menu.addAction(f"Apply “{printable(name)}”")
        action.setToolTip(", ".join(sorted(values)))
        action.triggered.connect(lambda _checked=False, v=values: desk.apply_values(dict(v)))
    if not templates:
        empty = menu.addAction("No templates yet")
        empty.setEnabled(False)
    menu.addSeparator()
    save = menu.addAction("Save These Fields as a Template…")
    save.triggered.connect(lambda: save_template(desk, store))
    if templates:
        delete = menu.addMenu("Delete Template")
        for name in sorted(templates, key=str.casefold):
            action = delete.addAction(printable(name))
            action.triggered.connect(lambda _checked=False, n=name: delete_template(desk, store, n))


def template_values(desk: CaptionDesk) -> dict[str, FieldValue]:
    """What a template made now would hold.

    The fields changed in the editor; when none are, every field the photos share that
    is not empty.
    """
    edits = desk.edits()
    changed = edits.changed_fields()
    if changed:
        return changed
    values: dict[str, FieldValue] = {}
    for name in edits.fields:
        value = edits.common(name)
        if value is not MIXED and value:
            values[name] = value  # type: ignore[assignment]
    return values


def save_template(desk: CaptionDesk, store: TemplateStore) -> None:
    """Ask for a name and keep the editor's fields as a template under it."""
    window = desk.parent()
    values = template_values(desk)
    if not values:
        desk.tell("Nothing to keep", "Type the fields the template should fill in first.")
        return
    name, ok = QInputDialog.getText(
        window,  # type: ignore[arg-type]
        "Save Template",
        f"A name for these fields ({', '.join(sorted(values))}):",
        QLineEdit.EchoMode.Normal,
    )
    name = name.strip()
    if not ok or not name:
        return
    try:
        if name in store.load() and not _confirm_replace(desk, name):
            return
        store.save(name, values)
    except (TemplateError, OSError) as exc:
        desk.tell("The template was not saved", str(exc))
        return
    desk.status(f"Template “{printable(name)}” saved")


def delete_template(desk: CaptionDesk, store: TemplateStore, name: str) -> None:
    """Delete the template ``name`` (after asking)."""
    if not ask_yes(
        desk.parent(),  # type: ignore[arg-type]
        "Delete Template",
        f"Delete the template “{printable(name)}”?",
    ):
        return
    try:
        store.delete(name)
    except (TemplateError, OSError) as exc:
        desk.tell("The template was not deleted", str(exc))
        return
    desk.status(f"Template “{printable(name)}” deleted")


def _confirm_replace(desk: CaptionDesk, name: str) -> bool:
    return ask_yes(
        desk.parent(),  # type: ignore[arg-type]
        "Save Template",
        f"A template named “{printable(name)}” exists. Replace it?",
    )
