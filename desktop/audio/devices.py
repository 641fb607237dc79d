"""Which sound devices exist, and in plain words why voice cannot use any.

sounddevice raises OSError on import when the PortAudio library is missing; with no sound
card it lists no devices (and opening a stream raises PortAudioError). Both become a
`DeviceReport` whose `reason` the setup page shows; nothing here raises for missing sound.
Call `list_devices()` off the GUI thread: PortAudio probes every host API (ALSA, OSS…).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QObject, Signal

NO_MIC = "No microphone found — text interviews work as usual."
NO_SOUND = NO_MIC + " (This computer reports no sound devices, so questions are shown as text.)"
LISTEN_ONLY = ("No microphone found — the interviewer can still read questions aloud; "
               "type your answers as usual.")

DeviceQuery = Callable[[], Sequence[dict[str, Any]]]


@dataclass(frozen=True)
class AudioDevice:
    """One device, as the picker shows it (`name`) and as settings remember it (`key`)."""

    index: int
    name: str
    inputs: int
    outputs: int
    default_samplerate: float
    hostapi: str = ""
    id: str = ""  # a stable id when the name is only a label ("pulse:<source name>")

    @property
    def key(self) -> str:
        """What settings remember: the id, else the name (indexes change when devices come
        and go)."""
        return self.id or self.name


@dataclass(frozen=True)
class DeviceReport:
    """The devices found, the defaults, and (when voice is limited) why."""

    inputs: tuple[AudioDevice, ...] = ()
    outputs: tuple[AudioDevice, ...] = ()
    default_input: str | None = None
    default_output: str | None = None
    detail: str = ""  # the technical cause when the sound system could not be asked
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def can_listen(self) -> bool:
        """Questions can be played aloud."""
        return bool(self.outputs)

    @property
    def can_answer(self) -> bool:
        """Answers can be spoken."""
        return bool(self.inputs)

    @property
    def voice_possible(self) -> bool:
        return self.can_listen or self.can_answer

    @property
    def reason(self) -> str:
        """One sentence for the setup page ("" when microphone and speakers both exist)."""
        if not self.inputs and not self.outputs:
            return f"{NO_MIC} ({self.detail}.)" if self.detail else NO_SOUND
        if not self.inputs:
            return LISTEN_ONLY
        if not self.outputs:
            return "No speakers found — questions are shown as text; you can answer aloud."
        return ""

    def open_key(self, key: str | None, *, output: bool) -> str | None:
        """The key to open for a remembered choice: it, if that device is still here; else
        the system default ("pulse:" on a PulseAudio server, None for PortAudio's)."""
        pool = self.outputs if output else self.inputs
        if key and any(d.key == key for d in pool):
            return key
        if self.extra.get("backend") == "pulse":
            return "pulse:"
        return key or None

    def find(self, key: str | None, *, output: bool) -> AudioDevice | None:
        """The device remembered as `key`, else the default, else the first one."""
        pool = self.outputs if output else self.inputs
        default = self.default_output if output else self.default_input
        for wanted in (key, default):
            for device in pool:
                if wanted and device.key == wanted:
                    return device
        return pool[0] if pool else None


def _sounddevice() -> Any:
    import sounddevice  # OSError when libportaudio2 is missing

    return sounddevice


def _query_sounddevice() -> tuple[list[dict[str, Any]], list[dict[str, Any]], tuple[int, int]]:
    sd = _sounddevice()
    devices = [dict(d) for d in sd.query_devices()]
    apis = [dict(a) for a in sd.query_hostapis()]
    try:
        default = tuple(int(i) for i in sd.default.device)
    except Exception:  # noqa: BLE001 - no default device
        default = (-1, -1)
    return devices, apis, (default[0], default[1])


def _device(index: int, raw: dict[str, Any], apis: Sequence[dict[str, Any]]) -> AudioDevice:
    api_index = int(raw.get("hostapi", -1) or 0)
    api = str(apis[api_index].get("name", "")) if 0 <= api_index < len(apis) else ""
    return AudioDevice(index=int(raw.get("index", index)), name=str(raw.get("name", "")).strip()
                       or f"Device {index}", inputs=int(raw.get("max_input_channels", 0) or 0),
                       outputs=int(raw.get("max_output_channels", 0) or 0),
                       default_samplerate=float(raw.get("default_samplerate", 0) or 0),
                       hostapi=api)


# One host API per system, the one whose devices have their real names: Windows lists each
# device under MME, DirectSound, WASAPI and WDM-KS; Linux's ALSA adds plugin pseudo-devices.
PREFERRED_HOST_APIS = ("Windows WASAPI", "Core Audio", "ALSA", "MME", "Windows DirectSound",
                       "JACK Audio Connection Kit", "OSS")
# ALSA plugin pseudo-devices that are not a microphone or speakers of their own.
ALSA_PSEUDO = ("sysdefault", "dmix", "dsnoop", "front", "rear", "center_lfe", "side",
               "surround", "iec958", "spdif", "hdmi", "modem", "phoneline", "lavrate",
               "samplerate", "speexrate", "upmix", "vdownmix", "null")


def _preferred(devices: list[AudioDevice]) -> list[AudioDevice]:
    """The devices of the most preferred host API that has any, ALSA pseudo-devices left out
    (the system default stays reachable as "System default")."""
    apis = {d.hostapi for d in devices}
    for api in PREFERRED_HOST_APIS:
        if api in apis:
            devices = [d for d in devices if d.hostapi == api]
            break
    return [d for d in devices if not (d.hostapi == "ALSA" and (
        d.name.split(":")[0].strip().lower().startswith(ALSA_PSEUDO)))]


def pulse_report() -> DeviceReport | None:
    """The PulseAudio/PipeWire server's sources and sinks by their own names (None: no server)."""
    from desktop.audio import pulse

    listing = pulse.pulse_listing()
    if listing is None:
        return None
    sources, sinks, default_source, default_sink = listing

    def device(i: int, item: dict[str, Any], inputs: int, outputs: int) -> AudioDevice:
        return AudioDevice(index=i, name=pulse.label(item), inputs=inputs, outputs=outputs,
                           default_samplerate=0.0, hostapi=pulse.HOST_API,
                           id=pulse.PREFIX + str(item.get("name", "")))

    inputs = tuple(device(i, s, 1, 0) for i, s in enumerate(sources))
    outputs = tuple(device(i, s, 0, 2) for i, s in enumerate(sinks))
    return DeviceReport(inputs=inputs, outputs=outputs, default_input=pulse.PREFIX + default_source
                        if default_source else pulse.PREFIX,
                        default_output=pulse.PREFIX + default_sink if default_sink else pulse.PREFIX,
                        extra={"backend": "pulse"})


def list_devices(query: DeviceQuery | None = None) -> DeviceReport:
    """Every usable input and output device (never raises for missing sound).

    A PulseAudio or PipeWire server's own devices when one answers (desktop.audio.pulse),
    else PortAudio's, of one host API. `query` replaces sounddevice (tests, or a caller that
    already asked); it returns the device dicts sounddevice's `query_devices()` gives.
    """
    if query is None:
        try:
            report = pulse_report()
        except Exception:  # noqa: BLE001 - a broken server: PortAudio may still work
            report = None
        if report is not None:
            return report
    try:
        if query is None:
            raw, apis, (din, dout) = _query_sounddevice()
        else:
            raw, apis, (din, dout) = [dict(d) for d in query()], [], (-1, -1)
    except Exception as e:  # OSError (no PortAudio), PortAudioError, a driver's own error
        cause = str(e).strip() or type(e).__name__
        return DeviceReport(detail=f"The sound system could not be asked: {cause}")
    devices = _preferred([_device(i, d, apis) for i, d in enumerate(raw)])
    inputs = tuple(d for d in devices if d.inputs > 0)
    outputs = tuple(d for d in devices if d.outputs > 0)
    by_index = {d.index: d for d in devices}
    default_in = by_index[din].name if din in by_index and by_index[din].inputs else None
    default_out = by_index[dout].name if dout in by_index and by_index[dout].outputs else None
    return DeviceReport(inputs=inputs, outputs=outputs, default_input=default_in,
                        default_output=default_out)


def device_index(name: str | None) -> int | None:
    """PortAudio's index for a device name now (None: the system default)."""
    if not name:
        return None
    for i, d in enumerate(_sounddevice().query_devices()):
        if str(d.get("name", "")).strip() == name:
            return i
    return None



class DeviceCheck(QObject):
    """Lists devices on a daemon thread; `done(report)` arrives on the GUI thread.

    A queued signal rather than an asyncio task: nothing is left for shutdown to cancel,
    and a window closed meanwhile simply never hears back.
    """

    done = Signal(object)

    def __init__(self, query: Callable[[], DeviceReport], parent: QObject | None = None):
        super().__init__(parent)
        self._query = query

    def start(self) -> None:
        threading.Thread(target=self._run, name="rehearse-devices", daemon=True).start()

    def _run(self) -> None:
        try:
            report = self._query()
        except Exception as e:  # noqa: BLE001 - a replaced query may raise anything
            report = DeviceReport(detail=f"The sound system could not be asked: {e}")
        self.done.emit(report)
