"""The hazard category of a report, from its words and its meaning together (no database).

Two readers vote. The vocabulary of every language names the terms it found; the meaning model
finds the labelled examples nearest the report, in any language, and names them with their
similarity. An officer's own correction of an earlier report like this one outranks both.
Where the two disagree or say little, the result says so, and an officer is asked to check.
"""

from dataclasses import dataclass
from functools import cache

import numpy as np

from server.language import lexicon, meaning, terms
from server.language.terms import Reading
from server.triage import rules
from server.triage import vocabulary as vocab
from server.triage.examples import Examples, shipped

# Nearest examples named in the reasons; how sharply a nearer category outweighs a farther one.
NEIGHBOURS = 3
SHARPNESS = 0.01
# The weight of a category's average example against its nearest one.
CENTROID_SHARE = 0.5
# The vocabulary's share of the vote when it found a term; the meaning model has the rest.
VOCABULARY_SHARE = 0.3
# How the vocabulary's scores turn into shares of its vote.
VOCABULARY_SHARPNESS = 2.0
# An officer's example at least this alike decides the category.
OFFICER_MATCH = 0.93
# Below this, the category is uncertain and an officer is asked to check it.
LOW_CONFIDENCE = 0.33
# Nearer examples than this say nothing of a report's category: the report is off every topic.
MIN_SIMILARITY = 0.8
QUOTED_LENGTH = 60


@dataclass(frozen=True)
class Classification:
    category: str
    confidence: float
    # Uncertain: an officer should check the category.
    check: bool
    reasons: list[str]
    language: str


def warm() -> None:
    """Load the model, the vocabularies, the language detector and the examples now, so that
    a worker's first report is triaged as fast as the next."""
    meaning.load()
    _centroids()
    terms.warm()


def version() -> str:
    """What classifies: vocabularies, shipped examples and the meaning model."""
    return f"{lexicon.version()}; examples v{shipped().version}; {meaning.MODEL}"


def _quote(text: str) -> str:
    text = " ".join(text.split())
    return f"'{text[: QUOTED_LENGTH - 1]}…'" if len(text) > QUOTED_LENGTH else f"'{text}'"


def _softmax(scores: dict[str, float], sharpness: float) -> dict[str, float]:
    if not scores:
        return {}
    top = max(scores.values())
    weights = {slug: float(np.exp((score - top) / sharpness)) for slug, score in scores.items()}
    total = sum(weights.values())
    return {slug: weight / total for slug, weight in weights.items()}


def _neighbours(examples: Examples, vector: np.ndarray) -> list[tuple[float, int]]:
    """(similarity, row) of the nearest examples, nearest first."""
    if not len(examples.texts):
        return []
    similarities = examples.vectors @ vector
    rows = np.argsort(-similarities)[:NEIGHBOURS]
    return [(float(similarities[row]), int(row)) for row in rows]


@cache
def _centroids() -> tuple[tuple[str, ...], np.ndarray]:
    """Each category's examples averaged: one unit vector a category."""
    examples = shipped()
    slugs = tuple(dict.fromkeys(examples.categories))
    rows = np.array(examples.categories)
    centroids = np.stack([examples.vectors[rows == slug].mean(axis=0) for slug in slugs])
    return slugs, centroids / np.linalg.norm(centroids, axis=1, keepdims=True)


def _meaning_vote(vector: np.ndarray) -> dict[str, float]:
    """Shares of the vote by how near the report is to each category's examples: on average
    (steady), and to its nearest one (a report nearly the same as an example)."""
    slugs, centroids = _centroids()
    examples = shipped()
    similarities = examples.vectors @ vector
    rows = np.array(examples.categories)
    average = centroids @ vector
    nearest = [float(similarities[rows == slug].max()) for slug in slugs]
    scores = {
        slug: CENTROID_SHARE * float(mean) + (1 - CENTROID_SHARE) * near
        for slug, mean, near in zip(slugs, average, nearest, strict=True)
    }
    return _softmax(scores, SHARPNESS)


def _officer_match(officer: Examples | None, vector: np.ndarray) -> Classification | None:
    """The category an officer gave the most alike earlier report, when alike enough."""
    near = _neighbours(officer, vector)[:1] if officer is not None else []
    if not near or near[0][0] < OFFICER_MATCH:
        return None
    similarity, row = near[0]
    slug = officer.categories[row]
    reason = (
        f"{rules.CATEGORY_LABELS[slug]}: like {_quote(officer.texts[row])}, which an officer "
        f"put in this category (similarity {similarity:.2f})"
    )
    return Classification(slug, round(similarity, 3), False, [reason], "")


def classify(reading: Reading, vector: np.ndarray, officer: Examples | None) -> Classification:
    """The category of a report read as reading with meaning vector, and the reasons."""
    language = reading.language
    written = f"written in {lexicon.lexicons()[language].name}"
    if reading.confidence:
        written += f" ({reading.confidence:.2f})"
    decided = _officer_match(officer, vector)
    if decided is not None:
        reasons = [*decided.reasons, written]
        return Classification(decided.category, decided.confidence, False, reasons, language)
    examples = shipped()
    near = _neighbours(examples, vector)
    scores, matched = rules.vocabulary_scores(reading)
    if not scores and (not near or near[0][0] < MIN_SIMILARITY):
        reasons = ["no word from the hazard vocabulary was found, and no example is alike", written]
        return Classification(vocab.UNCATEGORISED, 0.0, True, reasons, language)
    by_words = _softmax({s: float(v) for s, v in scores.items()}, VOCABULARY_SHARPNESS)
    by_meaning = _meaning_vote(vector)
    share = VOCABULARY_SHARE if by_words else 0.0
    combined = {
        slug: share * by_words.get(slug, 0.0) + (1 - share) * by_meaning.get(slug, 0.0)
        for slug in by_words.keys() | by_meaning.keys()
    }
    order = rules.ranked(combined)
    best = order[0]
    confidence = round(combined[best], 3)
    label = rules.CATEGORY_LABELS[best]
    reasons = []
    if best in matched:
        reasons.append(f"{label}: {', '.join(matched[best])} (vocabulary score {scores[best]})")
    elif scores:
        other = rules.ranked(scores)[0]
        reasons.append(
            f"the vocabulary pointed to {rules.CATEGORY_LABELS[other]} "
            f"({', '.join(matched[other])}), the meaning to {label}"
        )
    alike = [
        f"{_quote(examples.texts[row])} ({rules.CATEGORY_LABELS[examples.categories[row]]}, "
        f"{similarity:.2f})"
        for similarity, row in near[:3]
    ]
    reasons.append(f"nearest examples: {'; '.join(alike)}")
    if len(order) > 1 and combined[order[1]] >= 0.1:
        runner_up = order[1]
        reasons.append(
            f"also considered {rules.CATEGORY_LABELS[runner_up]} ({combined[runner_up]:.2f})"
        )
    check = confidence < LOW_CONFIDENCE
    if check:
        reasons.append(f"low confidence ({confidence:.2f}): an officer should check the category")
    else:
        reasons.append(f"confidence {confidence:.2f}")
    reasons.append(written)
    return Classification(best, confidence, check, reasons, language)
