"""Whisper and Piper in a worker process, so loading them never freezes the app.

Loading the Piper voice holds the GIL for ~1 s (onnxruntime builds its session without
releasing it) and Whisper's load for ~0.2 s: in the desktop app, whose GUI thread shares
the GIL with the embedded backend, that froze the window (bench/voice_load_freeze.py).
Here both models load and run in a child process, a fresh interpreter started with
``python -m backend.voice.worker`` (``Rehearse --voice-worker`` in the packaged app), so no
Qt or asyncio state is inherited and no main module is re-imported (as multiprocessing's
"spawn" would); the app's threads only wait on a pipe, which releases the GIL. Requests
and replies are pickles with a length prefix on the child's stdin and stdout (the child
moves anything a library prints to stderr).

Parent side: ``VoiceWorker`` (one per ``VoiceService``) sends ``(id, op, args)`` and reads
``(id, "item" | "ok" | "error", payload)``; ``RemoteWhisper`` and ``RemotePiper`` implement
the engines of ``backend.voice.engines`` on it. Child side: ``serve`` runs each request on
a small thread pool, so a question can be synthesised while an answer is transcribed.
If the child dies, every waiting call fails with ``VoiceError`` and the service reports
voice as unavailable; text interviews carry on.
"""

from __future__ import annotations

import itertools
import logging
import os
import pickle
import queue
import struct
import subprocess
import sys
import threading
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import IO, Any

import numpy as np

from .errors import VoiceError, VoiceUnavailable
from .models import VoiceModelPaths
from .stt import TimedWord
from .tts import SpeechChunk

log = logging.getLogger(__name__)

STOP_TIMEOUT_S = 5.0
WORKER_FLAG = "--voice-worker"
_HEADER = struct.Struct("<Q")


class VoiceWorker:
    """The parent's handle on the worker process (started on first use; thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._send_lock = threading.Lock()
        self._process: subprocess.Popen[bytes] | None = None
        self._pending: dict[int, queue.SimpleQueue[tuple[str, Any]]] = {}
        self._ids = itertools.count(1)
        self._failure = ""
        self._closing = False

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    @property
    def failure(self) -> str:
        """Why the process stopped on its own ("" while it runs or was closed)."""
        return self._failure

    def _ensure_started(self) -> None:
        with self._lock:
            if self._failure:
                raise VoiceUnavailable(self._failure)
            if self._closing:
                raise VoiceUnavailable("The voice engine was closed.")
            if self._process is not None:
                return
            process = subprocess.Popen(
                worker_command(), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                env=worker_environment(), close_fds=True)
            self._process = process
            threading.Thread(target=self._read, args=(process,), name="rehearse-voice-reader",
                             daemon=True).start()

    def _read(self, process: subprocess.Popen[bytes]) -> None:
        assert process.stdout is not None
        try:
            while True:
                rid, kind, payload = read_frame(process.stdout)
                pending = self._pending.get(rid)
                if pending is not None:
                    pending.put((kind, payload))
        except (EOFError, OSError, ValueError):
            if not self._closing:
                code = process.poll()
                self._failure = ("The voice engine stopped unexpectedly"
                                 + (f" (exit code {code})." if code is not None else "."))
                log.error("%s", self._failure)
            for pending in list(self._pending.values()):
                pending.put(("error", ("VoiceUnavailable", self._failure or "The voice engine was closed.")))

    def _send(self, message: tuple[int, str, dict[str, Any]]) -> None:
        process = self._process
        assert process is not None and process.stdin is not None
        with self._send_lock:
            write_frame(process.stdin, message)

    def stream(self, op: str, **args: Any) -> Iterator[Any]:
        """Send one request; yield its items; return when it is done (raises its error)."""
        self._ensure_started()
        rid = next(self._ids)
        replies: queue.SimpleQueue[tuple[str, Any]] = queue.SimpleQueue()
        self._pending[rid] = replies
        try:
            if self._failure:
                raise VoiceUnavailable(self._failure)
            self._send((rid, op, args))
            while True:
                kind, payload = replies.get()
                if kind == "item":
                    yield payload
                elif kind == "ok":
                    return
                else:
                    name, message = payload
                    raise (VoiceUnavailable if name == "VoiceUnavailable" else VoiceError)(message)
        finally:
            self._pending.pop(rid, None)

    def call(self, op: str, **args: Any) -> Any:
        """One request whose reply is a single value (blocking)."""
        result = None
        for item in self.stream(op, **args):
            result = item
        return result

    def close(self) -> None:
        """Stop the process (its models go with it)."""
        with self._lock:
            self._closing = True
            process = self._process
        if process is None:
            return
        try:
            self._send((0, "stop", {}))
            if process.stdin is not None:
                process.stdin.close()
        except (OSError, ValueError):
            pass
        try:
            process.wait(STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(STOP_TIMEOUT_S)


def worker_command() -> list[str]:
    """How to start the worker: the packaged app's own executable, or this Python."""
    if getattr(sys, "frozen", False):
        return [sys.executable, WORKER_FLAG]
    return [sys.executable, "-m", "backend.voice.worker"]


def worker_environment() -> dict[str, str]:
    """This environment, with the folder holding ``backend`` first on the path."""
    env = dict(os.environ)
    # Few malloc arenas: the worker's threads otherwise each keep freed memory in their
    # own arena (glibc; ignored elsewhere).
    env.setdefault("MALLOC_ARENA_MAX", "2")
    root = str(Path(__file__).resolve().parents[2])
    env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH", "")) if p)
    return env


def write_frame(stream: IO[bytes], message: Any) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_HEADER.pack(len(data)))
    stream.write(data)
    stream.flush()


def read_frame(stream: IO[bytes]) -> Any:
    header = stream.read(_HEADER.size)
    if len(header) < _HEADER.size:
        raise EOFError
    size = _HEADER.unpack(header)[0]
    data = stream.read(size)
    if len(data) < size:
        raise EOFError
    return pickle.loads(data)


class RemoteWhisper:
    """``WhisperEngine`` on the worker process."""

    def __init__(self, worker: VoiceWorker, key: str) -> None:
        self._worker, self._key = worker, key
        self.calls = 0

    def glossary(self, terms: Iterable[str]) -> str | None:
        return self._worker.call("glossary", key=self._key, terms=list(terms))

    def transcribe(self, audio: np.ndarray, **options: Any) -> tuple[str, list[TimedWord]]:
        self.calls += 1
        audio = np.ascontiguousarray(audio, dtype=np.float32)
        return self._worker.call("transcribe", key=self._key, audio=audio, options=options)


class RemotePiper:
    """``PiperEngine`` on the worker process: chunks arrive as each sentence is ready."""

    def __init__(self, worker: VoiceWorker) -> None:
        self._worker = worker

    def speak(self, text: str, length_scale: float | None = None) -> Iterator[SpeechChunk]:
        return self._worker.stream("speak", text=text, length_scale=length_scale)


def load_remote_whisper(worker: VoiceWorker, paths: VoiceModelPaths) -> RemoteWhisper:
    key = str(paths.whisper_dir)
    worker.call("load_whisper", key=key, paths=paths)
    return RemoteWhisper(worker, key)


def load_remote_piper(worker: VoiceWorker, paths: VoiceModelPaths, syn_config: Any) -> RemotePiper:
    worker.call("load_piper", paths=paths, syn_config=syn_config)
    return RemotePiper(worker)


# -- the child process ---------------------------------------------------------------
def main() -> int:
    """The worker process: serve requests from stdin, reply on stdout."""
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # a library's print() must not corrupt the replies
    serve(sys.stdin.buffer, out)
    return 0


def serve(requests: IO[bytes], replies: IO[bytes]) -> None:
    """Answer requests until "stop" or until the parent goes away."""
    from .engines import LocalPiper, LocalWhisper, load_piper_voice, load_whisper_model

    whisper: dict[str, LocalWhisper] = {}
    piper: dict[str, LocalPiper] = {}
    send_lock = threading.Lock()
    # One model loads at a time: each load has a transient peak (Whisper converts its
    # float16 weights to int8), and two at once stacked them (measured: +50 MB).
    load_lock = threading.Lock()
    pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="rehearse-voice-worker")

    def reply(rid: int, kind: str, payload: Any) -> None:
        with send_lock:
            write_frame(replies, (rid, kind, payload))

    def handle(rid: int, op: str, args: dict[str, Any]) -> None:
        try:
            if op == "load_whisper":
                with load_lock:
                    whisper.clear()  # another accuracy replaces the model in use
                    whisper[args["key"]] = LocalWhisper(load_whisper_model(args["paths"]))
                    release_free_memory()
                reply(rid, "ok", None)
            elif op == "load_piper":
                with load_lock:
                    piper["voice"] = LocalPiper(load_piper_voice(args["paths"]), args.get("syn_config"))
                    release_free_memory()
                reply(rid, "ok", None)
            elif op == "glossary":
                reply(rid, "item", _engine(whisper, args["key"]).glossary(args["terms"]))
                reply(rid, "ok", None)
            elif op == "transcribe":
                engine = _engine(whisper, args["key"])
                reply(rid, "item", engine.transcribe(args["audio"], **args["options"]))
                reply(rid, "ok", None)
            elif op == "speak":
                for chunk in _engine(piper, "voice").speak(args["text"], args.get("length_scale")):
                    reply(rid, "item", chunk)
                reply(rid, "ok", None)
            else:
                raise VoiceError(f"unknown voice worker request {op!r}")
        except BaseException as exc:  # noqa: BLE001 - every failure goes back to the caller
            name = "VoiceUnavailable" if op.startswith("load_") else type(exc).__name__
            try:
                reply(rid, "error", (name, str(exc) or type(exc).__name__))
            except (OSError, ValueError):
                pass

    while True:
        try:
            rid, op, args = read_frame(requests)
        except (EOFError, OSError):
            break  # the parent is gone
        if op == "stop":
            break
        pool.submit(handle, rid, op, args)
    # Leave without running CTranslate2's and onnxruntime's destructors on live threads
    # (measured: that aborts with "terminate called without an active exception").
    replies.flush()
    os._exit(0)


def release_free_memory() -> None:
    """Give the heap's free pages back to the system after a load's transient peak, so
    the next peak (an answer's transcription) starts lower (glibc only; else nothing)."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


def _engine(engines: dict[str, Any], key: str) -> Any:
    engine = engines.get(key)
    if engine is None:
        raise VoiceError("The speech model was replaced or not loaded; try again.")
    return engine


if __name__ == "__main__":
    sys.exit(main())
