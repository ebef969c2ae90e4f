"""Changing an analysis's data: officers' edit operations, and merging in generated causes.

The data is a plain dict (effect, effect_edited, causes, whys, dismissed, root_cause_id); these
functions never touch the database, so the job and the API share them.
"""

import copy
import uuid
from collections.abc import Callable

from server.exceptions import InvalidInput
from server.ishikawa.cues import CATEGORIES
from server.ishikawa.mining import make_cause

MAX_WHYS = 10
MAX_CAUSES_PER_CATEGORY = 30
# "why": each 5 Whys answer was once also a cause; those an officer did not edit go at the next
# build, which no longer makes them.
GENERATED = frozenset({"report", "why", "related"})
_SOURCE_ORDER = {"report": 0, "why": 1, "related": 2, "officer": 3}


class EditError(Exception):
    """An operation that does not fit the analysis: which field, and why."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field, self.message = field, message


def _no_cause(cause_id: str) -> EditError:
    return EditError("id", f"No cause with id {cause_id!r} in this version.")


def _cause(data: dict, cause_id: str) -> dict:
    found = next((c for c in data["causes"] if c["id"] == cause_id), None)
    if found is None:
        raise _no_cause(cause_id)
    return found


def _room_in(data: dict, category: str) -> None:
    if sum(c["category"] == category for c in data["causes"]) >= MAX_CAUSES_PER_CATEGORY:
        raise EditError("category", f"{category} already holds {MAX_CAUSES_PER_CATEGORY} causes.")


def add_cause(data: dict, op: dict) -> None:
    _room_in(data, op["category"])
    cause_id = f"officer-{uuid.uuid4().hex[:12]}"
    data["causes"].append(make_cause(cause_id, op["category"], op["text"], "officer"))


def move_cause(data: dict, op: dict) -> None:
    cause = _cause(data, op["id"])
    if cause["category"] != op["category"]:
        _room_in(data, op["category"])
        cause.update(category=op["category"], edited=True)


def edit_cause(data: dict, op: dict) -> None:
    _cause(data, op["id"]).update(text=op["text"], edited=True)


def remove_cause(data: dict, op: dict) -> None:
    cause = _cause(data, op["id"])
    data["causes"].remove(cause)
    if cause["source"] in GENERATED:
        data["dismissed"].append(cause["id"])
    if data["root_cause_id"] == cause["id"]:
        data["root_cause_id"] = None


def set_root_cause(data: dict, op: dict) -> None:
    if op["id"] is not None:
        _cause(data, op["id"])
    data["root_cause_id"] = op["id"]


def add_why(data: dict, op: dict) -> None:
    if len(data["whys"]) >= MAX_WHYS:
        raise EditError("text", f"An analysis holds at most {MAX_WHYS} whys.")
    data["whys"].append(op["text"])


def edit_why(data: dict, op: dict) -> None:
    if op["index"] >= len(data["whys"]):
        raise EditError("index", f"There are {len(data['whys'])} whys; indexes start at 0.")
    data["whys"][op["index"]] = op["text"]


def set_effect(data: dict, op: dict) -> None:
    data.update(effect=op["text"], effect_edited=True)


OPERATIONS: dict[str, Callable[[dict, dict], None]] = {
    "add_cause": add_cause,
    "move_cause": move_cause,
    "edit_cause": edit_cause,
    "remove_cause": remove_cause,
    "set_root_cause": set_root_cause,
    "add_why": add_why,
    "edit_why": edit_why,
    "set_effect": set_effect,
}


def apply_operations(
    data: dict, operations: list[dict], hidden: frozenset[str] | set[str] = frozenset()
) -> dict:
    """A copy of data with the operations applied in order; hidden causes cannot be named."""
    data = copy.deepcopy(data)
    for index, operation in enumerate(operations):
        try:
            if operation.get("id") in hidden:
                raise _no_cause(operation["id"])
            OPERATIONS[operation["op"]](data, operation)
        except EditError as error:
            raise InvalidInput(
                f"Operation {index} ({operation['op']}) does not fit this version of the analysis.",
                errors={"operations": {index: {error.field: [error.message]}}},
            ) from None
    return data


def merge_generated(data: dict, generated: list[dict], sources: set[str]) -> dict:
    """data with fresh generated causes of sources; officers' additions, edits and removals stay.

    A cause of sources that is no longer generated goes, unless an officer made it theirs:
    edited it, or chose it as the root cause.
    """
    root = data["root_cause_id"]
    kept = {
        c["id"]: c
        for c in data["causes"]
        if c["source"] not in sources or c["edited"] or c["id"] == root
    }
    merged = []
    for cause in generated:
        if cause["id"] in data["dismissed"]:
            continue
        old = kept.pop(cause["id"], None)
        # An edited cause keeps the officer's words and place; its evidence is refreshed.
        merged.append({**old, **_evidence(cause)} if old and old["edited"] else cause)
    merged += kept.values()
    merged.sort(key=lambda c: (CATEGORIES.index(c["category"]), _SOURCE_ORDER[c["source"]]))
    ids = {c["id"] for c in merged}
    return {**data, "causes": merged, "root_cause_id": root if root in ids else None}


def _evidence(cause: dict) -> dict:
    return {"count": cause["count"], "report_ids": cause["report_ids"]}
