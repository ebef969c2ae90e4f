"""The cues and the text mining behind generated causes, in every language read."""

import time

import pytest

from server.ishikawa import mining
from server.ishikawa.cues import BY_KEY, CATEGORIES, CUES, KIND_LABELS
from server.language.lexicon import lexicons
from server.reports.models import KINDS


def keys(text: str) -> list[str]:
    return [cue.key for cue in mining.find_cues(text)]


def in_languages(cases: dict[str, tuple]) -> list:
    """One case per language, named by its code."""
    # English may stand beside every other language in the test itself.
    assert set(cases) | {"en"} == set(lexicons()), "a case for every vocabulary file"
    return [pytest.param(*case, id=code) for code, case in cases.items()]


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("The lad was not trained on it", "People"),
        ("A new starter on nights", "People"),
        ("Operator fatigue at end of shift", "People"),
        ("Guard left open", "Machines"),
        ("Forklift speeding in aisle 2", "Machines"),
        ("Pump seal weeping", "Machines"),
        ("Belt worn through", "Machines"),
        ("Procedure skipped", "Methods"),
        ("Work started without a permit", "Methods"),
        ("There was no risk assessment", "Methods"),
        ("Oil on the floor", "Materials"),
        ("Chemical drums open", "Materials"),
        ("Broken pallet in racking lane", "Materials"),
        ("Packaging blocking the exit", "Materials"),
        ("Pressure gauge cracked", "Measurement"),
        ("Calibration sticker expired", "Measurement"),
        ("No reading taken at 10:00", "Measurement"),
        ("Level sensor stuck", "Measurement"),
        ("Wet floor by the sinks", "Environment"),
        ("Lighting out on stairs", "Environment"),
        ("Heavy rain all morning", "Environment"),
        ("Ice on the car park", "Environment"),
        ("Noise over 85 dB", "Environment"),
        ("Heat in the boiler house", "Environment"),
    ],
)
def test_cue_words_point_at_their_category(text, category):
    assert category in {cue.category for cue in mining.find_cues(text)}


def test_the_cues_are_consistent_and_every_vocabulary_names_only_them():
    assert len(BY_KEY) == len(CUES)
    assert {cue.category for cue in CUES} == set(CATEGORIES)
    assert all(len(cue.cause.split()) >= 3 for cue in CUES), "causes are statements, not words"
    assert set(KIND_LABELS) == set(KINDS)
    for code, lexicon in lexicons().items():
        assert set(lexicon.causes) <= set(BY_KEY), f"{code}.toml names unknown cues"
    assert all(cue.phrases.get("en") for cue in CUES), "every cue has English phrases"


def test_matching_takes_whole_words_forms_and_the_longest_phrase():
    assert keys("Hot work near the fork-lift") == ["permit", "forklift"]
    assert keys("GUARDS missing, slipped twice") == ["guard", "wet-floor"]
    assert keys("Notify the office: service the voice unit") == []
    assert keys("Diesel ran into the storm drain") == ["oil"]


# A missing guard in each language, and the guard in place.
GUARDS = {
    "en": ("No guard on the saw.", "Guard fitted on the saw."),
    "de": ("Keine Schutzeinrichtung an der Säge.", "Die Schutzeinrichtung ist montiert."),
    "fr": ("La scie tournait sans carter.", "Le carter est en place."),
    "es": ("La sierra estaba sin resguardo.", "El resguardo está colocado."),
    "pt": ("A serra estava sem proteção na máquina.", "A proteção da máquina está instalada."),
    "it": ("La sega era senza carter.", "Il carter è montato."),
    "pl": ("Brak osłony na pile.", "Osłona piły jest zamontowana."),
    "ro": ("Fierăstrăul lucra fără apărătoare.", "Apărătoarea este montată."),
}


@pytest.mark.parametrize(("missing", "in_place"), in_languages(GUARDS))
def test_a_missing_guard_is_a_cause_and_a_guard_in_place_is_not(missing, in_place):
    assert "guard" in keys(missing)
    assert "guard" not in keys(in_place)


# Something damaged, and said not to be.
DAMAGE = {
    "en": ("The belt was damaged.", "The belt was not damaged."),
    "de": ("Der Riemen war beschädigt.", "Der Riemen war nicht beschädigt."),
    "fr": ("La courroie était endommagée.", "La courroie n'était pas endommagée."),
    "es": ("La pieza estaba dañada.", "La pieza no estaba dañada."),
    "pt": ("A correia estava danificada.", "A correia não estava danificada."),
    "it": ("La cinghia era danneggiata.", "La cinghia non era danneggiata."),
    "pl": ("Pas był uszkodzony.", "Pas nie był uszkodzony."),
    "ro": ("Cureaua este deteriorată.", "Cureaua nu este deteriorată."),
}


@pytest.mark.parametrize(("said", "taken_back"), in_languages(DAMAGE))
def test_a_negation_before_a_cue_takes_it_back(said, taken_back):
    assert "worn" in keys(said)
    assert "worn" not in keys(taken_back)


def test_how_negations_and_affirmations_reach():
    # An affirmation that is itself denied says the guard is not in place.
    assert "guard" in keys("Guard not fitted on the saw")
    # A negation before a safeguard says it is missing, whatever follows.
    assert "guard" in keys("Saw run with no guard fitted")
    # A negation inside a phrase that says no belongs to that phrase, not to what follows.
    assert keys("Apprentice not trained on the press") == [
        "new-starter",
        "training",
        "moving-plant",
    ]
    # A negation reaches the things listed after it, within its clause only.
    assert keys("No oil or grease on the floor") == []
    assert keys("No oil on the floor, but the pump is leaking") == ["pump", "spill"]
    # Fatigue said and taken back in Polish, English words read in the same report.
    assert "fatigue" in keys("Operator wózka był zmęczony po nocce")
    assert "fatigue" not in keys("Pracownik nie był zmęczony, forklift OK")
    # The word saying a thing is in order names no cause of its own.
    assert "pump" not in keys("Guard fitted")


def test_the_effect_names_kind_site_and_what_was_seen():
    long = "Oil leak under press 4 " + "and more words " * 20 + ". Second sentence."
    effect = mining.effect_statement("near_miss", "North Plant", long)
    assert effect.startswith("Near miss at North Plant: Oil leak under press 4 and more")
    assert effect.endswith("…") and "Second" not in effect
    assert len(effect) <= len("Near miss at North Plant: ") + mining.EFFECT_SUMMARY
    short = mining.effect_statement("hazard", "Yard", "Ice on the ramp.\nSecond line")
    assert short == "Hazard at Yard: Ice on the ramp"


def test_recurrence_keeps_a_few_causes_per_category_and_every_link():
    rows = [(f"r{n}", "Guard off, oil, ice, noise, heat, rain, dark, wet") for n in range(30)]
    own = mining.report_causes("me", "Guard off")
    recurring = mining.add_recurrence(own, rows)
    assert own[0]["count"] == 31
    assert own[0]["report_ids"][:2] == ["me", "r0"]
    assert len(own[0]["report_ids"]) == 31
    environment = [c for c in recurring if c["category"] == "Environment"]
    assert len(environment) == mining.RELATED_PER_CATEGORY
    assert all(c["count"] == 30 and c["source"] == "related" for c in recurring)


# Oil on the floor, and a guard that is missing, as reported in each language.
OIL_AND_GUARD = {
    "de": ("Öl auf dem Boden neben der Presse.", "Keine Schutzeinrichtung an der Säge."),
    "fr": ("De l'huile au sol près de la presse.", "La scie tournait sans carter."),
    "es": ("Aceite en el suelo junto a la prensa.", "La sierra estaba sin resguardo."),
    "pt": ("Óleo no chão perto da prensa.", "A serra estava sem proteção na máquina."),
    "it": ("Olio sul pavimento vicino alla pressa.", "La sega era senza carter."),
    "pl": ("Olej na podłodze przy prasie.", "Brak osłony na pile."),
    "ro": ("Ulei pe podea lângă presă.", "Fierăstrăul lucra fără apărătoare."),
}


@pytest.mark.parametrize(("oil", "guard"), in_languages(OIL_AND_GUARD))
def test_a_cause_recurs_whatever_language_each_report_is_written_in(oil, guard):
    rows = [
        ("en-oil", "Oil leaking on the floor again"),
        ("other-oil", oil),
        ("en-guard", "No guard on the saw"),
        ("other-guard", guard),
        ("in-place", "Guard fitted and checked"),
    ]
    own = mining.report_causes("me", "Guard missing on the bandsaw")
    recurring = {c["id"]: c for c in mining.add_recurrence(own, rows)}
    guard_cause = next(c for c in own if c["id"] == "report-guard")
    assert guard_cause["report_ids"] == ["me", "en-guard", "other-guard"]
    assert recurring["related-oil"]["report_ids"] == ["en-oil", "other-oil"]


def test_mining_a_thousand_reports_is_fast():
    rows = [
        (str(n), f"Forklift {n} reversed near pedestrians, wet floor and poor lighting in bay {n}")
        for n in range(1000)
    ]
    mining.add_recurrence([], rows[:1])  # the vocabulary is indexed once per process
    started = time.perf_counter()
    mining.add_recurrence([], rows)
    # Each report is read in every language it may be in: about 0.3 s, with room for a busy host.
    assert time.perf_counter() - started < 1.0
