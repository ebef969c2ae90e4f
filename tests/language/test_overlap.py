"""Words two texts share, whatever languages they are written in, and how alike that makes them."""

import pytest

from server.language.lexicon import lexicons
from server.language.overlap import meaningful_words, word_similarity


def test_word_forms_meet_and_each_keeps_its_first_spelling():
    words = meaningful_words("Oil leaking from press 4 again, the press is slippery")
    assert words == {
        "oil": "oil",
        "leak": "leaking",
        "press": "press",
        "4": "4",
        "slipperi": "slippery",
    }
    assert meaningful_words("Oil leaks at press 4").keys() <= words.keys()


def test_stop_words_of_every_language_are_left_out():
    stop = [sorted(lexicon.stopwords)[:3] for lexicon in lexicons().values()]
    assert meaningful_words(" ".join(word for words in stop for word in words)) == {}
    mixed = meaningful_words("the ladder, die Leiter, la escalera")
    assert list(mixed.values()) == ["ladder", "leiter", "escalera"]


def test_a_typo_counts_as_the_word_it_was_read_as():
    assert meaningful_words("Slipery floor") == {"slipperi": "slipery", "floor": "floor"}
    assert meaningful_words("Slippery floor").keys() == {"slipperi", "floor"}


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Der Boden war rutschig, die Leiter beschädigt.", "Die Leitern auf rutschigem Boden."),
        (
            "El suelo estaba resbaladizo junto a la prensa.",
            "La rampa resbaladiza junto a las prensas.",
        ),
        ("Il pavimento era bagnato vicino alle presse.", "Pavimenti bagnati vicino alla pressa."),
    ],
)
def test_a_languages_word_forms_meet_in_texts_of_that_language(one, other):
    shared = meaningful_words(one).keys() & meaningful_words(other).keys()
    assert len(shared) >= 2, shared


def test_the_same_word_has_the_same_key_in_texts_of_different_languages():
    english = meaningful_words("Forklift reversing into the hall")
    german = meaningful_words("Der Forklift fuhr rückwärts in die Halle.")
    assert english.keys() & german.keys() == {"forklift", "hall"}


def test_similarity_is_jaccard_or_a_short_text_inside_a_long_one():
    a = dict.fromkeys(["oil", "leak", "press", "4"], "")
    assert word_similarity(a, a) == 1.0
    assert word_similarity(a, {}) == 0.0
    # Half the words in common: 2 of 6 in the union.
    assert word_similarity(a, dict.fromkeys(["oil", "leak", "floor", "wet"], "")) == 2 / 6
    # Four words wholly inside ten count at 0.8, more than their Jaccard 0.4.
    longer = {**a, **dict.fromkeys(["floor", "wet", "again", "bay", "shift", "night"], "")}
    assert word_similarity(a, longer) == pytest.approx(0.8)
    # Three words are too few to be "inside" another text.
    three = dict.fromkeys(["oil", "leak", "press"], "")
    assert word_similarity(three, longer) == pytest.approx(0.3)
