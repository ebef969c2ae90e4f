"""The triage rules on their own: categories measured on an English labelled set, harm, priority."""

from datetime import UTC, datetime

import pytest

from server.language import meaning
from server.language.terms import term_key
from server.triage import classifier, rules
from tests.triage.dataset import DEV, HELD_OUT
from tests.triage.helpers import MEASURES

# Reports the vocabulary was never tuned on must still be classified this well.
MIN_ACCURACY = 0.85


def _accuracy(cases) -> tuple[float, list[str]]:
    misses = []
    vectors = meaning.embed([case.description for case in cases])
    for case, vector in zip(cases, vectors, strict=True):
        found = classifier.classify(rules.read_report(case.description), vector, None)
        if found.category != case.category:
            misses.append(f"{case.description!r}: {found.category}, expected {case.category}")
    return 1 - len(misses) / len(cases), misses


@pytest.mark.parametrize("name, cases", [("dev", DEV), ("held-out", HELD_OUT)])
def test_category_accuracy(name, cases, record_property):
    accuracy, misses = _accuracy(cases)
    right = len(cases) - len(misses)
    MEASURES[f"category accuracy, English {name} set"] = f"{right}/{len(cases)} = {accuracy:.1%}"
    record_property(f"accuracy_{name}", round(accuracy, 3))
    assert accuracy >= MIN_ACCURACY, "\n".join(misses)


def test_the_dataset_is_broad():
    cases = DEV + HELD_OUT
    assert len(cases) >= 60
    assert len({c.category for c in cases}) >= 15
    assert len({c.kind for c in cases}) == 6
    assert sum(c.reportable is not None for c in cases) >= 10


def test_reportable_flags(record_property):
    flagged = [c for c in DEV + HELD_OUT if c.reportable is not None]
    wrong = [
        c.description
        for c in flagged
        if rules.reportable(c.kind, rules.read_report(c.description))[0] != c.reportable
    ]
    right = len(flagged) - len(wrong)
    MEASURES["reportable flags, English set"] = f"{right}/{len(flagged)} right"
    record_property("reportable_right", right)
    assert len(wrong) <= len(flagged) // 10, wrong


@pytest.mark.parametrize(
    "words",
    [
        "slip slipped slipping",
        "ladder ladders",
        "cable cables",
        "fire fires fired",
        "injury injuries",
        "isolate isolating isolation",
    ],
)
def test_stemming_joins_word_forms(words):
    assert len({term_key("en", word) for word in words.split()}) == 1


def test_stemming_keeps_apart_words_that_differ():
    assert term_key("en", "lads") != term_key("en", "ladder")


def test_typos_are_read_as_vocabulary_words():
    category, reasons = rules.classify(rules.read_report("no edge protecton on the scafold"))
    assert category == "work_at_height"
    assert "read as a typo" in reasons[0]
    assert rules.classify(rules.read_report("too much weight"))[0] != "work_at_height"


def test_nothing_matched_is_uncategorised_with_a_reason():
    category, reasons = rules.classify(rules.read_report("Visitor badge printer out of toner"))
    assert category == "uncategorised"
    assert reasons == ["no word from the hazard vocabulary was found"]


def test_matched_terms_and_the_runner_up_are_the_reasons():
    category, reasons = rules.classify(rules.read_report("diesel spill running into the drain"))
    assert category == "environmental_release"
    assert "'diesel spill'" in reasons[0] and "'drain'" in reasons[0]


def test_a_report_far_from_every_example_and_word_is_uncategorised_and_checked():
    text = "Visitor badge printer out of toner"
    found = classifier.classify(rules.read_report(text), meaning.embed([text])[0], None)
    assert found.check
    assert any("low confidence" in reason or "no example" in reason for reason in found.reasons)


def test_the_reasons_name_the_words_the_nearest_examples_and_the_language():
    text = "wyciek oleju pod prasą numer 4, ślisko na posadzce"
    found = classifier.classify(rules.read_report(text), meaning.embed([text])[0], None)
    joined = " ".join(found.reasons)
    assert "nearest examples:" in joined
    assert "written in Polish" in joined
    assert found.language == "pl"


def test_severity_defaults_come_from_harm_then_category_then_kind():
    words = rules.read_report("fractured ankle after slipping on ice")
    assert rules.severity(None, "injury", words, "slips_trips_falls") == (
        4,
        ["none reported; 'fractured' suggests severity 4"],
    )
    assert rules.severity(2, "injury", words, "slips_trips_falls")[0] == 2
    plain = rules.read_report("scaffold tie missing")
    value, reasons = rules.severity(None, "hazard", plain, "work_at_height")
    assert value == 4 and "work at height" in reasons[0]
    nothing = rules.read_report("something odd")
    assert rules.severity(None, "hazard", nothing, "uncategorised")[0] == 3
    assert rules.severity(None, "good_practice", nothing, "ppe")[0] == 1


def test_likelihood_defaults_from_wording_then_kind():
    assert rules.likelihood(None, "near_miss", rules.read_report("forklift near miss")) == (
        3,
        ["none reported; 3, the default for a near miss"],
    )
    value, reasons = rules.likelihood(None, "hazard", rules.read_report("oil on floor again"))
    assert value == 4 and "'again'" in reasons[0]
    assert rules.likelihood(2, "hazard", rules.read_report(""))[0] == 2


@pytest.mark.parametrize(
    "kind, text, expected",
    [
        ("injury", "broke his arm falling off the trailer", True),
        ("injury", "was knocked out by the swinging door", True),
        ("injury", "no one went to hospital, just a bruise", False),
        ("injury", "broken glass cut his hand", False),
        ("injury", "broke a fingernail", False),
        ("near_miss", "nearly lost a finger in the rollers", False),
        ("near_miss", "scaffold collapsed overnight, nobody on it", True),
        ("hazard", "this could kill someone or put them in hospital", False),
    ],
)
def test_reportable_words(kind, text, expected):
    value, reasons = rules.reportable(kind, rules.read_report(text))
    assert value is expected, reasons


def test_priority_from_band_raised_for_injuries_and_reportable_events():
    assert rules.priority("medium", "hazard", False) == ("P3", ["medium risk gives P3"])
    value, reasons = rules.priority("medium", "injury", False)
    assert value == "P2" and "someone was hurt" in reasons[1]
    value, reasons = rules.priority("low", "near_miss", True)
    assert value == "P1" and "potentially reportable" in reasons[1]
    assert rules.priority("critical", "injury", True) == ("P1", ["critical risk gives P1"])


def test_due_date_from_the_sla():
    received = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
    due, reasons = rules.due_at(received, "P3", rules.DEFAULT_SLA_HOURS, "the default SLA")
    assert due == datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
    assert reasons == ["P3: 7 days from receipt under the default SLA"]
