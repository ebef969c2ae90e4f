"""Text as it is compared: Unicode-normalised, case- and accent-folded, split into words."""

import re
import unicodedata
from functools import lru_cache

# Letters without a combining accent to strip, folded as people type them without.
_LETTERS = str.maketrans({"ł": "l", "ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "đ": "d", "ı": "i"})
# "didn't" -> "didnt"; every other apostrophe separates words ("l'huile" -> "l", "huile").
_NT = re.compile(r"n['\u2019]t\b")
# Words of letters (with "&" inside, as "a&e"), or numbers; letters and digits split ("ffp3").
_WORD = re.compile(r"[^\W\d_]+(?:&[^\W\d_]+)*|\d+")


def clean(text: str) -> str:
    """text without lone surrogates and control characters (newlines and tabs kept)."""
    text = text.encode("utf-8", "replace").decode("utf-8")
    return "".join(c for c in text if c in "\n\t" or unicodedata.category(c)[0] != "C")


def words_of(text: str) -> list[str]:
    """The words and numbers of text as written (NFKC, casefolded, accents kept)."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return _WORD.findall(_NT.sub("nt", text))


@lru_cache(maxsize=65536)
def fold_word(word: str) -> str:
    """A word without case or accents: "Ölspur" -> "olspur", "złamał" -> "zlamal"."""
    decomposed = unicodedata.normalize("NFD", word.casefold().translate(_LETTERS))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def tokens(text: str) -> list[str]:
    """The folded words and numbers of text."""
    return [fold_word(word) for word in words_of(text)]
