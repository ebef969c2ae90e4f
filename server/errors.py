"""The one error shape of the API: RFC 9457 problem details (application/problem+json)."""

import logging
from dataclasses import dataclass

import marshmallow as ma
from flask import Flask, Response, current_app, json, request
from sqlalchemy.exc import DataError
from werkzeug.exceptions import HTTPException

from server import exceptions
from server.exceptions import DomainError

log = logging.getLogger(__name__)

PROBLEM_MIMETYPE = "application/problem+json"
# The detail of a 422 for a value that passed validation but that the database refused.
UNSTORABLE_VALUE = "A value is outside what this system can store."


class ProblemSchema(ma.Schema):
    """An API error (documentation only: bodies are built by problem())."""

    type = ma.fields.String(metadata={"description": "URI naming the kind of problem"})
    title = ma.fields.String(metadata={"description": "Short summary of the kind of problem"})
    status = ma.fields.Integer(metadata={"description": "HTTP status code"})
    detail = ma.fields.String(metadata={"description": "What went wrong this time"})
    errors = ma.fields.Dict(metadata={"description": "Field name to list of messages"})


@dataclass(frozen=True)
class ProblemType:
    """One kind of problem: its HTTP status, the slug of its type URI and a short title."""

    status: int
    slug: str
    title: str

    @property
    def uri(self) -> str:
        return f"{PROBLEM_BASE}{self.slug}"


PROBLEM_BASE = "/api/problems/"
# The one mapping from domain exceptions to HTTP; a subclass not listed takes its base's type.
PROBLEM_TYPES: dict[type[DomainError], ProblemType] = {
    exceptions.InvalidTransition: ProblemType(
        409, "invalid-transition", "Not allowed in this state"
    ),
    exceptions.Conflict: ProblemType(409, "conflict", "Conflict"),
    exceptions.InvalidInput: ProblemType(422, "invalid-input", "Invalid input"),
    exceptions.NotFound: ProblemType(404, "not-found", "Not found"),
    exceptions.SignInRequired: ProblemType(401, "sign-in-required", "Sign-in required"),
    exceptions.NotAllowed: ProblemType(403, "not-allowed", "Not allowed"),
    exceptions.MalformedRequest: ProblemType(400, "malformed-request", "Bad request"),
    exceptions.TimedOut: ProblemType(408, "timed-out", "Request timeout"),
    exceptions.TooLarge: ProblemType(413, "too-large", "Payload too large"),
    exceptions.UnsupportedMedia: ProblemType(415, "unsupported-media", "Unsupported media type"),
    exceptions.RateLimited: ProblemType(429, "rate-limited", "Too many requests"),
    exceptions.Unavailable: ProblemType(503, "unavailable", "Service unavailable"),
}
# A body that failed its schema is the same kind of problem as a service's InvalidInput.
INVALID_INPUT = PROBLEM_TYPES[exceptions.InvalidInput]


def problem_type(error: DomainError) -> ProblemType:
    """The problem type of a domain exception: its own class's, or its nearest listed base's."""
    for cls in type(error).__mro__:
        if cls in PROBLEM_TYPES:
            return PROBLEM_TYPES[cls]
    raise LookupError(f"no problem type for {type(error).__name__}")


def problem(
    status: int,
    title: str,
    detail: str | None = None,
    errors: dict | None = None,
    headers: dict | None = None,
    type_uri: str = "about:blank",
) -> Response:
    """Build a problem+json response."""
    body = {"type": type_uri, "title": title, "status": status}
    if detail:
        body["detail"] = detail
    if errors:
        body["errors"] = errors
    response = Response(json.dumps(body), status=status, mimetype=PROBLEM_MIMETYPE)
    response.headers.update(headers or {})
    return response


def _field_errors(data: dict | None) -> dict | None:
    """Flatten webargs' {location: {field: [messages]}} into {field: [messages]}."""
    messages = (data or {}).get("messages")
    if not messages:
        return None
    if len(messages) == 1:
        (only,) = messages.values()
        return only
    return messages


# What failed validation, by webargs location.
_LOCATIONS = {"query": "The query string", "json": "The request body", "headers": "A header"}


def _validation_detail(data: dict | None) -> str:
    """Which part of the request failed validation, in words."""
    locations = list((data or {}).get("messages") or {})
    if len(locations) == 1 and locations[0] in _LOCATIONS:
        return f"{_LOCATIONS[locations[0]]} failed validation."
    return "The request failed validation."


def handle_domain_error(error: DomainError) -> Response:
    """Render a domain exception as the problem type it maps to."""
    kind = problem_type(error)
    retry_after = getattr(error, "retry_after", None)
    headers = {"Retry-After": str(retry_after)} if retry_after is not None else None
    return problem(kind.status, kind.title, error.detail, error.errors, headers, kind.uri)


def handle_http_exception(error: HTTPException):
    """Render werkzeug errors (404, 405, 413, webargs' 422, ...) as problem+json under /api."""
    if not request.path.startswith("/api"):
        return error
    data = getattr(error, "data", None)
    errors = _field_errors(data)
    detail = _validation_detail(data) if errors else error.description
    headers = dict(error.get_headers())
    headers.pop("Content-Type", None)
    headers.update((data or {}).get("headers") or {})
    if errors and error.code == INVALID_INPUT.status:
        return problem(error.code, INVALID_INPUT.title, detail, errors, headers, INVALID_INPUT.uri)
    return problem(error.code or 500, error.name, detail, errors, headers)


def handle_data_error(error: DataError) -> Response:
    """A value the database refused (out of range, NUL in text): roll back and answer 422.

    Schemas refuse such values first; this is the net under a field that does not yet.
    """
    current_app.extensions["sqlalchemy"].session.rollback()
    log.warning("Database refused a value on %s %s: %s", request.method, request.path, error.orig)
    return problem(422, INVALID_INPUT.title, UNSTORABLE_VALUE, type_uri=INVALID_INPUT.uri)


def handle_unexpected(error: Exception) -> Response:
    """Roll back what the request wrote and answer 500 without details."""
    current_app.extensions["sqlalchemy"].session.rollback()
    log.exception("Unhandled error on %s %s", request.method, request.path)
    return problem(500, "Internal server error", "The server failed to handle this request.")


def describe_problem(slug: str) -> Response:
    """GET /api/problems/<slug>: what a problem type means, for a client that follows its URI."""
    for cls, kind in PROBLEM_TYPES.items():
        if kind.slug == slug:
            body = {"type": kind.uri, "title": kind.title, "status": kind.status}
            return Response(
                json.dumps(body | {"description": cls.__doc__}), mimetype="application/json"
            )
    raise exceptions.NotFound(f"No problem type {slug!r}.")


def register_error_handlers(app: Flask) -> None:
    """Route every error through problem(), and describe each problem type at its URI."""
    app.add_url_rule(f"{PROBLEM_BASE}<slug>", "problem_type", describe_problem)
    app.register_error_handler(DomainError, handle_domain_error)
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(DataError, handle_data_error)
    app.register_error_handler(Exception, handle_unexpected)
