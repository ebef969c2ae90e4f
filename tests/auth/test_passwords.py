"""New passwords: at least 10 characters and not a commonly used one, wherever one is set."""

import pytest
from sqlalchemy import func, select

from server.auth.models import User
from server.auth.passwords import password_problem, personal_words
from server.auth.services import create_user
from server.demo import DEMO_PASSWORD
from server.exceptions import InvalidInput
from server.extensions import db
from tests.factories import PASSWORD

COMMON = ["password123", "qwertyuiop", "1234567890", "P@ssw0rd123", "iloveyou12", "aaaaaaaaaaaa"]


@pytest.mark.parametrize("password", COMMON)
def test_common_passwords_are_refused_however_long(password):
    assert len(password) >= 10
    assert "less common password" in password_problem(password)


def test_short_passwords_are_refused():
    assert password_problem("Zq8#vL1!m") == "Use at least 10 characters."


def test_a_password_made_of_ones_own_email_is_refused():
    words = personal_words("ann.lee@acme.test", "Ann Lee")
    assert password_problem("ann.lee@acme.test", words) is not None
    assert password_problem("amber kettle on the gantry", words) is None


@pytest.mark.parametrize("password", [PASSWORD, DEMO_PASSWORD, "long enough pw"])
def test_the_passwords_the_project_itself_uses_pass(password):
    assert password_problem(password) is None


def test_a_long_passphrase_is_judged_without_error():
    phrase = "the gantry sling is frayed, the hook latch is gone, and the night shift saw it twice"
    assert len(phrase) > 72
    assert password_problem(phrase) is None
    assert password_problem("x" * 2000) == "Use at most 1024 characters."


def test_create_user_refuses_a_common_password(app):
    with pytest.raises(InvalidInput) as refused:
        create_user("ann@acme.test", "Ann", "password123", "Acme", "worker")
    assert list(refused.value.errors) == ["password"]
    assert db.session.scalar(select(func.count(User.id))) == 0
