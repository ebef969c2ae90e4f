"""The sync API: batches of reports in, changes out."""
