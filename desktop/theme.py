"""Light, dark and follow-the-system themes: a QPalette plus a QSS file per theme.

Each ``assets/themes/<name>.qss`` starts with its colour variables, one per line::

    @window: #f6f7fb;

Those lines are the theme's single source of truth: they become the application palette
(so widgets the stylesheet does not cover, and the QPainter charts, follow the theme) and
every ``@name`` in the rest of the file is replaced by its colour before Qt sees it.
``@icons`` is a folder of small SVGs (check mark, arrows) drawn in the theme's colours,
written at run time because QSS can only take images from files.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from PySide6.QtCore import QObject, QSettings, Qt, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

THEMES = ("light", "dark", "system")
THEME_KEY = "appearance/theme"
DEFAULT_THEME = "system"

_VARIABLE = re.compile(r"^\s*@([a-z][a-z0-9-]*)\s*:\s*(#[0-9a-fA-F]{6})\s*;\s*$", re.MULTILINE)

_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)

# Palette role -> theme variable.
_ROLES: dict[QPalette.ColorRole, str] = {
    QPalette.ColorRole.Window: "window",
    QPalette.ColorRole.WindowText: "text",
    QPalette.ColorRole.Base: "surface",
    QPalette.ColorRole.AlternateBase: "surface-alt",
    QPalette.ColorRole.Text: "text",
    QPalette.ColorRole.Button: "surface-alt",
    QPalette.ColorRole.ButtonText: "text",
    QPalette.ColorRole.BrightText: "accent-text",
    QPalette.ColorRole.Highlight: "selection",
    QPalette.ColorRole.HighlightedText: "selection-text",
    QPalette.ColorRole.ToolTipBase: "surface",
    QPalette.ColorRole.ToolTipText: "text",
    QPalette.ColorRole.PlaceholderText: "muted",
    QPalette.ColorRole.Link: "link",
    QPalette.ColorRole.LinkVisited: "link",
    QPalette.ColorRole.Mid: "border",
    QPalette.ColorRole.Midlight: "surface-alt",
    QPalette.ColorRole.Dark: "border",
    QPalette.ColorRole.Shadow: "border",
    QPalette.ColorRole.Accent: "accent",
}


def app_settings() -> QSettings:
    """The app's settings store (organisation and application "Rehearse")."""
    return QSettings("Rehearse", "Rehearse")


def themes_dir() -> Path:
    from backend.assets import assets_dir

    return assets_dir() / "themes"


_ICONS = {  # name -> (SVG path data, colour variable)
    "check": ("M3.5 8.5l3 3 6-7", "accent-text"),
    "up": ("M4 10l4-4 4 4", "text"),
    "down": ("M4 6l4 4 4-4", "text"),
}


def write_icons(colours: dict[str, str], folder: Path) -> Path:
    """The theme's indicator icons as SVG files in `folder` (created if needed)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, (path, colour) in _ICONS.items():
        svg = ('<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" '
               f'viewBox="0 0 16 16"><path d="{path}" fill="none" '
               f'stroke="{colours.get(colour, "#000000")}" stroke-width="2.2" '
               'stroke-linecap="round" stroke-linejoin="round"/></svg>')
        (folder / f"{name}.svg").write_text(svg, encoding="utf-8")
    return folder


def parse_theme(source: str, icons: str | Path = ".") -> tuple[dict[str, str], str]:
    """Split a theme file into its colour variables and the stylesheet with them filled in."""
    variables = {m.group(1): m.group(2).lower() for m in _VARIABLE.finditer(source)}
    body = _COMMENT.sub("", _VARIABLE.sub("", source))
    body = body.replace("@icons/", Path(icons).as_posix().rstrip("/") + "/")
    for name in sorted(variables, key=len, reverse=True):  # @surface-alt before @surface
        body = re.sub(rf"@{re.escape(name)}\b(?!-)", variables[name], body)
    leftover = re.search(r"@[a-z][a-z0-9-]*", body)
    if leftover:
        raise ValueError(f"theme uses an undefined colour {leftover.group(0)}")
    return variables, body


def build_palette(colours: dict[str, str]) -> QPalette:
    palette = QPalette()
    for role, name in _ROLES.items():
        if name in colours:
            palette.setColor(role, QColor(colours[name]))
    muted = QColor(colours.get("muted", "#808080"))
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text,
                 QPalette.ColorRole.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, muted)
    return palette


class ThemeManager(QObject):
    """Applies a theme to the whole application and remembers the choice.

    ``apply("system")`` follows the OS colour scheme and re-applies when it changes.
    """

    changed = Signal(str)  # the resolved theme, "light" or "dark"
    _owner: "ThemeManager | None" = None  # the application has one look: the last applied

    def __init__(self, app: QApplication, settings: QSettings | None = None):
        super().__init__(app)
        self._app = app
        self._settings = settings
        self.current = DEFAULT_THEME  # what the user chose
        self.resolved = "light"  # what is shown
        self.colours: dict[str, str] = {}
        self._icons: tempfile.TemporaryDirectory | None = None  # removed with the manager
        app.styleHints().colorSchemeChanged.connect(self._on_scheme_changed)

    def _store(self) -> QSettings:
        return self._settings if self._settings is not None else app_settings()

    def saved(self) -> str:
        value = self._store().value(THEME_KEY, DEFAULT_THEME)
        return value if value in THEMES else DEFAULT_THEME

    def restore(self) -> str:
        """Apply the saved choice (the system scheme if none); call once at start-up."""
        self.apply(self.saved(), save=False)
        return self.current

    def apply(self, name: str, save: bool = True) -> None:
        if name not in THEMES:
            raise ValueError(f"unknown theme {name!r}; expected one of {', '.join(THEMES)}")
        self.current = name
        if save:
            store = self._store()
            store.setValue(THEME_KEY, name)
            store.sync()
        self._show(self._resolve(name))

    def _resolve(self, name: str, scheme: Qt.ColorScheme | None = None) -> str:
        if name != "system":
            return name
        if scheme is None:
            scheme = self._app.styleHints().colorScheme()
        return "dark" if scheme == Qt.ColorScheme.Dark else "light"

    def _show(self, resolved: str) -> None:
        source = (themes_dir() / f"{resolved}.qss").read_text(encoding="utf-8")
        if self._icons is None:
            self._icons = tempfile.TemporaryDirectory(prefix="rehearse-theme-")
        icons = Path(self._icons.name) / resolved
        colours, sheet = parse_theme(source, icons)
        write_icons(colours, icons)
        self.colours = colours
        self.resolved = resolved
        ThemeManager._owner = self
        if self._app.style().name().lower() != "fusion":
            self._app.setStyle("Fusion")  # the one built-in style that honours the palette everywhere
        self._app.setPalette(build_palette(colours))
        self._app.setStyleSheet(sheet)
        self.changed.emit(resolved)

    def _on_scheme_changed(self, scheme: Qt.ColorScheme) -> None:
        if self.current == "system" and ThemeManager._owner is self:
            self._show(self._resolve("system", scheme))


def is_dark(palette: QPalette) -> bool:
    """Whether a palette is a dark one (for widgets that pick their own accents)."""
    return palette.color(QPalette.ColorRole.Window).lightnessF() < 0.5
