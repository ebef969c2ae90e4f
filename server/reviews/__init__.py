"""Management reviews (ISO 45001, 14001 and 9001 clause 9.3): objectives, inputs from the records,
and leadership's outputs."""
