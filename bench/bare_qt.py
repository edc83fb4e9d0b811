"""The reference for start-up: a bare PySide6 script that shows one JPEG and saves a PNG."""

import sys

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QApplication, QLabel

app = QApplication(sys.argv[:1])
label = QLabel()
label.resize(1400, 900)
pixmap = QPixmap(sys.argv[1])
label.setPixmap(
    pixmap.scaled(
        1400, 900, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
    )
)
label.show()


def save() -> None:
    label.grab().save(sys.argv[2], "PNG")
    app.quit()


QTimer.singleShot(0, save)
sys.exit(app.exec())
