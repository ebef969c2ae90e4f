"""What the register hands the ground and the features below it."""

from server.risks import models  # noqa: F401  (the tables)


def register() -> None:
    """Make the register known to the ground; the app factory calls this once per app."""
