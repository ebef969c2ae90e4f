"""Reminders that escalate: actions coming due, due, overdue, and NCs waiting for their check."""
