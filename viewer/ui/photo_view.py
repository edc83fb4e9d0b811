"""The picture in the detail pane: fitted, or zoomed and panned; aspect kept, HiDPI-crisp.

Zoom is kept in device pixels per *original* pixel, so 1.0 is 100%: one pixel of the
file on one pixel of the screen. The view usually holds a screen-size decode; when a zoom
needs more pixels than it has, it asks for the full-resolution decode
(``full_resolution_wanted``) and keeps zoom and position when it arrives. All drawing
goes through one transform (centre of the widget, rotation, scale, the image point at
the centre), so zooming around the cursor keeps the point under it still.
"""

from __future__ import annotations

import functools
from pathlib import Path

from PySide6.QtCore import QPointF, QRect, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAccessible,
    QAccessibleInterface,
    QBrush,
    QColor,
    QFocusEvent,
    QImage,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QPixmap,
    QTransform,
    QWheelEvent,
)
from PySide6.QtWidgets import QAccessibleWidget, QSizePolicy, QWidget

from viewer.imaging.compact import CHECKER_CELL, CHECKER_DARK, CHECKER_LIGHT
from viewer.imaging.geometry import fit_within

FOCUS_RING = 3  # pixels: the keyboard focus must be seen on a dark surround too


class PhotoView(QWidget):
    """Paints one photo, a loading note, or an error that names the file.

    Signals:
        painted(str): the path whose picture (or error) has just been painted; emitted
            once per photo, so callers can wait for the first real frame.
        full_resolution_wanted(str): the zoom needs more pixels than the view has.
    """

    painted = Signal(object)
    full_resolution_wanted = Signal(object)

    MARGIN = 12
    MAX_ZOOM = 32.0
    WHEEL_STEP = 1.25

    def __init__(self, parent: QWidget | None = None) -> None:
        """An empty view; :meth:`show_image` gives it a photo."""
        install_accessible_photo()
        super().__init__(parent)
        self.setAccessibleName("Photo")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # Tab reaches it; a ring shows it
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
        self._original = QSize()  # the photo's size as displayed, in original pixels
        self._zoom: float | None = None  # None: fit to the view
        self._center = QPointF()  # the original pixel at the middle of the view
        self._rotation = 0
        self._drag_from: QPointF | None = None
        self._asked_full = False
        self._checkers = self._checkerboard()
        self._focus_ring = True
        self._frames: list[QImage] = []
        self._durations: list[int] = []
        self._frame = 0
        self._loops_left = 0  # 0: for ever
        self._animation_timer = QTimer(self)
        self._animation_timer.setSingleShot(True)
        self._animation_timer.timeout.connect(self._on_animation_timeout)

    def set_focus_ring(self, *, shown: bool) -> None:
        """Draw the keyboard focus (off during a slideshow, where only the photo shows)."""
        self._focus_ring = shown
        self.update()

    # --- state --------------------------------------------------------------------------

    def path(self) -> Path | None:
        """The photo shown (or being loaded), if any."""
        return self._path

    def has_picture(self) -> bool:
        """True once the photo's pixels are on screen."""
        return self._image is not None

    def error_message(self) -> str:
        """Why the current photo cannot be shown, or "" when there is no error."""
        return self._message

    def show_loading(self, path: Path, description: str) -> None:
        """Clear the view for ``path`` while its pixels are decoded."""
        self._set(path, None, "")
        self.setAccessibleDescription(description)

    def show_image(self, path: Path, image: QImage, original: QSize | None = None) -> None:
        """Show ``image``, a decode of a photo whose displayed size is ``original``."""
        self._set(path, image, "")
        self._original = QSize(original) if original is not None else image.size()
        self._center = QPointF(self._original.width() / 2, self._original.height() / 2)

    def show_full_resolution(self, path: Path, image: QImage) -> None:
        """Swap in the full-resolution decode, keeping zoom and position.

        An animation stops on its first frame: every pixel of it is what was asked for.
        """
        if path == self._path and self._image is not None:
            self.stop_animation()
            self._image, self._scaled = image, None
            self.update()

    def play(self, path: Path, frames: list[QImage], durations: list[int], loops: int) -> None:
        """Play an animation of the photo on screen, frame after frame."""
        if path != self._path or self._image is None or len(frames) < 2:
            return
        self._frames, self._durations = frames, durations
        self._frame, self._loops_left = 0, loops
        self._animation_timer.start(durations[0])

    def is_playing(self) -> bool:
        """True while an animation plays."""
        return self._animation_timer.isActive()

    def frame_index(self) -> int:
        """The animation frame on screen."""
        return self._frame

    def stop_animation(self) -> None:
        """Stop playing and let the frames go."""
        self._animation_timer.stop()
        self._frames, self._durations = [], []

    def _on_animation_timeout(self) -> None:
        if not self._frames:
            return
        following = self._frame + 1
        if following == len(self._frames):
            if self._loops_left == 1:
                return  # played as often as the file asks; stays on its last frame
            self._loops_left = max(0, self._loops_left - 1)
            following = 0
        self._frame = following
        self._image, self._scaled = self._frames[following], None
        self.update()
        self._animation_timer.start(self._durations[following])

    def show_error(self, path: Path, message: str) -> None:
        """Show why ``path`` cannot be shown, naming it."""
        self._set(path, None, message)
        self.setAccessibleDescription(message)

    def _set(self, path: Path, image: QImage | None, message: str) -> None:
        if path != self._path:  # a new photo starts fitted and upright
            self._zoom, self._rotation, self._asked_full = None, 0, False
            self.unsetCursor()
        self.stop_animation()
        self._path, self._image, self._message = path, image, message
        self._scaled = None
        self._announced = False
        self.update()

    # --- zoom, pan, rotation --------------------------------------------------------

    def is_fitted(self) -> bool:
        """True when the photo is fitted to the view (not zoomed)."""
        return self._zoom is None

    def rotation(self) -> int:
        """How far the view is turned, in degrees (0, 90, 180 or 270)."""
        return self._rotation

    def current_image(self) -> QImage | None:
        """The pixels held now (the full-resolution decode once it was needed)."""
        return self._image

    def original_size(self) -> QSize:
        """The photo's whole size as displayed, in its own pixels."""
        return QSize(self._original)

    def image_size(self) -> QSize:
        """The size of the pixels held now (screen-size or full-resolution decode)."""
        return self._image.size() if self._image is not None else QSize()

    def zoom(self) -> float:
        """Device pixels per original pixel (1.0 is 100%)."""
        return self._zoom if self._zoom is not None else self._fit_zoom()

    def _rotated_original(self) -> tuple[float, float]:
        w, h = self._original.width(), self._original.height()
        return (h, w) if self._rotation in (90, 270) else (w, h)

    def _fit_zoom(self) -> float:
        w, h = self._rotated_original()
        if w <= 0 or h <= 0:
            return 1.0
        ratio = self.devicePixelRatioF()
        box_w = max(1, self.width() - 2 * self.MARGIN) * ratio
        box_h = max(1, self.height() - 2 * self.MARGIN) * ratio
        return min(box_w / w, box_h / h, 1.0)

    def _transform(self) -> QTransform:
        """Original-pixel coordinates to widget coordinates."""
        scale = self.zoom() / self.devicePixelRatioF()
        center = (
            self._center
            if self._zoom is not None
            else QPointF(self._original.width() / 2, self._original.height() / 2)
        )
        return (
            QTransform()
            .translate(self.width() / 2, self.height() / 2)
            .rotate(self._rotation)
            .scale(scale, scale)
            .translate(-center.x(), -center.y())
        )

    def map_to_image(self, point: QPointF) -> QPointF:
        """The original pixel under a widget position."""
        inverse, _ok = self._transform().inverted()
        return inverse.map(point)

    def set_zoom(self, zoom: float | None, anchor: QPointF | None = None) -> None:
        """Zoom to ``zoom`` (None: fit), keeping the pixel under ``anchor`` where it is."""
        if self._image is None:
            return
        fit = self._fit_zoom()
        if zoom is not None:
            zoom = min(max(zoom, fit), self.MAX_ZOOM)
            if zoom <= fit * 1.001:
                zoom = None  # zoomed out to (or past) the fitted size: fit again
        anchor = anchor if anchor is not None else QPointF(self.width() / 2, self.height() / 2)
        pixel = self.map_to_image(anchor)
        self._zoom = zoom
        if self._zoom is not None:
            # Solve for the centre that puts ``pixel`` back under ``anchor``.
            rotate_back = QTransform().rotate(-self._rotation)
            offset = rotate_back.map(anchor - QPointF(self.width() / 2, self.height() / 2))
            scale = self._zoom / self.devicePixelRatioF()
            self._center = pixel - offset / scale
            self._ask_full_resolution()
        self.setCursor(Qt.CursorShape.OpenHandCursor if self._zoom else Qt.CursorShape.ArrowCursor)
        self.update()

    def zoom_by(self, factor: float, anchor: QPointF | None = None) -> None:
        """Zoom by ``factor``, keeping the pixel under ``anchor`` still."""
        self.set_zoom(self.zoom() * factor, anchor)

    def fit(self) -> None:
        """Fit the whole photo in the view."""
        self.set_zoom(None)

    def actual_size(self, anchor: QPointF | None = None) -> None:
        """100%: one original pixel on one device pixel."""
        self.set_zoom(1.0, anchor)

    def rotate_view(self, degrees: int) -> None:
        """Turn the view (not the file) by a multiple of 90 degrees."""
        self._rotation = (self._rotation + degrees) % 360
        self._scaled = None
        self.update()

    def _ask_full_resolution(self) -> None:
        needed = self.zoom() * self._original.width()
        if self._path is not None and not self._asked_full and needed > self.image_size().width():
            self._asked_full = True
            self.full_resolution_wanted.emit(self._path)

    def wheelEvent(self, event: QWheelEvent) -> None:
        """The wheel zooms around the cursor."""
        steps = event.angleDelta().y() / 120
        if steps and self._image is not None:
            self.zoom_by(self.WHEEL_STEP**steps, event.position())
            event.accept()

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        """A double click toggles fitted and 100%."""
        if self._zoom is None and self._fit_zoom() < 1.0:
            self.actual_size(event.position())
        else:
            self.fit()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        """Start panning a zoomed photo."""
        if self._zoom is not None and event.button() == Qt.MouseButton.LeftButton:
            self._drag_from = event.position()
            self.setCursor(Qt.CursorShape.ClosedHandCursor)
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        """Pan a zoomed photo with the mouse."""
        if self._drag_from is not None and self._zoom is not None:
            delta = QTransform().rotate(-self._rotation).map(event.position() - self._drag_from)
            self._center -= delta / (self._zoom / self.devicePixelRatioF())
            self._drag_from = event.position()
            self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        """Stop panning."""
        if self._drag_from is not None:
            self._drag_from = None
            self.setCursor(Qt.CursorShape.OpenHandCursor)
        super().mouseReleaseEvent(event)

    # --- painting -----------------------------------------------------------------------

    def sizeHint(self) -> QSize:
        """A comfortable size for a photo."""
        return QSize(960, 640)

    def picture_rect(self) -> QRect:
        """Where the picture is drawn, in widget coordinates (empty when there is none)."""
        if self._image is None:
            return QRect()
        whole = QRectF(0, 0, self._original.width(), self._original.height())
        return self._transform().mapRect(whole).toAlignedRect()

    def paintEvent(self, event: QPaintEvent) -> None:
        """Paint the photo (fitted, or zoomed and turned), a note or an error, and focus."""
        painter = QPainter(self)
        if self._image is not None and self._zoom is None and self._rotation == 0:
            # Fitted and upright: a cached, smoothly reduced copy gives the best quality.
            target = self.picture_rect()
            if self._image.hasAlphaChannel():
                painter.fillRect(target, self._checkers)
            painter.drawPixmap(target, self._scaled_pixmap(target.size()))
        elif self._image is not None:
            self._paint_transformed(painter)
        elif self._path is not None:
            self._paint_note(painter)
        if self.hasFocus() and self._focus_ring:
            self._paint_focus_ring(painter)
        painter.end()
        if (
            self._path is not None
            and (self._image is not None or self._message)
            and not self._announced
        ):
            self._announced = True
            self.painted.emit(self._path)

    def _paint_transformed(self, painter: QPainter) -> None:
        assert self._image is not None
        per_original = self._image.width() / max(1, self._original.width())
        transform = QTransform(self._transform()).scale(1 / per_original, 1 / per_original)
        painter.setTransform(transform)
        device_scale = self.zoom() / per_original
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, device_scale < 2)
        if self._image.hasAlphaChannel():
            painter.fillRect(QRectF(self._image.rect()), self._checkers)
        painter.drawImage(QPointF(0, 0), self._image)

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

    @staticmethod
    def _checkerboard() -> QBrush:
        """Neutral greys that make transparency visible without tinting the picture.

        Made once per view, not per paint.
        """
        cell = CHECKER_CELL
        tile = QPixmap(2 * cell, 2 * cell)
        tile.fill(QColor(*CHECKER_LIGHT))
        painter = QPainter(tile)
        painter.fillRect(cell, 0, cell, cell, QColor(*CHECKER_DARK))
        painter.fillRect(0, cell, cell, cell, QColor(*CHECKER_DARK))
        painter.end()
        return QBrush(tile)

    def _paint_focus_ring(self, painter: QPainter) -> None:
        pen = QPen(self.palette().color(QPalette.ColorRole.Highlight), FOCUS_RING)
        painter.resetTransform()
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        inset = FOCUS_RING // 2
        painter.drawRect(self.rect().adjusted(inset, inset, -inset - 1, -inset - 1))

    def focusInEvent(self, event: QFocusEvent) -> None:
        """Show the focus ring."""
        super().focusInEvent(event)
        self.update()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        """Hide the focus ring."""
        super().focusOutEvent(event)
        self.update()

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


def _accessible_photo(_key: str, widget: object) -> QAccessibleInterface | None:
    """Screen readers meet the photo as an image described by its alt text.

    Not as a plain container.
    """
    if isinstance(widget, PhotoView):
        return QAccessibleWidget(widget, QAccessible.Role.Graphic)
    return None


@functools.cache
def install_accessible_photo() -> None:
    """Teach Qt's accessibility about the photo (once per process; Qt keeps the factory)."""
    QAccessible.installFactory(_accessible_photo)
