"""Triage conclusions from a report's values and words, each with the reasons behind it.

No database. The words are read in every language a vocabulary file exists for; the
reportable flags are rules over those words, exact and explainable (they are the legal part).

Every function returns (value, reasons): reasons are short sentences a person can check.
"""

from collections import defaultdict
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from server.language.lexicon import lexicons
from server.language.normalize import fold_word
from server.language.terms import (
    Hit,
    Reading,
    TermIndex,
    in_languages,
    negated,
    read,
    term_key,
    vocabulary,
)
from server.triage import vocabulary as vocab

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


def _entries(section: str):
    """(language, term, meaning) of one section of every vocabulary file."""
    for language, lexicon in lexicons().items():
        for term, meaning in getattr(lexicon, section).items():
            yield language, term, meaning


def _category_entries():
    for language, lexicon in lexicons().items():
        for slug, levels in lexicon.categories.items():
            for level, terms in levels.items():
                for term in terms:
                    yield language, term, (slug, WEIGHTS[level])


def _word_keys(section: str) -> frozenset:
    """The keys of the single words of a section of every vocabulary file."""
    return frozenset(
        term_key(language, word)[0]
        for language, lexicon in lexicons().items()
        for word in getattr(lexicon, section)
        if len(term_key(language, word)) == 1
    )


# A term's weight by how surely it names its category.
WEIGHTS = {"strong": 3, "good": 2, "hint": 1}
_CATEGORY_TERMS = TermIndex(_category_entries())
_SEVERITY_TERMS = TermIndex(_entries("severity"))
_LIKELIHOOD_TERMS = TermIndex(_entries("likelihood"))
_INJURY_TERMS = TermIndex(_entries("reportable_injuries"))
_OCCURRENCE_TERMS = TermIndex(_entries("dangerous_occurrences"))
_MINOR_PARTS = _word_keys("minor_parts")
_BODY_PARTS = _word_keys("body_parts")
_BREAK_WORDS = _word_keys("break_words")
_BODY_ASIDES = _word_keys("body_asides")


def _occurrence_entries(part: str):
    for language, lexicon in lexicons().items():
        for occurrence in lexicon.occurrences:
            for term in occurrence[part]:
                yield language, term, occurrence["meaning"]


def _time_off_entries():
    for language, lexicon in lexicons().items():
        for term in lexicon.time_off.get("words", ()):
            yield language, term, "off"
        for unit, days in (("days", 1), ("weeks", 7), ("months", 30)):
            for term in lexicon.time_off.get(unit, ()):
                yield language, term, days


_OCCURRENCE_THINGS = TermIndex(_occurrence_entries("things"))
_OCCURRENCE_EVENTS = TermIndex(_occurrence_entries("events"))
_TIME_OFF = TermIndex(_time_off_entries())
_NUMBER_WORDS = {
    fold_word(word): number
    for lexicon in lexicons().values()
    for word, number in lexicon.time_off.get("numbers", {}).items()
}
# How far apart, in words, a thing and what happened to it may be told.
OCCURRENCE_REACH = 6
# Time off work reportable when longer than this (RIDDOR's over-seven-day injuries).
REPORTABLE_DAYS_OFF = 7


def read_report(description: str) -> Reading:
    """The words of a description in the languages read, typos read as vocabulary words."""
    return read(description)


def _quote(hit: Hit) -> str:
    return f"'{hit.words}' (read as a typo)" if hit.corrected else f"'{hit.words}'"


def _strongest(index: TermIndex, reading: Reading) -> tuple[int, Hit] | None:
    """The highest-valued cue in the reading that no word just before it takes back."""
    found = [
        (max(index.meanings[hit.key]), hit)
        for hit in index.find(reading.words, reading.languages)
        if not negated(reading, hit.start)
    ]
    return max(found, key=lambda pair: pair[0], default=None)


def vocabulary_scores(reading: Reading) -> tuple[dict[str, int], dict[str, list[str]]]:
    """Each category's score from the vocabulary terms found, and the terms, quoted."""
    scores: dict[str, int] = defaultdict(int)
    matched: dict[str, list[str]] = defaultdict(list)
    for hit in _CATEGORY_TERMS.find(reading.words, reading.languages):
        for slug, weight in _CATEGORY_TERMS.meanings[hit.key]:
            if _quote(hit) not in matched[slug]:
                scores[slug] += weight
                matched[slug].append(_quote(hit))
    return dict(scores), dict(matched)


def ranked(scores: dict[str, float]) -> list[str]:
    """Categories best first; on a tie, the earlier (more specific) one."""
    return sorted(scores, key=lambda slug: (-scores[slug], _ORDER[slug]))


def classify(reading: Reading) -> tuple[str, list[str]]:
    """The hazard category the vocabulary alone points to most, with the terms that decided it."""
    scores, matched = vocabulary_scores(reading)
    if not scores:
        return vocab.UNCATEGORISED, ["no word from the hazard vocabulary was found"]
    order = ranked(scores)
    best = order[0]
    reasons = [f"{CATEGORY_LABELS[best]}: {', '.join(matched[best])} (score {scores[best]})"]
    if len(order) > 1:
        runner_up = order[1]
        reasons.append(f"also considered {CATEGORY_LABELS[runner_up]} (score {scores[runner_up]})")
    return best, reasons


def severity(given: int | None, kind: str, reading: Reading, category: str) -> tuple[int, list]:
    """Severity 1-5: as reported, else from stated harm, else the category's or kind's default."""
    if given is not None:
        return given, [f"severity {given} as reported"]
    if kind == "good_practice":
        return 1, ["good practice: nothing harmful to score"]
    cue = _strongest(_SEVERITY_TERMS, reading)
    if cue is not None:
        value, hit = cue
        return value, [f"none reported; {_quote(hit)} suggests severity {value}"]
    if category != vocab.UNCATEGORISED:
        value = next(c.severity for c in vocab.CATEGORIES if c.slug == category)
        label = CATEGORY_LABELS[category].lower()
        return value, [f"none reported; {value}, the usual worst credible outcome of {label}"]
    value = vocab.KIND_SEVERITY[kind]
    return value, [f"none reported; {value}, the default for {_KIND_NAMES[kind]}"]


def likelihood(given: int | None, kind: str, reading: Reading) -> tuple[int, list]:
    """Likelihood 1-5: as reported, else from how often the words say it happens, else by kind."""
    if given is not None:
        return given, [f"likelihood {given} as reported"]
    cue = _strongest(_LIKELIHOOD_TERMS, reading)
    if cue is not None:
        value, hit = cue
        return value, [f"none reported; {_quote(hit)} suggests likelihood {value}"]
    value = vocab.KIND_LIKELIHOOD[kind]
    return value, [f"none reported; {value}, the default for {_KIND_NAMES[kind]}"]


def _broken_body_parts(reading: Reading) -> list[str]:
    """'broken wrist', 'broke his arm', 'arm was broken', 'złamał rękę': a break word next to a
    body part. A break word followed by another noun breaks that noun ("broken glass cut his hand").
    """
    words, stopwords, found = reading.words, vocabulary().stopwords, []

    def named(word, keys) -> bool:
        return bool(in_languages(word.keys, reading.languages) & keys)

    for i, word in enumerate(words):
        if not named(word, _BREAK_WORDS) or negated(reading, i):
            continue
        after = [w for w in words[i + 1 : i + 4] if not named(w, _BODY_ASIDES)]
        if after and not named(after[0], _BODY_PARTS) and after[0].folded not in stopwords:
            continue
        before = words[max(0, i - 3) : i]
        part = next((w for w in after[:1] + before[::-1] if named(w, _BODY_PARTS)), None)
        if part:
            found.append(f"'{word.surface} {part.surface}': fracture")
    return found


def _occurrences(reading: Reading) -> list[str]:
    """'crane ... went over', 'rusztowanie się zawaliło': a thing and what happened to it, close
    together in one clause, that nothing takes back."""
    words, found = reading.words, []
    events = [
        h
        for h in _OCCURRENCE_EVENTS.find(words, reading.languages)
        if not negated(reading, h.start)
    ]
    for thing in _OCCURRENCE_THINGS.find(words, reading.languages):
        meanings = set(_OCCURRENCE_THINGS.meanings[thing.key])
        for event in events:
            apart = max(event.start - thing.end, thing.start - event.end)
            same_clause = words[thing.start].clause == words[event.start].clause
            shared = meanings & set(_OCCURRENCE_EVENTS.meanings[event.key])
            if shared and same_clause and apart <= OCCURRENCE_REACH:
                found.append(f"'{thing.words}' {event.words}: {sorted(shared)[0]}")
                break
    return list(dict.fromkeys(found))


def _days_off(reading: Reading) -> list[str]:
    """'off 2 weeks', '10 dias de baixa': time off work longer than seven days."""
    words, found = reading.words, []
    hits = _TIME_OFF.find(words, reading.languages)
    said_off = {words[h.start].clause for h in hits if "off" in _TIME_OFF.meanings[h.key]}
    for hit in hits:
        days = next((m for m in _TIME_OFF.meanings[hit.key] if m != "off"), None)
        if days is None or hit.start == 0 or words[hit.start].clause not in said_off:
            continue
        before = words[hit.start - 1].folded
        count = int(before) if before.isdigit() else _NUMBER_WORDS.get(before)
        if count and count * days > REPORTABLE_DAYS_OFF:
            found.append(
                f"'{words[hit.start - 1].surface} {hit.words}' off work: over-7-day incapacitation"
            )
    return found


def _minor(reading: Reading, hit: Hit) -> bool:
    """True when a finger, thumb or toe is named right by the hit, in its clause."""
    words = reading.words
    clause = words[hit.start].clause
    near = words[max(0, hit.start - 3) : hit.end + 3]
    return any(
        in_languages(w.keys, reading.languages) & _MINOR_PARTS and w.clause == clause for w in near
    )


def reportable(kind: str, reading: Reading) -> tuple[bool, list[str]]:
    """Whether the report may have to go to the regulator (RIDDOR-style), with the words why."""
    found = []
    if kind in _INJURY_KINDS:
        found += _labelled(_INJURY_TERMS, reading, skip_minor=True)
        found += _broken_body_parts(reading) + _days_off(reading)
    if kind in _OCCURRENCE_KINDS:
        found += _labelled(_OCCURRENCE_TERMS, reading) + _occurrences(reading)
    if not found:
        if kind not in _OCCURRENCE_KINDS:
            return False, [f"{_KIND_NAMES[kind]}: nothing happened that is reportable"]
        return False, ["no serious injury or dangerous occurrence is described"]
    return True, ["potentially reportable: check and report within the deadline", *found]


def _labelled(index: TermIndex, reading: Reading, skip_minor: bool = False) -> list[str]:
    """Each found term that nothing takes back, with what it means; with skip_minor, a
    fracture of a finger, thumb or toe is left out."""
    found = []
    for hit in index.find(reading.words, reading.languages):
        meaning = index.meanings[hit.key][0]
        if negated(reading, hit.start):
            continue
        if skip_minor and meaning == "fracture" and _minor(reading, hit):
            continue
        found.append(f"{_quote(hit)}: {meaning}")
    return found


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
