"""On-device voice: Whisper speech-to-text, Piper text-to-speech, delivery metrics.

Nothing here leaves the machine and nothing is downloaded. Heavy libraries
(faster_whisper, piper, onnxruntime, av) are imported only when a model is loaded.

Public API (import from the submodules named; this package imports nothing heavy)::

    from backend.voice.service import VoiceService
    from backend.voice.models import VoiceModelPaths

    voice = VoiceService.from_dir(settings.voice_models_dir, accuracy="standard",
                                  join_dir=settings.data_dir / "voice-models")
    voice.start()                      # start the worker process; load both models there
    voice.set_accuracy("high")         # Whisper base instead of tiny.en (loads in the background)
    await voice.warm_up()              # optional: wait until loaded; returns status()
    voice.status()   # {"stt": "ready"|"loading"|"unavailable", "tts": ...,
                     #  "stt_reason": str, "tts_reason": str, "reason": str}

Text to speech (Piper, 22050 Hz PCM16 mono, one chunk per sentence)::

    voice.prepare(next_question_text)  # pre-synthesise in the background (LRU of 4)
    async for chunk in voice.speak(text):          # SpeechChunk
        send(chunk.pcm, chunk.sample_rate, chunk.text, chunk.index)

Both models live in a worker process (``backend.voice.worker``): loading them holds the
GIL, which would freeze the app's window. ``VoiceService(process=False)`` keeps them here.

Speech to text (Whisper tiny.en or base; feed PCM16 mono 16 kHz as it arrives)::

    terms = priming_terms([question_text], key_points, skills)   # backend.voice.priming
    stt = voice.transcriber(prompt_terms=terms, on_partial=None)  # StreamingTranscriber
    stt.feed(frame_bytes)              # cheap; raises AudioError on malformed audio
    stt.speech_ended(1.5)              # optional end-pointer: True after 1.5 s of silence
    async for text in stt.partials(): ...          # transcript so far, while speaking
    transcript = await stt.finish()    # Transcript(text, words: tuple[TimedWord], ...)
    low_confidence_words(transcript.text, transcript.words)  # backend.voice.confidence
    stt.cancel()                       # abandon an answer
    await voice.transcribe(pcm, prompt_terms)      # one-shot, whole recording

Delivery::

    from backend.voice.metrics import delivery_metrics, delivery_feedback
    m = delivery_metrics(transcript.words)   # wpm, fillers, long pauses, speaking time
    notes = delivery_feedback(m)             # encouraging, never about accent/grammar

Errors (``backend.voice.errors``): ``VoiceUnavailable`` (model missing/broken; text mode
goes on), ``AudioError`` (empty, odd byte count, > 10 min), both ``VoiceError``.
Microphone audio at another rate: ``backend.voice.audio.resample_pcm16(pcm, src, 16000)``.
"""
