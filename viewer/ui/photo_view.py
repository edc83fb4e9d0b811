"""The picture in the detail pane: fitted to the space, aspect kept, smooth, HiDPI-crisp."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QImage, QPainter, QPaintEvent, QPalette, QPixmap
from PySide6.QtWidgets import QSizePolicy, QWidget

from viewer.imaging.decode import CHECKER_CELL, CHECKER_DARK, CHECKER_LIGHT
from viewer.imaging.geometry import fit_within


class PhotoView(QWidget):
    """Paints one photo, a loading note, or an error that names the file.

    Signals:
        painted(str): the path whose picture (or error) has just been painted; emitted
            once per photo, so callers can wait for the first real frame.
    """

    painted = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Photo")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(240, 180)
        self.setAutoFillBackground(True)
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Window, QColor(30, 30, 32))
        palette.setColor(QPalette.ColorRole.WindowText, QColor(226, 226, 226))
        self.setPalette(palette)
        self._path: Path | None = None
        self._image: QImage | None = None
        self._message = ""
        self._scaled: QPixmap | None = None
        self._announced = False

    # --- state --------------------------------------------------------------------------

    def path(self) -> Path | None:
        return self._path

    def has_picture(self) -> bool:
        return self._image is not None

    def error_message(self) -> str:
        """Why the current photo cannot be shown, or "" when there is no error."""
        return self._message

    def show_loading(self, path: Path, description: str) -> None:
        """Clear the view for ``path`` while its pixels are decoded."""
        self._set(path, None, "")
        self.setAccessibleDescription(description)

    def show_image(self, path: Path, image: QImage) -> None:
        self._set(path, image, "")

    def show_error(self, path: Path, message: str) -> None:
        self._set(path, None, message)
        self.setAccessibleDescription(message)

    def _set(self, path: Path, image: QImage | None, message: str) -> None:
        self._path, self._image, self._message = path, image, message
        self._scaled = None
        self._announced = False
        self.update()

    # --- painting -----------------------------------------------------------------------

    def sizeHint(self) -> QSize:
        return QSize(960, 640)

    def picture_rect(self) -> QRect:
        """Where the picture is drawn, in widget coordinates (empty when there is none)."""
        if self._image is None:
            return QRect()
        ratio = self.devicePixelRatioF()
        logical_w = self._image.width() / ratio
        logical_h = self._image.height() / ratio
        margin = 12
        box = (max(1, self.width() - 2 * margin), max(1, self.height() - 2 * margin))
        scale = min(box[0] / logical_w, box[1] / logical_h, 1.0)
        w, h = round(logical_w * scale), round(logical_h * scale)
        return QRect((self.width() - w) // 2, (self.height() - h) // 2, w, h)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        if self._image is not None:
            target = self.picture_rect()
            if self._image.hasAlphaChannel():
                painter.fillRect(target, self._checkerboard())
            painter.drawPixmap(target, self._scaled_pixmap(target.size()))
        elif self._path is not None:
            self._paint_note(painter)
        painter.end()
        if (
            self._path is not None
            and (self._image is not None or self._message)
            and not self._announced
        ):
            self._announced = True
            self.painted.emit(str(self._path))

    def _scaled_pixmap(self, size: QSize) -> QPixmap:
        """The picture smoothly scaled to ``size`` logical pixels, cached until it changes."""
        assert self._image is not None
        ratio = self.devicePixelRatioF()
        device = fit_within(
            self._image.width(),
            self._image.height(),
            (round(size.width() * ratio), round(size.height() * ratio)),
        )
        if self._scaled is None or (self._scaled.width(), self._scaled.height()) != device:
            scaled = self._image.scaled(
                QSize(*device),
                Qt.AspectRatioMode.IgnoreAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
            self._scaled = QPixmap.fromImage(scaled)
            self._scaled.setDevicePixelRatio(ratio)
        return self._scaled

    def _checkerboard(self) -> QBrush:
        """Neutral greys that make transparency visible without tinting the picture."""
        cell = CHECKER_CELL
        tile = QPixmap(2 * cell, 2 * cell)
        tile.fill(QColor(*CHECKER_LIGHT))
        painter = QPainter(tile)
        painter.fillRect(cell, 0, cell, cell, QColor(*CHECKER_DARK))
        painter.fillRect(0, cell, cell, cell, QColor(*CHECKER_DARK))
        painter.end()
        return QBrush(tile)

    def _paint_note(self, painter: QPainter) -> None:
        painter.setPen(self.palette().color(QPalette.ColorRole.WindowText))
        area = QRectF(self.rect().adjusted(32, 32, -32, -32))
        if self._message:
            font = painter.font()
            font.setPointSizeF(font.pointSizeF() * 1.1)
            painter.setFont(font)
            text = f"This picture cannot be shown.\n\n{self._message}"
        else:
            text = "Loading…"
        painter.drawText(area, int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap), text)
