"""Sound plumbing with no sound card: device listing, WAV framing, resampling, the workers."""

from __future__ import annotations

import math
import time
import wave
from pathlib import Path

import numpy as np
import pytest

from desktop.audio.capture import CaptureWorker
from desktop.audio.devices import NO_MIC, DeviceReport, list_devices
from desktop.audio.playback import MemorySink, Player
from desktop.audio.sources import (FRAME_BYTES, FRAME_SAMPLES, FrameAssembler, MicrophoneSource,
                                   StreamResampler, WavSource, level_of)
from desktop.widgets.voice_panel import delivery_summary


def write_wav(path: Path, samples: np.ndarray, rate: int, channels: int = 1) -> Path:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(samples.astype("<i2").tobytes())
    return path


def tone(freq: float, rate: int, seconds: float, amplitude: float = 0.5) -> np.ndarray:
    t = np.arange(int(rate * seconds)) / rate
    return np.round(amplitude * 32767 * np.sin(2 * np.pi * freq * t)).astype("<i2")


def frames_of(source: WavSource) -> list[bytes]:
    """What the capture worker does, without the thread: read blocks until the end."""
    source.open()
    assembler = FrameAssembler(source.sample_rate)
    frames: list[bytes] = []
    while (block := source.read(1.0)) is not None:
        frames += assembler.push(block)
    return frames + assembler.finish()


# ---- devices --------------------------------------------------------------------------
def test_this_machine_has_no_sound_devices_and_says_so():
    report = list_devices()  # the real sounddevice/PortAudio, no sound card here
    assert report.inputs == () and report.outputs == ()
    assert not report.voice_possible and not report.can_answer and not report.can_listen
    assert report.reason.startswith(NO_MIC)


def test_opening_the_missing_microphone_fails_in_words_not_a_crash(qtbot):
    with pytest.raises(Exception) as opened:  # PortAudioError: no default input device
        MicrophoneSource().open()
    assert type(opened.value).__name__ == "PortAudioError"

    worker = CaptureWorker()
    errors: list[str] = []
    frames: list[bytes] = []
    worker.finished.connect(errors.append)
    worker.frame.connect(lambda f, level: frames.append(f))
    worker.start(MicrophoneSource)
    qtbot.waitUntil(lambda: bool(errors), timeout=5000)
    assert frames == []
    assert errors[0].startswith("The microphone could not be used") and "Type" in errors[0]


def test_missing_portaudio_and_partial_hardware_are_explained():
    def no_portaudio():
        raise OSError("PortAudio library not found")

    missing = list_devices(no_portaudio)
    assert not missing.voice_possible
    assert missing.reason.startswith(NO_MIC) and "PortAudio library not found" in missing.reason

    speakers_only = list_devices(lambda: [
        {"name": "HDMI", "max_input_channels": 0, "max_output_channels": 2,
         "default_samplerate": 48000.0}])
    assert speakers_only.voice_possible and speakers_only.can_listen
    assert not speakers_only.can_answer
    assert "No microphone found" in speakers_only.reason and "aloud" in speakers_only.reason

    both = list_devices(lambda: [
        {"name": "USB mic", "max_input_channels": 1, "max_output_channels": 0,
         "default_samplerate": 44100.0},
        {"name": "Speakers", "max_input_channels": 0, "max_output_channels": 2,
         "default_samplerate": 48000.0}])
    assert both.reason == "" and both.can_answer and both.can_listen
    assert both.find("USB mic", output=False).name == "USB mic"
    assert both.find("gone since", output=False).name == "USB mic"  # falls back
    assert both.find(None, output=True).name == "Speakers"
    assert DeviceReport().find(None, output=True) is None


# ---- WAV source framing -----------------------------------------------------------------
@pytest.mark.parametrize("seconds", [1.0, 1.2345, 0.03])
def test_a_16k_wav_becomes_exact_3200_byte_frames_with_the_last_padded(tmp_path, seconds):
    samples = tone(440, 16_000, seconds)
    frames = frames_of(WavSource(write_wav(tmp_path / "a.wav", samples, 16_000),
                                 realtime=False))
    assert all(len(f) == FRAME_BYTES == 3200 for f in frames)
    assert len(frames) == math.ceil(samples.size / FRAME_SAMPLES)
    joined = b"".join(frames)
    assert joined[:samples.size * 2] == samples.tobytes(), "16 kHz audio passes unchanged"
    assert set(joined[samples.size * 2:]) <= {0}, "the padding is silence"


def test_stereo_is_mixed_down_to_mono(tmp_path):
    left = tone(440, 16_000, 0.5)
    stereo = np.stack([left, left], axis=1).reshape(-1)
    frames = frames_of(WavSource(write_wav(tmp_path / "s.wav", stereo, 16_000, channels=2),
                                 realtime=False))
    assert len(frames) == 5
    assert b"".join(frames) == left.tobytes()


def test_realtime_pacing_follows_the_clock(tmp_path):
    path = write_wav(tmp_path / "p.wav", tone(440, 16_000, 1.0), 16_000)
    source = WavSource(path, realtime=True, speed=5.0)  # 1 s of audio in 0.2 s
    start = time.monotonic()
    frames = frames_of(source)
    elapsed = time.monotonic() - start
    assert len(frames) == 10
    assert 0.18 <= elapsed < 0.6, elapsed


def test_trailing_silence_keeps_the_microphone_open_after_the_file(tmp_path):
    path = write_wav(tmp_path / "t.wav", tone(440, 16_000, 0.2), 16_000)
    source = WavSource(path, realtime=False, trailing_silence=True)
    source.open()
    blocks = [source.read(1.0) for _ in range(5)]
    assert source.exhausted.is_set()
    assert all(len(b) == 3200 for b in blocks)
    assert blocks[2:] == [bytes(3200)] * 3


# ---- resampling ---------------------------------------------------------------------------
def dominant_frequency(pcm: bytes, rate: int) -> float:
    x = np.frombuffer(pcm, dtype="<i2").astype(np.float64)
    spectrum = np.abs(np.fft.rfft(x * np.hanning(x.size)))
    return float(np.argmax(spectrum) * rate / x.size)


def rms(pcm: bytes) -> float:
    x = np.frombuffer(pcm, dtype="<i2").astype(np.float64)
    return float(np.sqrt(np.mean(x * x)))


def test_a_48k_source_is_resampled_to_16k_frames(tmp_path):
    samples = tone(1000, 48_000, 2.0)
    frames = frames_of(WavSource(write_wav(tmp_path / "48k.wav", samples, 48_000),
                                 realtime=False))
    assert all(len(f) == FRAME_BYTES for f in frames)
    assert len(frames) == 20, "2 s at 16 kHz is 20 frames of 100 ms"
    body = b"".join(frames)[4000:-4000]  # away from the edges
    assert abs(dominant_frequency(body, 16_000) - 1000) < 5
    expected = 0.5 * 32767 / math.sqrt(2)
    assert abs(rms(body) / expected - 1) < 0.01, "the level is kept"
    reference = tone(1000, 16_000, 2.0).astype(np.float64)[2000:-2000]
    got = np.frombuffer(b"".join(frames), dtype="<i2").astype(np.float64)[2000:-2000]
    assert np.max(np.abs(got - reference)) < 0.002 * 32767, "same waveform, in phase"


def test_resampling_removes_what_16k_cannot_carry():
    above_nyquist = tone(12_000, 48_000, 1.0).tobytes()  # would alias to 4 kHz
    r = StreamResampler(48_000, 16_000)
    out = r.process(above_nyquist) + r.flush()
    assert len(out) == 16_000 * 2
    assert rms(out[2000:-2000]) < 0.01 * rms(above_nyquist), "at least 40 dB down"


@pytest.mark.parametrize("rate", [44_100, 22_050, 8_000])
def test_resampling_is_seamless_whatever_the_block_size(rate):
    pcm = tone(700, rate, 1.0).tobytes()
    whole = StreamResampler(rate)
    one_go = whole.process(pcm) + whole.flush()
    pieces = StreamResampler(rate)
    step = 2 * 331  # odd-sized blocks
    blockwise = b"".join(pieces.process(pcm[i:i + step]) for i in range(0, len(pcm), step))
    blockwise += pieces.flush()
    assert len(one_go) == len(blockwise) == 16_000 * 2
    diff = np.abs(np.frombuffer(one_go, "<i2").astype(int) - np.frombuffer(blockwise, "<i2"))
    assert diff.max() <= 1


def test_level_meter_values():
    assert level_of(bytes(3200)) == 0.0
    loud = tone(440, 16_000, 0.1, amplitude=0.99).tobytes()
    quiet = tone(440, 16_000, 0.1, amplitude=0.01).tobytes()
    assert level_of(loud) > 0.9
    assert 0.1 < level_of(quiet) < 0.5


# ---- the workers --------------------------------------------------------------------------
def test_capture_worker_delivers_frames_in_order_on_the_gui_thread(qtbot, tmp_path):
    samples = tone(300, 22_050, 1.0)
    worker = CaptureWorker()
    frames: list[bytes] = []
    levels: list[float] = []
    done: list[str] = []
    worker.frame.connect(lambda f, level: (frames.append(f), levels.append(level)))
    worker.finished.connect(done.append)
    path = write_wav(tmp_path / "c.wav", samples, 22_050)
    worker.start(lambda: WavSource(path, realtime=True, speed=4.0))
    assert worker.running
    qtbot.waitUntil(lambda: bool(done), timeout=5000)
    assert done == [""] and not worker.running
    assert len(frames) == 10 and all(len(f) == FRAME_BYTES for f in frames)
    assert min(levels) > 0.5


def test_stopping_capture_flushes_a_padded_last_frame(qtbot, tmp_path):
    path = write_wav(tmp_path / "long.wav", tone(300, 16_000, 0.25), 16_000)
    worker = CaptureWorker()
    frames: list[bytes] = []
    done: list[str] = []
    worker.frame.connect(lambda f, level: frames.append(f))
    worker.finished.connect(done.append)
    worker.start(lambda: WavSource(path, realtime=True, speed=1.0, trailing_silence=True))
    qtbot.waitUntil(lambda: len(frames) >= 5, timeout=5000)
    worker.stop()
    qtbot.waitUntil(lambda: bool(done), timeout=5000)
    assert done == [""] and all(len(f) == FRAME_BYTES for f in frames)


def test_player_plays_in_order_and_stop_drops_the_queue(qtbot):
    sink = MemorySink(realtime=True)
    player = Player(lambda: sink)
    started: list[tuple[int, int]] = []
    player.chunk_started.connect(lambda uid, index, at: started.append((uid, index)))
    chunks = [tone(200 + 100 * i, 22_050, 0.3).tobytes() for i in range(3)]
    for i, c in enumerate(chunks):
        player.play(1, i, c, 22_050)
    qtbot.waitUntil(lambda: len(started) == 3, timeout=5000)
    qtbot.waitUntil(lambda: sink.seconds() >= 0.9 - 1e-6, timeout=5000)
    assert started == [(1, 0), (1, 1), (1, 2)]
    assert b"".join(pcm for _, pcm in sink.chunks) == b"".join(chunks)

    long_speech = tone(300, 22_050, 5.0).tobytes()
    player.play(2, 0, long_speech, 22_050)
    player.play(2, 1, long_speech, 22_050)
    qtbot.waitUntil(lambda: (2, 0) in started, timeout=5000)
    player.stop()
    before = sink.seconds()
    qtbot.wait(200)
    assert sink.seconds() - before < 0.11, "stopped within a slice"
    assert (2, 1) not in started
    player.close()


def test_delivery_summary_reads_naturally():
    text = delivery_summary({"wpm": 141.6, "filler_count": 1, "long_pauses": 2,
                             "longest_pause_s": 2.44, "speaking_time_s": 31.2})
    assert text == ("142 words a minute · 1 filler · 2 long pauses (longest 2.4 s) · "
                    "31 s of speech")
    assert delivery_summary({"filler_count": 0, "long_pauses": 0}) == \
        "no fillers heard · no long pauses"
