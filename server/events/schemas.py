"""Event log output."""

import marshmallow as ma


class EventOut(ma.Schema):
    id = ma.fields.Integer()
    action = ma.fields.String()
    actor = ma.fields.Method("actor_view", allow_none=True)
    data = ma.fields.Dict()
    created_at = ma.fields.AwareDateTime()

    def actor_view(self, event) -> dict | None:
        """Who did it; none for the system's own jobs."""
        actor = event.actor
        return {"id": actor.id, "name": actor.name} if actor else None


class ChainBreakOut(ma.Schema):
    seq = ma.fields.Integer(metadata={"description": "The first event of the chain that fails"})
    event_id = ma.fields.Integer(
        allow_none=True, metadata={"description": "Its id; null when it is gone"}
    )
    problem = ma.fields.String(metadata={"description": "What is wrong with it, in words"})


class ChainVerificationOut(ma.Schema):
    verified_up_to = ma.fields.AwareDateTime(
        allow_none=True, metadata={"description": "When the last intact event was written"}
    )
    events = ma.fields.Integer(metadata={"description": "Events found intact, from the first"})
    checked_at = ma.fields.AwareDateTime(
        allow_none=True, metadata={"description": "When the chain was last walked; null: never"}
    )
    broken = ma.fields.Nested(ChainBreakOut, allow_none=True)
    logged = ma.fields.Integer(metadata={"description": "Events in the log now"})
