"""The jobs and sweep tasks features register: the queue knows their names and ids, not them."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class JobKind:
    """A job an outbox row may ask for: the importable function rq runs, and what it is about."""

    name: str
    function: str
    # The record type the job is about, and the payload key holding that record's pk: the
    # failed-jobs list shows a job only to those who may open its record.
    record_type: str | None = None
    record_key: str | None = None


_JOB_KINDS: dict[str, JobKind] = {}
# Run by the worker's sweep every SWEEP_INTERVAL, each returning how many records it moved on.
_SWEEP_TASKS: dict[str, Callable[[], int]] = {}


def register_job(kind: JobKind) -> JobKind:
    """Make a job kind known to the relay (again, harmlessly, for every app built)."""
    _JOB_KINDS[kind.name] = kind
    return kind


def job_kind(name: str) -> JobKind:
    """The registered job kind of this name."""
    try:
        return _JOB_KINDS[name]
    except KeyError:
        raise LookupError(f"no job {name!r} is registered") from None


def register_sweep_task(name: str, task: Callable[[], int]) -> None:
    """Have the worker's sweep run task (inside an app context) before it sends lost jobs."""
    _SWEEP_TASKS[name] = task


def sweep_tasks() -> dict[str, Callable[[], int]]:
    """The registered sweep tasks by name."""
    return dict(_SWEEP_TASKS)
