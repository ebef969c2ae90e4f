"""Guards in front of every API view: paths, query strings and JSON bodies the API can read.

Schemas check each field; these catch what goes wrong before any schema runs, the same way for
every endpoint: a JSON body nested a thousand deep (RecursionError in the parser), a number of
5,000 digits (Python's limit on integer digits), NaN or an overflowing float, an id in a path
beyond the 32 bits of an id column, and text no database can store in a query string or a path.
"""

import json
import math

from flask import Flask, request
from werkzeug.routing import IntegerConverter

from server.exceptions import InvalidInput, MalformedRequest, NotFound
from server.validation import ID_MAX, text_problem

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
# Far deeper than any body of this API; deep enough for anything a client may reasonably send.
MAX_JSON_DEPTH = 32


class InvalidJson(ValueError):
    """A request body that is not JSON this API reads."""


class IdConverter(IntegerConverter):
    """werkzeug's int converter for ids: ASCII digits within 32 bits (else the route is a 404)."""

    regex = r"[0-9]{1,10}"

    def __init__(self, map, *args, max: int = ID_MAX, **kwargs):
        super().__init__(map, *args, max=max, **kwargs)


def _finite_float(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise InvalidJson(f"The number {text[:20]} is too large.")
    return number


def _refuse_constant(name: str):
    raise InvalidJson(f"{name} is not a JSON number.")


def _depth(value) -> int:
    """How deeply arrays and objects nest in a parsed JSON value (iteratively: no recursion)."""
    deepest, pending = 0, [(value, 1)]
    while pending:
        item, level = pending.pop()
        if isinstance(item, dict):
            item = item.values()
        elif not isinstance(item, list):
            continue
        deepest = max(deepest, level)
        pending.extend((child, level + 1) for child in item)
    return deepest


def load_json(data: bytes):
    """Parse a request body as strict JSON in UTF-8; InvalidJson says why it is not."""
    try:
        value = json.loads(
            data.decode("utf-8"), parse_float=_finite_float, parse_constant=_refuse_constant
        )
    except InvalidJson:
        raise
    except UnicodeDecodeError:
        raise InvalidJson("The body is not UTF-8 text.") from None
    except json.JSONDecodeError as error:
        raise InvalidJson(f"{error.msg} (line {error.lineno}, column {error.colno}).") from None
    except RecursionError:
        raise InvalidJson(f"Arrays and objects nest more than {MAX_JSON_DEPTH} deep.") from None
    except ValueError:
        # The only other ValueError of the parser: an integer beyond Python's digit limit.
        raise InvalidJson("A number has too many digits.") from None
    if _depth(value) > MAX_JSON_DEPTH:
        raise InvalidJson(f"Arrays and objects nest more than {MAX_JSON_DEPTH} deep.")
    return value


def _is_json(mimetype: str) -> bool:
    return mimetype == "application/json" or mimetype.endswith("+json")


def check_json_body() -> None:
    """Refuse an API request whose JSON body the views could not read, with 400."""
    if request.method in SAFE_METHODS or not request.path.startswith("/api/"):
        return
    if not _is_json(request.mimetype):
        return
    data = request.get_data(cache=True)
    if not data:
        return
    try:
        load_json(data)
    except InvalidJson as error:
        raise MalformedRequest(f"The body is not valid JSON: {error}") from None


def check_query_and_path() -> None:
    """Refuse text no database can store: in a query string 422, in a path 404."""
    if not request.path.startswith("/api/"):
        return
    for value in (request.view_args or {}).values():
        if isinstance(value, str) and text_problem(value):
            raise NotFound()
    errors = {}
    for name, value in request.args.items(multi=True):
        problem = text_problem(name) or text_problem(value)
        if problem:
            errors.setdefault(name, []).append(problem)
    if errors:
        raise InvalidInput("The query string failed validation.", errors=errors)


def init_app(app: Flask) -> None:
    """Bound the int converter (before any route is added) and install the guards."""
    app.url_map.converters["int"] = IdConverter
    app.before_request(check_query_and_path)
    app.before_request(check_json_body)
