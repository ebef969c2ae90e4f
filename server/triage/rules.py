"""Triage conclusions from a report's values, each with the reasons behind it (no database).

Every function returns (value, reasons): reasons are short sentences a person can check.
"""

from collections import defaultdict
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from server.triage import vocabulary as vocab
from server.triage.text import Hit, Speller, TermIndex, Word, negated, read

PRIORITIES = ("P1", "P2", "P3", "P4")
BAND_PRIORITY = {"critical": "P1", "high": "P2", "medium": "P3", "low": "P4"}
DEFAULT_SLA_HOURS = {"P1": 24, "P2": 72, "P3": 7 * 24, "P4": 30 * 24}
PRIORITY_LABELS = {"P1": "P1", "P2": "P2", "P3": "P3", "P4": "P4"}
CATEGORY_LABELS = {c.slug: c.label for c in vocab.CATEGORIES} | {
    vocab.UNCATEGORISED: "Uncategorised"
}
# Kinds where something happened that a regulator may need to hear about.
_INJURY_KINDS = frozenset({"injury"})
_OCCURRENCE_KINDS = frozenset({"injury", "near_miss", "environmental_incident"})
_ORDER = {c.slug: i for i, c in enumerate(vocab.CATEGORIES)}
_KIND_NAMES = {
    "hazard": "a hazard",
    "near_miss": "a near miss",
    "environmental_incident": "an environmental incident",
    "injury": "an injury",
    "audit_evidence": "audit evidence",
    "good_practice": "good practice",
}

_CATEGORY_TERMS = TermIndex(
    (term, (c.slug, weight)) for c in vocab.CATEGORIES for term, weight in c.terms.items()
)
_SEVERITY_TERMS = TermIndex(vocab.SEVERITY_CUES.items())
_LIKELIHOOD_TERMS = TermIndex(vocab.LIKELIHOOD_CUES.items())
_INJURY_TERMS = TermIndex(vocab.REPORTABLE_INJURIES.items())
_OCCURRENCE_TERMS = TermIndex(vocab.DANGEROUS_OCCURRENCES.items())
SPELLER = Speller(
    word
    for index in (_CATEGORY_TERMS, _SEVERITY_TERMS, _INJURY_TERMS, _OCCURRENCE_TERMS)
    for word in index.words
)


def read_report(description: str) -> list[Word]:
    """The words of a description, typos read as vocabulary words."""
    return read(description, SPELLER)


def _quote(hit: Hit) -> str:
    return f"'{hit.words}' (read as a typo)" if hit.corrected else f"'{hit.words}'"


def _strongest(index: TermIndex, words: list[Word]) -> tuple[int, Hit] | None:
    """The highest-valued cue in words that no word just before it takes back."""
    found = [
        (max(index.meanings[hit.key]), hit)
        for hit in index.find(words)
        if not negated(words, hit.start, vocab.NEGATIONS)
    ]
    return max(found, key=lambda pair: pair[0], default=None)


def classify(words: list[Word]) -> tuple[str, list[str]]:
    """The hazard category the words point to most, with the terms that decided it."""
    scores: dict[str, int] = defaultdict(int)
    matched: dict[str, list[str]] = defaultdict(list)
    for hit in _CATEGORY_TERMS.find(words):
        if len(hit.key) == 1 and hit.words in vocab.STOPWORDS:
            continue  # "having" stems like the acronym "havs"
        for slug, weight in _CATEGORY_TERMS.meanings[hit.key]:
            if _quote(hit) not in matched[slug]:
                scores[slug] += weight
                matched[slug].append(_quote(hit))
    if not scores:
        return vocab.UNCATEGORISED, ["no word from the hazard vocabulary was found"]
    ranked = sorted(scores, key=lambda slug: (-scores[slug], _ORDER[slug]))
    best = ranked[0]
    reasons = [f"{CATEGORY_LABELS[best]}: {', '.join(matched[best])} (score {scores[best]})"]
    if len(ranked) > 1:
        runner_up = ranked[1]
        reasons.append(f"also considered {CATEGORY_LABELS[runner_up]} (score {scores[runner_up]})")
    return best, reasons


def severity(given: int | None, kind: str, words: list[Word], category: str) -> tuple[int, list]:
    """Severity 1-5: as reported, else from stated harm, else the category's or kind's default."""
    if given is not None:
        return given, [f"severity {given} as reported"]
    if kind == "good_practice":
        return 1, ["good practice: nothing harmful to score"]
    cue = _strongest(_SEVERITY_TERMS, words)
    if cue is not None:
        value, hit = cue
        return value, [f"none reported; {_quote(hit)} suggests severity {value}"]
    if category != vocab.UNCATEGORISED:
        value = next(c.severity for c in vocab.CATEGORIES if c.slug == category)
        label = CATEGORY_LABELS[category].lower()
        return value, [f"none reported; {value}, the usual worst credible outcome of {label}"]
    value = vocab.KIND_SEVERITY[kind]
    return value, [f"none reported; {value}, the default for {_KIND_NAMES[kind]}"]


def likelihood(given: int | None, kind: str, words: list[Word]) -> tuple[int, list]:
    """Likelihood 1-5: as reported, else from how often the words say it happens, else by kind."""
    if given is not None:
        return given, [f"likelihood {given} as reported"]
    cue = _strongest(_LIKELIHOOD_TERMS, words)
    if cue is not None:
        value, hit = cue
        return value, [f"none reported; {_quote(hit)} suggests likelihood {value}"]
    value = vocab.KIND_LIKELIHOOD[kind]
    return value, [f"none reported; {value}, the default for {_KIND_NAMES[kind]}"]


def _broken_body_parts(words: list[Word]) -> list[str]:
    """'broken wrist', 'broke his arm', 'arm was broken': a break word next to a body part.

    A break word followed by another noun breaks that noun ("broken glass cut his hand").
    """
    found = []
    for i, word in enumerate(words):
        if word.surface not in vocab.BREAK_WORDS or negated(words, i, vocab.NEGATIONS):
            continue
        after = [w.surface for w in words[i + 1 : i + 4] if w.surface not in vocab.BODY_ASIDES]
        if after and after[0] not in vocab.BODY_PARTS and after[0] not in vocab.STOPWORDS:
            continue
        before = [w.surface for w in words[max(0, i - 3) : i]]
        part = next((p for p in after[:1] + before[::-1] if p in vocab.BODY_PARTS), None)
        if part:
            found.append(f"'{word.surface} {part}': fracture")
    return found


def reportable(kind: str, words: list[Word]) -> tuple[bool, list[str]]:
    """Whether the report may have to go to the regulator (RIDDOR-style), with the words why."""
    found = []
    if kind in _INJURY_KINDS:
        found += _labelled(_INJURY_TERMS, words) + _broken_body_parts(words)
    if kind in _OCCURRENCE_KINDS:
        found += _labelled(_OCCURRENCE_TERMS, words)
    if not found:
        if kind not in _OCCURRENCE_KINDS:
            return False, [f"{_KIND_NAMES[kind]}: nothing happened that is reportable"]
        return False, ["no serious injury or dangerous occurrence is described"]
    return True, ["potentially reportable: check and report within the deadline", *found]


def _labelled(index: TermIndex, words: list[Word]) -> list[str]:
    """Each found term that nothing takes back, with what it means."""
    return [
        f"{_quote(hit)}: {index.meanings[hit.key][0]}"
        for hit in index.find(words)
        if not negated(words, hit.start, vocab.NEGATIONS)
    ]


def priority(band: str, kind: str, is_reportable: bool) -> tuple[str, list[str]]:
    """P1-P4 from the risk band, raised one step for an injury and to P1 when reportable."""
    value = BAND_PRIORITY[band]
    reasons = [f"{band} risk gives {value}"]
    if kind == "injury" and value != "P1":
        raised = PRIORITIES[PRIORITIES.index(value) - 1]
        reasons.append(f"raised from {value} to {raised}: someone was hurt")
        value = raised
    if is_reportable and value != "P1":
        reasons.append(f"raised from {value} to P1: potentially reportable")
        value = "P1"
    return value, reasons


def _duration(hours: int) -> str:
    if hours % 24 == 0 and hours >= 48:
        return f"{hours // 24} days"
    return f"{hours} h"


def _local_time(moment: datetime, zone: str) -> str:
    """'Tue 3 Nov 2026 09:00 Pacific/Auckland': moment as the clock on the site's wall says."""
    local = moment.astimezone(ZoneInfo(zone))
    return f"{local:%a} {local.day} {local:%b %Y %H:%M} {zone}"


def due_at(
    received_at: datetime, level: str, hours: dict[str, int], policy: str, zone: str | None = None
) -> tuple[datetime, list[str]]:
    """When a report of this priority must be dealt with, counted from its receipt.

    With the site's time zone, the reason also says the due day and time there.
    """
    allowed = hours[level]
    due = received_at + timedelta(hours=allowed)
    reason = f"{level}: {_duration(allowed)} from receipt under {policy}"
    return due, [f"{reason}: due {_local_time(due, zone)}" if zone else reason]
