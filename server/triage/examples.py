"""The labelled example reports the classifier compares new reports with, and their vectors.

examples.toml is written by people; examples.npz holds each example's meaning vector, made
from it by `python -m server.triage.examples` (embedding the 630 examples takes about 20 s on
one core, which a worker should not spend at every start). The vectors name the SHA-256 of
the file they were made from: a stale file is noticed, and the vectors are made again.
"""

import hashlib
import io
import logging
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import numpy as np

from server.language import meaning

log = logging.getLogger(__name__)
EXAMPLES = "examples.toml"
VECTORS = "examples.npz"


@dataclass(frozen=True)
class Examples:
    """Labelled examples: their categories, texts and vectors (one row each)."""

    version: int
    categories: tuple[str, ...]
    texts: tuple[str, ...]
    vectors: np.ndarray


def _source() -> bytes:
    return (resources.files("server.triage") / EXAMPLES).read_bytes()


def source_sha256() -> str:
    """The SHA-256 of examples.toml as shipped."""
    return hashlib.sha256(_source()).hexdigest()


def _parse() -> tuple[int, tuple[str, ...], tuple[str, ...]]:
    data = tomllib.loads(_source().decode("utf-8"))
    rows = data["example"]
    return int(data["version"]), tuple(r["category"] for r in rows), tuple(r["text"] for r in rows)


def stored_vectors() -> tuple[str, np.ndarray] | None:
    """(source SHA-256, vectors) from examples.npz, or None when there is no such file."""
    path = resources.files("server.triage") / VECTORS
    if not path.is_file():
        return None
    with np.load(io.BytesIO(path.read_bytes())) as data:
        return str(data["source_sha256"]), data["vectors"].astype(np.float32)


@cache
def shipped() -> Examples:
    """The shipped examples with their vectors, read once per process."""
    version, categories, texts = _parse()
    stored = stored_vectors()
    if stored is not None and stored[0] == source_sha256() and len(stored[1]) == len(texts):
        vectors = stored[1]
    else:
        log.warning("%s is stale: making the example vectors again", VECTORS)
        vectors = meaning.embed(list(texts))
    return Examples(version, categories, texts, vectors)


def write_vectors(directory: Path) -> Path:
    """Make examples.npz beside examples.toml."""
    _version, _categories, texts = _parse()
    vectors = meaning.embed(list(texts)).astype(meaning.STORED_DTYPE)
    path = directory / VECTORS
    np.savez_compressed(path, vectors=vectors, source_sha256=np.array(source_sha256()))
    return path


if __name__ == "__main__":
    print(write_vectors(Path(__file__).parent))
