"""What audits hand the ground: their record types, the "responses" sync list and the audit feed."""

from server.audits import models  # noqa: F401  (the tables)
from server.people import models as people_models  # noqa: F401  (the competence table)


def register() -> None:
    """Make audits known to the ground; the app factory calls this once per app."""
