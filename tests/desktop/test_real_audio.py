"""Voice through a real audio stack: PulseAudio with a virtual microphone and speakers.

scripts/virtual-audio.sh starts a private PulseAudio server with no sound card: a null sink
(the "speakers", whose monitor we record to hear what was played) and a pipe-source
"microphone" that plays what a test writes to its FIFO, in real time. The app runs exactly as
on a candidate's desktop: it lists the server's devices by name and records and plays through
libpulse (desktop/audio/pulse.py); the PortAudio path (ALSA's pulse plugin) is tested too.
Where PulseAudio cannot start, every test here is skipped and the reason printed.
"""

from __future__ import annotations

import asyncio
import logging
import os
import queue
import subprocess
import threading
import time
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from backend.voice.wer import word_error_rate
from desktop.audio.controller import CANT_HEAR
from desktop.audio.playback import Player, SpeakerSink
from desktop.audio.prefs import VoicePrefs
from desktop.audio.pulse import PulseSink, PulseSource
from desktop.widgets.voice_panel import RECORDING_HINT

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "virtual-audio.sh"
ANSWER = ("I would put a cache in front of the database to cut read latency. The tradeoff is "
          "stale data, so we set short expiry times and invalidate entries on every update.")
MIC_TEST_PHRASE = "Testing my microphone for the interview today."
SPOKEN = 300.0  # RMS above this on the speakers' monitor: something is playing


class VirtualMic:
    """Writes the microphone's audio (PCM16 mono 16 kHz) into the pipe source, paced like a
    real microphone: speech when told to say something, silence otherwise (a live room)."""

    CHUNK = 320  # 20 ms

    def __init__(self, fifo: str):
        self._fifo = fifo
        self._fd = os.open(fifo, os.O_WRONLY)
        self._speech: queue.Queue[bytes] = queue.Queue()
        self._stop = threading.Event()
        self.speaking = threading.Event()  # set while queued speech is being written
        self._thread = threading.Thread(target=self._run, name="virtual-mic", daemon=True)
        self._thread.start()

    def say(self, pcm: bytes) -> None:
        self.speaking.set()
        for i in range(0, len(pcm), self.CHUNK * 2):
            self._speech.put(pcm[i:i + self.CHUNK * 2].ljust(self.CHUNK * 2, b"\0"))

    def done_speaking(self) -> bool:
        return self._speech.empty() and not self.speaking.is_set()

    def _run(self) -> None:
        start, n = time.monotonic(), 0
        silence = bytes(self.CHUNK * 2)
        while not self._stop.is_set():
            try:
                chunk = self._speech.get_nowait()
            except queue.Empty:
                chunk = silence
                self.speaking.clear()
            try:
                os.write(self._fd, chunk)
            except BrokenPipeError:  # the source re-opened its FIFO (e.g. when unmuted)
                if self._stop.is_set():
                    return
                os.close(self._fd)
                self._fd = os.open(self._fifo, os.O_WRONLY)
            except OSError:
                if self._stop.is_set():
                    return  # closed under a blocked write at teardown
                raise
            n += 1
            due = start + n * self.CHUNK / 16000
            if time.monotonic() - due > 0.2:
                # The write blocked (nobody read the source, so its FIFO filled): a real
                # microphone does not deliver the missed seconds in a burst afterwards.
                start, n = time.monotonic(), 0
                continue
            time.sleep(max(0.0, due - time.monotonic()))

    def close(self) -> None:
        self._stop.set()
        self._thread.join(2)
        os.close(self._fd)


class SpeakerMonitor:
    """Records the null sink's monitor: when sound was played, 50 ms at a time."""

    def __init__(self, sink_monitor: str):
        self._source = PulseSource(sink_monitor)
        self._source.open()
        self.blocks: list[tuple[float, float]] = []  # (time read, RMS)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="speaker-monitor", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            block = self._source.read(0.05)
            if block:
                samples = np.frombuffer(block, dtype="<i2").astype(np.float64)
                self.blocks.append((time.monotonic(), float(np.sqrt(np.mean(samples ** 2)))))

    def playing(self, since: float, window: float = 0.15) -> bool:
        """Something was audible in the last `window` seconds (and after `since`)."""
        now = time.monotonic()
        return any(rms > SPOKEN for t, rms in self.blocks if t >= max(since, now - window))

    def last_sound(self) -> float:
        return max((t for t, rms in self.blocks if rms > SPOKEN), default=0.0)

    def close(self) -> None:
        self._stop.set()
        self._thread.join(2)
        self._source.close()


def _reset_portaudio() -> None:
    """PortAudio lists devices once per initialisation: re-list them for the current server."""
    import sys

    sd = sys.modules.get("sounddevice")
    if sd is not None:
        sd._terminate()
        sd._initialize()


@pytest.fixture(scope="module")
def virtual_audio(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pulse")
    try:
        done = subprocess.run(["bash", str(SCRIPT), "start", str(folder)], capture_output=True,
                              text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as e:
        done = None
        reason = f"PulseAudio could not start: {e}"
    else:
        reason = f"PulseAudio could not start: {done.stderr.strip() or done.stdout.strip()}"
    if done is None or done.returncode != 0:
        print(f"SKIPPED (real audio stack): {reason}")
        pytest.skip(reason)
    env = dict(line.split("=", 1) for line in done.stdout.split() if "=" in line)
    saved = os.environ.get("PULSE_SERVER")
    os.environ["PULSE_SERVER"] = env["PULSE_SERVER"]
    _reset_portaudio()
    mic = VirtualMic(env["REHEARSE_TEST_MIC_FIFO"])
    monitor = SpeakerMonitor(env["REHEARSE_TEST_SPEAKERS"] + ".monitor")
    yield {**env, "mic": mic, "monitor": monitor}
    monitor.close()
    mic.close()
    subprocess.run(["bash", str(SCRIPT), "stop", str(folder)], timeout=30, check=False)
    if saved is None:
        os.environ.pop("PULSE_SERVER", None)
    else:
        os.environ["PULSE_SERVER"] = saved
    _reset_portaudio()  # later tests see this machine as it is: no sound card


async def shoot(ui, widget, name: str) -> None:
    """<name>-light.png and -dark.png of ``widget`` as it is now, in $REHEARSE_SCREENSHOTS
    (docs/screenshots when regenerating them) or a throw-away folder.

    The theme's layout settles by yielding to the running loop, never by
    QApplication.processEvents() inside a coroutine: that re-enters qasync's loop, which
    then drops another task's wake-up ("Cannot enter into task"); the voice controller's
    sender was that task, so the answer's frames never left and the shutdown hung."""
    import tempfile

    themes = ui.window.settings_page._themes
    shots = Path(os.environ.get("REHEARSE_SCREENSHOTS") or tempfile.mkdtemp(prefix="rehearse-"))
    shots.mkdir(parents=True, exist_ok=True)
    for theme in ("light", "dark"):
        themes.apply(theme, save=False)
        await asyncio.sleep(0.05)
        assert widget.grab().save(str(shots / f"{name}-{theme}.png"))
    themes.apply("light", save=False)


def pactl(*args: str) -> None:
    subprocess.run(["pactl", *args], check=True, timeout=10)


@pytest.fixture(scope="module")
def phrases() -> dict[str, bytes]:
    """The answer and the microphone-test phrase in Piper's voice, 16 kHz PCM16."""
    from backend.voice.audio import resample_pcm16
    from backend.voice.service import VoiceService

    async def speak(service: VoiceService, text: str) -> bytes:
        chunks = [c async for c in service.speak(text)]
        return resample_pcm16(b"".join(c.pcm for c in chunks), chunks[0].sample_rate, 16_000)

    async def both() -> dict[str, bytes]:
        service = VoiceService()
        try:
            return {"answer": await speak(service, ANSWER),
                    "mic_test": await speak(service, MIC_TEST_PHRASE)}
        finally:
            service.close()

    return asyncio.run(both())


@pytest.mark.parametrize("backend", ["pulse", "portaudio"])
def test_stopping_playback_to_talk_is_silent_at_once_and_never_an_error(
        virtual_audio, qapp, caplog, backend):
    """Barge-in at the player: stop() while a long sentence plays, on both sound paths."""
    monitor = virtual_audio["monitor"]
    make_sink = (lambda: PulseSink(None)) if backend == "pulse" else (lambda: SpeakerSink(None))
    player = Player(make_sink)
    failures: list[str] = []
    player.failed.connect(failures.append)
    tone = (np.sin(np.arange(22050 * 4) * 2 * np.pi * 330 / 22050) * 9000).astype("<i2").tobytes()
    caplog.set_level(logging.DEBUG, logger="desktop.audio")
    try:
        for _round in range(2):
            started = time.monotonic()
            player.play(1, 0, tone, 22050)
            deadline = time.monotonic() + 5
            while not monitor.playing(started) and time.monotonic() < deadline:
                qapp.processEvents()
                time.sleep(0.02)
            assert monitor.playing(started), f"{backend}: the tone was heard on the speakers"
            time.sleep(0.4)
            stopped = time.monotonic()
            player.stop()
            time.sleep(0.8)
            qapp.processEvents()
            assert monitor.last_sound() - stopped < 0.35, (
                f"{backend}: silent {monitor.last_sound() - stopped:.2f} s after the stop")
    finally:
        player.close()
    qapp.processEvents()
    assert failures == [], f"{backend}: a stop is not a failure: {failures}"
    bad = [r for r in caplog.records if r.levelno >= logging.WARNING and r.name.startswith("desktop")]
    assert bad == [], [r.getMessage() for r in bad]


def test_the_microphone_list_and_setup_test_on_a_real_stack(virtual_audio, phrases, ui):
    mic = virtual_audio["mic"]
    monitor = virtual_audio["monitor"]

    async def run_test(setup) -> dict:
        test = setup.mic_test
        results: list[dict] = []
        test.finished.connect(results.append)
        started = time.monotonic()
        QTest.mouseClick(test.button, Qt.MouseButton.LeftButton)
        assert test.state == "recording"
        mic.say(phrases["mic_test"][: 16000 * 2 * 3])
        await ui.wait_until(lambda: bool(results), 90, "the microphone test to finish")
        played_by = time.monotonic() + 5
        while not monitor.playing(started, window=10.0) and time.monotonic() < played_by:
            await asyncio.sleep(0.05)
        return {**results[-1], "played": monitor.playing(started, window=10.0)}

    async def scenario():
        await ui.show()
        await ui.wait_until(lambda: ui.window.devices is not None, 30, "the sound check")
        devices = ui.window.devices
        assert [d.name for d in devices.inputs] == ["Rehearse test microphone"], devices
        assert [d.name for d in devices.outputs] == ["Rehearse test speakers"], devices
        setup = ui.setup
        QTest.mouseClick(setup.voice_check, Qt.MouseButton.LeftButton)
        assert setup.mic_test.isVisible()
        combo = setup.mic_test.combo
        names = [combo.itemText(i) for i in range(combo.count())]
        assert names == ["System default", "Rehearse test microphone"], names
        combo.setCurrentIndex(1)
        combo.activated.emit(1)
        assert VoicePrefs.load().input_device == "pulse:" + virtual_audio["REHEARSE_TEST_MIC"]

        heard = await run_test(setup)
        assert not heard["error"], heard
        assert "microphone" in heard["text"].lower(), heard
        assert heard["played"], "the recording was played back on the speakers"
        assert setup.mic_test.heard.isVisible()
        assert setup.mic_test.heard.text().startswith("Rehearse heard: “")
        setup.scroll.ensureWidgetVisible(setup.mic_test)
        await shoot(ui, ui.window, "mic-test")

        pactl("set-source-mute", virtual_audio["REHEARSE_TEST_MIC"], "1")
        try:
            muted = await run_test(setup)
        finally:
            pactl("set-source-mute", virtual_audio["REHEARSE_TEST_MIC"], "0")
        assert muted["error"] == CANT_HEAR and muted["text"] == ""
        assert setup.mic_test.warning.isVisible()
        assert not setup.mic_test.heard.isVisible()

    ui.run(scenario(), timeout=300)


def test_a_spoken_answer_with_barge_in_and_a_muted_microphone(virtual_audio, phrases, ui,
                                                               caplog):
    mic = virtual_audio["mic"]
    monitor = virtual_audio["monitor"]
    source = virtual_audio["REHEARSE_TEST_MIC"]
    timings: dict[str, float] = {}
    seen: list[str] = []  # the voice events the window got, for a failure's message

    async def scenario():
        await ui.show()
        await ui.wait_until(lambda: ui.window.devices is not None, 30, "the sound check")
        setup = ui.setup
        QTest.mouseClick(setup.voice_check, Qt.MouseButton.LeftButton)
        await ui.pick_resume(ui.write_resume_txt())
        await ui.fill_job()
        setup.questions_spin.setValue(1)
        setup.minutes_spin.setValue(10)
        await ui.wait_until(lambda: setup.start_button.isEnabled(), 30, "Start enabled")
        # A candidate spends a while on Setup after switching voice on: by Start, the models
        # that began loading then are in (measured from here: Start -> the first question).
        for _ in range(300):
            status = await ui.client.voice_warm_up()
            if status["tts"]["state"] == status["stt"]["state"] == "ready":
                break
            await asyncio.sleep(0.1)
        await ui.wait_until(lambda: not setup._busy and not setup._jd_timer.isActive(), 30,
                            "the job description to be analysed")
        started = time.monotonic()
        QTest.mouseClick(setup.start_button, Qt.MouseButton.LeftButton)
        page = ui.interview
        await ui.wait_until(lambda: page.voice is not None, 30, "voice mode")
        voice = page.voice
        panel = page.voice_panel
        handle = voice.handle

        def record(ev: dict) -> None:
            data = ev.get("data") or {}
            seen.append(f"{ev.get('type')}:{data.get('message', '') or data.get('reason', '')}"[:80])
            handle(ev)

        voice.handle = record

        def first_question_played() -> float | None:
            return next((u.first_played_at for u in voice.utterances.values()
                         if u.kind == "question" and u.first_played_at), None)

        await ui.wait_until(lambda: first_question_played() is not None, 90,
                            "the first question to be spoken")
        timings["start_to_question_audio_s"] = first_question_played() - started
        intro = next(u for u in voice.utterances.values() if u.kind == "intro")
        await ui.wait_until(lambda: intro.ended, 30, "the intro's audio")
        timings["intro_spoken_s"] = intro.seconds
        for u in voice.utterances.values():
            timings[f"{u.kind}_received_s"] = u.received_at - started
            timings[f"{u.kind}_first_chunk_s"] = (u.first_chunk_at or started) - started
            timings[f"{u.kind}_played_s"] = (u.first_played_at or started) - started
        await ui.wait_until(lambda: monitor.playing(started), 10, "the question to be heard")
        await ui.wait_until(lambda: panel.talk_button.isEnabled(), 60, "Talk to be enabled")
        await ui.wait_until(lambda: voice.player.busy, 10, "the question to be playing")

        # Barge-in: Talk while the question is spoken, with the microphone muted.
        pactl("set-source-mute", source, "1")
        talk_at = time.monotonic()
        ui.press(Qt.Key.Key_Space)
        assert voice.talk == "recording"
        assert panel.status.text() == RECORDING_HINT, "while recording, the hint says how to stop"
        await ui.wait_until(lambda: not monitor.playing(talk_at, window=0.1), 2,
                            "the question to stop")
        timings["barge_in_silence_s"] = max(monitor.last_sound(), talk_at) - talk_at
        await ui.wait_until(lambda: panel.cant_hear.isVisible(), 4, "the can't-hear warning")
        timings["muted_detected_s"] = time.monotonic() - talk_at
        assert panel.cant_hear.text() == CANT_HEAR
        assert "Playback stopped" not in page.message.text()
        await shoot(ui, ui.window, "voice-muted-microphone")

        # Unmuted, the candidate answers; the warning goes by itself.
        pactl("set-source-mute", source, "0")
        mic.say(phrases["answer"])
        await ui.wait_until(lambda: not panel.cant_hear.isVisible(), 5, "the warning to go")
        await ui.wait_until(mic.done_speaking, 60, "the answer to be spoken")
        await asyncio.sleep(0.6)
        stop_at = time.monotonic()
        ui.press(Qt.Key.Key_Space)
        try:
            await ui.wait_until(lambda: page.pending_seconds is not None, 60,
                                "the transcript before it counts")
        except AssertionError:
            raise AssertionError(f"no transcript on show {time.monotonic() - stop_at:.1f} s "
                                 f"after Stop: talk={voice.talk!r}, "
                                 f"message={page.message.text()!r}, "
                                 f"heard={panel.heard.toPlainText()!r}, "
                                 f"events={[e for e in seen if not e.startswith('audio')][-12:]}"
                                 ) from None
        timings["stop_to_transcript_s"] = time.monotonic() - stop_at
        block = page.thread.answers[page.current]
        await shoot(ui, ui.window, "voice-transcript-before-scoring")
        heard = block.text.text()
        await ui.wait_until(lambda: block.scores.isVisible(), 60, "the answer to be scored")
        return page.session.session_id, heard, block.text.text()

    caplog.set_level(logging.ERROR, logger="qasync")
    sid, shown, sent = ui.run(scenario(), timeout=400)
    print(f"\nreal audio stack: {timings}")
    lost = [r.getMessage() for r in caplog.records if r.name.startswith("qasync")]
    assert lost == [], f"a task's wake-up was lost (the loop was re-entered): {lost}"
    assert timings["muted_detected_s"] <= 2.6, timings  # 2 s after Talk, and a frame
    assert timings["intro_spoken_s"] <= 8.0, timings
    assert timings["start_to_question_audio_s"] <= 3.0, timings
    assert timings["barge_in_silence_s"] <= 0.35, timings
    assert word_error_rate(ANSWER, sent) <= 0.2, sent
    report_scored = ui.run(ui.client.transcript(sid))
    prompt = report_scored["turns"][0]["prompts"][0]
    assert prompt["answer"] == sent and prompt["score"]["delivery"]["wpm"] > 0


def test_closing_voice_never_hangs_on_a_frozen_sound_server(virtual_audio, qapp):
    """The window's shutdown waits for the audio threads only so long: with the sound server
    frozen (SIGSTOP), recording and playback are stuck inside libpulse, and close() still
    returns within its bounded joins."""
    import signal

    from desktop.audio.controller import VoiceController
    from desktop.audio.devices import DeviceReport
    from desktop.audio.hardware import AudioIO

    monitor = virtual_audio["monitor"]
    io = AudioIO(make_source=lambda key: PulseSource(None), make_sink=lambda key: PulseSink(None))
    controller = VoiceController(io, VoicePrefs(), DeviceReport())
    frames: list[bytes] = []
    controller.capture.frame.connect(lambda f, _level: frames.append(f))
    tone = (np.sin(np.arange(22050 * 6) * 2 * np.pi * 330 / 22050) * 9000).astype("<i2").tobytes()
    pid = int(virtual_audio["REHEARSE_TEST_AUDIO_PID"])
    started = time.monotonic()
    controller.capture.start(lambda: PulseSource(None))
    controller.player.play(1, 0, tone, 22050)
    deadline = time.monotonic() + 5
    while not (frames and monitor.playing(started)) and time.monotonic() < deadline:
        qapp.processEvents()
        time.sleep(0.02)
    assert frames and monitor.playing(started), "recording and playing before the freeze"
    os.kill(pid, signal.SIGSTOP)
    try:
        time.sleep(0.3)  # both workers are now blocked inside libpulse
        loop = asyncio.new_event_loop()
        closing = time.monotonic()
        try:
            loop.run_until_complete(asyncio.wait_for(controller.close(), 15))
        finally:
            loop.close()
        took = time.monotonic() - closing
    finally:
        os.kill(pid, signal.SIGCONT)
    assert took < 6.0, f"close() took {took:.1f} s with the sound server frozen"
    assert not controller.capture.running or took >= 1.5, "it waited for the recording a while"
