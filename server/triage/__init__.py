"""Triage: scoring, classifying, de-duplicating, prioritising and routing each report."""
