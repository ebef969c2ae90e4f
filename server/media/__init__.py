"""Photos: content-addressed storage, verified ingest and derivatives."""
