"""Exports through gunicorn, the server production runs: sent as they are made, with no length
known ahead, the first bytes out before the database has answered."""

import socket

import pytest
import requests
import sqlalchemy as sa

from server.extensions import db
from tests.exports.conftest import parse_csv, period
from tests.exports.test_bundle import served, signed_in  # noqa: F401  (a fixture, and a helper)
from tests.factories import make_stored_report
from tests.jobs.conftest import wait_until
from tests.live_server import HOST


def test_csv_from_gunicorn_is_chunked_with_no_length(person, plant, served):  # noqa: F811
    for n in range(3):
        make_stored_report(plant.north, description=f"Report {n}")
    http = signed_in(served, plant.officer)
    with http.get(f"{served.url}/api/exports/reports.csv", params=period(), stream=True) as got:
        assert got.status_code == 200
        assert "Content-Length" not in got.headers
        assert got.headers["Transfer-Encoding"] == "chunked"
        assert got.headers["Content-Type"] == "text/csv; charset=utf-8"
        _, rows = parse_csv(b"".join(got.iter_content(4096)))
    assert sorted(row["description"] for row in rows) == ["Report 0", "Report 1", "Report 2"]


def _waiting_for_report(connection) -> int:
    """How many other sessions of this database wait for a lock while opening a server-side
    cursor (the reports' export is the only one here; PostgreSQL keeps only the first kilobyte
    of a query's text, which the line each report becomes fills)."""
    # Within a transaction the statistics are read once, unless their snapshot is cleared.
    connection.execute(sa.text("SELECT pg_stat_clear_snapshot()"))
    return connection.execute(
        sa.text(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
            "AND query LIKE 'DECLARE %CURSOR FOR SELECT %' AND datname = current_database() "
            "AND pid <> pg_backend_pid()"
        )
    ).scalar()


def _cookie_header(http: requests.Session) -> str:
    return "; ".join(f"{cookie.name}={cookie.value}" for cookie in http.cookies)


def test_the_first_bytes_leave_before_the_query_is_done(person, plant, served):  # noqa: F811
    """The reports table is locked: the query waits, and the header row has arrived."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite in WAL mode never makes a reader wait")
    make_stored_report(plant.north, description="The one report")
    http = signed_in(served, plant.officer)
    query = "&".join(f"{key}={value}" for key, value in period().items())
    with db.engine.connect() as locker:
        locker.execute(sa.text("LOCK TABLE report IN ACCESS EXCLUSIVE MODE"))
        with socket.create_connection((HOST, served.port), timeout=30) as client:
            client.sendall(
                f"GET /api/exports/reports.csv?{query} HTTP/1.1\r\nHost: test\r\n"
                f"Cookie: {_cookie_header(http)}\r\nConnection: close\r\n\r\n".encode()
            )
            received = b""
            while b"observed_at" not in received:
                received += client.recv(65536)
            # The header row is here, and the query comes to wait for the lock.
            wait_until(lambda: _waiting_for_report(locker) == 1)
            assert b"The one report" not in received
            locker.rollback()
            while chunk := client.recv(65536):
                received += chunk
    head, body = received.split(b"\r\n\r\n", 1)
    assert b"transfer-encoding: chunked" in head.lower()
    assert b"content-length" not in head.lower()
    assert b"The one report" in body
