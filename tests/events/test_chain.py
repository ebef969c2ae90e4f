"""The event log is a hash chain per organization: normal use keeps it whole, and an edit or a
removal behind the app's back is named by `flask events verify`, which exits 1."""

import hashlib
import json
import subprocess

import pytest

from server.events.chain import GENESIS, canonical_line, chain_hash
from server.events.models import EventChain
from server.events.verify import verify_chain
from server.extensions import db
from tests.events.helpers import (
    ODD_DATA,
    events_of,
    make_plant,
    raw,
    use_the_app,
    verify_as_process,
    verify_in_process,
)


@pytest.fixture
def plant(app):
    return make_plant()


@pytest.fixture
def used(client, auth, plant):
    """The plant after a sync in bulk, a status change and a few odd events; its events."""
    use_the_app(client, auth, plant)
    return events_of(plant.organization_id)


def test_normal_use_makes_one_chain_from_seq_1(plant, used):
    assert [event.seq for event in used] == list(range(1, len(used) + 1))
    assert len(used) == 3 + 1 + 3
    assert used[0].prev_hash == GENESIS
    for before, event in zip(used, used[1:], strict=False):
        assert event.prev_hash == before.hash
    for event in used:
        assert event.hash == chain_hash(canonical_line(event))
    head = db.session.get(EventChain, plant.organization_id)
    assert (head.last_seq, head.last_hash) == (len(used), used[-1].hash)
    verification = verify_chain(plant.organization_id)
    assert verification.broken is None
    assert (verification.events, verification.verified_up_to) == (len(used), used[-1].created_at)


def test_the_hashed_values_are_the_ones_read_back(plant, used):
    odd = used[-1]
    assert odd.data == ODD_DATA
    line = canonical_line(odd)
    assert line.isascii() and "\n" not in line
    assert f'"{odd.created_at.strftime("%Y-%m-%dT%H:%M:%S.%f")}Z"' in line
    assert '"unsorted":{"10":3,"9":4,"a":2,"b":1}' in line
    assert '"score":0.30000000000000004' in line and f'"big":{2**63 + 5}' in line


def test_the_recipe_for_auditors_holds_with_sha256sum(used, tmp_path):
    """ARCHITECTURE.md's recipe: each line's sha256sum is its hash; each line starts with the
    hash of the line before."""
    lines = tmp_path / "lines.txt"
    lines.write_text("".join(canonical_line(event) + "\n" for event in used), encoding="ascii")
    shell = """while IFS= read -r line; do printf '%s' "$line" | sha256sum; done < lines.txt"""
    out = subprocess.run(["bash", "-c", shell], cwd=tmp_path, capture_output=True, check=True)
    assert [row.split()[0] for row in out.stdout.decode().splitlines()] == [e.hash for e in used]
    previous = GENESIS
    for line in lines.read_text().splitlines():
        assert json.loads(line)[0] == previous
        previous = hashlib.sha256(line.encode()).hexdigest()


def test_an_intact_log_verifies_with_exit_0(app, plant, used):
    result = verify_in_process(app)
    assert result.exit_code == 0, result.output
    assert f"Organization {plant.organization_id}: {len(used)} event(s) verified" in result.output
    assert "chain intact" in result.output
    process = verify_as_process(app, "--organization", str(plant.organization_id))
    assert process.returncode == 0, process.stderr
    assert "chain intact" in process.stdout


def rehashed(event, **changes) -> str:
    """The hash a forger would give an event after changing it (they know the recipe)."""
    fields = ("prev_hash", "seq", "organization_id", "actor_id", "entity_type", "entity_id")
    values = {name: getattr(event, name) for name in (*fields, "action", "data", "created_at")}
    return chain_hash(canonical_line(values | changes))


def broken_line(plant, seq: int, event_id, problem: str) -> str:
    event = f"event {event_id}" if event_id is not None else "no event"
    return f"Organization {plant.organization_id}: BROKEN at seq {seq} ({event}): {problem}"


def assert_named(app, plant, seq: int, event_id, problem: str) -> None:
    """Both ways of running the command exit 1 naming the record and what is wrong."""
    expected = broken_line(plant, seq, event_id, problem)
    result = verify_in_process(app)
    assert result.exit_code == 1, result.output
    assert expected in result.output
    process = verify_as_process(app)
    assert process.returncode == 1, process.stdout + process.stderr
    assert expected in process.stdout
    assert "1 of" in process.stderr and "broken" in process.stderr


def test_an_edited_event_is_named(app, plant, used):
    target = used[3]
    raw(
        "UPDATE event SET data = :data WHERE id = :id",
        data='{"kind": "good_practice"}',
        id=target.id,
    )
    assert_named(app, plant, target.seq, target.id, "hash does not match its content")
    verification = verify_chain(plant.organization_id)
    assert (verification.events, verification.verified_up_to) == (3, used[2].created_at)


def test_an_edit_whose_hash_was_recomputed_is_named_at_the_next_event(app, plant, used):
    target, after = used[2], used[3]
    forged = target.data | {"kind": "good_practice"}
    raw(
        "UPDATE event SET data = :data, hash = :hash WHERE id = :id",
        data=json.dumps(forged),
        hash=rehashed(target, data=forged),
        id=target.id,
    )
    problem = f"its prev_hash is not the hash of seq {target.seq} (altered or replaced)"
    assert_named(app, plant, after.seq, after.id, problem)


def test_a_removed_event_in_the_middle_is_named(app, plant, used):
    gone, after = used[2], used[3]
    assert raw("DELETE FROM event WHERE id = :id", id=gone.id) == 1
    assert_named(app, plant, after.seq, after.id, f"previous event missing (seq {gone.seq})")


def test_removed_newest_events_are_named(app, plant, used):
    assert raw("DELETE FROM event WHERE id IN (:a, :b)", a=used[-1].id, b=used[-2].id) == 2
    last_kept = used[-3].seq
    assert_named(app, plant, last_kept + 1, None, f"newest events missing after seq {last_kept}")


def test_a_rewritten_newest_event_is_named_by_the_head(app, plant, used):
    newest = used[-1]
    new_hash = rehashed(newest, action="erased")
    raw("UPDATE event SET action = 'erased', hash = :h WHERE id = :id", h=new_hash, id=newest.id)
    assert_named(
        app, plant, newest.seq, newest.id, "the newest event does not match the chain head"
    )


def test_an_event_slipped_in_after_the_newest_is_named(app, plant, used):
    newest = used[-1]
    raw(
        "INSERT INTO event (organization_id, entity_type, entity_id, action, data, created_at,"
        " seq, prev_hash, hash) SELECT organization_id, entity_type, entity_id, 'forged', data,"
        " created_at, seq + 1, hash, hash FROM event WHERE id = :id",
        id=newest.id,
    )
    [forged] = [event for event in events_of(plant.organization_id) if event.action == "forged"]
    problem = "inserted after the newest event of the chain head"
    assert_named(app, plant, newest.seq + 1, forged.id, problem)


def test_a_new_event_after_a_verified_log_keeps_the_chain(app, client, auth, plant, used):
    use_the_app(client, auth, plant, reports=2)
    assert verify_in_process(app).exit_code == 0
    assert [event.seq for event in events_of(plant.organization_id)][-1] == len(used) + 6


def test_an_unknown_organization_is_refused(app, plant):
    result = verify_in_process(app, "--organization", str(plant.organization_id + 1000))
    assert result.exit_code != 0 and "No organization with id" in result.output


def test_a_removed_chain_head_is_named(app, client, auth, plant, used):
    raw("DELETE FROM event_chain WHERE organization_id = :org", org=plant.organization_id)
    assert_named(app, plant, 1, used[0].id, "the chain head is missing")
    auth.login(plant.officer)
    assert client.get("/api/events/verification").json["broken"] == {
        "seq": 1,
        "event_id": None,
        "problem": "the chain head is missing",
    }
