"""Recordings of spoken answers through the window (issue 18): an interview answered aloud
(a WAV file as the microphone, real Whisper and Piper), its recording played back from the
report, a spoken retry beside it with both recordings and both delivery summaries, and the
files gone from disk once the session is deleted."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from desktop.audio.playback import MemorySink
from desktop.audio.sources import WavSource
from tests.desktop.test_voice_flow import FAKE_DEVICES, spoken_wav  # noqa: F401 (fixture)

SAMPLE_RATE = 16_000


def test_recordings_are_played_back_and_deleted_with_their_session(ui, spoken_wav):  # noqa: F811
    sink = MemorySink()
    ui.window.audio_io.make_source = lambda device: WavSource(
        spoken_wav, realtime=True, speed=2.0, trailing_silence=True)
    ui.window.audio_io.make_sink = lambda device: sink

    def played_16k() -> float:
        return sum(len(pcm) / 2 / rate for rate, pcm in sink.chunks if rate == SAMPLE_RATE)

    async def scenario():
        await ui.show()
        await ui.wait_until(lambda: ui.window.devices is not None, 30, "the sound check")
        ui.window.apply_devices(FAKE_DEVICES)
        setup = ui.setup
        QTest.mouseClick(setup.voice_check, Qt.MouseButton.LeftButton)
        await ui.pick_resume(ui.write_resume_txt())
        await ui.fill_job()
        await ui.start(questions=1, minutes=10)
        page = ui.interview
        panel = page.voice_panel
        await ui.wait_until(lambda: panel.talk_button.isEnabled(), 180, "Talk to be enabled")
        QTest.mouseClick(panel.talk_button, Qt.MouseButton.LeftButton)
        await ui.wait_until(lambda: page.voice.talk == "recording", 5, "the recording")
        await ui.wait_until(lambda: page.voice.capture.frames_sent > 60, 30, "the answer")
        QTest.mouseClick(panel.talk_button, Qt.MouseButton.LeftButton)  # stop and send
        while (turn := await ui.wait_for_turn(180)) != "report":
            if turn == "answer":  # a follow-up: typed
                page.editor.clear()
                await ui.type_answer("I am not sure about that part.")
                ui.submit_by_keyboard()
            else:
                ui.press(Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
        report = ui.window.report_page
        await ui.wait_until(lambda: report.report is not None
                            and report.retry_panels[1].play_button.isVisible(), 60,
                            "the report with the answer's recording")
        sid = report.report["session_id"]
        folder = ui.data_dir / "recordings" / sid
        assert [p.name for p in folder.iterdir()] == ["q1-f0-a0.ogg"]
        qpanel = report.retry_panels[1]
        QTest.mouseClick(qpanel.play_button, Qt.MouseButton.LeftButton)
        await ui.wait_until(lambda: played_16k() > 2.0, 60, "the recording to play")
        await ui.wait_until(lambda: report.player.current is None, 60, "the end of playback")
        first_length = played_16k()
        assert 3.0 < first_length < 30.0

        QTest.mouseClick(qpanel.retry_button, Qt.MouseButton.LeftButton)
        dialog = report.retry_dialog
        await ui.wait_until(lambda: dialog.isVisible(), 10, "the retry dialog")
        assert dialog.composer.record_button.isVisible()
        QTest.mouseClick(dialog.composer.record_button, Qt.MouseButton.LeftButton)
        await ui.wait_until(lambda: dialog.composer.recorder.seconds() > 4.0, 30,
                            "the spoken retry")
        QTest.mouseClick(dialog.composer.record_button, Qt.MouseButton.LeftButton)
        await ui.wait_until(lambda: dialog.result_area.isVisible()
                            or dialog.composer.message.isVisible(), 120, "the retry's score")
        assert dialog.result_area.isVisible(), dialog.composer.message.text()
        cmp = dialog.comparison
        for column in (cmp.before, cmp.after):
            assert column.play_button.isVisible(), "both recordings can be played"
            assert "words a minute" in column.delivery.text(), "both delivery summaries"
        QTest.mouseClick(cmp.after.play_button, Qt.MouseButton.LeftButton)
        await ui.wait_until(lambda: played_16k() > first_length + 2.0, 60, "the retry to play")
        assert sorted(p.name for p in folder.iterdir()) == ["q1-a1.ogg", "q1-f0-a0.ogg"]
        QTest.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)

        ui.window.show_page("History")
        history = ui.window.history_page
        await ui.wait_until(lambda: sid in history.model.session_ids(), 30, "the history")
        assert history.select_session(sid)
        history.delete_selected()
        from PySide6.QtWidgets import QMessageBox

        box = history.findChild(QMessageBox, "ConfirmDelete")
        await ui.wait_until(lambda: box is not None and box.isVisible(), 10, "the confirmation")
        box.action_button.click()
        await ui.wait_until(lambda: sid not in history.model.session_ids(), 30, "the deletion")
        assert not folder.exists(), "the recordings were deleted with their session"
        assert not any((ui.data_dir / "recordings").iterdir())

    ui.run(scenario(), timeout=600)
