"""The command line: creating users and seeding the demo."""

from sqlalchemy import func, select

from server.auth.models import User
from server.demo import DEMO_PASSWORD, demo_email
from server.extensions import db
from tests.factories import make_organization, make_site


def test_users_create_makes_a_user_who_can_sign_in(app, client):
    organization = make_organization("Acme")
    make_site(organization, code="NORTH")
    result = app.test_cli_runner().invoke(
        args=[
            "users",
            "create",
            "--email",
            "Ann@Acme.test",
            "--org",
            "Acme",
            "--role",
            "auditor",
            "--password",
            "long enough pw",
            "--site",
            "north",
        ]
    )
    assert result.exit_code == 0, result.output
    login = client.post(
        "/api/auth/login", json={"email": "ann@acme.test", "password": "long enough pw"}
    )
    assert login.status_code == 200
    assert login.json["role"] == "auditor"
    assert [s["code"] for s in login.json["sites"]] == ["NORTH"]


def test_users_create_refuses_bad_input(app):
    runner = app.test_cli_runner()
    short = runner.invoke(
        args=[
            "users",
            "create",
            "--email",
            "a@b.test",
            "--org",
            "Acme",
            "--role",
            "worker",
            "--password",
            "short",
        ]
    )
    assert short.exit_code != 0
    assert "password" in short.output and "at least 10 characters" in short.output
    common = runner.invoke(
        args=[
            "users",
            "create",
            "--email",
            "a@b.test",
            "--org",
            "Acme",
            "--role",
            "worker",
            "--password",
            "password123",
        ]
    )
    assert common.exit_code != 0
    assert "common" in common.output
    unknown_site = runner.invoke(
        args=[
            "users",
            "create",
            "--email",
            "a@b.test",
            "--org",
            "Acme",
            "--role",
            "worker",
            "--password",
            "long enough pw",
            "--site",
            "NOPE",
        ]
    )
    assert unknown_site.exit_code != 0
    assert "NOPE" in unknown_site.output
    assert db.session.scalar(select(func.count(User.id))) == 0


def test_seed_demo_prints_working_sign_ins_and_runs_once(app, client):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0
    assert demo_email("officer") in first.output and DEMO_PASSWORD in first.output
    second = runner.invoke(args=["seed-demo"])
    assert "already present" in second.output
    assert db.session.scalar(select(func.count(User.id))) == 4
    for role in ("worker", "auditor", "officer", "admin"):
        login = client.post(
            "/api/auth/login", json={"email": demo_email(role), "password": DEMO_PASSWORD}
        )
        assert login.json["role"] == role
        assert len(login.json["sites"]) == 2
