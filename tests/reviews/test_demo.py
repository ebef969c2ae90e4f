"""The demo's objectives and held review: a new review of this quarter shows the previous
quarter's review and its two actions, one done and one open."""

from datetime import date, timedelta

from sqlalchemy import select

from server.auth.models import User
from server.demo import DEMO_PASSWORD, demo_email, seed_demo
from server.extensions import db
from server.reviews.models import Review
from server.reviews.periods import quarter_of
from tests.reviews.conftest import Desk


def test_the_demo_has_objectives_and_last_quarter_s_review_held(app, client, auth):
    assert seed_demo()
    [held] = db.session.scalars(select(Review)).all()
    last_quarter = quarter_of(quarter_of(date.today()).start - timedelta(days=1))
    assert (held.status, held.period_start, held.period_end) == (
        "held",
        last_quarter.start,
        last_quarter.end,
    )
    assert len(held.attendees) == 3 and len(held.decisions) == 2
    officer = db.session.scalar(select(User).where(User.email == demo_email("officer")))
    desk = Desk(client, auth)
    desk.auth.login(officer.email, DEMO_PASSWORD)
    this_quarter = quarter_of(date.today())
    view = desk.new_review(
        period_start=this_quarter.start.isoformat(), period_end=this_quarter.end.isoformat()
    )
    assert view["previous_review"]["id"] == str(held.id)
    statuses = sorted(a["status"] for a in view["inputs"]["previous_actions"])
    assert statuses == ["done", "open"]
    objectives = {o["measure"]: o for o in view["inputs"]["objectives"]}
    assert set(objectives) == {"injury_rate", "actions_on_time", "sites_audited"}
    # Hours are entered for every month so far: the injury rate has a value (0 injuries).
    assert objectives["injury_rate"]["value"] == 0.0
    assert objectives["injury_rate"]["previous_value"] == 0.0
    # The officer's is open; the worker's is done.
    mine = desk.get("/api/actions", owner="me", status="open").json["items"]
    assert [a["review"]["title"] for a in mine] == [held.title]
    worker = db.session.scalar(select(User).where(User.email == demo_email("worker")))
    desk.auth.logout()
    desk.auth.login(worker.email, DEMO_PASSWORD)
    done = desk.get("/api/actions", owner="me", status="done").json["items"]
    assert [a["review"]["title"] for a in done] == [held.title]
