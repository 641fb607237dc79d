"""Sound on the candidate's machine: devices, microphone capture, playback, WAV stand-ins.

Nothing here imports sounddevice at import time: PortAudio is loaded on first use, off
the GUI thread, and a missing library or sound card becomes a sentence, not a crash.
"""
