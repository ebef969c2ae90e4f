"""The demo's controlled documents: the worker has the policy and the lockout procedure to read,
and the spill procedure waits for someone other than its author to approve it."""

from server.demo import DEMO_PASSWORD, demo_email, seed_demo


def test_the_demo_worker_has_documents_to_read_and_a_draft_waits(app, client, auth):
    assert seed_demo()
    auth.login(demo_email("worker"), DEMO_PASSWORD)
    to_read = client.get("/api/documents", query_string={"to_acknowledge": "me"}).get_json()
    assert sorted(d["code"] for d in to_read) == ["POL-001", "SOP-014"]
    [policy] = [d for d in to_read if d["code"] == "POL-001"]
    with client.get(f"/api/documents/{policy['id']}/file") as served:
        assert served.data.startswith(b"%PDF-")

    auth.login(demo_email("officer"), DEMO_PASSWORD)
    [draft] = [d for d in client.get("/api/documents").get_json() if d["status"] == "draft"]
    assert draft["code"] == "SOP-021"
    revision = client.get(f"/api/documents/{draft['id']}").get_json()["revisions"][-1]
    approve = f"/api/documents/{draft['id']}/revisions/{revision['id']}/approve"
    assert client.post(approve, json={}).status_code == 409
    auth.login(demo_email("admin"), DEMO_PASSWORD)
    assert client.post(approve, json={}).status_code == 200
