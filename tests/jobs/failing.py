"""A job that fails until a file exists: lets the tests watch failure, listing and retry."""

from pathlib import Path


def explode_until(report_pk: int, flag_file: str) -> int:
    if not Path(flag_file).exists():
        raise RuntimeError(f"flag file missing for report {report_pk}")
    return report_pk
