"""Nonconformities and their corrective actions: the Act of Plan-Do-Check-Act (ISO 10.2)."""
