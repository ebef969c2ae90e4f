"""Finding causes in words: a report's description, its 5 Whys answers and related reports.

Pure functions over text; the database work is in services. The cue phrases are compiled once
into one pattern, so each text is scanned in a single pass.
"""

import re
from collections.abc import Iterable, Iterator

from server.ishikawa.cues import CATEGORIES, CUES, DEFAULT_CATEGORY, KIND_LABELS, STOP_PHRASES, Cue

# A cue must turn up in at least this many related reports to count as recurring.
MIN_RECURRENCE = 2
# Recurring causes kept per category, most frequent first: a diagram, not an index.
RELATED_PER_CATEGORY = 4
# Links shown per cause. Every report behind a cause is kept, so that a count can be told over
# the reports each reader may open.
MAX_LINKS = 20
EFFECT_SUMMARY = 100

_SEPARATORS = re.compile(r"[\s\-]+")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s|\n")


def _normalize(phrase: str) -> str:
    return _SEPARATORS.sub(" ", phrase.strip().lower())


_BY_PHRASE: dict[str, Cue | None] = {
    **{_normalize(phrase): cue for cue in CUES for phrase in cue.phrases},
    **{_normalize(phrase): None for phrase in STOP_PHRASES},
}
_CUE_ORDER = {cue.key: position for position, cue in enumerate(CUES)}


def _trie_pattern(node: dict) -> str:
    """A regex for the phrases of a character trie, sharing prefixes; longer matches tried first."""
    branches = [
        (r"[\s\-]+" if char == " " else re.escape(char)) + _trie_pattern(child)
        for char, child in sorted(node.items())
        if char
    ]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if "" in node else body


def _compile(phrases: Iterable[str]) -> re.Pattern:
    """One pattern for every phrase, whole words, with an optional s, es, ed or ing."""
    trie: dict = {}
    for phrase in phrases:
        node = trie
        for char in phrase:
            node = node.setdefault(char, {})
        node[""] = {}
    # Sharing prefixes makes a scan several times faster than a flat alternation.
    return re.compile(r"\b(" + _trie_pattern(trie) + r")(?:s|es|ed|ing)?\b")


_PATTERN = _compile(_BY_PHRASE)


def _named(text: str) -> Iterator[Cue]:
    """Every cue phrase in text, in order (a cue as often as it is named)."""
    for match in _PATTERN.finditer(text.lower()):
        phrase = match.group(1)
        # Most matches are spelled as listed; only hyphens and odd spacing need normalizing.
        cue = _BY_PHRASE[phrase] if phrase in _BY_PHRASE else _BY_PHRASE[_normalize(phrase)]
        if cue is not None:
            yield cue


def find_cues(text: str) -> list[Cue]:
    """The cues a text names, each once, in the order they first appear."""
    found: dict[str, Cue] = {}
    for cue in _named(text):
        found.setdefault(cue.key, cue)
    return list(found.values())


def classify(text: str) -> str:
    """The category a text names most; ties go to the one named first."""
    counts: dict[str, int] = {}
    for cue in find_cues(text):
        counts[cue.category] = counts.get(cue.category, 0) + 1
    return max(counts, key=counts.get) if counts else DEFAULT_CATEGORY


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


def why_causes(whys: list[str]) -> list[dict]:
    """Each 5 Whys answer as a cause, in the category its words point at."""
    return [
        make_cause(f"why-{number}", classify(answer), answer, "why")
        for number, answer in enumerate(whys, start=1)
    ]


def count_cues(rows: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    """For (report id, description) rows: cue key -> ids of the reports naming it, in row order."""
    reports_by_cue: dict[str, list[str]] = {}
    for report_id, description in rows:
        for key in {cue.key for cue in _named(description)}:
            reports_by_cue.setdefault(key, []).append(report_id)
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
        cue = CUES[_CUE_ORDER[key]]
        if per_category[cue.category] < RELATED_PER_CATEGORY:
            per_category[cue.category] += 1
            cause_id, count = f"related-{key}", len(report_ids)
            kept.append(make_cause(cause_id, cue.category, cue.cause, "related", count, report_ids))
    return kept


def generated_causes(
    report_id: str, description: str, whys: list[str], related: Iterable[tuple[str, str]]
) -> list[dict]:
    """Every cause the job derives: the report's wording, its whys, and recurring ones."""
    own = report_causes(report_id, description)
    recurring = add_recurrence(own, related)
    return own + why_causes(whys) + recurring


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
