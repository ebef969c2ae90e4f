"""Controlled documents (ISO 45001 / 14001 / 9001 7.5): revisions, approval, acknowledgements."""
