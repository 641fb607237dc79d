"""The support log: written during a whole interview in the app (real backend, real window),
useful (it names the session and its steps), and free of what the candidate wrote."""

from __future__ import annotations

import logging

from backend.logging_setup import configure_logging
from tests.data.documents import BACKEND_JD, GOOD_ANSWER, SENIOR_RESUME

RESUME_WORDS = "Quarterbacked the Xylophonics telemetry migration at Brindlewood"
JOB_WORDS = "Zanzibarian freight orchestration for Pemberton Quay"
ANSWER_WORDS = "flibbertigibbet idempotency ledger at Marrowgate"


def test_the_log_never_holds_the_resume_the_job_or_an_answer(ui, tmp_path):
    handle = configure_logging(tmp_path / "logs", debug=True)  # the most talkative setting
    try:
        async def scenario():
            await ui.show()
            await ui.pick_resume(ui.write_resume_txt(SENIOR_RESUME + f"\n- {RESUME_WORDS}.\n"))
            ui.setup.role_edit.setText("Senior Backend Engineer")
            ui.setup.ask_jd_path = lambda: ui.write_jd_txt(BACKEND_JD + f"\n{JOB_WORDS}.\n")
            ui.setup.load_jd_button.click()
            await ui.wait_until(lambda: JOB_WORDS in ui.setup.jd_edit.toPlainText(), 5, "the JD")
            await ui.start(questions=2, minutes=10)
            sid = ui.interview.session.session_id
            turns = await ui.answer_everything(f"{GOOD_ANSWER} {ANSWER_WORDS}.")
            assert "answer" in turns
            bad = ui.files / "broken.pdf"
            bad.write_bytes(b"%PDF-1.4 " + RESUME_WORDS.encode())
            await ui.setup.upload_resume(bad)  # refused: the error path is logged too
            return sid

        sid = ui.run(scenario())
        report = ui.run(ui.client.report(sid))
        assert report["qa_history"][0]["answer"].endswith(f"{ANSWER_WORDS}.")
        logging.getLogger("backend").debug("end of the test interview")
    finally:
        handle.close()

    text = (tmp_path / "logs" / "rehearse.log").read_text(encoding="utf-8")
    assert f"interview {sid[:8]} connected" in text, text[-2000:]
    assert "score_update" in text and "feedback" in text, "the steps are logged"
    assert "end of the test interview" in text, "debug records are written with --debug"
    lowered = text.lower()
    for words in (RESUME_WORDS, JOB_WORDS, ANSWER_WORDS, GOOD_ANSWER[:60]):
        for word in words.lower().split():
            if len(word) > 8:  # the distinctive words, not "the" or "migration"
                assert word not in lowered, f"{word!r} from the candidate's text is in the log"
    assert ui.client._token not in text, "the access token is never logged"
