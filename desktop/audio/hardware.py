"""Where voice mode gets its sound from and sends it to, swappable as one object.

The app uses the real devices; a test (or a machine with no sound card, for a demo)
replaces `make_source` with a WAV file and `make_sink` with memory, and everything else
(capture thread, framing, resampling, playback thread) runs unchanged.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from desktop.audio.devices import DeviceReport, list_devices
from desktop.audio.playback import AudioSink, SpeakerSink
from desktop.audio.sources import FrameSource, MicrophoneSource


@dataclass
class AudioIO:
    list_devices: Callable[[], DeviceReport] = field(default=list_devices)
    make_source: Callable[[str | None], FrameSource] = field(default=MicrophoneSource)
    make_sink: Callable[[str | None], AudioSink] = field(default=SpeakerSink)
