"""Ishikawa (fishbone) root-cause analysis of a report."""
