"""`TextEmbedder`: the one owner of Inflow's static text embedding (WordLlama's 256-dim model).

The weights and tokenizer ship inside the `wordllama` wheel (pinned in pyproject.toml): a
32,000-token table of 256-dim vectors (16 MB, float16, memory-mapped) and a Llama-2
tokenizer. A text's vector is the mean of its tokens' vectors, made unit length, so
similarity is a dot product.

The files are read straight from the installed package, without importing it: `wordllama`'s
`__init__` configures the root logger at import time, and its loader would fall back to a
download from Hugging Face when a file is missing. Here a missing file is an `OSError`, never a
network call. Loading takes ~0.2 s; one embedder per process (`shared_embedder`) is enough,
for the concept ranker and anything else that wants text vectors.
"""

from __future__ import annotations

import importlib.util
import json
import struct
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np

__all__ = ["TextEmbedder", "shared_embedder"]

_PACKAGE = "wordllama"
_WEIGHTS = Path("weights") / "l2_supercat_256.safetensors"
_TOKENIZER = Path("tokenizers") / "l2_supercat_tokenizer_config.json"
_TENSOR = "embedding.weight"
_lock = threading.Lock()
_shared: TextEmbedder | None = None


def _package_dir() -> Path:
    spec = importlib.util.find_spec(_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise OSError(f"the {_PACKAGE} package (the embedding's weights) is not installed")
    return Path(next(iter(spec.submodule_search_locations)))


def _mapped_table(path: Path) -> np.ndarray:
    """The embedding table of a safetensors file, memory-mapped read-only (float16).

    Mapped, not read: a process only keeps the rows of the tokens it has met (the file's
    pages stay in the shared page cache), which spares the worker most of the 16 MB.
    Raises `OSError` when the file is not a float16 2-D safetensors table.
    """
    with path.open("rb") as fh:
        size = struct.unpack("<Q", fh.read(8))[0]
        header = json.loads(fh.read(size))
    entry = header.get(_TENSOR) or {}
    if entry.get("dtype") != "F16" or len(entry.get("shape", ())) != 2:
        raise OSError(f"{path.name} holds no float16 table named {_TENSOR}")
    start, _ = entry["data_offsets"]
    return np.memmap(
        path, dtype=np.float16, mode="r", offset=8 + size + start, shape=tuple(entry["shape"])
    )


class TextEmbedder:
    """Unit-length mean-of-tokens vectors of texts; `dim` is the vector length.

    Raises `OSError` at construction when the weights or the tokenizer file are missing.
    """

    def __init__(self, root: Path | None = None) -> None:
        from tokenizers import Tokenizer

        root = root or _package_dir()
        weights, tokenizer = root / _WEIGHTS, root / _TOKENIZER
        for path in (weights, tokenizer):
            if not path.is_file():
                raise OSError(f"embedding file missing: {path}")
        self._table = _mapped_table(weights)
        self._tokenizer = Tokenizer.from_file(str(tokenizer))
        self._tokenizer.no_padding()
        self._tokenizer.no_truncation()
        self.dim = int(self._table.shape[1])

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Return a float32 array (len(texts), dim) of unit vectors (zeros for empty texts)."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        encoded = self._tokenizer.encode_batch(list(texts), add_special_tokens=False)
        for row, enc in enumerate(encoded):
            if enc.ids:
                out[row] = self._table[enc.ids].astype(np.float32).mean(axis=0)
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        np.divide(out, norms, out=out, where=norms > 0)
        return out


def shared_embedder() -> TextEmbedder:
    """The process's one `TextEmbedder`, loaded on first use (thread-safe). Raises `OSError`."""
    global _shared
    with _lock:
        if _shared is None:
            _shared = TextEmbedder()
        return _shared
