"""In-process inference (optional extra ``rehearse[llm]``): llama.cpp's OpenAI-compatible
server through ``xllamacpp``, on a free loopback port, for a GGUF file the user points at.

Nothing is downloaded: the model is a local file. The server runs inside this process
(its own C++ threads); :meth:`LocalModelServer.stop` shuts it down.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any

from backend.interviewer.llm.config import ConfigError


def default_threads() -> int:
    """Half the cores: leave room for speech recognition and the window."""
    return max(1, (os.cpu_count() or 2) // 2)


class LocalModelServer:
    def __init__(self, gguf_path: str | Path, *, n_ctx: int = 4096, threads: int | None = None,
                 port: int = 0):
        self.gguf_path = Path(gguf_path).expanduser()
        self.n_ctx = n_ctx
        self.threads = threads or default_threads()
        self.port = port
        self._server: Any = None
        self._lock = threading.Lock()

    @property
    def running(self) -> bool:
        return self._server is not None

    @property
    def base_url(self) -> str:
        """The OpenAI-compatible base URL (``.../v1``); only while running."""
        if self._server is None:
            raise RuntimeError("the local model server is not running")
        return self._server.listening_address.rstrip("/") + "/v1"

    @property
    def model_id(self) -> str:
        return str(self.gguf_path)

    def start(self) -> str:
        """Load the model and serve it; returns the base URL. Idempotent."""
        with self._lock:
            if self._server is None:
                if not self.gguf_path.is_file():
                    raise ConfigError(f"No GGUF model file at {self.gguf_path}.",
                                      "model_file_not_found", "gguf_path")
                try:
                    import xllamacpp
                except ImportError:
                    raise ConfigError("In-process models need the optional extra: "
                                      "pip install 'rehearse[llm]' (xllamacpp).",
                                      "llm_extra_missing", "gguf_path") from None
                params = xllamacpp.CommonParams()
                params.model.path = str(self.gguf_path)
                params.hostnames = ["127.0.0.1"]
                params.port = self.port
                params.n_ctx = self.n_ctx
                params.n_parallel = 1
                params.cpuparams.n_threads = self.threads
                params.cpuparams_batch.n_threads = self.threads
                self._server = xllamacpp.Server(params)
            return self.base_url

    def stop(self) -> None:
        """Stop serving and free the model (requests in flight fail at once)."""
        with self._lock:
            server, self._server = self._server, None
        del server
