"""Exports: CSV of the records and the evidence bundle an external auditor can check."""
