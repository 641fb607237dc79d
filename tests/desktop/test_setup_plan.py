"""The Setup page shows the interview plan: what will be asked about and why, in the job's
words, which must-haves the interview cannot cover, and a strength's evidence on hover.

Set REHEARSE_SCREENSHOTS=<folder> to also save the screenshot there (docs/screenshots/)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel

from tests.desktop.test_interviewer_settings import shoot

DATA = Path(__file__).resolve().parent.parent / "data"
RESUME = (DATA / "resumes" / "34_mid_backend_payments_repartition.txt").read_text(encoding="utf-8")
PAYMENTS_JD = (DATA / "jobs" / "payments_platform.txt").read_text(encoding="utf-8")


def test_the_plan_is_shown_with_its_reasons(ui, tmp_path):
    async def scenario():
        await ui.show()
        await ui.pick_resume(ui.write_resume_txt(RESUME))
        setup = ui.setup
        assert setup.analysis.isVisible(), setup.resume_message.text()
        assert not setup.analysis.requirements.isVisible()  # no job yet: no requirements

        QTest.keyClicks(setup.role_edit, "Backend Engineer, Payments")
        setup.ask_jd_path = lambda: ui.write_jd_txt(PAYMENTS_JD)
        QTest.mouseClick(setup.load_jd_button, Qt.MouseButton.LeftButton)
        await ui.wait_until(lambda: bool(setup.jd_edit.toPlainText()), 5, "the JD")
        await ui.wait_until(lambda: not setup._busy and setup.analysis.requirements.isVisible(),
                            60, "the plan, once the job is analysed")

        plan = setup.analysis.requirements
        text = plan.text()
        assert "We'll focus on:" in text
        assert "Idempotent payment APIs (must-have, not in your resume)" in text
        assert "First, your own work" in text
        described = plan.accessibleDescription()
        assert "must-have, your resume shows it" in described
        # no nice-to-have before a must-have in the list
        kinds = [line.split("(", 1)[1].split(",")[0] for line in described.split(". ")
                 if "(must-have" in line or "(nice-to-have" in line]
        assert kinds == sorted(kinds, key=lambda k: k != "must-have"), kinds

        chips = {c.text(): c for c in setup.analysis.strengths.findChildren(QLabel)
                 if c.objectName() == "Chip"}
        assert "1.8 TB" in chips["PostgreSQL"].toolTip()
        shoot(setup.analysis, "setup-plan.png", tmp_path)
        assert (tmp_path / "setup-plan.png").stat().st_size > 10_000
    ui.run(scenario())
