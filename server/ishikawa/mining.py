"""Finding causes in words: a report's description and those of related reports.

Pure functions over text; the database work is in services. Text is read by the shared language
ground (server.language.terms), so a cue is found by its phrases in every language a vocabulary
file exists for, through word forms and typos; a phrase the text takes back ("not damaged") or
says is in order ("guard fitted") names no cause.
"""

import re
from collections.abc import Iterable, Iterator
from functools import cache
from typing import NamedTuple

from server.ishikawa.cues import (
    BY_KEY,
    CATEGORIES,
    CUES,
    KIND_LABELS,
    Cue,
    cue_phrases,
    stop_phrases,
)
from server.language.lexicon import lexicons
from server.language.normalize import fold_word, words_of
from server.language.terms import (
    NEGATION_REACH,
    Hit,
    Reading,
    TermIndex,
    affirmed,
    negated,
    read,
    term_key,
)

# A cue must turn up in at least this many related reports to count as recurring.
MIN_RECURRENCE = 2
# Recurring causes kept per category, most frequent first: a diagram, not an index.
RELATED_PER_CATEGORY = 4
# Links shown per cause. Every report behind a cause is kept, so that a count can be told over
# the reports each reader may open.
MAX_LINKS = 20
EFFECT_SUMMARY = 100

_SENTENCE_END = re.compile(r"(?<=[.!?])\s|\n")
_CUE_ORDER = {cue.key: position for position, cue in enumerate(CUES)}
# How a text speaks of a phrase found in it (see _stance).
SAYS_NO, TAKEN_BACK, IN_ORDER, NAMED = "says no", "taken back", "in order", "named"


class _Phrases(NamedTuple):
    index: TermIndex
    # The phrases that say no themselves ("no guard", "brak osłony"), by their term key.
    negative: frozenset


@cache
def _phrases() -> _Phrases:
    """Every cue phrase and stop phrase of every language, indexed once per process."""
    entries = [*cue_phrases(), *((code, phrase, None) for code, phrase in stop_phrases())]
    negative = frozenset(
        term_key(code, phrase) for code, phrase, _key in cue_phrases() if _says_no(code, phrase)
    )
    return _Phrases(TermIndex(entries), negative)


def _says_no(language: str, phrase: str) -> bool:
    """True when a word of the phrase is a negation of its language ("not trained")."""
    negations = {fold_word(word) for word in lexicons()[language].negations}
    return any(fold_word(word) in negations for word in words_of(phrase))


def _stance(reading: Reading, hit: Hit, negative: bool, after: int) -> str:
    """How the text speaks of a phrase found: it says no itself ("no guard"), a negation takes
    it back ("not damaged"), the words after say it is in order ("guard fitted"), or it is named.

    A negation before after (inside an earlier phrase that says no) belongs to that phrase:
    "not trained on the press" takes back no press.
    """
    if negative:
        return SAYS_NO
    if negated(reading, hit.start) and _negation_from(reading, hit.start, after):
        return TAKEN_BACK
    return IN_ORDER if affirmed(reading, hit.end) else NAMED


def _negation_from(reading: Reading, start: int, after: int) -> bool:
    """True when a negation shortly before start, in its clause, stands at after or later."""
    clause = reading.words[start].clause
    return any(
        w.folded in reading.negations and w.clause == clause
        for w in reading.words[max(after, start - NEGATION_REACH) : start]
    )


def _names(cue: Cue, stance: str) -> bool:
    """Whether a phrase spoken of so names its cue's cause."""
    if stance == TAKEN_BACK:
        # "no guard": a safeguard that is not there is the cause; "no oil" is no oil.
        return cue.safeguard
    return stance != IN_ORDER


def _says_in_order(reading: Reading, hit: Hit) -> bool:
    """True when the phrase found is one of the words saying a thing is in order."""
    return tuple(w.folded for w in reading.words[hit.start : hit.end]) in reading.affirmations


def _named(text: str) -> Iterator[Cue]:
    """Every cue the text names, in order (a cue as often as it is named)."""
    reading = read(text)
    phrases = _phrases()
    said_no = 0
    # Phrases of the languages the text may be in: a French "notice" is no English notice.
    for hit in phrases.index.find(reading.words, reading.languages):
        meanings = phrases.index.meanings[hit.key]
        if None in meanings or _says_in_order(reading, hit):
            continue  # "storm drain" names no storm; "fitted" says a guard is, not a fitting
        negative = hit.key in phrases.negative
        stance = _stance(reading, hit, negative, said_no)
        said_no = hit.end if negative else said_no
        yield from (BY_KEY[key] for key in meanings if _names(BY_KEY[key], stance))


def find_cues(text: str) -> list[Cue]:
    """The cues a text names, each once, in the order they first appear."""
    found: dict[str, Cue] = {}
    for cue in _named(text):
        found.setdefault(cue.key, cue)
    return list(found.values())


def make_cause(
    cause_id: str,
    category: str,
    text: str,
    source: str,
    count: int = 1,
    report_ids: Iterable[str] = (),
) -> dict:
    """A cause as stored in an analysis."""
    return {
        "id": cause_id,
        "category": category,
        "text": text,
        "count": count,
        "report_ids": list(report_ids),
        "source": source,
        "edited": False,
    }


def report_causes(report_id: str, description: str) -> list[dict]:
    """One cause per cue the report's own wording names."""
    return [
        make_cause(f"report-{cue.key}", cue.category, cue.cause, "report", 1, [report_id])
        for cue in find_cues(description)
    ]


def count_cues(rows: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    """For (report id, description) rows: cue key -> ids of the reports naming it, in row order."""
    reports_by_cue: dict[str, list[str]] = {}
    for report_id, description in rows:
        for cue in find_cues(description):
            reports_by_cue.setdefault(cue.key, []).append(report_id)
    return reports_by_cue


def add_recurrence(own: list[dict], rows: Iterable[tuple[str, str]]) -> list[dict]:
    """Count own causes again in related reports; return the other causes that recur there."""
    reports_by_cue = count_cues(rows)
    for cause in own:
        related = reports_by_cue.pop(cause["id"].removeprefix("report-"), [])
        cause["count"] += len(related)
        cause["report_ids"] = cause["report_ids"] + related
    return _recurring(reports_by_cue)


def _recurring(reports_by_cue: dict[str, list[str]]) -> list[dict]:
    """The most frequent cues named by at least MIN_RECURRENCE reports, a few per category."""
    frequent = sorted(
        (item for item in reports_by_cue.items() if len(item[1]) >= MIN_RECURRENCE),
        key=lambda item: (-len(item[1]), _CUE_ORDER[item[0]]),
    )
    kept, per_category = [], dict.fromkeys(CATEGORIES, 0)
    for key, report_ids in frequent:
        cue = BY_KEY[key]
        if per_category[cue.category] < RELATED_PER_CATEGORY:
            per_category[cue.category] += 1
            cause_id, count = f"related-{key}", len(report_ids)
            kept.append(make_cause(cause_id, cue.category, cue.cause, "related", count, report_ids))
    return kept


def shorten(text: str, limit: int) -> str:
    """text cut at a word boundary to at most limit characters, with an ellipsis when cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0] or text[: limit - 1]
    return cut.rstrip(" ,;:.") + "…"


def effect_statement(kind: str, site_name: str, description: str) -> str:
    """The problem statement at the head of the fishbone: kind, site and what was seen."""
    first_sentence = _SENTENCE_END.split(description.strip(), maxsplit=1)[0]
    summary = shorten(first_sentence.rstrip(" ."), EFFECT_SUMMARY)
    return f"{KIND_LABELS.get(kind, kind)} at {site_name}: {summary}"
