"""Setup says one true thing at a time: what the backend last analysed, the interview's own
plan, and never a rejected file as the loaded resume (real backend, offscreen)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from tests.data.documents import BACKEND_JD


def test_the_analysis_follows_what_the_backend_analysed(ui):
    async def scenario():
        await ui.show()
        setup = ui.setup
        await ui.pick_resume(ui.write_resume_txt())
        analysis = setup.analysis
        assert analysis.isVisible() and not analysis.with_job
        assert analysis.basis.text().startswith("From your resume only")
        assert not analysis.gaps.isVisible(), "no gaps 'for this job' before there is a job"
        await ui.wait_until(lambda: analysis.plan.isVisible(), 20, "the plan")

        # Typing the job: nothing is claimed until the pause; then the job is weighed.
        QTest.keyClicks(setup.role_edit, "Senior Backend Engineer")
        setup.jd_edit.setFocus()
        QTest.keyClicks(setup.jd_edit, " ".join(BACKEND_JD[:400].split()))  # one typed line
        assert not analysis.with_job, "not analysed while typing"
        await ui.wait_until(lambda: analysis.with_job and not setup._busy, 30,
                            "the job to be analysed after a pause")
        assert analysis.basis.text() == "From your resume and this job description."
        assert analysis.gaps.isVisible()
        details = await ui.client.get_session(setup.session_id)
        assert details["has_jd"] and details["role"] == "Senior Backend Engineer"

        # The chips are the interview's plan, for the chosen number of questions.
        async def planned(n: int) -> list[str]:
            plan = await ui.client.plan(setup.session_id, n, False)
            return list(dict.fromkeys(q["topic"] for q in plan["questions"]))

        await ui.wait_until(lambda: analysis.plan.isVisible(), 20, "the plan")
        expected = await planned(8)
        await ui.wait_until(lambda: analysis.plan.items() == expected, 20, "the 8-question plan")
        setup.questions_spin.setValue(3)
        assert setup.questions_spin.suffix() == " questions"
        expected = await planned(3)
        assert len(expected) <= 3
        await ui.wait_until(lambda: analysis.plan.items() == expected, 20, "the 3-question plan")
        setup.questions_spin.setValue(1)
        assert setup.questions_spin.text() == "1 question", "no '1 questions'"
        setup.minutes_spin.setValue(1)
        assert setup.minutes_spin.text() == "1 minute"

        # A broken file is refused and never shown as the resume; the earlier one stays.
        bad = ui.files / "broken.pdf"
        bad.write_bytes(b"%PDF-1.4 this is not really a pdf")
        assert await setup.upload_resume(bad) is False
        assert setup.resume_message.kind == "error"
        assert "resume.txt" in setup.resume_message.text(), "says which resume is still used"
        assert "broken.pdf" not in setup.drop_zone._title.text()
        assert "resume.txt" in setup.drop_zone._title.text()
        assert analysis.isVisible() and analysis.with_job
        assert setup.start_button.isEnabled(), "the earlier resume can still be used"

        # Another resume: the panel is the backend's answer for it, with the same job.
        other = ui.files / "other.txt"
        other.write_text(ui.write_resume_txt().read_text().replace("Python", "Rust"))
        assert await setup.upload_resume(other)
        assert not setup.resume_message.isVisible()
        assert "other.txt" in setup.drop_zone._title.text()
        assert analysis.with_job and not setup.jd_message.isVisible()

    ui.run(scenario())


def test_start_uses_the_job_typed_just_before(ui):
    async def scenario():
        await ui.show()
        setup = ui.setup
        await ui.pick_resume(ui.write_resume_txt())
        setup.jd_edit.setPlainText(BACKEND_JD)
        await ui.wait_until(lambda: setup.start_button.isEnabled(), 10, "Start")
        QTest.mouseClick(setup.start_button, Qt.MouseButton.LeftButton)  # before the pause
        await ui.wait_until(lambda: ui.window.current_page == "Interview", 30, "the interview")
        details = await ui.client.get_session(ui.interview.session.session_id)
        assert details["has_jd"] and details["status"] in ("created", "in_progress")

    ui.run(scenario())
