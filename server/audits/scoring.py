"""The audit score: earned over possible, in percent, by section and overall.

Conforming and observation earn the question's weight, a minor NC half of it, a major NC
nothing; not applicable leaves the question out. Unanswered questions count nowhere yet.
"""

import math

from server.audits.models import EARNED_SHARE


def _percent(earned: float, possible: float) -> float | None:
    # To one decimal, halves up (as people and the phone's Math.round do: 56.25 is 56.3).
    return math.floor(earned / possible * 1000 + 0.5) / 10 if possible else None


def score(sections: list, results: dict[str, str]) -> dict:
    """{overall, by_section: [{ref, title, percent, earned, possible}]} for these results,
    given by question id (as text)."""
    by_section = []
    earned_total = possible_total = 0.0
    for section in sections:
        earned = possible = 0.0
        for question in section["questions"]:
            share = EARNED_SHARE.get(results.get(str(question["id"])))
            if share is None:  # unanswered or not applicable
                continue
            weight = question.get("weight", 1)
            earned += weight * share
            possible += weight
        by_section.append(
            {
                "ref": section["ref"],
                "title": section["title"],
                "percent": _percent(earned, possible),
                "earned": earned,
                "possible": possible,
            }
        )
        earned_total += earned
        possible_total += possible
    return {"overall": _percent(earned_total, possible_total), "by_section": by_section}
