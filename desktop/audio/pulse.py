"""PulseAudio and PipeWire (through pipewire-pulse): real device names, capture and playback.

PortAudio reaches a PulseAudio server only through ALSA's "pulse" plugin, so on a Linux
desktop its device list reads "pulse / default" and the candidate cannot pick their real
microphone (issue 17). When a server answers, Rehearse lists its sources and sinks by their
descriptions (`pactl list sources` / `sinks`, JSON when pactl can write it, else its text) and
records and plays through libpulse's simple API (ctypes; libpulse0 is on every such desktop),
naming the device chosen. Stopping playback is a flush, never a PortAudio abort.

Devices are keyed "pulse:<name>" (the server's stable name); "pulse:" is the server's default.
Nothing here raises for a missing server: `pulse_devices()` is then None and PortAudio is used.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import json
import logging
import os
import shutil
import subprocess
import threading
from typing import Any

log = logging.getLogger(__name__)

PREFIX = "pulse:"
HOST_API = "PulseAudio"
PACTL_TIMEOUT_S = 3.0
RECORD_RATE = 16_000  # the server resamples; the backend wants 16 kHz
READ_BYTES = 1_600  # 50 ms of 16 kHz PCM16: read() returns about that often
PLAYBACK_BUFFER_S = 0.15  # what the server holds ahead: a stop is heard within about this

_PA_SAMPLE_S16LE = 3
_PA_STREAM_PLAYBACK, _PA_STREAM_RECORD = 1, 2
_DEFAULT = 0xFFFFFFFF  # (uint32_t) -1: the server's choice


class PulseError(OSError):
    """A PulseAudio call failed (the message is libpulse's)."""


class _SampleSpec(ctypes.Structure):
    _fields_ = [("format", ctypes.c_int), ("rate", ctypes.c_uint32), ("channels", ctypes.c_uint8)]


class _BufferAttr(ctypes.Structure):
    _fields_ = [("maxlength", ctypes.c_uint32), ("tlength", ctypes.c_uint32),
                ("prebuf", ctypes.c_uint32), ("minreq", ctypes.c_uint32),
                ("fragsize", ctypes.c_uint32)]


_lib_lock = threading.Lock()
_libs: tuple[Any, Any] | None = None


def _load() -> tuple[Any, Any]:
    """libpulse-simple and libpulse (for pa_strerror), typed; PulseError when absent."""
    global _libs
    with _lib_lock:
        if _libs is not None:
            return _libs
        names = [ctypes.util.find_library("pulse-simple"), "libpulse-simple.so.0"]
        simple = pulse = None
        for name in names:
            if name:
                try:
                    simple = ctypes.CDLL(name)
                    break
                except OSError:
                    continue
        for name in (ctypes.util.find_library("pulse"), "libpulse.so.0"):
            if name:
                try:
                    pulse = ctypes.CDLL(name)
                    break
                except OSError:
                    continue
        if simple is None or pulse is None:
            raise PulseError("the PulseAudio client library (libpulse0) is not installed")
        simple.pa_simple_new.restype = ctypes.c_void_p
        simple.pa_simple_new.argtypes = [
            ctypes.c_char_p, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_char_p,
            ctypes.POINTER(_SampleSpec), ctypes.c_void_p, ctypes.POINTER(_BufferAttr),
            ctypes.POINTER(ctypes.c_int)]
        for fn in ("pa_simple_read", "pa_simple_write"):
            getattr(simple, fn).restype = ctypes.c_int
            getattr(simple, fn).argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_size_t,
                                            ctypes.POINTER(ctypes.c_int)]
        for fn in ("pa_simple_flush", "pa_simple_drain"):
            getattr(simple, fn).restype = ctypes.c_int
            getattr(simple, fn).argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_int)]
        simple.pa_simple_free.restype = None
        simple.pa_simple_free.argtypes = [ctypes.c_void_p]
        pulse.pa_strerror.restype = ctypes.c_char_p
        pulse.pa_strerror.argtypes = [ctypes.c_int]
        _libs = (simple, pulse)
        return _libs


class PulseStream:
    """One pa_simple stream (record or playback), PCM16 mono. Not thread-safe: one thread
    uses it (the capture worker, or the playback worker)."""

    def __init__(self, record: bool, device: str | None, rate: int, *,
                 fragment_bytes: int = 0, buffer_bytes: int = 0, name: str = "Rehearse"):
        self._simple, self._pulse = _load()
        spec = _SampleSpec(_PA_SAMPLE_S16LE, int(rate), 1)
        attr = _BufferAttr(_DEFAULT, _DEFAULT, _DEFAULT, _DEFAULT, _DEFAULT)
        if record and fragment_bytes:
            attr.fragsize = fragment_bytes
        if not record and buffer_bytes:
            attr.tlength = buffer_bytes
        error = ctypes.c_int(0)
        handle = self._simple.pa_simple_new(
            None, b"Rehearse", _PA_STREAM_RECORD if record else _PA_STREAM_PLAYBACK,
            device.encode() if device else None,
            (name + (" microphone" if record else " interviewer")).encode(),
            ctypes.byref(spec), None, ctypes.byref(attr), ctypes.byref(error))
        if not handle:
            raise PulseError(self._why(error.value))
        self._handle: int | None = handle
        self.rate = int(rate)

    def _why(self, code: int) -> str:
        text = self._pulse.pa_strerror(code)
        return text.decode(errors="replace") if text else f"PulseAudio error {code}"

    def _check(self, result: int, error: ctypes.c_int) -> None:
        if result < 0:
            raise PulseError(self._why(error.value))

    def read(self, size: int) -> bytes:
        if self._handle is None:
            raise PulseError("the stream is closed")
        buffer = ctypes.create_string_buffer(size)
        error = ctypes.c_int(0)
        self._check(self._simple.pa_simple_read(self._handle, buffer, size, ctypes.byref(error)), error)
        return buffer.raw

    def write(self, data: bytes) -> None:
        if self._handle is None:
            raise PulseError("the stream is closed")
        error = ctypes.c_int(0)
        self._check(self._simple.pa_simple_write(self._handle, data, len(data),
                                                 ctypes.byref(error)), error)

    def flush(self) -> None:
        """Drop what the server still holds to play (or has recorded)."""
        if self._handle is not None:
            error = ctypes.c_int(0)
            self._check(self._simple.pa_simple_flush(self._handle, ctypes.byref(error)), error)

    def close(self) -> None:
        handle, self._handle = self._handle, None
        if handle is not None:
            self._simple.pa_simple_free(handle)


class PulseSource:
    """The microphone through PulseAudio (`FrameSource`): 16 kHz mono PCM16, the server
    resampling from whatever the device runs at."""

    def __init__(self, device: str | None = None):
        self.device = device or None
        self.sample_rate = RECORD_RATE
        self._stream: PulseStream | None = None

    def open(self) -> None:
        self._stream = PulseStream(True, self.device, RECORD_RATE, fragment_bytes=READ_BYTES)

    def read(self, timeout: float) -> bytes | None:
        """The next 50 ms (a live source delivers them in real time, silence included)."""
        if self._stream is None:
            return None
        return self._stream.read(READ_BYTES)

    def close(self) -> None:
        stream, self._stream = self._stream, None
        if stream is not None:
            stream.close()


class PulseSink:
    """The speakers through PulseAudio (`AudioSink`); `abort` flushes (same thread as write)."""

    def __init__(self, device: str | None = None):
        self.device = device or None
        self._stream: PulseStream | None = None

    def open(self, sample_rate: int) -> None:
        if self._stream is not None and self._stream.rate == sample_rate:
            return
        self.close()
        self._stream = PulseStream(False, self.device, sample_rate,
                                   buffer_bytes=int(sample_rate * PLAYBACK_BUFFER_S) * 2)

    def write(self, pcm: bytes) -> None:
        if self._stream is not None:
            self._stream.write(pcm)

    def abort(self) -> None:
        if self._stream is not None:
            self._stream.flush()

    def close(self) -> None:
        stream, self._stream = self._stream, None
        if stream is not None:
            stream.close()


# ---- which devices the server has ---------------------------------------------------
def _pactl(*args: str) -> str | None:
    exe = shutil.which("pactl")
    if exe is None:
        return None
    env = {**os.environ, "LC_ALL": "C"}  # the text output's labels in English
    try:
        done = subprocess.run([exe, *args], capture_output=True, text=True, env=env,
                              timeout=PACTL_TIMEOUT_S, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout if done.returncode == 0 else None


def parse_pactl_text(text: str) -> list[dict[str, Any]]:
    """`pactl list sources|sinks` (text) as [{"name", "description", "properties"}] (for pactl
    before 16, which cannot write JSON)."""
    items: list[dict[str, Any]] = []
    current: dict[str, Any] | None = None
    in_properties = False
    for raw in text.splitlines():
        line = raw.strip()
        if raw and not raw[0].isspace() and "#" in line:  # "Source #1"
            current = {"name": "", "description": "", "properties": {}}
            items.append(current)
            in_properties = False
            continue
        if current is None or not line:
            continue
        if line.startswith("Name:"):
            current["name"] = line.split(":", 1)[1].strip()
        elif line.startswith("Description:"):
            current["description"] = line.split(":", 1)[1].strip()
        elif line.startswith("Properties:"):
            in_properties = True
        elif in_properties and " = " in line:
            key, value = line.split(" = ", 1)
            current["properties"][key.strip()] = value.strip().strip('"')
        elif line.endswith(":"):
            in_properties = False
    return items


def _list(kind: str) -> list[dict[str, Any]] | None:
    out = _pactl("--format=json", "list", kind)
    if out:
        try:
            parsed = json.loads(out)
            if isinstance(parsed, list):
                return parsed
        except ValueError:
            pass
    out = _pactl("list", kind)
    return parse_pactl_text(out) if out is not None else None


def _defaults() -> tuple[str, str]:
    out = _pactl("info") or ""
    source = sink = ""
    for line in out.splitlines():
        if line.startswith("Default Source:"):
            source = line.split(":", 1)[1].strip()
        elif line.startswith("Default Sink:"):
            sink = line.split(":", 1)[1].strip()
    return source, sink


def is_monitor(item: dict[str, Any]) -> bool:
    """A sink's monitor: what the speakers play, not a microphone."""
    props = item.get("properties") or {}
    return props.get("device.class") == "monitor" or str(item.get("name", "")).endswith(".monitor")


def pulse_listing() -> tuple[list[dict[str, Any]], list[dict[str, Any]], str, str] | None:
    """(sources, sinks, default source, default sink) from the server, or None when no
    server answers (or pactl or libpulse-simple is missing)."""
    if os.name != "posix" or shutil.which("pactl") is None:
        return None
    try:
        _load()
    except PulseError:
        return None
    if _pactl("info") is None:
        return None
    sources, sinks = _list("sources"), _list("sinks")
    if sources is None or sinks is None:
        return None
    source, sink = _defaults()
    return [s for s in sources if not is_monitor(s)], sinks, source, sink


def label(item: dict[str, Any]) -> str:
    return str(item.get("description") or (item.get("properties") or {}).get(
        "device.description") or item.get("name") or "Unnamed device").strip()
