"""An admin's people API: the list and its filters, inviting, changing and deactivating people."""

import pytest

from server.auth.models import Membership, User
from server.extensions import db
from tests.auth.helpers import counted_queries, plant, signed_in, token_of, user_events
from tests.factories import PASSWORD, make_user


@pytest.fixture
def people(app):
    return plant()


def invite(client, **body):
    body = {"email": "new.person@example.test", "name": "Nia Okafor", "role": "worker", **body}
    return client.post("/api/users", json=body)


def test_the_list_filters_by_text_role_status_and_site(app, people):
    admin = signed_in(app, people["admin"])
    invited = invite(admin, email="zed@example.test", name="Zed Invitee").json
    gone = make_user(people["organization"], email="gone@example.test")
    admin.patch(f"/api/users/{gone.id}", json={"active": False})
    ids = lambda answer: [p["id"] for p in answer.json]  # noqa: E731
    everyone = admin.get("/api/users")
    assert set(ids(everyone)) == {people[k].id for k in ("admin", "officer", "worker", "auditor")}
    assert everyone.headers["X-Total-Count"] == "4"
    assert ids(admin.get("/api/users?status=invited")) == [invited["id"]]
    assert ids(admin.get("/api/users?status=deactivated")) == [gone.id]
    assert admin.get("/api/users?status=all").headers["X-Total-Count"] == "6"
    assert ids(admin.get("/api/users?role=auditor")) == [people["auditor"].id]
    assert ids(admin.get("/api/users?q=ZED&status=all")) == [invited["id"]]
    assert ids(admin.get("/api/users?q=gone@&status=all")) == [gone.id]
    assert ids(admin.get("/api/users?q=%25")) == [], "a % in the search is a plain character"
    on_south = set(ids(admin.get(f"/api/users?site_id={people['south'].id}")))
    # The officer works on north only; the others on every site or on south.
    assert on_south == {people[k].id for k in ("admin", "worker", "auditor")}


def test_the_list_pages_with_a_total_and_a_constant_number_of_queries(app, people):
    organization = people["organization"]
    for number in range(30):
        make_user(organization, sites=[people["north"]], email=f"p{number:02}@crew.test")
    admin = signed_in(app, people["admin"])
    counts = {}
    for page, per_page in ((1, 5), (2, 25), (1, 50)):
        with counted_queries() as statements:
            answer = admin.get(f"/api/users?page={page}&per_page={per_page}&q=crew.test")
        assert answer.status_code == 200
        assert answer.headers["X-Total-Count"] == "30"
        counts[(page, per_page)] = len(statements)
    assert len(admin.get("/api/users?page=2&per_page=25&q=crew.test").json) == 5
    assert len(set(counts.values())) == 1, counts
    page_one = admin.get("/api/users?page=1&per_page=5&q=crew.test").json
    assert [p["email"] for p in page_one] == [f"p{n:02}@crew.test" for n in range(5)]


@pytest.mark.parametrize(
    "query",
    ["page=0", "per_page=201", "status=gone", "site_id=9223372036854775808", "q=%00", "role=x"],
)
def test_bad_list_queries_are_field_errors(app, people, query):
    answer = signed_in(app, people["admin"]).get(f"/api/users?{query}")
    assert answer.status_code == 422
    assert answer.json["errors"]


def test_one_person_and_who_may_ask(app, people):
    officer = signed_in(app, people["officer"])
    worker = people["worker"]
    answer = officer.get(f"/api/users/{worker.id}")
    assert answer.status_code == 200
    assert answer.json["site_ids"] == [people["south"].id]
    assert answer.json["status"] == "active"
    assert officer.get(f"/api/users/{people['other_admin'].id}").status_code == 404
    assert officer.post("/api/users", json={"email": "a@b.test", "name": "A", "role": "worker"}
                        ).status_code == 403  # fmt: skip
    for role in ("worker", "auditor"):
        client = signed_in(app, people[role])
        assert client.get("/api/users").status_code == 403
        assert client.patch(f"/api/users/{worker.id}", json={"role": "admin"}).status_code == 403
        assert client.post(f"/api/users/{worker.id}/password-reset").status_code == 403
    admin = signed_in(app, people["admin"])
    other = people["other_admin"].id
    assert admin.patch(f"/api/users/{other}", json={"active": False}).status_code == 404
    assert admin.post(f"/api/users/{other}/invitation").status_code == 404
    assert admin.post(f"/api/users/{other}/password-reset").status_code == 404


def test_an_invitation_answers_the_person_and_their_link(app, people):
    admin = signed_in(app, people["admin"])
    answer = invite(admin, email="New.Person@Example.test", site_ids=[people["north"].id])
    assert answer.status_code == 201
    body = answer.json
    assert body["email"] == "new.person@example.test"
    assert body["status"] == "invited"
    assert body["site_ids"] == [people["north"].id]
    assert body["mail_sent"] is False and body["existing_account"] is False
    assert body["invitation_url"].startswith("http://localhost/#/invitation?token=")
    assert len(token_of(body["invitation_url"])) >= 43
    assert user_events(body["id"]) == [
        ("invited", {"role": "worker", "site_ids": [people["north"].id], "existing_account": False})
    ]
    again = invite(admin, email="new.person@example.test")
    assert again.status_code == 409
    assert "already a member" in again.json["detail"]


def test_links_begin_with_the_public_url_when_set(make_app):
    app = make_app(PUBLIC_URL="https://safety.plant.example/")
    with app.app_context():
        people = plant()
        answer = invite(signed_in(app, people["admin"]))
    assert answer.json["invitation_url"].startswith(
        "https://safety.plant.example/#/invitation?token="
    )


def test_someone_with_an_account_elsewhere_joins_with_their_password(app, people):
    elsewhere = people["other_admin"]
    admin = signed_in(app, people["admin"])
    answer = invite(admin, email=elsewhere.email, name="Another Name", role="officer")
    assert answer.status_code == 201
    assert answer.json["existing_account"] is True
    assert answer.json["status"] == "active"
    assert answer.json["name"] == elsewhere.name, "their name is theirs, not the inviter's"
    db.session.expire_all()
    assert db.session.get(User, elsewhere.id).check_password(PASSWORD)
    assert {m.organization_id for m in db.session.get(User, elsewhere.id).memberships} == {
        people["organization"].id,
        people["other"].id,
    }


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("email", "not an email"),
        ("email", "a\x00b@example.test"),
        ("name", ""),
        ("name", "Nia \ud800"),
        ("name", "Nia\x00"),
        ("role", "boss"),
        ("site_ids", [2**63]),
        ("site_ids", ["1"]),
        ("site_ids", "north"),
    ],
)
def test_bad_invitations_are_field_errors(app, people, field, value):
    answer = invite(signed_in(app, people["admin"]), **{field: value})
    assert answer.status_code == 422
    assert field in answer.json["errors"]


def test_a_site_of_another_organization_is_refused(app, people):
    answer = invite(signed_in(app, people["admin"]), site_ids=[people["other_site"].id])
    assert answer.status_code == 422
    assert answer.json["errors"]["site_ids"] == [
        f"No site of your organization: {people['other_site'].id}."
    ]


def test_a_deactivated_persons_live_session_ends_at_once(app, people):
    worker = people["worker"]
    phone = signed_in(app, worker)
    assert phone.get("/api/auth/me").status_code == 200
    admin = signed_in(app, people["admin"])
    answer = admin.patch(f"/api/users/{worker.id}", json={"active": False})
    assert answer.status_code == 200
    assert answer.json["status"] == "deactivated"
    assert phone.get("/api/auth/me").status_code == 401
    again = app.test_client().post(
        "/api/auth/login", json={"email": worker.email, "password": PASSWORD}
    )
    assert again.status_code == 401
    assert "not an active member" in again.json["detail"]
    assert worker.id not in [p["id"] for p in admin.get("/api/users").json]

    assert admin.patch(f"/api/users/{worker.id}", json={"active": True}).json["status"] == "active"
    assert signed_in(app, worker).get("/api/auth/me").status_code == 200
    assert [action for action, _ in user_events(worker.id)] == ["deactivated", "reactivated"]


def test_a_membership_ended_in_one_organization_leaves_the_other(app, people):
    both = people["other_admin"]
    db.session.add(Membership(user=both, organization=people["organization"], role="worker"))
    db.session.commit()
    other_admin = signed_in(app, both)
    # The second admin lets the first be deactivated in the other organization.
    make_user(people["other"], role="admin")
    other_admin.patch(f"/api/users/{both.id}", json={"active": False})
    me = signed_in(app, both).get("/api/auth/me").json
    assert me["organization"]["id"] == people["organization"].id
    assert me["role"] == "worker"


def test_role_sites_and_name_changes_are_logged(app, people):
    worker = people["worker"]
    admin = signed_in(app, people["admin"])
    answer = admin.patch(
        f"/api/users/{worker.id}",
        json={"role": "officer", "site_ids": [], "name": "Wanda Worker"},
    )
    assert answer.status_code == 200
    assert (answer.json["role"], answer.json["site_ids"], answer.json["name"]) == (
        "officer",
        None,
        "Wanda Worker",
    )
    assert user_events(worker.id) == [
        ("renamed", {"name": "Wanda Worker"}),
        ("role_changed", {"from": "worker", "to": "officer"}),
        ("sites_changed", {"from": [people["south"].id], "to": None}),
    ]
    unchanged = admin.patch(f"/api/users/{worker.id}", json={"role": "officer"})
    assert unchanged.status_code == 200
    assert len(user_events(worker.id)) == 3, "no change, no event"


@pytest.mark.parametrize(
    "body", [{"active": "no"}, {"role": "boss"}, {"name": "\ud83d"}, {"site_ids": [2**63]}]
)
def test_bad_changes_are_field_errors(app, people, body):
    answer = signed_in(app, people["admin"]).patch(f"/api/users/{people['worker'].id}", json=body)
    assert answer.status_code == 422
    assert set(answer.json["errors"]) == set(body)


def test_the_last_active_admin_stays(app, people):
    me = people["admin"]
    admin = signed_in(app, me)
    for change in ({"active": False}, {"role": "officer"}):
        answer = admin.patch(f"/api/users/{me.id}", json=change)
        assert answer.status_code == 409
        assert "last active admin" in answer.json["detail"]
    # An invited admin who has not chosen a password yet cannot sign in: they do not count.
    invite(admin, role="admin")
    assert admin.patch(f"/api/users/{me.id}", json={"role": "officer"}).status_code == 409
    second = make_user(people["organization"], role="admin")
    assert admin.patch(f"/api/users/{me.id}", json={"role": "officer"}).status_code == 200
    assert invite(admin, email="late@example.test").status_code == 403, "an officer now"
    second_admin = signed_in(app, second)
    assert second_admin.patch(f"/api/users/{second.id}", json={"active": False}).status_code == 409


def test_a_membership_ended_without_its_sessions_still_signs_nobody_in(app, people):
    worker = people["worker"]
    phone = signed_in(app, worker)
    membership = db.session.scalar(db.select(Membership).where(Membership.user_id == worker.id))
    membership.active = False
    db.session.commit()
    answer = phone.get("/api/auth/me")
    assert answer.status_code == 401
    assert answer.json["detail"] == "Your membership has ended; sign in again."
