"""Every page fits: from 900x620 to the default size, in both themes, at 100%, 150% and 200%
scale, no text is cut and no widget sticks out of its parent.

The pages are filled the way scripts/screenshots.py fills them (real interviews over the
real backend: a question with two follow-ups, a finished report, a history, the empty and
finished interview), then measured by desktop/layout_check.py.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (QFrame, QHBoxLayout, QLabel, QPushButton, QScrollArea,
                               QTableView, QVBoxLayout, QWidget)

from desktop.layout_check import layout_problems

ROOT = Path(__file__).resolve().parents[2]
SIZES = [(1100, 760), (900, 620)]


def _screenshots_module():
    spec = importlib.util.spec_from_file_location("screenshots", ROOT / "scripts" / "screenshots.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_checker_finds_cut_text_elided_columns_and_widgets_outside(qtbot):
    window = QWidget()
    qtbot.addWidget(window)
    window.resize(500, 400)
    layout = QVBoxLayout(window)
    cut_button = QPushButton("Submit answer  (Ctrl+Enter)")
    cut_button.setFixedWidth(90)
    cut_label = QLabel("A one-line label that is far too long for its width")
    cut_label.setFixedWidth(80)
    wrapped = QLabel("word " * 60)
    wrapped.setWordWrap(True)
    wrapped.setFixedSize(200, 20)
    good = QLabel("Fits")
    table = QTableView()
    model = QStandardItemModel(1, 2)
    model.setItem(0, 0, QStandardItem("Senior Backend Engineer, Payments Platform"))
    model.setItem(0, 1, QStandardItem("x"))
    table.setModel(model)
    table.setColumnWidth(0, 40)
    holder = QFrame()
    holder.setFixedSize(100, 40)
    stray = QLabel("out", holder)
    stray.setGeometry(80, 10, 60, 20)  # 40 px beyond the holder's right edge
    area = QScrollArea()
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    wide = QWidget()
    wide.setMinimumWidth(900)
    QHBoxLayout(wide).addWidget(QLabel("wide content"))
    area.setWidgetResizable(True)
    area.setWidget(wide)
    for w in (cut_button, cut_label, wrapped, good, table, holder, area):
        layout.addWidget(w)
    window.show()
    qtbot.waitExposed(window)

    found = layout_problems(window)
    text = "\n".join(map(str, found))
    assert any(p.kind == "button" and "Submit answer" in p.widget for p in found), text
    assert any(p.kind == "text" and "far too long" in p.widget for p in found), text
    assert any(p.kind == "text" and "height" in p.detail for p in found), text
    assert any(p.kind == "column" for p in found), text
    assert any(p.kind == "outside" and '"out"' in p.widget for p in found), text
    assert any(p.kind == "outside" and "cannot scroll sideways" in p.detail for p in found), text
    assert not any('"Fits"' in p.widget for p in found), text


def test_every_page_fits_at_900x620_and_the_default_size_in_both_themes(ui, tmp_path):
    screenshots = _screenshots_module()
    ui.window.server = ui.server
    theme_manager = ui.window.settings_page._themes
    shooter = screenshots.Shooter(ui.window, theme_manager, tmp_path, SIZES,
                                  ["light", "dark"], check=True)

    async def scenario():
        ui.window.resize(*SIZES[0])
        await ui.show()
        await screenshots.capture(ui.window, shooter, tmp_path, history=2)

    ui.run(scenario(), timeout=600)
    pages = {"setup", "interview-empty", "interview", "interview-voice", "interview-finished",
             "report",
             "report-questions", "history", "settings",
             # issue 18: the first-run note, retries, practice and progress
             "progress-notice", "report-retry", "practice-start", "practice-attempt",
             "practice-retry", "progress"}
    expected = {f"{page}-{theme}{suffix}" for page in pages for theme in ("light", "dark")
                for suffix in ("", "-900x620")}
    expected |= {"retry-light", "retry-dark"}  # the retry dialog, at its own size
    assert {shot.stem for shot in shooter.shots} == expected
    assert shooter.problems == {}, "\n".join(
        f"{name}:\n  " + "\n  ".join(found) for name, found in shooter.problems.items())


@pytest.mark.parametrize("scale", ["1.5", "2"])
def test_every_page_fits_at_900x620_when_scaled(tmp_path, scale):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "QT_SCALE_FACTOR": scale,
           "HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path / "cfg")}
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "screenshots.py"), "--out", str(tmp_path),
         "--sizes", "900x620", "--themes", "light", "--history", "1", "--check"],
        env=env, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    shot = tmp_path / "interview-light.png"
    from PySide6.QtGui import QImage

    image = QImage(str(shot))
    assert image.width() == round(900 * float(scale)), "the shot is at the scaled size"
