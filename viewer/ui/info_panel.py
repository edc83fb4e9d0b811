"""The info panel (I): every piece of a photo's metadata, in groups, selectable as text."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QDockWidget, QPlainTextEdit, QWidget

from viewer.metadata import PhotoMetadata

GROUPS = ("Description", "Camera", "Exposure", "Location", "File")


def metadata_groups(
    path: Path, meta: PhotoMetadata | None
) -> list[tuple[str, list[tuple[str, str]]]]:
    """The panel's content as (group, [(label, value)]) with empty values left out."""
    if meta is None:
        return [("File", [("Name", path.name), ("Folder", str(path.parent))])]
    taken = meta.date_taken.isoformat(sep=" ") if isinstance(meta.date_taken, dt.datetime) else ""
    gps = f"{meta.gps[0]:.6f}, {meta.gps[1]:.6f}" if meta.gps else ""
    try:
        size = f"{path.stat().st_size:,} bytes"
    except OSError:
        size = ""
    rows = {
        "Description": [
            ("Caption", meta.caption),
            ("Headline", meta.headline),
            ("Credit", meta.credit),
            ("By-line", meta.byline),
            ("Copyright", meta.copyright),
            ("Keywords", ", ".join(meta.keywords)),
        ],
        "Camera": [
            ("Make", meta.make),
            ("Model", meta.model),
            ("Lens", meta.lens),
            ("Software", meta.software),
        ],
        "Exposure": [
            ("Taken", taken),
            ("Exposure", meta.exposure_time),
            ("Aperture", meta.f_number),
            ("ISO", meta.iso),
            ("Focal length", meta.focal_length),
        ],
        "Location": [("City", meta.city), ("Country", meta.country), ("GPS", gps)],
        "File": [
            ("Name", path.name),
            ("Folder", str(path.parent)),
            ("Size", size),
            ("Pixels", f"{meta.width} × {meta.height}" if meta.width else ""),
            ("Orientation", str(meta.orientation)),
            ("Problems", "; ".join(meta.problems)),
        ],
    }
    return [(group, [(k, v) for k, v in rows[group] if v]) for group in GROUPS]


def metadata_text(path: Path, meta: PhotoMetadata | None) -> str:
    lines: list[str] = []
    for group, rows in metadata_groups(path, meta):
        if not rows:
            continue
        lines.append(group.upper())
        width = max(len(label) for label, _ in rows)
        lines.extend(f"  {label.ljust(width)}  {value}" for label, value in rows)
        lines.append("")
    return "\n".join(lines).rstrip()


class InfoDock(QDockWidget):
    """A dock on the right holding the metadata as read-only, selectable plain text."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Info", parent)
        self.setObjectName("info_dock")
        self.text = QPlainTextEdit()
        self.text.setObjectName("info_text")
        self.text.setAccessibleName("All metadata of the photo")
        self.text.setAccessibleDescription(
            "Description, camera, exposure, location and file details, as text"
        )
        self.setAccessibleName("Info panel")
        self.text.setReadOnly(True)
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.setWidget(self.text)
        self.setMinimumWidth(320)

    def show_metadata(self, path: Path, meta: PhotoMetadata | None) -> None:
        self.text.setPlainText(metadata_text(path, meta))
