"""Where voice mode gets its sound from and sends it to, swappable as one object.

The app uses the real devices; a test (or a machine with no sound card, for a demo)
replaces `make_source` with a WAV file and `make_sink` with memory, and everything else
(capture thread, framing, resampling, playback thread) runs unchanged. A device key that
starts with "pulse:" is a PulseAudio/PipeWire device (desktop.audio.pulse); any other is a
PortAudio device name (None: PortAudio's default).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from desktop.audio.devices import DeviceReport, list_devices
from desktop.audio.playback import AudioSink, SpeakerSink
from desktop.audio.sources import FrameSource, MicrophoneSource


def open_microphone(key: str | None) -> FrameSource:
    from desktop.audio import pulse

    if key is not None and key.startswith(pulse.PREFIX):
        return pulse.PulseSource(key[len(pulse.PREFIX):] or None)
    return MicrophoneSource(key)


def open_speakers(key: str | None) -> AudioSink:
    from desktop.audio import pulse

    if key is not None and key.startswith(pulse.PREFIX):
        return pulse.PulseSink(key[len(pulse.PREFIX):] or None)
    return SpeakerSink(key)


@dataclass
class AudioIO:
    list_devices: Callable[[], DeviceReport] = field(default=list_devices)
    make_source: Callable[[str | None], FrameSource] = field(default=open_microphone)
    make_sink: Callable[[str | None], AudioSink] = field(default=open_speakers)
