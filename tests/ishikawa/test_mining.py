"""The cue vocabulary and the text mining behind generated causes."""

import time

import pytest

from server.ishikawa import mining
from server.ishikawa.cues import CATEGORIES, CUES, DEFAULT_CATEGORY, KIND_LABELS
from server.reports.models import KINDS


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


def test_the_vocabulary_is_consistent():
    keys = [cue.key for cue in CUES]
    assert len(keys) == len(set(keys))
    phrases = [phrase for cue in CUES for phrase in cue.phrases]
    assert len(phrases) == len(set(phrases))
    assert {cue.category for cue in CUES} == set(CATEGORIES)
    assert all(len(cue.cause.split()) >= 3 for cue in CUES), "causes are statements, not words"
    assert set(KIND_LABELS) == set(KINDS)


def test_matching_takes_whole_words_forms_and_the_longest_phrase():
    assert [c.key for c in mining.find_cues("Hot work near the fork-lift")] == [
        "permit",
        "forklift",
    ]
    assert [c.key for c in mining.find_cues("GUARDS missing, slipped twice")] == [
        "guard",
        "wet-floor",
    ]
    assert mining.find_cues("Notice: service the voice unit") == []
    assert mining.find_cues("Diesel ran into the storm drain") == [
        next(c for c in CUES if c.key == "oil")
    ]


def test_a_text_is_classified_by_its_strongest_category():
    assert mining.classify("Tired and rushed, not trained, near the guard") == "People"
    assert mining.classify("Guard missing, then oil") == "Machines"
    assert mining.classify("Oil, then guard missing") == "Materials"
    assert mining.classify("Because nobody asked") == DEFAULT_CATEGORY


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


def test_mining_a_thousand_reports_is_fast():
    rows = [
        (str(n), f"Forklift {n} reversed near pedestrians, wet floor and poor lighting in bay {n}")
        for n in range(1000)
    ]
    started = time.perf_counter()
    mining.add_recurrence([], rows)
    assert time.perf_counter() - started < 0.5
