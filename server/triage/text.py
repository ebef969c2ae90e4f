"""Reading a report's words: tokens, light stemming, typo tolerance, and finding terms in them."""

import re
from collections import defaultdict
from collections.abc import Iterable
from typing import NamedTuple

_TOKEN = re.compile(r"[a-z]+(?:&[a-z]+)*|\d+")
# Where a clause ends: a negation does not reach past it ("no guard, went to hospital").
_CLAUSE_END = re.compile(r"[.,;:!?()\n]+|\bbut\b")
_APOSTROPHES = str.maketrans("", "", "'\u2019")
# (suffix, replacement), tried in order; the first that fits is stripped.
_SUFFIXES = (
    ("ingly", ""),
    ("edly", ""),
    ("ations", "ate"),
    ("ation", "ate"),
    ("icals", "ic"),
    ("ical", "ic"),
    ("ings", ""),
    ("ing", ""),
    ("ies", "y"),
    ("ied", "y"),
    ("iers", "y"),
    ("ier", "y"),
    ("ous", ""),
    ("age", ""),
    ("ery", ""),
    ("ers", ""),
    ("er", ""),
    ("ed", ""),
    ("es", ""),
    ("ly", ""),
    ("y", ""),
    ("s", ""),
)
_KEEP_FINAL_S = ("ss", "us", "is")
# Typos are only guessed for words this long: shorter ones are too often other real words.
MIN_TYPO_LENGTH = 5


class Word(NamedTuple):
    """One word of a text: as written, and the stem it is matched by."""

    surface: str
    stem: str
    corrected: bool = False
    clause: int = 0


class Hit(NamedTuple):
    """A vocabulary term found in a text."""

    key: tuple[str, ...]
    words: str
    start: int
    corrected: bool


def tokens(text: str) -> list[str]:
    """Lower-case words and numbers; letters and digits are split ("ffp3" -> "ffp", "3")."""
    return _TOKEN.findall(text.lower().translate(_APOSTROPHES))


def _doubled(word: str) -> bool:
    return len(word) > 1 and word[-1] == word[-2] and word[-1] not in "aeiou"


def _strip_suffix(word: str) -> str | None:
    for suffix, replacement in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            if suffix == "s" and word.endswith(_KEEP_FINAL_S):
                return None
            if suffix in ("er", "ers") and _doubled(word[: -len(suffix)]):
                continue  # "ladder", "hammer": part of the word, not a suffix
            return word[: -len(suffix)] + replacement
    return None


def stem(word: str) -> str:
    """A light English stem: "slipped", "slipping" and "slippery" all give "slip"."""
    if len(word) <= 3 or not word.isalpha():
        return word
    stripped = _strip_suffix(word)
    if stripped is not None:
        # "injuries" -> "injury" -> "injur", as "injury" goes; "dangerous" -> "danger" -> "dang".
        again = stripped.endswith("y") or word.endswith("ous")
        word = (_strip_suffix(stripped) or stripped) if again else stripped
    if len(word) > 3 and word.endswith("e"):
        word = word[:-1]
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "lsz":
        word = word[:-1]
    return word


def key(term: str) -> tuple[str, ...]:
    """The stems a term is matched by."""
    return tuple(stem(token) for token in tokens(term))


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def _transposes(word: str) -> set[str]:
    return {word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(len(word) - 1)}


class Speller:
    """Reads a misspelt word as the one vocabulary word it is one letter away from.

    One letter missing, one extra, or two swapped; never a substituted letter, which too often
    turns one real word into another ("weight" into "height").
    """

    def __init__(self, words: Iterable[str]):
        self._stem_of: dict[str, str] = {}
        for word in words:
            self._stem_of[word] = self._stem_of[stem(word)] = stem(word)
        self.stems = frozenset(self._stem_of.values())
        self._by_deletion: dict[str, set[str]] = defaultdict(set)
        for word in self._stem_of:
            if len(word) >= MIN_TYPO_LENGTH and word.isalpha():
                for deleted in _deletes(word):
                    self._by_deletion[deleted].add(word)

    def correct(self, word: str) -> str | None:
        """The stem of the one vocabulary word that word is a typo of, if there is one."""
        if len(word) < MIN_TYPO_LENGTH or not word.isalpha():
            return None
        near = set(self._by_deletion.get(word, ()))
        near |= (_deletes(word) | _transposes(word)) & self._stem_of.keys()
        stems = {self._stem_of[w] for w in near if len(w) >= MIN_TYPO_LENGTH}
        return stems.pop() if len(stems) == 1 else None


def read(text: str, speller: Speller | None = None) -> list[Word]:
    """The words of text with their stems; with a speller, typos read as vocabulary words."""
    words = []
    for clause, part in enumerate(_CLAUSE_END.split(text.lower())):
        for token in tokens(part):
            stemmed = stem(token)
            fixed = None
            if speller is not None and stemmed not in speller.stems:
                fixed = speller.correct(token) or speller.correct(stemmed)
            words.append(Word(token, fixed or stemmed, fixed is not None, clause))
    return words


class TermIndex:
    """Terms by their stems, each with what it stands for; found in read text longest first."""

    def __init__(self, entries: Iterable[tuple[str, object]]):
        by_first: dict[str, set[tuple[str, ...]]] = defaultdict(set)
        self.words: set[str] = set()
        self.meanings: dict[tuple[str, ...], list] = defaultdict(list)
        for term, meaning in entries:
            term_key = key(term)
            self.words.update(tokens(term))
            if meaning not in self.meanings[term_key]:
                self.meanings[term_key].append(meaning)
            by_first[term_key[0]].add(term_key)
        self._by_first = {
            first: sorted(keys, key=len, reverse=True) for first, keys in by_first.items()
        }

    def find(self, words: list[Word]) -> list[Hit]:
        """The terms in words, left to right; a longer term wins over a shorter one inside it."""
        hits, i = [], 0
        while i < len(words):
            for term_key in self._by_first.get(words[i].stem, ()):
                span = words[i : i + len(term_key)]
                if tuple(w.stem for w in span) == term_key:
                    surface = " ".join(w.surface for w in span)
                    hits.append(Hit(term_key, surface, i, any(w.corrected for w in span)))
                    i += len(term_key)
                    break
            else:
                i += 1
        return hits


def negated(words: list[Word], start: int, negations: frozenset[str], reach: int = 4) -> bool:
    """True when a word shortly before start, in its clause, takes it back ("no one hurt")."""
    clause = words[start].clause
    return any(
        w.surface in negations and w.clause == clause for w in words[max(0, start - reach) : start]
    )
