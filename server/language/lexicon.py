"""The vocabulary files, one per language (lexicons/<language>.toml), loaded once."""

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

# Snowball's name for each language a vocabulary file is written in.
STEMMERS = {
    "en": "english",
    "de": "german",
    "fr": "french",
    "es": "spanish",
    "pt": "portuguese",
    "it": "italian",
    "pl": "polish",
    "ro": "romanian",
    "nl": "dutch",
}
# The language of the crews' lingua franca: its words are read in every report.
COMMON_LANGUAGE = "en"


@dataclass(frozen=True)
class Lexicon:
    """One language's words for everything triage and the analyses look for."""

    language: str
    name: str
    version: int
    negations: frozenset[str]
    affirmations: tuple[str, ...]
    stopwords: frozenset[str]
    clause_breaks: frozenset[str]
    # category slug -> {"strong": [...], "good": [...], "hint": [...]}
    categories: dict[str, dict[str, list[str]]]
    severity: dict[str, int]
    likelihood: dict[str, int]
    reportable_injuries: dict[str, str]
    dangerous_occurrences: dict[str, str]
    body_parts: tuple[str, ...]
    break_words: tuple[str, ...]
    body_asides: tuple[str, ...]
    # Finger, thumb, toe: their fractures are not specified injuries.
    minor_parts: tuple[str, ...]
    # {"words": [...], "days": [...], "weeks": [...], "months": [...], "numbers": {word: n}}
    time_off: dict
    # [{"meaning": ..., "things": [...], "events": [...]}]: dangerous occurrences in two parts
    occurrences: tuple[dict, ...]
    # Ishikawa cue key -> phrases
    causes: dict[str, list[str]]
    not_causes: tuple[str, ...]


def _lexicon(data: dict) -> Lexicon:
    # The language's small words are written under [meta], with its name.
    meta, fractures = data["meta"], data.get("fractures", {})
    return Lexicon(
        language=meta["language"],
        name=meta["name"],
        version=int(meta["version"]),
        negations=frozenset(meta.get("negations", ())),
        affirmations=tuple(meta.get("affirmations", ())),
        stopwords=frozenset(meta.get("stopwords", ())),
        clause_breaks=frozenset(meta.get("clause_breaks", ())),
        categories=data.get("categories", {}),
        severity=data.get("severity", {}),
        likelihood=data.get("likelihood", {}),
        reportable_injuries=data.get("reportable_injuries", {}),
        dangerous_occurrences=data.get("dangerous_occurrences", {}),
        body_parts=tuple(fractures.get("body_parts", ())),
        break_words=tuple(fractures.get("break_words", ())),
        body_asides=tuple(fractures.get("asides", ())),
        minor_parts=tuple(data.get("minor_parts", {}).get("words", ())),
        time_off=data.get("time_off", {}),
        occurrences=tuple(data.get("occurrences", ())),
        causes=data.get("causes", {}),
        not_causes=tuple(data.get("not_causes", {}).get("phrases", ())),
    )


@cache
def lexicons() -> dict[str, Lexicon]:
    """Every vocabulary file, by language code, English first."""
    files = resources.files("server.language") / "lexicons"
    found = {}
    for entry in sorted(files.iterdir(), key=lambda e: (e.name != "en.toml", e.name)):
        if entry.name.endswith(".toml"):
            lexicon = _lexicon(tomllib.loads(entry.read_text(encoding="utf-8")))
            if lexicon.language not in STEMMERS:
                raise ValueError(f"{entry.name}: no stemmer for language {lexicon.language!r}")
            found[lexicon.language] = lexicon
    return found


def languages() -> tuple[str, ...]:
    """The codes of the languages read, English first."""
    return tuple(lexicons())


def version() -> str:
    """Which vocabulary a result was read with: "en2 de1 fr1 ..."."""
    return " ".join(f"{code}{lexicon.version}" for code, lexicon in lexicons().items())


def language_name(code: str | None) -> str | None:
    """The English name of a language read ("Polish"), or None."""
    lexicon = lexicons().get(code) if code else None
    return lexicon.name if lexicon else None
