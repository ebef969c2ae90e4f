"""Reading what people write: folding, stems per language, typos, negation, bad characters."""

import pytest

from server.language.lexicon import languages, lexicons, version
from server.language.normalize import clean, fold_word, tokens
from server.language.terms import TermIndex, affirmed, negated, read, term_key


def test_folding_keeps_every_letter_of_every_language():
    assert tokens("Ölspur an der Straße") == ["olspur", "an", "der", "strasse"]
    assert tokens("señal rota, złamał rękę") == ["senal", "rota", "zlamal", "reke"]
    assert tokens("ȘANȚ adânc ﬁnished") == ["sant", "adanc", "finished"]
    assert fold_word("Łódź") == "lodz"


def test_apostrophes_split_elisions_but_join_english_negations():
    assert tokens("l'huile didn't") == ["l", "huile", "didnt"]


@pytest.mark.parametrize(
    "text",
    ["\ud800lone surrogate", "NUL\x00inside", "bell\x07", "\ufeffbom"],
)
def test_bad_characters_are_dropped_not_fatal(text):
    reading = read(f"{text} ladder")
    assert reading.words[-1].folded == "ladder"
    assert "\x00" not in clean(text)


def test_every_language_file_has_the_same_keys_as_english():
    english = lexicons()["en"]
    assert len(languages()) >= 8
    for code, lexicon in lexicons().items():
        assert set(lexicon.categories) == set(english.categories), code
        assert set(lexicon.causes) <= set(english.causes), code
        assert set(lexicon.reportable_injuries.values()) <= set(
            english.reportable_injuries.values()
        ), code
        meanings = {o["meaning"] for o in english.occurrences}
        assert {o["meaning"] for o in lexicon.occurrences} <= meanings, code
        assert lexicon.negations, code
    assert version().startswith("en")


def _index(*terms: tuple[str, str]) -> TermIndex:
    return TermIndex((language, term, term) for language, term in terms)


def test_word_forms_match_by_the_stem_of_their_own_language():
    index = _index(("pl", "drabina"), ("de", "Gabelstapler"), ("es", "escalera"))
    found = [hit.words for hit in index.find(read("spadł z drabiny, dwa gabelstaplern").words)]
    assert found == ["drabiny", "gabelstaplern"]
    assert [h.words for h in index.find(read("se cayó de las escaleras").words)] == ["escaleras"]


def test_a_trailing_star_takes_any_ending():
    index = _index(("pl", "rusztow*"))
    assert [h.words for h in index.find(read("na rusztowaniu brak barierki").words)] == [
        "rusztowaniu"
    ]


def test_one_typo_is_read_as_the_word_meant_but_never_a_substituted_letter():
    words = read("no edge protecton on the scafold").words
    assert [(w.surface, w.corrected) for w in words if w.corrected] == [
        ("protecton", "protection"),
        ("scafold", "scaffold"),
    ]
    assert all(w.corrected is None for w in read("too much weight").words)


def test_a_small_word_of_the_texts_language_is_never_a_term_of_another():
    index = _index(("en", "die"))
    assert index.find(read("der Reiniger kam auf die Hand, Haut rot").words) == []
    assert [h.words for h in index.find(read("he could die up there").words)] == ["die"]


def test_exact_rules_read_only_the_texts_languages():
    index = _index(("es", "roto"))
    reading = read("Reiniger auf die Hand bekommen, Haut rot und brennt")
    assert index.find(reading.words) != []
    assert index.find(reading.words, reading.languages) == []


@pytest.mark.parametrize(
    "text, term",
    [
        ("nobody was hurt", "hurt"),
        ("keiner wurde verletzt", "verletzt"),
        ("nikt nie został ranny", "ranny"),
        ("nadie resultó herido", "herido"),
        ("nessuno si è fatto male", "male"),
        ("aucun blessé", "blessé"),
    ],
)
def test_negations_of_the_texts_language_take_a_term_back(text, term):
    reading = read(text)
    position = next(i for i, w in enumerate(reading.words) if w.surface == term)
    assert negated(reading, position)


def test_a_negation_stops_at_the_end_of_its_clause():
    reading = read("no guard, the operator went to hospital")
    assert not negated(reading, [w.surface for w in reading.words].index("hospital"))


def test_an_affirmation_right_after_a_thing_says_it_is_in_order():
    reading = read("guard fitted and working")
    assert affirmed(reading, 1)
    assert not affirmed(read("guard missing on the press"), 1)


def test_the_language_is_detected_among_those_read():
    assert read("wyciek oleju przy prasie numer cztery").language == "pl"
    assert read("scurgere de ulei lângă presa patru").language == "ro"
    assert read("ok").confidence == 0.0


def test_terms_of_several_words_match_in_a_row_only():
    index = _index(("en", "edge protection"))
    assert [h.words for h in index.find(read("no edge protection").words)] == ["edge protection"]
    assert index.find(read("protection at the edge").words) == []


def test_term_keys_are_per_language_stems():
    assert term_key("en", "slipped") == term_key("en", "slipping")
    assert term_key("de", "Gerüst")[0][0] == "de"


def test_a_small_word_of_the_texts_language_is_not_an_english_negation():
    reading = read("escorregou no piso molhado e partiu o braço")
    assert reading.language == "pt"
    assert not negated(reading, [w.surface for w in reading.words].index("piso"))


def test_a_negated_affirmation_affirms_nothing():
    assert not affirmed(read("guard not fitted on the press"), 1)
    reading = read("el casco no estaba puesto")
    assert not affirmed(reading, 2)
