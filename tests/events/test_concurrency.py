"""Writers at the same moment, each in its own app context and session, leave one chain: no
seq given twice, no event chained after one another writer chained after too."""

import threading

import pytest

from server.events.services import record_event, record_events
from server.events.verify import verify_chain
from server.extensions import db
from tests.events.helpers import events_of
from tests.factories import make_organization

THREADS = 8
EVENTS_EACH = 50
BATCH = 5


def write(app, organization_ids: list[int], number: int, start: threading.Barrier, errors: list):
    """Half the events one by one, half in batches, each its own transaction; alternating
    between the organizations."""
    try:
        with app.app_context():
            start.wait()
            written = 0
            while written < EVENTS_EACH:
                organization_id = organization_ids[written % len(organization_ids)]
                if written % (2 * BATCH) < BATCH:
                    record_event(organization_id, None, "note", f"t{number}", "single", n=written)
                    written += 1
                else:
                    changes = [(f"t{number}", "bulk", {"n": written + k}) for k in range(BATCH)]
                    record_events(organization_id, None, "note", changes)
                    written += BATCH
                db.session.commit()
            db.session.remove()
    except Exception as error:  # reported by the test, not lost in the thread
        errors.append(error)


def test_concurrent_writers_leave_one_unforked_chain_per_organization(app):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("concurrent writers are a PostgreSQL matter; SQLite writes one at a time")
    organization_ids = [make_organization().id, make_organization().id]
    start, errors = threading.Barrier(THREADS), []
    threads = [
        threading.Thread(target=write, args=(app, organization_ids, n, start, errors))
        for n in range(THREADS)
    ]
    for thread in threads:
        thread.start()
    # Checks while they write find nothing wrong: an event committed meanwhile is no intruder.
    checks = []
    while any(thread.is_alive() for thread in threads):
        checks += [verify_chain(organization_id).broken for organization_id in organization_ids]
        db.session.commit()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert checks and set(checks) == {None}
    total = 0
    for organization_id in organization_ids:
        events = events_of(organization_id)
        assert [event.seq for event in events] == list(range(1, len(events) + 1))
        # The head's lock orders the writers: ids (given at insert) follow the chain's order.
        assert [event.id for event in events] == sorted(event.id for event in events)
        verification = verify_chain(organization_id)
        assert verification.broken is None and verification.events == len(events)
        total += len(events)
    assert total == THREADS * EVENTS_EACH
