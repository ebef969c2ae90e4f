"""A development set of field reports for measuring triage, written as workers write them.

Reports in eight languages (typos, site slang, no punctuation, two languages in one line), each
labelled with its hazard category and whether it is potentially reportable; pairs of reports
that describe the same thing in different words, and pairs whose photos look alike but that
are about different things. Written without looking at the vocabulary or the labelled examples
the classifier ships with.
"""

from typing import NamedTuple

LANGUAGES = ("en", "de", "fr", "es", "pt", "it", "pl", "ro")


class Report(NamedTuple):
    text: str
    kind: str
    category: str
    language: str
    # Potentially reportable to the regulator: a specified injury or a dangerous occurrence.
    reportable: bool = False


class Pair(NamedTuple):
    first: str
    second: str
    kind: str
    # How long after the first the second was observed.
    hours_apart: float
