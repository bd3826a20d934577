import subprocess
import sys

import numpy as np
import pytest

from nlp.embedding import TextEmbedder, shared_embedder

_OFFLINE_LOAD = """
import socket, sys

def refuse(*args, **kwargs):
    raise OSError("network access during the embedding's load")

socket.socket.connect = refuse
socket.create_connection = refuse
from nlp.embedding import TextEmbedder
vectors = TextEmbedder().embed(["neural network"])
assert vectors.shape == (1, 256), vectors.shape
assert "wordllama" not in sys.modules  # read as files: its __init__ configures logging
print("ok")
"""


def test_the_embedding_loads_from_the_installed_package_without_network(tmp_path):
    env = {"HF_HUB_OFFLINE": "1", "HOME": str(tmp_path), "XDG_CACHE_HOME": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-c", _OFFLINE_LOAD],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"
    assert not any(tmp_path.iterdir())  # no cache written


def test_vectors_are_unit_length_and_an_empty_text_is_zero():
    vectors = shared_embedder().embed(["convolutional neural network", ""])
    assert np.isclose(np.linalg.norm(vectors[0]), 1.0, atol=1e-5)
    assert not vectors[1].any()


def test_related_texts_are_closer_than_unrelated_ones():
    a, b, c = shared_embedder().embed(["neural network", "deep learning model", "banana bread"])
    assert a @ b > a @ c


def test_missing_weights_are_an_os_error(tmp_path):
    with pytest.raises(OSError, match="embedding file missing"):
        TextEmbedder(root=tmp_path)
