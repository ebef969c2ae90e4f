"""The event log: every change of a record, who and when, append-only."""
