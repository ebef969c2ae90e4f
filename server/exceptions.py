"""What services raise when the domain refuses a request; errors.py maps each kind to problem+json.

These know nothing of HTTP: jobs and the CLI raise and catch them too.
"""


class DomainError(Exception):
    """A request the domain refuses: detail says why this time, errors names fields."""

    def __init__(self, detail: str | None = None, *, errors: dict | None = None):
        super().__init__(detail or type(self).__doc__)
        self.detail = detail
        self.errors = errors


class InvalidInput(DomainError):
    """Some values are not acceptable."""


class NotFound(DomainError):
    """No such record, or not one the caller may see."""


class SignInRequired(DomainError):
    """The caller is not signed in."""


class NotAllowed(DomainError):
    """The caller's role may not do this."""


class Conflict(DomainError):
    """The request disagrees with what is already saved."""


class InvalidTransition(Conflict):
    """The record's state does not allow this change."""


class MalformedRequest(DomainError):
    """The request cannot be read (for example a body that is not JSON)."""


class TimedOut(DomainError):
    """The client stopped sending before the request was complete."""


class TooLarge(DomainError):
    """The request is larger than accepted."""


class UnsupportedMedia(DomainError):
    """The body's type is not one accepted here."""


class RateLimited(DomainError):
    """Too many attempts; retry_after says in how many seconds to try again."""

    def __init__(self, detail: str | None = None, *, retry_after: int, errors: dict | None = None):
        super().__init__(detail, errors=errors)
        self.retry_after = retry_after


class Unavailable(DomainError):
    """A service this needs is down for now; retry_after says when to try again."""

    def __init__(self, detail: str | None = None, *, retry_after: int = 30):
        super().__init__(detail)
        self.retry_after = retry_after
