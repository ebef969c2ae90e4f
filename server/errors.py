"""The one error shape of the API: RFC 9457 problem details (application/problem+json)."""

import logging

import marshmallow as ma
from flask import Flask, Response, current_app, json, request
from sqlalchemy.exc import DataError
from werkzeug.exceptions import HTTPException

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


class ApiError(Exception):
    """An error a view or service raises; the handler turns it into problem+json."""

    status = 400
    title = "Bad request"

    def __init__(
        self,
        detail: str | None = None,
        *,
        errors: dict | None = None,
        headers: dict | None = None,
        status: int | None = None,
    ):
        super().__init__(detail or self.title)
        self.detail = detail
        self.errors = errors
        self.headers = headers or {}
        if status is not None:
            self.status = status


class Unauthorized(ApiError):
    status, title = 401, "Sign-in required"


class Forbidden(ApiError):
    status, title = 403, "Not allowed"


class NotFound(ApiError):
    status, title = 404, "Not found"


class Conflict(ApiError):
    status, title = 409, "Conflict"


class PayloadTooLarge(ApiError):
    status, title = 413, "Payload too large"


class UnsupportedMediaType(ApiError):
    status, title = 415, "Unsupported media type"


class Unprocessable(ApiError):
    status, title = 422, "Invalid input"


class TooManyRequests(ApiError):
    status, title = 429, "Too many requests"


def problem(
    status: int,
    title: str,
    detail: str | None = None,
    errors: dict | None = None,
    headers: dict | None = None,
) -> Response:
    """Build a problem+json response."""
    body = {"type": "about:blank", "title": title, "status": status}
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


def handle_api_error(error: ApiError) -> Response:
    """Render a raised ApiError."""
    return problem(error.status, error.title, error.detail, error.errors, error.headers)


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
    return problem(error.code or 500, error.name, detail, errors, headers)


def handle_data_error(error: DataError) -> Response:
    """A value the database refused (out of range, NUL in text): roll back and answer 422.

    Schemas refuse such values first; this is the net under a field that does not yet.
    """
    current_app.extensions["sqlalchemy"].session.rollback()
    log.warning("Database refused a value on %s %s: %s", request.method, request.path, error.orig)
    return problem(422, "Invalid input", UNSTORABLE_VALUE)


def handle_unexpected(error: Exception) -> Response:
    """Roll back what the request wrote and answer 500 without details."""
    current_app.extensions["sqlalchemy"].session.rollback()
    log.exception("Unhandled error on %s %s", request.method, request.path)
    return problem(500, "Internal server error", "The server failed to handle this request.")


def register_error_handlers(app: Flask) -> None:
    """Route every error through problem()."""
    app.register_error_handler(ApiError, handle_api_error)
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(DataError, handle_data_error)
    app.register_error_handler(Exception, handle_unexpected)
