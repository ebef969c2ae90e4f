"""Finding vocabulary terms in what people write: by stem, by prefix, through typos, with negation.

Every word of a text is compared by its Snowball stem in each language read, so a Polish term
matches Polish word forms and an English one English forms, in the same line. A word found in no
vocabulary is read as the one vocabulary word it is a typo of, if there is exactly one.
"""

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import NamedTuple

import Stemmer
from rapidfuzz import process
from rapidfuzz.distance import OSA, Indel

from server.language.detect import rank
from server.language.lexicon import COMMON_LANGUAGE, STEMMERS, lexicons
from server.language.normalize import clean, fold_word, words_of

# A trailing * on a term's word: any ending.
PREFIX = "*"
# Stems shorter than this match only the word exactly as written ("ol" is not "olej").
MIN_STEM = 3
# Typos are only guessed for words this long: shorter ones are too often other real words.
MIN_TYPO_LENGTH = 5
# A negation reaches back this many words, within its clause.
NEGATION_REACH = 4
# An affirmation ("guard fitted") follows the thing within this many words.
AFFIRMATION_REACH = 3
# A text this likely to be in a language is also read in it for exact rules.
MAYBE_LANGUAGE = 0.1
# Keys that belong to no one language: a word as written, a prefix.
_ANY_LANGUAGE = ("=",)

_CLAUSE_END = re.compile(r"[.,;:!?()\n]+|\s[-–—]\s")

Key = tuple[str, str]


class Word(NamedTuple):
    """One word of a text: as written, folded, and the keys it matches terms by."""

    surface: str
    folded: str
    keys: frozenset[Key]
    clause: int
    # The vocabulary word a typo was read as.
    corrected: str | None = None
    # The text's languages this is a small word of ("die" in German): on its own, it is
    # never a term of another language.
    small: frozenset[str] = frozenset()


class Hit(NamedTuple):
    """A vocabulary term found in a text."""

    key: tuple[Key, ...]
    words: str
    start: int
    end: int
    corrected: bool


@dataclass(frozen=True)
class Reading:
    """A text read: its words, the language it is written in, and that language's small words."""

    words: list[Word]
    language: str
    confidence: float
    # The languages it is read in for exact rules: its own, any other it may be in, English.
    languages: frozenset[str]
    negations: frozenset[str]
    affirmations: tuple[tuple[str, ...], ...]


@cache
def _stemmer(language: str) -> Stemmer.Stemmer:
    return Stemmer.Stemmer(STEMMERS[language])


def _own_key(language: str, folded: str) -> Key:
    """How a vocabulary word of a language is matched."""
    if folded.endswith(PREFIX):
        return (language, folded)  # "drabin*": its own language's, like a stem
    stem = _stemmer(language).stemWord(folded)
    return (language, stem) if len(stem) >= MIN_STEM and folded.isalpha() else ("=", folded)


def term_key(language: str, term: str) -> tuple[Key, ...]:
    """The keys a vocabulary term is matched by, word by word."""
    return tuple(_own_key(language, word) for word in _plain_words(term))


class _Vocabulary:
    """Every word of every vocabulary file: what text words are compared with."""

    def __init__(self):
        self.keys: set[Key] = set()
        self.prefixes: dict[str, list[Key]] = defaultdict(list)
        spelled: dict[str, set[Key]] = defaultdict(set)
        # (language, length) -> the vocabulary words of that language and length, for typos.
        by_length: dict[tuple[str, int], set[str]] = defaultdict(set)
        for language, lexicon in lexicons().items():
            for term in _all_terms(lexicon):
                for key, word in zip(term_key(language, term), _plain_words(term), strict=True):
                    self.keys.add(key)
                    if key[1].endswith(PREFIX):
                        self.prefixes[key[1][:MIN_STEM]].append(key)
                    elif len(word) >= MIN_TYPO_LENGTH and word.isalpha():
                        spelled[word].add(key)
                        by_length[language, len(word)].add(word)
        self.spelled = {word: frozenset(keys) for word, keys in spelled.items()}
        self.stopwords = frozenset(
            fold_word(w) for lexicon in lexicons().values() for w in lexicon.stopwords
        )
        self.by_length = {place: sorted(words) for place, words in by_length.items()}

    def keys_of(self, folded: str) -> frozenset[Key]:
        """What a folded text word matches: as written, and its stem in each language."""
        return _keys_of(folded)

    def typo_of(self, folded: str, languages: tuple[str, ...]) -> str | None:
        """The one vocabulary word of the languages given that folded is a typo of: a letter
        missing, extra or two swapped.

        Never a substituted letter, which too often turns one real word into another
        ("weight" into "height"), and never a word of another language ("neben" is not a typo
        of anything Polish).
        """
        if len(folded) < MIN_TYPO_LENGTH or not folded.isalpha() or folded in self.stopwords:
            return None
        near: set[str] = set()
        for language in languages:
            for length in (len(folded) - 1, len(folded), len(folded) + 1):
                choices = self.by_length.get((language, length), ())
                for word, _score, _index in process.extract(
                    folded, choices, scorer=Indel.distance, score_cutoff=1, limit=4
                ):
                    near.add(word)
            for word, _score, _index in process.extract(
                folded,
                self.by_length.get((language, len(folded)), ()),
                scorer=OSA.distance,
                score_cutoff=1,
                limit=4,
            ):
                if sorted(word) == sorted(folded):
                    near.add(word)
        near.discard(folded)
        meanings = {self.spelled[word] for word in near}
        return min(near) if len(meanings) == 1 else None


def _plain_words(term: str) -> list[str]:
    """A term's words, folded, with a trailing * kept where it was written."""
    words = []
    for part in term.split():
        found = [fold_word(word) for word in words_of(part.rstrip(PREFIX))]
        if part.endswith(PREFIX) and found:
            found[-1] += PREFIX
        words += found
    return words


def _all_terms(lexicon) -> Iterable[str]:
    for weights in lexicon.categories.values():
        for terms in weights.values():
            yield from terms
    yield from lexicon.severity
    yield from lexicon.likelihood
    yield from lexicon.reportable_injuries
    yield from lexicon.dangerous_occurrences
    yield from lexicon.body_parts
    yield from lexicon.break_words
    yield from lexicon.body_asides
    yield from lexicon.minor_parts
    for name in ("words", "days", "weeks", "months"):
        yield from lexicon.time_off.get(name, ())
    for occurrence in lexicon.occurrences:
        yield from occurrence["things"]
        yield from occurrence["events"]
    for phrases in lexicon.causes.values():
        yield from phrases
    yield from lexicon.not_causes


@cache
def vocabulary() -> _Vocabulary:
    """The vocabulary of every language, built once per process."""
    return _Vocabulary()


@lru_cache(maxsize=65536)
def _keys_of(folded: str) -> frozenset[Key]:
    keys = {("=", folded)}
    if folded.isalpha():
        for language in lexicons():
            stem = _stemmer(language).stemWord(folded)
            if len(stem) >= MIN_STEM:
                keys.add((language, stem))
    return frozenset(keys)


def _prefixes_of(folded: str, prefixes: dict[str, list[Key]]) -> set[Key]:
    """The prefix keys (a term's ("pl", "drabin*")) that folded starts with."""
    return {key for key in prefixes.get(folded[:MIN_STEM], ()) if folded.startswith(key[1][:-1])}


@lru_cache(maxsize=65536)
def _read_word(folded: str, languages: tuple[str, ...]) -> tuple[frozenset[Key], str | None]:
    """A word's keys, and the vocabulary word of the text's languages it was read as when it
    is a typo of one."""
    known = vocabulary()
    keys = known.keys_of(folded)
    # Known in one of the text's languages; a word of another ("scafold" is Romanian) may
    # still be a typo of a word of the text's own.
    if in_languages(keys, frozenset(languages)) & known.keys or _prefixes_of(
        folded, known.prefixes
    ):
        return keys, None
    corrected = known.typo_of(folded, languages)
    if corrected is None:
        return keys, None
    return keys | known.spelled[corrected] | known.keys_of(corrected), corrected


@lru_cache(maxsize=128)
def _small_words(languages: tuple[str, ...]):
    negations, affirmations, breaks = set(), set(), set()
    stopwords: dict[str, set[str]] = defaultdict(set)
    for language in languages:
        lexicon = lexicons()[language]
        negations |= {fold_word(w) for w in lexicon.negations}
        affirmations |= {tuple(fold_word(w) for w in words_of(a)) for a in lexicon.affirmations}
        breaks |= {fold_word(w) for w in lexicon.clause_breaks}
        for word in lexicon.stopwords:
            stopwords[fold_word(word)].add(language)
    by_length = tuple(sorted(affirmations, key=len, reverse=True))
    small = {word: frozenset(codes) for word, codes in stopwords.items()}
    # A small word of the text's own language is not another's negation: Portuguese "no"
    # is "in the".
    own = {fold_word(w) for w in lexicons()[languages[-1]].negations}
    negations = {
        word for word in negations if word in own or languages[-1] not in small.get(word, ())
    }
    return frozenset(negations), by_length, frozenset(breaks), small


def warm() -> None:
    """Load the vocabularies, their index and the language detector now (about a second), so
    the first text a process reads is read as fast as the next."""
    read("warm up the vocabularies")


def read(text: str) -> Reading:
    """The words of text with what each matches; negations of its language and of English."""
    text = clean(text)
    ranked = rank(text)
    language, confidence = ranked[0]
    languages = tuple(dict.fromkeys((COMMON_LANGUAGE, language)))
    possible = frozenset([COMMON_LANGUAGE, *(code for code, p in ranked if p >= MAYBE_LANGUAGE)])
    negations, affirmations, breaks, stopwords = _small_words(languages)
    words, clause = [], 0
    for part in _CLAUSE_END.split(text):
        for surface in words_of(part):
            folded = fold_word(surface)
            if folded in breaks:
                clause += 1
                continue
            keys, corrected = _read_word(folded, languages)
            small = stopwords.get(folded, frozenset())
            words.append(Word(surface, folded, keys, clause, corrected, small))
        clause += 1
    return Reading(words, language, confidence, possible, negations, affirmations)


class TermIndex:
    """Terms of any language, each with what it stands for; found in read text longest first."""

    def __init__(self, entries: Iterable[tuple[str, str, object]]):
        by_first: dict[Key, set[tuple[Key, ...]]] = defaultdict(set)
        self.meanings: dict[tuple[Key, ...], list] = defaultdict(list)
        self._prefixes: dict[str, list[Key]] = defaultdict(list)
        for language, term, meaning in entries:
            key = term_key(language, term)
            if not key:
                continue
            for part in key:
                if part[1].endswith(PREFIX) and part not in self._prefixes[part[1][:MIN_STEM]]:
                    self._prefixes[part[1][:MIN_STEM]].append(part)
            if meaning not in self.meanings[key]:
                self.meanings[key].append(meaning)
            by_first[key[0]].add(key)
        self._by_first = {
            first: sorted(keys, key=len, reverse=True) for first, keys in by_first.items()
        }

    def find(self, words: list[Word], languages: frozenset[str] | None = None) -> list[Hit]:
        """The terms in words, left to right; a longer term wins over a shorter one inside it.

        With languages, only terms of those languages count (a Spanish "roto" is not the German
        "rot"): for rules that must be exact.
        """
        hits, i = [], 0
        keys_at = [w.keys | _prefixes_of(w.folded, self._prefixes) for w in words]
        while i < len(words):
            keys = keys_at[i] if languages is None else in_languages(keys_at[i], languages)
            candidates = sorted(
                (k for first in keys for k in self._by_first.get(first, ())),
                key=len,
                reverse=True,
            )
            matched = [
                key
                for key in candidates
                if len(key) <= len(words) - i
                and not _small_elsewhere(key, words[i])
                and (
                    languages is None
                    or all(k[0] in languages or k[0] in _ANY_LANGUAGE for k in key)
                )
                and all(k in keys_at[i + j] for j, k in enumerate(key))
            ]
            if matched:
                # Every term of the longest length found here: a word two languages share
                # stands for what it means in each.
                longest = len(matched[0])
                span = words[i : i + longest]
                surface = " ".join(w.surface for w in span)
                corrected = any(w.corrected for w in span)
                for key in sorted(set(k for k in matched if len(k) == longest)):
                    hits.append(Hit(key, surface, i, i + longest, corrected))
                i += longest
            else:
                i += 1
        return hits


def _small_elsewhere(key: tuple[Key, ...], word: Word) -> bool:
    """True when a one-word term of one language is a small word of another ("die")."""
    return len(key) == 1 and bool(word.small) and key[0][0] not in word.small


def in_languages(keys: frozenset[Key], languages: frozenset[str]) -> frozenset[Key]:
    """The keys of a word that belong to the languages given (or to none in particular)."""
    return frozenset(k for k in keys if k[0] in languages or k[0] in _ANY_LANGUAGE)


def negated(reading: Reading, start: int) -> bool:
    """True when a word shortly before start, in its clause, takes it back ("no one hurt")."""
    words = reading.words
    clause = words[start].clause
    return any(
        w.folded in reading.negations and w.clause == clause
        for w in words[max(0, start - NEGATION_REACH) : start]
    )


def affirmed(reading: Reading, end: int) -> bool:
    """True when the words right after end say the thing is in order ("guard fitted")."""
    words = reading.words
    if end >= len(words) or end == 0:
        return False
    clause = words[end - 1].clause
    following = [w.folded for w in words[end : end + AFFIRMATION_REACH] if w.clause == clause]
    for i in range(len(following)):
        if following[i] in reading.negations:
            return False  # "guard not fitted", "casco no estaba puesto"
        if any(tuple(following[i : i + len(p)]) == p for p in reading.affirmations):
            return True
    return False
