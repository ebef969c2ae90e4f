"""The ground every record stands on: identity, idempotency, states and record types."""
