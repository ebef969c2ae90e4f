"""A record type's state machine allows exactly the moves it declares."""

import pytest

from server.exceptions import Conflict, InvalidTransition
from server.records.states import StateMachine

DOOR = StateMachine("door", {"open": ("closed",), "closed": ("open", "locked"), "locked": ()})


def test_declared_moves_are_allowed_and_listed():
    assert DOOR.states == ("open", "closed", "locked")
    assert DOOR.next_states("closed") == ("open", "locked")
    DOOR.check("closed", "locked")


@pytest.mark.parametrize("state, target", [("open", "locked"), ("locked", "open"), ("x", "open")])
def test_any_other_move_is_an_invalid_transition(state, target):
    with pytest.raises(InvalidTransition) as raised:
        DOOR.check(state, target)
    assert isinstance(raised.value, Conflict)
    assert raised.value.errors == {"status": [f"Not allowed from {state}."]}
    assert f"cannot become {target}" in raised.value.detail


def test_states_no_move_reaches_are_still_states():
    machine = StateMachine("report", {"received": ("closed",)}, states=("awaiting_photos",))
    assert machine.states == ("awaiting_photos", "received", "closed")
    assert machine.next_states("awaiting_photos") == ()
