"""Background jobs: the transactional outbox that feeds rq."""
