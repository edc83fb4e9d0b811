"""Light and dark: the system's palette by default, or one the user picks.

"System" leaves the palette to the platform (GNOME, KDE, Windows and macOS report light
or dark and Qt follows them, live). "Light" and "Dark" ask the platform for that scheme
where it can switch, and set a full palette so that every style, including Fusion on a
bare X server, shows it. Both palettes keep body text at least 4.5:1 against its
background (WCAG AA); the tests measure the rendered pixels.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette

SCHEMES = ("system", "light", "dark")

Role = QPalette.ColorRole
Group = QPalette.ColorGroup

_LIGHT = {
    Role.Window: "#efefef",
    Role.WindowText: "#111111",
    Role.Base: "#ffffff",
    Role.AlternateBase: "#f5f5f5",
    Role.Text: "#111111",
    Role.PlaceholderText: "#5f5f5f",
    Role.Button: "#e6e6e6",
    Role.ButtonText: "#111111",
    Role.BrightText: "#ffffff",
    Role.Highlight: "#2a6ccd",
    Role.HighlightedText: "#ffffff",
    Role.ToolTipBase: "#ffffdc",
    Role.ToolTipText: "#111111",
    Role.Link: "#1d5bb8",
    Role.LinkVisited: "#6a3fb0",
    Role.Light: "#ffffff",
    Role.Midlight: "#f2f2f2",
    Role.Mid: "#b8b8b8",
    Role.Dark: "#9f9f9f",
    Role.Shadow: "#767676",
}
_DARK = {
    Role.Window: "#2b2b2e",
    Role.WindowText: "#ececec",
    Role.Base: "#1e1e21",
    Role.AlternateBase: "#26262a",
    Role.Text: "#ececec",
    Role.PlaceholderText: "#a6a6a6",
    Role.Button: "#38383d",
    Role.ButtonText: "#ececec",
    Role.BrightText: "#ffffff",
    Role.Highlight: "#2f67c2",
    Role.HighlightedText: "#ffffff",
    Role.ToolTipBase: "#3a3a3f",
    Role.ToolTipText: "#ececec",
    Role.Link: "#8ab4f8",
    Role.LinkVisited: "#c58af9",
    Role.Light: "#4a4a50",
    Role.Midlight: "#3f3f44",
    Role.Mid: "#2f2f33",
    Role.Dark: "#1a1a1c",
    Role.Shadow: "#000000",
}
_DISABLED_TEXT = {"light": "#7a7a7a", "dark": "#8a8a8a"}


def palette_for(scheme: str) -> QPalette:
    """The full palette for ``"light"`` or ``"dark"``."""
    colours = _DARK if scheme == "dark" else _LIGHT
    palette = QPalette()
    for role, name in colours.items():
        palette.setColor(role, QColor(name))
    for role in (Role.WindowText, Role.Text, Role.ButtonText):
        palette.setColor(Group.Disabled, role, QColor(_DISABLED_TEXT[scheme]))
    return palette


def apply_scheme(app: QGuiApplication, scheme: str) -> None:
    """Show the whole application in ``scheme`` (one of :data:`SCHEMES`)."""
    hints = app.styleHints()
    if scheme == "system":
        hints.unsetColorScheme()
        app.setPalette(QPalette())  # nothing set: the platform's palette again
        return
    hints.setColorScheme(Qt.ColorScheme.Dark if scheme == "dark" else Qt.ColorScheme.Light)
    app.setPalette(palette_for(scheme))


def is_dark(palette: QPalette) -> bool:
    """True when the palette's window is darker than its text (a dark scheme)."""
    return palette.color(Role.Window).lightnessF() < palette.color(Role.WindowText).lightnessF()


def relative_luminance(colour: QColor) -> float:
    """WCAG 2 relative luminance of an sRGB colour."""

    def linear(channel: float) -> float:
        return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * linear(colour.redF())
        + 0.7152 * linear(colour.greenF())
        + 0.0722 * linear(colour.blueF())
    )


def contrast_ratio(a: QColor, b: QColor) -> float:
    """WCAG 2 contrast ratio of two colours, from 1 to 21."""
    light, dark = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)
