"""Explicit state machines: each record type declares its states and the moves between them."""

from dataclasses import dataclass, field

from server.exceptions import InvalidTransition


@dataclass(frozen=True)
class StateMachine:
    """The states of one record type and, for each, the states it may move to."""

    record: str
    moves: dict[str, tuple[str, ...]]
    # States a record may be in that no move leads into or out of by hand (set by the system).
    states: tuple[str, ...] = field(default=())

    def __post_init__(self):
        known = dict.fromkeys(self.states or ())
        for source, targets in self.moves.items():
            known.setdefault(source)
            for target in targets:
                known.setdefault(target)
        object.__setattr__(self, "states", tuple(known))

    def next_states(self, state: str) -> tuple[str, ...]:
        """The states a record in this state may move to."""
        return self.moves.get(state, ())

    def may_move(self, state: str, target: str) -> bool:
        return target in self.next_states(state)

    def check(self, state: str, target: str) -> None:
        """Raise InvalidTransition unless a record in state may move to target."""
        if not self.may_move(state, target):
            allowed = ", ".join(self.next_states(state)) or "none"
            raise InvalidTransition(
                f"A {self.record} that is {state.replace('_', ' ')} cannot become "
                f"{target.replace('_', ' ')} (it may become: {allowed}).",
                errors={"status": [f"Not allowed from {state}."]},
            )
