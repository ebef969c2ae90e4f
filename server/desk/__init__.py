"""The EHS officer's desk: the triage queue and the overview."""
