"""The demo's training matrix shows each state a record can be in, and an own module."""

from server.demo import DEMO_PASSWORD, demo_email, seed_demo


def test_the_demo_matrix_shows_valid_due_expired_and_missing(app, client, auth):
    assert seed_demo()
    auth.login(demo_email("officer"), DEMO_PASSWORD)
    matrix = client.get("/api/competences/matrix").get_json()
    assert "forklift_licence" in {m["slug"] for m in matrix["modules"]}
    cells = {p["role"]: {k: c["state"] for k, c in p["cells"].items()} for p in matrix["people"]}
    assert cells["worker"]["risk_based_thinking"] == "due"
    assert cells["worker"]["forklift_licence"] == "valid"
    assert cells["officer"]["document_control"] == "expired"
    assert cells["auditor"]["internal_audit"] == "valid"
    assert cells["auditor"]["root_cause_analysis"] == "missing"
