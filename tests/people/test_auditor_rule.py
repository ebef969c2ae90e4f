"""The auditor rule and the desk's auditor picker agree: who GET /api/competences/qualified
offers for a day is who POST /api/audit-schedules takes as auditor from that day."""

import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from server.auth.models import Membership
from server.extensions import db
from server.people.models import INTERNAL_AUDIT
from tests.audits.test_programme import make_template
from tests.people.helpers import grant

TODAY = datetime.now(UTC).date()


def offered(client, on) -> list[int]:
    answer = client.get(
        "/api/competences/qualified", query_string={"module": INTERNAL_AUDIT, "on": on.isoformat()}
    )
    assert answer.status_code == 200, answer.json
    return [person["id"] for person in answer.json]


def schedule(client, team, template, starts_on):
    return client.post(
        "/api/audit-schedules",
        json={
            "id": str(uuid.uuid4()),
            "template_id": str(template.id),
            "site_id": team.north.id,
            "auditor_id": team.auditor.id,
            "auditee_id": team.worker.id,
            "rrule": "FREQ=MONTHLY;INTERVAL=3",
            "starts_on": starts_on.isoformat(),
        },
    )


def test_an_expired_record_disqualifies_and_a_renewal_qualifies_again(team, as_):
    template = make_template(team.organization)
    start = TODAY + timedelta(days=10)
    grant(team.auditor, team.organization, TODAY - timedelta(days=700), TODAY + timedelta(days=5))
    officer = as_(team.officer)
    assert team.auditor.id not in offered(officer, start)
    refused = schedule(officer, team, template, start)
    assert refused.status_code == 422
    assert list(refused.json["errors"]) == ["auditor_id"]

    grant(team.auditor, team.organization, TODAY, TODAY + timedelta(days=730))
    assert team.auditor.id in offered(officer, start)
    assert schedule(officer, team, template, start).status_code == 201, "renewed: qualified"


def test_an_ended_membership_disqualifies(team, as_):
    template = make_template(team.organization)
    grant(team.auditor, team.organization, TODAY - timedelta(days=10), None)
    officer = as_(team.officer)
    assert team.auditor.id in offered(officer, TODAY)
    membership = db.session.scalar(select(Membership).where(Membership.user_id == team.auditor.id))
    membership.active = False
    db.session.commit()
    assert team.auditor.id not in offered(officer, TODAY)
    assert schedule(officer, team, template, TODAY).status_code == 422
