"""Triage measured on the development set: categories and serious harm, in eight languages.

The figures are printed at the end of the run; the gates fail below the goals.
"""

from collections import Counter
from functools import cache

import pytest

from server.language import meaning
from server.triage import classifier, rules
from tests.triage.devset import LANGUAGES
from tests.triage.devset.reports_east import REPORTS as EAST
from tests.triage.devset.reports_west import REPORTS as WEST
from tests.triage.helpers import MEASURES

REPORTS = WEST + EAST
MIN_CATEGORY_ACCURACY = 0.90
# Serious injuries and dangerous occurrences: every one flagged, at most one false alarm in 300.
FALSE_ALARMS_PER_REPORT = 1 / 300


@cache
def _classified() -> list[classifier.Classification]:
    vectors = meaning.embed([report.text for report in REPORTS])
    return [
        classifier.classify(rules.read_report(report.text), vector, None)
        for report, vector in zip(REPORTS, vectors, strict=True)
    ]


def test_the_set_is_large_and_speaks_eight_languages():
    languages = Counter(report.language for report in REPORTS)
    assert len(REPORTS) >= 300
    assert set(languages) == set(LANGUAGES)
    assert min(languages.values()) >= 40
    assert len({report.category for report in REPORTS}) == len(rules.CATEGORY_LABELS) - 1
    assert sum(report.reportable for report in REPORTS) >= 40


def test_category_top_1_accuracy(record_property):
    right, by_language = Counter(), Counter()
    misses = []
    for report, found in zip(REPORTS, _classified(), strict=True):
        by_language[report.language] += 1
        if found.category == report.category:
            right[report.language] += 1
        else:
            misses.append(f"{report.language} {report.text!r}: {found.category}")
    accuracy = sum(right.values()) / len(REPORTS)
    per_language = ", ".join(f"{code} {right[code]}/{by_language[code]}" for code in LANGUAGES)
    MEASURES["category top-1, development set"] = (
        f"{sum(right.values())}/{len(REPORTS)} = {accuracy:.1%} ({per_language})"
    )
    record_property("category_accuracy", round(accuracy, 3))
    assert accuracy >= MIN_CATEGORY_ACCURACY, "\n".join(misses)


def test_wrong_categories_mostly_ask_an_officer_to_check(record_property):
    checked = [found.check for found in _classified()]
    wrong_unchecked = sum(
        not found.check and found.category != report.category
        for report, found in zip(REPORTS, _classified(), strict=True)
    )
    MEASURES["category: asked to check, wrong and not asked"] = (
        f"{sum(checked)}/{len(REPORTS)} asked, {wrong_unchecked} wrong and not asked"
    )
    for found in _classified():
        assert any("low confidence" in reason for reason in found.reasons) == found.check
    assert wrong_unchecked <= len(REPORTS) * 0.05


def test_serious_injury_recall_and_false_alarms(record_property):
    missed, alarms = [], []
    for report in REPORTS:
        flagged, reasons = rules.reportable(report.kind, rules.read_report(report.text))
        if report.reportable and not flagged:
            missed.append(f"{report.language} {report.text!r}")
        if flagged and not report.reportable:
            alarms.append(f"{report.language} {report.text!r}: {reasons[1:]}")
    serious = sum(report.reportable for report in REPORTS)
    MEASURES["serious harm flagged (recall), development set"] = (
        f"{serious - len(missed)}/{serious}; false alarms {len(alarms)}/{len(REPORTS) - serious}"
    )
    assert not missed, "\n".join(missed)
    assert len(alarms) <= len(REPORTS) * FALSE_ALARMS_PER_REPORT, "\n".join(alarms)


@pytest.mark.parametrize(
    "text, kind",
    [
        ("kolega spadł z rusztowania, złamał nogę, karetka", "injury"),
        ("Kollege vom Gerüst gestürzt, Bein gebrochen, Krankenwagen", "injury"),
        ("a căzut de pe schelă și și-a rupt piciorul", "injury"),
        ("caiu do andaime partiu a perna foi para o hospital", "injury"),
    ],
)
def test_a_fall_with_a_broken_leg_is_reportable_in_every_language(text, kind):
    flagged, reasons = rules.reportable(kind, rules.read_report(text))
    assert flagged, reasons
