"""Themes: applied to the whole app, remembered, following the OS, and readable."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QPalette

from desktop.pages.settings import SettingsPage
from desktop.theme import THEME_KEY, parse_theme, themes_dir
from desktop.widgets.charts import ScoreChart


@pytest.fixture
def restore_look(qapp) -> Iterator[None]:
    sheet, palette = qapp.styleSheet(), qapp.palette()
    yield
    qapp.setStyleSheet(sheet)
    qapp.setPalette(palette)


def window_colour(qapp) -> str:
    return qapp.palette().color(QPalette.ColorRole.Window).name()


def test_switching_changes_the_stylesheet_and_palette_and_persists(make_themes, qapp, restore_look):
    themes = make_themes()
    themes.apply("light")
    light_sheet, light_window = qapp.styleSheet(), window_colour(qapp)
    themes.apply("dark")
    assert qapp.styleSheet() != light_sheet and qapp.styleSheet()
    assert window_colour(qapp) != light_window
    assert qapp.palette().color(QPalette.ColorRole.Window).lightnessF() < 0.3
    assert themes.current == themes.resolved == "dark"

    assert QSettings("Rehearse", "Rehearse").value(THEME_KEY) == "dark"
    again = make_themes()
    qapp.setStyleSheet("")
    assert again.restore() == "dark"
    assert showing(qapp, "dark")


def colours_of(name: str) -> dict[str, str]:
    return parse_theme((themes_dir() / f"{name}.qss").read_text(encoding="utf-8"))[0]


def showing(qapp, name: str) -> bool:
    """Whether the app's palette and stylesheet are the theme `name`."""
    colours = colours_of(name)
    sheet = qapp.styleSheet()
    return (window_colour(qapp) == colours["window"] and colours["window"] in sheet
            and colours["hire-bg"] in sheet)


def test_following_the_system_reacts_to_the_os_scheme(make_themes, qapp, restore_look):
    themes = make_themes()
    themes.apply("system")
    hints = qapp.styleHints()
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert themes.current == "system" and themes.resolved == "dark"
    assert showing(qapp, "dark")
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Light)
    assert themes.resolved == "light" and showing(qapp, "light")

    themes.apply("dark")  # an explicit choice ignores the OS
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Light)
    assert themes.resolved == "dark" and showing(qapp, "dark")


def test_indicator_icons_exist_in_the_theme_colours(make_themes, qapp, restore_look):
    import re

    themes = make_themes()
    for name in ("light", "dark"):
        themes.apply(name)
        urls = set(re.findall(r"url\(([^)]+)\)", qapp.styleSheet()))
        assert {Path(u).name for u in urls} == {"check.svg", "up.svg", "down.svg"}
        for url in urls:
            svg = Path(url).read_text(encoding="utf-8")
            colour = colours_of(name)["accent-text" if url.endswith("check.svg") else "text"]
            assert f'stroke="{colour}"' in svg


def test_unknown_theme_is_refused(make_themes, qapp):
    with pytest.raises(ValueError):
        make_themes().apply("neon")


def test_charts_take_their_colours_from_the_theme(make_themes, qtbot, qapp, restore_look):
    themes = make_themes()
    for name in ("light", "dark"):
        themes.apply(name)
        chart = ScoreChart()
        qtbot.addWidget(chart)
        chart.ensurePolished()
        assert chart.technicalColor.name() == themes.colours["series-technical"]
        assert chart.communicationColor.name() == themes.colours["series-communication"]


def test_the_settings_page_applies_and_saves_the_choice(make_themes, qtbot, qapp, restore_look):
    themes = make_themes()
    themes.apply("light")
    page = SettingsPage(None, Path("/tmp/rehearse-data"), themes)
    qtbot.addWidget(page)
    assert page.theme_buttons["light"].isChecked()
    page.theme_buttons["dark"].click()
    assert themes.current == "dark" and showing(qapp, "dark")
    assert QSettings("Rehearse", "Rehearse").value(THEME_KEY) == "dark"
    page.theme_buttons["system"].click()
    assert QSettings("Rehearse", "Rehearse").value(THEME_KEY) == "system"


# ---------------------------------------------------------------------------- the files

def contrast(a: str, b: str) -> float:
    def luminance(colour: str) -> float:
        channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


TEXT_PAIRS = [("text", "window"), ("text", "surface"), ("text", "surface-alt"), ("text", "hover"),
              ("muted", "window"), ("muted", "surface"), ("muted", "surface-alt"),
              ("link", "surface"), ("link", "window"), ("accent-text", "accent"),
              ("accent-text", "accent-hover"), ("danger-text", "danger"),
              ("danger-text", "danger-hover"), ("danger-fg", "surface"), ("danger-fg", "window"),
              ("selection-text", "selection"), ("chip-fg", "chip-bg"), ("good-fg", "surface"),
              ("warn-fg", "surface"), ("hire-fg", "hire-bg"), ("borderline-fg", "borderline-bg"),
              ("nohire-fg", "nohire-bg"), ("good-fg", "good-bg"), ("warn-fg", "warn-bg")]
# Non-text contrast (WCAG 1.4.11): chart marks, focus rings and control borders.
GRAPHIC_PAIRS = [("series-technical", "surface"), ("series-design", "surface"),
                 ("series-communication", "surface"), ("series-technical", "window"),
                 ("series-design", "window"), ("series-communication", "window"),
                 ("focus", "surface"), ("focus", "window"), ("border-strong", "window"),
                 ("border-strong", "surface")]


@pytest.mark.parametrize("name", ["light", "dark"])
def test_theme_colours_meet_wcag_aa(name):
    colours, _ = parse_theme((themes_dir() / f"{name}.qss").read_text(encoding="utf-8"))
    weak = [(a, b, round(contrast(colours[a], colours[b]), 2)) for a, b in TEXT_PAIRS
            if contrast(colours[a], colours[b]) < 4.5]
    weak += [(a, b, round(contrast(colours[a], colours[b]), 2)) for a, b in GRAPHIC_PAIRS
             if contrast(colours[a], colours[b]) < 3.0]
    assert not weak, weak


def test_both_themes_define_the_same_colours():
    light, _ = parse_theme((themes_dir() / "light.qss").read_text(encoding="utf-8"))
    dark, _ = parse_theme((themes_dir() / "dark.qss").read_text(encoding="utf-8"))
    assert light.keys() == dark.keys()
    assert len(light) > 20


def test_an_undefined_colour_is_an_error():
    with pytest.raises(ValueError, match="@missing"):
        parse_theme("@text: #000000;\nQLabel { color: @text; background: @missing; }")
    colours, sheet = parse_theme("@surface: #ffffff;\n@surface-alt: #eeeeee;\n"
                                 "/* @note */ QFrame { background: @surface-alt; color: @surface; }")
    assert sheet.strip() == "QFrame { background: #eeeeee; color: #ffffff; }"
    assert colours == {"surface": "#ffffff", "surface-alt": "#eeeeee"}
