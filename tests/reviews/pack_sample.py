"""A whole GET /api/reviews/{id} body as docs/reviews.md shapes it, for drawing the pack and its
charts without a database: two sites (one with letters outside Western European), a quarter
beside the one before, every input filled in, and a held variant."""

import copy

REVIEW_ID = "6d3c5a7e-2f1b-4c8e-9a1d-0b7e3f5c2a11"


def _incidents(injury, near_miss, hazard, environmental, good_practice, audit_evidence=0):
    counts = {
        "injury": injury,
        "near_miss": near_miss,
        "hazard": hazard,
        "environmental_incident": environmental,
        "audit_evidence": audit_evidence,
        "good_practice": good_practice,
    }
    return {**counts, "total": sum(counts.values())}


def sample_view() -> dict:
    """A draft review of 2026 Q3 for two sites, with the previous quarter beside it."""
    owner = {"id": 3, "name": "Zofia Łukasiewicz"}
    other = {"id": 4, "name": "Dara Ó Briain"}
    return {
        "id": REVIEW_ID,
        "title": "Management review 2026 Q3",
        "status": "draft",
        "organization": {"id": 1, "name": "Nordwerk Fertigung GmbH"},
        "period_start": "2026-07-01",
        "period_end": "2026-09-30",
        "comparison": {"period_start": "2026-04-01", "period_end": "2026-06-30"},
        "sites": [{"id": 1, "name": "Plant North"}, {"id": 2, "name": "Závod Plzeň–Škoda"}],
        "previous_review": {
            "id": "0b2f0d7c-1a55-4a8f-8f0e-3c2b1a9d8e77",
            "title": "Management review 2026 Q2",
            "held_on": "2026-07-10",
        },
        "inputs": {
            "previous_actions": [
                {
                    "id": "a1",
                    "title": "Fit a barrier between the walkway and the forklift route in hall 2",
                    "owner": owner,
                    "due_on": "2026-08-01",
                    "status": "done",
                    "done_at": "2026-07-28T10:12:00+00:00",
                    "on_time": True,
                },
                {
                    "id": "a2",
                    "title": "Retrain night shift on lock-out tag-out",
                    "owner": other,
                    "due_on": "2026-08-15",
                    "status": "done",
                    "done_at": "2026-08-20T08:00:00+00:00",
                    "on_time": False,
                },
                {
                    "id": "a3",
                    "title": "Replace the spill kit at the diesel store",
                    "owner": owner,
                    "due_on": "2026-09-30",
                    "status": "open",
                    "done_at": None,
                    "on_time": None,
                },
            ],
            "changes": {
                "risks_added": 4,
                "risks_raised": 1,
                "template_versions": [{"name": "ISO 45001:2018 plant audit", "version": 2}],
                "entries": [
                    {
                        "risk_id": "r1",
                        "number": "R-012",
                        "hazard": "Forklift and pedestrians share the aisle",
                        "change": "added",
                    },
                    {
                        "risk_id": "r2",
                        "number": "R-013",
                        "hazard": "Oil on the floor at press 4",
                        "change": "added",
                    },
                    {
                        "risk_id": "r3",
                        "number": "R-007",
                        "hazard": "Diesel storage without bund",
                        "change": "band_up",
                    },
                ],
            },
            "objectives": [
                {
                    "id": "o1",
                    "title": "Actions closed on time",
                    "measure": "actions_on_time",
                    "target": 90.0,
                    "direction": "at_least",
                    "unit": "%",
                    "value": 80.0,
                    "previous_value": 100.0,
                    "met": False,
                    "site": None,
                },
                {
                    "id": "o2",
                    "title": "Lost-time injuries per 200,000 hours",
                    "measure": "injury_rate",
                    "target": 1.0,
                    "direction": "at_most",
                    "unit": "per 200,000 h",
                    "value": 0.8,
                    "previous_value": 1.3,
                    "met": True,
                    "site": None,
                },
                {
                    "id": "o3",
                    "title": "Every site audited each quarter",
                    "measure": "sites_audited",
                    "target": 100.0,
                    "direction": "at_least",
                    "unit": "%",
                    "value": 50.0,
                    "previous_value": 100.0,
                    "met": False,
                    "site": {"id": 2, "name": "Závod Plzeň–Škoda"},
                },
                {
                    "id": "o4",
                    "title": "Waste to landfill",
                    "measure": "manual",
                    "target": 12.0,
                    "direction": "at_most",
                    "unit": "t",
                    "value": None,
                    "previous_value": None,
                    "met": None,
                    "site": None,
                },
            ],
            "performance": {
                "incidents": {
                    "current": _incidents(2, 9, 30, 1, 5),
                    "previous": _incidents(3, 7, 25, 0, 2),
                    "by_month": [
                        {
                            "month": "2026-07",
                            "injury": 1,
                            "near_miss": 3,
                            "environmental_incident": 0,
                        },
                        {
                            "month": "2026-08",
                            "injury": 0,
                            "near_miss": 4,
                            "environmental_incident": 1,
                        },
                        {
                            "month": "2026-09",
                            "injury": 1,
                            "near_miss": 2,
                            "environmental_incident": 0,
                        },
                    ],
                    "serious": 1,
                },
                "nonconformities": {
                    "current": {
                        "raised": 6,
                        "major": 2,
                        "minor": 4,
                        "closed": 3,
                        "open_at_end": 5,
                        "by_source": {"audit": 3, "report": 3},
                    },
                    "previous": {
                        "raised": 4,
                        "major": 1,
                        "minor": 3,
                        "closed": 4,
                        "open_at_end": 2,
                        "by_source": {"audit": 1, "report": 2, "complaint": 1},
                    },
                },
                "actions": {
                    "current": {
                        "due": 10,
                        "done_on_time": 8,
                        "on_time_rate": 80.0,
                        "overdue_at_end": 2,
                    },
                    "previous": {
                        "due": 5,
                        "done_on_time": 5,
                        "on_time_rate": 100.0,
                        "overdue_at_end": 0,
                    },
                    "effective_first_time": {
                        "current": {"checked": 4, "effective_first": 3, "rate": 75.0},
                        "previous": {"checked": 0, "effective_first": 0, "rate": None},
                    },
                },
                "monitoring": {
                    "heat_map": {
                        "cells": [
                            {"severity": 5, "likelihood": 3, "count": 2},
                            {"severity": 4, "likelihood": 2, "count": 3},
                            {"severity": 3, "likelihood": 3, "count": 3},
                            {"severity": 2, "likelihood": 2, "count": 2},
                            {"severity": 1, "likelihood": 4, "count": 1},
                            {"severity": 2, "likelihood": 1, "count": 1},
                        ],
                        "total": 12,
                    },
                    "bands": {"high": 2, "medium": 6, "low": 4},
                    "review_due": 3,
                },
                "audits": {
                    "current": {"submitted": 4, "planned": 5, "overdue": 1, "average_score": 88.5},
                    "previous": {"submitted": 3, "planned": 3, "overdue": 0, "average_score": 84.0},
                    "by_site": [
                        {
                            "site_id": 1,
                            "name": "Plant North",
                            "submitted": 3,
                            "average_score": 91.2,
                        },
                        {
                            "site_id": 2,
                            "name": "Závod Plzeň–Škoda",
                            "submitted": 1,
                            "average_score": 80.4,
                        },
                    ],
                    "by_clause": [
                        {"clause": "8.1.2", "minor_nc": 1, "major_nc": 0, "observation": 2},
                        {"clause": "7.2", "minor_nc": 2, "major_nc": 1, "observation": 0},
                    ],
                },
                "participation": {
                    "current": {
                        "reports": 47,
                        "reporters": 12,
                        "people": 20,
                        "reports_per_person": 2.35,
                        "good_practice": 5,
                    },
                    "previous": {
                        "reports": 37,
                        "reporters": 10,
                        "people": 20,
                        "reports_per_person": 1.85,
                        "good_practice": 2,
                    },
                },
            },
            "resources": {"competences": {"valid": 10, "expiring_within_90_days": 2, "expired": 1}},
            "communications": {"reminders_sent": 14, "reports_closed_with_note": 20},
            "improvement_opportunities": [
                {
                    "risk_id": "p1",
                    "number": "O-003",
                    "activity": "Loading bay",
                    "hazard": "Automatic dock levellers would end manual ramp handling",
                    "residual_band": "medium",
                },
                {
                    "risk_id": "p2",
                    "number": "O-004",
                    "activity": "Paint shop",
                    "hazard": "Water-based paint removes solvent exposure",
                    "residual_band": "low",
                },
            ],
        },
        "outputs": {
            "attendees": [
                "Ingrid Bergström (plant manager)",
                "Zofia Łukasiewicz (HSE officer)",
                "Dara Ó Briain",
            ],
            "decisions": [
                {"text": "Fund a second forklift route in hall 2 before the winter shutdown."},
                {"text": "Audit Závod Plzeň–Škoda every quarter from now on."},
            ],
            "notes": "Budget for the forklift route agreed in principle; finance to confirm.",
            "actions": [
                {
                    "id": "b1",
                    "title": "Quote for the second forklift route",
                    "owner": other,
                    "due_on": "2026-11-15",
                    "status": "open",
                    "site_id": 1,
                },
                {
                    "id": "b2",
                    "title": "Plan the quarterly audits of Závod Plzeň–Škoda",
                    "owner": owner,
                    "due_on": "2026-10-31",
                    "status": "open",
                    "site_id": 2,
                },
            ],
        },
        "held_on": None,
    }


def held_view() -> dict:
    """The same review, held on 2026-10-08."""
    view = copy.deepcopy(sample_view())
    view["status"] = "held"
    view["held_on"] = "2026-10-08"
    return view
