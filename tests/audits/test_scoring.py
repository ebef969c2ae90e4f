"""The scoring rule: conforming and observation earn the weight, minor NC half, major NC
nothing, N/A leaves the question out; by section and overall, in percent."""

import pytest

from server.audits.scoring import score

SECTIONS = [
    {
        "ref": "4",
        "title": "Context",
        "questions": [{"id": "a", "weight": 1}, {"id": "b", "weight": 3}],
    },
    {
        "ref": "7",
        "title": "Support",
        "questions": [{"id": "c", "weight": 2}, {"id": "d", "weight": 1}],
    },
]


def test_weights_and_results_earn_their_share():
    result = score(
        SECTIONS, {"a": "conforming", "b": "minor_nc", "c": "major_nc", "d": "observation"}
    )
    context, support = result["by_section"]
    assert (context["earned"], context["possible"], context["percent"]) == (2.5, 4, 62.5)
    assert (support["earned"], support["possible"]) == (1, 3)
    assert support["percent"] == pytest.approx(33.3)
    assert result["overall"] == pytest.approx(3.5 / 7 * 100, abs=0.05)


def test_not_applicable_leaves_the_question_out():
    result = score(
        SECTIONS,
        {"a": "conforming", "b": "not_applicable", "c": "conforming", "d": "not_applicable"},
    )
    assert [s["possible"] for s in result["by_section"]] == [1, 2]
    assert result["overall"] == 100.0


def test_a_section_with_nothing_applicable_has_no_percent():
    result = score(SECTIONS, {"a": "not_applicable", "b": "not_applicable", "c": "major_nc"})
    assert result["by_section"][0]["percent"] is None
    assert result["by_section"][1]["percent"] == 0.0
    assert result["overall"] == 0.0


def test_nothing_answered_scores_nothing():
    assert score(SECTIONS, {})["overall"] is None


def test_the_score_follows_the_answers_given_through_the_api(plant, phone):
    auditor = phone(plant.auditor)
    audit = auditor.start(plant.template, plant.north)
    auditor.answer_all(audit, {"4.2": "minor_nc", "7.2": "not_applicable", "9.1": "observation"})
    got = auditor.get(audit)["score"]
    # 4: 1 + 1.5 of 4; 7: 2 of 2 (7.2 out); 9: 1 of 1 -> 5.5 of 7.
    assert [s["percent"] for s in got["by_section"]] == [62.5, 100.0, 100.0]
    assert got["overall"] == pytest.approx(78.6)
