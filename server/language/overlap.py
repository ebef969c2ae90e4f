"""How much two texts say in the same words, whichever languages they are written in.

A text's words are keyed by stem, so word forms meet ("leaking", "leaks": "leak"). A word's key
is its shortest stem in the languages the text may be written in, English always among them: an
English word has its English stem in any text, and a Polish one its Polish stem in a Polish text
("oleju", "olejem": "olej"). Typos count as the word they were read as; stop words of every
language are left out.
"""

from functools import cache, lru_cache

from server.language.lexicon import lexicons
from server.language.normalize import fold_word
from server.language.terms import Word, read, term_key

# Word sets with fewer words than this are too small to be "inside" another.
MIN_CONTAINED = 4
# A smaller set this much inside a larger one counts as alike, at CONTAINED_WEIGHT.
CONTAINMENT = 0.75
CONTAINED_WEIGHT = 0.8


@cache
def stopwords() -> frozenset[str]:
    """The stop words of every language, folded."""
    return frozenset(fold_word(w) for lexicon in lexicons().values() for w in lexicon.stopwords)


@lru_cache(maxsize=65536)
def word_key(word: str, languages: frozenset[str]) -> str:
    """The key of a folded word among texts in these languages: its shortest stem in them."""
    stems = [key for language in languages for key in term_key(language, word) if key[0] != "="]
    return min((stem for _kind, stem in stems), key=lambda s: (len(s), s), default=word)


def _key(word: Word, languages: frozenset[str]) -> str:
    return word_key(word.corrected or word.folded, languages)


@lru_cache(maxsize=4096)
def _meaningful_words(text: str) -> tuple[tuple[str, str], ...]:
    reading = read(text)
    skip = stopwords()
    words: dict[str, str] = {}
    for word in reading.words:
        if word.folded not in skip:
            words.setdefault(_key(word, reading.languages), word.surface)
    return tuple(words.items())


def meaningful_words(text: str) -> dict[str, str]:
    """The words of a text by key, stop words left out, each with its first spelling."""
    # Cached: a record's words never change, and each is compared again as others arrive.
    return dict(_meaningful_words(text))


def word_similarity(a: dict[str, str], b: dict[str, str]) -> float:
    """Jaccard similarity of two word sets; a short text wholly inside a long one counts too."""
    if not a or not b:
        return 0.0
    shared = len(a.keys() & b.keys())
    jaccard = shared / len(a.keys() | b.keys())
    smaller = min(len(a), len(b))
    # "oil leak press 4" inside a longer account of the same leak; three words are too few.
    contained = shared / smaller if smaller >= MIN_CONTAINED else 0.0
    return max(jaccard, CONTAINED_WEIGHT * contained) if contained >= CONTAINMENT else jaccard
