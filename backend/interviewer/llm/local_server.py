"""In-process inference (optional extra ``rehearse[llm]``): llama.cpp's OpenAI-compatible
server through ``xllamacpp``, for a GGUF file the user points at.

Nothing is downloaded: the model is a local file. The server runs inside this process
(its own C++ threads); :meth:`LocalModelServer.stop` shuts it down.

Only Rehearse may use it, never a web page or another program:

- it wants a random API key, made at each start and handed only to Rehearse's client
  (:attr:`api_key`; never stored, never in an API answer);
- on Linux and macOS llama.cpp listens on a Unix socket in a private (0700) folder, so it
  has no TCP port at all; on Windows on a free loopback port;
- clients reach it through :class:`~backend.interviewer.llm.host_guard.HostGuard` on
  127.0.0.1, which refuses foreign ``Host`` headers and any request with an ``Origin``;
- CORS is off (no origin is allowed), as are its web UI and ``/slots``, and ``/v1/models``
  names the model ``rehearse-local``, not its path on disk.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import shutil
import socket
import tempfile
import threading
from pathlib import Path
from typing import Any

from backend.interviewer.llm.config import ConfigError
from backend.interviewer.llm.host_guard import HostGuard

MODEL_ALIAS = "rehearse-local"
GGUF_MAGIC = b"GGUF"


def default_threads() -> int:
    """Half the cores: leave room for speech recognition and the window."""
    return max(1, (os.cpu_count() or 2) // 2)


def _check_gguf(path: Path) -> None:
    if not path.is_file():
        raise ConfigError(f"No GGUF model file at {path}.", "model_file_not_found", "gguf_path")
    try:
        with open(path, "rb") as f:
            magic = f.read(4)
    except OSError as e:
        raise ConfigError(f"The model file {path} cannot be read ({e.strerror}).",
                          "model_file_not_found", "gguf_path") from None
    if magic != GGUF_MAGIC:
        raise ConfigError(f"{path} is not a GGUF model file. Choose a .gguf file (for example "
                          "from Ollama's or LM Studio's model folder).",
                          "invalid_model_file", "gguf_path")


class LocalModelServer:
    def __init__(self, gguf_path: str | Path, *, n_ctx: int = 4096, threads: int | None = None,
                 port: int = 0):
        self.gguf_path = Path(gguf_path).expanduser()
        self.n_ctx = n_ctx
        self.threads = threads or default_threads()
        self.port = port  # the llama.cpp port where there is no Unix socket (0: a free one)
        self.api_key = ""
        self._server: Any = None
        self._guard: HostGuard | None = None
        self._socket_dir: str | None = None
        self._lock = threading.Lock()

    @property
    def running(self) -> bool:
        return self._server is not None

    @property
    def base_url(self) -> str:
        """The OpenAI-compatible base URL (``.../v1``) of the guard; only while running."""
        if self._server is None or self._guard is None:
            raise RuntimeError("the local model server is not running")
        return f"http://127.0.0.1:{self._guard.port}/v1"

    @property
    def model_id(self) -> str:
        return MODEL_ALIAS

    def start(self) -> str:
        """Load the model and serve it; returns the base URL. Idempotent."""
        with self._lock:
            if self._server is None:
                _check_gguf(self.gguf_path)
                try:
                    import xllamacpp
                except ImportError:
                    raise ConfigError("In-process models need the optional extra: "
                                      "pip install 'rehearse[llm]' (xllamacpp).",
                                      "llm_extra_missing", "gguf_path") from None
                key = secrets.token_urlsafe(32)
                params = xllamacpp.CommonParams()
                params.model.path = str(self.gguf_path)
                params.hostnames = [self._listen_address()]
                params.port = self.port
                params.n_ctx = self.n_ctx
                params.n_parallel = 1
                params.cpuparams.n_threads = self.threads
                params.cpuparams_batch.n_threads = self.threads
                params.api_keys = [key]
                params.cors_origins = ""  # no origin may read an answer
                params.cors_origins_explicit = True
                params.ui = False
                params.endpoint_slots = False
                params.endpoint_props = False
                params.model_alias = {MODEL_ALIAS}
                try:
                    server = xllamacpp.Server(params)
                except Exception as e:  # noqa: BLE001 - llama.cpp reports load failures so
                    self._remove_socket_dir()
                    raise ConfigError(f"The model {self.gguf_path.name} could not be loaded "
                                      f"({str(e)[:200] or type(e).__name__}). It may be damaged "
                                      "or need a newer llama.cpp.") from None
                guard = HostGuard(self._connector(server.listening_address))
                try:
                    guard.start()
                except OSError as e:
                    del server
                    self._remove_socket_dir()
                    raise ConfigError(f"The model server could not listen on 127.0.0.1 "
                                      f"({e.strerror}).") from None
                self._server, self._guard, self.api_key = server, guard, key
            return self.base_url

    def _listen_address(self) -> str:
        """A Unix socket in a private folder where there are Unix sockets; else loopback."""
        if not hasattr(socket, "AF_UNIX") or os.name == "nt":
            return "127.0.0.1"
        self._socket_dir = tempfile.mkdtemp(prefix="rehearse-llm-")  # 0700
        return os.path.join(self._socket_dir, "model.sock")

    @staticmethod
    def _connector(address: str):
        if address.startswith("unix://"):
            path = address.removeprefix("unix://")
            return lambda: asyncio.open_unix_connection(path)
        host, _, port = address.removeprefix("http://").rstrip("/").rpartition(":")
        return lambda: asyncio.open_connection(host, int(port))

    def _remove_socket_dir(self) -> None:
        if self._socket_dir is not None:
            shutil.rmtree(self._socket_dir, ignore_errors=True)
            self._socket_dir = None

    def stop(self) -> None:
        """Stop serving and free the model (requests in flight fail at once)."""
        with self._lock:
            server, self._server = self._server, None
            guard, self._guard = self._guard, None
            self.api_key = ""
        if guard is not None:
            guard.stop()
        del server
        self._remove_socket_dir()
