"""Which language a text is written in, among those a vocabulary file exists for."""

from functools import cache

from py3langid.langid import MODEL_FILE, LanguageIdentifier

from server.language.lexicon import COMMON_LANGUAGE, languages

# Fewer letters than this say too little about their language.
MIN_LETTERS = 8


@cache
def _identifier() -> LanguageIdentifier:
    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(languages()))
    return identifier


def detect(text: str) -> tuple[str, float]:
    """(language code, probability); the common language at 0 for a text too short to tell."""
    return rank(text)[0]


def rank(text: str) -> list[tuple[str, float]]:
    """(language code, probability), most likely first; the common language at 0 alone for a
    text too short to tell."""
    if sum(c.isalpha() for c in text) < MIN_LETTERS:
        return [(COMMON_LANGUAGE, 0.0)]
    return [(code, round(float(p), 3)) for code, p in _identifier().rank(text)]
