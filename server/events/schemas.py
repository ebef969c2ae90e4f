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
