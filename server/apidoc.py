"""What the OpenAPI document says about the shared input rules, so that it matches what is refused.

The field types of server.validation and the guards of server.inputs refuse text that no database
stores, integers beyond 64 bits and ids beyond 32; the document states the same limits as patterns
and bounds, so a client (or a fuzzer) that follows the document is never refused for them.
"""

from apispec import BasePlugin

from server import validation

# Any text without NUL or the C0/C1 controls other than tab, LF and CR. Lone surrogates are
# refused too, but a pattern cannot name them: regex engines outside JavaScript reject the range.
STORABLE_TEXT = r"^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]*$"


def storable_field_limits(self, field, ret: dict, **_kwargs) -> dict:
    """apispec attribute function: the pattern of Text fields and the bounds of Integer fields."""
    if isinstance(field, validation.Text) and "pattern" not in ret and "enum" not in ret:
        return {"pattern": STORABLE_TEXT}
    if isinstance(field, validation.Integer):
        low, high = (
            (validation.ID_MIN, validation.ID_MAX)
            if isinstance(field, validation.Id | validation.QueryId)
            else (validation.INT64_MIN, validation.INT64_MAX)
        )
        return {
            "minimum": max(ret.get("minimum", low), low),
            "maximum": min(ret.get("maximum", high), high),
        }
    return {}


class StorableQueryText(BasePlugin):
    """Every free-text query parameter takes only storable text (server.inputs refuses the rest)."""

    def operation_helper(self, path=None, operations=None, **kwargs) -> None:
        """Add the storable-text pattern to string query parameters that have no tighter rule."""
        for operation in (operations or {}).values():
            for parameter in operation.get("parameters", []):
                if not isinstance(parameter, dict) or parameter.get("in") != "query":
                    continue
                schema = parameter.get("schema", {})
                if schema.get("type") == "array":
                    schema = schema.get("items", {})
                if schema.get("type") == "string" and not {"enum", "pattern", "format"} & set(
                    schema
                ):
                    schema["pattern"] = STORABLE_TEXT
