"""Helpers for analysis tests: URLs, edits, and finding causes in a response."""


def analysis_url(report, suffix: str = "") -> str:
    """The analysis URL of a report, or of its diagram with a suffix."""
    return f"/api/reports/{report.id}/analysis{suffix}"


def causes_by_id(analysis: dict) -> dict[str, dict]:
    """Every cause of an analysis response, by id."""
    return {c["id"]: c for category in analysis["categories"] for c in category["causes"]}


def category_of(analysis: dict, cause_id: str) -> str:
    """The category a cause is shown under."""
    return causes_by_id(analysis)[cause_id]["category"]


def edit(client, report, version: int, *operations: dict):
    """PATCH the analysis with operations, as the officer's screen does."""
    body = {"version": version, "operations": list(operations)}
    return client.patch(analysis_url(report), json=body)
