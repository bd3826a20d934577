"""`TextEmbedder`: the one owner of Inflow's static text embedding (WordLlama's 256-dim model).

The weights and tokenizer ship inside the `wordllama` wheel (pinned in pyproject.toml): a
32,000-token table of 256-dim vectors (16 MB, float16) and a Llama-2 tokenizer. A text's
vector is the mean of its tokens' vectors, made unit length, so similarity is a dot product.

The files are read straight from the installed package, without importing it: `wordllama`'s
`__init__` configures the root logger at import time, and its loader would fall back to a
download from Hugging Face when a file is missing. Here a missing file is an `OSError`, never a
network call. Loading takes ~0.2 s; one embedder per process (`shared_embedder`) is enough,
for the concept ranker and anything else that wants text vectors.
"""

from __future__ import annotations

import importlib.util
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


class TextEmbedder:
    """Unit-length mean-of-tokens vectors of texts; `dim` is the vector length.

    Raises `OSError` at construction when the weights or the tokenizer file are missing.
    """

    def __init__(self, root: Path | None = None) -> None:
        from safetensors import safe_open
        from tokenizers import Tokenizer

        root = root or _package_dir()
        weights, tokenizer = root / _WEIGHTS, root / _TOKENIZER
        for path in (weights, tokenizer):
            if not path.is_file():
                raise OSError(f"embedding file missing: {path}")
        with safe_open(str(weights), framework="np", device="cpu") as fh:
            self._table = fh.get_tensor(_TENSOR)  # float16: half the memory of float32
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
