"""Management reviews (ISO 45001, 14001, 9001 clause 9.3): objectives, inputs from the records, outputs."""
