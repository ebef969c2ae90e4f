"""The heat map: the 5 x 5 matrix with the active entries counted per cell, inherent beside
residual, for the desk's sites."""

import pytest
from sqlalchemy import event

from server.extensions import db
from tests.risks.conftest import make_risk

# (site, kind, inherent, residual) of the entries the tests make at North and South.
ENTRIES = [
    ("north", "risk", (5, 5), (2, 3)),
    ("north", "risk", (5, 5), (2, 3)),
    ("north", "risk", (4, 3), (1, 1)),
    ("north", "opportunity", (2, 2), (4, 4)),
    ("south", "risk", (5, 5), (5, 1)),
    ("south", "risk", (1, 2), (1, 2)),
]


def _matrix(cells) -> list[list[int]]:
    """A 5 x 5 count matrix from (severity, likelihood) cells."""
    matrix = [[0] * 5 for _ in range(5)]
    for severity, likelihood in cells:
        matrix[severity - 1][likelihood - 1] += 1
    return matrix


def _expected(entries) -> dict:
    return {
        "inherent": _matrix(e[2] for e in entries),
        "residual": _matrix(e[3] for e in entries),
        "total": len(entries),
    }


@pytest.fixture
def entries(plant):
    for site, kind, inherent, residual in ENTRIES:
        make_risk(
            getattr(plant, site),
            plant.officer,
            kind=kind,
            severity=inherent[0],
            likelihood=inherent[1],
            residual_severity=residual[0],
            residual_likelihood=residual[1],
        )
    # Neither an archived entry nor another organization's counts.
    make_risk(plant.north, plant.officer, status="archived", severity=3, likelihood=3)
    make_risk(plant.other_site, plant.other_officer, severity=3, likelihood=3)
    return ENTRIES


def test_counts_per_cell_inherent_beside_residual(register, plant, entries):
    response = register.as_(plant.officer).get("/api/risks/heatmap")
    assert response.status_code == 200
    assert response.json == _expected(entries)
    assert response.json["inherent"][4][4] == 3 and response.json["residual"][1][2] == 2


def test_the_heat_map_filters_by_site_and_kind(register, plant, entries):
    register.as_(plant.officer)
    south = register.get("/api/risks/heatmap", site_id=plant.south.id).json
    assert south == _expected([e for e in entries if e[0] == "south"])
    risks = register.get("/api/risks/heatmap", kind="risk").json
    assert risks == _expected([e for e in entries if e[1] == "risk"])
    archived = register.get("/api/risks/heatmap", status="archived").json
    assert archived["total"] == 1 and archived["inherent"][2][2] == 1


def test_a_site_officer_counts_only_their_sites(register, plant, entries):
    north = register.as_(plant.north_officer).get("/api/risks/heatmap").json
    assert north == _expected([e for e in entries if e[0] == "north"])
    other = register.as_(plant.north_officer).get("/api/risks/heatmap", site_id=plant.south.id)
    assert other.json["total"] == 0
    assert register.as_(plant.other_officer).get("/api/risks/heatmap").json["total"] == 1


def test_an_empty_register_has_an_empty_matrix(register, plant):
    heat = register.as_(plant.admin).get("/api/risks/heatmap").json
    assert heat == {"inherent": [[0] * 5] * 5, "residual": [[0] * 5] * 5, "total": 0}


def test_the_heat_map_is_one_grouped_query_each(app, register, plant, entries):
    register.as_(plant.officer)
    statements = []

    def count(_conn, _cursor, statement, *_args):
        if "FROM risk" in statement:
            statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        assert register.get("/api/risks/heatmap").status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert len(statements) == 2 and all("GROUP BY" in s for s in statements)


def test_the_heat_map_is_for_the_desk(register, plant, entries):
    for person in (plant.worker, plant.auditor):
        assert register.as_(person).get("/api/risks/heatmap").status_code == 403


@pytest.mark.parametrize(
    "params", [{"site_id": "north"}, {"site_id": 2**40}, {"kind": "threat"}, {"status": "x"}]
)
def test_bad_filters_are_field_errors(register, plant, params):
    response = register.as_(plant.officer).get("/api/risks/heatmap", **params)
    assert response.status_code == 422 and set(params) <= set(response.json["errors"])
