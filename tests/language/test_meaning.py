"""What the meaning model is given of a text."""

import numpy as np

from server.language import meaning


def test_a_long_report_is_read_by_its_opening():
    opening = "Forklift reversed into the racking in aisle 3, the upright is bent. " * 8
    long = opening[: meaning.READ_CHARS] + " and then the same again " * 200
    whole, first = meaning.embed([long, long[: meaning.READ_CHARS]])
    assert np.allclose(whole, first)
    other = meaning.embed([long[meaning.READ_CHARS :]])[0]
    assert not np.allclose(whole, other)
