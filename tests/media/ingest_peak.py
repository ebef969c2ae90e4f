"""Run by test_decode_memory.py: upload images through the app, each in a process of its own.

    python -m tests.media.ingest_peak SETTINGS_JSON EMAIL PASSWORD FILE:TYPE ...

Prints one JSON line per file: its HTTP status and the peak RSS (ru_maxrss, KiB) of the process
that ingested it. Each upload runs in a child forked from this small process, so its ru_maxrss
starts near this process's size: a process started by a big one (pytest) inherits its parent's
peak in ru_maxrss across exec, which would hide what ingesting costs.
"""

import json
import os
import resource
import sys
from pathlib import Path

from server import create_app
from server.extensions import db
from tests.media.images import sha256


def _ingest_in_child(client, path: Path, content_type: str) -> dict:
    """PUT the file from a forked child; its status and peak RSS."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: upload, report, and leave without running any cleanup
        os.close(read_end)
        data = path.read_bytes()
        response = client.put(f"/api/photos/{sha256(data)}", data=data, content_type=content_type)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        os.write(write_end, json.dumps({"status": response.status_code, "peak_kib": peak}).encode())
        os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end) as answer:
        result = json.loads(answer.read())
    os.waitpid(pid, 0)
    return {"file": path.name, **result}


def main(settings: str, email: str, password: str, *files: str) -> None:
    """Sign in once, then ingest each file in a child of its own."""
    app = create_app(json.loads(settings))
    client = app.test_client()
    with app.app_context():
        login = client.post("/api/auth/login", json={"email": email, "password": password})
        assert login.status_code == 200, login.get_data(as_text=True)
        db.engine.dispose()  # no connection shared with the children
        for spec in files:
            name, content_type = spec.rsplit(":", 1)
            print(json.dumps(_ingest_in_child(client, Path(name), content_type)), flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:])
