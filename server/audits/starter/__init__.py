"""The starter audit templates, as data files: one per standard."""
