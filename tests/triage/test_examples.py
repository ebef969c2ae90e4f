"""The labelled examples the classifier ships with, and their vectors made from them."""

from collections import Counter

import numpy as np

from server.language import meaning
from server.triage import examples, rules


def test_the_stored_vectors_were_made_from_the_examples_as_shipped():
    stored = examples.stored_vectors()
    assert stored is not None, "run: python -m server.triage.examples"
    source_sha256, vectors = stored
    assert source_sha256 == examples.source_sha256(), "run: python -m server.triage.examples"
    shipped = examples.shipped()
    assert vectors.shape == (len(shipped.texts), meaning.DIMENSIONS)
    sample = list(range(0, len(shipped.texts), 97))
    fresh = meaning.embed([shipped.texts[i] for i in sample])
    assert np.all(np.sum(fresh * vectors[sample], axis=1) > 0.99)


def test_every_category_has_examples_in_many_languages():
    counts = Counter(examples.shipped().categories)
    assert set(counts) == set(rules.CATEGORY_LABELS) - {"uncategorised"}
    assert min(counts.values()) >= 20
